#!/usr/bin/env python3
"""Near misses from the dictionaries: every entry with one word changed into each
dictionary word of that word's script, checked, and what still matches.

A phrase entry's own words with one of them swapped for another real word is
the nearest benign text there is ("চাঁদা চোর", *donation thief*, beside the
demo's "চাঁদ চোর", *moon thief*). What matches is either the entry's own
letters (a prefix entry's word with an ending: its base view), or a view that
read two distinct words alike (a phonetic key merging o and a, or a flap and
r): each such line is a false prompt in waiting. A substring or prefix entry
matches its own letters before or after any word: those rows are what the
entry says.

    scripts/near-misses.py --lists lists/demo [--deter build/release/deter] [--show 12]

The words come from scripts/dictionary-words.sh (Debian's hunspell and aspell
lists, as the fuzzy view's benign-word guard uses them); each entry's plain
form from `deter probe --format jsonl`. Prints how many queries each entry
still matched, by the chain of folds that matched it, with examples.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def script_of(text):
    """The first letter's script: deva, beng, knda or latn (None: no letter)."""
    for ch in text:
        o = ord(ch)
        if 0x0900 <= o < 0x0980:
            return "deva"
        if 0x0980 <= o < 0x0A00:
            return "beng"
        if 0x0C80 <= o < 0x0D00:
            return "knda"
        if ch.isascii() and ch.isalpha():
            return "latn"
    return None


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lists", required=True, help="list directory or compiled database")
    ap.add_argument("--deter", default=os.path.join(ROOT, "build/release/deter"))
    ap.add_argument("--show", type=int, default=12, help="examples per row")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        words_file = os.path.join(tmp, "words.txt")
        run(["bash", os.path.join(ROOT, "scripts/dictionary-words.sh"), words_file])
        by_script = collections.defaultdict(list)
        with open(words_file, encoding="utf-8") as f:
            for line in f:
                w = line.strip()
                if w and " " not in w:
                    by_script[script_of(w)].append(w)

        probe = run([args.deter, "probe", "--lists", args.lists, "--format", "jsonl",
                     "--no-benign", "--families", "case"], stdout=subprocess.PIPE).stdout
        entries = []
        for line in probe.splitlines():
            record = json.loads(line)
            if "entry" in record and "query" in record:
                entries.append((record["entry"], record["query"]))

        queries_file = os.path.join(tmp, "queries.txt")
        source = []  # the entry each query was made from
        with open(queries_file, "w", encoding="utf-8") as out:
            for entry, query in entries:
                words = query.split()
                if len(words) < 2:
                    continue
                for i, word in enumerate(words):
                    sc = script_of(word)
                    for w in by_script.get(sc, []):
                        if w == word:
                            continue
                        out.write(" ".join(words[:i] + [w] + words[i + 1:]) + "\n")
                        source.append(entry)
        decisions = run([args.deter, "check", "--lists", args.lists, "--format", "jsonl",
                         "-f", queries_file], stdout=subprocess.PIPE).stdout.splitlines()

    if len(decisions) != len(source):
        sys.exit(f"near-misses: {len(source)} queries, {len(decisions)} decisions")
    rows = collections.Counter()
    examples = collections.defaultdict(list)
    for entry, line in zip(source, decisions):
        d = json.loads(line)
        if d["action"] == "allow":
            continue
        m = next((m for m in d["matches"] if m["entry"] == entry), d["matches"][0])
        key = (m["entry"], m["view"], "+".join(m.get("folds", [])) or m["view"])
        rows[key] += 1
        if len(examples[key]) < args.show:
            examples[key].append(d["query"])
    print(f"near-misses: {len(source)} queries from {len(entries)} entries, "
          f"{sum(rows.values())} not allowed")
    for (entry, view, folds), n in sorted(rows.items(), key=lambda kv: -kv[1]):
        print(f"  {entry:18} {folds:24} {n:6}  " + " | ".join(examples[(entry, view, folds)]))


if __name__ == "__main__":
    main()
