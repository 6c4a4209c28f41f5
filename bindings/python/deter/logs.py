"""deter.logs: `deter stats`, `deter impact` and `deter bench` over query logs
too large for one machine, on a Dask cluster.

    import deter.logs
    from distributed import Client

    client = Client("tcp://scheduler:8786")           # or none: a local cluster
    report = deter.logs.stats("logs/*.tsv.gz", "lists.deterdb", client=client)
    changes = deter.logs.impact("logs/*.tsv.gz", "v1.deterdb", "v2.deterdb", client=client)
    speed = deter.logs.bench("logs/*.tsv.gz", "lists.deterdb", client=client)

or from a shell:

    python3 -m deter.logs stats --scheduler tcp://scheduler:8786 --lists lists.deterdb 'logs/*.tsv.gz'

Logs are read as the command-line tool reads them: one query per line, or
`query<TAB>count`, gzip-compressed or not (by content, whatever the name);
with `field=` each line is a JSON object and the query is that field (and
`count_field=` the count, 1 when absent). A Dask bag holds one element per
partition of the logs: a gzip file, or a block of `blocksize` bytes of a plain
file (cut at line ends). Each worker process opens a list database once and
keeps it, keyed by a SHA-256 of its content, which must equal the client's.

The answers are the command line's: stats() returns what
`deter stats --format json` prints and impact() the lines of
`deter impact --format jsonl`, field for field. Parts of the log are counted
in C++ (with the GIL released) into plain dicts of counts, summed
associatively, and the sum goes through the tool's own writers, so small
counts are suppressed once, on the whole log.

Privacy: what a worker sends back is counts keyed by names from the list
set. No query text leaves a worker, except impact's examples, and only when
asked for (examples=0 by default).
"""

from __future__ import annotations

import argparse
import glob
import gzip
import hashlib
import json
import os
import socket
import sys
import threading
import time
import zlib
from typing import Any, Iterable, List, Optional, Sequence, Tuple, Union

from . import DeterError, Filter, _deter

__all__ = ["LogReadError", "ListsUnavailableError", "bench", "impact", "stats", "main"]

#: Bytes of a plain log per partition; a gzip file is always one partition.
DEFAULT_BLOCKSIZE = 32 << 20
#: `deter stats --min-count`'s default.
DEFAULT_MIN_COUNT = 10
# Distinct queries kept per impact group as example candidates, as the tool does.
_SAMPLE_CAP = 2000

Paths = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]]


class LogReadError(Exception):
    """A log file could not be read; the message names the file."""


class ListsUnavailableError(Exception):
    """A worker could not open (or found a different) list database."""


# A partition: (path, first byte, end byte or -1 for a whole gzip file).
Partition = Tuple[str, int, int]


def _expand(paths: Paths) -> List[str]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: List[str] = []
    for p in paths:
        p = os.fspath(p)
        matched = sorted(glob.glob(p)) if glob.has_magic(p) else [p]
        if not matched:
            raise LogReadError(f"{p}: no file matches")
        files.extend(matched)
    if not files:
        raise LogReadError("no log files given")
    return files


def _partitions(files: Sequence[str], blocksize: int) -> List[Partition]:
    parts: List[Partition] = []
    for path in files:
        try:
            with open(path, "rb") as f:
                gzipped = f.read(2) == b"\x1f\x8b"
            size = os.path.getsize(path)
        except OSError as e:
            raise LogReadError(f"{path}: {e.strerror or e}") from None
        if gzipped:
            parts.append((path, 0, -1))
            continue
        start = 0
        while True:
            end = min(start + blocksize, size)
            parts.append((path, start, end))
            if end >= size:
                break
            start = end
    return parts


