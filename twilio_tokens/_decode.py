"""
Decoding: a JWT string back into a typed, read-only DecodedToken.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

import attrs

from ._credentials import check_secret, expected_sid
from ._grants import grant_from_claims
from ._json import FrozenDict, show
from ._jws import parse, signing_key
from ._rules import (
    ABSENT,
    AFTER_SIGNATURE,
    BEFORE_SIGNATURE,
    Context,
    Rule,
    Subject,
    lifetime_of,
    run,
)
from ._time import now_or, seconds, utc


if TYPE_CHECKING:
    from ._grants import Grant

from .exceptions import (
    ExpiredTokenError,
    InvalidGrantsError,
    InvalidHeaderError,
    InvalidIssuerError,
    InvalidSignatureError,
    InvalidTokenError,
    MalformedTokenError,
    NotYetValidError,
)


__all__ = ["DecodedToken", "decode", "decode_unverified", "read_subject"]

_G = TypeVar("_G")
_TIMEDELTA_SECONDS: Final = int(timedelta.max.total_seconds())

_ERRORS: Final[dict[int | None, type[InvalidTokenError]]] = {
    cls.code: cls
    for cls in (
        MalformedTokenError,
        InvalidHeaderError,
        InvalidIssuerError,
        ExpiredTokenError,
        NotYetValidError,
        InvalidGrantsError,
        InvalidSignatureError,
    )
}


def _str_claim(claims: FrozenDict, name: str) -> str | None:
    value = claims.get(name)
    return value if type(value) is str else None


@attrs.frozen
class DecodedToken:
    """
    A token read back: its grants rebuilt, its raw parts read-only.

    Attributes:
        header: The JOSE header, read-only.
        claims: The payload, read-only (JSON arrays come back as tuples).
        grants: The grants rebuilt as grant classes, in the token's order;
            unknown keys come back as :class:`CustomGrant`.
        verified: ``True`` from :func:`decode`, ``False`` from
            :func:`decode_unverified`.
        token: The JWT it was read from.
    """

    header: FrozenDict
    claims: FrozenDict
    grants: tuple[Grant, ...]
    verified: bool
    token: str = attrs.field(repr=False, eq=False)

    @property
    def identity(self) -> str | None:
        """``grants.identity``, or ``None``."""
        grants = self.claims.get("grants")
        if isinstance(grants, FrozenDict):
            return _str_claim(grants, "identity")
        return None

    @property
    def account_sid(self) -> str | None:
        """The Account SID (``sub``)."""
        return _str_claim(self.claims, "sub")

    @property
    def api_key_sid(self) -> str | None:
        """The API key SID (``iss``)."""
        return _str_claim(self.claims, "iss")

    @property
    def region(self) -> str | None:
        """The Twilio Region (the ``twr`` header); ``None`` is US1."""
        return _str_claim(self.header, "twr") or None

    @property
    def jti(self) -> str | None:
        """The token's unique id."""
        return _str_claim(self.claims, "jti")

    @property
    def issued_at(self) -> datetime | None:
        """``iat`` as an aware UTC datetime, if present."""
        return utc(self.claims.get("iat"))

    @property
    def not_before(self) -> datetime | None:
        """``nbf`` as an aware UTC datetime, if present."""
        return utc(self.claims.get("nbf"))

    @property
    def expires_at(self) -> datetime | None:
        """``exp`` as an aware UTC datetime."""
        return utc(self.claims.get("exp"))

    @property
    def lifetime(self) -> int | None:
        """
        Seconds from ``iat`` (else ``nbf``) to ``exp``; None if unknown.
        """
        return lifetime_of(self.claims)

    def expires_in(self, now: int | datetime | None = None) -> timedelta:
        """
        The time left before ``exp``; negative once expired.

        Beyond what a timedelta holds, it is ``timedelta.max`` (or min).

        Args:
            now: The time to count from (int epoch or aware datetime); the
                clock by default.

        Returns:
            ``exp`` minus *now*.

        Raises:
            ExpiredTokenError: The token has no integer ``exp`` (only
                possible with :func:`decode_unverified`).
        """
        exp = self.claims.get("exp")
        if type(exp) is not int:
            msg = f"exp is {show(exp)}, not integer epoch seconds."
            raise ExpiredTokenError(msg, "exp")
        left = exp - now_or(now)
        if abs(left) > _TIMEDELTA_SECONDS:  # some 2.7 million years: clamp
            return timedelta.max if left > 0 else timedelta.min
        return timedelta(seconds=left)

    @overload
    def grant(self, kind: type[_G]) -> _G | None: ...

    @overload
    def grant(self, kind: str) -> Grant | None: ...

    def grant(self, kind: type[Any] | str) -> Any:
        """
        The grant of a class (``t.grant(VoiceGrant)``) or key, or ``None``.

        Args:
            kind: A grant class, or a key (``"flex_insights"``).

        Returns:
            The first grant of that class or key, or ``None``.
        """
        for g in self.grants:
            if (g.key == kind) if isinstance(kind, str) else type(g) is kind:
                return g
        return None


# ------------------------------------------------------------ reading


