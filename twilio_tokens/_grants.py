"""
Grants: immutable values that map to Twilio's product-specific claims.

Each grant class has a class-level ``key`` (its name under ``grants`` in the
token), ``to_claims()`` that returns a fresh dict in the canonical shape of
docs/token-format.md, and ``from_claims()``, its inverse. Decoding is lenient
where Twilio's helpers differ (``""`` fields, ``"allow": false``, ``null``)
and strict about types.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol, TypeVar

import attrs

from ._fields import optional_bool, optional_sid, optional_text
from ._json import FrozenDict, freeze, show, thaw, typename
from ._warn import warn


__all__ = [
    "BUILTIN_GRANTS",
    "ChatGrant",
    "ConversationsGrant",
    "CustomGrant",
    "Grant",
    "IpMessagingGrant",
    "PlaybackGrant",
    "SyncGrant",
    "TaskRouterGrant",
    "VideoGrant",
    "VoiceGrant",
    "grant_from_claims",
]


class Grant(Protocol):
    """
    What every grant offers: a ``key`` and its claims.
    """

    @property
    def key(self) -> str:
        """The grant's name under ``grants`` in the token."""
        ...

    def to_claims(self) -> Any:
        """Return the grant's claims, a fresh JSON value."""
        ...


_G = TypeVar("_G")


def _section(claims: object, where: str) -> Mapping[str, Any]:
    """
    *claims* as a mapping: ``None`` is an empty one; anything else fails.
    """
    if claims is None:
        return {}
    if not isinstance(claims, Mapping):
        msg = (
            f"{where} must be a JSON object, got {show(claims)} "
            f"({typename(claims)})."
        )
        raise TypeError(msg)
    return claims


def _get(claims: Mapping[str, Any], name: str) -> Any:
    """
    A field as written, with ``""`` read as unset (Java, Ruby, C# send it).
    """
    value = claims.get(name)
    return None if value == "" else value


Keep = Callable[[object], bool]
"""Which field values a shape emits: ours skip ``None``; twilio-python's
skip anything falsy."""


def is_set(value: object) -> bool:
    """The native rule: a field is emitted unless it is ``None``."""
    return value is not None


def flat_claims(
    names: tuple[str, ...], source: object, keep: Keep = is_set
) -> dict[str, Any]:
    """
    The shape of a flat grant: its fields in order, those *keep* accepts.
    """
    out = {}
    for name in names:
        value = getattr(source, name)
        if keep(value):
            out[name] = value
    return out


def voice_claims(
    source: Any, params: object, keep: Keep = is_set
) -> dict[str, Any]:
    """
    The shape of a voice grant (*params* given plain, ready for JSON).

    ``incoming`` only when ``incoming_allow is True``; ``outgoing`` only
    with an App SID, ``params`` only when non-empty.
    """
    out: dict[str, Any] = {}
    if source.incoming_allow is True:
        out["incoming"] = {"allow": True}
    if keep(source.outgoing_application_sid):
        outgoing = {"application_sid": source.outgoing_application_sid}
        if params:
            outgoing["params"] = params
        out["outgoing"] = outgoing
    if keep(source.push_credential_sid):
        out["push_credential_sid"] = source.push_credential_sid
    if keep(source.endpoint_id):
        out["endpoint_id"] = source.endpoint_id
    return out


def _freeze_object(value: object, where: str, depth: int) -> FrozenDict | None:
    """
    Freeze an optional JSON object given by the caller; ``{}`` is unset.

    *depth* is how many objects enclose it in the token's payload, so that
    nothing is built that the token's depth bound would refuse to read.
    """
    if value is None:
        return None
    if not isinstance(value, Mapping):
        msg = (
            f"{where} must be a mapping (a JSON object), got "
            f"{show(value)} ({typename(value)})."
        )
        raise TypeError(msg)
    frozen: FrozenDict = freeze(value, where, depth)
    return frozen or None


def _empty_to_none(value: object) -> object:
    return None if value == {} else value


# ---------------------------------------------------------------- Chat


def _chat_fields(claims: object, key: str) -> dict[str, Any]:
    section = _section(claims, f"grants.{key}")
    return {
        "service_sid": _get(section, "service_sid"),
        "endpoint_id": _get(section, "endpoint_id"),
        "deployment_role_sid": _get(section, "deployment_role_sid"),
        "push_credential_sid": _get(section, "push_credential_sid"),
    }


