"""deter.logs on a LocalCluster of two worker processes: the answers equal the
command-line tool's, field for field, whatever the partitioning, with a
worker killed mid-run, and errors name the file or the database.

Run by ctest as python.logs_cluster (label "cluster"), with DETER_CLI set to
the deter binary and DETER_SOURCE_DIR to the source tree.
"""

import gzip
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from unittest import mock

from distributed import Client, LocalCluster

import deter.logs

SOURCE = os.environ.get("DETER_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../../.."))
CLI = os.environ["DETER_CLI"]
DEMO = os.path.join(SOURCE, "lists/demo")
IMPACT_BASE = os.path.join(SOURCE, "tests/lists/impact/base")
IMPACT_NEW = os.path.join(SOURCE, "tests/lists/impact/new")


def cli_json(*args, stdin=None):
    out = subprocess.run([CLI, *args], input=stdin, capture_output=True, check=True).stdout
    return [json.loads(line) for line in out.decode().splitlines()]


def new_cluster():
    return Client(LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None))


class Logs:
    """A log of the sample and English queries with counts, written three
    ways: plain TSV, gzip TSV, and JSON lines; `whole` is all of it."""

    def __init__(self, directory):
        lines = []
        for name in ("tests/data/sample-queries.txt", "tests/data/queries/en.txt"):
            with open(os.path.join(SOURCE, name), encoding="utf-8") as f:
                lines += [line.rstrip("\n") for line in f if line.strip()]
        rows = [(q, (i * 7) % 23) for i, q in enumerate(lines)]  # counts 0..22
        third = len(rows) // 3
        self.tsv = os.path.join(directory, "part-1.tsv")
        self.gz = os.path.join(directory, "part-2.tsv.gz")
        self.jsonl = os.path.join(directory, "part-3.jsonl")
        with open(self.tsv, "w", encoding="utf-8") as f:
            f.writelines(f"{q}\t{n}\n" for q, n in rows[:third])
            f.write("a query with no count\n\r\n")
        with gzip.open(self.gz, "wt", encoding="utf-8") as f:
            f.writelines(f"{q}\t{n}\n" for q, n in rows[third:2 * third])
        with open(self.jsonl, "w", encoding="utf-8") as f:
            f.writelines(json.dumps({"q": q, "n": n}) + "\n" for q, n in rows[2 * third:])
        self.whole = os.path.join(directory, "whole.tsv")
        with open(self.whole, "w", encoding="utf-8") as f:
            f.writelines(f"{q}\t{n}\n" for q, n in rows)
            f.write("a query with no count\n")
        self.tsv_rows = rows[:2 * third]
        self.jsonl_as_tsv = os.path.join(directory, "part-3.tsv")
        with open(self.jsonl_as_tsv, "w", encoding="utf-8") as f:
            f.writelines(f"{q}\t{n}\n" for q, n in rows[2 * third:])


class ClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.logs = Logs(cls.tmp.name)
        cls.client = new_cluster()

    @classmethod
    def tearDownClass(cls):
        cluster = cls.client.cluster
        cls.client.close()
        cluster.close()
        cls.tmp.cleanup()

    def test_stats_equal_the_cli(self):
        for min_count in (10, 1, 100):
            with self.subTest(min_count=min_count):
                head = os.path.join(self.tmp.name, "head.tsv")
                with open(self.logs.tsv, "rb") as a, gzip.open(self.logs.gz, "rb") as b, \
                        open(head, "wb") as out:
                    out.write(a.read() + b.read())
                want = cli_json("stats", "--lists", DEMO, "--format", "json",
                                "--min-count", str(min_count), head)[0]
                got = deter.logs.stats([self.logs.tsv, self.logs.gz], DEMO, client=self.client,
                                       blocksize=512, min_count=min_count)
                self.assertEqual(got, want)
                if min_count == 100:
                    self.assertGreater(got["suppression"]["suppressed_cells"], 0)

    def test_a_compiled_database(self):
        db = os.path.join(self.tmp.name, "demo.deterdb")
        subprocess.run([CLI, "compile", "--lists", DEMO, "-o", db], check=True,
                       capture_output=True)
        want = cli_json("stats", "--lists", db, "--format", "json", self.logs.whole)[0]
        got = deter.logs.stats([self.logs.tsv, self.logs.gz, self.logs.jsonl_as_tsv], db,
                               client=self.client, blocksize=1000)
        self.assertEqual(got, want)

    def test_json_lines_with_a_named_field(self):
        for min_count in (10, 1):
            want = cli_json("stats", "--lists", DEMO, "--format", "json", "--min-count",
                            str(min_count), self.logs.jsonl_as_tsv)[0]
            got = deter.logs.stats(self.logs.jsonl, DEMO, client=self.client, field="q",
                                   count_field="n", blocksize=700, min_count=min_count)
            self.assertEqual(got, want)

    def test_glob_and_partitions_do_not_change_the_answer(self):
        pattern = os.path.join(self.tmp.name, "part-[12].tsv*")
        answers = [deter.logs.stats(pattern, DEMO, client=self.client, blocksize=b)
                   for b in (64, 4096, 1 << 20)]
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(answers[1], answers[2])

    def test_impact_equals_the_cli(self):
        log = os.path.join(SOURCE, "tests/data/queries/en.txt")
        for examples in (0, 3):
            with self.subTest(examples=examples):
                want = cli_json("impact", "--base", IMPACT_BASE, "--lists", IMPACT_NEW,
                                "--format", "jsonl", "--examples", str(examples), log)
                got = deter.logs.impact(log, IMPACT_BASE, IMPACT_NEW, client=self.client,
                                        examples=examples, blocksize=2000)
                self.assertEqual(got, want)
                self.assertGreater(want[-1]["newly_prompted"]["queries"], 0)

    def test_no_query_text_comes_back_without_examples(self):
        captured = []
        real = deter.logs._merge

        def spy(a, b):
            captured.append(repr(a) + repr(b))
            return real(a, b)

        log = os.path.join(SOURCE, "tests/data/queries/en.txt")
        with mock.patch("deter.logs._merge", spy):
            deter.logs.impact(log, IMPACT_BASE, IMPACT_NEW, client=self.client, blocksize=2000)
        # The driver's combine step sees every part the workers sent.
        with open(log, encoding="utf-8") as f:
            queries = [q.strip() for q in f if len(q.strip()) > 8]
        sent = "".join(captured)
        self.assertFalse([q for q in queries if q in sent])

    def test_bench(self):
        b = deter.logs.bench([self.logs.tsv, self.logs.gz], DEMO, client=self.client,
                             blocksize=512)
        rows = self.logs.tsv_rows
        self.assertEqual(b["queries"], len(rows) + 1)
        self.assertEqual(b["searches"], sum(n for _, n in rows) + 1)
        self.assertGreater(b["partitions"], 4)
        self.assertGreater(b["queries_per_second"], 0)

    def test_unreadable_partition_names_the_file(self):
        broken = os.path.join(self.tmp.name, "broken.tsv.gz")
        with open(broken, "wb") as f:
            f.write(b"\x1f\x8b\x08\x00" + b"not really gzip" * 10)
        with self.assertRaises(deter.logs.LogReadError) as e:
            deter.logs.stats([self.logs.tsv, broken], DEMO, client=self.client)
        self.assertIn(broken, str(e.exception))
        missing = os.path.join(self.tmp.name, "missing.tsv")
        with self.assertRaises(deter.logs.LogReadError) as e:
            deter.logs.stats(missing, DEMO, client=self.client)
        self.assertIn(missing, str(e.exception))
        # A count the tool refuses (cli/querylog.cc) is refused here too.
        bad = os.path.join(self.tmp.name, "bad-count.tsv")
        with open(bad, "wb") as f:
            f.write("plain words\t3\nneighbourhood bakery\t-5\n".encode())
        with self.assertRaises(deter.logs.LogReadError) as e:
            deter.logs.stats(bad, DEMO, client=self.client)
        self.assertIn(bad, str(e.exception))
        self.assertIn("whole number", str(e.exception))

    def test_a_database_the_workers_cannot_open(self):
        # The client's copy is fine; the path the workers are told does not
        # hold it (a database not shipped to them).
        absent = os.path.join(self.tmp.name, "not-shipped.deterdb")
        with mock.patch("deter.logs._lists_spec", return_value=(absent, "0" * 64)):
            with self.assertRaises(deter.logs.ListsUnavailableError) as e:
                deter.logs.stats(self.logs.tsv, DEMO, client=self.client)
        self.assertIn("cannot open the list database " + absent, str(e.exception))
        # A different database under the same path.
        with mock.patch("deter.logs._lists_spec", return_value=(DEMO, "0" * 64)):
            with self.assertRaises(deter.logs.ListsUnavailableError) as e:
                deter.logs.stats(self.logs.tsv, DEMO, client=self.client)
        self.assertIn("differs from the client's", str(e.exception))

    def test_command_line(self):
        env = dict(os.environ)
        out = subprocess.run(
            [sys.executable, "-m", "deter.logs", "stats", "--scheduler", self.client.scheduler.address,
             "--lists", DEMO, "--blocksize", "512", os.path.join(self.tmp.name, "part-[12].tsv*")],
            capture_output=True, check=True, env=env).stdout
        want = deter.logs.stats([self.logs.tsv, self.logs.gz], DEMO, client=self.client)
        self.assertEqual(json.loads(out), want)
        bad = subprocess.run(
            [sys.executable, "-m", "deter.logs", "stats", "--scheduler", self.client.scheduler.address,
             "--lists", DEMO, os.path.join(self.tmp.name, "nothing-*.tsv")],
            capture_output=True, env=env)
        self.assertEqual(bad.returncode, 2)
        self.assertIn(b"nothing-*.tsv: no file matches", bad.stderr)


class WorkerKilledTest(unittest.TestCase):
    def test_a_worker_killed_mid_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            logs = Logs(tmp)
            os.environ["DETER_LOGS_PARTITION_DELAY"] = "0.1"
            try:
                client = new_cluster()
            finally:
                del os.environ["DETER_LOGS_PARTITION_DELAY"]
            try:
                result = {}

                def run():
                    result["stats"] = deter.logs.stats([logs.tsv, logs.gz], DEMO, client=client,
                                                       blocksize=256, min_count=1)

                thread = threading.Thread(target=run)
                thread.start()
                time.sleep(1.0)  # some partitions done, more running
                pids = client.run(os.getpid)
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)
                thread.join(60)
                self.assertFalse(thread.is_alive())
            finally:
                cluster = client.cluster
                client.close()
                cluster.close()
            head = os.path.join(tmp, "head.tsv")
            with open(logs.tsv, "rb") as a, gzip.open(logs.gz, "rb") as b, open(head, "wb") as out:
                out.write(a.read() + b.read())
            want = cli_json("stats", "--lists", DEMO, "--format", "json", "--min-count", "1",
                            head)[0]
            self.assertEqual(result["stats"], want)


if __name__ == "__main__":
    unittest.main()
