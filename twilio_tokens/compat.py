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
from urllib.parse import urlencode

import jwt as pyjwt

from . import _grants as native
from ._fields import show_sid
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


class JwtDecodeError(Exception):
    """
    Any failure of :meth:`Jwt.from_jwt`, with the cause's message.
    """


class Jwt:
    """
    Base class for building a JSON Web Token (twilio-python's ``Jwt``).
    """

    GENERATE: ClassVar[object] = object()
    ALGORITHM: ClassVar[str] = "HS256"

    def __init__(
        self,
        secret_key: Any,
        issuer: Any,
        subject: Any = None,
        algorithm: str | None = None,
        nbf: Any = GENERATE,
        ttl: int = 3600,
        valid_until: Any = None,
    ) -> None:
        self.secret_key = secret_key
        self.issuer = issuer
        self.subject = subject
        self.algorithm = algorithm or self.ALGORITHM
        self.nbf = nbf
        self.ttl = ttl
        self.valid_until = valid_until
        self._decoded_payload: dict[str, Any] | None = None
        self._decoded_headers: dict[str, Any] | None = None

    def _generate_payload(self) -> dict[str, Any]:
        msg = "Subclass must provide a payload."
        raise NotImplementedError(msg)

    def _generate_headers(self) -> dict[str, Any]:
        return {}

    @classmethod
    def _from_jwt(
        cls,
        headers: dict[str, Any],
        payload: dict[str, Any],
        key: Any = None,
    ) -> Jwt:
        jwt = Jwt(
            secret_key=key,
            issuer=payload.get("iss"),
            subject=payload.get("sub"),
            algorithm=headers.get("alg"),
            valid_until=payload.get("exp"),
            nbf=payload.get("nbf"),
        )
        jwt._decoded_payload = payload
        jwt._decoded_headers = headers
        return jwt

    @property
    def payload(self) -> dict[str, Any]:
        """The claims: rebuilt on each access, or as decoded."""
        if self._decoded_payload:  # an empty one is rebuilt, as upstream
            return self._decoded_payload
        payload = self._generate_payload().copy()
        payload["iss"] = self.issuer
        payload["exp"] = int(time.time()) + self.ttl
        if self.nbf is not None:
            if self.nbf is self.GENERATE:
                payload["nbf"] = int(time.time())
            else:
                payload["nbf"] = self.nbf
        if self.valid_until:
            payload["exp"] = self.valid_until
        if self.subject:
            payload["sub"] = self.subject
        return payload

    @property
    def headers(self) -> dict[str, Any]:
        """The header: rebuilt on each access, or as decoded."""
        if self._decoded_headers:
            return self._decoded_headers
        headers = self._generate_headers().copy()
        headers["typ"] = "JWT"
        headers["alg"] = self.algorithm
        return headers

    def to_jwt(self, ttl: int | None = None) -> str:
        """
        Encode this token as a JWT; *ttl* overrides the configured one.

        Raises:
            ValueError: No secret key is configured.
        """
        if not self.secret_key:
            msg = "JWT does not have a signing key configured."
            raise ValueError(msg)
        headers = self.headers.copy()
        payload = self.payload.copy()
        if ttl:
            payload["exp"] = int(time.time()) + ttl
        return pyjwt.encode(
            payload, self.secret_key, algorithm=self.algorithm, headers=headers
        )

    @classmethod
    def from_jwt(cls, jwt: str, key: Any = "") -> Jwt:
        """
        Decode a JWT; the signature is verified only when *key* is given.

        ``exp`` and ``nbf`` are always checked, without leeway.

        Raises:
            JwtDecodeError: For any failure, with the cause's message.
        """
        try:
            headers, payload = _decode(jwt, key, cls.ALGORITHM)
        except Exception as e:
            raise JwtDecodeError(getattr(e, "message", str(e))) from e
        return cls._from_jwt(headers, payload, key)

    def __str__(self) -> str:
        return f"<JWT {self.to_jwt()}>"


