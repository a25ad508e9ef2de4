"""
The builder: an AccessToken turns into a header, a payload and a JWT.

A token is judged and prepared when it is built: its arguments, the rules
that need no clock, and its ttl on a clock that reads 0 at the mint time.
What minting needs (the encoded header, the grants' claims, the prepared
key) is kept on the token. ``to_jwt()`` adds the times and a ``jti``,
dumps the payload once and signs it; with ``nbf`` or ``valid_until``,
absolute times, it first judges them at the mint time.
"""

from __future__ import annotations

import os
import time

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from ._credentials import (
    AUTH_TOKEN_VARS,
    ENV,
    Secret,
    auth_token_hint,
    check_secret,
    read_env,
    spelled,
    wrapping,
)
from ._fields import optional_text, show_sid
from ._grants import BUILTIN_GRANTS, CustomGrant, Grant
from ._json import show, typename
from ._jws import (
    MAX_TOKEN_LENGTH,
    SigningKey,
    sign,
    signing_key,
)
from ._problem import Problem, error
from ._rules import (
    ABSENT,
    AT_BUILD,
    TIMED,
    TTL,
    Context,
    Subject,
    run,
    span,
)
from ._time import EPOCH_MAX, epoch, now_or, seconds
from ._warn import warn
from ._wire import header, header_segment
from .exceptions import (
    MissingCredentialsError,
    TokenRefusedError,
    TokenWarning,
)


if TYPE_CHECKING:
    from datetime import datetime, timedelta


__all__ = ["AccessToken"]

_GRANT_TYPES: Final = frozenset((*BUILTIN_GRANTS.values(), CustomGrant))
_NO_CLOCK: Final = Context()
# A ttl is judged once, as if minted at 0 on this clock.
_VIRTUAL_CLOCK: Final = Context(now=0, minting=True)
# The rules of AT_BUILD read no clock: with a ttl alone, one run judges all.
_WHEN_BUILT: Final = AT_BUILD + TTL
# Where a problem's claim came from, to name the argument in a refusal;
# "exp" and "iat" come from the ttl or valid_until (see _blame).
_ARGUMENTS: Final = {
    "iss": "api_key_sid",
    "sub": "account_sid",
    "jti": "jti",
    "nbf": "nbf",
    "grants.identity": "identity",
    "header.twr": "region",
}
# A generated jti is "<API key SID>-" and these many random bytes in hex.
_JTI_BYTES: Final = 16
_PREFIXES: Final = {"account_sid": "AC", "api_key_sid": "SK"}


def _credential_sid(instance: Any, attribute: Any, value: Any) -> None:
    name = f"AccessToken.{attribute.name}"
    if type(value) is not str:
        shown = show_sid(value, _PREFIXES[attribute.name])
        msg = f"{name} must be a str, got {shown} ({typename(value)})."
        raise TypeError(msg)
    if not value:
        msg = f"{name} must not be empty."
        raise ValueError(msg)
    where = wrapping(value)
    if where is not None:
        shown = show_sid(value, _PREFIXES[attribute.name])
        msg = f"{name} has {where}: {shown}; Twilio SIDs have none."
        raise ValueError(msg)


# The converters' parameter types are what AccessToken() accepts, for the
# type checker; each still checks at run time.


def _secret(value: str) -> Secret:
    return Secret(check_secret(value, "AccessToken.api_key_secret"))


def _grants(value: Iterable[Grant]) -> tuple[Grant, ...]:
    if type(value) not in (list, tuple) and (
        isinstance(value, (str, bytes, Mapping))
        or not isinstance(value, Iterable)
    ):
        msg = (
            "AccessToken.grants must be a list or tuple of grants, got "
            f"{show(value)}; wrap a single grant in a list."
        )
        raise TypeError(msg)
    try:
        out = tuple(value)
    except Exception:  # noqa: BLE001 - the caller's iterable failed
        msg = (
            f"AccessToken.grants could not be read: iterating the "
            f"{typename(value)} given failed; pass a list of grants."
        )
        raise TypeError(msg) from None
    for i, grant in enumerate(out):
        if type(grant) not in _GRANT_TYPES:
            msg = (
                f"AccessToken.grants[{i}] must be a twilio_tokens grant "
                f"(VoiceGrant, ChatGrant, …, CustomGrant), got {show(grant)}."
            )
            raise TypeError(msg)
    return out


def _ttl(value: int | timedelta) -> int:
    return seconds(value, "AccessToken.ttl")


def _nbf(value: int | datetime | None) -> int | None:
    return None if value is None else epoch(value, "AccessToken.nbf")


def _valid_until(value: int | datetime | None) -> int | None:
    return None if value is None else epoch(value, "AccessToken.valid_until")


