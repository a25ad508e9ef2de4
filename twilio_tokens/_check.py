"""
``check()`` and ``check_refresh()``: Twilio's rejections, predicted.

Whatever it is given, ``check()`` judges a JWT: a string as it is, a
:class:`DecodedToken` by the JWT it was read from, an :class:`AccessToken`
(native or ``compat``) by the JWT it mints at the time of the check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Protocol, TypeAlias

from ._credentials import auth_token_hint, check_secret, expected_sid
from ._decode import DecodedToken, read_subject
from ._json import show, typename
from ._jws import parse, signing_key
from ._problem import Problem, error, warning
from ._rules import (
    AFTER_SIGNATURE,
    BEFORE_SIGNATURE,
    CHECK_ONLY,
    Context,
    Subject,
    run,
)
from ._time import now_or
from ._token import AccessToken
from .exceptions import InvalidTokenError


if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime


__all__ = ["Checkable", "Mintable", "check", "check_refresh"]


class Mintable(Protocol):
    """
    Anything that mints a JWT by its own clock.

    ``twilio_tokens.compat.AccessToken`` does, as does twilio-python's own
    ``AccessToken``.
    """

    def to_jwt(self) -> str:
        """The JWT, by the token's own clock."""
        ...


Checkable: TypeAlias = str | bytes | DecodedToken | AccessToken | Mintable
"""What ``check()`` judges: a JWT, or a token that stands for one."""

NOT_VERIFIED: Final = (
    "the signature was not checked: pass api_key_secret (the API key's "
    "secret) to check it; Twilio answers 20107 when it does not match."
)


class _Unreadable(Exception):  # noqa: N818 - internal: one Problem
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.problem = problem


def _jwt(token: object, now: int) -> str | bytes:
    """The JWT *token* stands for, as it would be minted at *now*."""
    if isinstance(token, (str, bytes)):
        return token
    if isinstance(token, DecodedToken):
        return token.token  # what was signed is what counts
    if isinstance(token, AccessToken):
        return token.jwt_at(now)
    to_jwt = getattr(token, "to_jwt", None)
    if not callable(to_jwt):
        msg = (
            "token must be a JWT (str or bytes), a DecodedToken or an "
            "AccessToken (native or twilio_tokens.compat), got "
            f"{typename(token)}."
        )
        raise TypeError(msg)
    try:  # by its own clock, as twilio-python mints
        jwt = to_jwt()
        return str.__str__(jwt) if isinstance(jwt, str) else str(jwt)
    except Exception as e:  # noqa: BLE001 - the caller's code failed
        reason = f"{typename(e)}: {show(e)}"
    raise _Unreadable(
        error(20101, "token", f"the token does not mint: {reason}")
    )


