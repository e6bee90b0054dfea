"""Read-only multi-value mappings for HTTP headers and query strings.

Providers hand these over in three shapes: a single-value dict, a multi-value dict
(``multiValueHeaders``) or pairs (any re-iterable of them, parsed lazily). The index
is built on first access, so a handler that never reads headers never pays for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, TypeVar, overload

from .errors import MALFORMED, EventDecodeError

__all__ = ["Headers", "Query"]

_D = TypeVar("_D")


class _MultiDict(Mapping[str, str]):
    """``m[name]`` and ``m.get(name)`` give the first value, ``m.get_all(name)`` all."""

    __slots__ = ("_index", "_multi", "_owner", "_pairs", "_single")
    _fold: ClassVar[bool] = False
    #: what an error names: the trigger of the request holding these, once it is known
    _owner: str

    def __init__(
        self,
        single: Mapping[str, Any] | None = None,
        multi: Mapping[str, Any] | None = None,
        pairs: Iterable[tuple[str, str]] | None = None,
    ) -> None:
        self._single = single
        self._multi = multi
        self._pairs = pairs
        self._index: dict[str, list[str]] | None = None
        self._owner = "http"

    def _build(self) -> dict[str, list[str]]:
        """The index, from the provider's maps or pairs; a value that is not text (an
        object, a nested list, a number too large to print) or a map that is not
        one raises :class:`EventDecodeError`: a malformed request is a 400."""
        try:
            return self._index_values()
        except MALFORMED as exc:
            what = self._what
            raise EventDecodeError(self._owner, f"{what} must map names to text values "
                                   f"({type(exc).__name__})", keys=[what]) from None

    @property
    def _what(self) -> str:
        return "headers" if self._fold else "query"

    def _index_values(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        fold = self._fold
        if self._multi:
            # Multi-value forms carry every value; the single-value dict beside
            # them (API Gateway REST sends both) holds only the last one.
            multi = self._multi
            # The common shape, one str per name and no two names folding together,
            # in one comprehension (as for the single-value map below); anything
            # else leaves it short and takes the loop.
            index = ({name.lower(): [values[0]] for name, values in multi.items()
                      if values.__class__ is list and len(values) == 1
                      and values[0].__class__ is str} if fold else
                     {name: [values[0]] for name, values in multi.items()
                      if values.__class__ is list and len(values) == 1
                      and values[0].__class__ is str})
            if len(index) != len(multi):
                index = {}
                for name, values in multi.items():
                    key = name.lower() if fold else name
                    seq = values if isinstance(values, list) else [values]
                    texts = [_text(v) for v in seq if v is not None]
                    if texts:  # a name sent with no value ([]) was not sent
                        index.setdefault(key, []).extend(texts)
        elif self._single:
            single = self._single
            # The common shape, every value a str and no two names folding together,
            # in one comprehension; anything else leaves it short and takes the loop.
            index = ({name.lower(): [value] for name, value in single.items()
                      if value.__class__ is str} if fold else
                     {name: [value] for name, value in single.items() if value.__class__ is str})
            if len(index) != len(single):
                index = {}
                for name, value in single.items():
                    if value is None:
                        continue
                    key = name.lower() if fold else name
                    if isinstance(value, list):  # VPC Lattice 2.0 sends lists here
                        texts = [_text(v) for v in value if v is not None]
                        if texts:
                            index.setdefault(key, []).extend(texts)
                    else:
                        index.setdefault(key, []).append(_text(value))
        if self._pairs is not None:
            for name, value in self._pairs:
                key = name.lower() if fold else name
                index.setdefault(key, []).append(value)
        self._index = index
        return index

    @property
    def _idx(self) -> dict[str, list[str]]:
        index = self._index
        return index if index is not None else self._build()

    def __getitem__(self, name: str) -> str:
        return self._idx[name.lower() if self._fold else name][0]

    @overload
    def get(self, name: str) -> str | None: ...
    @overload
    def get(self, name: str, default: str | _D) -> str | _D: ...
    def get(self, name: str, default: object = None) -> object:
        key = name.lower() if self._fold else name
        index = self._index
        if index is None:
            single = self._single
            if single.__class__ is dict and self._multi is None and self._pairs is None:
                # A direct hit in the provider's own map (HTTP APIs send lower-case
                # names) needs no index; a miss may be another spelling: index then.
                value = single.get(key)
                if value.__class__ is str:
                    return value
            elif single is None and self._multi is None and self._pairs is not None:
                # A query string's pairs: the first match, without an index.
                for pair_name, pair_value in self._pairs:
                    if pair_name == key:
                        return pair_value
                if not self._fold:
                    return default
            index = self._build()
        values = index.get(key)
        return values[0] if values else default

    def get_all(self, name: str) -> list[str]:
        """Every value sent for ``name``, in order (empty list when absent)."""
        return list(self._idx.get(name.lower() if self._fold else name, ()))

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return (name.lower() if self._fold else name) in self._idx

    def __iter__(self) -> Iterator[str]:
        return iter(self._idx)

    def __len__(self) -> int:
        return len(self._idx)

    def multi_items(self) -> list[tuple[str, str]]:
        """Every (name, value) pair, repeated names included."""
        single = self._single
        if self._index is None and single and self._multi is None and self._pairs is None:
            # One value per name (HTTP API, Azure): the pairs without an index.
            pairs = [(k.lower() if self._fold else k, v) for k, v in single.items()
                     if v.__class__ is str]
            if len(pairs) == len(single):
                return pairs
        return [(k, v) for k, vs in self._idx.items() for v in vs]

    def to_dict(self) -> dict[str, str | list[str]]:
        """JSON form: a name maps to its value, or to a list when sent more than once."""
        return {k: vs[0] if len(vs) == 1 else list(vs) for k, vs in self._idx.items()}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self._idx)!r})"


def _text(value: Any) -> str:
    """A header or query value as text: a string, or a number or boolean as
    hand-written test events send them; anything else is malformed."""
    if value.__class__ is str:
        return value
    if isinstance(value, (str, int, float)):
        return str(value)  # ValueError for an int of more than 4,300 digits
    raise TypeError(f"a value must be text, not {type(value).__name__}")


class Headers(_MultiDict):
    """Case-insensitive HTTP headers; names are iterated lower-case."""

    __slots__ = ()
    _fold = True


class Query(_MultiDict):
    """Query-string parameters (case-sensitive, as the URL is)."""

    __slots__ = ()
