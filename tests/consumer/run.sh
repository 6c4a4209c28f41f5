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
    # deter.pc alone, no other module visible: shared linking must not need
    # the private dependencies' .pc files, nor see their flags.
    export PKG_CONFIG_LIBDIR="$libdir/pkgconfig"
    flags=$(pkg-config --cflags --libs deter) || exit 1
    case " $flags " in
      *" -I$prefix/"*" -ldeter "*) ;;
      *) echo "pkg-config: no -I of the prefix or no -ldeter: $flags"; exit 1 ;;
    esac
    case $flags in
      *hs* | *TOML* | *icu* | *sodium*) echo "pkg-config leaks private dependencies: $flags"; exit 1 ;;
    esac
    cc -std=c11 -Wall -Wextra -pedantic -Werror -o "$out/consumer" "$here/main.c" \
      $(pkg-config --cflags --libs deter) -Wl,-rpath,"$libdir"
    exe=$out/consumer
    ;;
  pkgconfig-static)
    export PKG_CONFIG_LIBDIR="$libdir/pkgconfig"
    # Prefer libdeter.a over libdeter.so; its private dependencies come from
    # Requires.private and Libs.private.
    deps=$(pkg-config --static --libs deter | sed 's/ -ldeter / /; s/^-ldeter //')
    cc -std=c11 -Wall -Wextra -pedantic -Werror -o "$out/consumer" "$here/main.c" \
      $(pkg-config --cflags deter) -L"$libdir" -Wl,-Bstatic -ldeter -Wl,-Bdynamic $deps
    exe=$out/consumer
    ;;
  python)
    # Where the interpreter itself looks under /usr/local (Debian's:
    # lib/python3.X/dist-packages), or else under its own prefix, moved to
    # the scratch prefix: the package must be in one of them.
    site=$("$5" -c '
import sys
local = [p for p in sys.path if p.startswith("/usr/local/lib/")]
own = [p for p in sys.path if p.startswith(sys.prefix + "/lib/") and p.endswith("-packages")]
print(":".join(sys.argv[1] + (p[len("/usr/local"):] if local else p[len(sys.prefix):]) for p in local or own))
' "$prefix")
    [ -n "$site" ] || { echo "no site directory for $5"; exit 1; }
    cd "$out"
    PYTHONPATH=$site exec "$5" -c '
import sys, deter
d = deter.Filter(sys.argv[1]).check("a forbidden orchard walk")
assert deter.__file__.startswith(sys.argv[2]), (deter.__file__, sys.path)
print("consumer:", d.action, d.matches[0].entry_id, "(deter %s)" % deter.__version__)
' "$src/lists/demo" "$prefix"
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
