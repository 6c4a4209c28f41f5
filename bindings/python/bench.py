#!/usr/bin/env python3
"""Throughput of the Python binding against the C++ batch call it wraps.

    PYTHONPATH=build/release/python python3 bindings/python/bench.py [--entries 10000]

Checks every query of ../shared/data/queries (tests/data/queries when that
is absent) with:
  cpp_batch    Filter::check_batch over all queries in one call, timed in C++
  cpp_batch4k  the same in calls of 4096 queries, as check_many makes them
  check_many   deter.Filter.check_many(queries)
  check_loop   [f.check(q) for q in queries]
and prints queries/s and the ratio of each to cpp_batch. All three run on
the same Filter and the same queries, in one process: the methods take turns
--repeat times and each keeps its best time.
Each method's prompt count must equal check()'s, or the run fails.
"""

import argparse
import pathlib
import random
import sys
import time

# This script sits beside the package's sources, which lack the compiled
# extension: import the built package from PYTHONPATH instead.
HERE = pathlib.Path(__file__).resolve().parent
sys.path = [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

import deter  # noqa: E402

ROOT = HERE.parents[1]
LANGS = ("en", "hi", "bn", "id")


def data_dir():
    shared = ROOT.parent / "shared" / "data"
    return shared if shared.is_dir() else ROOT / "tests" / "data"


def read_lines(path):
    if not path.exists():
        return []
    return [l for l in path.read_text(encoding="utf-8").splitlines() if l]


def load_queries():
    queries = []
    for lang in LANGS:
        queries += read_lines(data_dir() / "queries" / f"{lang}.txt")
    random.Random(42).shuffle(queries)  # interleave the languages
    return queries


def generated_list(n):
    """n two-word phrases (a tenth of them prefixes) of real words from the
    phrase and query files, like the C++ benchmark's generated lists."""
    words, seen = [], set()
    for kind in ("phrases", "queries"):
        for lang in ("en", "hi", "bn", "kn", "id"):
            for line in read_lines(data_dir() / kind / f"{lang}.txt"):
                for w in line.lower().split():
                    w = w.strip(".,;:!?\"'()[]{}")
                    if len(w.encode()) >= 4 and w.isalnum() and w not in seen:
                        seen.add(w)
                        words.append(w)
    rng = random.Random(7)
    entries = set()
    lines = ["! deter-list 1", "! name: generated", "! category: generated"]
    while len(entries) < n:
        e = f"{rng.choice(words)} {rng.choice(words)}"
        if len(entries) % 10 == 9:
            e += "*"
        if e not in entries:
            entries.add(e)
            lines.append(e)
    return "\n".join(lines) + "\n"


def best_of(repeat, fn):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lists", default=str(ROOT / "lists" / "demo"),
                    help="list directory (default: lists/demo)")
    ap.add_argument("--entries", type=int, default=0,
                    help="use a generated list of this many entries instead of --lists")
    ap.add_argument("--repeat", type=int, default=5, help="runs per method; the best counts")
    args = ap.parse_args(argv[1:])

    queries = load_queries()
    if args.entries:
        f = deter.Filter.from_sources({"generated.list": generated_list(args.entries)})
        what = f"generated {args.entries}"
    else:
        f = deter.Filter(args.lists)
        what = args.lists.replace(str(ROOT) + "/", "")
    expected = sum(f.check(q).action != deter.Action.ALLOW for q in queries)

    def count(decisions):
        return sum(d.action != deter.Action.ALLOW for d in decisions)

    # The methods take turns in each repetition, so a busy moment on a shared
    # machine slows all of them rather than one; each keeps its best time.
    cpp = cpp4k = many = loop = float("inf")
    many_out = loop_out = None
    for _ in range(args.repeat):
        cpp = min(cpp, f._filter.time_check_batch(queries, 1))
        cpp4k = min(cpp4k, f._filter.time_check_batch(queries, 1, 4096))
        seconds, many_out = best_of(1, lambda: f.check_many(queries))
        many = min(many, seconds)
        seconds, loop_out = best_of(1, lambda: [f.check(q) for q in queries])
        loop = min(loop, seconds)
    for name, out in (("check_many", many_out), ("check_loop", loop_out)):
        if count(out) != expected:
            print(f"{name}: {count(out)} prompted, check() says {expected}", file=sys.stderr)
            return 1

    n = len(queries)
    print(f"deter {deter.__version__}, lists: {what} ({f.entry_count} entries), "
          f"{n} queries ({expected} prompted), best of {args.repeat}")
    print(f"{'method':<12} {'queries/s':>12} {'ns/query':>10} {'vs cpp_batch':>13}")
    for name, seconds in (("cpp_batch", cpp), ("cpp_batch4k", cpp4k), ("check_many", many),
                          ("check_loop", loop)):
        print(f"{name:<12} {n / seconds:>12,.0f} {seconds / n * 1e9:>10.0f} "
              f"{seconds / cpp:>12.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
