"""
Problems: one way a token would fail, or likely trouble.

Every producer of a Problem (the rule set, ``check()``, the builder)
builds it here, through :func:`error` and :func:`warning`.
"""

from __future__ import annotations

from typing import Literal

import attrs


__all__ = ["Problem", "Severity", "error", "warning"]

Severity = Literal["error", "warning"]


@attrs.frozen
class Problem:
    """
    One way a token would fail, or likely trouble, found by ``check()``.

    A frozen value; ``str()`` gives one line, severity, code, field and
    message: ``error 20104 exp: the token expired 100 s ago (exp …); mint
    a fresh one.`` The same problems make ``AccessToken`` refuse to mint
    (:class:`~twilio_tokens.TokenRefusedError` carries them) or warn
    (:class:`~twilio_tokens.TokenWarning`).

    Attributes:
        code: Twilio's error code, or ``None`` for a warning Twilio has no
            code for.
        severity: ``"error"`` (Twilio will reject it) or ``"warning"``.
        field: The header or claim at fault: ``"exp"``, ``"header.twr"``,
            ``"grants.identity"``, ``"grants.voice"``, …
        message: What is wrong and what to do, in one sentence or two.
    """

    code: int | None
    severity: Severity
    field: str
    message: str

    def __str__(self) -> str:
        code = "" if self.code is None else f" {self.code}"
        return f"{self.severity}{code} {self.field}: {self.message}"


def error(code: int | None, field: str, message: str) -> Problem:
    """A Problem Twilio will reject the token for."""
    return Problem(code, "error", field, message)


def warning(code: int | None, field: str, message: str) -> Problem:
    """A Problem that is likely trouble."""
    return Problem(code, "warning", field, message)
