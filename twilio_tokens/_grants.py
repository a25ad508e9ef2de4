"""
Grants: immutable values that map to Twilio's product-specific claims.

Each grant class is the one home of its product's facts. Its attrs fields
are declared with :func:`sid`, :func:`text`, :func:`flag` or :func:`json`,
which record where each field sits in the token (its claim path), its
kind and its command-line flag; its :class:`Product` says what Twilio and
the client SDKs need (an identity and its limits, the shortest useful
lifetime, the fields a client keeps for life, region support, what makes
the grant allow anything). ``to_claims()`` and ``from_claims()``, the rule
set, ``check_refresh()``, the command line and ``compat``'s grants are
derived from these declarations; no other module spells a product's key.

The claims are in the canonical shape of docs/token-format.md. Decoding is
lenient where Twilio's helpers differ (``""`` fields, ``"allow": false``,
``null``) and strict about types.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Final,
    Literal,
    Protocol,
    TypeVar,
)

import attrs

from ._fields import optional_bool, optional_sid, optional_text
from ._json import FrozenDict, freeze, show, thaw, typename
from ._warn import warn


if TYPE_CHECKING:
    from typing_extensions import Self  # for the type checker only


__all__ = [
    "BUILTIN_GRANTS",
    "KNOWN_OTHER_KEYS",
    "ChatGrant",
    "Claim",
    "ConversationsGrant",
    "CustomGrant",
    "Grant",
    "IdentityRule",
    "IpMessagingGrant",
    "PlaybackGrant",
    "Product",
    "SyncGrant",
    "TaskRouterGrant",
    "VideoGrant",
    "VoiceGrant",
    "claims_of",
    "declared",
    "grant_from_claims",
    "is_set",
    "product_of",
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

# ---------------------------------------------------------------- declarations


@attrs.frozen(kw_only=True)
class Claim:
    """
    Where a grant's field sits in the token, and how it is written.

    Attributes:
        path: The keys under the grant's object, outermost first; empty
            for a field that is the grant's whole value.
        kind: ``"sid"``, ``"text"``, ``"bool"`` (written only when
            ``True``) or ``"json"`` (an object, written only when not
            empty).
        prefix: A SID's two letters.
        flag: The command-line option that sets it.
        help: What the option does.
        metavar: How the option's value is written; for a JSON field,
            ``"NAME=VALUE"`` (repeated, one member each) or ``"JSON"``.
        requires: A field without which Twilio ignores this one (and
            neither builds nor writes it).
        requires_why: Why, for messages.
    """

    path: tuple[str, ...]
    kind: Literal["sid", "text", "bool", "json"]
    prefix: str | None = None
    flag: str | None = None
    help: str = ""
    metavar: str | None = None
    requires: str | None = None
    requires_why: str = ""


_CLAIM: Final = "twilio_tokens.claim"


def _path(claim: str) -> tuple[str, ...]:
    return tuple(claim.split(".")) if claim else ()


def sid(
    prefix: str,
    *,
    claim: str,
    flag: str | None = None,
    help: str = "",  # noqa: A002 - argparse's word
    literal: str | None = None,
) -> Any:
    """An optional SID field with *prefix* (attrs field)."""
    return attrs.field(
        default=None,
        validator=optional_sid(prefix, literal=literal),
        metadata={
            _CLAIM: Claim(
                path=_path(claim),
                kind="sid",
                prefix=prefix,
                flag=flag,
                help=help,
                metavar=f"{prefix}…",
            )
        },
    )


def text(
    *,
    claim: str,
    flag: str | None = None,
    help: str = "",  # noqa: A002 - argparse's word
    metavar: str = "ID",
) -> Any:
    """An optional, non-empty string field (attrs field)."""
    return attrs.field(
        default=None,
        validator=optional_text,
        metadata={
            _CLAIM: Claim(
                path=_path(claim),
                kind="text",
                flag=flag,
                help=help,
                metavar=metavar,
            )
        },
    )


def _false_is_unset(value: object) -> object:
    # "allow": false (Java) means the same as no section at all.
    return None if value is False else value


def flag(*, claim: str, flag: str | None = None, help: str = "") -> Any:  # noqa: A002
    """An optional bool written only when ``True`` (attrs field)."""
    return attrs.field(
        default=None,
        converter=_false_is_unset,
        validator=optional_bool,
        metadata={
            _CLAIM: Claim(path=_path(claim), kind="bool", flag=flag, help=help)
        },
    )


def json_object(
    *,
    claim: str,
    where: str,
    flag: str | None = None,
    help: str = "",  # noqa: A002
    metavar: Literal["NAME=VALUE", "JSON"] = "JSON",
    requires: str | None = None,
    requires_why: str = "",
) -> Any:
    """An optional JSON object, frozen; ``{}`` is unset (attrs field)."""
    path = _path(claim)
    # payload > grants > key > path: nothing is built that the token's
    # depth bound would refuse to read.
    depth = 2 + len(path)

    def convert(value: object) -> FrozenDict | None:
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

    return attrs.field(
        default=None,
        converter=convert,
        metadata={
            _CLAIM: Claim(
                path=path,
                kind="json",
                flag=flag,
                help=help,
                metavar=metavar,
                requires=requires,
                requires_why=requires_why,
            )
        },
    )


@attrs.frozen(kw_only=True)
class IdentityRule:
    """
    What a product needs of the token's identity.

    Attributes:
        missing_code: Twilio's answer to a token without one.
        max_length: The longest identity accepted.
        counted: How its length is counted: ``"characters"``, or
            ``"double-byte"`` (non-ASCII characters count two).
        length_code: Twilio's answer to a longer one.
        alphabet: The only characters allowed, if restricted.
        alphabet_code: Twilio's answer to another character.
        alphabet_hint: What to do about it.
    """

    missing_code: int
    max_length: int
    counted: Literal["characters", "double-byte"] = "characters"
    length_code: int
    alphabet: frozenset[str] | None = None
    alphabet_code: int | None = None
    alphabet_hint: str = ""


@attrs.frozen(kw_only=True)
class Product:
    """
    One Twilio product's facts, as its grant declares them.

    Attributes:
        name: The product's name, for messages.
        identity: What it needs of the identity; ``None``: nothing.
        min_lifetime: The shortest lifetime its SDK's refresh events need,
            in seconds, and why.
        endpoint: The field holding an endpoint id (51004 over 256).
        fixed_on_refresh: Fields a client keeps for life: a refreshed
            token must not change them (51232).
        unset_means: What Twilio takes an unset field for: ``(field,
            value)``.
        successor: The key of the grant that replaced this legacy one.
        clash_code: Twilio's code for a token with both this and its
            successor.
        enabled_by: Fields of which one must be set for the grant to
            allow anything, and what to do.
        required: Fields Twilio rejects the grant without: ``(field,
            code, why)``.
        complete: Fields the SDK needs all of, and why.
        choices: Fields whose values the SDK knows: ``(field, values)``.
        json_limits: JSON fields with a size limit: ``(field, bytes,
            code)``.
        regions: Where it works: ``"any"`` Twilio Region, ``"us1"`` only
            (an error elsewhere), or ``"none"`` (a region beside it is
            likely trouble: Twilio supports regions only for Voice).
        cli_flag: An option that adds the grant with no field set.
        cli_help: What that option does.
    """

    name: str
    identity: IdentityRule | None = None
    min_lifetime: tuple[int, str] | None = None
    endpoint: str | None = None
    fixed_on_refresh: tuple[str, ...] = ()
    unset_means: tuple[tuple[str, str], ...] = ()
    successor: str | None = None
    clash_code: int | None = None
    enabled_by: tuple[tuple[str, ...], str] | None = None
    required: tuple[tuple[str, int, str], ...] = ()
    complete: tuple[tuple[str, ...], str] | None = None
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    json_limits: tuple[tuple[str, int, int], ...] = ()
    regions: Literal["any", "us1", "none"] = "none"
    cli_flag: str | None = None
    cli_help: str = ""


def declared(cls: type[Any]) -> tuple[tuple[str, Claim], ...]:
    """
    The declared fields of a grant class: ``(attribute, claim)``, in order.
    """
    return tuple(
        (field.name, field.metadata[_CLAIM])
        for field in attrs.fields(cls)
        if _CLAIM in field.metadata
    )


Keep = Callable[[object], bool]
"""Which field values a shape writes: ours skip ``None``; twilio-python's
skip anything falsy."""


def is_set(value: object) -> bool:
    """The native rule: a field is written unless it is ``None``."""
    return value is not None


def claims_of(cls: type[Any], source: object, keep: Keep = is_set) -> Any:
    """
    The claims of a grant of class *cls* whose fields *source* holds.

    *source* is a grant, or ``compat``'s twin of one (with *keep* its
    rule for what is set). JSON values are written as plain copies.
    """
    out: dict[str, Any] = {}
    for name, kind, path, requires in cls.shape:
        value = getattr(source, name)
        if value is None:  # unset, for every rule of what is set
            continue
        if kind == "bool":
            if value is not True:
                continue
        elif not keep(value) or (
            requires is not None and not keep(getattr(source, requires))
        ):
            continue
        if kind == "json":
            value = thaw(value)
        if len(path) == 1:
            out[path[0]] = value
        elif not path:
            return value
        else:
            where = out
            for part in path[:-1]:
                where = where.setdefault(part, {})
            where[path[-1]] = value
    return out


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


def _read(cls: type[Any], claims: object) -> dict[str, Any]:
    """
    The field values of the grant of class *cls* written as *claims*.

    ``""`` reads as unset (Java, Ruby and C# write it), as does a field
    Twilio ignores for want of the field it requires.
    """
    root = f"grants.{cls.key}"
    section = _section(claims, root)
    # The objects on the fields' paths, outermost first, each read (and
    # checked) once.
    objects: dict[tuple[str, ...], Mapping[str, Any]] = {(): section}
    for path in cls.objects:
        place = ".".join((root, *path))
        objects[path] = _section(objects[path[:-1]].get(path[-1]), place)
    values: dict[str, Any] = {}
    for name, kind, path, requires in cls.shape:
        value: Any = objects[path[:-1]].get(path[-1]) if path else section
        if value == "" or (kind == "json" and value == {}):
            value = None
        if requires is not None and values.get(requires) is None:
            value = None  # Twilio ignores it: so does the grant
        values[name] = value
    return values


class _Grant:
    """What the declared grants share: their shape, both ways."""

    __slots__ = ()

    key: ClassVar[str]
    product: ClassVar[Product]
    fields: ClassVar[tuple[tuple[str, Claim], ...]] = ()
    # What claims_of() reads of each field: (name, kind, path, requires).
    shape: ClassVar[tuple[tuple[str, str, tuple[str, ...], str | None], ...]]
    # For reading tokens: the names directly under the grant's object, and
    # (path, path of the field it requires, why) for each field requiring
    # another.
    top_level: ClassVar[frozenset[str]] = frozenset()
    # The objects holding fields, below the grant's own: outermost first.
    objects: ClassVar[tuple[tuple[str, ...], ...]] = ()
    requirements: ClassVar[
        tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]
    ] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # attrs builds its class from this one: declare it when it is done.
        if "__attrs_attrs__" in cls.__dict__:
            cls.fields = declared(cls)
            cls.shape = tuple(
                (name, c.kind, c.path, c.requires) for name, c in cls.fields
            )
            paths = dict(cls.fields)
            cls.objects = tuple(
                dict.fromkeys(
                    c.path[:end]
                    for _, c in cls.fields
                    for end in range(1, len(c.path))
                )
            )
            cls.top_level = frozenset(
                c.path[0] for _, c in cls.fields if c.path
            )
            cls.requirements = tuple(
                (c.path, paths[c.requires].path, c.requires_why)
                for _, c in cls.fields
                if c.requires is not None
            )

    def to_claims(self) -> Any:
        """Return the grant's claims: a fresh dict of its set fields."""
        return claims_of(type(self), self)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any] | None) -> Self:
        """
        Rebuild the grant from its claims.

        Args:
            claims: The JSON object under the grant's key (``None`` is
                an empty one).

        Raises:
            TypeError: A field of the wrong JSON type.
            ValueError: A field of the right type in the wrong shape.
        """
        return cls(**_read(cls, claims))


