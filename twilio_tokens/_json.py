"""
Immutable JSON values, and the one JSON dialect the tokens are written in.
"""

from __future__ import annotations

import itertools
import json
import math
import operator
import re

from collections.abc import Iterator, Mapping
from json.encoder import (  # type: ignore[attr-defined]
    c_make_encoder,
    encode_basestring_ascii,
)
from typing import Any, Final


# Compact and ASCII-only: the format of docs/token-format.md.
_ENCODER = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=True, allow_nan=False
)


def _unserialisable(value: object) -> None:  # pragma: no cover - see below
    msg = f"{show(value)} ({typename(value)}) is not JSON-serialisable."
    raise TypeError(msg)


# JSONEncoder.encode() builds a C encoder on every call; build it once.
# Our values are frozen JSON, never cyclic, so no markers are needed, and
# the default for what JSON cannot hold is there only because the C
# encoder requires one.
_C_ENCODE = (
    None
    if c_make_encoder is None
    else c_make_encoder(
        None,  # no cycle markers
        _unserialisable,
        encode_basestring_ascii,
        None,  # no indent
        ":",
        ",",
        False,  # keep the keys' order  # noqa: FBT003
        False,  # skipkeys  # noqa: FBT003
        False,  # allow_nan  # noqa: FBT003
    )
)


def dumps(value: object) -> str:
    """
    *value* as compact, ASCII-only JSON, keys in their order.
    """
    if _C_ENCODE is None:  # pragma: no cover - CPython has the C encoder
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


# The bounds of every JSON value we hold, parsed or given. A real token
# nests five levels at most (grants, voice, outgoing, params, a value);
# no integer needs more digits than str() of an int may print (4300).
MAX_DEPTH: Final = 32
MAX_INT_DIGITS: Final = 4000
_MAX_INT_BITS: Final = 128  # given by a caller: far past what JSON keeps
_SHOW_LIMIT: Final = 80


class FrozenDict(Mapping[str, Any]):
    """
    A read-only, hashable JSON object that keeps its keys' order.

    Nested objects are :class:`FrozenDict` too and arrays are tuples, so a
    grant holding one can be frozen, hashed and compared.
    """

    __slots__ = ("_data", "_hash")

    _data: dict[str, Any]
    _hash: int | None

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        object.__setattr__(self, "_data", dict(data or {}))
        object.__setattr__(self, "_hash", None)

    def __setattr__(self, name: str, value: object) -> None:
        msg = "FrozenDict is read-only"
        raise AttributeError(msg)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    # Mapping's get() goes through __getitem__ and a try/except; the rules
    # call get() on every claim they read.
    def get(self, key: str, default: Any = None) -> Any:
        """The value for *key*, or *default*."""
        return self._data.get(key, default)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(
                self, "_hash", hash(frozenset(self._data.items()))
            )
        return self._hash  # type: ignore[return-value]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenDict):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenDict({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenDict], tuple[dict[str, Any]]]:
        return (FrozenDict, (self._data,))

    @classmethod
    def _adopt(cls, data: dict[str, Any]) -> FrozenDict:
        """Wrap a dict nobody else holds, without copying it."""
        frozen = _new(cls)
        _set_data(frozen, data)
        _set_hash(frozen, None)
        return frozen

    def thaw(self) -> dict[str, Any]:
        """
        Return a plain, mutable deep copy.
        """
        return thaw(self)  # type: ignore[no-any-return]


# The slots' own setters: FrozenDict refuses setattr, and the parser wraps
# every object it reads.
_new: Final = object.__new__
_set_data: Final = FrozenDict.__dict__["_data"].__set__
_set_hash: Final = FrozenDict.__dict__["_hash"].__set__


