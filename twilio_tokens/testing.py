"""
Helpers for testing code that mints Twilio Access Tokens.

In plain Python, :func:`fake_credentials` gives fake, valid-format
credentials that mint (:meth:`Credentials.token`, :meth:`Credentials.mint`)
and verify (:meth:`Credentials.decode`) tokens, and :func:`fake_sid` makes
a SID of any kind::

    creds = fake_credentials()
    jwt = creds.mint(identity="alice", grants=[VideoGrant()])
    assert creds.decode(jwt).identity == "alice"
    room_sid = fake_sid("RM")

With the pytest plugin (installed with the package) a test gets the same
credentials from the ``twilio_credentials`` fixture, or has them set in
the environment with ``twilio_env``; :func:`assert_token` decodes the token
an endpoint returned and says what differed::

    def test_voice_token(client, twilio_env):
        jwt = client.get("/token?product=voice").get_json()["token"]
        assert_token(jwt, twilio_env, identity="alice",
                     grants=[VoiceGrant(incoming_allow=True)])
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from ._check import check
from ._credentials import (
    ACCOUNT_SID_VARS,
    API_KEY_SECRET_VARS,
    API_KEY_SID_VARS,
    FAKE_ACCOUNT_SID,
    FAKE_API_KEY_SECRET,
    FAKE_API_KEY_SID,
    Secret,
    check_secret,
)
from ._decode import DecodedToken, decode
from ._fake_flex import FakeFlexService
from ._json import show, typename
from ._time import seconds
from ._token import AccessToken
from .exceptions import InvalidTokenError


if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime, timedelta

    from ._grants import Grant


__all__ = [
    "FAKE_ACCOUNT_SID",
    "FAKE_API_KEY_SECRET",
    "FAKE_API_KEY_SID",
    "Credentials",
    "FakeFlexService",
    "assert_token",
    "fake_credentials",
    "fake_sid",
]


class _Unset(enum.Enum):
    """The default of an :func:`assert_token` argument left out."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return self.value  # help() shows ``identity=UNSET``


UNSET: Final = _Unset.UNSET


def _secret(value: object) -> Secret:
    return Secret(check_secret(value, "Credentials.api_key_secret"))


@attrs.frozen
class Credentials:
    """
    An account SID, an API key SID and its secret (never shown).

    The secret is held so that no printer shows it: not ``repr()``, nor
    pytest's assertion diffs, nor Hypothesis' reports of a failing example.
    ``api_key_secret`` reads it.
    """

    account_sid: str
    api_key_sid: str
    _api_key_secret: Secret = attrs.field(converter=_secret, repr=False)

    @property
    def api_key_secret(self) -> str:
        """The API key's secret."""
        return self._api_key_secret.reveal()

    def token(self, **kwargs: Any) -> AccessToken:
        """
        An :class:`AccessToken` with these credentials.

        Args:
            kwargs: The other arguments of :class:`AccessToken`
                (``identity``, ``grants``, ``ttl``, …).
        """
        return AccessToken(
            self.account_sid, self.api_key_sid, self.api_key_secret, **kwargs
        )

    def mint(self, now: int | datetime | None = None, **kwargs: Any) -> str:
        """
        A JWT with these credentials.

        Args:
            now: The mint time (int epoch or aware datetime); the clock by
                default.
            kwargs: The other arguments of :class:`AccessToken`.

        Raises:
            TokenRefusedError: Twilio would reject the token.
        """
        return self.token(**kwargs).to_jwt(now=now)

    def decode(self, jwt: str | bytes, **kwargs: Any) -> DecodedToken:
        """
        Verify *jwt* against these credentials and decode it.

        The account and key are pinned: a token naming others fails.

        Args:
            jwt: The token.
            kwargs: The other arguments of :func:`decode` (``leeway``,
                ``now``).

        Raises:
            InvalidTokenError: The token does not verify (a subclass per
                Twilio code).
        """
        return decode(
            jwt,
            self.api_key_secret,
            account_sid=self.account_sid,
            api_key_sid=self.api_key_sid,
            **kwargs,
        )

    def environ(self) -> dict[str, str]:
        """The environment variables :meth:`AccessToken.from_env` reads."""
        return {
            ACCOUNT_SID_VARS[0]: self.account_sid,
            API_KEY_SID_VARS[0]: self.api_key_sid,
            API_KEY_SECRET_VARS[0]: self.api_key_secret,
        }


def fake_credentials() -> Credentials:
    """Fake credentials in Twilio's formats, with a 34-byte secret."""
    return Credentials(FAKE_ACCOUNT_SID, FAKE_API_KEY_SID, FAKE_API_KEY_SECRET)


