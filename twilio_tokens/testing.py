"""
Helpers for testing code that mints Twilio Access Tokens.

With the pytest plugin (installed with the package) a test gets fake,
valid-format credentials from the ``twilio_credentials`` fixture, or has
them set in the environment with ``twilio_env``; :func:`assert_token`
decodes the token an endpoint returned and says what differed::

    def test_voice_token(client, twilio_env):
        jwt = client.get("/token?product=voice").json()["token"]
        assert_token(jwt, twilio_env, identity="alice",
                     grants=[VoiceGrant(incoming_allow=True)])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs

from ._check import check
from ._credentials import (
    ACCOUNT_SID_VARS,
    API_KEY_SECRET_VARS,
    API_KEY_SID_VARS,
    FAKE_ACCOUNT_SID,
    FAKE_API_KEY_SECRET,
    FAKE_API_KEY_SID,
)
from ._decode import DecodedToken, decode
from ._token import AccessToken
from .exceptions import InvalidTokenError


if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime, timedelta

    from ._grants import Grant


__all__ = [
    "FAKE_ACCOUNT_SID",
    "FAKE_API_KEY_SECRET",
    "FAKE_API_KEY_SID",
    "Credentials",
    "assert_token",
    "fake_credentials",
]


_UNSET: Final[Any] = object()


@attrs.frozen
class Credentials:
    """
    An account SID, an API key SID and its secret (never shown).
    """

    account_sid: str
    api_key_sid: str
    api_key_secret: str = attrs.field(repr=False)

    def token(self, **kwargs: Any) -> AccessToken:
        """An :class:`AccessToken` with these credentials."""
        return AccessToken(
            self.account_sid, self.api_key_sid, self.api_key_secret, **kwargs
        )

    def mint(self, now: int | datetime | None = None, **kwargs: Any) -> str:
        """A JWT with these credentials; *kwargs* go to AccessToken."""
        return self.token(**kwargs).to_jwt(now=now)

    def decode(self, jwt: str, **kwargs: Any) -> DecodedToken:
        """Verify *jwt* against these credentials and decode it."""
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


def _diff(name: str, expected: object, actual: object) -> list[str]:
    if expected is _UNSET or expected == actual:
        return []
    return [f"  {name}: expected {expected!r}, got {actual!r}"]


def _grant_diffs(
    expected: Iterable[Grant], actual: tuple[Grant, ...], *, exact: bool
) -> list[str]:
    lines: list[str] = []
    got = {g.key: g for g in actual}
    wanted = {g.key: g for g in expected}
    for key, want in wanted.items():
        have = got.get(key)
        if have is None:
            lines.append(f"  grants.{key}: missing (expected {want!r})")
        elif have != want:
            lines.append(f"  grants.{key}: expected {want!r}")
            lines.append(f"  {' ' * len(f'grants.{key}')}       got {have!r}")
    if exact:
        lines.extend(
            f"  grants.{key}: unexpected {have!r}"
            for key, have in got.items()
            if key not in wanted
        )
    return lines


def assert_token(
    jwt: str,
    credentials: Credentials | None = None,
    *,
    identity: str | None = _UNSET,
    grants: Iterable[Grant] | None = None,
    exact_grants: bool = True,
    region: str | None = _UNSET,
    ttl: int | timedelta | None = None,
    now: int | datetime | None = None,
    leeway: int = 0,
    checks: bool = True,
) -> DecodedToken:
    """
    Assert that *jwt* is a valid token with the given contents.

    Every difference is listed in one AssertionError, as
    ``field: expected …, got …``.

    Args:
        jwt: The token under test, e.g. from a token endpoint's response.
        credentials: To verify the signature, account and key; the fake
            ones when omitted.
        identity: The expected identity, if given.
        grants: The expected grants, compared by key and value.
        exact_grants: With *grants*, no other grant may be present.
        region: The expected region (``None`` for none), if given.
        ttl: The expected ``exp - iat``, if given.
        now: The time to judge at; the clock by default.
        leeway: Seconds of tolerance for ``exp`` and ``nbf``.
        checks: Also fail on any error-level problem of ``check()``.

    Returns:
        The decoded token, for further assertions.
    """
    creds = credentials or fake_credentials()
    try:
        token = creds.decode(jwt, now=now, leeway=leeway)
    except InvalidTokenError as e:
        msg = f"the token does not verify: {e} (Twilio {e.code})"
        raise AssertionError(msg) from e
    lines = _diff("identity", identity, token.identity)
    lines += _diff("region", region, token.region)
    if ttl is not None:
        lifetime = token.claims.get("exp", 0) - token.claims.get("iat", 0)
        want = ttl if isinstance(ttl, int) else int(ttl.total_seconds())
        lines += _diff("ttl (exp - iat)", want, lifetime)
    if grants is not None:
        lines += _grant_diffs(grants, token.grants, exact=exact_grants)
    if checks:
        lines.extend(
            f"  check: {p}"
            for p in check(token, api_key_secret=creds.api_key_secret, now=now)
            if p.severity == "error"
        )
    if lines:
        msg = "the token differs from what was expected:\n" + "\n".join(lines)
        raise AssertionError(msg)
    return token