def freeze(value: object, where: str, depth: int = 0) -> Any:
    """
    Check that *value* is strict JSON and return an immutable copy.

    The copy holds built-in values only (a ``str`` subclass becomes a
    ``str``), read by the built-in types' own methods; a mapping that
    fails to be read is a ``TypeError`` naming *where*.

    Args:
        value: A JSON-like value from the caller.
        where: The field name to quote in an error.
        depth: How many objects and arrays enclose *value* (in a token's
            payload, for a grant's value).

    Raises:
        TypeError: A value JSON cannot hold, or a non-string object key.
        ValueError: NaN or infinity, an integer over 128 bits, or objects
            and arrays nested more than 32 deep.
    """
    if value is None or isinstance(value, (str, int, float)):
        return _scalar(value, where)
    if not isinstance(value, (Mapping, list, tuple)):
        msg = (
            f"{_short(where)} holds {show(value)} ({typename(value)}), "
            "which is not JSON-serialisable."
        )
        raise TypeError(msg)
    if depth >= MAX_DEPTH:
        msg = (
            f"{_short(where)} nests objects and arrays more than {MAX_DEPTH} "
            "deep, counted from the token's payload."
        )
        raise ValueError(msg)
    if isinstance(value, Mapping):
        return FrozenDict._adopt(_frozen_items(value, where, depth))  # noqa: SLF001
    # The built-in iterators read a list's or tuple's items as they are:
    # a subclass's __iter__ is never called, and they cannot fail.
    items = list(
        list.__iter__(value)
        if isinstance(value, list)
        else tuple.__iter__(value)
    )
    return tuple(
        freeze(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(items)
    )


def _scalar(value: str | float | None, where: str) -> Any:
    """A copy of a JSON scalar, by the built-in types' own methods."""
    if value is None or value is True or value is False:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        bits = int.bit_length(value)
        if bits > _MAX_INT_BITS:
            msg = f"{_short(where)} holds an integer of {bits} bits; JSON "
            raise ValueError(msg + "readers cap numbers far below that.")
        return int.__int__(value)
    number = float.__float__(value)
    if not math.isfinite(number):
        msg = f"{_short(where)} holds {number!r}, which JSON cannot hold."
        raise ValueError(msg)
    return number


def _frozen_items(
    value: Mapping[Any, Any], where: str, depth: int
) -> dict[str, Any]:
    try:
        pairs = list(
            dict.items(value) if isinstance(value, dict) else value.items()
        )
    except Exception:  # noqa: BLE001 - the caller's mapping failed
        msg = f"{_short(where)} could not be read as a mapping."
        raise TypeError(msg) from None
    out: dict[str, Any] = {}
    for k, v in pairs:
        if not isinstance(k, str):
            msg = (
                f"{_short(where)} has a non-string key {show(k)}; JSON "
                "wants str."
            )
            raise TypeError(msg)
        key = str.__str__(k)
        out[key] = freeze(v, f"{where}[{show(key)}]", depth + 1)
    return out


def _short(where: str) -> str:
    """A place in a value, for a message: at most 120 characters."""
    if len(where) <= 120:  # noqa: PLR2004
        return where
    return where[:60] + "..." + where[-57:]


def _tuples(value: list[Any]) -> tuple[Any, ...]:
    return tuple(_tuples(v) if type(v) is list else v for v in value)


def _frozen_object(data: dict[str, Any]) -> FrozenDict:
    # The parser calls this for each object, innermost first, so one pass
    # over the text freezes the whole value.
    for key, value in data.items():
        if type(value) is list:
            data[key] = _tuples(value)  # same keys: safe while iterating
    return FrozenDict._adopt(data)  # noqa: SLF001


def _no_constant(name: str) -> None:
    msg = f"{name} is not JSON (RFC 8259)"
    raise ValueError(msg)


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        msg = (
            f"an integer of {digits} digits; at most {MAX_INT_DIGITS} are read"
        )
        raise ValueError(msg)
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        msg = f"{show(text)} overflows a double"
        raise ValueError(msg)
    return value


class DuplicateKeyError(ValueError):
    """An object names a key twice."""


def _unique_object(pairs: list[tuple[str, Any]]) -> FrozenDict:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            msg = f"the key {show(key)} appears twice"
            raise DuplicateKeyError(msg)
        data[key] = value
    return _frozen_object(data)


class TooDeepError(ValueError):
    """
    JSON nested past :data:`MAX_DEPTH`.

    Attributes:
        key: The top-level key under which it happens, if any.
    """

    def __init__(self, key: str | None) -> None:
        message = f"objects and arrays nest more than {MAX_DEPTH} deep"
        super().__init__(message, key)
        self.key = key

    def __str__(self) -> str:
        return str(self.args[0])


_PARSE_OPTIONS: Final[dict[str, Any]] = {
    "parse_constant": _no_constant,
    "parse_int": _bounded_int,
    "parse_float": _finite_float,
}
# Built once: json.loads() with options builds a decoder on every call.
_DECODER = json.JSONDecoder(object_hook=_frozen_object, **_PARSE_OPTIONS)
# For JOSE headers: RFC 7515 section 4 lets a reader refuse duplicates.
_UNIQUE_DECODER = json.JSONDecoder(
    object_pairs_hook=_unique_object, **_PARSE_OPTIONS
)
# The pre-parse depth check: a few regex passes and builtins over the
# text, so its cost is linear and in C, whatever the text holds.
#
# A JSON string, escapes included; an unterminated one runs to the end of
# the text. Its two inner parts cannot match the same character, so the
# engine never backtracks. A "grants" key keeps its name, bare; every
# other string is dropped.
_STRINGS: Final = re.compile(r'"(grants)"(?=\s*:)|"[^"\\]*(?:\\.[^"\\]*)*"?')
_GRANTS_KEY: Final = re.compile("grants")
# Everything but brackets, colons and the grants key's mark.
_FILLER: Final = re.compile(r"[^][{}:g]+")
# Each character as a step of depth plus one: an opener 2, a closer 0.
_STEPS: Final = bytes.maketrans(b"[{]}:g", b"\x02\x02\x00\x00\x01\x01")


def _too_deep(text: str) -> TooDeepError | None:
    """
    The error for *text* if it nests deeper than MAX_DEPTH, else None.

    The depth after each character of the skeleton (brackets, colons and
    the grants key's mark ``g``) is a running sum; the error names the
    top-level key whose value first goes too deep, if it is ``grants``.
    """
    skeleton = _FILLER.sub("", _GRANTS_KEY.sub("g", _STRINGS.sub(r"\1", text)))
    depths = list(
        map(
            operator.sub,
            itertools.accumulate(skeleton.encode().translate(_STEPS)),
            itertools.count(1),
        )
    )
    if not depths or max(depths) <= MAX_DEPTH:
        return None
    deep = depths.index(MAX_DEPTH + 1)
    # The last character before it at depth 1 is the colon of the
    # top-level member it is in, if that member has a key.
    last = deep - 1 - depths[deep - 1 :: -1].index(1)
    is_grants = skeleton[last] == ":" and skeleton[last - 1 : last] == "g"
    return TooDeepError("grants" if is_grants else None)


def _check_depth(text: str) -> None:
    """
    Refuse *text* if it nests deeper than MAX_DEPTH, without recursion.
    """
    if text.count("{") + text.count("[") <= MAX_DEPTH:
        return  # it cannot nest deeper than it has brackets: the usual case
    error = _too_deep(text)
    if error is not None:
        raise error


def loads_frozen(text: str, *, unique_keys: bool = False) -> Any:
    """
    Parse strict, bounded JSON into frozen values.

    Strict: no NaN, Infinity, or number that overflows a double. Bounded:
    objects and arrays nested at most :data:`MAX_DEPTH` deep (checked
    before parsing, so nothing recurses), integers of at most
    :data:`MAX_INT_DIGITS` digits. With *unique_keys*, an object that names
    a key twice is refused; otherwise the last one wins, as in most JSON
    readers.

    Raises:
        TooDeepError: Nested too deep.
        DuplicateKeyError: A key twice, with *unique_keys*.
        ValueError: Not JSON, or a number out of bounds.
    """
    _check_depth(text)
    return (_UNIQUE_DECODER if unique_keys else _DECODER).decode(text)


def show(value: object, limit: int = _SHOW_LIMIT) -> str:
    """
    A value for a message: its repr, at most *limit* characters.

    It never raises and looks at most three levels and five items deep, so
    a hostile value (deep, huge, a subclass whose methods raise or lie)
    cannot break a message nor make it long. Built-in values are shown by
    the built-in methods, never by a subclass's overrides.
    """
    try:
        text = _show(value, 3)
    except Exception:  # noqa: BLE001 - a message must not fail
        text = f"<{typename(value)} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


_NAME_OF: Final = type.__dict__["__name__"]


def typename(value: object) -> str:
    """
    The name of *value*'s class, for a message; bounded, never raising.
    """
    name: str = _NAME_OF.__get__(type(value))  # the class itself says
    return name if len(name) <= _SHOW_LIMIT else name[:_SHOW_LIMIT] + "..."


def _show(value: object, depth: int) -> str:
    if value is None or value is True or value is False:
        return repr(value)
    if isinstance(value, int):
        bits = int.bit_length(value)
        if bits > 64:  # noqa: PLR2004
            digits = int(bits * math.log10(2)) + 1
            sign = "-" if int.__lt__(value, 0) else ""
            return f"<{sign}integer of about {digits} digits>"
        return int.__repr__(value)
    if isinstance(value, str):
        return str.__repr__(str.__getitem__(value, slice(_SHOW_LIMIT + 1)))
    if isinstance(value, (Mapping, list, tuple)):
        return _show_container(value, depth)
    return str.__getitem__(repr(value), slice(_SHOW_LIMIT + 1))


def _show_container(
    value: Mapping[Any, Any] | list[Any] | tuple[Any, ...], depth: int
) -> str:
    if isinstance(value, Mapping):
        ends = "{}"
        first = list(itertools.islice(value.items(), 6))
        items = [f"{_show(k, 0)}: {_show(v, depth - 1)}" for k, v in first]
    else:
        ends = "[]" if isinstance(value, list) else "()"
        first = list(itertools.islice(iter(value), 6))
        items = [_show(v, depth - 1) for v in first]
    if depth == 0:
        return f"{ends[0]}...{ends[1]}" if first else ends
    more = ", ..." if len(items) > 5 else ""  # noqa: PLR2004
    if ends == "()" and len(items) == 1:
        more = ","  # a tuple of one, as Python writes it
    return ends[0] + ", ".join(items[:5]) + more + ends[1]


def thaw(value: object) -> Any:
    """
    Turn a frozen JSON value back into plain dicts and lists.
    """
    if isinstance(value, FrozenDict):
        return {k: thaw(v) for k, v in value._data.items()}  # noqa: SLF001
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value
