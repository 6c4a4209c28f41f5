"""deter.logs on a local Dask cluster against `deter bench -j N` on the same
log: queries per second end to end, and what each partition costs.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/logs_cluster.py \
        --deter build/release/deter --lists lists/demo --repeat 100 QUERY_FILES...

Writes a log of the query files repeated `--repeat` times (one query per line,
as a TSV with counts), runs `deter bench -j WORKERS --format json` on it, then
deter.logs.bench on a LocalCluster of WORKERS single-threaded processes for
each block size, and prints a Markdown table. Each run checks its own answer:
the cluster must count the same queries and searches as the tool.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

from distributed import Client, LocalCluster

import deter.logs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deter", required=True)
    ap.add_argument("--lists", required=True)
    ap.add_argument("--repeat", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--blocksizes", default="67108864,8388608,1048576,262144")
    ap.add_argument("--tiny", type=int, default=400, help="one-line files for the fixed cost")
    ap.add_argument("queries", nargs="+")
    args = ap.parse_args()

    lines = []
    for path in args.queries:
        with open(path, encoding="utf-8") as f:
            lines += [line.rstrip("\n") for line in f if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "log.tsv")
        with open(log, "w", encoding="utf-8") as f:
            for r in range(args.repeat):
                f.writelines(f"{q}\t{1 + (i + r) % 5}\n" for i, q in enumerate(lines))
        size = os.path.getsize(log)
        cli = json.loads(subprocess.run(
            [args.deter, "bench", "--lists", args.lists, "-j", str(args.workers), "--format",
             "json", log], capture_output=True, check=True).stdout)
        print(f"log: {cli['queries']:,} queries, {size / 1e6:.0f} MB; lists: {args.lists}; "
              f"{args.workers} workers\n")
        print("| run | partitions | queries/s end to end | queries/s in check | "
              "overhead per partition |")
        print("|---|---:|---:|---:|---:|")
        print(f"| `deter bench -j {args.workers}` (log in memory, check only) | - | "
              f"{cli['queries_per_second']:,.0f} | {cli['queries_per_second']:,.0f} | - |")
        client = Client(LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                     processes=True, dashboard_address=None))
        try:
            for bs in (int(b) for b in args.blocksizes.split(",")):
                b = deter.logs.bench(log, args.lists, client=client, blocksize=bs)
                assert b["queries"] == cli["queries"], (b, cli["queries"])
                assert b["searches"] == cli["searches"], (b, cli["searches"])
                print(f"| deter.logs.bench, blocksize {bs / 2**20:g} MiB | {b['partitions']} | "
                      f"{b['queries_per_second']:,.0f} | "
                      f"{b['check_queries_per_second'] * b['worker_threads']:,.0f} | "
                      f"{b['overhead_per_partition_seconds'] * 1e3:.1f} ms |")
            # The fixed cost of a partition: many files of one line each.
            tiny = os.path.join(tmp, "tiny")
            os.mkdir(tiny)
            for i in range(args.tiny):
                with open(os.path.join(tiny, f"{i:05}.tsv"), "w", encoding="utf-8") as f:
                    f.write(f"{lines[i % len(lines)]}\t1\n")
            b = deter.logs.bench(os.path.join(tiny, "*.tsv"), args.lists, client=client)
            assert b["queries"] == args.tiny, b
            print(f"| deter.logs.bench, {args.tiny} files of one line | {b['partitions']} | "
                  f"{b['queries_per_second']:,.0f} | - | "
                  f"{b['seconds'] * b['worker_threads'] / b['partitions'] * 1e3:.1f} ms "
                  f"(all of it) |")
        finally:
            cluster = client.cluster
            client.close()
            cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
