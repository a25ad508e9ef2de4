"""
The builder: an AccessToken turns into a header, a payload and a JWT.

Everything that does not depend on the clock (the encoded header, the
issuer and subject, the grants' JSON, the prepared key) is computed once,
when the token is built; ``to_jwt()`` only adds the times and a ``jti``.
"""

from __future__ import annotations

import functools
import os
import time

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from ._credentials import ENV, read_env
from ._fields import optional_text
from ._grants import BUILTIN_GRANTS, CustomGrant, Grant
from ._json import FrozenDict, dumps
from ._rules import (
    ABSENT,
    MINTING,
    TIMED,
    Context,
    Problem,
    Rule,
    Subject,
    identity,
    run,
)
from ._signing import (
    MAX_TOKEN_LENGTH,
    SigningKey,
    header,
    header_segment,
    sign,
    signing_key,
)
from ._time import epoch, now_or, seconds
from .exceptions import MissingCredentialsError, TokenRefusedError


if TYPE_CHECKING:
    from datetime import datetime


__all__ = ["AccessToken"]

_GRANT_TYPES: Final = frozenset((*BUILTIN_GRANTS.values(), CustomGrant))
_VIRTUAL_CLOCK: Final = Context(now=0)
_NO_CLOCK: Final = Context()
_NO_CLAIMS: Final[Mapping[str, Any]] = FrozenDict()
_DEFAULT_JTI: Final = 1 + 34 + 1 + 32 + 1  # "<SK…>-<32 hex>", in quotes
# Where a problem's claim came from, to name the argument in a refusal.
_ARGUMENTS: Final = {
    "iss": "api_key_sid",
    "sub": "account_sid",
    "jti": "jti",
    "nbf": "nbf",
    "grants.identity": "identity",
    "header.twr": "region",
}


