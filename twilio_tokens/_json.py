"""
Immutable JSON values, and the one JSON dialect the tokens are written in.
"""

from __future__ import annotations

import json
import math

from collections.abc import Iterator, Mapping
from json.encoder import (  # type: ignore[attr-defined]
    c_make_encoder,
    encode_basestring_ascii,
)
from typing import Any


# Compact and ASCII-only: the canonical wire format (wire-format.md §1).
_ENCODER = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=True, allow_nan=False
)


def _unserialisable(value: object) -> None:  # pragma: no cover - see below
    msg = f"{value!r} ({type(value).__name__}) is not JSON-serialisable."
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


_MAX_DEPTH = 32
_MAX_INT_BITS = 128  # far past what a JSON reader keeps exactly (2**53)


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
        frozen = object.__new__(cls)
        object.__setattr__(frozen, "_data", data)
        object.__setattr__(frozen, "_hash", None)
        return frozen

    def thaw(self) -> dict[str, Any]:
        """
        Return a plain, mutable deep copy.
        """
        return thaw(self)  # type: ignore[no-any-return]


def freeze(value: object, where: str, depth: int = 0) -> Any:
    """
    Check that *value* is strict JSON and return an immutable copy.

    Args:
        value: A JSON-like value from the caller.
        where: The field name to quote in an error.
        depth: How deeply nested *value* is (a guard against bombs).

    Raises:
        TypeError: A value JSON cannot hold, or a non-string object key.
        ValueError: NaN or infinity, or nesting deeper than 32.
    """
    if depth > _MAX_DEPTH:
        msg = f"{where} is nested deeper than {_MAX_DEPTH} levels."
        raise ValueError(msg)
    if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
        msg = f"{where} holds an integer of {value.bit_length()} bits; JSON "
        raise ValueError(msg + "readers cap numbers far below that.")
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"{where} holds {value!r}, which JSON cannot represent."
            raise ValueError(msg)
        return value
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                msg = f"{where} has a non-string key {k!r}; JSON needs str."
                raise TypeError(msg)
            out[k] = freeze(v, f"{where}[{k!r}]", depth + 1)
        return FrozenDict(out)
    if isinstance(value, (list, tuple)):
        return tuple(
            freeze(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)
        )
    msg = (
        f"{where} holds {value!r} ({type(value).__name__}), "
        "which is not JSON-serialisable."
    )
    raise TypeError(msg)


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


# Built once: json.loads() with options builds a decoder on every call.
_DECODER = json.JSONDecoder(
    object_hook=_frozen_object, parse_constant=_no_constant
)


def loads_frozen(text: str) -> Any:
    """
    Parse strict JSON (no NaN or Infinity) into frozen values.

    Raises:
        ValueError: Not JSON.
        RecursionError: Nested beyond the parser's depth.
    """
    return _DECODER.decode(text)


def thaw(value: object) -> Any:
    """
    Turn a frozen JSON value back into plain dicts and lists.
    """
    if isinstance(value, FrozenDict):
        return {k: thaw(v) for k, v in value._data.items()}  # noqa: SLF001
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value
