"""Tests of the Python package. Run with PYTHONPATH=<build>/python:

    DETER_SOURCE_DIR=. PYTHONPATH=build/release/python python3 -m unittest discover -s bindings/python/tests
"""

import os
import pathlib
import tempfile
import threading
import unittest

import deter

SOURCE_DIR = pathlib.Path(os.environ.get("DETER_SOURCE_DIR",
                                         pathlib.Path(__file__).resolve().parents[3]))
DEMO = SOURCE_DIR / "lists" / "demo"
BROKEN = SOURCE_DIR / "tests" / "lists" / "broken"

LIST = "! deter-list 1\n! name: t\n! language: en\n! category: demo\n! action: prompt\n"

# (query, action, entry id of the first match or None, its text in the query)
ROWS = [
    ("an ordinary query", deter.Action.ALLOW, None, None),
    ("", deter.Action.ALLOW, None, None),
    ("where is the forbidden orchard today", deter.Action.PROMPT, "en.list:13",
     "forbidden orchard"),
    ("Forbidden   ORCHARD!! photos", deter.Action.PROMPT, "en.list:13", "Forbidden   ORCHARD"),
    ("hidden lantern guild members list", deter.Action.BLOCK, "en.list:61",
     "hidden lantern guild"),
    ("opening hours of the forbidden orchard museum", deter.Action.ALLOW, None, None),
    ("forbidden\0orchard", deter.Action.PROMPT, "en.list:13", "forbidden\0orchard"),
    # Native script: offsets count code points, so slicing the str works.
    ("मुझे वर्जित बगीचा दिखाओ", deter.Action.PROMPT, None, "वर्जित बगीचा"),
    ("ok 😀 forbidden orchard", deter.Action.PROMPT, "en.list:13", "forbidden orchard"),
]


class FilterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.filter = deter.Filter(DEMO)

    def test_rows(self):
        for query, action, entry, text in ROWS:
            with self.subTest(query=query):
                d = self.filter.check(query)
                self.assertEqual(d.action, action)
                if text is None:
                    self.assertEqual(d.matches, ())
                    self.assertEqual(d.category, "")
                    self.assertIsNone(d.message)
                    continue
                m = d.matches[0]
                if entry is not None:
                    self.assertEqual(m.entry_id, entry)
                self.assertEqual(m.text, text)
                self.assertEqual(query[m.begin:m.end], text)
                self.assertEqual(query.encode()[m.byte_begin:m.byte_end], text.encode())
                self.assertIn(m.view, deter.VIEWS)
                self.assertEqual(d.category, "demo")
                self.assertGreaterEqual(d.severity, 1)
                self.assertIsNotNone(d.message)
                self.assertTrue(d.message.links)

    def test_check_many_matches_check(self):
        queries = [row[0] for row in ROWS] * 1000  # more than one chunk
        many = self.filter.check_many(q for q in queries)  # any iterable
        self.assertEqual(len(many), len(queries))
        for q, d in zip(queries[:len(ROWS)], many):
            self.assertEqual(d, self.filter.check(q))
        self.assertEqual([d.action for d in many], [self.filter.check(q).action for q in queries])
        self.assertEqual(self.filter.check_many([]), [])

    def test_check_many_from_threads(self):
        queries = [row[0] for row in ROWS] * 500
        want = [d.action for d in self.filter.check_many(queries)]
        got = {}

        def work(i):
            got[i] = [d.action for d in self.filter.check_many(queries)]

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(got), 4)
        for actions in got.values():
            self.assertEqual(actions, want)

    def test_locale_chooses_message(self):
        self.assertEqual(self.filter.check("forbidden orchard", locale="hi-IN").message.locale, "hi")
        self.assertEqual(self.filter.check("forbidden orchard", "bn").message.locale, "bn")
        self.assertEqual(self.filter.check("forbidden orchard").message.locale, "en")
        self.assertEqual(self.filter.check_many(["forbidden orchard"], locale="hi")[0].message.locale,
                         "hi")

    def test_explain_reports_suppressed(self):
        q = "the forbidden orchard museum"
        self.assertEqual(self.filter.check(q).suppressed, ())
        d = self.filter.check(q, explain=True)
        self.assertEqual(d.action, deter.Action.ALLOW)
        self.assertEqual(len(d.suppressed), 1)
        self.assertEqual(d.suppressed[0].entry_id, "en.list:13")
        self.assertEqual(d.suppressed[0].suppressed_by, "en.list:21")

    def test_match_folds_are_the_chain_explain_shows(self):
        rows = [
            ("forbidden orchard", ("base",)),
            ("f0rbidden orchard", ("leet",)),
            ("f0rbbbidden 0rchard", ("leet", "squeeze")),
            ("v\u0430rj33t bag!cha", ("homoglyph", "leet", "phonetic")),
            ("h i d d 3 n lantern guild", ("spaced", "leet")),
        ]
        for query, folds in rows:
            with self.subTest(query=query):
                m = self.filter.check(query).matches[0]
                self.assertEqual(m.folds, folds)
                self.assertIn(m.view, m.folds)
                self.assertEqual(self.filter.check_many([query])[0].matches[0].folds, folds)
        # Built by hand, a match's folds default to its view.
        m = deter.Match("t.list:1", 0, "demo", 2, 1, "leet", 0, 3, 0, 3, "abc")
        self.assertEqual(m.folds, ("leet",))

    def test_bytes_queries_have_byte_offsets(self):
        q = "मुझे forbidden orchard".encode()
        m = self.filter.check(q).matches[0]
        self.assertEqual(q[m.begin:m.end], b"forbidden orchard")
        self.assertEqual((m.begin, m.end), (m.byte_begin, m.byte_end))
        self.assertEqual(m.text, b"forbidden orchard")

    def test_invalid_text_is_flagged_not_rejected(self):
        d = self.filter.check(b"forbidden\xff orchard")
        self.assertTrue(d.invalid_utf8)
        self.assertEqual(d.action, deter.Action.PROMPT)
        # A lone surrogate has no UTF-8 form; offsets still index the str.
        q = "\ud800 forbidden orchard"
        d = self.filter.check(q)
        self.assertTrue(d.invalid_utf8)
        m = d.matches[0]
        self.assertEqual(q[m.begin:m.end], "forbidden orchard")

    def test_bad_query_types(self):
        with self.assertRaises(TypeError):
            self.filter.check(42)
        with self.assertRaises(TypeError):
            self.filter.check_many(["ok", None])
        with self.assertRaises(TypeError):
            self.filter.check_many(7)

    def test_plain_allow_is_shared_and_read_only(self):
        a, b = self.filter.check("one"), self.filter.check("two")
        self.assertIs(a, b)
        with self.assertRaises(AttributeError):
            a.action = deter.Action.BLOCK
        d = self.filter.check("forbidden orchard")
        with self.assertRaises(AttributeError):
            d.matches[0].begin = 3
        self.assertEqual(str(d.action), "prompt")
        self.assertGreater(d.action, deter.Action.INFORM)

    def test_properties(self):
        self.assertGreater(self.filter.entry_count, 10)
        self.assertEqual(len(self.filter.content_hash), len(deter.Filter(DEMO).content_hash))
        self.assertEqual(self.filter.content_hash, deter.Filter(str(DEMO)).content_hash)
        files = {l["file"] for l in self.filter.lists}
        self.assertIn("en.list", files)
        self.assertEqual(self.filter.path, str(DEMO))
        self.assertTrue(deter.__version__)


# (text typed so far, its partial decision): typeahead in every script of
# the demo lists, and the near misses too short to head anywhere.
PARTIAL_ROWS = [
    ("forbidden orc", deter.Action.PROMPT),
    ("where is the forbi", deter.Action.PROMPT),
    ("f0rbidden 0rc", deter.Action.PROMPT),
    ("वर्जि", deter.Action.PROMPT),
    ("নিষিদ্ধ বা", deter.Action.PROMPT),
    ("ನಿಷಿದ್ಧ ತೋ", deter.Action.PROMPT),
    ("kebun terl", deter.Action.PROMPT),
    ("varjit bag", deter.Action.PROMPT),
    ("hidden lantern gu", deter.Action.BLOCK),
    ("for", deter.Action.ALLOW),
    ("वर", deter.Action.ALLOW),
    ("", deter.Action.ALLOW),
]


class TypeaheadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.f = deter.Filter(DEMO)

    def test_partial_rows(self):
        for text, action in PARTIAL_ROWS:
            with self.subTest(text=text):
                d = self.f.check_partial(text)
                self.assertEqual(d.action, action)
                self.assertGreaterEqual(d.action, self.f.check(text).action)

    def test_partial_spans_are_str_offsets(self):
        text = "मुझे वर्जित बग"
        d = self.f.check_partial(text)
        self.assertEqual(d.action, deter.Action.PROMPT)
        m = d.matches[0]
        self.assertEqual(text[m.begin:m.end], "वर्जित बग")

    def test_min_partial_chars(self):
        self.assertEqual(self.f.check_partial("for").action, deter.Action.ALLOW)
        self.assertEqual(self.f.check_partial("for", min_partial_chars=3).action,
                         deter.Action.PROMPT)

    def test_filter_suggestions(self):
        candidates = ["forest walks", "forbidden orchard", b"fort history"]
        self.assertEqual(self.f.filter_suggestions("for", candidates),
                         ["forest walks", b"fort history"])
        self.assertEqual(self.f.filter_suggestions("forbi", candidates), [])
        self.assertEqual(self.f.filter_suggestions("वर्जि", iter(["वर्षा"])), [])
        self.assertEqual(self.f.filter_suggestions("forbi", candidates,
                                                   withhold_from=deter.Action.BLOCK),
                         candidates)
        self.assertEqual(self.f.filter_suggestions("for", []), [])

    def test_filter_suggestions_bad_arguments(self):
        with self.assertRaises(TypeError):
            self.f.filter_suggestions("for", [1])
        with self.assertRaises(TypeError):
            self.f.check_partial(3)
        with self.assertRaises(ValueError):
            self.f.filter_suggestions("for", ["x"], withhold_from=7)


class OptionsTest(unittest.TestCase):
    def test_max_query_bytes(self):
        f = deter.Filter.from_sources({"t.list": LIST + "quiet harbour\n"}, max_query_bytes=8)
        d = f.check("a quiet harbour")
        self.assertTrue(d.truncated)
        self.assertEqual(d.action, deter.Action.ALLOW)

    def test_views(self):
        src = {"t.list": LIST + "forbidden orchard\n"}
        for views in ([], ["base"], deter.VIEWS):
            with self.subTest(views=views):
                f = deter.Filter.from_sources(src, views=views)
                self.assertEqual(f.check("Forbidden, ORCHARD").action, deter.Action.PROMPT)
        with self.assertRaises(ValueError):
            deter.Filter.from_sources(src, views=["sideways"])
        with self.assertRaises(TypeError):
            deter.Filter.from_sources(src, views="leet")

    def test_from_sources_accepts_str_and_bytes(self):
        f = deter.Filter.from_sources({"t.list": (LIST + "quiet harbour\n").encode()})
        self.assertEqual(f.check("quiet harbour").action, deter.Action.PROMPT)
        self.assertIsNone(f.path)