@attrs.frozen(kw_only=True)
class _ChatFields:
    """The fields, shared by chat and the legacy ip_messaging grants."""

    claim_names: ClassVar[tuple[str, ...]] = (
        "service_sid",
        "endpoint_id",
        "deployment_role_sid",
        "push_credential_sid",
    )

    service_sid: str | None = attrs.field(
        default=None, validator=optional_sid("IS")
    )
    endpoint_id: str | None = attrs.field(
        default=None, validator=optional_text
    )
    deployment_role_sid: str | None = attrs.field(
        default=None, validator=optional_sid("RL")
    )
    push_credential_sid: str | None = attrs.field(
        default=None, validator=optional_sid("CR")
    )

    def to_claims(self) -> dict[str, Any]:
        """Return ``{"service_sid", "endpoint_id", …}`` with set fields."""
        return flat_claims(self.claim_names, self)


@attrs.frozen(kw_only=True)
class ChatGrant(_ChatFields):
    """
    Lets the bearer use Conversations (and the older Chat) in a Service.

    Conversations needs ``service_sid``: Twilio answers 51104 without it.

    Attributes:
        service_sid: The Conversations Service (``IS…``).
        endpoint_id: A per-device id; Twilio derives one when unset.
        deployment_role_sid: A role (``RL…``) for the user in the Service.
        push_credential_sid: The push credential (``CR…``) to notify with.
    """

    key: ClassVar[str] = "chat"

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any] | None) -> ChatGrant:
        """Rebuild the grant from its claims."""
        return cls(**_chat_fields(claims, cls.key))


def _deprecated(name: str, instead: str) -> None:
    msg = f"{name} is a legacy grant; use {instead} for new code."
    warn(msg, DeprecationWarning)


def _quietly(cls: type[_G], fields: dict[str, Any]) -> _G:
    """
    Build a legacy grant without its warning: decoding is not using it.
    """
    grant = cls.__new__(cls)
    grant.__attrs_init__(**fields)  # type: ignore[attr-defined]
    return grant


@attrs.frozen(kw_only=True, init=False)
class IpMessagingGrant(_ChatFields):
    """
    The legacy Programmable Chat grant (``ip_messaging``); deprecated.

    It has :class:`ChatGrant`'s fields. twilio-python removed it in 8.0;
    use :class:`ChatGrant`.
    """

    key: ClassVar[str] = "ip_messaging"

    def __init__(
        self,
        *,
        service_sid: str | None = None,
        endpoint_id: str | None = None,
        deployment_role_sid: str | None = None,
        push_credential_sid: str | None = None,
    ) -> None:
        _deprecated("IpMessagingGrant", "ChatGrant")
        self.__attrs_init__(
            service_sid=service_sid,
            endpoint_id=endpoint_id,
            deployment_role_sid=deployment_role_sid,
            push_credential_sid=push_credential_sid,
        )

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any] | None) -> IpMessagingGrant:
        """Rebuild the grant from its claims, without the warning."""
        return _quietly(cls, _chat_fields(claims, cls.key))


@attrs.frozen(kw_only=True, init=False)
class ConversationsGrant:
    """
    The legacy Video "Conversations" grant (``rtc``); deprecated.

    Use :class:`VideoGrant`.
    """

    key: ClassVar[str] = "rtc"
    claim_names: ClassVar[tuple[str, ...]] = ("configuration_profile_sid",)

    configuration_profile_sid: str | None = attrs.field(
        default=None, validator=optional_text
    )

    def __init__(
        self, *, configuration_profile_sid: str | None = None
    ) -> None:
        _deprecated("ConversationsGrant", "VideoGrant")
        self.__attrs_init__(
            configuration_profile_sid=configuration_profile_sid
        )

    def to_claims(self) -> dict[str, Any]:
        """Return ``{"configuration_profile_sid"}`` when set."""
        return flat_claims(self.claim_names, self)

    @classmethod
    def from_claims(
        cls, claims: Mapping[str, Any] | None
    ) -> ConversationsGrant:
        """Rebuild the grant from its claims, without the warning."""
        section = _section(claims, f"grants.{cls.key}")
        return _quietly(
            cls,
            {
                "configuration_profile_sid": _get(
                    section, "configuration_profile_sid"
                )
            },
        )


# ---------------------------------------------------------------- Voice


def _allow(value: object) -> object:
    # "allow": false (Java) means the same as no incoming section.
    return None if value is False else value


def _params(value: object) -> FrozenDict | None:
    # payload > grants > voice > outgoing > params
    return _freeze_object(value, "VoiceGrant.outgoing_application_params", 4)


