"""deter: decide whether a search query matches a maintained blocklist.

    import deter

    f = deter.Filter("lists/demo")            # DeterError names file:line:col
    d = f.check("where is the forbidden orchard", locale="hi-IN")
    if d.action >= deter.Action.PROMPT:
        show_prompt(d.message.title, d.message.body, d.message.links)
    for m in d.matches:
        print(m.entry_id, m.view, query[m.begin:m.end])

    decisions = f.check_many(open("queries.txt", encoding="utf-8").read().splitlines())

    service = deter.Service("lists/demo", on_internal_error="closed")
    service.check("a query")                  # the current list version
    service.reload()                          # DeterError: the old version keeps serving

A Filter is immutable and safe to share between threads; check_many does
its work in C++ with the GIL released. A Service holds the current Filter of
a list set that changes (deter::Reloader); it is safe to share too. Spans (Match.begin/end) are offsets
into the query as given: str offsets for a str query, byte offsets for a
bytes query (Match.byte_begin/byte_end are always UTF-8 byte offsets).
"""

from __future__ import annotations

import enum
import os
from typing import Iterable, Mapping, Optional, Sequence, Union

from . import _deter

__all__ = [
    "Action",
    "Decision",
    "DeterError",
    "FLAG_CAPPED",
    "FLAG_INTERNAL_ERROR",
    "FLAG_INVALID_UTF8",
    "FLAG_NO_LIST",
    "FLAG_TRUNCATED",
    "FailMode",
    "Filter",
    "Match",
    "Message",
    "OPTIONS",
    "Service",
    "VIEWS",
    "__version__",
]

__version__: str = _deter.version

#: The views, in order; see deter/filter.h for what each one undoes.
VIEWS = ("base", "leet", "squeeze", "spaced", "joined", "homoglyph", "phonetic", "fuzzy")

# The order in which a composed reading applies its folds (deter::Match::folds):
# spaced, homoglyph, leet, squeeze, any other, then phonetic last.
_FOLD_ORDER = ("spaced", "homoglyph", "leet", "squeeze") + tuple(
    v for v in VIEWS if v not in ("spaced", "homoglyph", "leet", "squeeze", "phonetic")) + (
    "phonetic",)


def _fold_chain(bits: int) -> tuple:
    """View names of the bits of a ViewSet, in the order they were applied."""
    return tuple(v for v in _FOLD_ORDER if bits >> VIEWS.index(v) & 1)


class Action(enum.IntEnum):
    """What the service should do with a query. Ordered: higher wins."""

    ALLOW = 0  # answer normally
    INFORM = 1  # answer normally, with a notice above the results
    PROMPT = 2  # show the deterrence prompt instead of results
    BLOCK = 3  # show no results at all

    def __str__(self) -> str:
        return self.name.lower()


_ACTIONS = tuple(Action)

# Decision.flags bits.
FLAG_TRUNCATED = 1 << 0
FLAG_INVALID_UTF8 = 1 << 1
FLAG_NO_LIST = 1 << 2
FLAG_INTERNAL_ERROR = 1 << 3
FLAG_CAPPED = 1 << 4


class FailMode(enum.Enum):
    """What to answer when a check cannot be made (FLAG_NO_LIST: a Service
    with no list set yet; FLAG_INTERNAL_ERROR: scanning failed). The flag is
    set either way."""

    OPEN = "open"  # allow the query (the default)
    CLOSED = "closed"  # answer fail_closed_action, with no matches and no message

    def __str__(self) -> str:
        return self.value


#: The keyword options of Filter and Service: every field of
#: deter::FilterOptions, under its C++ name (deter/filter.h documents each).
OPTIONS = tuple(_deter.OPTION_NAMES)


class DeterError(Exception):
    """A list set failed to load.

    `code` names the kind of failure ("io", "syntax", "invalid_entry",
    "compile", "limit", ...); `file`, `line` and `column` give the place
    when there is one (line and column count from 1, 0 when unknown).
    str(error) is "file:line:col: message".
    """

    def __init__(self, message: str, code: str = "internal", file: str = "", line: int = 0,
                 column: int = 0) -> None:
        self.message = message
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        place = self.file
        if place and self.line:
            place += f":{self.line}"
            if self.column:
                place += f":{self.column}"
        return f"{place}: {self.message}" if place else self.message


