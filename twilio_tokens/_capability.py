"""
twilio-python's capability tokens (Client and TaskRouter), for ``compat``.

They are signed with the Account's Auth Token, not an API key, and carry
scopes or policies instead of grants; ``twilio_tokens.compat`` exports
them as twilio-python does.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

from ._compat_jwt import Jwt
from ._fields import show_sid


__all__ = [
    "ClientCapabilityToken",
    "ScopeURI",
    "TaskQueueCapabilityToken",
    "TaskRouterCapabilityToken",
    "WorkerCapabilityToken",
    "WorkspaceCapabilityToken",
]


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
