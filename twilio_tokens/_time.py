"""
Time: integer epoch seconds in, aware UTC datetimes out.
"""

from __future__ import annotations

import time

from datetime import datetime, timedelta, timezone
from typing import Final

from ._json import show, typename


# The instants a datetime can hold (years 1 to 9999), in epoch seconds:
# every epoch argument is within them, so a token minted at any of them
# has times that its readers, and the rules, can judge.
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
_SECOND: Final = timedelta(seconds=1)
EPOCH_MIN: Final = (
    datetime.min.replace(tzinfo=timezone.utc) - _EPOCH
) // _SECOND
EPOCH_MAX: Final = (
    datetime.max.replace(tzinfo=timezone.utc) - _EPOCH
) // _SECOND
# Durations (ttl, leeway) up to the span of those instants.
MAX_SECONDS: Final = EPOCH_MAX - EPOCH_MIN


def _bounded(value: int, low: int, high: int, where: str, what: str) -> int:
    if not low <= value <= high:
        msg = f"{where} is {show(value)}; {what} must be within {low}..{high}."
        raise ValueError(msg)
    return value


def epoch(value: object, where: str) -> int:
    """
    Integer epoch seconds from an int or an aware datetime.

    Raises:
        TypeError: Not an int (bools and floats included) nor a datetime.
        ValueError: A naive datetime, which would be read in local time, or
            an int outside the years 1 to 9999.
    """
    if type(value) is int:
        return _bounded(value, EPOCH_MIN, EPOCH_MAX, where, "epoch seconds")
    if isinstance(value, datetime):
        try:  # datetime's own methods: a subclass's may do anything
            offset = datetime.utcoffset(value)
            # Whole seconds, floored as for a timedelta: no float between.
            stamp = (
                None
                if offset is None
                else timedelta.__floordiv__(
                    datetime.__sub__(value, _EPOCH), _SECOND
                )
            )
        except Exception:  # noqa: BLE001 - its tzinfo is the caller's code
            msg = f"{where} is a datetime whose tzinfo fails."
            raise ValueError(msg) from None
        if stamp is None:
            msg = (
                f"{where} is a naive datetime ({show(value)}); pass an aware "
                "one, e.g. datetime.now(timezone.utc)."
            )
            raise ValueError(msg)
        return _bounded(stamp, EPOCH_MIN, EPOCH_MAX, where, "epoch seconds")
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
        ValueError: A timedelta with a fraction of a second, or a value
            longer than the years 1 to 9999.
    """
    if type(value) is int:
        whole = value
    elif isinstance(value, timedelta):
        whole = timedelta.__floordiv__(value, _SECOND)
        if timedelta(seconds=whole) != timedelta.__pos__(value):
            msg = f"{where} must be whole seconds, got {show(value)}."
            raise ValueError(msg)
    else:
        msg = (
            f"{where} must be int seconds or a timedelta, got {show(value)} "
            f"({typename(value)})."
        )
        raise TypeError(msg)
    return _bounded(whole, -MAX_SECONDS, MAX_SECONDS, where, "seconds")


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