@attrs.frozen(kw_only=True)
class VoiceGrant:
    """
    Lets the bearer receive calls and place calls through a TwiML App.

    Attributes:
        incoming_allow: ``True`` to receive calls to the token's identity;
            ``False`` and ``None`` both mean no incoming calls.
        outgoing_application_sid: The TwiML App (``AP…``) for outgoing
            calls.
        outgoing_application_params: Extra parameters Twilio passes to the
            App's Voice URL; a JSON object, frozen. Needs an App SID.
        push_credential_sid: The push credential (``CR…``) for incoming
            call notifications on mobile.
        endpoint_id: A per-device id.
    """

    key: ClassVar[str] = "voice"
    # The fields that make the grant allow something; none set, it allows
    # nothing the Voice SDK can use.
    enabled_by: ClassVar[tuple[str, ...]] = (
        "incoming_allow",
        "outgoing_application_sid",
    )
    enabled_hint: ClassVar[str] = (
        "incoming_allow=True to receive calls, outgoing_application_sid to "
        "place them through a TwiML App"
    )
    claim_names: ClassVar[tuple[str, ...]] = (
        "incoming",
        "outgoing",
        "push_credential_sid",
        "endpoint_id",
    )

    incoming_allow: bool | None = attrs.field(
        default=None, converter=_allow, validator=optional_bool
    )
    outgoing_application_sid: str | None = attrs.field(
        default=None, validator=optional_sid("AP")
    )
    outgoing_application_params: FrozenDict | None = attrs.field(
        default=None, converter=_params
    )
    push_credential_sid: str | None = attrs.field(
        default=None, validator=optional_sid("CR")
    )
    endpoint_id: str | None = attrs.field(
        default=None, validator=optional_text
    )

    @outgoing_application_params.validator
    def _needs_app(self, _: Any, value: object) -> None:
        if value is not None and self.outgoing_application_sid is None:
            msg = (
                "VoiceGrant.outgoing_application_params needs an "
                "outgoing_application_sid: Twilio ignores params without "
                f"an App, got {show(value)}."
            )
            raise ValueError(msg)

    def to_claims(self) -> dict[str, Any]:
        """Return ``{"incoming", "outgoing", …}`` with set fields."""
        params = self.outgoing_application_params
        return voice_claims(self, None if params is None else params.thaw())

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any] | None) -> VoiceGrant:
        """Rebuild the grant from its claims."""
        section = _section(claims, "grants.voice")
        incoming = _section(section.get("incoming"), "grants.voice.incoming")
        outgoing = _section(section.get("outgoing"), "grants.voice.outgoing")
        app = _get(outgoing, "application_sid")
        # Twilio ignores params without an App: so does the grant.
        params = None if app is None else outgoing.get("params")
        return cls(
            incoming_allow=incoming.get("allow"),
            outgoing_application_sid=app,
            outgoing_application_params=_empty_to_none(params),
            push_credential_sid=_get(section, "push_credential_sid"),
            endpoint_id=_get(section, "endpoint_id"),
        )


# ---------------------------------------------------------------- Video


@attrs.frozen(kw_only=True)
class VideoGrant:
    """
    Lets the bearer join Video Rooms: one Room, or any when unset.

    Attributes:
        room: A Room name or SID (``RM…``) to restrict the token to.
    """

    key: ClassVar[str] = "video"
    claim_names: ClassVar[tuple[str, ...]] = ("room",)

    room: str | None = attrs.field(default=None, validator=optional_text)

    def to_claims(self) -> dict[str, Any]:
        """Return ``{"room"}``, or ``{}`` for any Room."""
        return flat_claims(self.claim_names, self)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any] | None) -> VideoGrant:
        """Rebuild the grant from its claims."""
        return cls(room=_get(_section(claims, "grants.video"), "room"))


# ---------------------------------------------------------------- Sync


@attrs.frozen(kw_only=True)
class SyncGrant:
    """
    Lets the bearer use a Sync Service.

    Attributes:
        service_sid: The Sync Service (``IS…``) or ``"default"``.
        endpoint_id: A per-device id.
    """

    key: ClassVar[str] = "data_sync"
    claim_names: ClassVar[tuple[str, ...]] = ("service_sid", "endpoint_id")

    service_sid: str | None = attrs.field(
        default=None, validator=optional_sid("IS", literal="default")
    )
    endpoint_id: str | None = attrs.field(
        default=None, validator=optional_text
    )

    def to_claims(self) -> dict[str, Any]:
        """Return ``{"service_sid", "endpoint_id"}`` with set fields."""
        return flat_claims(self.claim_names, self)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any] | None) -> SyncGrant:
        """Rebuild the grant from its claims."""
        section = _section(claims, "grants.data_sync")
        return cls(
            service_sid=_get(section, "service_sid"),
            endpoint_id=_get(section, "endpoint_id"),
        )


# ---------------------------------------------------------------- TaskRouter


