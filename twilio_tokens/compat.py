"""
A drop-in replacement for twilio-python's ``twilio.jwt`` (9.x).

Change the imports and nothing else::

    # from twilio.jwt.access_token import AccessToken
    # from twilio.jwt.access_token.grants import VoiceGrant
    from twilio_tokens.compat import AccessToken, VoiceGrant

The classes keep twilio-python's signatures, mutable attributes,
permissiveness (no SID, identity or ttl validation) and output: for the
same inputs and the same ``time.time()``, the same header and payload, key
order included. Underneath, the grant shapes and the signing core are the
native ones; only what twilio-python does differently (truthiness instead
of ``None`` for unset fields, its claim order, ``nbf=now``, a ``jti`` of
``<SK>-<time>``) is set here. Move to :mod:`twilio_tokens` for validation,
``check()`` and typed decoding.
"""

from __future__ import annotations

import inspect
import time

from typing import Any, ClassVar

from . import _grants as native
from ._capability import (
    ClientCapabilityToken,
    ScopeURI,
    TaskQueueCapabilityToken,
    TaskRouterCapabilityToken,
    WorkerCapabilityToken,
    WorkspaceCapabilityToken,
)
from ._compat_jwt import Jwt, JwtDecodeError
from ._grants import claims_of
from ._wire import CTY


__all__ = [
    "AccessToken",
    "AccessTokenGrant",
    "ChatGrant",
    "ClientCapabilityToken",
    "Jwt",
    "JwtDecodeError",
    "PlaybackGrant",
    "ScopeURI",
    "SyncGrant",
    "TaskQueueCapabilityToken",
    "TaskRouterCapabilityToken",
    "TaskRouterGrant",
    "VideoGrant",
    "VoiceGrant",
    "WorkerCapabilityToken",
    "WorkspaceCapabilityToken",
]


# ------------------------------------------------------------------ grants


def _truthy(value: object) -> bool:
    """twilio-python's rule: a field is emitted only when truthy."""
    return bool(value)


class AccessTokenGrant:
    """A grant giving access to a Twilio resource."""

    @property
    def key(self) -> str:
        """The grant's key in the token."""
        msg = "Grant must have a key property."
        raise NotImplementedError(msg)

    def to_payload(self) -> Any:
        """The grant's claims."""
        msg = "Grant must implement to_payload."
        raise NotImplementedError(msg)

    def __str__(self) -> str:
        return f"<{type(self).__name__} {self.to_payload()}>"


class _Twin(AccessTokenGrant):
    """
    twilio-python's face of a native grant: mutable, unvalidated.

    The constructor takes the native grant's fields, in its order, all
    optional, by position or by name (twilio-python's signatures); the key
    and the claims' shape are the native grant's; only the rule for what
    is set (truthy, not ``None``) is twilio-python's.
    """

    native: ClassVar[type[Any]]
    __signature__: ClassVar[inspect.Signature]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__signature__ = inspect.Signature(
            [
                inspect.Parameter(
                    name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None
                )
                for name, _ in cls.native.fields
            ]
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        bound = self.__signature__.bind(*args, **kwargs)
        bound.apply_defaults()
        for name, value in bound.arguments.items():
            setattr(self, name, value)

    @property
    def key(self) -> str:
        """The native grant's key."""
        return str(self.native.key)

    def to_payload(self) -> Any:
        """The truthy fields, in the native grant's shape."""
        return claims_of(self.native, self, _truthy)


class ChatGrant(_Twin):
    """Grant to access Twilio Conversations (Chat)."""

    native = native.ChatGrant


class SyncGrant(_Twin):
    """Grant to access Twilio Sync."""

    native = native.SyncGrant


class VoiceGrant(_Twin):
    """Grant to access Twilio Programmable Voice."""

    native = native.VoiceGrant


class VideoGrant(_Twin):
    """Grant to access Twilio Video."""

    native = native.VideoGrant


class TaskRouterGrant(_Twin):
    """Grant to access Twilio TaskRouter."""

    native = native.TaskRouterGrant


class PlaybackGrant(_Twin):
    """Grant to access a Twilio Live stream."""

    native = native.PlaybackGrant

    def to_payload(self) -> Any:
        """The grant as given (``None`` is written as ``null``)."""
        return self.grant  # type: ignore[attr-defined]


# ------------------------------------------------------------------ token


class AccessToken(Jwt):
    """
    An Access Token with grants (twilio-python's ``AccessToken``).
    """

    ALGORITHM: ClassVar[str] = "HS256"

    def __init__(
        self,
        account_sid: Any,
        signing_key_sid: Any,
        secret: Any,
        grants: list[Any] | None = None,
        identity: Any = None,
        nbf: Any = Jwt.GENERATE,
        ttl: int = 3600,
        valid_until: Any = None,
        region: Any = None,
    ) -> None:
        grants = grants or []
        if any(not isinstance(g, AccessTokenGrant) for g in grants):
            msg = "Grants must be instances of AccessTokenGrant."
            raise ValueError(msg)
        self.account_sid = account_sid
        self.signing_key_sid = signing_key_sid
        self.identity = identity
        self.region = region
        self.grants = grants
        super().__init__(
            secret_key=secret,
            algorithm=self.ALGORITHM,
            issuer=signing_key_sid,
            subject=self.account_sid,
            nbf=nbf,
            ttl=ttl,
            valid_until=valid_until,
        )

    def add_grant(self, grant: Any) -> None:
        """
        Add a grant.

        Raises:
            ValueError: *grant* is not an :class:`AccessTokenGrant`.
        """
        if not isinstance(grant, AccessTokenGrant):
            msg = "Grant must be an instance of AccessTokenGrant."
            raise ValueError(msg)
        self.grants.append(grant)

    def _generate_headers(self) -> dict[str, Any]:
        headers: dict[str, Any] = {"cty": CTY}
        if self.region and isinstance(self.region, str):
            headers["twr"] = self.region
        return headers

    def _generate_payload(self) -> dict[str, Any]:
        now = int(time.time())
        grants = {grant.key: grant.to_payload() for grant in self.grants}
        if self.identity:
            grants["identity"] = self.identity
        return {"jti": f"{self.signing_key_sid}-{now}", "grants": grants}

    def __str__(self) -> str:
        return f"<{type(self).__name__} {self.to_jwt()}>"