class EveryOptionTest(unittest.TestCase):
    """Every deter::FilterOptions field is a keyword of Filter and Service."""

    SRC = {"t.list": LIST + "quiet harbour\n/lantern[0-9]{3,}/\n"}

    def test_option_names(self):
        self.assertEqual(set(deter.OPTIONS), {
            "views", "max_query_bytes", "max_list_bytes", "max_entries", "max_entry_bytes",
            "max_examples", "max_regexes", "max_regex_bytes", "max_regex_depth",
            "max_regex_cost", "max_regex_total_cost", "max_rule_parts", "max_list_files",
            "max_list_set_bytes", "max_compiled_bytes", "on_internal_error",
            "fail_closed_action", "cache_dir", "trusted_keys"})

    def test_options_round_trip(self):
        f = deter.Filter.from_sources(self.SRC, max_regexes=5, max_regex_cost=400,
                                      on_internal_error=deter.FailMode.CLOSED,
                                      fail_closed_action=deter.Action.BLOCK, views=["leet"])
        o = f.options
        self.assertEqual(set(o), set(deter.OPTIONS))
        self.assertEqual(o["max_regexes"], 5)
        self.assertEqual(o["max_regex_cost"], 400)
        self.assertEqual(o["on_internal_error"], "closed")
        self.assertEqual(o["fail_closed_action"], "block")
        self.assertEqual(o["views"], ["base", "leet"])
        d = deter.Filter.from_sources(self.SRC).options
        self.assertEqual((d["max_regex_total_cost"], d["on_internal_error"],
                          d["fail_closed_action"]), (20000, "open", "prompt"))
        s = deter.Filter.from_sources(self.SRC, on_internal_error="closed",
                                      fail_closed_action="inform").options
        self.assertEqual((s["on_internal_error"], s["fail_closed_action"]), ("closed", "inform"))
        key = "deter-ed25519-public " + "0" * 64 + "\n"
        k = deter.Filter.from_sources(self.SRC, trusted_keys=[key], max_compiled_bytes=99).options
        self.assertEqual((k["trusted_keys"], k["max_compiled_bytes"]), ([key], 99))
        with self.assertRaises(TypeError):
            deter.Filter.from_sources(self.SRC, trusted_keys=key)

    def test_regex_limits_refuse(self):
        for options, code in (({"max_regexes": 0}, "limit"), ({"max_regex_cost": 1}, None),
                              ({"max_regex_bytes": 4}, None), ({"max_regex_total_cost": 1}, None),
                              ({"max_examples": 0}, None), ({"max_entries": 1}, "limit")):
            with self.subTest(options=options):
                src = dict(self.SRC)
                if "max_examples" in options:
                    src = {"t.list": LIST + "quiet harbour\n  match: a quiet harbour\n"}
                with self.assertRaises(deter.DeterError) as caught:
                    deter.Filter.from_sources(src, **options)
                if code is not None:
                    self.assertEqual(caught.exception.code, code)
                self.assertEqual(caught.exception.file, "t.list")
        deter.Filter.from_sources(self.SRC, max_regexes=1, max_regex_cost=512)

    def test_bad_options(self):
        with self.assertRaises(TypeError):
            deter.Filter.from_sources(self.SRC, max_regex_costs=1)
        with self.assertRaises(TypeError):
            deter.Filter.from_sources(self.SRC, max_regexes=-1)
        with self.assertRaises(TypeError):
            deter.Filter.from_sources(self.SRC, max_regexes="many")
        with self.assertRaises(ValueError):
            deter.Filter.from_sources(self.SRC, on_internal_error="sideways")
        with self.assertRaises(ValueError):
            deter.Filter.from_sources(self.SRC, fail_closed_action="shout")
        with self.assertRaises(ValueError):
            deter.Filter.from_sources(self.SRC, fail_closed_action=7)
        with self.assertRaises(TypeError):
            deter.Service(unknown=1)

    def test_cache_dir(self):
        with tempfile.TemporaryDirectory() as d:
            lists = pathlib.Path(d) / "lists"
            cache = pathlib.Path(d) / "cache"
            lists.mkdir()
            cache.mkdir()
            (lists / "t.list").write_text(self.SRC["t.list"], encoding="utf-8")
            f = deter.Filter(lists, cache_dir=cache)
            self.assertEqual(f.check("quiet harbour").action, deter.Action.PROMPT)
            self.assertTrue(any(cache.iterdir()))

    def test_flags(self):
        self.assertEqual(deter.FLAG_CAPPED, 16)
        self.assertFalse(deter.Decision(flags=deter.FLAG_TRUNCATED).capped)
        self.assertTrue(deter.Decision(flags=deter.FLAG_CAPPED).capped)