@attrs.frozen(kw_only=True)
class TaskRouterGrant:
    """
    Lets the bearer act as a TaskRouter Worker (or supervisor).

    Attributes:
        workspace_sid: The Workspace (``WS…``).
        worker_sid: The Worker (``WK…``).
        role: ``"worker"`` or ``"supervisor"``.
    """

    key: ClassVar[str] = "task_router"
    claim_names: ClassVar[tuple[str, ...]] = (
        "workspace_sid",
        "worker_sid",
        "role",
    )

    workspace_sid: str | None = attrs.field(
        default=None, validator=optional_sid("WS")
    )
    worker_sid: str | None = attrs.field(
        default=None, validator=optional_sid("WK")
    )
    role: str | None = attrs.field(default=None, validator=optional_text)

    def to_claims(self) -> dict[str, Any]:
        """Return ``{"workspace_sid", "worker_sid", "role"}`` when set."""
        return flat_claims(self.claim_names, self)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any] | None) -> TaskRouterGrant:
        """Rebuild the grant from its claims."""
        section = _section(claims, "grants.task_router")
        return cls(
            workspace_sid=_get(section, "workspace_sid"),
            worker_sid=_get(section, "worker_sid"),
            role=_get(section, "role"),
        )


# ---------------------------------------------------------------- Playback


def _playback(value: object) -> FrozenDict | None:
    return _freeze_object(value, "PlaybackGrant.grant", 2)  # grants.player


@attrs.frozen(kw_only=True)
class PlaybackGrant:
    """
    Lets the bearer watch a Twilio Live stream.

    Attributes:
        grant: The mapping Twilio's PlaybackGrant API returned
            (``playbackUrl``, ``playerStreamerSid``,
            ``requestCredentials``), copied and frozen.
    """

    key: ClassVar[str] = "player"
    enabled_by: ClassVar[tuple[str, ...]] = ("grant",)
    enabled_hint: ClassVar[str] = (
        "pass the grant Twilio's PlaybackGrant API returned"
    )

    grant: FrozenDict | None = attrs.field(default=None, converter=_playback)

    def to_claims(self) -> dict[str, Any]:
        """Return a copy of the mapping, or ``{}``."""
        return {} if self.grant is None else self.grant.thaw()

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any] | None) -> PlaybackGrant:
        """Rebuild the grant from its claims (``null`` is unset)."""
        return cls(grant=_section(claims, "grants.player"))


# ---------------------------------------------------------------- Custom

BUILTIN_GRANTS: dict[str, Any] = {
    cls.key: cls
    for cls in (
        ChatGrant,
        VoiceGrant,
        VideoGrant,
        SyncGrant,
        TaskRouterGrant,
        PlaybackGrant,
        IpMessagingGrant,
        ConversationsGrant,
    )
}


def _custom_key(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not str:
        msg = f"CustomGrant.key must be a str, got {show(value)}."
        raise TypeError(msg)
    if not value:
        msg = "CustomGrant.key must not be empty."
        raise ValueError(msg)
    if value == "identity":
        msg = (
            "CustomGrant.key must not be 'identity': that key holds the "
            "token's identity; pass AccessToken(identity=...)."
        )
        raise ValueError(msg)
    if value in BUILTIN_GRANTS:
        msg = (
            f"CustomGrant.key {show(value)} belongs to "
            f"{BUILTIN_GRANTS[value].__name__}; use that class."
        )
        raise ValueError(msg)


def _custom_claims(value: object) -> Any:
    return freeze(value, "CustomGrant.claims", 2)  # payload > grants > claims


@attrs.frozen(kw_only=True)
class CustomGrant:
    """
    A grant under any other key: Flex's ``flex_insights``, future products.

    Attributes:
        key: The grant's key; not a built-in grant's key nor ``identity``.
        claims: Its JSON value (usually an object), copied and frozen.
    """

    key: str = attrs.field(validator=_custom_key)
    claims: Any = attrs.field(factory=FrozenDict, converter=_custom_claims)

    def to_claims(self) -> Any:
        """Return a plain copy of the claims."""
        return thaw(self.claims)

    @classmethod
    def from_claims(cls, claims: Any, *, key: str) -> CustomGrant:
        """Rebuild the grant from its claims; the key is not in them."""
        return cls(key=key, claims=claims)

    @classmethod
    def _read(cls, key: str, claims: Any) -> CustomGrant:
        """
        A grant read from a token: any key, any JSON the parser accepted.

        Twilio ignores grants it does not know, so a token may carry one
        that could not be built (an empty key, a 200-bit integer); reading
        it keeps it, as parsed (already frozen and bounded).
        """
        grant = object.__new__(cls)
        object.__setattr__(grant, "key", key)
        object.__setattr__(grant, "claims", claims)
        return grant


def grant_from_claims(key: str, claims: Any) -> Grant:
    """
    Rebuild the grant stored under *key* of a parsed token.

    Unknown keys give a CustomGrant holding the parsed claims as they are.

    Raises:
        TypeError: A field of the wrong JSON type.
        ValueError: A field of the right type in the wrong shape.
    """
    cls = BUILTIN_GRANTS.get(key)
    if cls is None:
        return CustomGrant._read(key, claims)  # noqa: SLF001
    return cls.from_claims(claims)  # type: ignore[no-any-return]
