"""deter serve end to end: the endpoints, every refusal a 4xx with a JSON
error, reloads, and shutdown. Standard library only.

Usage: serve_test.py DETER SOURCE_DIR TEST   (TEST: one of TESTS below)
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import http.client

DETER, SOURCE, TEST = sys.argv[1], sys.argv[2], sys.argv[3]
DEMO_LISTS = os.path.join(SOURCE, "lists", "demo")


class Server:
    """A `deter serve` on a free loopback port, stopped at the end."""

    def __init__(self, *extra, lists=DEMO_LISTS):
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [DETER, "serve", "--lists", lists, "--listen", "127.0.0.1:0", *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.lines = []
        while True:
            line = self.proc.stderr.readline().decode()
            if not line:
                raise SystemExit("deter serve exited: " + "".join(self.lines))
            self.lines.append(line)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self.stderr = self.lines_so_far()
        self.proc.wait(timeout=20)

    def lines_so_far(self):
        # stderr is read once the server has exited (or here, at the end).
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rest = self.proc.stderr.read().decode()
        self.lines.append(rest)
        return "".join(self.lines)

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        conn.request(method, path, body=data, headers=headers or {})
        res = conn.getresponse()
        text = res.read()
        conn.close()
        return res.status, res.getheader("Content-Type"), text

    def post(self, path, body):
        status, ctype, text = self.request("POST", path, body)
        return status, json.loads(text) if ctype and "json" in ctype else text

    def raw(self, data, read_timeout=10):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=read_timeout)
        s.sendall(data)
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except (ConnectionResetError, socket.timeout):
            pass
        s.close()
        return out


def expect(cond, what):
    if not cond:
        raise SystemExit("FAILED: " + what)


def expect_error(status, body, want_status, want_code):
    expect(status == want_status, f"status {status}, wanted {want_status}: {body!r}")
    expect(isinstance(body, dict) and body.get("error", {}).get("code") == want_code,
           f"error code in {body!r}, wanted {want_code}")


def status_of(raw):
    m = re.match(rb"HTTP/1\.1 (\d+)", raw)
    return int(m.group(1)) if m else None


def json_body(raw):
    head, body = raw.split(b"\r\n\r\n", 1)
    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    expect(length and int(length.group(1)) == len(body),
           f"Content-Length {length and length.group(1)!r} for a body of {len(body)} bytes")
    return json.loads(body)


QUERIES = ["where is the forbidden orchard", "hidden lantern guild members list",
           "moon thief legend for kids", "वर्जित बगीचा कहाँ है", "চাঁদ চোর",
           "ಚಂದ್ರ ಕಳ್ಳ", "pencuri rembulan", "weather tomorrow", "",
           'the "forbidden orchard" \\ a/b', "lantern \U0001F319 tab\there"]


def test_check_matches_cli():
    # /v1/check answers byte for byte the object `deter check --format jsonl` writes.
    with Server() as s:
        for locale in ["", "hi", "bn"]:
            args = [DETER, "check", "--lists", DEMO_LISTS, "--format", "jsonl"]
            if locale:
                args += ["--locale", locale]
            cli = subprocess.run(args + QUERIES, capture_output=True, check=True).stdout
            want = cli.decode().splitlines()
            for q, line in zip(QUERIES, want):
                body = {"query": q, **({"locale": locale} if locale else {})}
                status, _, text = s.request("POST", "/v1/check", body)
                expect(status == 200, f"check {q!r}: {status}")
                expect(text.decode() == line, f"check {q!r}: {text!r} != {line!r}")
            status, batch = s.post("/v1/check:batch", {"queries": QUERIES, "locale": locale or None})
            expect(status == 200, "batch status")
            expect([json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in batch["results"]]
                   == want, "batch results differ from deter check")
            # The same batch as raw UTF-8 (json.dumps escapes every non-ASCII
            # character by default), read flat: the same answers, byte for byte.
            raw = json.dumps({"queries": QUERIES, **({"locale": locale} if locale else {})},
                             ensure_ascii=False).encode()
            status, _, text = s.request("POST", "/v1/check:batch", raw)
            expect(status == 200 and text.decode() == '{"results":[' + ",".join(want) + "]}",
                   "raw UTF-8 batch differs from deter check")


def test_bad_requests():
    with Server() as s:
        cases = [
            (b"{", 400, "malformed_json"),
            (b"", 400, "malformed_json"),
            (b"\xff\xfe", 400, "malformed_json"),
            (b'{"query": "a\xff"}', 400, "malformed_json"),  # invalid UTF-8
            (b"[1]", 400, "wrong_type"),
            (b'"forbidden orchard"', 400, "wrong_type"),
            (b"{}", 400, "missing_field"),
            (b'{"query": 5}', 400, "wrong_type"),
            (b'{"query": null}', 400, "wrong_type"),
            (b'{"query": ["a"]}', 400, "wrong_type"),
            (b'{"query": "a", "locale": 7}', 400, "wrong_type"),
            (b"[" * 5000 + b"]" * 5000, 400, "wrong_type"),
            (b"[" * 5000, 400, "malformed_json"),
            (b"[" * 1000000, 400, "malformed_json"),  # nesting as deep as the body allows
            (b'{"a":' * 100000 + b"1" + b"}" * 100000, 400, "missing_field"),
            (b'{"query": "a", "query": {"x": 1}}', 400, "wrong_type"),
        ]
        for body, want_status, code in cases:
            status, got = s.post("/v1/check", body)
            expect_error(status, got, want_status, code)
        for body, code in [(b'{"queries": "a"}', "wrong_type"), (b'{"queries": ["a", 1]}', "wrong_type"),
                           (b'{"query": "a"}', "missing_field")]:
            status, got = s.post("/v1/check:batch", body)
            expect_error(status, got, 400, code)
        status, got = s.post("/v1/nothing", {"query": "a"})
        expect_error(status, got, 404, "not_found")
        status, _, text = s.request("GET", "/v1/check")
        expect_error(status, json.loads(text), 405, "method_not_allowed")
        raw = s.raw(b"NOT HTTP AT ALL\r\n\r\n")
        expect(status_of(raw) == 400 and json_body(raw)["error"]["code"] == "bad_request",
               f"garbage request: {raw!r}")
        # The server is still there and right.
        status, got = s.post("/v1/check", {"query": "forbidden orchard"})
        expect(status == 200 and got["action"] == "prompt", "still answering")


def test_bounds():
    with Server("--max-body-bytes", "4096", "--max-header-bytes", "2048", "--max-batch", "10") as s:
        status, got = s.post("/v1/check", {"query": "a" * 5000})
        expect_error(status, got, 413, "body_too_large")
        # A declared length over the bound is refused before the body arrives.
        raw = s.raw(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n{")
        expect(status_of(raw) == 413, f"declared length: {raw[:80]!r}")
        raw = s.raw(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 4000 + b"\r\n\r\n")
        expect(status_of(raw) == 431 and json_body(raw)["error"]["code"] == "headers_too_large",
                f"big header: {raw[:80]!r}")
        many = b"".join(b"X-H%d: v\r\n" % i for i in range(1000))
        raw = s.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
        expect(status_of(raw) == 431, f"many headers: {raw[:80]!r}")
        status, got = s.post("/v1/check:batch", {"queries": ["a"] * 11})
        expect_error(status, got, 413, "too_many_items")
        status, got = s.post("/v1/check:batch", {"queries": ["a"] * 10})
        expect(status == 200 and len(got["results"]) == 10, "batch at the bound")
        # Expect: 100-continue (curl, bodies over 1 KiB): the interim answer
        # comes before the body is sent; over the limit, a 413 instead.
        body = json.dumps({"query": "forbidden orchard " + "x" * 2000}).encode()
        c = socket.create_connection(("127.0.0.1", s.port), timeout=3)
        c.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body))
        try:
            interim = c.recv(100)
        except socket.timeout:
            interim = b""
        expect(interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"), f"100 Continue: {interim!r}")
        c.sendall(body)
        c.settimeout(10)
        out = c.recv(65536)
        expect(status_of(out) == 200, f"answer after 100 Continue: {out[:60]!r}")
        c.close()
        raw = s.raw(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    b"Content-Length: 5000\r\n\r\n")
        expect(status_of(raw) == 413, f"over the limit, no 100 Continue: {raw[:60]!r}")


def test_slow_client():
    with Server("--request-timeout", "1") as s:
        # Headers a byte at a time, never finished: the connection is closed
        # at the deadline, however often the client sends.
        slow = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        slow.sendall(b"POST /v1/check HTTP/1.1\r\n")
        start = time.monotonic()
        got = b""
        try:
            for i in range(40):
                slow.sendall(b"X")
                time.sleep(0.1)
                # Meanwhile other clients are served.
                if i == 2:
                    status, body = s.post("/v1/check", {"query": "forbidden orchard"})
                    expect(status == 200, "served while a slow client waits")
        except (BrokenPipeError, ConnectionResetError):
            pass
        slow.settimeout(5)
        try:
            got = slow.recv(65536)
        except (ConnectionResetError, socket.timeout):
            pass
        elapsed = time.monotonic() - start
        expect(got == b"", f"slow client: {got!r}")
        expect(elapsed < 5, f"slow client held the connection {elapsed:.1f} s")
        # An idle connection is closed after the deadline too.
        idle = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        expect(idle.recv(10) == b"", "idle connection closed")


def test_many_connections():
    with Server("--max-connections", "16") as s:
        held = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(16)]
        time.sleep(0.3)
        refused = 0
        for _ in range(20):
            raw = s.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", read_timeout=5)
            if status_of(raw) == 503:
                expect(json_body(raw)["error"]["code"] == "too_many_connections", "503 body")
                refused += 1
        expect(refused == 20, f"{refused} of 20 refused over the limit")
        for h in held:
            h.close()
        time.sleep(0.3)
        status, _, _ = s.request("GET", "/healthz")
        expect(status == 200, "answers again once connections close")
        # A burst of 200 connections (some refused) leaves it standing.
        socks = []
        for _ in range(200):
            try:
                c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
                c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                socks.append(c)
            except OSError:
                pass
        for c in socks:
            try:
                c.recv(100)
            except OSError:
                pass
            c.close()
        time.sleep(0.3)
        status, body = s.post("/v1/check", {"query": "forbidden orchard"})
        expect(status == 200 and body["action"] == "prompt", "still answering after the burst")


def test_no_query_text():
    secret = "forbidden orchard zqxjv"
    with Server("--access-log") as s:
        s.post("/v1/check", {"query": secret})
        s.post("/v1/check:batch", {"queries": [secret, "kqzwy"]})
        s.post("/v1/check", b'{"query": "zqxjv kqzwy"')  # malformed
        s.request("GET", "/zqxjv?q=kqzwy")
        _, _, metrics = s.request("GET", "/metrics")
        metrics = metrics.decode()
        expect("zqxjv" not in metrics and "kqzwy" not in metrics, "query text in /metrics")
        expect('deter_decisions_total{action="prompt"} 2' in metrics, "decisions counted")
        expect('deter_decisions_by_category_total{action="prompt",category="demo"} 2' in metrics,
               "decisions by category")
        expect('deter_http_requests_total{endpoint="/v1/check",code="400"} 1' in metrics,
               "errors counted by endpoint and code")
        expect("deter_list_version 1" in metrics, "list version")
        log = s.lines_so_far()
    expect("access /v1/check 200" in log, f"access log on: {log}")
    expect("zqxjv" not in log and "kqzwy" not in log, f"query text in the log: {log}")


def write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def wait_for(what, cond, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    raise SystemExit("FAILED: timed out waiting for " + what)


def test_reload():
    tmp = tempfile.mkdtemp()
    try:
        lists = os.path.join(tmp, "lists")
        shutil.copytree(DEMO_LISTS, lists)
        extra = os.path.join(lists, "extra.list")
        write(extra, "! deter-list 1\n! name: extra\n! language: en\ncopper kettle\n")
        with Server("--watch-interval", "0.05", "--reload-quiet", "0.2", lists=lists) as s:
            def version():
                return json.loads(s.request("GET", "/readyz")[2])["version"]

            def action(q):
                return s.post("/v1/check", {"query": q})[1]["action"]

            expect(version() == 1 and action("copper kettle") == "prompt", "first version")
            # A broken list: the reload fails, version 1 keeps serving.
            write(extra, "! deter-list 1\n! name: extra\n! language: en\n@@   \n")
            wait_for("the failed reload", lambda: 'deter_reloads_total{result="failure"} 1'
                     in s.request("GET", "/metrics")[2].decode())
            expect(version() == 1 and action("copper kettle") == "prompt", "old version kept")
            # Fixed: the next change loads.
            write(extra, "! deter-list 1\n! name: extra\n! language: en\nbrass lamp\n")
            wait_for("version 2", lambda: version() == 2)
            expect(action("copper kettle") == "allow" and action("brass lamp") == "prompt",
                   "version 2 serves")
            # SIGHUP reloads without a change.
            s.proc.send_signal(signal.SIGHUP)
            wait_for("version 3", lambda: version() == 3)
            # Files written in a burst load once, after they are quiet.
            for i in range(10):
                write(extra, f"! deter-list 1\n! name: extra\n! language: en\nbrass lamp {i}\n")
                time.sleep(0.03)
            wait_for("version 4", lambda: version() == 4)
            time.sleep(0.6)
            expect(version() == 4, "a burst of writes loads once")
            expect(action("brass lamp 9") == "prompt", "the last write serves")
    finally:
        shutil.rmtree(tmp)


def test_drain():
    with Server("--drain-timeout", "5") as s:
        # A request in flight when SIGTERM arrives is answered; then the process ends.
        c = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        body = json.dumps({"queries": ["forbidden orchard"] * 5000}).encode()
        head = b"POST /v1/check:batch HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)
        c.sendall(head + body[:-1])
        time.sleep(0.2)
        s.proc.send_signal(signal.SIGTERM)
        time.sleep(0.1)
        c.sendall(body[-1:])
        out = b""
        while True:
            chunk = c.recv(1 << 20)
            if not chunk:
                break
            out += chunk
        expect(status_of(out) == 200, f"request in flight answered: {out[:100]!r}")
        expect(len(json_body(out)["results"]) == 5000, "whole answer")
        expect(s.proc.wait(timeout=10) == 0, "exit code 0 after SIGTERM")
        # And nothing is accepted any more.
        try:
            socket.create_connection(("127.0.0.1", s.port), timeout=2).close()
            raise SystemExit("FAILED: still accepting after SIGTERM")
        except OSError:
            pass


def test_suggestions():
    with Server("--max-candidates", "8") as s:
        def shown(typed, candidates):
            status, body = s.post("/v1/suggestions:filter",
                                  {"typed": typed, "candidates": candidates, "locale": "en"})
            expect(status == 200, f"suggestions {typed!r}: {status} {body!r}")
            return body["suggestions"]

        fruit = ["forbidden fruit recipe", "forbidden city history", "forbidden orchard tour"]
        # Ordinary text: the candidates that are not listed themselves.
        got = shown("forb", fruit)
        expect(got == fruit[:2], f"forb: {got}")
        expect(shown("fo", fruit) == fruit[:2], "a short prefix keeps its suggestions")
        # Heading into a listed entry: nothing at all.
        for typed in ["forbi", "forbidden orc", "वर्जि", "hidden lantern gu"]:
            got = shown(typed, fruit + ["anything else"])
            expect(got == [], f"{typed}: {got}")
        expect(shown("weather", []) == [], "no candidates")
        for body, status_code, code in [
                ({"candidates": []}, 400, "missing_field"),
                ({"typed": 1, "candidates": []}, 400, "wrong_type"),
                ({"typed": "a", "candidates": "b"}, 400, "wrong_type"),
                ({"typed": "a", "candidates": ["b", None]}, 400, "wrong_type"),
                ({"typed": "a", "candidates": ["b"] * 9}, 413, "too_many_items")]:
            status, got = s.post("/v1/suggestions:filter", body)
            expect_error(status, got, status_code, code)
        _, _, metrics = s.request("GET", "/metrics")
        expect(b'deter_suggestions_total{result="withheld"} 18' in metrics, "withheld counted")


TESTS = {name[5:]: fn for name, fn in globals().items() if name.startswith("test_")}

if __name__ == "__main__":
    TESTS[TEST]()
    print("ok", TEST)
