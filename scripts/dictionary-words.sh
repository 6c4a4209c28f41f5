#!/usr/bin/env bash
# Writes the words of the benign-word dictionaries of the fuzzy view, one a
# line, to $1 (src/text/fuzzy.h). Run by the build (CMakeLists.txt); the
# word lists come from Debian packages and are not part of the repository.
#   English     hunspell-en-us  /usr/share/hunspell/en_US.{dic,aff}, expanded by unmunch
#   Hindi       hunspell-hi     /usr/share/hunspell/hi_IN.{dic,aff}, expanded by unmunch
#   Bengali     hunspell-bn     /usr/share/hunspell/bn_BD.{dic,aff}, expanded by unmunch
#   Indonesian  hunspell-id     /usr/share/hunspell/id_ID.dic, stems only (its
#               affixes expand to 7.8 million forms, mostly never written)
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
# The stems: each line is word[/flags]; the first line is a count.
tail -n +2 "$dir/id_ID.dic" | cut -d/ -f1 >>"$tmp"
aspell -d kn dump master >>"$tmp"
mv "$tmp" "$out"
trap - EXIT