def _split(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    errors = [p for p in problems if p.severity == "error"]
    return errors, [p for p in problems if p.severity != "error"]


@attrs.frozen
class AccessToken:
    """
    A Twilio Access Token, validated when built; ``to_jwt()`` mints it.

    Args:
        account_sid: The Account SID (``AC…``), the token's ``sub``.
        api_key_sid: The API key SID (``SK…``), the token's ``iss``.
        api_key_secret: The API key's secret; never shown.
        identity: The user: required by Voice, Video, Conversations and
            Sync. Voice allows only letters, digits and ``_``.
        grants: The product grants, at most one per key.
        ttl: Lifetime in seconds (int or timedelta), 1 to 86400.
        nbf: Not before (int epoch or aware datetime); usually best unset.
        valid_until: Expiry (int epoch or aware datetime); wins over ttl
            and must be at most 24 h after the mint time.
        region: The Twilio Region of the API key (the ``twr`` header).
        jti: A fixed token id; by default each mint gets a unique one.

    Raises:
        TypeError: An argument of the wrong type.
        ValueError: A malformed value; :class:`TokenRefusedError` when it
            is one Twilio would reject (with the problems and codes).

    Warns:
        TokenWarning: For each warning-level problem of the rule set, and
            for a secret shaped like an Account Auth Token.
    """

    account_sid: str = attrs.field(validator=_credential_sid)
    api_key_sid: str = attrs.field(validator=_credential_sid)
    # Boxed: test runners print attrs fields whatever repr=False says.
    _api_key_secret: Secret = attrs.field(converter=_secret, repr=False)
    identity: str | None = attrs.field(
        default=None, kw_only=True, validator=optional_text
    )
    grants: tuple[Grant, ...] = attrs.field(
        default=(), kw_only=True, converter=_grants
    )
    ttl: int = attrs.field(default=3600, kw_only=True, converter=_ttl)
    nbf: int | None = attrs.field(default=None, kw_only=True, converter=_nbf)
    valid_until: int | None = attrs.field(
        default=None, kw_only=True, converter=_valid_until
    )
    region: str | None = attrs.field(
        default=None, kw_only=True, validator=optional_text
    )
    jti: str | None = attrs.field(
        default=None, kw_only=True, validator=optional_text
    )

    _key: SigningKey = attrs.field(init=False, repr=False, eq=False)
    _header: bytes = attrs.field(init=False, repr=False, eq=False)
    _grant_claims: dict[str, Any] = attrs.field(
        init=False, repr=False, eq=False
    )

    @property
    def api_key_secret(self) -> str:
        """The API key's secret (never shown)."""
        return self._api_key_secret.reveal()

    def __attrs_post_init__(self) -> None:
        claims = {g.key: g.to_claims() for g in self.grants}
        if self.identity is not None:
            claims["identity"] = self.identity
        setattr_ = object.__setattr__
        setattr_(self, "_grant_claims", claims)
        self._judge_when_built()
        key = signing_key(self.api_key_secret)
        if key.weak:
            key.warn_weak()
        hint = auth_token_hint(self.api_key_secret)
        if hint is not None:
            warn(hint, TokenWarning)
        setattr_(self, "_key", key)
        setattr_(self, "_header", header_segment(self.region))

    @classmethod
    def from_env(
        cls,
        *,
        environ: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> AccessToken:
        """
        Build a token with credentials from the environment.

        Reads ``TWILIO_ACCOUNT_SID``, ``TWILIO_API_KEY`` (or
        ``TWILIO_API_KEY_SID``) and ``TWILIO_API_SECRET`` (or
        ``TWILIO_API_KEY_SECRET``).

        Args:
            environ: Where to read them; ``os.environ`` by default.
            kwargs: The other arguments of :class:`AccessToken`.

        Raises:
            MissingCredentialsError: A variable is unset or empty.
        """
        env = os.environ if environ is None else environ
        credentials: dict[str, str] = {}
        missing: list[str] = []
        for argument, names in ENV.items():
            value = read_env(env, names)
            if value is None:
                missing.append(" or ".join(names))
            else:
                credentials[argument] = value
        if missing:
            msg = (
                "Twilio credentials missing from the environment: set "
                + "; ".join(missing)
                + "."
            )
            if read_env(env, AUTH_TOKEN_VARS) is not None:
                msg += (
                    f" ({spelled(AUTH_TOKEN_VARS)} is set, but an Auth Token "
                    "cannot sign Access Tokens: create an API key (SK...) "
                    "and set its SID and secret.)"
                )
            raise MissingCredentialsError(msg)
        return cls(
            credentials["account_sid"],
            credentials["api_key_sid"],
            credentials["api_key_secret"],
            **kwargs,
        )

    def to_jwt(self, now: int | datetime | None = None) -> str:
        """
        Mint the token: a fresh, signed JWT each call.

        Args:
            now: The mint time (int epoch or aware datetime); the clock by
                default. ``iat`` and ``exp`` come from this one reading.

        Raises:
            TokenRefusedError: With ``nbf``/``valid_until``, the token
                would be rejected at *now* (expired, or over 24 h); or the
                token is longer than ``decode()`` accepts.

        Warns:
            TokenWarning: With ``nbf``/``valid_until``, for each warning
                of the time rules at *now*.
        """
        t = int(time.time()) if now is None else now_or(now)
        if self.valid_until is None and t + self.ttl > EPOCH_MAX:
            msg = (
                f"now is {t}; with ttl={self.ttl} the token would expire "
                "after the year 9999, which no reader can judge."
            )
            raise ValueError(msg)
        if self.nbf is not None or self.valid_until is not None:
            # Absolute times: only the mint time can say if they are valid.
            claims = self._claims(t)
            ctx = Context(now=t, minting=True)
            self._verdict(run(TIMED, self._subject(claims), ctx))
        jwt = self.jwt_at(t)
        self._check_size(len(jwt))
        return jwt

    def _check_size(self, size: int) -> None:
        if size > MAX_TOKEN_LENGTH:
            problem = error(
                20101,
                "token",
                f"the token would be {size} bytes; decode() refuses "
                f"tokens over {MAX_TOKEN_LENGTH}. Shrink the params or custom "
                "grants.",
            )
            self._refuse([problem])

    def jwt_at(self, now: int) -> str:
        """
        The JWT as minted at *now*, its times not judged.

        It is what ``check()`` judges; use :meth:`to_jwt` to mint.

        Args:
            now: The mint time, int epoch seconds.
        """
        return sign(self._header, self._claims(now), self._key)

    def _claims(self, now: int) -> dict[str, Any]:
        """The payload at *now*, in the documented order."""
        claims: dict[str, Any] = {
            "jti": self.jti
            or f"{self.api_key_sid}-{os.urandom(_JTI_BYTES).hex()}",
            "iss": self.api_key_sid,
            "sub": self.account_sid,
            "iat": now,
        }
        if self.nbf is not None:
            claims["nbf"] = self.nbf
        claims["exp"] = (
            now + self.ttl if self.valid_until is None else self.valid_until
        )
        claims["grants"] = self._grant_claims
        return claims

    def _judge_when_built(self) -> None:
        """Refuse what Twilio would reject at any mint time; warn the rest."""
        # The claims the rules of a build read, as if minted at 0: the
        # ttl, even when valid_until wins, and no nbf (judged at a mint).
        virtual = {
            "iss": self.api_key_sid,
            "sub": self.account_sid,
            "iat": 0,
            "exp": self.ttl,
        }
        subject = self._subject(virtual)
        if self.valid_until is None:
            problems = run(_WHEN_BUILT, subject, _VIRTUAL_CLOCK)
        else:
            # The ttl is not used, but a wrong one is still a mistake.
            timed = run(TTL, subject, _VIRTUAL_CLOCK)
            self._verdict(_split(timed)[0], exp_from="ttl")
            problems = run(AT_BUILD, subject, _NO_CLOCK)
        if self.nbf is not None and self.valid_until is not None:
            absolute = {"nbf": self.nbf, "exp": self.valid_until}
            problems += run((span,), self._subject(absolute), _NO_CLOCK)
        self._verdict(problems)

    def _subject(self, claims: Mapping[str, Any]) -> Subject:
        return Subject(
            header(self.region),
            claims,
            tuple([g.key for g in self.grants]),
            self.grants,
            ABSENT if self.identity is None else self.identity,
        )

    def _verdict(
        self,
        problems: list[Problem],
        *,
        exp_from: str | None = None,
    ) -> None:
        """Refuse the errors; warn of the rest (TokenWarning)."""
        if not problems:
            return
        errors, warned = _split(problems)
        if errors:
            self._refuse(errors, exp_from)
        for problem in warned:
            warn(self._blame(problem, exp_from), TokenWarning)

    def _refuse(
        self, errors: list[Problem], exp_from: str | None = None
    ) -> None:
        # Each reason is bounded; so is how many are listed (all are kept
        # on the error's problems).
        reasons = "; ".join(self._blame(p, exp_from) for p in errors[:5])
        if len(errors) > 5:  # noqa: PLR2004
            reasons += f"; and {len(errors) - 5} more (see .problems)"
        msg = f"Twilio would reject this token: {reasons}"
        raise TokenRefusedError(msg, tuple(errors))

    def _blame(self, problem: Problem, exp_from: str | None = None) -> str:
        """
        One problem, named after the argument it came from.

        ``exp`` and ``iat`` come from *exp_from*: by default ``valid_until``
        when it is given, else the ttl.
        """
        name = _ARGUMENTS.get(problem.field)
        if problem.field in ("exp", "iat"):
            default = "ttl" if self.valid_until is None else "valid_until"
            name = exp_from or default
        code = "" if problem.code is None else f" (Twilio {problem.code})"
        if name is None:
            return f"{problem.field}: {problem.message}{code}"
        value = getattr(self, name)
        prefix = _PREFIXES.get(name)
        shown = show(value) if prefix is None else show_sid(value, prefix)
        return f"{name}={shown}: {problem.message}{code}"
