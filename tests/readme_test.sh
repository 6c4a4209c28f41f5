#!/usr/bin/env bash
# Runs every shell command of README.md (its ```sh blocks), as written and in
# order, in a fresh copy of the source tree, the way a newcomer follows the
# README: the first command (scripts/demo.sh) builds, everything after it
# must work as it stands.
#
# Usage: readme_test.sh SOURCE_DIR          run them (minutes: demo.sh builds a release tree)
#        readme_test.sh SOURCE_DIR --list   print each command and what is done with it
#
# The copy holds the files git knows (tracked, and new ones not ignored), so
# nothing built in SOURCE_DIR leaks in. Commands run in one bash, so an
# `export` carries over, with Debian's default PATH (python3 is
# /usr/bin/python3, no deter of an earlier build). DETER_README_KEEP=1 keeps
# the copy for a look afterwards.
#
# The skip list: the only commands not run as written, each checked some
# other way. Add to it only what needs root, the network or a long time.
set -euo pipefail
src=$(cd "$1" && pwd)
mode=${2:-run}

declare -A skip=(
  # The whole suite, again under ASan, TSan, and fuzzing: over an hour.
  # It is what CI runs (.ci/run), so CI checks it on every change.
  ["bash scripts/test.sh"]="CI runs it"
)
declare -A rewrite=(
  # Writes to /usr/local (root). Run with DESTDIR instead, then the
  # installed tool and Python package are used from there (below).
  ["cmake --install build/release --prefix /usr/local"]='DESTDIR="$readme_destdir" cmake --install build/release --prefix /usr/local'
)

# The commands: lines of ```sh blocks, with `\` continuations joined and
# blank or comment-only lines dropped. Trailing comments stay (bash skips them).
mapfile -d '' commands < <(awk '
  /^```sh[[:space:]]*$/ { inside = 1; next }
  /^```/ { inside = 0; next }
  !inside { next }
  {
    line = pending $0
    if (line ~ /\\$/) { pending = substr(line, 1, length(line) - 1); next }
    pending = ""
    if (line ~ /^[[:space:]]*(#|$)/) next
    printf "%s%c", line, 0
  }' "$src/README.md")
[ ${#commands[@]} -gt 0 ] || { echo "no commands found in $src/README.md"; exit 1; }

# The command without its trailing comment, for the lists above.
bare() { sed -E 's/[[:space:]]+#[^"'"'"']*$//' <<<"$1"; }

if [ "$mode" = --list ]; then
  for c in "${commands[@]}"; do
    b=$(bare "$c")
    if [ -n "${skip[$b]:-}" ]; then echo "skip     $b  (${skip[$b]})"
    elif [ -n "${rewrite[$b]:-}" ]; then echo "rewrite  ${rewrite[$b]}"
    else echo "run      $c"; fi
  done
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/deter-readme.XXXXXX")
[ "${DETER_README_KEEP:-0}" = 1 ] && echo "keeping $work" || trap 'rm -rf "$work"' EXIT
clone=$work/deter
mkdir -p "$clone"
if git -C "$src" rev-parse --show-toplevel >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard) |
    tar -C "$src" --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$clone" -xf -
else
  tar -C "$src" --exclude=./build -cf - . | tar -C "$clone" -xf -
fi
[ -e "$clone/README.md" ] && [ ! -e "$clone/build" ] || { echo "bad copy in $clone"; exit 1; }

# Compiler caches hash paths relative to the copy, so a second run is quick.
export CCACHE_BASEDIR=$clone
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
unset PYTHONPATH
readme_destdir=$work/destdir
log=$work/log
cd "$clone"
failed=0
n=0
for c in "${commands[@]}"; do
  b=$(bare "$c")
  n=$((n + 1))
  if [ -n "${skip[$b]:-}" ]; then
    echo "[$n] skipped: $b (${skip[$b]})"
    continue
  fi
  run=$c
  [ -n "${rewrite[$b]:-}" ] && run=${rewrite[$b]}
  echo "[$n] \$ $run"
  set +e
  eval "$run" </dev/null >"$log" 2>&1
  rc=$?
  set -e
  if [ $rc -ne 0 ]; then
    echo "    FAILED with exit code $rc; its output ends:"
    tail -n 20 "$log" | sed 's/^/    | /'
    failed=$((failed + 1))
  fi
done

# What the rewritten install put under DESTDIR: the tool runs from where it
# was installed, and /usr/bin/python3 finds the package in the directory it
# reads under /usr/local.
if [ -d "$readme_destdir/usr/local" ]; then
  "$readme_destdir/usr/local/bin/deter" --version || { echo "installed deter does not run"; failed=$((failed + 1)); }
  site=$(/usr/bin/python3 -c 'import sys; print(":".join("'"$readme_destdir"'" + p for p in sys.path if p.startswith("/usr/local/")))')
  PYTHONPATH=$site /usr/bin/python3 -c 'import deter, sys; print("installed", deter.__file__); assert deter.__file__.startswith(sys.argv[1])' "$readme_destdir" ||
    { echo "the installed Python package is not where /usr/bin/python3 looks under /usr/local"; failed=$((failed + 1)); }
fi

echo "$n commands, $failed failed"
[ $failed -eq 0 ]