class ServiceTest(unittest.TestCase):
    def test_fail_mode_before_any_list(self):
        rows = [({}, deter.Action.ALLOW),
                ({"on_internal_error": "open", "fail_closed_action": "block"}, deter.Action.ALLOW),
                ({"on_internal_error": deter.FailMode.CLOSED}, deter.Action.PROMPT),
                ({"on_internal_error": "closed", "fail_closed_action": deter.Action.BLOCK},
                 deter.Action.BLOCK)]
        for options, action in rows:
            with self.subTest(options=options):
                s = deter.Service(**options)
                self.assertEqual(s.version, 0)
                self.assertIsNone(s.filter)
                d = s.check("forbidden orchard")
                self.assertEqual(d.action, action)
                self.assertEqual(d.flags, deter.FLAG_NO_LIST)
                self.assertTrue(d.no_list)
                self.assertEqual(d.matches, ())
                self.assertIsNone(d.message)
                self.assertEqual([x.action for x in s.check_many(["a", b"b"])], [action] * 2)
                with self.assertRaises(ValueError):
                    s.reload()
                with self.assertRaises(deter.DeterError):
                    s.reload(BROKEN)
                self.assertEqual(s.check("x").action, action)
                self.assertEqual(s.reload(DEMO), 1)
                d = s.check("forbidden orchard")
                self.assertEqual(d.action, deter.Action.PROMPT)
                self.assertFalse(d.no_list)
                self.assertEqual(s.check("plain words").action, deter.Action.ALLOW)

    def test_reload_keeps_serving(self):
        with tempfile.TemporaryDirectory() as d:
            path = pathlib.Path(d)
            (path / "t.list").write_text(LIST + "quiet harbour\n", encoding="utf-8")
            s = deter.Service(path)
            self.assertEqual(s.version, 1)
            self.assertEqual(s.path, str(path))
            self.assertEqual(s.check("quiet harbour").action, deter.Action.PROMPT)
            pinned = s.filter
            (path / "t.list").write_text(LIST + "amber lighthouse\n", encoding="utf-8")
            self.assertEqual(s.reload(), 2)
            self.assertEqual(s.check("quiet harbour").action, deter.Action.ALLOW)
            self.assertEqual(s.check_many(["amber lighthouse"])[0].action, deter.Action.PROMPT)
            self.assertEqual(pinned.check("quiet harbour").action, deter.Action.PROMPT)
            (path / "t.list").write_text("! deter-list 1\n! action: shout\nx\n", encoding="utf-8")
            with self.assertRaises(deter.DeterError) as caught:
                s.reload()
            self.assertEqual((caught.exception.file, caught.exception.line), ("t.list", 2))
            self.assertEqual(s.version, 2)
            self.assertEqual(s.check("amber lighthouse").action, deter.Action.PROMPT)
        with self.assertRaises(deter.DeterError):
            deter.Service(BROKEN)

    def test_checks_from_threads_during_reloads(self):
        s = deter.Service(DEMO)
        bad = []

        def work():
            for _ in range(300):
                d = s.check("where is the forbidden orchard")
                if d.action != deter.Action.PROMPT:
                    bad.append(d)

        threads = [threading.Thread(target=work) for _ in range(3)]
        for t in threads:
            t.start()
        for _ in range(5):
            s.reload()
        for t in threads:
            t.join()
        self.assertEqual(bad, [])
        self.assertEqual(s.version, 6)


class ErrorTest(unittest.TestCase):
    def test_broken_directory_names_the_place(self):
        with self.assertRaises(deter.DeterError) as caught:
            deter.Filter(BROKEN)
        e = caught.exception
        self.assertEqual((e.file, e.line), ("bad.list", 4))
        self.assertGreaterEqual(e.column, 1)
        self.assertEqual(e.code, "invalid_entry")
        self.assertTrue(str(e).startswith(f"bad.list:4:{e.column}: "))

    def test_broken_source_names_the_place(self):
        with self.assertRaises(deter.DeterError) as caught:
            deter.Filter.from_sources({"x.list": "! deter-list 1\n! name: t\n! action: shout\nok\n"})
        e = caught.exception
        self.assertEqual(e.file, "x.list")
        self.assertEqual(e.line, 3)
        self.assertEqual(e.code, "syntax")

    def test_missing_directory(self):
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(deter.DeterError) as caught:
                deter.Filter(os.path.join(d, "absent"))
            self.assertEqual(caught.exception.code, "io")
            with self.assertRaises(deter.DeterError):
                deter.Filter(d)  # no *.list files


class StubTest(unittest.TestCase):
    def test_stub_declares_every_public_name(self):
        stub = (pathlib.Path(deter.__file__).parent / "__init__.pyi").read_text()
        self.assertTrue((pathlib.Path(deter.__file__).parent / "py.typed").exists())
        for name in deter.__all__:
            with self.subTest(name=name):
                self.assertRegex(stub, rf"(?m)(class|def) {name}\b|^{name}\s*:", msg=name)


if __name__ == "__main__":
    unittest.main()
