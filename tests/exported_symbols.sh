#!/bin/sh
# Checks what a shared libdeter exports: every function the C header declares,
# and nothing but the C API (deter_*) and the C++ API (deter::...).
# Usage: exported_symbols.sh path/to/libdeter.so path/to/deter.h
set -eu
lib=$1
header=$2
exported=$(nm -D --defined-only "$lib" | awk '{print $NF}')
status=0

# Symbols outside the two APIs.
stray=$(printf '%s\n' "$exported" | c++filt | grep -v -e '^deter_' -e '^deter::' || true)
if [ -n "$stray" ]; then
  echo "unexpected exported symbols:"
  printf '%s\n' "$stray" | head -n 40
  status=1
fi

# Every C entry point is exported.
declared=$(sed -n 's/^DETER_EXPORT [^(]*[ *]\(deter_[a-z_0-9]*\)(.*/\1/p' "$header")
[ -n "$declared" ] || { echo "no declarations found in $header"; exit 1; }
for fn in $declared; do
  if ! printf '%s\n' "$exported" | grep -qx "$fn"; then
    echo "missing: $fn"
    status=1
  fi
done

# And the C++ API is there too.
printf '%s\n' "$exported" | c++filt | grep -q '^deter::Filter::open(' || { echo "missing: deter::Filter::open"; status=1; }

c=$(printf '%s\n' "$declared" | wc -l)
t=$(printf '%s\n' "$exported" | wc -l)
echo "exported_symbols: $t symbols, $c C entry points; status $status"
exit $status