_PREFIX: Final = re.compile("[A-Z]{2}")


def fake_sid(prefix: str, *, seed: int | str | None = None) -> str:
    """
    A SID in Twilio's format: *prefix* and 32 lower-case hex digits.

    Args:
        prefix: Two upper-case ASCII letters naming the kind of resource:
            ``"AP"`` a TwiML App, ``"IS"`` a Service, ``"CR"`` a push
            credential, ``"WS"``/``"WK"`` a TaskRouter Workspace/Worker, …
        seed: Without one, the digits are random, so two calls never
            collide; with one, they are derived from *prefix* and *seed*,
            so the same call gives the same SID in every run.

    Raises:
        TypeError: *prefix* is not a ``str``, or *seed* neither an
            ``int`` nor a ``str``.
        ValueError: *prefix* is not two upper-case letters.
    """
    if type(prefix) is not str:
        msg = (
            f"fake_sid() prefix must be a str, got {show(prefix)} "
            f"({typename(prefix)})."
        )
        raise TypeError(msg)
    if _PREFIX.fullmatch(prefix) is None:
        msg = (
            f"fake_sid() prefix must be two upper-case letters such as "
            f"'AP' or 'IS', got {show(prefix)}."
        )
        raise ValueError(msg)
    if seed is None:
        return prefix + secrets.token_hex(16)
    if type(seed) not in (int, str):
        msg = (
            f"fake_sid() seed must be an int or a str, got {show(seed)} "
            f"({typename(seed)})."
        )
        raise TypeError(msg)
    digest = hashlib.sha256(f"{prefix}:{seed!r}".encode()).hexdigest()
    return prefix + digest[:32]


# ----------------------------------------------------------- assert_token


def _json_kind(value: object) -> str:
    # JSON tells true, 1 and 1.0 apart; Python's == does not.
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return typename(value)


def _differences(name: str, expected: object, actual: object) -> list[str]:
    """
    ``name: expected …, got …`` for each place *actual* differs.

    Objects and arrays are compared item by item, so the line names the
    innermost difference; values by JSON type as well as by value.
    """
    __tracebackhide__ = True
    kind, got_kind = _json_kind(expected), _json_kind(actual)
    if kind != got_kind:
        if expected != actual:
            return [f"{name}: expected {expected!r}, got {actual!r}"]
        line = (  # equal in Python, different in JSON: say how
            f"{name}: expected {expected!r} ({kind}), "
            f"got {actual!r} ({got_kind})"
        )
        return [line]
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        return _object_differences(name, expected, actual)
    if isinstance(expected, (list, tuple)) and isinstance(
        actual, (list, tuple)
    ):
        return _array_differences(name, expected, actual)
    if expected != actual:
        return [f"{name}: expected {expected!r}, got {actual!r}"]
    return []


def _object_differences(
    name: str, expected: Mapping[str, Any], actual: Mapping[str, Any]
) -> list[str]:
    __tracebackhide__ = True
    lines: list[str] = []
    for key, want in expected.items():
        if key not in actual:
            lines.append(f"{name}[{key!r}]: missing (expected {want!r})")
        else:
            lines += _differences(f"{name}[{key!r}]", want, actual[key])
    lines.extend(
        f"{name}[{key!r}]: unexpected {have!r}"
        for key, have in actual.items()
        if key not in expected
    )
    return lines


def _array_differences(
    name: str, expected: Sequence[Any], actual: Sequence[Any]
) -> list[str]:
    __tracebackhide__ = True
    if len(expected) != len(actual):
        line = (
            f"{name}: expected {len(expected)} items {expected!r}, "
            f"got {len(actual)}: {actual!r}"
        )
        return [line]
    return [
        line
        for i, (want, have) in enumerate(zip(expected, actual, strict=True))
        for line in _differences(f"{name}[{i}]", want, have)
    ]


def _grant_differences(name: str, want: Grant, have: Grant) -> list[str]:
    __tracebackhide__ = True
    cls = type(want)
    if type(have) is not cls or not attrs.has(cls):
        return _differences(name, want.to_claims(), have.to_claims())
    return [
        line
        for field in attrs.fields(cls)
        for line in _differences(
            f"{name}.{field.name}",
            getattr(want, field.name),
            getattr(have, field.name),
        )
    ]


