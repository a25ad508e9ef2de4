"""
Warnings that point at the user's line, not at the package's.

A warning's ``stacklevel`` counted by hand breaks whenever a call path
gains or loses a frame (``Credentials.mint()`` → ``AccessToken`` → attrs'
``__init__`` → …). :func:`warn` instead walks out of the package's frames,
attrs' generated methods for its classes included, and blames the first
frame outside: the same on every Python.
"""

from __future__ import annotations

import sys
import warnings

from typing import TYPE_CHECKING, Final


if TYPE_CHECKING:
    from types import FrameType


__all__ = ["warn"]

_PACKAGE: Final = __name__.rpartition(".")[0]


def _inside(frame: FrameType) -> bool:
    module = frame.f_globals.get("__name__")
    if isinstance(module, str) and (
        module == _PACKAGE or module.startswith(f"{_PACKAGE}.")
    ):
        return True
    # attrs names the methods it writes "<attrs generated init mod.Cls>".
    filename = frame.f_code.co_filename
    return filename.startswith("<attrs generated ") and (
        f" {_PACKAGE}." in filename
    )


def warn(message: str, category: type[Warning]) -> None:
    """
    Warn, blaming the innermost frame outside the package.
    """
    frame = sys._getframe(1)  # noqa: SLF001 - the one way to walk up
    level = 2
    while frame.f_back is not None and _inside(frame):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
