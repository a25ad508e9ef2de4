"""
Mint, decode, verify and check Twilio Access Tokens.
"""

from __future__ import annotations

from typing import Any

from . import exceptions
from ._check import check, check_refresh
from ._decode import DecodedToken, decode, decode_unverified
from ._grants import (
    ChatGrant,
    ConversationsGrant,
    CustomGrant,
    Grant,
    IpMessagingGrant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
)
from ._identity import decode_identity, encode_identity
from ._json import FrozenDict
from ._problem import Problem
from ._token import AccessToken
from .exceptions import (
    ExpiredTokenError,
    FlexValidationUnavailableError,
    InvalidFlexTokenError,
    InvalidGrantsError,
    InvalidHeaderError,
    InvalidIssuerError,
    InvalidSignatureError,
    InvalidTokenError,
    MalformedTokenError,
    MissingCredentialsError,
    NotYetValidError,
    TokenRefusedError,
    TokenWarning,
    TwilioTokenError,
    WeakSecretWarning,
)


__all__ = [
    "AccessToken",
    "ChatGrant",
    "ConversationsGrant",
    "CustomGrant",
    "DecodedToken",
    "ExpiredTokenError",
    "FlexValidationUnavailableError",
    "FrozenDict",
    "Grant",
    "InvalidFlexTokenError",
    "InvalidGrantsError",
    "InvalidHeaderError",
    "InvalidIssuerError",
    "InvalidSignatureError",
    "InvalidTokenError",
    "IpMessagingGrant",
    "MalformedTokenError",
    "MissingCredentialsError",
    "NotYetValidError",
    "PlaybackGrant",
    "Problem",
    "SyncGrant",
    "TaskRouterGrant",
    "TokenRefusedError",
    "TokenWarning",
    "TwilioTokenError",
    "VideoGrant",
    "VoiceGrant",
    "WeakSecretWarning",
    "check",
    "check_refresh",
    "decode",
    "decode_identity",
    "decode_unverified",
    "encode_identity",
    "exceptions",
]


def __getattr__(name: str) -> Any:
    # importlib.metadata is slow to import; pay for it only when asked.
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415

        return version("twilio-tokens")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