def _grants_differences(
    expected: Iterable[Grant], actual: tuple[Grant, ...], *, exact: bool
) -> list[str]:
    __tracebackhide__ = True
    lines: list[str] = []
    got = {g.key: g for g in actual}
    wanted = {g.key: g for g in expected}
    for key, want in wanted.items():
        have = got.get(key)
        if have is None:
            lines.append(f"grants.{key}: missing (expected {want!r})")
        else:
            lines += _grant_differences(f"grants.{key}", want, have)
    if exact:
        lines.extend(
            f"grants.{key}: unexpected {have!r} (exact_grants is on: "
            "list it in grants=, or pass exact_grants=False to allow "
            "grants not listed)"
            for key, have in got.items()
            if key not in wanted
        )
    return lines


def _verified(
    jwt: object,
    creds: Credentials,
    now: int | datetime | None,
    leeway: int,
) -> DecodedToken:
    """
    *jwt* decoded with *creds*, or an AssertionError saying why not.
    """
    __tracebackhide__ = True
    if not isinstance(jwt, (str, bytes)):
        msg = (
            f"no token to check: got {show(jwt)} ({typename(jwt)}); pass the "
            "JWT the endpoint returned"
        )
        raise AssertionError(msg)  # noqa: TRY004 - a failed assertion
    # Raised anew, from None: no frame of the package, where the secret
    # is a local, is in the traceback (pytest -l shows locals).
    try:
        token = creds.decode(jwt, now=now, leeway=leeway)
    except InvalidTokenError as e:
        msg = f"the token does not verify: {e} (Twilio {e.code})"
        raise AssertionError(msg) from None  # the message says it all
    except TypeError as e:
        raise TypeError(str(e)) from None
    except ValueError as e:
        raise ValueError(str(e)) from None
    return token


def _ttl_differences(ttl: object, token: DecodedToken) -> list[str]:
    """
    The lifetime, ``exp`` - (``iat``, else ``nbf``), against *ttl*.
    """
    __tracebackhide__ = True
    want = seconds(ttl, "ttl")
    lifetime = token.lifetime
    if lifetime is None:
        line = (
            f"ttl: expected {want}, but the token's lifetime cannot be "
            "known: it has no integer exp, or neither iat nor nbf"
        )
        return [line]
    name = "ttl (exp - iat)" if "iat" in token.claims else "ttl (exp - nbf)"
    return _differences(name, want, lifetime)


def assert_token(
    jwt: str,
    credentials: Credentials | None = None,
    *,
    identity: str | Literal[_Unset.UNSET] | None = UNSET,
    grants: Iterable[Grant] | None = None,
    exact_grants: bool = True,
    region: str | Literal[_Unset.UNSET] | None = UNSET,
    ttl: int | timedelta | None = None,
    now: int | datetime | None = None,
    leeway: int = 0,
    checks: bool = True,
) -> DecodedToken:
    """
    Assert that *jwt* is a valid token with the given contents.

    Every difference is listed in one AssertionError, one line each, as
    ``field: expected …, got …``; a grant is compared field by field, and
    JSON values (Voice params, a playback grant, custom claims) by type
    as well as by value, as JSON tells ``true``, ``1`` and ``1.0`` apart.
    Its frames are hidden from pytest's traceback, which shows your test.

    Args:
        jwt: The token under test, e.g. from a token endpoint's response.
        credentials: To verify the signature, account and key; the fake
            ones when omitted.
        identity: The expected identity (``None`` for none); not compared
            when left out (``UNSET``).
        grants: The expected grants, compared by key and field by field.
        exact_grants: With *grants*, no other grant may be present.
        region: The expected region (``None`` for none); not compared
            when left out (``UNSET``).
        ttl: The expected ``exp - iat``, if given.
        now: The time to judge at; the clock by default.
        leeway: Seconds of tolerance for ``exp`` and ``nbf``.
        checks: Also fail on any error-level problem of ``check()``.

    Returns:
        The decoded token, for further assertions.

    Raises:
        AssertionError: The token does not verify, or differs.
    """
    __tracebackhide__ = True
    creds = credentials or fake_credentials()
    token = _verified(jwt, creds, now, leeway)
    lines: list[str] = []
    if identity is not UNSET:
        lines += _differences("identity", identity, token.identity)
    if region is not UNSET:
        lines += _differences("region", region, token.region)
    if ttl is not None:
        lines += _ttl_differences(ttl, token)
    if grants is not None:
        lines += _grants_differences(grants, token.grants, exact=exact_grants)
    if checks:
        lines.extend(
            f"check: {p}"
            for p in check(token, api_key_secret=creds.api_key_secret, now=now)
            if p.severity == "error"
        )
    if lines:
        msg = "the token differs from what was expected:\n" + "\n".join(
            f"  {line}" for line in lines
        )
        raise AssertionError(msg)
    return token
