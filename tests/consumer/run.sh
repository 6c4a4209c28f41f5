#!/bin/sh
# Builds and runs a consumer of the deter installed in WORK/prefix.
# Usage: run.sh MODE WORK SOURCE_DIR GENERATOR
#   MODE: cmake-shared | cmake-static (find_package(deter), tests/consumer)
#         pkgconfig-shared | pkgconfig-static (cc + pkg-config, main.c)
#         python PYTHON (the installed Python package)
set -eu
mode=$1
work=$2
src=$3
generator=$4
prefix=$work/prefix
here=$src/tests/consumer
out=$work/$mode
rm -rf "$out"
mkdir -p "$out"

# The libdir under the prefix (lib or lib/<multiarch>).
pc=$(find "$prefix" -name deter.pc | head -n 1)
[ -n "$pc" ] || { echo "no deter.pc under $prefix"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")

case $mode in
  cmake-shared | cmake-static)
    static=OFF
    [ "$mode" = cmake-static ] && static=ON
    cmake -S "$here" -B "$out" -G "$generator" -DCMAKE_PREFIX_PATH="$prefix" \
      -DDETER_USE_STATIC_LIBS=$static >"$out/configure.log" 2>&1 || { cat "$out/configure.log"; exit 1; }
    cmake --build "$out" >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
    exe=$out/consumer
    ;;
  pkgconfig-shared)
    export PKG_CONFIG_PATH="$libdir/pkgconfig"
    cc -std=c11 -Wall -Wextra -pedantic -Werror -o "$out/consumer" "$here/main.c" \
      $(pkg-config --cflags --libs deter) -Wl,-rpath,"$libdir"
    exe=$out/consumer
    ;;
  pkgconfig-static)
    export PKG_CONFIG_PATH="$libdir/pkgconfig"
    # Prefer libdeter.a over libdeter.so; its private dependencies come from
    # Requires.private and Libs.private.
    deps=$(pkg-config --static --libs deter | sed 's/ -ldeter / /; s/^-ldeter //')
    cc -std=c11 -Wall -Wextra -pedantic -Werror -o "$out/consumer" "$here/main.c" \
      $(pkg-config --cflags deter) -L"$libdir" -Wl,-Bstatic -ldeter -Wl,-Bdynamic $deps
    exe=$out/consumer
    ;;
  python)
    site=$(find "$prefix" -type d -name dist-packages | head -n 1)
    [ -n "$site" ] || { echo "no Python package under $prefix"; exit 1; }
    cd "$out"
    PYTHONPATH=$site exec "$5" -c '
import sys, deter
d = deter.Filter(sys.argv[1]).check("a forbidden orchard walk")
assert deter.__file__.startswith(sys.argv[2]), deter.__file__
print("consumer:", d.action, d.matches[0].entry_id, "(deter %s)" % deter.__version__)
' "$src/lists/demo" "$site"
    ;;
  *)
    echo "unknown mode $mode"
    exit 2
    ;;
esac

# Linked as asked: the static consumers must not need libdeter.so.
needs_shared=no
readelf -d "$exe" | grep -q 'NEEDED.*libdeter\.so' && needs_shared=yes
case $mode in
  *-static) [ "$needs_shared" = no ] || { echo "$mode: linked libdeter.so"; exit 1; } ;;
  *-shared) [ "$needs_shared" = yes ] || { echo "$mode: did not link libdeter.so"; exit 1; } ;;
esac
"$exe" "$src/lists/demo"
