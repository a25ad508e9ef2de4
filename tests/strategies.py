"""
Hypothesis strategies: valid grants and tokens, and hostile token input.
"""

import json
import string

from hypothesis import strategies as st
from twilio_tokens import (
    AccessToken,
    ChatGrant,
    CustomGrant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
)
from twilio_tokens._json import MAX_DEPTH

from helpers import ACCOUNT, KEY, NOW, SECRET


def sids(prefix):
    return st.text("0123456789abcdefABCDEF", min_size=32, max_size=32).map(
        lambda h: prefix + h
    )


def maybe(strategy):
    return st.none() | strategy


text = st.text(min_size=1, max_size=40)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
json_objects = st.dictionaries(st.text(max_size=8), json_values, max_size=4)

voice_identity = st.text(
    string.ascii_letters + string.digits + "_", min_size=1, max_size=121
)


@st.composite
def voice_grants(draw):
    app = draw(maybe(sids("AP")))
    return VoiceGrant(
        incoming_allow=draw(st.sampled_from([None, True, False])),
        outgoing_application_sid=app,
        outgoing_application_params=(
            draw(maybe(json_objects)) if app else None
        ),
        push_credential_sid=draw(maybe(sids("CR"))),
        endpoint_id=draw(maybe(text)),
    )


chat_grants = st.builds(
    ChatGrant,
    service_sid=sids("IS"),
    endpoint_id=maybe(text),
    deployment_role_sid=maybe(sids("RL")),
    push_credential_sid=maybe(sids("CR")),
)
video_grants = st.builds(VideoGrant, room=maybe(text))
sync_grants = st.builds(
    SyncGrant,
    service_sid=maybe(sids("IS") | st.just("default")),
    endpoint_id=maybe(text),
)
taskrouter_grants = st.builds(
    TaskRouterGrant,
    workspace_sid=maybe(sids("WS")),
    worker_sid=maybe(sids("WK")),
    role=maybe(st.sampled_from(["worker", "supervisor"]) | text),
)
playback_grants = st.builds(PlaybackGrant, grant=maybe(json_objects))
custom_grants = st.builds(
    CustomGrant,
    key=st.sampled_from(["flex_insights", "future_product"]),
    claims=json_values,
)

grant_kinds = [
    voice_grants(),
    chat_grants,
    video_grants,
    sync_grants,
    taskrouter_grants,
    playback_grants,
    custom_grants,
]


@st.composite
def grant_sets(draw):
    """Any valid combination of grants: at most one per key."""
    chosen = draw(
        st.lists(st.sampled_from(range(len(grant_kinds))), unique=True)
    )
    grants = []
    keys = set()
    for i in chosen:
        g = draw(grant_kinds[i])
        if g.key not in keys:
            keys.add(g.key)
            grants.append(g)
    return grants


@st.composite
def tokens(draw):
    """Any token that Twilio would accept at NOW (no nbf, no valid_until)."""
    grants = draw(grant_sets())
    keys = {g.key for g in grants}
    if "voice" in keys:
        identity = draw(voice_identity)
    elif keys & {"chat", "data_sync"} or "video" in keys:
        identity = draw(st.text(min_size=1, max_size=64))
    else:
        identity = draw(maybe(st.text(min_size=1, max_size=64)))
    region = (
        None
        if "video" in keys
        else draw(st.sampled_from([None, "us1", "ie1", "au1"]))
    )
    return AccessToken(
        ACCOUNT,
        KEY,
        SECRET,
        identity=identity,
        grants=grants,
        ttl=draw(st.integers(1, 86400)),
        region=region,
        jti=draw(maybe(text)),
    )


# ------------------------------------------------------------ hostile input
#
# The classes of hostile token known, as JSON text (so that
# what no Python value can express, a duplicate key or an overflowing
# literal, can be written): deep nesting, huge integers, overflowing float
# literals and odd header parameters, placed anywhere in a token. A
# document is a (header, payload) pair of JSON texts; tests sign it.

HEADER_PAIRS = (
    ("alg", '"HS256"'),
    ("typ", '"JWT"'),
    ("cty", '"twilio-fpa;v=1"'),
)
# Where a hostile value goes: "header.<name>" is a header parameter,
# "grants.<key>" a grant (or the identity), any other name a claim.
POSITIONS = (
    "header.x",
    "header.typ",
    "header.twr",
    "exp",
    "nbf",
    "iat",
    "iss",
    "sub",
    "grants",
    "grants.video",
    "grants.flex_insights",
    "grants.identity",
    "x",
)
# The keys of the built-in grants; any other key is read as a CustomGrant.
BUILTIN_KEYS = frozenset(
    (
        "chat",
        "data_sync",
        "ip_messaging",
        "player",
        "rtc",
        "task_router",
        "video",
        "voice",
    )
)
_SID_PREFIXES = ("AC", "SK", "AP", "IS", "RL", "CR", "WS", "WK")


def json_object(pairs):
    """A JSON object's text from (key, JSON text) pairs, duplicates kept."""
    return "{" + ",".join(json.dumps(k) + ":" + v for k, v in pairs) + "}"


def _put(pairs, key, value):
    return [(k, v) for k, v in pairs if k != key] + [(key, value)]


