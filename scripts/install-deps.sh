#!/usr/bin/env bash
# Installs the Debian packages deter needs, if any are missing. Runs
# `apt-get update` once and a non-interactive `apt-get install -y`; does
# nothing when everything is present. Usage: scripts/install-deps.sh [extra-package...]
set -euo pipefail

case "$(dpkg --print-architecture 2>/dev/null || echo amd64)" in
  amd64) hs=libhyperscan-dev ;;   # Intel Hyperscan
  *) hs=libvectorscan-dev ;;      # the maintained fork, for ARM and others
esac

packages=(
  build-essential cmake ninja-build pkg-config git curl
  libicu-dev "$hs" libxxhash-dev libsodium-dev libtomlplusplus-dev libcli11-dev zlib1g-dev
  catch2 libbenchmark-dev libre2-dev
  pybind11-dev python3-dev
  python3-dask python3-distributed   # deter.logs and its cluster tests
  python3-pip python3-setuptools python3-wheel   # pip install . (pyproject.toml), offline
  help2man                   # the deter tool's man page, generated at build time
  clang libclang-rt-14-dev   # libFuzzer and the sanitizer runtimes for fuzz/
  # The fuzzy view's dictionary, read at build time (scripts/dictionary-words.sh)
  hunspell-en-us hunspell-hi hunspell-bn hunspell-id aspell-kn hunspell-tools aspell
  # deter serve: Boost.Beast (header-only), JSON, the demo page's fonts; its
  # load test (wrk) and its browser test (headless Chromium with Selenium)
  libboost-dev nlohmann-json3-dev fonts-noto-core wrk chromium chromium-driver python3-selenium
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
