"""
Mistakes the type checker must flag: each ignore is for exactly one error,
and mypy --strict (warn_unused_ignores) fails if it is not needed.
"""

from datetime import timedelta

from twilio_tokens import AccessToken, VoiceGrant


def mistakes() -> None:
    AccessToken("AC", "SK", b"secret")  # type: ignore[arg-type]
    AccessToken("AC", "SK", "s", grants=VoiceGrant())  # type: ignore[arg-type]
    AccessToken("AC", "SK", "s", ttl="1h")  # type: ignore[arg-type]
    VoiceGrant(incoming_allow="yes")  # type: ignore[arg-type]
    AccessToken("AC", "SK", "s", nbf=1.5)  # type: ignore[arg-type]
    AccessToken("AC", "SK", "s", ttl=timedelta(hours=1))  # accepted