# ---------------------------------------------------------------- Chat

_CHAT_IDENTITY: Final = IdentityRule(
    missing_code=51105, max_length=256, length_code=51003
)


@attrs.frozen(kw_only=True)
class ChatGrant(_Grant):
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
    product: ClassVar[Product] = Product(
        name="Conversations",
        identity=_CHAT_IDENTITY,
        min_lifetime=(180, "Conversations warns ~3 min before expiry"),
        endpoint="endpoint_id",
        fixed_on_refresh=("service_sid",),
        required=(
            (
                "service_sid",
                51104,
                "Conversations needs the Conversation Service SID (IS…)",
            ),
        ),
    )

    service_sid: str | None = sid(
        "IS",
        claim="service_sid",
        flag="--chat-service",
        help="Conversation Service SID",
    )
    endpoint_id: str | None = text(
        claim="endpoint_id", flag="--chat-endpoint", help="endpoint id"
    )
    deployment_role_sid: str | None = sid(
        "RL",
        claim="deployment_role_sid",
        flag="--chat-role",
        help="deployment role SID",
    )
    push_credential_sid: str | None = sid(
        "CR",
        claim="push_credential_sid",
        flag="--chat-push-credential",
        help="push credential SID",
    )


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
class IpMessagingGrant(_Grant):
    """
    The legacy Programmable Chat grant (``ip_messaging``); deprecated.

    It has :class:`ChatGrant`'s fields. twilio-python removed it in 8.0;
    use :class:`ChatGrant`.

    Attributes:
        service_sid: The Chat Service (``IS…``).
        endpoint_id: A per-device id.
        deployment_role_sid: A role (``RL…``) for the user.
        push_credential_sid: The push credential (``CR…``).
    """

    key: ClassVar[str] = "ip_messaging"
    product: ClassVar[Product] = Product(
        name="Chat",
        identity=_CHAT_IDENTITY,
        min_lifetime=(180, "Chat warns ~1-3 min before expiry"),
        endpoint="endpoint_id",
        successor="chat",
        clash_code=51110,
    )

    service_sid: str | None = sid("IS", claim="service_sid")
    endpoint_id: str | None = text(claim="endpoint_id")
    deployment_role_sid: str | None = sid("RL", claim="deployment_role_sid")
    push_credential_sid: str | None = sid("CR", claim="push_credential_sid")

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
        return _quietly(cls, _read(cls, claims))


