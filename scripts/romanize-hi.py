#!/usr/bin/env python3
# Writes tests/data/queries/hi-latn.txt from tests/data/queries/hi.txt (see tests/data/README.md):
#   scripts/romanize-hi.py < tests/data/queries/hi.txt > tests/data/queries/hi-latn.txt
# Hindi as commonly typed in Latin letters: ICU's Devanagari-Latin (uconv, from icu-devtools),
# accents dropped, a word-final inherent vowel dropped (भारत -> bharat), a final anusvara as n.
import re, subprocess, sys
lines = sys.stdin.read().split('\n')
if lines and lines[-1] == '': lines.pop()
words = sorted({w for l in lines for w in l.split()})
out = subprocess.run(['uconv', '-x', 'Devanagari-Latin; Latin-ASCII; Lower'],
                     input='\n'.join(words) + '\n', capture_output=True, text=True, check=True).stdout.split('\n')
def consonant_final(w):
    w = re.sub(r'[^\u0900-\u097F]+$', '', w)
    if not w or (len(w) > 1 and w[-2] == '\u094D'):  # a final conjunct keeps its vowel
        return False
    return '\u0915' <= w[-1] <= '\u0939' or '\u0958' <= w[-1] <= '\u095F'
roman = {}
for w, r in zip(words, out):
    r = r.replace("'", "")
    if consonant_final(w) and len(r) > 2:
        r = re.sub(r'a([^a-z]*)$', r'\1', r)
    if re.search(r'[\u0901\u0902][^\u0900-\u097F]*$', w):  # final anusvara: नहीं -> nahin
        r = re.sub(r'm([^a-z]*)$', r'n\1', r)
    roman[w] = r
for l in lines:
    print(' '.join(roman[w] for w in l.split()))