class _Frozen:
    """Read-only attributes: decisions may be shared (every plain allow is one object)."""

    __slots__ = ()

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, s) == getattr(other, s) for s in self.__slots__)

    def __hash__(self):
        return hash(tuple(_hashable(getattr(self, s)) for s in self.__slots__))

    def __repr__(self) -> str:
        fields = ", ".join(f"{s}={getattr(self, s)!r}" for s in self.__slots__)
        return f"{type(self).__name__}({fields})"


def _hashable(v):
    return tuple(v) if isinstance(v, list) else v


def _init(obj, names, values):
    for name, value in zip(names, values):
        object.__setattr__(obj, name, value)


class Message(_Frozen):
    """A localized deterrence message from messages.toml."""

    __slots__ = ("key", "locale", "title", "body", "links")
    key: str
    locale: str
    title: str
    body: str
    links: tuple

    def __init__(self, key: str, locale: str, title: str, body: str, links: Sequence[str]) -> None:
        _init(self, self.__slots__, (key, locale, title, body, tuple(links)))


class Match(_Frozen):
    """One list entry that matched the query.

    `begin`/`end` index the query as given (str: code points, bytes: bytes),
    so query[m.begin:m.end] == m.text. `byte_begin`/`byte_end` are the same
    span in UTF-8 bytes. `suppressed_by` is the id of the @@ exception that
    removed the match (Decision.suppressed only), else "". `folds` is the
    chain of views that led to it, in the order they were applied:
    ("base",) or (view,) for most matches, ("homoglyph", "leet", "phonetic")
    for a composed reading, as `deter explain` shows it.
    """

    __slots__ = ("entry_id", "entry_index", "category", "action", "severity", "view", "begin",
                 "end", "byte_begin", "byte_end", "text", "suppressed_by", "folds")
    entry_id: str
    entry_index: int
    category: str
    action: Action
    severity: int
    view: str
    begin: int
    end: int
    byte_begin: int
    byte_end: int
    text: Union[str, bytes]
    suppressed_by: str
    folds: tuple

    def __init__(self, entry_id, entry_index, category, action, severity, view, begin, end,
                 byte_begin, byte_end, text, suppressed_by="", folds=None) -> None:
        # The extension passes the folds as ViewSet bits; None: just the view.
        if folds is None:
            folds = (view,)
        elif isinstance(folds, int):
            folds = _fold_chain(folds)
        _init(self, self.__slots__,
              (entry_id, entry_index, category, _ACTIONS[action], severity, view, begin, end,
               byte_begin, byte_end, text, suppressed_by, tuple(folds)))


class Decision(_Frozen):
    """The answer for one query.

    `action` is the highest action among `matches` (after exceptions);
    `category` and `severity` are those of the winning match ("" and 0 when
    allowed); `message` is the localized text or None; `matches` are the
    unsuppressed matches ordered by position; `suppressed` holds what
    exceptions removed (only with explain=True); `flags` has the FLAG_* bits.
    """

    __slots__ = ("action", "category", "severity", "message", "matches", "suppressed", "flags")
    action: Action
    category: str
    severity: int
    message: Optional[Message]
    matches: tuple
    suppressed: tuple
    flags: int

    def __init__(self, action=Action.ALLOW, category="", severity=0, message=None, matches=(),
                 suppressed=(), flags=0) -> None:
        _init(self, self.__slots__,
              (_ACTIONS[action], category, severity, message, tuple(matches), tuple(suppressed),
               flags))

    @property
    def truncated(self) -> bool:
        """The query was longer than max_query_bytes; only its first part was checked."""
        return bool(self.flags & FLAG_TRUNCATED)

    @property
    def invalid_utf8(self) -> bool:
        """The query held invalid UTF-8 (bytes, or lone surrogates in a str)."""
        return bool(self.flags & FLAG_INVALID_UTF8)

    @property
    def capped(self) -> bool:
        """A bound on matches was reached; the decision leans toward the highest action seen."""
        return bool(self.flags & FLAG_CAPPED)

    @property
    def no_list(self) -> bool:
        """A Service had no list set; the fail mode answered."""
        return bool(self.flags & FLAG_NO_LIST)

    @property
    def internal_error(self) -> bool:
        """The check failed inside the library; the fail mode answered."""
        return bool(self.flags & FLAG_INTERNAL_ERROR)


