"""
Hostile values for every constructor: a clean error, or a clean token.

Set HYPOTHESIS_PROFILE=fuzz for a long run (see conftest.py).
"""

import warnings

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio_tokens import (
    AccessToken,
    ChatGrant,
    ConversationsGrant,
    CustomGrant,
    IpMessagingGrant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
    check,
    decode,
)

from helpers import ACCOUNT, KEY, NOW, SECRET


# Tokens without grants are built here for what they test, not for use;
# minting warns that they allow nothing (tests of that are in test_token).
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*no product grant:twilio_tokens.exceptions.TokenWarning"
)


def sid_like(prefix):
    return st.text("0123456789abcdefABCDEFg", min_size=30, max_size=34).map(
        lambda h: prefix + h
    )


anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.binary(max_size=10),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(
        st.text(max_size=5),
        st.integers() | st.text(max_size=5) | st.floats(),
        max_size=3,
    ),
    st.just(object()),
    st.sampled_from(
        ["", "default", "worker", "us1", "ie1", "alice", "a b", "é" * 70]
    ),
    *(sid_like(p) for p in ("AC", "SK", "AP", "IS", "RL", "CR", "WS", "WK")),
)

GRANTS = {
    ChatGrant: (
        "service_sid",
        "endpoint_id",
        "deployment_role_sid",
        "push_credential_sid",
    ),
    IpMessagingGrant: (
        "service_sid",
        "endpoint_id",
        "deployment_role_sid",
        "push_credential_sid",
    ),
    VoiceGrant: (
        "incoming_allow",
        "outgoing_application_sid",
        "outgoing_application_params",
        "push_credential_sid",
        "endpoint_id",
    ),
    VideoGrant: ("room",),
    SyncGrant: ("service_sid", "endpoint_id"),
    TaskRouterGrant: ("workspace_sid", "worker_sid", "role"),
    PlaybackGrant: ("grant",),
    ConversationsGrant: ("configuration_profile_sid",),
    CustomGrant: ("key", "claims"),
}


@st.composite
def grant_attempts(draw):
    cls = draw(st.sampled_from(list(GRANTS)))
    names = draw(st.lists(st.sampled_from(GRANTS[cls]), unique=True))
    return cls, {n: draw(anything) for n in names}


def build_grant(cls, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return cls(**kwargs)


@given(grant_attempts())
def test_grant_constructors_raise_only_value_or_type_errors(attempt):
    """
    Any values for any grant: a ValueError/TypeError, or a grant whose claims round-trip.
    """
    cls, kwargs = attempt
    try:
        grant = build_grant(cls, kwargs)
    except (ValueError, TypeError):
        return
    rebuilt = (
        grant if cls is CustomGrant else cls.from_claims(grant.to_claims())
    )
    assert grant == rebuilt


@pytest.mark.filterwarnings("ignore::twilio_tokens.exceptions.TokenWarning")
@settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(
    st.lists(grant_attempts(), max_size=3),
    st.fixed_dictionaries(
        {},
        optional={
            "identity": anything,
            "ttl": st.integers(-10, 200_000) | anything,
            "nbf": st.integers(NOW - 200_000, NOW + 200_000) | anything,
            "valid_until": st.integers(NOW - 200_000, NOW + 200_000)
            | anything,
            "region": anything,
            "jti": anything,
        },
    ),
    st.sampled_from([ACCOUNT, KEY, "AC123", ""]),
    st.sampled_from([KEY, ACCOUNT, "SK" + "g" * 32]),
)
def test_token_constructor_gives_a_clean_error_or_a_clean_token(
    attempts, kwargs, account, key
):
    """
    Any arguments: ValueError/TypeError, or a token that decodes and checks with no error.
    """
    grants = []
    for cls, grant_kwargs in attempts:
        try:
            grants.append(build_grant(cls, grant_kwargs))
        except (ValueError, TypeError):
            pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            token = AccessToken(account, key, SECRET, grants=grants, **kwargs)
        jwt = token.to_jwt(now=NOW)
    except (ValueError, TypeError):
        return
    # A token meant to start later is judged when it starts.
    when = max(NOW, token.nbf or NOW)
    decoded = decode(
        jwt, SECRET, account_sid=account, api_key_sid=key, now=when
    )

    assert token.grants == decoded.grants
    assert [] == [
        p
        for p in check(jwt, api_key_secret=SECRET, now=when)
        if p.severity == "error"
    ]
    # At the mint time itself, a future nbf is the one error allowed.
    at_mint = check(jwt, api_key_secret=SECRET, now=NOW)
    assert [] == [
        p for p in at_mint if p.severity == "error" and p.field != "nbf"
    ]