def document(position, value, header_extras=(), now=NOW):
    """
    The (header, payload) JSON texts of a valid Video token, except for
    *value* (JSON text) at *position* and *header_extras* appended.
    """
    header = list(HEADER_PAIRS)
    payload = [
        ("jti", json.dumps(KEY + "-hostile")),
        ("iss", json.dumps(KEY)),
        ("sub", json.dumps(ACCOUNT)),
        ("iat", str(now)),
        ("exp", str(now + 3600)),
    ]
    grants = [("identity", '"alice"'), ("video", "{}")]
    where, _, name = position.rpartition(".")
    if where == "header":
        header = _put(header, name, value)
    elif where == "grants":
        grants = _put(grants, name, value)
    elif position != "grants":
        payload = _put(payload, position, value)
    grants_text = value if position == "grants" else json_object(grants)
    payload.append(("grants", grants_text))
    return json_object([*header, *header_extras]), json_object(payload)


def nest(levels, leaf="0", kinds="{"):
    """*leaf* inside *levels* arrays and objects, cycling through *kinds*."""
    chosen = [kinds[i % len(kinds)] for i in range(levels)]
    opening = "".join("[" if k == "[" else '{"a":' for k in chosen)
    closing = "".join("]" if k == "[" else "}" for k in reversed(chosen))
    return opening + leaf + closing


def depth_of(value):
    """How many arrays and objects nest in a Python JSON value."""
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    return 0


@st.composite
def deep_nesting(draw, min_depth=0, max_depth=60):
    """
    JSON text of arrays and objects nested 0..60 deep, in any mix; one time
    in four 61..2000 deep, where a recursive reader or repr() would fail.
    """
    if draw(st.integers(0, 3)) == 0:
        kinds = draw(st.sampled_from(["[", "{", "[{"]))
        levels = st.sampled_from([500, 700, 900]) | st.integers(
            max_depth + 1, 2000
        )
        return nest(draw(levels), kinds=kinds)
    depth = draw(st.integers(min_depth, max_depth))
    kinds = draw(st.text("[{", min_size=1, max_size=4))
    leaf = draw(st.sampled_from(["0", '"x"', "null", "true", "-1.5"]))
    return nest(depth, leaf, kinds)


@st.composite
def huge_integers(draw, max_digits=4100):
    """
    JSON integers of up to 4100 digits (the parser reads 4000), now and
    then up to 5000 (past the 4300 that str() of an int prints), and the
    ones just inside and outside +-2**63.
    """
    if draw(st.booleans()):
        bound = 2**63 + draw(st.integers(-2, 1))
        return str(bound if draw(st.booleans()) else -bound - 1)
    digits = draw(
        st.sampled_from([4000, 4001, 4300])
        | st.integers(1, max_digits)
        | st.integers(4001, 5000)
    )
    pattern = str(draw(st.integers(10**5, 10**6)))
    body = str(draw(st.integers(1, 9))) + (pattern * digits)[: digits - 1]
    return draw(st.sampled_from(["", "-"])) + body


overflowing_floats = st.builds(
    "{}{}{}{}{}{}".format,
    st.sampled_from(["", "-"]),
    st.integers(1, 999),
    st.sampled_from(["", ".5", ".000"]),
    st.sampled_from(["e", "E"]),
    st.sampled_from(["", "+"]),
    st.integers(309, 99999),
)
"""JSON number literals past a double's range: 1e400, -1E999, 12.5e+309."""

ordinary_values = st.sampled_from(
    ['"JWT"', '"us1"', "0", "-1", "1.5", "true", "null", "[]", "{}", '""']
)
hostile_values = st.one_of(
    deep_nesting(), huge_integers(), overflowing_floats, ordinary_values
)
"""Any of the hostile classes, or a plain value, as JSON text."""

odd_twr = st.sampled_from(
    ["5", "true", "{}", "[]", '"ie1"', '"us1"', "null", '""', '"IE1"']
)
header_extras = st.lists(
    st.one_of(
        st.tuples(
            st.just("crit"),
            st.sampled_from(['["exp"]', "[]", '"x"']) | hostile_values,
        ),
        st.tuples(
            st.sampled_from(["alg", "typ", "cty"]),
            st.sampled_from(
                ['"HS256"', '"JWT"', '"twilio-fpa;v=1"', '"none"']
            ),
        ),
        st.tuples(st.just("twr"), odd_twr | hostile_values),
    ),
    max_size=2,
)
"""Header parameters to append: crit, a duplicate key, an odd twr."""


@st.composite
def hostile_documents(draw):
    """A (header, payload) pair with a hostile value somewhere."""
    return document(
        draw(st.sampled_from(POSITIONS)),
        draw(hostile_values),
        draw(header_extras),
    )


unknown_grant_keys = st.text(max_size=12).filter(
    lambda k: k not in BUILTIN_KEYS and k != "identity"
)
bounded_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**256), 2**256)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
"""JSON values a token may hold (integers of up to 78 digits)."""


@st.composite
def custom_grant_claims(draw, room=MAX_DEPTH - 2):
    """
    A bounded JSON value, wrapped in lists so that it nests up to *room*
    deep (a grant sits two levels down in the payload).
    """
    value = draw(bounded_json)
    for _ in range(draw(st.integers(0, room - depth_of(value)))):
        value = [value]
    return value


def secret_like(prefixes=_SID_PREFIXES):
    """Text of 32+ characters that does not start like a SID."""
    return st.text(
        string.ascii_letters + string.digits + "-_+/=.",
        min_size=32,
        max_size=64,
    ).filter(lambda s: s[:2] not in prefixes)
