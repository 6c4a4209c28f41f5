#!/usr/bin/env python3
"""Benign text from Debian's own translations: every message of every gettext
catalogue (.mo) installed for Hindi, Bengali, Kannada and Indonesian, and the
English originals, one line each, into OUTDIR/{hi,bn,kn,id,en}.txt.

    scripts/debian-benign-text.py OUTDIR
    deter probe --lists lists/demo --benign OUTDIR

The catalogues are those of the installed packages (iso-codes gives the names
of countries, languages, scripts and currencies in every language; GTK, GLib,
PAM, coreutils and others their interface text), so the lines depend on the
machine: `dpkg -S /usr/share/locale/hi/LC_MESSAGES/*.mo` names them. Format
directives and mnemonic marks are dropped; lines of 2-200 characters are kept,
each once, sorted. Standard library only (run it with /usr/bin/python3).
"""
import gettext
import glob
import os
import re
import sys

LANGUAGES = ("hi", "bn", "kn", "id")
DIRECTIVE = re.compile(r"%[-+ #0-9.*]*l*[sdiuxXfgc]|%\([a-z_]+\)[sd]|[_&]")


def lines_of(text):
    for part in re.split(r"[\r\n]+", text):
        part = " ".join(DIRECTIVE.sub("", part).split())
        if 2 <= len(part) <= 200:
            yield part


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    english = set()
    for lang in LANGUAGES:
        translated = set()
        for path in sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo")):
            try:
                with open(path, "rb") as f:
                    catalog = gettext.GNUTranslations(f)._catalog
            except (OSError, ValueError, UnicodeDecodeError):
                continue  # a catalogue in another encoding, or unreadable
            for original, message in catalog.items():
                if isinstance(original, tuple):  # a plural form
                    original = original[0]
                if original and isinstance(message, str):
                    translated.update(lines_of(message))
                    english.update(lines_of(original))
        with open(os.path.join(out_dir, f"{lang}.txt"), "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in sorted(translated))
        print(f"{lang}: {len(translated)} lines")
    with open(os.path.join(out_dir, "en.txt"), "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in sorted(english))
    print(f"en: {len(english)} lines")


if __name__ == "__main__":
    main()
