"""
Field validators shared by the grants and the token.

One place knows what a SID looks like; grants, the token and the rules ask
it. Validators raise ``TypeError`` for a value of the wrong type and
``ValueError`` for a value of the right type in the wrong shape; both name
the field and show the value.
"""

from __future__ import annotations

import re

from typing import Any, Final

from ._json import show, typename


# Two upper-case letters and 32 hex digits; real SIDs use lower-case hex,
# but the specs accept both (twilio/twilio-oai).
_HEX32: Final = "[0-9a-fA-F]{32}"
_HEX_RE: Final = re.compile(_HEX32)
_SID_LENGTH: Final = 34
_HEX_RUN: Final = re.compile("[0-9a-fA-F]*")
_SHORT: Final = 16  # shorter than any secret: a typo, worth seeing
# Any SID at all (a SID in the wrong slot is worth seeing; a secret is not).
_ANY_SID: Final = re.compile(f"[A-Z]{{2}}{_HEX32}")

SID_NAMES: Final = {
    "AC": "an Account SID",
    "SK": "an API Key SID",
    "AP": "a TwiML App SID",
    "IS": "a Service SID",
    "RL": "a Role SID",
    "CR": "a Credential SID",
    "WS": "a TaskRouter Workspace SID",
    "WK": "a TaskRouter Worker SID",
}


def is_sid(value: object, prefix: str) -> bool:
    """
    Whether *value* is a SID with *prefix*: two letters + 32 hex digits.
    """
    return (
        type(value) is str
        and len(value) == _SID_LENGTH
        and value[:2] == prefix
        and _HEX_RE.fullmatch(value, 2) is not None
    )


def show_sid(value: object, prefix: str) -> str:
    """
    A value from a SID slot, for a message, that cannot leak a secret.

    A string that starts with the SID's two letters and is short or hex
    digits only (a malformed SID is worth seeing), or a SID of another
    kind, is shown; any other may be a secret passed in the wrong slot
    (even one that happens to start with those letters), so only its first
    two characters and its length are.
    """
    if isinstance(value, str):
        text = str.__str__(value)  # its own characters, not a subclass's
        if _ANY_SID.fullmatch(text) or (
            text.startswith(prefix)
            and (len(text) < _SHORT or _HEX_RUN.fullmatch(text, 2))
        ):
            return show(text)
        return f"{show(text[:2])}... ({len(text)} characters)"
    if isinstance(value, (bytes, bytearray)):
        return f"{typename(value)} of {memoryview(value).nbytes} bytes"
    return show(value)


def sid_rule(prefix: str) -> str:
    """
    The shape of a SID, for messages: "an Account SID ('AC' + 32 hex)".
    """
    return f"{SID_NAMES[prefix]} ('{prefix}' + 32 hex digits)"


def _owner(instance: object, name: str) -> str:
    return f"{typename(instance)}.{name}"


def _type_error(
    instance: object, name: str, shown: str, value: object, want: str
) -> None:
    msg = (
        f"{_owner(instance, name)} must be {want}, "
        f"got {shown} ({typename(value)})."
    )
    raise TypeError(msg)


def optional_text(instance: Any, attribute: Any, value: Any) -> None:
    """
    Validate an optional, non-empty string (attrs validator).
    """
    if value is None:
        return
    if type(value) is not str:
        _type_error(
            instance, attribute.name, show(value), value, "a str or None"
        )
    if not value:
        msg = (
            f"{_owner(instance, attribute.name)} must not be empty; "
            "pass None to leave it unset."
        )
        raise ValueError(msg)


def optional_sid(prefix: str, *, literal: str | None = None) -> Any:
    """
    Build an attrs validator for an optional SID with *prefix*.

    Args:
        prefix: The two-letter prefix.
        literal: A word accepted besides a SID (Sync's ``"default"``).
    """
    want = sid_rule(prefix)
    if literal is not None:
        want += f" or {literal!r}"

    def validate(instance: Any, attribute: Any, value: Any) -> None:
        if value is None or is_sid(value, prefix):
            return
        if type(value) is str and value == literal:  # an exact str only
            return
        shown = show_sid(value, prefix)
        if type(value) is not str:
            _type_error(
                instance, attribute.name, shown, value, f"{want} or None"
            )
        msg = f"{_owner(instance, attribute.name)} must be {want}"
        raise ValueError(msg + f", got {shown}.")

    return validate


def optional_bool(instance: Any, attribute: Any, value: Any) -> None:
    """
    Validate an optional bool (attrs validator).
    """
    if value is not None and type(value) is not bool:
        _type_error(
            instance, attribute.name, show(value), value, "a bool or None"
        )