def _decode(
    token: str, key: Any, algorithm: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """
    PyJWT's own decode, as twilio-python calls it.

    The signature is verified only with a truthy *key*; ``exp`` and ``nbf``
    always, on PyJWT's clock, with PyJWT's messages.

    Raises:
        ValueError: The header names another algorithm.
        jwt.PyJWTError: Whatever PyJWT refuses.
    """
    headers = pyjwt.get_unverified_header(token)
    alg = headers.get("alg")
    if alg != algorithm:
        msg = f"Incorrect decoding algorithm {alg}, expecting {algorithm}."
        raise ValueError(msg)
    payload = pyjwt.decode(
        token,
        key or "",
        algorithms=[algorithm],
        options={
            "verify_signature": bool(key),
            "verify_exp": True,
            "verify_nbf": True,
        },
    )
    return headers, payload


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


# ------------------------------------------------------------------ Client


class ScopeURI:
    """A capability of Twilio Client, scoped to a service."""

    def __init__(
        self,
        service: str,
        privilege: str,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.service = service
        self.privilege = privilege
        self.params = params or {}

    def add_param(self, key: str, value: Any) -> None:
        """Set a parameter."""
        self.params[key] = value

    def to_payload(self) -> str:
        """``scope:<service>:<privilege>[?<params, sorted, url-encoded>]``."""
        query = ""
        if self.params:
            query = "?" + urlencode(sorted(self.params.items()))
        return f"scope:{self.service}:{self.privilege}{query}"

    def __str__(self) -> str:
        return f"<ScopeURI {self.to_payload()}>"


class ClientCapabilityToken(Jwt):
    """A Twilio Client capability token, signed with the Auth Token."""

    ALGORITHM: ClassVar[str] = "HS256"

    def __init__(
        self,
        account_sid: Any,
        auth_token: Any,
        nbf: Any = Jwt.GENERATE,
        ttl: int = 3600,
        valid_until: Any = None,  # noqa: ARG002 - twilio-python ignores it
        **kwargs: Any,
    ) -> None:
        super().__init__(
            algorithm=self.ALGORITHM,
            secret_key=auth_token,
            issuer=account_sid,
            nbf=nbf,
            ttl=ttl,
            valid_until=None,
        )
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.client_name: Any = None
        self.capabilities: dict[str, ScopeURI] = {}
        if "allow_client_outgoing" in kwargs:
            self.allow_client_outgoing(**kwargs["allow_client_outgoing"])
        if "allow_client_incoming" in kwargs:
            self.allow_client_incoming(**kwargs["allow_client_incoming"])
        if "allow_event_stream" in kwargs:
            self.allow_event_stream(**kwargs["allow_event_stream"])

    def allow_client_outgoing(
        self, application_sid: Any, **kwargs: Any
    ) -> None:
        """Allow outgoing calls; *kwargs* are passed to the application."""
        scope = ScopeURI("client", "outgoing", {"appSid": application_sid})
        if kwargs:
            scope.add_param("appParams", urlencode(kwargs, doseq=True))
        self.capabilities["outgoing"] = scope

    def allow_client_incoming(self, client_name: Any) -> None:
        """Allow incoming calls to *client_name*."""
        self.client_name = client_name
        self.capabilities["incoming"] = ScopeURI(
            "client", "incoming", {"clientName": client_name}
        )

    def allow_event_stream(self, **kwargs: Any) -> None:
        """Allow subscribing to the event stream."""
        scope = ScopeURI("stream", "subscribe", {"path": "/2010-04-01/Events"})
        if kwargs:
            scope.add_param("params", urlencode(kwargs, doseq=True))
        self.capabilities["events"] = scope

    def _generate_payload(self) -> dict[str, Any]:
        if "outgoing" in self.capabilities and self.client_name is not None:
            self.capabilities["outgoing"].add_param(
                "clientName", self.client_name
            )
        scopes = [scope.to_payload() for scope in self.capabilities.values()]
        return {"scope": " ".join(scopes)}


# ------------------------------------------------------------------ TaskRouter


def _require(what: str, value: Any, prefix: str) -> None:
    if not value or not value.startswith(prefix):
        # twilio-python's message, but the value masked: a value in a SID
        # slot that is not a SID may be the Auth Token, passed in the
        # wrong place.
        msg = f"Invalid {what} provided {show_sid(value, prefix)}"
        raise ValueError(msg)


class TaskRouterCapabilityToken(Jwt):
    """A TaskRouter capability token, signed with the Auth Token."""

    VERSION: ClassVar[str] = "v1"
    DOMAIN: ClassVar[str] = "https://taskrouter.twilio.com"
    EVENTS_BASE_URL: ClassVar[str] = (
        "https://event-bridge.twilio.com/v1/wschannels"
    )
    ALGORITHM: ClassVar[str] = "HS256"

    def __init__(
        self,
        account_sid: Any,
        auth_token: Any,
        workspace_sid: Any,
        channel_id: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            secret_key=auth_token,
            issuer=account_sid,
            algorithm=self.ALGORITHM,
            nbf=kwargs.get("nbf", Jwt.GENERATE),
            ttl=kwargs.get("ttl", 3600),
            valid_until=kwargs.get("valid_until"),
        )
        self._validate_inputs(account_sid, workspace_sid, channel_id)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.workspace_sid = workspace_sid
        self.channel_id = channel_id
        self.policies: list[dict[str, Any]] = []
        for name, default in (
            ("allow_web_sockets", True),
            ("allow_fetch_self", True),
            ("allow_update_self", False),
            ("allow_delete_self", False),
            ("allow_fetch_subresources", False),
            ("allow_delete_subresources", False),
            ("allow_update_subresources", False),
        ):
            if kwargs.get(name, default):
                getattr(self, name)()

    @property
    def workspace_url(self) -> str:
        """The Workspace's REST URL."""
        return f"{self.DOMAIN}/{self.VERSION}/Workspaces/{self.workspace_sid}"

    @property
    def resource_url(self) -> str:
        """The URL of the token's own resource."""
        msg = "Subclass must set its specific resource_url."
        raise NotImplementedError(msg)

    @property
    def channel_prefix(self) -> str:
        """The SID prefix of the channel."""
        msg = "Subclass must set its specific channel_id sid prefix."
        raise NotImplementedError(msg)

    def allow_fetch_self(self) -> None:
        """GET the own resource."""
        self._make_policy(self.resource_url, "GET", True)

    def allow_update_self(self) -> None:
        """POST to the own resource."""
        self._make_policy(self.resource_url, "POST", True)

    def allow_delete_self(self) -> None:
        """DELETE the own resource."""
        self._make_policy(self.resource_url, "DELETE", True)

    def allow_fetch_subresources(self) -> None:
        """GET everything below the own resource."""
        self._make_policy(self.resource_url + "/**", "GET", True)

    def allow_update_subresources(self) -> None:
        """POST to everything below the own resource."""
        self._make_policy(self.resource_url + "/**", "POST", True)

    def allow_delete_subresources(self) -> None:
        """DELETE everything below the own resource."""
        self._make_policy(self.resource_url + "/**", "DELETE", True)

    def allow_web_sockets(self, channel_id: Any = None) -> None:
        """GET and POST on the event bridge channel."""
        channel_id = channel_id or self.channel_id
        url = f"{self.EVENTS_BASE_URL}/{self.account_sid}/{channel_id}"
        self._make_policy(url, "GET", True)
        self._make_policy(url, "POST", True)

    def _generate_payload(self) -> dict[str, Any]:
        payload = {
            "account_sid": self.account_sid,
            "workspace_sid": self.workspace_sid,
            "channel": self.channel_id,
            "version": self.VERSION,
            "friendly_name": self.channel_id,
            "policies": self.policies,
        }
        if self.channel_id.startswith("WK"):
            payload["worker_sid"] = self.channel_id
        elif self.channel_id.startswith("WQ"):
            payload["taskqueue_sid"] = self.channel_id
        return payload

    def _make_policy(
        self,
        url: str,
        method: str,
        allowed: bool,
        query_filter: dict[str, Any] | None = None,
        post_filter: dict[str, Any] | None = None,
    ) -> None:
        self.policies.append(
            {
                "url": url,
                "method": method.upper(),
                "allow": allowed,
                "query_filter": query_filter or {},
                "post_filter": post_filter or {},
            }
        )

    def _validate_inputs(
        self, account_sid: Any, workspace_sid: Any, channel_id: Any
    ) -> None:
        # twilio-python's order: the channel prefix is asked for last, so
        # the base class (which has none) still names a bad account.
        _require("account sid", account_sid, "AC")
        _require("workspace sid", workspace_sid, "WS")
        _require("channel id", channel_id, self.channel_prefix)

    def __str__(self) -> str:
        return f"<{self._NAME} {self.to_jwt()}>"

    _NAME: ClassVar[str] = "TaskRouterCapabilityToken"


class WorkerCapabilityToken(TaskRouterCapabilityToken):
    """A TaskRouter Worker's capability token."""

    _NAME: ClassVar[str] = "WorkerCapabilityToken"

    def __init__(
        self,
        account_sid: Any,
        auth_token: Any,
        workspace_sid: Any,
        worker_sid: Any,
        ttl: int = 3600,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            account_sid=account_sid,
            auth_token=auth_token,
            workspace_sid=workspace_sid,
            channel_id=worker_sid,
            ttl=ttl,
            **kwargs,
        )
        for name, default in (
            ("allow_fetch_activities", True),
            ("allow_fetch_reservations", True),
            ("allow_fetch_worker_reservations", True),
            ("allow_update_activities", False),
            ("allow_update_reservations", False),
        ):
            if kwargs.get(name, default):
                getattr(self, name)()

    @property
    def resource_url(self) -> str:
        """The Worker's REST URL."""
        return f"{self.workspace_url}/Workers/{self.channel_id}"

    @property
    def channel_prefix(self) -> str:
        """``WK``."""
        return "WK"

    def allow_fetch_activities(self) -> None:
        """GET the Workspace's Activities."""
        self._make_policy(self.workspace_url + "/Activities", "GET", True)

    def allow_fetch_reservations(self) -> None:
        """GET the Workspace's Tasks."""
        self._make_policy(self.workspace_url + "/Tasks/**", "GET", True)

    def allow_fetch_worker_reservations(self) -> None:
        """GET the Worker's Reservations."""
        self._make_policy(self.resource_url + "/Reservations/**", "GET", True)

    def allow_update_activities(self) -> None:
        """POST the Worker's activity (ActivitySid required)."""
        self._make_policy(
            self.resource_url,
            "POST",
            True,
            post_filter={"ActivitySid": {"required": True}},
        )

    def allow_update_reservations(self) -> None:
        """POST to Tasks and to the Worker's Reservations."""
        self._make_policy(self.workspace_url + "/Tasks/**", "POST", True)
        self._make_policy(self.resource_url + "/Reservations/**", "POST", True)


class TaskQueueCapabilityToken(TaskRouterCapabilityToken):
    """A TaskRouter TaskQueue's capability token."""

    _NAME: ClassVar[str] = "TaskQueueCapabilityToken"

    def __init__(
        self,
        account_sid: Any,
        auth_token: Any,
        workspace_sid: Any,
        task_queue_sid: Any,
        ttl: int = 3600,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            account_sid=account_sid,
            auth_token=auth_token,
            workspace_sid=workspace_sid,
            channel_id=task_queue_sid,
            ttl=ttl,
            **kwargs,
        )

    @property
    def resource_url(self) -> str:
        """The TaskQueue's REST URL."""
        return f"{self.workspace_url}/TaskQueues/{self.channel_id}"

    @property
    def channel_prefix(self) -> str:
        """``WQ``."""
        return "WQ"


class WorkspaceCapabilityToken(TaskRouterCapabilityToken):
    """A TaskRouter Workspace's capability token."""

    _NAME: ClassVar[str] = "WorkspaceCapabilityToken"

    def __init__(
        self,
        account_sid: Any,
        auth_token: Any,
        workspace_sid: Any,
        ttl: int = 3600,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            account_sid=account_sid,
            auth_token=auth_token,
            workspace_sid=workspace_sid,
            channel_id=workspace_sid,
            ttl=ttl,
            **kwargs,
        )

    @property
    def resource_url(self) -> str:
        """The Workspace's REST URL."""
        return self.workspace_url

    @property
    def channel_prefix(self) -> str:
        """``WS``."""
        return "WS"
