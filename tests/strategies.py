"""
Hypothesis strategies for valid grants and tokens.
"""

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

from conftest import ACCOUNT, KEY, SECRET


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
