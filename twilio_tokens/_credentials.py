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

import hmac
import re

from typing import TYPE_CHECKING, Final

from ._json import typename


if TYPE_CHECKING:
    from collections.abc import Mapping


__all__ = [
    "ACCOUNT_SID_VARS",
    "API_KEY_SECRET_VARS",
    "API_KEY_SID_VARS",
    "AUTH_TOKEN_VARS",
    "ENV",
    "FAKE_ACCOUNT_SID",
    "FAKE_API_KEY_SECRET",
    "FAKE_API_KEY_SID",
    "Secret",
    "auth_token_hint",
    "check_secret",
    "expected_sid",
    "read_env",
    "spelled",
    "whitespace",
    "wrapping",
]

# The first name of each is the one the official samples and our docs use
# first; the second is the spelling other Twilio samples use.
ACCOUNT_SID_VARS: Final = ("TWILIO_ACCOUNT_SID",)
API_KEY_SID_VARS: Final = ("TWILIO_API_KEY", "TWILIO_API_KEY_SID")
API_KEY_SECRET_VARS: Final = ("TWILIO_API_SECRET", "TWILIO_API_KEY_SECRET")
# Set by many Twilio samples; it cannot sign an Access Token.
AUTH_TOKEN_VARS: Final = ("TWILIO_AUTH_TOKEN",)
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


_QUOTES: Final = ('"', "'")


def wrapping(value: str) -> str | None:
    """
    What surrounds *value* that no Twilio credential has, if anything.

    Whitespace (a newline from a ``.env`` file or ``$(cat ...)``), or a
    quote at either end (compose's ``env_file`` and some ``.env`` loaders
    keep the quotes of ``KEY="value"``).
    """
    first, last = value[:1], value[-1:]
    if value == value.strip() and first not in _QUOTES and last not in _QUOTES:
        return None  # the usual case, in two looks
    where = whitespace(value)
    if where is not None:
        return (
            f"{where} whitespace (a newline from a .env file or $(cat ...)?)"
        )
    both = len(value) > 1 and first == last
    where = "surrounding quotes" if both else "a quote at one end"
    return f"{where} (a .env file's quotes, kept by its loader?)"


class Secret:
    """
    A secret that no printer can show: its repr and str are fixed.

    Test runners and property-based testing libraries print the fields of
    attrs classes whatever their ``repr=False`` says; holding the secret in
    this box keeps it out of their output. :meth:`reveal` returns it.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself."""
        return self._value

    def __repr__(self) -> str:
        return "<secret hidden>"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(
            self._value.encode("utf-8", "surrogatepass"),
            other._value.encode("utf-8", "surrogatepass"),
        )

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> tuple[type[Secret], tuple[str]]:
        return (Secret, (self._value,))


def check_secret(value: object, name: str = "api_key_secret") -> str:
    """
    *value*, as an exact ``str``, if it is a usable API key secret.

    A :class:`Secret` is read for the ``str`` it holds. The value is never
    shown, nor any of its bytes.

    Raises:
        TypeError: Not a ``str`` (the message names only the type).
        ValueError: Empty; with surrounding whitespace or quotes (Twilio
            would answer 20107); or not valid Unicode text (a stray byte
            that ``os.environ`` could not decode), which cannot be signed.
    """
    if isinstance(value, Secret):
        value = value.reveal()
    if not isinstance(value, str):
        msg = f"{name} must be a str, got {typename(value)}."
        raise TypeError(msg)
    # An exact str: a subclass may compare or hash secrets its own way.
    value = str.__str__(value)
    if not value:
        msg = f"{name} must not be empty."
        raise ValueError(msg)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        msg = (
            f"{name} is not valid text: it holds a byte that is not UTF-8 "
            "(os.environ keeps such bytes as lone surrogates). Twilio "
            "issues secrets of letters and digits; set it again."
        )
        raise ValueError(msg) from None  # the error would quote it
    where = wrapping(value)
    if where is not None:
        msg = (
            f"{name} has {where}; Twilio never issues one, and the token "
            "would fail with 20107. Remove it."
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
    The value of the variables *names*, or None when none is set.

    Empty variables count as unset.

    Raises:
        ValueError: Two of them are set to different values (the message
            names the variables, never their values).
    """
    found = [n for n in names if environ.get(n)]
    if not found:
        return None
    first = environ[found[0]]
    clash = [n for n in found[1:] if environ[n] != first]
    if clash:
        msg = (
            f"{found[0]} and {clash[0]} are both set, to different values; "
            "unset one of them."
        )
        raise ValueError(msg)
    return first


def expected_sid(value: object, name: str) -> str | None:
    """
    *value* as the SID a caller expects (``decode``/``check``), or None.

    Raises:
        TypeError: Neither a ``str`` nor ``None`` (only the type is named:
            a secret passed here by mistake is not shown).
    """
    if value is not None and type(value) is not str:
        msg = f"{name} must be a str or None, got {typename(value)}."
        raise TypeError(msg)
    return value
