"""
Credentials: the one home of what a secret and a credential must be.

Every path that takes an API key secret (minting, ``decode()``,
``check()``, the CLI) validates it here, with one behaviour: a ``str``,
non-empty, without surrounding whitespace. Twilio issues secrets as
32-character strings; environment variables and ``.env`` files hold
text, so ``bytes`` are refused everywhere rather than accepted in some
places. The names of the ``TWILIO_*`` variables and the fake credentials
of ``--demo`` and the test helpers live here too.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING, Final


if TYPE_CHECKING:
    from collections.abc import Mapping


__all__ = [
    "ACCOUNT_SID_VARS",
    "API_KEY_SECRET_VARS",
    "API_KEY_SID_VARS",
    "ENV",
    "FAKE_ACCOUNT_SID",
    "FAKE_API_KEY_SECRET",
    "FAKE_API_KEY_SID",
    "auth_token_hint",
    "check_secret",
    "expected_sid",
    "read_env",
    "spelled",
    "whitespace",
]

# The first name of each is the one the official samples and our docs use
# first; the second is the spelling other Twilio samples use.
ACCOUNT_SID_VARS: Final = ("TWILIO_ACCOUNT_SID",)
API_KEY_SID_VARS: Final = ("TWILIO_API_KEY", "TWILIO_API_KEY_SID")
API_KEY_SECRET_VARS: Final = ("TWILIO_API_SECRET", "TWILIO_API_KEY_SECRET")
ENV: Final = {
    "account_sid": ACCOUNT_SID_VARS,
    "api_key_sid": API_KEY_SID_VARS,
    "api_key_secret": API_KEY_SECRET_VARS,
}

# Valid in form, obviously fake in content; Twilio has no such account.
FAKE_ACCOUNT_SID: Final = "AC" + "fa4e" * 8
FAKE_API_KEY_SID: Final = "SK" + "fa4e" * 8
FAKE_API_KEY_SECRET: Final = "fake-api-key-secret-for-tests-only"  # noqa: S105

# An Account Auth Token is 32 lower-case hex digits; an API key secret is
# 32 mixed-case letters and digits, all lower-case hex with probability
# (22/62)**32, about 1e-19.
_AUTH_TOKEN_RE: Final = re.compile("[0-9a-f]{32}")


def whitespace(value: str) -> str | None:
    """
    Where *value* has surrounding whitespace: "leading", "trailing" or both.
    """
    if value == value.strip():
        return None
    lead, trail = value[:1].isspace(), value[-1:].isspace()
    if lead and trail:
        return "leading and trailing"
    return "leading" if lead else "trailing"


def check_secret(value: object, name: str = "api_key_secret") -> str:
    """
    *value*, as an exact ``str``, if it is a usable API key secret.

    The value is never shown.

    Raises:
        TypeError: Not a ``str`` (the message names only the type).
        ValueError: Empty, or with surrounding whitespace (a newline from
            a ``.env`` file signs tokens Twilio answers with 20107).
    """
    if not isinstance(value, str):
        msg = f"{name} must be a str, got {type(value).__name__}."
        raise TypeError(msg)
    if not value:
        msg = f"{name} must not be empty."
        raise ValueError(msg)
    # An exact str: a subclass may compare or hash secrets its own way.
    value = str.__str__(value)
    where = whitespace(value)
    if where is not None:
        msg = (
            f"{name} has {where} whitespace (a newline from a .env file or "
            "$(cat ...)?); Twilio never issues one, and the token would "
            "fail with 20107. Strip it."
        )
        raise ValueError(msg)
    return value


def auth_token_hint(secret: str) -> str | None:
    """
    A warning when *secret* is shaped like an Account Auth Token.
    """
    if _AUTH_TOKEN_RE.fullmatch(secret) is None:
        return None
    return (
        "api_key_secret looks like an Account Auth Token (32 lower-case hex "
        "digits); Access Tokens are signed with an API key secret, and "
        "Twilio answers 20107 for a token signed with the Auth Token. "
        "Create an API key (SK...) and use its secret."
    )


def spelled(names: tuple[str, ...]) -> str:
    """
    The variables *names* for people: "A (or B)".
    """
    first, *others = names
    return first + "".join(f" (or {n})" for n in others)


def read_env(environ: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    """
    The first non-empty value among the variables *names*.
    """
    return next((environ[n] for n in names if environ.get(n)), None)


def expected_sid(value: object, name: str) -> str | None:
    """
    *value* as the SID a caller expects (``decode``/``check``), or None.

    Raises:
        TypeError: Neither a ``str`` nor ``None`` (only the type is named:
            a secret passed here by mistake is not shown).
    """
    if value is not None and type(value) is not str:
        msg = f"{name} must be a str or None, got {type(value).__name__}."
        raise TypeError(msg)
    return value
