"""
The one rule set: what Twilio rejects, as data the whole library shares.

``check()`` reports every rule; ``decode()`` raises on the first error of
the rules it enforces, in Twilio's order; ``AccessToken`` refuses to mint
what any rule calls an error and warns of the rest. Each rule judges a
:class:`Subject`, a neutral view of one token, decoded or about to be
minted, and names its source: Twilio's page for each error code is
``https://www.twilio.com/docs/api/errors/<code>``; the token format is
https://www.twilio.com/docs/iam/access-tokens.

Named subsets say who runs what: :data:`BEFORE_SIGNATURE` and
:data:`AFTER_SIGNATURE` are what ``decode()`` enforces, in Twilio's order;
:data:`CHECK_ONLY` the rest of ``check()``; :data:`AT_BUILD` what a token
is judged by when it is built (no clock), and :data:`TIMED` what needs the
mint time.
"""

from __future__ import annotations

import re

from collections.abc import Callable, Mapping
from typing import Any, Final, TypeGuard

import attrs

from ._fields import is_sid, show_sid, sid_rule
from ._grants import (
    BUILTIN_GRANTS,
    KNOWN_OTHER_KEYS,
    Grant,
    IdentityRule,
    Product,
    product_of,
)
from ._json import dumps, show, thaw
from ._problem import Problem, Severity, error, warning
from ._time import human
from ._wire import ALGORITHM, CTY


__all__ = ["ABSENT", "Context", "RuleInfo", "Subject", "catalogue"]

MAX_LIFETIME: Final = 86400  # 24 h: /docs/api/errors/20157
# Twilio Regions an API key can live in (/docs/global-infrastructure):
# lower-case ids, as the docs and the CLI's --region spell them.
KNOWN_REGIONS: Final = ("us1", "ie1", "au1")
# Edge locations are not Regions; the Region each one is near.
_EDGES: Final = {
    "ashburn": "us1",
    "umatilla": "us1",
    "dublin": "ie1",
    "frankfurt": "ie1",
    "sydney": "au1",
}
# Time claims are NumericDates (RFC 7519 section 2); no clock needs more
# than a signed 64-bit count of seconds.
_EPOCH_BOUND: Final = 2**63
_ENDPOINT_MAX: Final = 256
_SOON: Final = 60


class _Absent:
    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()
"""The claim is not in the token at all (as opposed to ``null``)."""