# The one plain allow decision: nothing matched, nothing flagged.
_ALLOW = Decision()


def _make_decision(action, category, severity, message, matches, suppressed, flags):
    return Decision(action, category, severity,
                    Message(*message) if message is not None else None,
                    [Match(*m) for m in matches], [Match(*m) for m in suppressed], flags)


def _raise(error) -> None:
    code, message, file, line, column = error
    raise DeterError(message, code=code, file=file, line=line, column=column)


class Filter:
    """A compiled list set: every *.list file of a directory plus messages.toml.

    Immutable and safe for concurrent use from many threads. Options (all
    keyword-only, names in OPTIONS) are the fields of deter::FilterOptions:
    `views` (names from VIEWS; base is always on), `max_query_bytes` (4096),
    `max_list_bytes` (64 MiB), `max_entries` (1000000), `max_entry_bytes`
    (16000), `max_examples` (200000), `max_regexes` (10000),
    `max_regex_bytes` (1000), `max_regex_depth` (32), `max_regex_cost` (512),
    `max_regex_total_cost` (20000), `max_rule_parts` (64), `max_list_files` (1000), `max_list_set_bytes`
    (256 MiB), `max_compiled_bytes` (1 GiB), `on_internal_error` (FailMode or "open" /
    "closed"; FailMode.OPEN), `fail_closed_action` (Action or its name;
    PROMPT), `cache_dir` (a directory for compiled databases; none),
    `trusted_keys` (public keys, the text of `deter keygen`'s .pub files: a
    compiled database must be signed by one of them; none).
    None means the default. Raises DeterError (with file, line, column) when
    any file is broken, TypeError for an unknown option.
    """

    __slots__ = ("_filter", "_path")

    def __init__(self, path, **options) -> None:
        self._path = os.fspath(path)
        if isinstance(self._path, bytes):
            self._path = os.fsdecode(self._path)
        filt, error = _deter.Filter.open(self._path, _options(options))
        if error is not None:
            _raise(error)
        self._filter = filt

    @classmethod
    def from_sources(cls, files: Mapping[str, Union[str, bytes]], **options) -> "Filter":
        """A filter from in-memory files: {name: contents}. Names ending in
        ".toml" are message files; all others are lists."""
        pairs = [(name, text.encode("utf-8") if isinstance(text, str) else bytes(text))
                 for name, text in files.items()]
        filt, error = _deter.Filter.from_sources(pairs, _options(options))
        if error is not None:
            _raise(error)
        return cls._wrap(filt, None)

    @classmethod
    def _wrap(cls, filt, path) -> "Filter":
        self = cls.__new__(cls)
        self._path = path
        self._filter = filt
        return self

    def check(self, query: Union[str, bytes], locale: Optional[str] = None, *,
              explain: bool = False) -> Decision:
        """Decides one query. Never raises for any str or bytes value.

        `locale` (BCP 47, e.g. "hi-IN") chooses the message language;
        explain=True also reports matches that exceptions suppressed.
        """
        return self._filter.check(query, locale, explain, _ALLOW, _make_decision)

    def check_many(self, queries: Iterable[Union[str, bytes]], locale: Optional[str] = None, *,
                   explain: bool = False) -> list:
        """Decides every query of an iterable, in order, returning a list of
        Decisions. The checking runs in C++ with the GIL released, a few
        thousand queries at a time."""
        return self._filter.check_many(queries, locale, explain, _ALLOW, _make_decision)

    def check_partial(self, text: Union[str, bytes], locale: Optional[str] = None, *,
                      min_partial_chars: Optional[int] = None) -> Decision:
        """Typeahead: the decision `text` would get with its last word typed out.

        At least what check() answers, and more when the end of the text
        begins an entry: the entry's earlier words typed in full and its next
        word begun ("forbidden orc", "वर्जि"), at least `min_partial_chars`
        characters of it (code points, spaces left out; default 5). Above
        ALLOW, the text is heading into a listed term: suggest nothing that
        leads on from it. Spans cover the words typed.
        """
        return self._filter.check_partial(text, locale, min_partial_chars, _ALLOW,
                                          _make_decision)

    def filter_suggestions(self, typed: Union[str, bytes],
                           candidates: Iterable[Union[str, bytes]],
                           locale: Optional[str] = None, *,
                           min_partial_chars: Optional[int] = None,
                           withhold_from: Action = Action.INFORM) -> list:
        """The candidates (suggested completions of `typed`) that may be shown, in order.

        None while check_partial(typed) is at least `withhold_from`; else each
        candidate whose check() as a full query is below it. The checking runs
        in C++ with the GIL released; call it on every keystroke.
        """
        items = list(candidates)
        kept = self._filter.filter_suggestions(typed, items, locale, min_partial_chars,
                                               int(withhold_from))
        return [items[i] for i in kept]

    @property
    def path(self) -> Optional[str]:
        """The list directory, or None for a filter made from_sources."""
        return self._path

    @property
    def entry_count(self) -> int:
        return self._filter.entry_count

    @property
    def content_hash(self) -> str:
        """Hex digest of the sources: equal sources give equal digests."""
        return self._filter.content_hash

    @property
    def lists(self) -> list:
        """One dict per list file: file, name, language, entries."""
        return self._filter.lists

    @property
    def options(self) -> dict:
        """The options the filter was built with, every one of OPTIONS."""
        return self._filter.options

    def __repr__(self) -> str:
        where = self._path if self._path is not None else "<sources>"
        return f"deter.Filter({where!r}, entries={self.entry_count})"


