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
_ESCAPE: Final = re.compile(r"_([0-9A-Fa-f]{2})")
_PLAIN: Final = re.compile(r"[A-Za-z0-9]*")


def encode_identity(text: str) -> str:
    """
    *text* spelled with letters, digits and ``_`` only, reversibly.

    ``encode_identity("alice@example.com") == "alice_40example_2Ecom"``.
    Each escaped byte takes three characters: mind Voice's limit of 121.
    ``_`` is escaped too (``"alice_smith"`` becomes ``"alice_5Fsmith"``),
    so encode all of an app's Voice identities or none. The encoded text
    is the client's name in Voice: the one ``<Dial><Client>`` rings and
    ``From=client:…`` carries.

    Args:
        text: Any identity, e.g. an email address or a UUID.

    Returns:
        The Voice-safe spelling; :func:`decode_identity` reverses it.

    Raises:
        TypeError: *text* is not a ``str``.
    """
    if not isinstance(text, str):
        msg = f"text must be a str, got {typename(text)}."
        raise TypeError(msg)
    return "".join(
        chr(b) if b in _KEPT else f"_{b:02X}"
        for b in text.encode("utf-8", "surrogatepass")
    )


def decode_identity(identity: str) -> str:
    """
    The text :func:`encode_identity` spelled as *identity*.

    ``decode_identity("alice_40example_2Ecom") == "alice@example.com"``;
    for the caller of a Voice webhook, strip the ``client:`` of ``From``
    first.

    Args:
        identity: An identity :func:`encode_identity` wrote.

    Returns:
        The original text.

    Raises:
        TypeError: *identity* is not a ``str``.
        ValueError: It is not such a spelling (a character other than a
            letter, a digit or a ``_XX`` escape, or escapes that are not
            UTF-8).
    """
    if not isinstance(identity, str):
        msg = f"identity must be a str, got {typename(identity)}."
        raise TypeError(msg)
    out = bytearray()
    position = 0
    for match in _ESCAPE.finditer(identity):
        _plain(identity, position, match.start())
        out += identity[position : match.start()].encode()
        out.append(int(match.group(1), 16))
        position = match.end()
    _plain(identity, position, len(identity))
    out += identity[position:].encode()
    try:
        return out.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        msg = f"identity {show(identity)} escapes bytes that are not UTF-8."
        raise ValueError(msg) from None


def _plain(identity: str, start: int, end: int) -> None:
    if _PLAIN.fullmatch(identity, start, end) is None:
        msg = (
            f"identity {show(identity)} is not from encode_identity(): only "
            "letters, digits and '_XX' escapes."
        )
        raise ValueError(msg)