def _subject(token: object, now: int) -> tuple[Subject, bytes, bytes]:
    try:
        header, claims, signing_input, signature = parse(_jwt(token, now))
    except InvalidTokenError as e:
        field = e.field or "token"
        raise _Unreadable(Problem(e.code, "error", field, e.message)) from e
    return read_subject(header, claims), signing_input, signature


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
        token: A JWT, a :class:`DecodedToken`, or an :class:`AccessToken`
            (native, judged as if minted at *now*, or
            ``twilio_tokens.compat``, minted by its own clock).
        api_key_secret: When given, the signature is checked (20107), and
            a secret shaped like an Account Auth Token is reported. When
            not, a warning on the field ``signature`` says it was not
            checked.
        account_sid: The expected Account SID (``sub``).
        api_key_sid: The expected API key SID (``iss``).
        now: The time to judge at; the clock by default.

    Returns:
        The problems, errors and warnings, in Twilio's order of checking.

    Raises:
        TypeError: An argument of the wrong type (not a bad token).
        ValueError: An empty secret, or one with surrounding whitespace.
    """
    secret = None if api_key_secret is None else check_secret(api_key_secret)
    t = now_or(now)
    ctx = Context(
        now=t,
        account_sid=expected_sid(account_sid, "account_sid"),
        api_key_sid=expected_sid(api_key_sid, "api_key_sid"),
    )
    about_secret: list[Problem] = []
    hint = None if secret is None else auth_token_hint(secret)
    if hint is not None:
        about_secret.append(warning(20107, "api_key_secret", hint))
    try:
        subject, signing_input, signature = _subject(token, t)
    except _Unreadable as e:
        return (e.problem, *about_secret)
    problems = run(BEFORE_SIGNATURE, subject, ctx)
    if secret is None:
        problems.append(warning(None, "signature", NOT_VERIFIED))
    elif not signing_key(secret).verify(signing_input, signature):
        problems.append(
            error(
                20107,
                "signature",
                "the signature does not match this API key secret: was it "
                "minted with another key, or changed on the way?",
            )
        )
    problems += about_secret
    problems += run(AFTER_SIGNATURE + CHECK_ONLY, subject, ctx)
    return tuple(problems)


def check_refresh(old: Checkable, new: Checkable) -> tuple[Problem, ...]:
    """
    What the client SDKs refuse when ``updateToken`` swaps *old* for *new*.

    Conversations and Sync keep one session: the identity (Twilsock's
    MISMATCHING_TOKEN_UPDATE) and the chat/Sync ``service_sid`` (51232)
    must stay; a changed region, account or key is likely trouble.
    Signatures and times are not judged here: use :func:`check` on *new*.

    Args:
        old: The token the client holds (anything :func:`check` takes).
        new: The token it is given to replace it.

    Returns:
        The problems, errors first in Twilio's order; ``()`` when the swap
        is safe.

    Example:
        >>> from twilio_tokens import SyncGrant, check_refresh
        >>> from twilio_tokens.testing import fake_credentials
        >>> creds = fake_credentials()
        >>> old = creds.mint(identity="alice", grants=[SyncGrant()])
        >>> new = creds.mint(identity="bob", grants=[SyncGrant()])
        >>> check_refresh(old, new)[0].field
        'grants.identity'
    """
    now = now_or(None)
    try:
        before = _subject(old, now)[0]
        after = _subject(new, now)[0]
    except _Unreadable as e:
        return (e.problem,)
    problems = []
    if before.identity != after.identity:
        problems.append(
            error(
                None,
                "grants.identity",
                f"identity changed from {show(before.identity)} to "
                f"{show(after.identity)}; the SDKs refuse the update "
                "(MISMATCHING_TOKEN_UPDATE). Create a new client instead.",
            )
        )
    for key, name, unset in _kept_for_life(before):
        was = _field(before, key, name) or unset
        now_ = _field(after, key, name) or unset
        if was != now_:
            problems.append(
                error(
                    51232,
                    f"grants.{key}.{name}",
                    f"the {key} {name} changed from {show(was)} to "
                    f"{show(now_)}; a client keeps its Service for life.",
                )
            )
    for field, was, now_ in (
        ("header.twr", before.header.get("twr"), after.header.get("twr")),
        ("sub", before.claims.get("sub"), after.claims.get("sub")),
        ("iss", before.claims.get("iss"), after.claims.get("iss")),
    ):
        if was != now_:
            problems.append(
                warning(
                    None,
                    field,
                    f"{field} changed from {show(was)} to {show(now_)}; the "
                    "session was opened with the other one.",
                )
            )
    return tuple(problems)


def _kept_for_life(s: Subject) -> Iterator[tuple[str, str, object]]:
    """
    ``(key, field, what unset means)`` for each field kept for life.

    Only the grants *s* has count: a grant new in the refreshed token
    changes nothing the client holds.
    """
    for key, product in s.products:
        for name in product.fixed_on_refresh:
            yield key, name, dict(product.unset_means).get(name)


def _field(s: Subject, key: str, name: str) -> Any:
    for g in s.grants:
        if g.key == key:
            return getattr(g, name, None)
    return None
