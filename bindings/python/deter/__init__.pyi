# Type stubs for the deter package (see __init__.py for the documentation).
import enum
from os import PathLike
from typing import Iterable, Mapping, Optional, Tuple, Union

__version__: str
VIEWS: tuple[str, ...]
FLAG_TRUNCATED: int
FLAG_INVALID_UTF8: int
FLAG_NO_LIST: int
FLAG_INTERNAL_ERROR: int
FLAG_CAPPED: int
OPTIONS: tuple[str, ...]

class Action(enum.IntEnum):
    ALLOW = 0
    INFORM = 1
    PROMPT = 2
    BLOCK = 3

class FailMode(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"

class DeterError(Exception):
    message: str
    code: str
    file: str
    line: int
    column: int
    def __init__(self, message: str, code: str = ..., file: str = ..., line: int = ...,
                 column: int = ...) -> None: ...

class Message:
    @property
    def key(self) -> str: ...
    @property
    def locale(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def links(self) -> tuple[str, ...]: ...

class Match:
    @property
    def entry_id(self) -> str: ...
    @property
    def entry_index(self) -> int: ...
    @property
    def category(self) -> str: ...
    @property
    def action(self) -> Action: ...
    @property
    def severity(self) -> int: ...
    @property
    def view(self) -> str: ...
    @property
    def begin(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def byte_begin(self) -> int: ...
    @property
    def byte_end(self) -> int: ...
    @property
    def text(self) -> Union[str, bytes]: ...
    @property
    def suppressed_by(self) -> str: ...
    @property
    def folds(self) -> Tuple[str, ...]: ...

class Decision:
    @property
    def action(self) -> Action: ...
    @property
    def category(self) -> str: ...
    @property
    def severity(self) -> int: ...
    @property
    def message(self) -> Optional[Message]: ...
    @property
    def matches(self) -> tuple[Match, ...]: ...
    @property
    def suppressed(self) -> tuple[Match, ...]: ...
    @property
    def flags(self) -> int: ...
    @property
    def truncated(self) -> bool: ...
    @property
    def invalid_utf8(self) -> bool: ...
    @property
    def capped(self) -> bool: ...
    @property
    def no_list(self) -> bool: ...
    @property
    def internal_error(self) -> bool: ...

_Path = Union[str, PathLike[str]]

# Every option of Filter and Service (OPTIONS); None means the default. A new
# FilterOptions field is one keyword here (and one row in _deter.cc).
class Filter:
    def __init__(self, path: _Path, *, views: Optional[Iterable[str]] = ...,
                 max_query_bytes: Optional[int] = ..., max_list_bytes: Optional[int] = ...,
                 max_entries: Optional[int] = ..., max_entry_bytes: Optional[int] = ...,
                 max_examples: Optional[int] = ..., max_regexes: Optional[int] = ...,
                 max_regex_bytes: Optional[int] = ..., max_regex_depth: Optional[int] = ...,
                 max_regex_cost: Optional[int] = ..., max_regex_total_cost: Optional[int] = ...,
                 max_rule_parts: Optional[int] = ..., max_list_files: Optional[int] = ...,
                 max_list_set_bytes: Optional[int] = ..., max_compiled_bytes: Optional[int] = ...,
                 on_internal_error: Optional[Union[FailMode, str]] = ...,
                 fail_closed_action: Optional[Union[Action, str]] = ...,
                 cache_dir: Optional[_Path] = ...,
                 trusted_keys: Optional[Iterable[str]] = ...) -> None: ...
    @classmethod
    def from_sources(cls, files: Mapping[str, Union[str, bytes]], *,
                     views: Optional[Iterable[str]] = ..., max_query_bytes: Optional[int] = ...,
                     max_list_bytes: Optional[int] = ..., max_entries: Optional[int] = ...,
                     max_entry_bytes: Optional[int] = ..., max_examples: Optional[int] = ...,
                     max_regexes: Optional[int] = ..., max_regex_bytes: Optional[int] = ...,
                     max_regex_depth: Optional[int] = ..., max_regex_cost: Optional[int] = ...,
                     max_regex_total_cost: Optional[int] = ...,
                     max_rule_parts: Optional[int] = ..., max_list_files: Optional[int] = ...,
                     max_list_set_bytes: Optional[int] = ...,
                     max_compiled_bytes: Optional[int] = ...,
                     on_internal_error: Optional[Union[FailMode, str]] = ...,
                     fail_closed_action: Optional[Union[Action, str]] = ...,
                     cache_dir: Optional[_Path] = ...,
                     trusted_keys: Optional[Iterable[str]] = ...) -> Filter: ...
    def check(self, query: Union[str, bytes], locale: Optional[str] = ..., *,
              explain: bool = ...) -> Decision: ...
    def check_many(self, queries: Iterable[Union[str, bytes]], locale: Optional[str] = ..., *,
                   explain: bool = ...) -> list[Decision]: ...
    def check_partial(self, text: Union[str, bytes], locale: Optional[str] = ..., *,
                      min_partial_chars: Optional[int] = ...) -> Decision: ...
    def filter_suggestions(self, typed: Union[str, bytes],
                           candidates: Iterable[Union[str, bytes]],
                           locale: Optional[str] = ..., *,
                           min_partial_chars: Optional[int] = ...,
                           withhold_from: Action = ...) -> list[Union[str, bytes]]: ...
    @property
    def path(self) -> Optional[str]: ...
    @property
    def entry_count(self) -> int: ...
    @property
    def content_hash(self) -> str: ...
    @property
    def lists(self) -> list[dict[str, Union[str, int]]]: ...
    @property
    def options(self) -> dict[str, object]: ...

class Service:
    def __init__(self, path: Optional[_Path] = ..., *, views: Optional[Iterable[str]] = ...,
                 max_query_bytes: Optional[int] = ..., max_list_bytes: Optional[int] = ...,
                 max_entries: Optional[int] = ..., max_entry_bytes: Optional[int] = ...,
                 max_examples: Optional[int] = ..., max_regexes: Optional[int] = ...,
                 max_regex_bytes: Optional[int] = ..., max_regex_depth: Optional[int] = ...,
                 max_regex_cost: Optional[int] = ..., max_regex_total_cost: Optional[int] = ...,
                 max_rule_parts: Optional[int] = ..., max_list_files: Optional[int] = ...,
                 max_list_set_bytes: Optional[int] = ..., max_compiled_bytes: Optional[int] = ...,
                 on_internal_error: Optional[Union[FailMode, str]] = ...,
                 fail_closed_action: Optional[Union[Action, str]] = ...,
                 cache_dir: Optional[_Path] = ...,
                 trusted_keys: Optional[Iterable[str]] = ...) -> None: ...
    def reload(self, path: Optional[_Path] = ...) -> int: ...
    def check(self, query: Union[str, bytes], locale: Optional[str] = ..., *,
              explain: bool = ...) -> Decision: ...
    def check_many(self, queries: Iterable[Union[str, bytes]], locale: Optional[str] = ..., *,
                   explain: bool = ...) -> list[Decision]: ...
    @property
    def version(self) -> int: ...
    @property
    def path(self) -> Optional[str]: ...
    @property
    def filter(self) -> Optional[Filter]: ...