class Service:
    """A list set served while it changes (deter::Reloader; the C API's
    deter_service_t).

    check() uses the current list version; reload() compiles the list set
    again and swaps it in only if it loads, so a broken list never stops the
    service. Until a list set has loaded (Service() with no path, or every
    reload so far failed), every check answers by the fail mode:
    `on_internal_error` FailMode.OPEN allows, FailMode.CLOSED answers
    `fail_closed_action`; the decision carries FLAG_NO_LIST (Decision.no_list).
    Options are Filter's, and apply to every reload. Safe for concurrent
    checks and reloads from any threads.
    """

    __slots__ = ("_service", "_path")

    def __init__(self, path=None, **options) -> None:
        self._service = _deter.Service(_options(options))
        self._path = None
        if path is not None:
            self.reload(path)

    def reload(self, path=None) -> int:
        """Compiles `path` (or the last path given) and swaps it in; returns
        the new version number. Raises DeterError and keeps the previous
        version serving when the list set is broken; ValueError when no path
        was ever given."""
        if path is None:
            path = self._path
            if path is None:
                raise ValueError("no list set path given yet")
        path = os.fspath(path)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        version, error = self._service.reload(path)
        if error is not None:
            _raise(error)
        self._path = path
        return version

    def check(self, query: Union[str, bytes], locale: Optional[str] = None, *,
              explain: bool = False) -> Decision:
        """Decides one query with the current list version (see Filter.check)."""
        return self._service.check(query, locale, explain, _ALLOW, _make_decision)

    def check_many(self, queries: Iterable[Union[str, bytes]], locale: Optional[str] = None, *,
                   explain: bool = False) -> list:
        """Decides every query with the list version current when it starts."""
        return self._service.check_many(queries, locale, explain, _ALLOW, _make_decision)

    @property
    def version(self) -> int:
        """How many list versions have been swapped in (0: none yet)."""
        return self._service.version

    @property
    def path(self) -> Optional[str]:
        """The path of the last successful reload, or None."""
        return self._path

    @property
    def filter(self) -> Optional[Filter]:
        """The current list version as a Filter, or None before any loaded."""
        filt = self._service.current
        return Filter._wrap(filt, self._path) if filt is not None else None

    def __repr__(self) -> str:
        return f"deter.Service({self._path!r}, version={self.version})"


def _options(options: dict) -> dict:
    """Keyword options as the extension takes them: names checked, enums as names."""
    out = {}
    for name, value in options.items():
        if name not in OPTIONS:
            raise TypeError(f"unknown option '{name}' (options: {', '.join(OPTIONS)})")
        if value is None:
            continue
        if name == "views":
            if isinstance(value, (str, bytes)):
                raise TypeError("views must be an iterable of view names, not a str")
            value = list(value)
        elif name == "on_internal_error" and isinstance(value, FailMode):
            value = value.value
        elif name == "fail_closed_action" and isinstance(value, int):
            value = str(Action(value))
        elif name == "cache_dir":
            value = os.fsdecode(os.fspath(value))
        out[name] = value
    return out
