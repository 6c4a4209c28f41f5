#!/bin/sh
# deter checksum writes the '! checksum:' header in place; a list cut short
# after it was written fails to load, naming its checksum line; --check
# verifies without writing.
# Usage: checksum.sh DETER WORK_DIR
set -eu
deter=$1
work=$2
rm -rf "$work"
mkdir -p "$work/lists"
list="$work/lists/t.list"
printf '! deter-list 1\n! name: t\n! category: demo\nforbidden orchard\nhidden lantern $action=block\n  match: the hidden lantern\nquiet harbour\n' > "$list"
chmod 640 "$list"

if "$deter" checksum --check "$list"; then echo "--check passed a list with no checksum"; exit 1; fi
"$deter" checksum "$list" | grep -q "checksum [0-9a-f]\{32\}$"
[ "$(sed -n 2p "$list")" = "! checksum: $(sed -n 2p "$list" | cut -c13-)" ]
[ "$(stat -c %a "$list")" = 640 ] || { echo "permissions not kept"; exit 1; }
ls "$work/lists" | grep -v '^t\.list$' && { echo "a temporary file was left behind"; exit 1; }
"$deter" checksum --check "$list"
"$deter" test --lists "$work/lists" | grep -q "1 passed, 0 failed"
# Writing again changes nothing.
cp "$list" "$work/before"
"$deter" checksum "$list" > /dev/null
cmp -s "$list" "$work/before"

# Cut short after the checksum was written: refused at the checksum line.
head -c 120 "$work/before" > "$list"
if "$deter" test --lists "$work/lists" 2> "$work/err"; then echo "a cut list loaded"; exit 1; fi
grep -q "t.list:2:13: the list does not match its checksum" "$work/err"
if "$deter" checksum --check "$list"; then echo "--check passed a cut list"; exit 1; fi
echo "checksum: ok"