def read_subject(
    header: Mapping[str, Any],
    claims: Mapping[str, Any],
    *,
    notes: bool = True,
) -> Subject:
    """
    The subject of a token read from the wire: rebuild its grants.

    With *notes*, also the lesser oddities ``check()`` warns of (null
    grants, fields a grant does not define); ``decode()`` needs none.
    """
    raw = claims.get("grants", ABSENT)
    if not isinstance(raw, Mapping):
        what = "missing" if raw is ABSENT else f"{show(raw)}, not an object"
        reason = f"grants is {what}; Twilio needs an object of grants."
        return Subject(header, claims, (), (), broken=(("grants", reason),))
    keys: list[str] = []
    grants: list[Grant] = []
    broken: list[tuple[str, str]] = []
    oddities: list[tuple[str, str]] = []
    identity = raw.get("identity", ABSENT)
    if identity is not ABSENT and type(identity) is not str:
        reason = (
            f"identity is {show(identity)}, not a string; Twilio needs "
            "a string (Video answers 53200 for numbers)."
        )
        broken.append(("grants.identity", reason))
    for key, value in raw.items():
        if key == "identity":
            continue
        keys.append(key)
        try:
            grant = grant_from_claims(key, value)
        except (TypeError, ValueError) as e:
            broken.append((f"grants.{key}", str(e)))
            continue
        grants.append(grant)
        if notes:
            oddities.extend(_unknown_fields(key, value, grant))
    return Subject(
        header,
        claims,
        tuple(keys),
        tuple(grants),
        identity,
        tuple(broken),
        tuple(oddities),
    )


def _unknown_fields(
    key: str, value: object, grant: Grant
) -> Iterator[tuple[str, str]]:
    """A null grant, fields its class does not define, ignored fields."""
    cls: Any = type(grant)
    names = getattr(cls, "top_level", None)
    if value is None:
        if names:  # a grant whose whole value is a field may be empty
            yield (f"grants.{key}", f"grants.{key} is null; send an object.")
        return
    if not names or not isinstance(value, Mapping):
        return
    for name in value:
        if name not in names:
            reason = (
                f"grants.{key} has a field {show(name)} that {key} grants "
                "do not define; Twilio ignores it (a typo?)."
            )
            yield (f"grants.{key}.{name}", reason)
    for path, required, why in cls.requirements:
        if _at(value, path) and not _at(value, required):
            where = ".".join((f"grants.{key}", *path[:-1]))
            reason = f"{where} has {path[-1]} but no {required[-1]}; {why}."
            yield (f"{where}.{path[-1]}", reason)


def _at(value: object, path: tuple[str, ...]) -> object:
    """The value at *path* in nested objects, or None."""
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _raise_first(rules: tuple[Rule, ...], s: Subject, ctx: Context) -> None:
    # The rules decode() enforces report errors only (see _rules.py).
    for problem in run(rules, s, ctx):
        raise _ERRORS[problem.code](problem.message, problem.field)


def _build(
    token: str | bytes,
    header: FrozenDict,
    claims: FrozenDict,
    subject: Subject,
    *,
    verified: bool,
) -> DecodedToken:
    return DecodedToken(
        header=header,
        claims=claims,
        grants=subject.grants,
        verified=verified,
        token=token if isinstance(token, str) else token.decode(),
    )


def decode(
    token: str | bytes,
    api_key_secret: str,
    *,
    account_sid: str | None = None,
    api_key_sid: str | None = None,
    leeway: int | timedelta = 0,
    now: int | datetime | None = None,
) -> DecodedToken:
    """
    Verify a token and read it into a :class:`DecodedToken`.

    Checks, in Twilio's order: the JWT's shape (20101), the header (20102),
    the HS256 signature (20107; the algorithm is pinned, never read from
    the header), ``iss``/``sub`` (20103), ``exp`` (20104), ``nbf``
    (20105) and the grants (20106).

    Args:
        token: The JWT.
        api_key_secret: The secret of the API key that signed it.
        account_sid: The expected Account SID (``sub``), if any.
        api_key_sid: The expected API key SID (``iss``), if any.
        leeway: Tolerance for ``exp`` and ``nbf``, seconds or timedelta.
        now: The time to judge at; the clock by default.

    Raises:
        InvalidTokenError: A subclass per Twilio code, with ``.code``.
        TypeError: An argument of the wrong type.
        ValueError: An empty secret or a negative leeway.
    """
    key = signing_key(check_secret(api_key_secret))
    slack = seconds(leeway, "leeway")
    if slack < 0:
        msg = f"leeway must not be negative, got {show(leeway)}."
        raise ValueError(msg)
    ctx = Context(
        now=now_or(now),
        leeway=slack,
        account_sid=expected_sid(account_sid, "account_sid"),
        api_key_sid=expected_sid(api_key_sid, "api_key_sid"),
    )
    header, claims, signing_input, signature = parse(token)
    subject = read_subject(header, claims, notes=False)
    _raise_first(BEFORE_SIGNATURE, subject, ctx)
    if not key.verify(signing_input, signature):
        msg = "The signature does not match this API key secret."
        raise InvalidSignatureError(msg)
    _raise_first(AFTER_SIGNATURE, subject, ctx)
    return _build(token, header, claims, subject, verified=True)


def decode_unverified(token: str | bytes) -> DecodedToken:
    """
    Read a token WITHOUT verifying anything: for tests and debugging.

    Only what is not a JWT at all is refused (20101). Grants that cannot
    be rebuilt are left out of ``grants`` (``claims`` still has them);
    ``check()`` says what is wrong with them.

    Args:
        token: The JWT.

    Returns:
        The token read, with ``verified=False``.

    Raises:
        TypeError: *token* is neither ``str`` nor ``bytes``.
        MalformedTokenError: Not a JWT (the message says what it looks
            like instead, a pasted ``Bearer`` header, say).
        InvalidHeaderError: A header that names a parameter twice.
        InvalidGrantsError: Grants nested past the depth bound.
    """
    header, claims, _, _ = parse(token)
    subject = read_subject(header, claims, notes=False)
    return _build(token, header, claims, subject, verified=False)
