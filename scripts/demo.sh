#!/usr/bin/env bash
# Installs what is missing, builds deter, and checks the bundled sample
# queries (all five languages) against the bundled demo lists.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release -DDETER_BUILD_TESTS=OFF -DDETER_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release --target deter_cli
build/release/deter test --lists lists/demo | tail -n 1
build/release/deter check --lists lists/demo < tests/data/sample-queries.txt
# The README's commands say `deter`: say where it is.
echo
echo "deter is $PWD/build/release/deter; to run the README's commands:"
echo "  export PATH=\"$PWD/build/release:\$PATH\""
