"""
``check()`` and ``check_refresh()``: Twilio's rejections, predicted.
"""

from __future__ import annotations

import hmac

from typing import TYPE_CHECKING, TypeAlias

from ._decode import DecodedToken
from ._rules import (
    AFTER_SIGNATURE,
    BEFORE_SIGNATURE,
    CHECK_ONLY,
    Context,
    Problem,
    Subject,
    run,
)
from ._signing import parse, signing_key
from ._time import now_or
from ._token import AccessToken
from .exceptions import MalformedTokenError


if TYPE_CHECKING:
    from datetime import datetime


__all__ = ["check", "check_refresh"]

Checkable: TypeAlias = str | bytes | DecodedToken | AccessToken


def _malformed(e: MalformedTokenError) -> tuple[Problem, ...]:
    return (Problem(20101, "error", "token", e.message),)


def check(
    token: Checkable,
    *,
    api_key_secret: str | None = None,
    account_sid: str | None = None,
    api_key_sid: str | None = None,
    now: int | datetime | None = None,
) -> tuple[Problem, ...]:
    """
    Every reason Twilio would reject *token*, and likely trouble.

    It never raises on a bad token: a malformed one is a 20101 problem.

    Args:
        token: A JWT, a :class:`DecodedToken` or an :class:`AccessToken`
            (judged as if minted at *now*).
        api_key_secret: When given, the signature is checked (20107).
        account_sid: The expected Account SID (``sub``).
        api_key_sid: The expected API key SID (``iss``).
        now: The time to judge at; the clock by default.

    Returns:
        The problems, errors and warnings, in Twilio's order of checking.
    """
    key = None if api_key_secret is None else signing_key(api_key_secret)
    ctx = Context(
        now=now_or(now), account_sid=account_sid, api_key_sid=api_key_sid
    )
    signature_ok = True
    if isinstance(token, AccessToken):
        subject = token.subject(ctx.now)
        if key is not None:
            signature_ok = hmac.compare_digest(
                key.sign(b""), signing_key(token.api_key_secret).sign(b"")
            )
    else:
        # A DecodedToken is judged by its JWT: what was signed is what counts.
        raw = token.token if isinstance(token, DecodedToken) else token
        try:
            header, claims, signing_input, signature = parse(raw)
        except MalformedTokenError as e:
            return _malformed(e)
        subject = Subject.parsed(header, claims)
        if key is not None:
            signature_ok = key.verify(signing_input, signature)
    problems = run(BEFORE_SIGNATURE, subject, ctx)
    if not signature_ok:
        problems.append(
            Problem(
                20107,
                "error",
                "signature",
                "the signature does not match this API key secret: was it "
                "minted with another key, or changed on the way?",
            )
        )
    problems += run(AFTER_SIGNATURE + CHECK_ONLY, subject, ctx)
    return tuple(problems)


def _subject(token: Checkable) -> Subject:
    if isinstance(token, AccessToken):
        return token.subject(None)
    raw = token.token if isinstance(token, DecodedToken) else token
    header, claims, _, _ = parse(raw)
    return Subject.parsed(header, claims)


def check_refresh(old: Checkable, new: Checkable) -> tuple[Problem, ...]:
    """
    What the client SDKs refuse when ``updateToken`` swaps *old* for *new*.

    Conversations and Sync keep one session: the identity (Twilsock's
    MISMATCHING_TOKEN_UPDATE) and the chat/Sync ``service_sid`` (51232)
    must stay; a changed region, account or key is likely trouble.
    Signatures and times are not judged here: use :func:`check` on *new*.
    """
    try:
        before, after = _subject(old), _subject(new)
    except MalformedTokenError as e:
        return _malformed(e)
    problems = []
    if before.identity != after.identity:
        problems.append(
            Problem(
                None,
                "error",
                "grants.identity",
                f"identity changed from {before.identity!r} to "
                f"{after.identity!r}; the SDKs refuse the update "
                "(MISMATCHING_TOKEN_UPDATE). Create a new client instead.",
            )
        )
    for key in ("chat", "data_sync"):
        was, now = _service(before, key), _service(after, key)
        if was != now:
            problems.append(
                Problem(
                    51232,
                    "error",
                    f"grants.{key}.service_sid",
                    f"the {key} service_sid changed from {was!r} to {now!r}; "
                    "a client keeps its Service for life.",
                )
            )
    for field, was, now in (
        ("header.twr", before.header.get("twr"), after.header.get("twr")),
        ("sub", before.claims.get("sub"), after.claims.get("sub")),
        ("iss", before.claims.get("iss"), after.claims.get("iss")),
    ):
        if was != now:
            problems.append(
                Problem(
                    None,
                    "warning",
                    field,
                    f"{field} changed from {was!r} to {now!r}; the session "
                    "was opened with the other one.",
                )
            )
    return tuple(problems)


def _service(s: Subject, key: str) -> object:
    for g in s.grants:
        if g.key == key:
            return getattr(g, "service_sid", None)
    return None
