"""
The public API as a user types it: checked by mypy --strict in CI, never run.
"""

from datetime import datetime, timedelta, timezone

from twilio_tokens import (
    AccessToken,
    ChatGrant,
    CustomGrant,
    DecodedToken,
    Grant,
    InvalidTokenError,
    Problem,
    TokenRefusedError,
    VoiceGrant,
    check,
    check_refresh,
    decode,
    decode_unverified,
)
from twilio_tokens.compat import AccessToken as CompatAccessToken
from twilio_tokens.testing import Credentials, assert_token, fake_credentials


def mint(secret: str) -> str:
    token = AccessToken(
        "AC" + "0" * 32,
        "SK" + "0" * 32,
        secret,
        identity="alice",
        grants=[
            VoiceGrant(incoming_allow=True),
            ChatGrant(service_sid="IS" + "0" * 32),
        ],
        ttl=timedelta(hours=1),
        nbf=datetime.now(timezone.utc),
    )
    by_env: AccessToken = AccessToken.from_env(identity="bob")
    assert by_env.identity == "bob"
    return token.to_jwt(now=datetime.now(timezone.utc))


def inspect(jwt: str, secret: str) -> None:
    t: DecodedToken = decode(
        jwt, secret, account_sid="AC" + "0" * 32, leeway=timedelta(seconds=30)
    )
    voice: VoiceGrant | None = t.grant(VoiceGrant)
    any_grant: Grant | None = t.grant("flex_insights")
    left: timedelta = t.expires_in()
    when: datetime | None = t.expires_at
    grants: tuple[Grant, ...] = decode_unverified(jwt).grants
    custom: Grant = CustomGrant(key="flex_insights", claims={"a": 1})
    assert voice or any_grant or left or when or grants or custom


def judge(jwt: str) -> list[str]:
    problems: tuple[Problem, ...] = check(jwt, api_key_secret="s", now=0)
    codes: list[int | None] = [
        p.code for p in problems + check_refresh(jwt, jwt)
    ]
    return [f"{c}" for c in codes]


def errors(jwt: str) -> int | None:
    try:
        decode(jwt, "secret")
    except InvalidTokenError as e:
        return e.code
    try:
        AccessToken("AC", "SK", "secret")
    except TokenRefusedError as e:
        return e.code
    return None


def testing() -> str:
    creds: Credentials = fake_credentials()
    jwt = creds.mint(identity="a")
    assert_token(jwt, creds, identity="a", grants=[VoiceGrant()])
    return CompatAccessToken("AC", "SK", "secret", identity="a").to_jwt()


def documented_calls(secret: str) -> tuple[object, ...]:
    """Calls the docs show that the converters accept."""
    from twilio_tokens import PlaybackGrant

    compat = CompatAccessToken("AC", "SK", "secret", identity="a")
    return (
        check(compat),
        check(AccessToken("AC", "SK", secret, identity="a"), now=0),
        VoiceGrant(
            outgoing_application_sid="AP" + "0" * 32,
            outgoing_application_params={"to": "alice"},
        ),
        PlaybackGrant(grant={"playbackUrl": "https://example.com"}),
        AccessToken("AC", "SK", secret, grants=(VoiceGrant(),), ttl=60),
    )
