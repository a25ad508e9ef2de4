"""
Time: integer epoch seconds in, aware UTC datetimes out.
"""

from __future__ import annotations

import time

from datetime import datetime, timedelta, timezone

from ._json import show, typename


def epoch(value: object, where: str) -> int:
    """
    Integer epoch seconds from an int or an aware datetime.

    Raises:
        TypeError: Not an int (bools and floats included) nor a datetime.
        ValueError: A naive datetime, which would be read in local time.
    """
    if type(value) is int:
        return value
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            msg = (
                f"{where} is a naive datetime ({show(value)}); pass an aware "
                "one, e.g. datetime.now(timezone.utc)."
            )
            raise ValueError(msg)
        return int(value.timestamp())
    msg = (
        f"{where} must be int epoch seconds or an aware datetime, got "
        f"{show(value)} ({typename(value)})."
    )
    raise TypeError(msg)


def now_or(value: object, where: str = "now") -> int:
    """
    *value* as epoch seconds, or the clock when it is ``None``.
    """
    if value is None:
        return int(time.time())
    return epoch(value, where)


def seconds(value: object, where: str) -> int:
    """
    Whole seconds from an int or a timedelta.

    Raises:
        TypeError: Not an int (bools and floats included) nor a timedelta.
        ValueError: A timedelta with a fraction of a second.
    """
    if type(value) is int:
        return value
    if isinstance(value, timedelta):
        whole = value // timedelta(seconds=1)
        if timedelta(seconds=whole) != value:
            msg = f"{where} must be whole seconds, got {show(value)}."
            raise ValueError(msg)
        return whole
    msg = (
        f"{where} must be int seconds or a timedelta, got {show(value)} "
        f"({typename(value)})."
    )
    raise TypeError(msg)


def utc(value: object) -> datetime | None:
    """
    An aware UTC datetime for an integer claim; ``None`` otherwise.
    """
    if type(value) is not int:
        return None
    try:
        return datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def human(delta: int) -> str:
    """
    A duration for people: "59 min", "3 h", "45 s", "2 d".
    """
    delta = abs(delta)
    if delta < 120:  # noqa: PLR2004
        return f"{delta} s"
    if delta < 7200:  # noqa: PLR2004
        return f"{delta // 60} min"
    if delta < 172800:  # noqa: PLR2004
        return f"{delta // 3600} h"
    return f"{delta // 86400} d"
