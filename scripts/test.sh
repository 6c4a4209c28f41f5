#!/usr/bin/env bash
# Installs what is missing, builds deter with warnings as errors, and runs
# the whole test suite; then the same suite under AddressSanitizer and
# UndefinedBehaviorSanitizer, the concurrency tests under ThreadSanitizer,
# and each fuzzer for a bounded time (fuzz/README.md).
#
# For quicker local runs, skip stages (all run by default, and in CI):
#   DETER_SKIP_SANITIZERS=1   no asan and tsan builds
#   DETER_SKIP_FUZZ=1         no fuzzing
#   DETER_FUZZ_SECONDS=N      seconds per fuzzer (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
started=$SECONDS
stage() { echo "== test.sh: $1 (at $((SECONDS - started)) s)"; }

stage "ci build and tests"
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"

if [ "${DETER_SKIP_SANITIZERS:-0}" != 1 ]; then
  stage "asan: the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan -j "$jobs"

  stage "tsan: the concurrency tests under ThreadSanitizer"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$jobs"
  ctest --preset tsan
fi

if [ "${DETER_SKIP_FUZZ:-0}" != 1 ]; then
  stage "fuzz: each fuzzer for ${DETER_FUZZ_SECONDS:-60} s"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  fuzz/make-corpus.sh build/fuzz-corpus
  # A fixed seed: CI guards against regressions; the long runs that look for
  # new problems use random seeds (fuzz/README.md).
  DETER_FUZZ_SEED=${DETER_FUZZ_SEED:-1} fuzz/run.sh "${DETER_FUZZ_SECONDS:-60}"
fi
stage "done"