@attrs.frozen(kw_only=True, init=False)
class ConversationsGrant(_Grant):
    """
    The legacy Video "Conversations" grant (``rtc``); deprecated.

    Use :class:`VideoGrant`.

    Attributes:
        configuration_profile_sid: The configuration profile.
    """

    key: ClassVar[str] = "rtc"
    product: ClassVar[Product] = Product(name="Video", successor="video")

    configuration_profile_sid: str | None = text(
        claim="configuration_profile_sid"
    )

    def __init__(
        self, *, configuration_profile_sid: str | None = None
    ) -> None:
        _deprecated("ConversationsGrant", "VideoGrant")
        self.__attrs_init__(
            configuration_profile_sid=configuration_profile_sid
        )

    @classmethod
    def from_claims(
        cls, claims: Mapping[str, Any] | None
    ) -> ConversationsGrant:
        """Rebuild the grant from its claims, without the warning."""
        return _quietly(cls, _read(cls, claims))


# ---------------------------------------------------------------- Voice

# Voice allows letters, digits and "_" only (/docs/iam/access-tokens).
_VOICE_ALPHABET: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
)


@attrs.frozen(kw_only=True)
class VoiceGrant(_Grant):
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
    product: ClassVar[Product] = Product(
        name="Voice",
        identity=IdentityRule(
            missing_code=31105,
            max_length=121,
            length_code=31105,
            alphabet=_VOICE_ALPHABET,
            alphabet_code=31105,
            alphabet_hint=(
                "Encode it with twilio_tokens.encode_identity() and decode "
                "it back with decode_identity()."
            ),
        ),
        endpoint="endpoint_id",
        enabled_by=(
            ("incoming_allow", "outgoing_application_sid"),
            (
                "incoming_allow=True to receive calls, "
                "outgoing_application_sid to place them through a TwiML App"
            ),
        ),
        json_limits=(("outgoing_application_params", 800, 31103),),
        regions="any",
    )

    incoming_allow: bool | None = flag(
        claim="incoming.allow",
        flag="--voice-incoming",
        help="allow incoming calls to the identity",
    )
    outgoing_application_sid: str | None = sid(
        "AP",
        claim="outgoing.application_sid",
        flag="--voice-app",
        help="TwiML App SID for outgoing calls",
    )
    outgoing_application_params: Mapping[str, Any] | None = json_object(
        claim="outgoing.params",
        where="VoiceGrant.outgoing_application_params",
        flag="--voice-param",
        help="a parameter passed to the TwiML App (repeatable)",
        metavar="NAME=VALUE",
        requires="outgoing_application_sid",
        requires_why="Twilio ignores params without an App",
    )
    push_credential_sid: str | None = sid(
        "CR",
        claim="push_credential_sid",
        flag="--voice-push-credential",
        help="push credential SID",
    )
    endpoint_id: str | None = text(
        claim="endpoint_id", flag="--voice-endpoint", help="endpoint id"
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


# ---------------------------------------------------------------- Video


@attrs.frozen(kw_only=True)
class VideoGrant(_Grant):
    """
    Lets the bearer join Video Rooms: one Room, or any when unset.

    Attributes:
        room: A Room name or SID (``RM…``) to restrict the token to.
    """

    key: ClassVar[str] = "video"
    product: ClassVar[Product] = Product(
        name="Video",
        identity=IdentityRule(
            missing_code=53200,
            max_length=128,
            counted="double-byte",
            length_code=53201,
        ),
        regions="us1",
        cli_flag="--video",
        cli_help="a Video grant for any Room",
    )

    room: str | None = text(
        claim="room",
        flag="--video-room",
        help="restrict to one Room (name/SID)",
        metavar="NAME",
    )


# ---------------------------------------------------------------- Sync


@attrs.frozen(kw_only=True)
class SyncGrant(_Grant):
    """
    Lets the bearer use a Sync Service.

    Attributes:
        service_sid: The Sync Service (``IS…``) or ``"default"``.
        endpoint_id: A per-device id.
    """

    key: ClassVar[str] = "data_sync"
    product: ClassVar[Product] = Product(
        name="Sync",
        identity=IdentityRule(
            missing_code=51105, max_length=256, length_code=54351
        ),
        min_lifetime=(1800, "Sync recommends at least 30 min"),
        endpoint="endpoint_id",
        fixed_on_refresh=("service_sid",),
        # No service_sid is the account's default Sync Service.
        unset_means=(("service_sid", "default"),),
    )

    service_sid: str | None = sid(
        "IS",
        claim="service_sid",
        flag="--sync-service",
        help="Sync Service SID or 'default'",
        literal="default",
    )
    endpoint_id: str | None = text(
        claim="endpoint_id", flag="--sync-endpoint", help="endpoint id"
    )


# ---------------------------------------------------------------- TaskRouter


@attrs.frozen(kw_only=True)
class TaskRouterGrant(_Grant):
    """
    Lets the bearer act as a TaskRouter Worker (or supervisor).

    Attributes:
        workspace_sid: The Workspace (``WS…``).
        worker_sid: The Worker (``WK…``).
        role: ``"worker"`` or ``"supervisor"``.
    """

    key: ClassVar[str] = "task_router"
    product: ClassVar[Product] = Product(
        name="TaskRouter",
        complete=(
            ("workspace_sid", "worker_sid", "role"),
            "the TaskRouter SDK needs all three",
        ),
        choices=(("role", ("worker", "supervisor")),),
    )

    workspace_sid: str | None = sid(
        "WS",
        claim="workspace_sid",
        flag="--taskrouter-workspace",
        help="Workspace",
    )
    worker_sid: str | None = sid(
        "WK", claim="worker_sid", flag="--taskrouter-worker", help="Worker"
    )
    role: str | None = text(
        claim="role",
        flag="--taskrouter-role",
        help="'worker' or 'supervisor'",
        metavar="ROLE",
    )


# ---------------------------------------------------------------- Playback


@attrs.frozen(kw_only=True)
class PlaybackGrant(_Grant):
    """
    Lets the bearer watch a Twilio Live stream.

    Attributes:
        grant: The mapping Twilio's PlaybackGrant API returned
            (``playbackUrl``, ``playerStreamerSid``,
            ``requestCredentials``), copied and frozen.
    """

    key: ClassVar[str] = "player"
    product: ClassVar[Product] = Product(
        name="Live",
        enabled_by=(
            ("grant",),
            "pass the grant Twilio's PlaybackGrant API returned",
        ),
    )

    grant: Mapping[str, Any] | None = json_object(
        claim="",
        where="PlaybackGrant.grant",
        flag="--playback-grant",
        help="the grant Twilio's PlaybackGrant API returned, as JSON",
    )


# ---------------------------------------------------------------- Custom

BUILTIN_GRANTS: Final[dict[str, Any]] = {
    cls.key: cls
    for cls in (  # in the order the command line adds them
        VoiceGrant,
        ChatGrant,
        VideoGrant,
        SyncGrant,
        TaskRouterGrant,
        PlaybackGrant,
        IpMessagingGrant,
        ConversationsGrant,
    )
}
# Keys Twilio reads that have no grant class here (Flex Insights).
KNOWN_OTHER_KEYS: Final = frozenset({"flex_insights"})


def product_of(key: str) -> Product | None:
    """The facts of the product whose grant has *key*, if it is built in."""
    cls = BUILTIN_GRANTS.get(key)
    return None if cls is None else cls.product


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
        """
        Rebuild the grant from its claims; the key is not in them.

        Args:
            claims: The grant's JSON value.
            key: Its key in the token.
        """
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