class Subject:
    """
    What the rules judge: one token's header, claims and rebuilt grants.

    Attributes:
        header: The JOSE header.
        claims: The top-level claims (``iss``, ``sub``, ``exp``, …).
        keys: The grant keys, in order, ``identity`` excluded.
        grants: The grants that could be rebuilt, in order.
        identity: ``grants.identity`` as written, or :data:`ABSENT`.
        broken: ``(field, reason)`` for each grant that could not be rebuilt
            (or a ``grants`` that is not an object).
        notes: ``(field, reason)`` for lesser oddities of a parsed token.
    """

    # A plain class: internal, built per token, and cheap to build.
    __slots__ = (
        "broken",
        "claims",
        "grants",
        "header",
        "identity",
        "keys",
        "notes",
        "products",
    )

    def __init__(  # noqa: PLR0917
        self,
        header: Mapping[str, Any],
        claims: Mapping[str, Any],
        keys: tuple[str, ...],
        grants: tuple[Grant, ...],
        identity: object = ABSENT,
        broken: tuple[tuple[str, str], ...] = (),
        notes: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.header = header
        self.claims = claims
        self.keys = keys
        self.grants = grants
        self.identity = identity
        self.broken = broken
        self.notes = notes
        # Each distinct built-in key, with its product's facts.
        self.products: tuple[tuple[str, Product], ...] = tuple(
            [
                (key, BUILTIN_GRANTS[key].product)
                for key in dict.fromkeys(keys)
                if key in BUILTIN_GRANTS
            ]
        )


class Context:
    """
    How to judge: the clock and what the caller expects.

    Attributes:
        now: Epoch seconds; ``None`` judges only what needs no clock.
        leeway: Seconds of tolerance for ``exp``/``nbf`` (``decode()``).
        minting: Judging a token about to be minted: a future ``nbf`` is
            allowed, it is what ``nbf`` is for.
        account_sid: The expected ``sub``, if any.
        api_key_sid: The expected ``iss``, if any.
    """

    __slots__ = ("account_sid", "api_key_sid", "leeway", "minting", "now")

    def __init__(
        self,
        *,
        now: int | None = None,
        leeway: int = 0,
        minting: bool = False,
        account_sid: str | None = None,
        api_key_sid: str | None = None,
    ) -> None:
        self.now = now
        self.leeway = leeway
        self.minting = minting
        self.account_sid = account_sid
        self.api_key_sid = api_key_sid


Rule = Callable[[Subject, Context], list[Problem]]


@attrs.frozen
class RuleInfo:
    """
    What one rule judges, for people: the rules reference is built from it.

    Attributes:
        name: The rule's name.
        codes: The Twilio error codes its problems carry (``None``: a
            warning Twilio has no code for).
        severities: ``"error"`` and/or ``"warning"``.
        field: The header fields or claims it judges.
        summary: What it means: the first line of the rule's docstring.
        remedy: What to do about it.
    """

    name: str
    codes: tuple[int | None, ...]
    severities: tuple[Severity, ...]
    field: str
    summary: str
    remedy: str


# What each rule declared, as given; catalogue() reads it.
_DECLARED: Final[dict[Rule, dict[str, Any]]] = {}


def rule(
    *,
    codes: tuple[int | None, ...],
    severities: tuple[Severity, ...],
    field: str,
    remedy: str,
) -> Callable[[Rule], Rule]:
    """
    Declare what a rule reports; a test holds each rule to its word.

    It runs when the module is imported, before mutation testing can
    switch a mutant on: its lines are not mutated.
    """
    declared = {  # pragma: no mutate
        "codes": codes,  # pragma: no mutate
        "severities": severities,  # pragma: no mutate
        "field": field,  # pragma: no mutate
        "remedy": remedy,  # pragma: no mutate
    }  # pragma: no mutate

    def declare(judge: Rule) -> Rule:
        _DECLARED[judge] = declared  # pragma: no mutate
        return judge  # pragma: no mutate

    return declare  # pragma: no mutate


def _info(judge: Rule) -> RuleInfo:
    summary = str(judge.__doc__).strip().splitlines()[0]
    return RuleInfo(judge.__name__, summary=summary, **_DECLARED[judge])


def _int(value: object) -> TypeGuard[int]:
    """An integer NumericDate within the signed 64-bit range."""
    return type(value) is int and -_EPOCH_BOUND <= value < _EPOCH_BOUND


def lifetime_of(claims: Mapping[str, Any]) -> int | None:
    """
    ``exp`` - (``iat``, else ``nbf``) in seconds; None if unknowable.

    Tokens minted by twilio-python carry ``nbf`` but no ``iat``; a token
    with neither does not say when it began.
    """
    exp = claims.get("exp")
    if not _int(exp):
        return None
    for start in (claims.get("iat"), claims.get("nbf")):
        if _int(start):
            return exp - start
    return None


def _not_epoch(claim: str, value: object) -> str:
    return (
        f"{claim} is {show(value)}; it must be integer epoch seconds "
        "(within +-2**63)."
    )


# ------------------------------------------------------------ structure


@rule(
    codes=(20101,),
    severities=("error",),
    field="iat",
    remedy=("Write iat as integer epoch seconds, or leave it out."),
)
def structure(s: Subject, ctx: Context) -> list[Problem]:
    """``iat`` present but not an integer (20101)."""
    problems: list[Problem] = []
    iat = s.claims.get("iat", ABSENT)
    if iat is not ABSENT and not _int(iat):
        problems.append(error(20101, "iat", _not_epoch("iat", iat)))
    return problems


@rule(
    codes=(20102,),
    severities=("error",),
    field="header.typ, header.cty, header.alg, header.crit",
    remedy=(
        "Mint with typ 'JWT', cty 'twilio-fpa;v=1', alg HS256 and no crit."
    ),
)
def header_params(s: Subject, ctx: Context) -> list[Problem]:
    """``typ``, ``cty``, ``alg`` and ``crit`` (20102)."""
    problems: list[Problem] = []
    h = s.header
    if h.get("typ") != "JWT":
        problems.append(
            error(
                20102,
                "header.typ",
                f"typ is {show(h.get('typ'))}; Twilio needs 'JWT'.",
            )
        )
    if h.get("cty") != CTY:
        problems.append(
            error(
                20102,
                "header.cty",
                f"cty is {show(h.get('cty'))}; Twilio needs {CTY!r}.",
            )
        )
    if h.get("alg") != ALGORITHM:
        problems.append(
            error(
                20102,
                "header.alg",
                f"alg is {show(h.get('alg'))}; Twilio Access Tokens are "
                "HS256.",
            )
        )
    if "crit" in h:
        # RFC 7515 section 4.1.11: extensions the reader does not
        # understand must be refused; an Access Token has none.
        problems.append(
            error(
                20102,
                "header.crit",
                f"crit is {show(h['crit'])}; it names extensions that must be "
                "understood, and Access Tokens define none.",
            )
        )
    return problems


@rule(
    codes=(20103,),
    severities=("error",),
    field="iss, sub",
    remedy=(
        "Mint with the API key SID (SK...) as iss and the Account SID "
        "(AC...) that owns the key as sub."
    ),
)
def issuer(s: Subject, ctx: Context) -> list[Problem]:
    """``iss`` and ``sub``: shape, and the expected key/account (20103)."""
    problems: list[Problem] = []
    iss = _sid_claim(s, "iss", "SK", ctx.api_key_sid, "API key")
    if iss is not None:
        problems.append(iss)
    sub = _sid_claim(s, "sub", "AC", ctx.account_sid, "account")
    if sub is not None:
        problems.append(sub)
    return problems


def _sid_claim(
    s: Subject, claim: str, prefix: str, expected: str | None, name: str
) -> Problem | None:
    value = s.claims.get(claim, ABSENT)
    if is_sid(value, prefix):
        if expected is None or value == expected:
            return None
        return error(
            20103,
            claim,
            f"{claim} is {value!r}, but the expected {name} is "
            f"{show_sid(expected, prefix)} (a subaccount with its "
            "parent's key gets 20151).",
        )
    if value is ABSENT:
        return error(
            20103, claim, f"{claim} is missing; it must be {sid_rule(prefix)}."
        )
    return error(
        20103,
        claim,
        f"{claim} is {show_sid(value, prefix)}; it must be "
        f"{sid_rule(prefix)}.{_issuer_hint(s, claim, value)}",
    )


_SWAPPED: Final = (
    " iss and sub look swapped: iss is the API key SID and sub the Account "
    "SID, as in AccessToken(account_sid, api_key_sid, api_key_secret)."
)
# Long and without spaces, like an API key secret (32 letters and digits)
# or an Auth Token (32 hex), and not a SID of either kind.
_SECRET_SHAPE: Final = re.compile("(?!AC|SK)[!-~]{20,}")


def _issuer_hint(s: Subject, claim: str, value: object) -> str:
    """Why iss or sub may be wrong: swapped, a secret, the Auth Token."""
    iss, sub = s.claims.get("iss"), s.claims.get("sub")
    if is_sid(iss, "AC") and is_sid(sub, "SK"):
        return _SWAPPED
    if isinstance(value, str) and _SECRET_SHAPE.fullmatch(value):
        return (
            " It looks like a secret, not a SID: are the arguments in the "
            "wrong order?"
        )
    if claim == "iss" and is_sid(value, "AC"):
        return " Mint with an API key (SK…), not the Auth Token."
    return ""


@rule(
    codes=(20104,),
    severities=("error",),
    field="exp",
    remedy=("Mint a fresh token; give exp as integer epoch seconds."),
)
def expiry(s: Subject, ctx: Context) -> list[Problem]:
    """``exp`` missing, not an integer, or past (20104)."""
    problems: list[Problem] = []
    exp = s.claims.get("exp", ABSENT)
    if exp is ABSENT:
        problems.append(
            error(20104, "exp", "exp is missing; Twilio needs an expiry.")
        )
    elif not _int(exp):
        problems.append(error(20104, "exp", _not_epoch("exp", exp)))
    elif ctx.now is not None and exp <= ctx.now - ctx.leeway:
        problems.append(
            error(
                20104,
                "exp",
                f"the token expired {human(ctx.now - exp)} ago (exp {exp}); "
                "mint a fresh one.",
            )
        )
    return problems


@rule(
    codes=(20105,),
    severities=("error",),
    field="nbf",
    remedy=("Leave nbf out, or backdate it; server clocks drift."),
)
def not_before(s: Subject, ctx: Context) -> list[Problem]:
    """``nbf`` not an integer, or in the future (20105)."""
    problems: list[Problem] = []
    nbf = s.claims.get("nbf", ABSENT)
    if nbf is ABSENT:
        return problems
    if not _int(nbf):
        problems.append(error(20105, "nbf", _not_epoch("nbf", nbf)))
    elif (
        ctx.now is not None and not ctx.minting and nbf > ctx.now + ctx.leeway
    ):
        problems.append(
            error(
                20105,
                "nbf",
                f"nbf is {nbf - ctx.now} s after now: Twilio refuses the "
                "token until then. Omit nbf or backdate it; server clocks "
                "drift.",
            )
        )
    return problems


@rule(
    codes=(20106,),
    severities=("error",),
    field="grants",
    remedy=(
        "Write grants as an object of product grants, each of the "
        "documented shape."
    ),
)
def grants_object(s: Subject, ctx: Context) -> list[Problem]:
    """``grants`` not an object, or a grant that cannot be rebuilt."""
    problems: list[Problem] = []
    for field, reason in s.broken:
        problems.append(error(20106, field, reason))
    return problems


# Enforced by decode(), in Twilio's order; the signature sits between.
BEFORE_SIGNATURE: Final[tuple[Rule, ...]] = (structure, header_params)
AFTER_SIGNATURE: Final[tuple[Rule, ...]] = (
    issuer,
    expiry,
    not_before,
    grants_object,
)


# ------------------------------------------------------------ lifetime


@rule(
    codes=(20104, 20157),
    severities=("error", "warning"),
    field="nbf, exp",
    remedy=("Keep exp after nbf and at most 24 h after the token's start."),
)
def span(s: Subject, ctx: Context) -> list[Problem]:
    """Whether the token can ever be valid, and how long from issue."""
    problems: list[Problem] = []
    claims = s.claims
    exp, nbf, iat = claims.get("exp"), claims.get("nbf"), claims.get("iat")
    if not _int(exp):
        return problems
    if _int(nbf) and exp <= nbf:
        problems.append(
            error(
                20104,
                "nbf",
                f"nbf is {nbf - exp} s after exp: the token is never valid.",
            )
        )
        return problems
    start, name = (nbf, "nbf") if _int(nbf) else (iat, "iat")
    if _int(start) and exp - start > MAX_LIFETIME:
        problems.append(
            warning(
                20157,
                "exp",
                f"exp is {exp - start} s after {name}; Twilio accepts at most "
                f"{MAX_LIFETIME} (24 h) from issue.",
            )
        )
    return problems


@rule(
    codes=(20104, 20101),
    severities=("error", "warning"),
    field="exp, iat",
    remedy=(
        "Mint with a ttl of at most 24 h, long enough for the SDK's refresh"
        " window, on an NTP clock."
    ),
)
def lifetime(s: Subject, ctx: Context) -> list[Problem]:
    """How long the token has left at *now*, and for each product."""
    problems: list[Problem] = []
    exp, iat = s.claims.get("exp"), s.claims.get("iat")
    if not _int(exp) or ctx.now is None:
        return problems
    now = ctx.now
    left = exp - now
    if left > MAX_LIFETIME:
        problems.append(
            error(
                20104,
                "exp",
                f"exp is {left} s after now; Twilio accepts at most "
                f"{MAX_LIFETIME} (24 h) from the time of use.",
            )
        )
    elif 0 < left < _SOON:
        problems.append(
            warning(
                20104,
                "exp",
                f"exp is {left} s after now; the client will need a new token "
                "almost at once.",
            )
        )
    if _int(iat) and iat > now:
        problems.append(
            warning(
                20101,
                "iat",
                f"iat is {iat - now} s after now: the minting clock runs "
                "ahead; clients with a strict clock answer 20101.",
            )
        )
    lived = lifetime_of(s.claims)
    if lived is None:
        return (
            problems  # without iat or nbf, how long it lives cannot be known
        )
    for key, product in s.products:
        if product.min_lifetime is not None:
            least, why = product.min_lifetime
            if lived < least:
                problems.append(
                    warning(
                        20104,
                        "exp",
                        f"the token lives {lived} s; a {key} grant wants "
                        f"at least {least} s ({why}), or refresh events "
                        "never fire.",
                    )
                )
    return problems


# ------------------------------------------------------------ identity


@rule(
    codes=(31105, 53200, 51105, 53201, 51003, 54351),
    severities=("error",),
    field="grants.identity",
    remedy=(
        "Give every Voice, Video, Conversations and Sync token an identity "
        "within its product's limits; encode_identity() makes any text "
        "Voice-safe."
    ),
)
def identities(s: Subject, ctx: Context) -> list[Problem]:
    """Identity per product: presence, characters, length."""
    problems: list[Problem] = []
    needing = [
        (key, p, p.identity) for key, p in s.products if p.identity is not None
    ]
    if not needing:
        return problems
    ident = s.identity
    if ident is ABSENT or ident in ("", None):
        keys = ", ".join(key for key, _, _ in needing)
        problems.append(
            error(
                needing[0][2].missing_code,
                "grants.identity",
                f"identity is {'missing' if ident is ABSENT else show(ident)}"
                f"; {keys} grants need one.",
            )
        )
        return problems
    if type(ident) is not str:
        return problems  # reported as a broken grant (20106)
    for key, product, need in needing:
        problem = _identity(ident, key, product, need)
        if problem is not None:
            problems.append(problem)
    return problems


def _identity(
    ident: str, key: str, product: Product, need: IdentityRule
) -> Problem | None:
    if need.alphabet is not None and not need.alphabet.issuperset(ident):
        return error(
            need.alphabet_code,
            "grants.identity",
            f"identity {show(ident)} is not allowed with a {key} grant: "
            "only letters, digits and '_'. " + need.alphabet_hint,
        )
    if need.counted == "double-byte":
        width = len(ident) if ident.isascii() else _double_width(ident)
        if width > need.max_length:
            return error(
                need.length_code,
                "grants.identity",
                f"identity is {width} wide (non-ASCII counts 2); "
                f"{product.name} accepts at most {need.max_length}.",
            )
    elif len(ident) > need.max_length:
        escapes = (
            " (encode_identity() spells each escaped byte in 3)"
            if need.alphabet is not None
            else ""
        )
        return error(
            need.length_code,
            "grants.identity",
            f"identity is {len(ident)} characters; {product.name} accepts "
            f"at most {need.max_length}{escapes}.",
        )
    return None


def _double_width(ident: str) -> int:
    return sum(1 if c.isascii() else 2 for c in ident)


# ------------------------------------------------------------ header extras


@rule(
    codes=(20101, 20102),
    severities=("error", "warning"),
    field="header.twr",
    remedy=(
        "Name the API key's Region (us1, ie1, au1), and only for Voice; "
        "Video works in us1 only."
    ),
)
def region(s: Subject, ctx: Context) -> list[Problem]:
    """
    The ``twr`` header: its value, Video's need for US1, Voice only.

    Video works only in US1 (/docs/api/errors/51007). Twilio's Access
    Token page says the region is "currently only supported for Voice
    tokens", so a region beside other grants is likely trouble.
    """
    problems: list[Problem] = []
    twr = s.header.get("twr", ABSENT)
    if twr is ABSENT:
        return problems
    unset = twr is None or twr == ""  # Ruby and C# write these for US1
    us1_only = [p.name for _, p in s.products if p.regions == "us1"]
    if us1_only and not unset and twr != "us1":
        problems.append(
            error(
                20101,
                "header.twr",
                f"twr is {show(twr)}, but {us1_only[0]} works only in us1 "
                "(51007); drop the region and use a US1 API key.",
            )
        )
        return problems
    if unset or type(twr) is not str:
        problems.append(
            warning(
                20102,
                "header.twr",
                f"twr is {show(twr)}; leave it out for US1 or name a region.",
            )
        )
        return problems
    if twr not in KNOWN_REGIONS:
        problems.append(warning(20101, "header.twr", _unknown_region(twr)))
    # A us1-only grant beside another region was refused above.
    others = [k for k in dict.fromkeys(s.keys) if not _any_region(k)]
    if others and twr != "us1":
        problems.append(
            warning(
                20101,
                "header.twr",
                f"twr is {show(twr)} beside {', '.join(others)} grants; "
                "Twilio supports a region only for Voice tokens.",
            )
        )
    return problems


def _any_region(key: str) -> bool:
    """Whether the grant under *key* works in any Twilio Region."""
    product = product_of(key)
    return product is not None and product.regions == "any"


def _unknown_region(twr: str) -> str:
    known = ", ".join(KNOWN_REGIONS)
    guess = twr.lower() if twr.lower() in KNOWN_REGIONS else None
    if guess is not None:
        return (
            f"twr is {show(twr)}; Twilio spells Region ids in lower case: "
            f"did you mean {guess!r}?"
        )
    guess = _EDGES.get(twr.lower())
    if guess is not None:
        return (
            f"twr is {show(twr)}, an edge location, not a Region; the "
            f"Region near it is {guess!r} (one of {known})."
        )
    return (
        f"twr is {show(twr)}, not one of {known}; the API key's Region "
        "must match it."
    )


@rule(
    codes=(20154,),
    severities=("warning",),
    field="jti",
    remedy=("Give each token a unique, non-empty jti string."),
)
def token_id(s: Subject, ctx: Context) -> list[Problem]:
    """``jti``: present and a non-empty string (20154)."""
    problems: list[Problem] = []
    jti = s.claims.get("jti", ABSENT)
    if type(jti) is not str or not jti:
        what = "missing" if jti is ABSENT else show(jti)
        problems.append(
            warning(
                20154, "jti", f"jti is {what}; Twilio expects a unique string."
            )
        )
    return problems


# ------------------------------------------------------------ grants


@rule(
    codes=(20106, 51110),
    severities=("error", "warning"),
    field="grants",
    remedy=(
        "Give one grant per key, of a key Twilio reads; keep chat, not "
        "ip_messaging."
    ),
)
def grant_set(s: Subject, ctx: Context) -> list[Problem]:
    """Which grants there are: duplicates, unknown keys, none."""
    problems: list[Problem] = []
    if not s.keys and not s.broken:
        problems.append(
            warning(
                20106,
                "grants",
                "the token has no product grant, so it allows nothing.",
            )
        )
    seen: set[str] = set()
    for key in s.keys:
        if key in seen:
            problems.append(
                error(
                    20106,
                    f"grants.{key}",
                    f"two grants have the key {show(key)}; one would replace "
                    "the other. Merge them into one grant.",
                )
            )
        seen.add(key)
        if key not in BUILTIN_GRANTS and key not in KNOWN_OTHER_KEYS:
            problems.append(
                warning(
                    20106,
                    f"grants.{key}",
                    f"{show(key)} is not a grant Twilio is known to read (a "
                    "typo?).",
                )
            )
    for key, product in s.products:
        if product.clash_code is not None and product.successor in seen:
            problems.append(
                warning(
                    product.clash_code,
                    f"grants.{key}",
                    f"both {product.successor} and {key} grants: keep only "
                    f"{product.successor}.",
                )
            )
    for field, reason in s.notes:
        problems.append(warning(20106, field, reason))
    return problems


@rule(
    codes=(None,),
    severities=("warning",),
    field="grants.<legacy key>",
    remedy="Use the grant that replaced it, which the message names.",
)
def legacy_grants(s: Subject, ctx: Context) -> list[Problem]:
    """
    Grants Twilio has replaced (twilio-python 8 dropped them).

    Not judged at build time: the legacy grant classes already warn with
    a DeprecationWarning when built.
    """
    problems: list[Problem] = []
    for key, product in s.products:
        if product.successor is not None:
            problems.append(
                warning(
                    None,
                    f"grants.{key}",
                    f"{key} is a legacy grant; use {product.successor}.",
                )
            )
    return problems


@rule(
    codes=(51104, 20106, 31103, 51004),
    severities=("error", "warning"),
    field="grants.<key>.<field>",
    remedy=(
        "Give each grant the fields its product needs, within Twilio's limits."
    ),
)
def grant_fields(s: Subject, ctx: Context) -> list[Problem]:
    """What each product needs inside its grant."""
    problems: list[Problem] = []
    for g in s.grants:
        cls = BUILTIN_GRANTS.get(g.key)
        if cls is not None:
            field = f"grants.{g.key}"
            problems += _needed_fields(g, cls.product, field)
            problems += _field_limits(g, cls.product, field)
    return problems


def _needed_fields(g: Any, p: Product, field: str) -> list[Problem]:
    """Fields Twilio needs, fields the SDK needs, values the SDK knows."""
    problems = []
    for name, code, why in p.required:
        if getattr(g, name) is None:
            problems.append(
                error(
                    code,
                    f"{field}.{name}",
                    f"the {g.key} grant has no {name}; {why}.",
                )
            )
    if p.complete is not None:
        names, why = p.complete
        missing = [name for name in names if getattr(g, name) is None]
        if missing:
            problems.append(
                warning(
                    20106,
                    field,
                    f"the {g.key} grant lacks {', '.join(missing)}; {why}.",
                )
            )
    for name, allowed in p.choices:
        value = getattr(g, name)
        if value is not None and value not in allowed:
            known = " and ".join(repr(v) for v in allowed)
            problems.append(
                warning(
                    20106,
                    f"{field}.{name}",
                    f"{name} is {show(value)}; {p.name} knows {known}.",
                )
            )
    return problems


def _field_limits(g: Any, p: Product, field: str) -> list[Problem]:
    """JSON over its limit, a grant that allows nothing, long endpoints."""
    problems = []
    for name, limit, code in p.json_limits:
        value = getattr(g, name)
        size = 0 if value is None else len(dumps(thaw(value)))
        if size > limit:
            *_, last = path = dict(type(g).fields)[name].path
            problems.append(
                warning(
                    code,
                    ".".join((field, *path)),
                    f"{last} are {size} bytes as JSON; over {limit} the "
                    f"call may fail with {code}.",
                )
            )
    if p.enabled_by is not None:
        names, hint = p.enabled_by
        if [getattr(g, name) for name in names].count(None) == len(names):
            problems.append(
                warning(
                    20106,
                    field,
                    f"the {g.key} grant allows nothing: set "
                    f"{' or '.join(names)} ({hint}).",
                )
            )
    endpoint = None if p.endpoint is None else getattr(g, p.endpoint)
    if endpoint is not None and len(endpoint) > _ENDPOINT_MAX:
        problems.append(
            warning(
                51004,
                f"{field}.{p.endpoint}",
                f"{p.endpoint} is {len(endpoint)} characters; Twilio "
                f"accepts at most {_ENDPOINT_MAX}.",
            )
        )
    return problems


# check() runs these after the decode rules; none needs the signature.
CHECK_ONLY: Final[tuple[Rule, ...]] = (
    span,
    lifetime,
    identities,
    region,
    token_id,
    grant_set,
    legacy_grants,
    grant_fields,
)
ALL: Final[tuple[Rule, ...]] = BEFORE_SIGNATURE + AFTER_SIGNATURE + CHECK_ONLY
# The rules that read the clock; a token with only a ttl is judged by them
# once, on a clock that reads 0 at the mint time; with nbf or valid_until,
# at each mint.
TIMED: Final[tuple[Rule, ...]] = (expiry, not_before, span, lifetime)
# What a ttl is judged by, on a clock that reads 0 at the mint time, with
# no nbf: not_before has nothing to judge, and span's one finding there (a
# ttl over 24 h) is lifetime's error.
TTL: Final[tuple[Rule, ...]] = (expiry, lifetime)
# What a token is judged by when it is built, besides TTL. The rules
# left out judge what the builder writes itself (typ, cty, alg, an integer
# iat, a jti, grants as an object of rebuilt grants), so they cannot fail
# there; a test runs ALL on built tokens to keep it so.
AT_BUILD: Final[tuple[Rule, ...]] = tuple(
    rule
    for rule in ALL
    if rule not in (structure, header_params, grants_object, token_id)
    and rule not in (legacy_grants, *TIMED)
)


def catalogue() -> tuple[RuleInfo, ...]:
    """
    Every rule of :data:`ALL`, declared, in Twilio's order of checking.
    """
    return tuple(_info(judge) for judge in ALL)


def run(rules: tuple[Rule, ...], s: Subject, ctx: Context) -> list[Problem]:
    """
    Every problem *rules* find in *s*, in rule order.
    """
    problems: list[Problem] = []
    for judge in rules:
        problems += judge(s, ctx)
    return problems