def _read_lines(part: Partition) -> List[bytes]:
    """The lines whose first byte lies in the partition."""
    path, start, end = part
    try:
        if end < 0:
            with gzip.open(path, "rb") as f:
                return f.read().split(b"\n")
        with open(path, "rb") as f:
            if start > 0:
                # The line that began before `start` belongs to the partition before.
                f.seek(start - 1)
                f.readline()
            begin = f.tell()
            data = f.read(max(end - begin, 0)) if begin < end else b""
            if data and not data.endswith(b"\n"):
                data += f.readline()
            return data.split(b"\n")
    except (OSError, EOFError, zlib.error) as e:
        raise LogReadError(f"{path}: {getattr(e, 'strerror', None) or e}") from None


_DIGITS = frozenset(b"0123456789")
_NUMERIC = _DIGITS | frozenset(b"-+.,eE")


def _parse(part: Partition, field: Optional[str],
           count_field: Optional[str]) -> Tuple[List[bytes], List[int]]:
    queries: List[bytes] = []
    counts: List[int] = []
    for line in _read_lines(part):
        if line.endswith(b"\r"):
            line = line[:-1]
        if field is not None:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                query = record[field]
                count = record.get(count_field, 1) if count_field else 1
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                raise LogReadError(f"{part[0]}: a line is not a JSON object with a string "
                                   f"'{field}': {e}") from None
            if not isinstance(query, str) or not isinstance(count, int) or count < 0:
                raise LogReadError(f"{part[0]}: '{field}' must be a string and "
                                   f"'{count_field}' a count")
            line, count = query.encode("utf-8", "surrogatepass"), count
        else:
            # The tool's rule (parse_line in cli/querylog.cc): split at the
            # last TAB when all that follows is a decimal number of at most
            # 19 digits; a number of any other form there is an error.
            count = 1
            tab = line.rfind(b"\t")
            if 0 <= tab and tab + 1 < len(line):
                tail = line[tab + 1:]
                if tail.isdigit() and len(tail) <= 19:
                    count = int(tail)
                    line = line[:tab]
                elif (any(c in _DIGITS for c in tail)
                      and all(c in _NUMERIC for c in tail)):
                    raise LogReadError(
                        f"{part[0]}: the count after the last TAB of a line is not a whole "
                        f"number of searches (0 to 9999999999999999999): {tail[:40]!r}")
        if not line:
            continue
        queries.append(line)
        counts.append(count)
    return queries, counts


# --- list databases, opened once per worker process -------------------------

_filters: dict = {}
_filters_lock = threading.Lock()