def _str(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not str:
        msg = (
            f"AccessToken.{attribute.name} must be a str, got "
            f"{type(value).__name__}"
        )
        # The secret's value is never shown; the SIDs' are.
        if attribute.name != "api_key_secret":
            msg += f" {value!r}"
        raise TypeError(msg + ".")
    if not value:
        msg = f"AccessToken.{attribute.name} must not be empty."
        raise ValueError(msg)


def _grants(value: object) -> tuple[Grant, ...]:
    if type(value) not in (list, tuple) and (
        isinstance(value, (str, bytes, Mapping))
        or not isinstance(value, Iterable)
    ):
        msg = (
            "AccessToken.grants must be a list or tuple of grants, got "
            f"{value!r}; wrap a single grant in a list."
        )
        raise TypeError(msg)
    out = tuple(cast("Iterable[Grant]", value))
    for i, grant in enumerate(out):
        if type(grant) not in _GRANT_TYPES:
            msg = (
                f"AccessToken.grants[{i}] must be a twilio_tokens grant "
                f"(VoiceGrant, ChatGrant, …, CustomGrant), got {grant!r}."
            )
            raise TypeError(msg)
    return out


def _ttl(value: object) -> int:
    return seconds(value, "AccessToken.ttl")


def _nbf(value: object) -> int | None:
    return None if value is None else epoch(value, "AccessToken.nbf")


def _valid_until(value: object) -> int | None:
    return None if value is None else epoch(value, "AccessToken.valid_until")


def _errors(problems: Iterable[Problem]) -> Iterator[Problem]:
    return (p for p in problems if p.severity == "error")


# Everything but the identity: the part of a token an endpoint repeats for
# every user. Rules are pure functions of values, so a configuration seen
# before need not be judged again.
_CONFIGURATION: Final = tuple(rule for rule in MINTING if rule is not identity)


class _Configuration:
    """What a token's configuration fixes: its errors and its JSON."""

    __slots__ = ("errors", "grants", "head", "header", "keys", "tail")

    def __init__(  # noqa: PLR0917
        self,
        errors: tuple[Problem, ...],
        keys: tuple[str, ...],
        header: bytes,
        head: str,
        tail: str,
        grants: str | None,
    ) -> None:
        self.errors = errors
        self.keys = keys
        self.header = header  # the encoded header segment
        self.head = head  # the payload from after the jti to the iat
        self.tail = tail  # from after the iat to the exp
        self.grants = grants  # the grants object, open for an identity


def _exact(grants: tuple[Grant, ...]) -> bool:
    """
    Whether grants equal to these always write the same JSON.

    Free-form JSON (params, a playback grant, custom claims) may hold 1
    where an equal grant holds True or 1.0: its JSON is written per token.
    """
    return not any(
        type(g) is CustomGrant
        or getattr(g, "outgoing_application_params", None) is not None
        or getattr(g, "grant", None) is not None
        for g in grants
    )


@functools.lru_cache(maxsize=256)
def _configuration(  # noqa: PLR0917 - a cache key, positional for speed
    account_sid: str,
    api_key_sid: str,
    grants: tuple[Grant, ...],
    region: str | None,
    ttl: int,
    nbf: int | None,
    valid_until: int | None,
) -> _Configuration:
    """Judge and encode a token's configuration once; see _CONFIGURATION."""
    if valid_until is None:
        # ttl alone fixes every time rule: judge it once, on a clock that
        # reads 0, and never again at mint time.
        times, ctx = {"iat": 0, "exp": ttl}, _VIRTUAL_CLOCK
    else:
        times, ctx = {"exp": valid_until}, _NO_CLOCK
        if nbf is not None:
            times["nbf"] = nbf
    claims = {"jti": "-", "iss": api_key_sid, "sub": account_sid, **times}
    keys = tuple(g.key for g in grants)
    subject = Subject(header(region), claims, keys, grants)
    errors = tuple(_errors(run(_CONFIGURATION, subject, ctx)))
    nbf_json = "" if nbf is None else f',"nbf":{nbf}'
    open_grants = None
    if _exact(grants):
        open_grants = dumps({g.key: g.to_claims() for g in grants})[:-1]
    return _Configuration(
        errors,
        keys,
        header_segment(region),
        # Only used once the rules passed: both SIDs are then letters and
        # hex digits, with nothing to escape.
        f',"iss":"{api_key_sid}","sub":"{account_sid}","iat":',
        f'{nbf_json},"exp":',
        open_grants,
    )


def _too_long(size: int) -> Problem:
    return Problem(
        20101,
        "error",
        "token",
        f"the token would be {size} bytes; decode() refuses tokens over "
        f"{MAX_TOKEN_LENGTH}. Shrink the params or custom grants.",
    )


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
    """

    account_sid: str = attrs.field(validator=_str)
    api_key_sid: str = attrs.field(validator=_str)
    api_key_secret: str = attrs.field(validator=_str, repr=False)
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
    _head: str = attrs.field(init=False, repr=False, eq=False)
    _tail: str = attrs.field(init=False, repr=False, eq=False)
    _grants_json: str = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        config = _configuration(
            self.account_sid,
            self.api_key_sid,
            self.grants,
            self.region,
            self.ttl,
            self.nbf,
            self.valid_until,
        )
        ident = self.identity
        subject = Subject(
            _NO_CLAIMS,
            _NO_CLAIMS,
            config.keys,
            self.grants,
            ABSENT if ident is None else ident,
        )
        errors = config.errors + tuple(_errors(identity(subject, _NO_CLOCK)))
        if errors:
            self._raise_if(errors)
        key = signing_key(self.api_key_secret)
        if key.weak:
            key.warn_weak()
        open_grants = config.grants
        if open_grants is None:
            claims = {g.key: g.to_claims() for g in self.grants}
            open_grants = dumps(claims)[:-1]
        if ident is not None:
            comma = "," if self.grants else ""
            open_grants = f'{open_grants}{comma}"identity":{dumps(ident)}'
        setattr_ = object.__setattr__
        setattr_(self, "_key", key)
        setattr_(self, "_header", config.header)
        setattr_(self, "_head", config.head)
        setattr_(self, "_tail", config.tail)
        grants_json = f',"grants":{open_grants}}}}}'
        setattr_(self, "_grants_json", grants_json)
        # The longest this token can be (times up to 11 digits): refuse now
        # what to_jwt() would have to refuse.
        jti = _DEFAULT_JTI if self.jti is None else len(dumps(self.jti))
        payload = len(config.head) + len(config.tail) + len(grants_json)
        payload += len('{"jti":') + jti + 2 * 11
        size = len(config.header) + 1 + -(-4 * payload // 3) + 1 + 43
        if size > MAX_TOKEN_LENGTH:
            self._raise_if((_too_long(size),))

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
        credentials: list[str] = []
        missing: list[str] = []
        for names in ENV.values():
            value = read_env(env, names)
            if value is None:
                missing.append(" or ".join(names))
            else:
                credentials.append(value)
        if missing:
            msg = (
                "Twilio credentials missing from the environment: set "
                + "; ".join(missing)
                + "."
            )
            raise MissingCredentialsError(msg)
        return cls(*credentials, **kwargs)

    def to_jwt(self, now: int | datetime | None = None) -> str:
        """
        Mint the token: a fresh, signed JWT each call.

        Args:
            now: The mint time (int epoch or aware datetime); the clock by
                default. ``iat`` and ``exp`` come from this one reading.

        Raises:
            TokenRefusedError: With ``nbf``/``valid_until``, the token
                would be rejected at *now* (expired, or over 24 h).
        """
        t = int(time.time()) if now is None else now_or(now)
        exp = t + self.ttl if self.valid_until is None else self.valid_until
        if self.nbf is not None or self.valid_until is not None:
            # Absolute times: only the mint time can say if they are valid.
            self._refuse(TIMED, self._times(t), Context(now=t, minting=True))
        jti = self.jti
        jti_json = (
            f'"{self.api_key_sid}-{os.urandom(16).hex()}"'
            if jti is None
            else dumps(jti)
        )
        payload = (
            f'{{"jti":{jti_json}{self._head}{t}{self._tail}{exp}'
            f"{self._grants_json}"
        )
        jwt = sign(self._header, payload, self._key.sign)
        if len(jwt) > MAX_TOKEN_LENGTH:
            self._raise_if((_too_long(len(jwt)),))
        return jwt

    def _times(self, now: int) -> dict[str, int]:
        exp = now + self.ttl if self.valid_until is None else self.valid_until
        times = {"iat": now, "exp": exp}
        if self.nbf is not None:
            times["nbf"] = self.nbf
        return times

    def subject(self, now: int | None) -> Subject:
        """
        What the rules judge: this token as if minted at *now*.
        """
        times = {} if now is None else self._times(now)
        return self._subject(times)

    def _subject(self, times: Mapping[str, int]) -> Subject:
        claims = {
            "jti": self.jti or f"{self.api_key_sid}-<random>",
            "iss": self.api_key_sid,
            "sub": self.account_sid,
            **times,
        }
        return Subject(
            header(self.region),
            claims,
            tuple(g.key for g in self.grants),
            self.grants,
            ABSENT if self.identity is None else self.identity,
        )

    def _refuse(
        self,
        rules: tuple[Rule, ...],
        times: Mapping[str, int],
        ctx: Context,
    ) -> None:
        self._raise_if(tuple(_errors(run(rules, self._subject(times), ctx))))

    def _raise_if(self, errors: tuple[Problem, ...]) -> None:
        if errors:
            reasons = "; ".join(self._blame(p) for p in errors)
            msg = f"Twilio would reject this token: {reasons}"
            raise TokenRefusedError(msg, errors)

    def _blame(self, problem: Problem) -> str:
        """One problem, named after the argument it came from."""
        name = _ARGUMENTS.get(problem.field)
        if problem.field in ("exp", "iat"):
            name = "ttl" if self.valid_until is None else "valid_until"
        code = "" if problem.code is None else f" (Twilio {problem.code})"
        if name is None:
            return f"{problem.field}: {problem.message}{code}"
        return f"{name}={getattr(self, name)!r}: {problem.message}{code}"
