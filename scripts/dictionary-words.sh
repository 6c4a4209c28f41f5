#!/usr/bin/env bash
# Writes the words of the benign-word dictionaries of the fuzzy view, one a
# line, to $1 (src/text/fuzzy.h). Run by the build (CMakeLists.txt); the
# word lists come from Debian packages and are not part of the repository.
#   English     hunspell-en-us  /usr/share/hunspell/en_US.{dic,aff}, expanded by unmunch
#   Hindi       hunspell-hi     /usr/share/hunspell/hi_IN.{dic,aff}, expanded by unmunch
#   Bengali     hunspell-bn     /usr/share/hunspell/bn_BD.{dic,aff}, expanded by unmunch
#   Indonesian  hunspell-id     /usr/share/hunspell/id_ID.{dic,aff}, the stems and their
#               commonest affixes (all of them expand to 7.8 million forms,
#               mostly never written)
#   Kannada     aspell-kn       `aspell -d kn dump master`
# unmunch is in hunspell-tools, aspell in aspell. scripts/install-deps.sh installs them all.
set -euo pipefail
out=$1
dir=/usr/share/hunspell
missing() {
  echo "error: the fuzzy view's dictionary needs $1 ($2 is missing);" \
    "install it with: apt-get install $1 (or scripts/install-deps.sh)" >&2
  exit 1
}
for pair in en_US:hunspell-en-us hi_IN:hunspell-hi bn_BD:hunspell-bn id_ID:hunspell-id; do
  lang=${pair%%:*} pkg=${pair#*:}
  [ -r "$dir/$lang.dic" ] || missing "$pkg" "$dir/$lang.dic"
  [ -r "$dir/$lang.aff" ] || missing "$pkg" "$dir/$lang.aff"
done
command -v unmunch >/dev/null || missing hunspell-tools unmunch
command -v aspell >/dev/null || missing aspell aspell
aspell -d kn dump master >/dev/null 2>&1 || missing aspell-kn "aspell's Kannada dictionary"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for lang in en_US hi_IN bn_BD; do
  unmunch "$dir/$lang.dic" "$dir/$lang.aff" 2>/dev/null >>"$tmp"
done
# The stems (each line is word[/flags]; the first line is a count), and the
# forms its commonest affixes give each stem as its flags allow: peN-, meN-,
# di-, ber-, ter-; -an, -i, -kan; a prefix and a suffix together (pencari,
# pencarian, dicari from cari). 17,000 forms, where unmunch gives millions;
# without them a derived word one letter from an entry word (pencari,
# pencuri) was read as a typo of it.
awk -v want="P0 M0 D0 B0 T0 a0 i0 k0" '
FNR == NR {
  if (($1 == "PFX" || $1 == "SFX") && index(" " want " ", " " $2 " ") && NF >= 5 &&
      !(($3 == "Y" || $3 == "N") && $4 ~ /^[0-9]+$/)) {
    n = ++count[$2]
    kind[$2] = $1
    strip[$2, n] = $3 == "0" ? "" : $3
    add[$2, n] = $4
    cond[$2, n] = $5 == "." ? "" : $5
  }
  next
}
FNR == 1 { next }  # the count of stems
{
  slash = index($0, "/")
  stem = slash ? substr($0, 1, slash - 1) : $0
  flags = slash ? substr($0, slash + 1) : ""
  print stem
  ns = 0
  np = 0
  for (i = 1; i < length(flags); i += 2) {
    f = substr(flags, i, 2)
    for (k = 1; k <= count[f]; ++k) {
      s = strip[f, k]
      if (kind[f] == "SFX") {
        if (stem !~ (cond[f, k] "$") || substr(stem, length(stem) - length(s) + 1) != s) continue
        suffixed[++ns] = substr(stem, 1, length(stem) - length(s)) add[f, k]
      } else {
        if (stem !~ ("^" cond[f, k]) || substr(stem, 1, length(s)) != s) continue
        ++np
        pstrip[np] = s
        padd[np] = add[f, k]
      }
    }
  }
  suffixed[0] = stem
  for (j = 0; j <= ns; ++j) {
    if (j > 0) print suffixed[j]
    for (k = 1; k <= np; ++k) print padd[k] substr(suffixed[j], length(pstrip[k]) + 1)
  }
}
' "$dir/id_ID.aff" "$dir/id_ID.dic" >>"$tmp"
aspell -d kn dump master >>"$tmp"
mv "$tmp" "$out"
trap - EXIT