def _digest(path: str) -> str:
    """SHA-256 of a compiled database, or of every file of a list directory."""
    h = hashlib.sha256()
    if os.path.isdir(path):
        for root, dirs, names in os.walk(path):
            dirs.sort()
            for name in sorted(names):
                full = os.path.join(root, name)
                h.update(os.path.relpath(full, path).encode("utf-8", "surrogateescape") + b"\0")
                with open(full, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
    else:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def _lists_spec(path: Union[str, os.PathLike]) -> Tuple[str, str]:
    path = os.path.abspath(os.fspath(path))
    try:
        Filter(path)  # a clear error on the client before any worker starts
        return path, _digest(path)
    except OSError as e:
        raise ListsUnavailableError(f"{path}: {e.strerror or e}") from None


def _worker_filter(spec: Tuple[str, str]):
    """The worker process's Filter for this database, opened on first use."""
    path, digest = spec
    with _filters_lock:
        filt = _filters.get(digest)
        if filt is not None:
            return filt
        where = socket.gethostname()
        try:
            if _digest(path) != digest:
                raise ListsUnavailableError(
                    f"{where}: the list database {path} differs from the client's; ship the "
                    f"same file to every worker")
            filt = Filter(path)._filter
        except (OSError, DeterError) as e:
            raise ListsUnavailableError(
                f"{where}: cannot open the list database {path}: {e}") from None
        _filters[digest] = filt
        return filt


# --- counting and summing ---------------------------------------------------

def _merge(a: Any, b: Any) -> Any:
    """The sum of two partial counts: dicts by key, lists by position,
    numbers added, names (str) kept. Associative, so Dask may sum in any tree."""
    if isinstance(a, dict):
        out = dict(a)
        for k, v in b.items():
            out[k] = _merge(out[k], v) if k in out else v
        if "examples" in out and len(out["examples"]) > _SAMPLE_CAP:
            kept = sorted(out["examples"].items(), key=lambda kv: (-kv[1][0], kv[0]))
            out["examples"] = dict(kept[:_SAMPLE_CAP])
        return out
    if isinstance(a, list):
        return [_merge(x, y) for x, y in zip(a, b)]
    if isinstance(a, str):
        return a
    return a + b


def _delay() -> None:
    # Lets the tests slow each partition down so a worker can be killed mid-run.
    seconds = os.environ.get("DETER_LOGS_PARTITION_DELAY")
    if seconds:
        time.sleep(float(seconds))


def _count(kind: str, part: Partition, lists, base, field, count_field, examples) -> dict:
    _delay()
    start = time.perf_counter()
    queries, counts = _parse(part, field, count_field)
    read = time.perf_counter() - start
    if kind == "stats":
        return _deter._stats_part(_worker_filter(lists), queries, counts)
    if kind == "impact":
        return _deter._impact_part(_worker_filter(base), _worker_filter(lists), queries, counts,
                                   examples > 0)
    filt = _worker_filter(lists)
    start = time.perf_counter()
    _deter._stats_part(filt, queries, counts)
    return {"queries": len(queries), "searches": sum(counts), "partitions": 1,
            "read_seconds": read, "check_seconds": time.perf_counter() - start}


def _run(kind: str, paths: Paths, lists, base, *, client, field, count_field, examples,
         blocksize: int, progress: bool):
    import dask.bag as db
    from distributed import Client, LocalCluster

    parts = _partitions(_expand(paths), blocksize)
    lists_spec = _lists_spec(lists)
    base_spec = _lists_spec(base) if base is not None else None
    bag = db.from_sequence(parts, npartitions=len(parts))

    def per_partition(elements: Iterable[Partition]) -> Optional[dict]:
        total = None
        for p in elements:
            c = _count(kind, p, lists_spec, base_spec, field, count_field, examples)
            total = c if total is None else _merge(total, c)
        return total

    def combine(partials: Iterable[Optional[dict]]) -> Optional[dict]:
        total = None
        for c in partials:
            if c is not None:
                total = c if total is None else _merge(total, c)
        return total

    summed = bag.reduction(per_partition, combine, split_every=16)
    own = None
    if client is None:
        own = Client(LocalCluster(n_workers=min(os.cpu_count() or 1, 4), threads_per_worker=1,
                                  processes=True, dashboard_address=None))
        client = own
    try:
        started = time.perf_counter()
        future = client.compute(summed)
        if progress:
            from distributed import progress as show_progress
            show_progress(future)
        total = future.result()
        wall = time.perf_counter() - started
        threads = sum(client.nthreads().values())
    finally:
        if own is not None:
            cluster = own.cluster
            own.close()
            cluster.close()
    return total, wall, threads, len(parts)


def stats(paths: Paths, lists, *, client=None, min_count: int = DEFAULT_MIN_COUNT,
          field: Optional[str] = None, count_field: Optional[str] = None,
          blocksize: int = DEFAULT_BLOCKSIZE, progress: bool = False) -> dict:
    """`deter stats --format json --min-count N` over the logs: counts by
    action, category, language, script and message locale, small counts
    suppressed after summing the whole log."""
    total, _, _, _ = _run("stats", paths, lists, None, client=client, field=field,
                          count_field=count_field, examples=0, blocksize=blocksize,
                          progress=progress)
    return json.loads(_deter._stats_json(total, min_count))


def impact(paths: Paths, base, lists, *, client=None, examples: int = 0,
           field: Optional[str] = None, count_field: Optional[str] = None,
           blocksize: int = DEFAULT_BLOCKSIZE, progress: bool = False) -> List[dict]:
    """`deter impact --format jsonl --examples N` over the logs: one dict per
    entry whose change moves queries, then the summary. With examples > 0
    (opt-in) workers send back the queries each group may show."""
    total, _, _, _ = _run("impact", paths, lists, base, client=client, field=field,
                          count_field=count_field, examples=examples, blocksize=blocksize,
                          progress=progress)
    return [json.loads(line) for line in _deter._impact_jsonl(total, examples).splitlines()]


def bench(paths: Paths, lists, *, client=None, field: Optional[str] = None,
          count_field: Optional[str] = None, blocksize: int = DEFAULT_BLOCKSIZE,
          progress: bool = False) -> dict:
    """Queries per second of the whole run on the cluster (reading, checking,
    counting, scheduling), with the time workers spent reading and checking
    and the cluster's overhead per partition (thread-seconds not spent in
    either, over the partitions: scheduling, moving results, opening the
    list database once per process)."""
    total, wall, threads, partitions = _run("bench", paths, lists, None, client=client,
                                            field=field, count_field=count_field, examples=0,
                                            blocksize=blocksize, progress=progress)
    busy = total["read_seconds"] + total["check_seconds"]
    return {
        "queries": total["queries"],
        "searches": total["searches"],
        "partitions": partitions,
        "worker_threads": threads,
        "seconds": wall,
        "queries_per_second": total["queries"] / wall if wall > 0 else 0.0,
        "read_seconds": total["read_seconds"],
        "check_seconds": total["check_seconds"],
        "check_queries_per_second":
            total["queries"] / total["check_seconds"] if total["check_seconds"] > 0 else 0.0,
        # Thread-seconds the run took beyond reading and checking, counting
        # only the threads there was a partition for.
        "overhead_per_partition_seconds":
            max(wall * min(threads, partitions) - busy, 0.0) / partitions,
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m deter.logs", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    commands = {
        "stats": "transparency-report counts (deter stats --format json)",
        "impact": "what a list change does to the logs (deter impact --format jsonl)",
        "bench": "queries per second on the cluster",
    }
    for name, help_text in commands.items():
        p = sub.add_parser(name, help=help_text)
        p.add_argument("logs", nargs="+", help="log files or glob patterns (quote them)")
        p.add_argument("--scheduler", help="address of a running Dask scheduler; "
                       "without it a local cluster is started")
        p.add_argument("--lists", required=True, help="list database (compiled file or directory)")
        if name == "impact":
            p.add_argument("--base", required=True, help="the current list database")
            p.add_argument("--examples", type=int, default=0,
                           help="example queries per entry (sent back by the workers; default 0)")
        if name == "stats":
            p.add_argument("--min-count", type=int, default=DEFAULT_MIN_COUNT,
                           help="suppress counts below this (default %(default)s)")
        p.add_argument("--field", help="each line is JSON; the query is this field")
        p.add_argument("--count-field", help="with --field: the field holding the count")
        p.add_argument("--blocksize", type=int, default=DEFAULT_BLOCKSIZE,
                       help="bytes of a plain log per partition (default %(default)s)")
    args = parser.parse_args(argv)
    client = None
    if args.scheduler:
        from distributed import Client
        client = Client(args.scheduler)
    common = dict(client=client, field=args.field, count_field=args.count_field,
                  blocksize=args.blocksize, progress=sys.stdout.isatty())
    try:
        if args.command == "stats":
            out = [stats(args.logs, args.lists, min_count=args.min_count, **common)]
        elif args.command == "impact":
            out = impact(args.logs, args.base, args.lists, examples=args.examples, **common)
        else:
            out = [bench(args.logs, args.lists, **common)]
    except (LogReadError, ListsUnavailableError, DeterError) as e:
        print(f"deter.logs: {e}", file=sys.stderr)
        return 2
    finally:
        if client is not None:
            client.close()
    if sys.stdout.isatty():
        print()
    for obj in out:
        print(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    # Run the imported module, not this __main__ copy: the functions sent to
    # workers must be importable there as deter.logs.*.
    from deter.logs import main as _main

    sys.exit(_main())
