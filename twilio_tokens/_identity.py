"""
A reversible, Voice-safe spelling of any identity.

Voice allows only ASCII letters, digits and ``_`` in an identity (Twilio
answers 31105 otherwise), so an email or a UUID cannot be used as is.
:func:`encode_identity` keeps ASCII letters and digits and writes every
other byte of the UTF-8 text as ``_`` and two upper-case hex digits, the
escape Twilio Flex uses (``@`` is ``_40``); ``_`` itself is escaped too
(``_5F``), so the encoding is injective and :func:`decode_identity`
reverses it.
"""

from __future__ import annotations

import re

from typing import Final

from ._json import show, typename


__all__ = ["decode_identity", "encode_identity"]

_KEPT: Final = frozenset(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)
# What encode_identity() writes: letters, digits and _XX, upper-case hex.
_SPELLING: Final = re.compile(r"(?:[A-Za-z0-9]|_[0-9A-F]{2})*")
_PIECES: Final = re.compile(r"([A-Za-z0-9]*)(?:_([0-9A-F]{2}))?")


def encode_identity(text: str) -> str:
    """
    *text* spelled with letters, digits and ``_`` only, reversibly.

    ``encode_identity("alice@example.com") == "alice_40example_2Ecom"``.
    Each escaped byte takes three characters: mind Voice's limit of 121.

    Raises:
        TypeError: *text* is not a ``str``.
        ValueError: *text* holds a lone surrogate, which is not Unicode
            text (UTF-8 cannot hold it, nor Twilio).
    """
    if not isinstance(text, str):
        msg = f"text must be a str, got {typename(text)}."
        raise TypeError(msg)
    try:
        data = str.__str__(text).encode("utf-8")
    except UnicodeEncodeError as e:
        msg = (
            f"text {show(text)} holds a lone surrogate at index {e.start}; "
            "it is not Unicode text, and UTF-8 cannot spell it."
        )
        raise ValueError(msg) from None
    return "".join(chr(b) if b in _KEPT else f"_{b:02X}" for b in data)


def decode_identity(identity: str) -> str:
    """
    The text :func:`encode_identity` spelled as *identity*.

    Only the encoder's own spellings are read, so each text has exactly
    one: upper-case hex, escapes only for bytes the encoder escapes, and
    strict UTF-8 (no surrogates, so no pair spelled as two).

    Raises:
        TypeError: *identity* is not a ``str``.
        ValueError: It is not such a spelling.
    """
    if not isinstance(identity, str):
        msg = f"identity must be a str, got {typename(identity)}."
        raise TypeError(msg)
    identity = str.__str__(identity)
    if _SPELLING.fullmatch(identity) is None:
        msg = (
            f"identity {show(identity)} is not from encode_identity(): only "
            "letters, digits and '_XX' escapes (upper-case hex)."
        )
        raise ValueError(msg)
    text = _unescape(identity)
    if text is None or encode_identity(text) != identity:
        msg = (
            f"identity {show(identity)} is not a spelling encode_identity() "
            "writes: its escapes are not UTF-8, or spell a byte it keeps."
        )
        raise ValueError(msg)
    return text


def _unescape(identity: str) -> str | None:
    out = bytearray()
    for plain, escaped in _PIECES.findall(identity):
        out += plain.encode("ascii")
        if escaped:
            out.append(int(escaped, 16))
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return None
