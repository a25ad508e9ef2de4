"""
The rule set: each limit at the limit and one past it, and each message
naming the value it judged, with its code and field.

Written against mutation testing of the rules (mutmut, see pyproject's
[tool.mutmut]): every boundary, code, severity and field a rule reports
is pinned here, through the public API only. Hostile tokens are assembled
by hand; problems are picked by field or code, never compared whole.
"""

import json
import re

import pytest

from twilio_tokens import (
    AccessToken,
    ChatGrant,
    ConversationsGrant,
    IpMessagingGrant,
    SyncGrant,
    TokenRefusedError,
    VideoGrant,
    VoiceGrant,
    check,
)

from helpers import ACCOUNT, APP, HEADER, KEY, NOW, SECRET, SERVICE, b64, mac


DAY = 86400


def assemble(grants=None, header=None, **changes):
    """A signed token built by hand; a claim changed to ... is left out."""
    payload = {
        "jti": "j",
        "iss": KEY,
        "sub": ACCOUNT,
        "iat": NOW,
        "exp": NOW + 3600,
        "grants": {"identity": "alice", "video": {}}
        if grants is None
        else grants,
    }
    payload = {k: v for k, v in {**payload, **changes}.items() if v is not ...}
    h = b64(json.dumps(HEADER if header is None else header))
    p = b64(json.dumps(payload))
    return f"{h}.{p}.{mac(f'{h}.{p}')}"


def problems(token, now=NOW):
    return check(token, api_key_secret=SECRET, now=now)


def on(token, field, now=NOW):
    """(code, severity) of each problem on *field*."""
    return [
        (p.code, p.severity) for p in problems(token, now) if p.field == field
    ]


def messages(token, field, now=NOW):
    return [p.message for p in problems(token, now) if p.field == field]


def mint(**kwargs):
    return AccessToken(ACCOUNT, KEY, SECRET, **kwargs)


def refusal(**kwargs):
    """The (code, severity, field) of each error AccessToken refuses with."""
    with pytest.raises(TokenRefusedError) as info:
        mint(**kwargs)
    return [(p.code, p.severity, p.field) for p in info.value.problems]


def word(name, text):
    return re.search(rf"\b{re.escape(name)}\b", text) is not None


# ------------------------------------------------------------ identity


class TestVoiceIdentity:
    def test_121_characters_is_the_most_voice_allows(self):
        """A voice identity of exactly 121 letters checks clean."""
        token = assemble({"identity": "a" * 121, "voice": {}})
        assert on(token, "grants.identity") == []

    def test_122_characters_is_31105(self):
        """One letter past 121 is a 31105 error on grants.identity."""
        token = assemble({"identity": "a" * 122, "voice": {}})
        assert on(token, "grants.identity") == [(31105, "error")]

    def test_at_the_limit_mints_and_past_it_is_refused(self):
        """AccessToken builds a 121-letter voice identity, refuses 122."""
        grants = [VoiceGrant(incoming_allow=True)]
        assert mint(identity="a" * 121, grants=grants).identity == "a" * 121
        assert refusal(identity="a" * 122, grants=grants) == [
            (31105, "error", "grants.identity")
        ]

    def test_only_letters_digits_and_underscore(self):
        """Every allowed character passes; a hyphen is 31105."""
        allowed = "azAZ09_"
        assert (
            on(assemble({"identity": allowed, "voice": {}}), "grants.identity")
            == []
        )
        assert on(
            assemble({"identity": "a-b", "voice": {}}), "grants.identity"
        ) == [(31105, "error")]


class TestVideoIdentity:
    @pytest.mark.parametrize(
        "ident",
        ["a" * 128, "\u00e9" * 64, "\u00e9" * 63 + "ab"],
        ids=["ascii", "non-ascii", "mixed"],
    )
    def test_128_wide_is_the_most_video_allows(self, ident):
        """128 wide, non-ASCII counting 2, checks clean and mints."""
        assert (
            on(assemble({"identity": ident, "video": {}}), "grants.identity")
            == []
        )
        assert mint(identity=ident, grants=[VideoGrant()]).identity == ident

    @pytest.mark.parametrize(
        "ident",
        ["a" * 129, "\u00e9" * 64 + "a", "\u00e9" * 65],
        ids=["ascii", "mixed", "non-ascii"],
    )
    def test_129_wide_is_53201(self, ident):
        """One past 128 wide is a 53201 error, and AccessToken refuses it."""
        assert on(
            assemble({"identity": ident, "video": {}}), "grants.identity"
        ) == [(53201, "error")]
        assert refusal(identity=ident, grants=[VideoGrant()]) == [
            (53201, "error", "grants.identity")
        ]

    def test_non_ascii_counts_exactly_two(self):
        """43 non-ASCII characters are 86 wide: clean (3 each would be 129)."""
        token = assemble({"identity": "\u00e9" * 43, "video": {}})
        assert on(token, "grants.identity") == []


CHAT_LIKE = [
    ("chat", {"service_sid": SERVICE}, 51003, "Conversations"),
    ("ip_messaging", {"service_sid": SERVICE}, 51003, "Chat"),
    ("data_sync", {"service_sid": SERVICE}, 54351, "Sync"),
]


class TestChatAndSyncIdentity:
    @pytest.mark.parametrize(("key", "grant", "code", "product"), CHAT_LIKE)
    def test_256_characters_is_the_most_allowed(
        self, key, grant, code, product
    ):
        """An identity of exactly 256 characters checks clean."""
        token = assemble({"identity": "a" * 256, key: grant})
        assert on(token, "grants.identity") == []

    @pytest.mark.parametrize(("key", "grant", "code", "product"), CHAT_LIKE)
    def test_257_characters_is_the_products_code(
        self, key, grant, code, product
    ):
        """One past 256 is the product's error, naming the product."""
        token = assemble({"identity": "a" * 257, key: grant})
        assert on(token, "grants.identity") == [(code, "error")]
        (message,) = messages(token, "grants.identity")
        assert word(product, message)

    @pytest.mark.parametrize(
        ("make", "code"),
        [
            (lambda: ChatGrant(service_sid=SERVICE), 51003),
            (lambda: SyncGrant(service_sid=SERVICE), 54351),
        ],
        ids=["chat", "sync"],
    )
    def test_at_the_limit_mints_and_past_it_is_refused(self, make, code):
        """AccessToken builds a 256-character identity, refuses 257."""
        assert mint(identity="a" * 256, grants=[make()]).identity == "a" * 256
        assert refusal(identity="a" * 257, grants=[make()]) == [
            (code, "error", "grants.identity")
        ]

    def test_legacy_ip_messaging_mints_at_the_limit_and_refuses_past_it(self):
        """IpMessagingGrant: 256 characters build, 257 are refused with 51003."""
        with pytest.deprecated_call():
            grant = IpMessagingGrant(service_sid=SERVICE)
        assert mint(identity="a" * 256, grants=[grant]).identity == "a" * 256
        assert (51003, "error", "grants.identity") in refusal(
            identity="a" * 257, grants=[grant]
        )


class TestMissingIdentity:
    def test_absent_identity_says_missing(self):
        """An absent identity is reported as missing, with the first code."""
        token = assemble({"voice": {}, "video": {}})
        assert on(token, "grants.identity") == [(31105, "error")]
        (message,) = messages(token, "grants.identity")
        assert word("missing", message)
        assert "voice, video" in message

    def test_empty_identity_is_shown_not_called_missing(self):
        """An empty identity is shown as it is, not called missing."""
        token = assemble({"identity": "", "video": {}})
        assert on(token, "grants.identity") == [(53200, "error")]
        (message,) = messages(token, "grants.identity")
        assert "missing" not in message
        assert "None" not in message
        assert "''" in message or '""' in message


# ------------------------------------------------------------ lifetime


class TestSpan:
    def test_exactly_24_hours_from_iat_is_fine(self):
        """exp - iat == 86400 is no 20157."""
        token = assemble(exp=NOW + DAY)
        assert (20157, "warning") not in on(token, "exp")

    def test_one_second_over_24_hours_from_iat_is_20157(self):
        """exp - iat == 86401 is a 20157 warning on exp, counted from iat."""
        token = assemble(exp=NOW + DAY + 1)
        assert (20157, "warning") in on(token, "exp")
        (message,) = [p.message for p in problems(token) if p.code == 20157]
        assert "86401" in message
        assert word("iat", message)

    def test_span_is_counted_from_nbf_when_there_is_one(self):
        """With an nbf, 24 h are counted from nbf, not from iat."""
        nbf = NOW + 100
        fine = assemble(nbf=nbf, exp=nbf + DAY)
        assert [p for p in problems(fine, nbf) if p.code == 20157] == []
        over = assemble(nbf=nbf, exp=nbf + DAY + 1)
        (message,) = [
            p.message for p in problems(over, nbf) if p.code == 20157
        ]
        assert "86401" in message
        assert word("nbf", message)

    def test_exp_not_after_nbf_is_never_valid(self):
        """exp 10 s before nbf is one 20104 error, on nbf, saying so."""
        token = assemble(nbf=NOW + 110, exp=NOW + 100)
        (never,) = [p for p in problems(token) if p.code == 20104]
        assert never.severity == "error"
        assert never.field == "nbf"
        assert word("10 s", never.message)


class TestLifetimeLeft:
    def test_exactly_24_hours_left_is_fine(self):
        """exp - now == 86400 is no error."""
        token = assemble(exp=NOW + DAY)
        assert [p for p in problems(token) if p.severity == "error"] == []

    def test_over_24_hours_left_is_a_20104_error(self):
        """exp - now == 86401 is a 20104 error on exp."""
        token = assemble(exp=NOW + DAY + 1)
        assert (20104, "error") in on(token, "exp")

    @pytest.mark.parametrize("left", [1, 30, 59])
    def test_under_a_minute_left_is_a_warning(self, left):
        """0 < exp - now < 60 is a 20104 warning on exp."""
        token = assemble(exp=NOW + left)
        assert on(token, "exp") == [(20104, "warning")]

    def test_a_minute_left_is_fine(self):
        """exp - now == 60 is no warning."""
        assert on(assemble(exp=NOW + 60), "exp") == []

    def test_no_time_left_is_only_the_expiry_error(self):
        """exp == now is expired (an error), not also 'soon' (a warning)."""
        assert on(assemble(exp=NOW), "exp") == [(20104, "error")]

    def test_iat_ahead_of_now_is_a_20101_warning(self):
        """iat 30 s ahead of now is a 20101 warning on iat that says 30 s."""
        token = assemble(iat=NOW + 30, exp=NOW + 3600)
        assert on(token, "iat") == [(20101, "warning")]
        (message,) = messages(token, "iat")
        assert word("30 s", message)


MIN_LIFETIMES = [
    ("chat", {"service_sid": SERVICE}, 180),
    ("ip_messaging", {"service_sid": SERVICE}, 180),
    ("data_sync", {"service_sid": SERVICE}, 1800),
]


class TestProductMinimumLifetime:
    @pytest.mark.parametrize(("key", "grant", "least"), MIN_LIFETIMES)
    def test_the_minimum_is_fine(self, key, grant, least):
        """A token living exactly the product's minimum has no warning."""
        token = assemble({"identity": "a", key: grant}, exp=NOW + least)
        assert on(token, "exp") == []

    @pytest.mark.parametrize(("key", "grant", "least"), MIN_LIFETIMES)
    def test_one_second_less_is_a_20104_warning(self, key, grant, least):
        """One second under the minimum is a 20104 warning on exp."""
        token = assemble({"identity": "a", key: grant}, exp=NOW + least - 1)
        assert on(token, "exp") == [(20104, "warning")]
        (message,) = messages(token, "exp")
        assert word(f"{least - 1} s", message)

    def test_lifetime_is_counted_from_iat(self):
        """An old iat counts: 1100 s from iat is enough with 100 s left."""
        grants = {"identity": "a", "chat": {"service_sid": SERVICE}}
        token = assemble(grants, iat=NOW - 1000, exp=NOW + 100)
        assert on(token, "exp") == []

    def test_without_iat_lifetime_is_counted_from_nbf(self):
        """twilio-python's tokens carry nbf, not iat: exp - nbf counts."""
        grants = {"identity": "a", "chat": {"service_sid": SERVICE}}
        enough = assemble(grants, iat=..., nbf=NOW - 100, exp=NOW + 80)
        assert on(enough, "exp") == []
        short = assemble(grants, iat=..., nbf=NOW - 100, exp=NOW + 79)
        assert on(short, "exp") == [(20104, "warning")]
        assert "lives 179 s" in str(problems(short))

    def test_without_iat_or_nbf_the_lifetime_is_not_judged(self):
        """
        Neither iat nor nbf: how long it lives cannot be known, so no
        product warning (120 s before expiry is not "it lives 120 s").
        """
        grants = {"identity": "a", "chat": {"service_sid": SERVICE}}
        token = assemble(grants, iat=..., exp=NOW + 120)
        assert on(token, "exp") == []
        expired = assemble(grants, iat=..., exp=NOW - 100)
        assert on(expired, "exp") == [(20104, "error")]
        assert "lives" not in str(problems(expired))


# ------------------------------------------------------------ grants


ENDPOINTS = [
    ("chat", {"service_sid": SERVICE}),
    ("ip_messaging", {"service_sid": SERVICE}),
    ("voice", {"incoming": {"allow": True}}),
    ("data_sync", {"service_sid": SERVICE}),
]


class TestEndpointId:
    @pytest.mark.parametrize(("key", "grant"), ENDPOINTS)
    def test_256_characters_is_fine(self, key, grant):
        """An endpoint_id of exactly 256 characters has no warning."""
        grants = {"identity": "a", key: {**grant, "endpoint_id": "e" * 256}}
        assert on(assemble(grants), f"grants.{key}.endpoint_id") == []

    @pytest.mark.parametrize(("key", "grant"), ENDPOINTS)
    def test_257_characters_is_a_51004_warning(self, key, grant):
        """One past 256 is a 51004 warning on the grant's endpoint_id."""
        grants = {"identity": "a", key: {**grant, "endpoint_id": "e" * 257}}
        assert on(assemble(grants), f"grants.{key}.endpoint_id") == [
            (51004, "warning")
        ]


def voice_with_params(size):
    """A voice grant whose params are *size* bytes of compact JSON."""
    params = {"k": "x" * (size - len('{"k":""}'))}
    assert len(json.dumps(params, separators=(",", ":"))) == size
    outgoing = {"application_sid": APP, "params": params}
    return {"identity": "a", "voice": {"outgoing": outgoing}}


class TestVoiceParams:
    def test_800_bytes_is_fine(self):
        """Params of exactly 800 bytes of JSON have no warning."""
        token = assemble(voice_with_params(800))
        assert on(token, "grants.voice.outgoing.params") == []

    def test_801_bytes_is_a_31103_warning(self):
        """801 bytes of params is a 31103 warning on the params."""
        token = assemble(voice_with_params(801))
        assert on(token, "grants.voice.outgoing.params") == [
            (31103, "warning")
        ]


class TestGrantSet:
    def test_two_grants_with_one_key_are_refused_with_20106(self):
        """Two video grants are a 20106 error on grants.video."""
        assert refusal(identity="a", grants=[VideoGrant(), VideoGrant()]) == [
            (20106, "error", "grants.video")
        ]

    @pytest.mark.parametrize(
        ("key", "instead"), [("ip_messaging", "chat"), ("rtc", "video")]
    )
    def test_a_legacy_grant_names_its_successor(self, key, instead):
        """A legacy grant is a code-less warning that names what to use."""
        token = assemble({"identity": "a", key: {}})
        assert (None, "warning") in on(token, f"grants.{key}")
        legacy = [
            p.message
            for p in problems(token)
            if p.field == f"grants.{key}" and p.code is None
        ]
        assert len(legacy) == 1
        assert word(instead, legacy[0])

    def test_legacy_conversations_grant_mints(self):
        """ConversationsGrant (rtc) still builds, with its deprecation."""
        with pytest.deprecated_call():
            grant = ConversationsGrant()
        assert mint(identity="a", grants=[grant]).grants == (grant,)

    def test_a_null_player_is_reported_once(self):
        """A null player grant gets the empty-player warning only, once."""
        token = assemble({"identity": "a", "player": None})
        assert on(token, "grants.player") == [(20106, "warning")]

    def test_a_null_grant_is_a_20106_warning(self):
        """Any other null grant is a 20106 warning on that grant."""
        token = assemble({"identity": "a", "video": None})
        assert (20106, "warning") in on(token, "grants.video")


# ------------------------------------------------------------ claims


class TestClaimMessages:
    def test_a_bad_cty_is_shown(self):
        """A wrong cty is a 20102 error that shows the cty it found."""
        token = assemble(header={**HEADER, "cty": "bogus"})
        assert on(token, "header.cty") == [(20102, "error")]
        (message,) = messages(token, "header.cty")
        assert "bogus" in message

    def test_a_malformed_iss_gets_no_auth_token_hint(self):
        """Only an iss that is an Account SID gets the Auth Token hint."""
        (garbage,) = messages(assemble(iss="garbage"), "iss")
        assert "Auth Token" not in garbage
        (account,) = messages(assemble(iss=ACCOUNT), "iss")
        assert "Auth Token" in account

    def test_a_missing_jti_is_called_missing(self):
        """No jti is a 20154 warning that says it is missing."""
        token = assemble(jti=...)
        assert on(token, "jti") == [(20154, "warning")]
        (message,) = messages(token, "jti")
        assert word("missing", message)

    def test_a_non_string_jti_is_shown(self):
        """A numeric jti is a 20154 warning that shows the number."""
        token = assemble(jti=12345)
        assert on(token, "jti") == [(20154, "warning")]
        (message,) = messages(token, "jti")
        assert "12345" in message
        assert "missing" not in message


# A token for each rule's message; (claims/header changes, now).
CORPUS = [
    assemble(iat="x"),
    assemble(header={**HEADER, "cty": "bogus", "typ": "x", "alg": "HS512"}),
    assemble(iss="garbage", sub=...),
    assemble(iss=ACCOUNT, sub="AC" + "1" * 32),
    assemble(exp=...),
    assemble(exp="soon"),
    assemble(exp=NOW - 1),
    assemble(nbf="x"),
    assemble(nbf=NOW + 10),
    assemble(nbf=NOW + 110, exp=NOW + 100),
    assemble(exp=NOW + DAY + 1),
    assemble(exp=NOW + 10, iat=NOW + 5),
    assemble(grants=[]),
    assemble(grants={"identity": 5, "voice": {}}),
    assemble(grants={"voice": {}, "chat": {}, "data_sync": {}}),
    assemble(grants={"identity": "a-" * 70, "voice": {}, "video": {}}),
    assemble(grants={"identity": "a" * 300, "chat": {}, "data_sync": {}}),
    assemble(
        grants={
            "identity": "a",
            "ip_messaging": {"service_sid": SERVICE, "endpoint_id": "e" * 300},
            "chat": {"service_sid": SERVICE, "nope": 1},
            "rtc": {},
            "typo": {},
            "video": None,
            "player": None,
            "task_router": {"role": "boss"},
        },
        exp=NOW + 100,
    ),
    assemble(grants=voice_with_params(900)),
    assemble(header={**HEADER, "twr": ""}),
    assemble(header={**HEADER, "twr": "ie1"}),
    assemble(header={**HEADER, "twr": "mars1"}, grants={"identity": "a"}),
    assemble(jti=...),
]


def assert_sentences(found):
    assert found
    for p in found:
        assert p.message.endswith("."), p
        assert not p.message[0].isupper(), p


@pytest.mark.parametrize("token", CORPUS)
def test_every_message_is_a_sentence(token):
    """Each message starts in lower case or with a quote and ends in '.'."""
    assert_sentences(problems(token))


def test_messages_for_the_wrong_account_and_key_are_sentences():
    """The expected-account and expected-key messages are sentences too."""
    other = check(
        assemble(),
        api_key_secret=SECRET,
        account_sid="AC" + "1" * 32,
        api_key_sid="SK" + "1" * 32,
        now=NOW,
    )
    assert {p.field for p in other} >= {"iss", "sub"}
    assert_sentences(other)


def test_a_refusal_gives_sentences():
    """The problems AccessToken refuses with are sentences too."""
    with pytest.raises(TokenRefusedError) as info:
        mint(identity="a", grants=[VideoGrant(), VideoGrant()])
    assert_sentences(info.value.problems)


# ------------------------------------------------------------ messages name the value


def token_of(grants, header=None):
    payload = {
        "jti": "j",
        "iss": KEY,
        "sub": ACCOUNT,
        "iat": NOW,
        "exp": NOW + 3600,
        "grants": grants,
    }
    h = b64(json.dumps(header or HEADER))
    p = b64(json.dumps(payload))
    return f"{h}.{p}.{mac(f'{h}.{p}')}"


def only(jwt, field):
    (p,) = [p for p in problems(jwt) if p.field == field]
    return p


@pytest.mark.parametrize(
    ("grants", "twr", "severity", "code", "shown"),
    [
        (
            {"identity": "a", "chat": {"service_sid": "IS" + "b" * 32}},
            "ie1",
            "warning",
            20101,
            "'ie1' beside chat",
        ),
        (
            {"identity": "a", "video": {}},
            "ie1",
            "error",
            20101,
            "twr is 'ie1', but Video",
        ),
        (
            {"identity": "a", "voice": {}},
            None,
            "warning",
            20102,
            "twr is None;",
        ),
        (
            {"identity": "a", "voice": {}},
            "IE1",
            "warning",
            20101,
            "twr is 'IE1'; Twilio spells",
        ),
        (
            {"identity": "a", "voice": {}},
            "dublin",
            "warning",
            20101,
            "twr is 'dublin', an edge",
        ),
        (
            {"identity": "a", "voice": {}},
            "mars1",
            "warning",
            20101,
            "twr is 'mars1', not one of",
        ),
    ],
)
def test_region_problems_name_the_region(grants, twr, severity, code, shown):
    """
    Each region problem is on header.twr, with its code, and shows the twr.
    """
    p = only(token_of(grants, {**HEADER, "twr": twr}), "header.twr")

    assert (severity, code) == (p.severity, p.code)
    assert shown in p.message


def test_video_beside_us1_and_chat_is_quiet():
    """
    us1 is fine for Video and for chat: no region problem.
    """
    grants = {
        "identity": "a",
        "video": {},
        "chat": {"service_sid": "IS" + "b" * 32},
    }

    assert [] == [
        p
        for p in problems(token_of(grants, {**HEADER, "twr": "us1"}))
        if p.field == "header.twr"
    ]


def test_crit_problem_shows_the_crit():
    """
    A crit header is refused, showing its value.
    """
    p = only(
        token_of({"video": {}, "identity": "a"}, {**HEADER, "crit": ["zz"]}),
        "header.crit",
    )

    assert ("error", 20102) == (p.severity, p.code)
    assert "crit is ('zz',)" in p.message


def test_voice_identity_problem_shows_the_identity():
    """
    The 31105 problem shows the identity it refused.
    """
    p = only(token_of({"identity": "a b", "voice": {}}), "grants.identity")

    assert (31105, "error") == (p.code, p.severity)
    assert "identity 'a b' is not allowed" in p.message


def test_unknown_field_is_named():
    """
    A field a grant does not define is named in its warning.
    """
    p = only(
        token_of({"identity": "a", "video": {"roomz": "x"}}),
        "grants.video.roomz",
    )

    assert ("warning", 20106) == (p.severity, p.code)
    assert "has a field 'roomz'" in p.message


def test_voice_params_without_an_app_warn_only_for_voice():
    """
    params without an application_sid warn under voice, not under a grant
    that merely has an "outgoing" field.
    """
    outgoing = {"outgoing": {"params": {"a": 1}}}
    voice = only(
        token_of({"identity": "a", "voice": outgoing}),
        "grants.voice.outgoing.params",
    )
    chat = token_of(
        {"identity": "a", "chat": {"service_sid": "IS" + "b" * 32, **outgoing}}
    )

    assert ("warning", 20106) == (voice.severity, voice.code)
    assert "params but no application_sid" in voice.message
    assert "grants.chat.outgoing.params" not in [
        p.field for p in problems(chat)
    ]


# ------------------------------------------------------------ each rule to its word


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from twilio_tokens._decode import read_subject  # noqa: E402
from twilio_tokens._jws import parse  # noqa: E402
from twilio_tokens._rules import ALL, Context, catalogue  # noqa: E402


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
GRANT_KEYS = st.sampled_from(
    [
        "voice",
        "chat",
        "video",
        "data_sync",
        "task_router",
        "player",
        "ip_messaging",
        "rtc",
        "flex_insights",
        "x",
    ]
)
FIELDS = st.sampled_from(
    [
        "service_sid",
        "endpoint_id",
        "room",
        "role",
        "workspace_sid",
        "worker_sid",
        "incoming",
        "outgoing",
        "push_credential_sid",
    ]
)
GRANT_VALUES = st.one_of(
    JSONISH,
    st.dictionaries(
        FIELDS,
        st.one_of(JSONISH, st.just("IS" + "b" * 32), st.just("x" * 300)),
        max_size=4,
    ),
)


@given(
    grants=st.dictionaries(GRANT_KEYS, GRANT_VALUES, max_size=4),
    identity=st.one_of(
        st.none(), st.text(max_size=10), st.just("a" * 300), st.integers()
    ),
    changes=st.dictionaries(
        st.sampled_from(["iss", "sub", "exp", "nbf", "iat", "jti"]),
        st.one_of(
            JSONISH, st.integers(NOW - 10**6, NOW + 10**6), st.just(...)
        ),
        max_size=3,
    ),
    twr=st.one_of(
        st.none(), st.sampled_from(["us1", "ie1", "IE1", "dublin", "", "xx"])
    ),
    now=st.integers(NOW - 10**5, NOW + 10**5),
)
def test_each_rule_reports_only_the_codes_and_severities_it_declares(
    grants, identity, changes, twr, now
):
    """
    The rules reference is built from the declarations: every problem a
    rule finds carries one of its declared codes and severities.
    """
    if identity is not None:
        grants = {**grants, "identity": identity}
    header = dict(HEADER) if twr is None else {**HEADER, "twr": twr}
    header_, claims, _, _ = parse(assemble(grants, header=header, **changes))
    subject = read_subject(header_, claims)
    declared = {info.name: info for info in catalogue()}
    for judge in ALL:
        info = declared[judge.__name__]
        for problem in judge(subject, Context(now=now)):
            assert problem.code in info.codes, (judge.__name__, problem)
            assert problem.severity in info.severities, (
                judge.__name__,
                problem,
            )


def test_the_catalogue_declares_every_rule_in_order():
    infos = catalogue()
    assert [i.name for i in infos] == [r.__name__ for r in ALL]
    for info, judge in zip(infos, ALL, strict=True):
        assert info.summary == judge.__doc__.strip().splitlines()[0]
        assert info.codes
        assert info.severities
        assert info.field
        assert info.remedy
        assert set(info.severities) <= {"error", "warning"}
    by_name = {i.name: i for i in infos}
    assert by_name["expiry"].codes == (20104,)
    assert by_name["expiry"].severities == ("error",)
    assert by_name["expiry"].field == "exp"
    assert by_name["token_id"].severities == ("warning",)
    assert by_name["legacy_grants"].codes == (None,)


# ------------------------------------------------------------ exact wordings


def test_a_secret_in_a_sid_slot_is_named_in_these_words():
    token = assemble(iss="Ab" * 16)
    (message,) = messages(token, "iss")
    assert message.endswith(
        " It looks like a secret, not a SID: are the arguments in the "
        "wrong order?"
    )


def test_length_messages_name_the_product_and_only_voice_the_escapes():
    voice = assemble(
        {"identity": "a" * 122, "voice": {"incoming": {"allow": True}}}
    )
    chat = assemble({"identity": "a" * 257, "chat": {"service_sid": SERVICE}})
    assert messages(voice, "grants.identity") == [
        (
            "identity is 122 characters; Voice accepts at most 121 "
            "(encode_identity() spells each escaped byte in 3)."
        )
    ]
    assert messages(chat, "grants.identity") == [
        "identity is 257 characters; Conversations accepts at most 256."
    ]


def test_an_unknown_region_is_named_in_these_words():
    token = assemble(
        {"identity": "a", "voice": {"incoming": {"allow": True}}},
        header={**HEADER, "twr": "zz9"},
    )
    assert messages(token, "header.twr") == [
        (
            "twr is 'zz9', not one of us1, ie1, au1; the API key's Region must "
            "match it."
        )
    ]


def test_a_grant_that_allows_nothing_names_its_fields_in_these_words():
    token = assemble({"identity": "a", "voice": {}})
    assert messages(token, "grants.voice") == [
        (
            "the voice grant allows nothing: set incoming_allow or "
            "outgoing_application_sid (incoming_allow=True to receive calls, "
            "outgoing_application_sid to place them through a TwiML App)."
        )
    ]


def test_missing_and_unknown_taskrouter_fields_in_these_words():
    token = assemble({"task_router": {"role": "boss"}})
    assert messages(token, "grants.task_router") == [
        (
            "the task_router grant lacks workspace_sid, worker_sid; the "
            "TaskRouter SDK needs all three."
        )
    ]
    assert messages(token, "grants.task_router.role") == [
        "role is 'boss'; TaskRouter knows 'worker' and 'supervisor'."
    ]


def test_a_region_beside_a_custom_grant_is_likely_trouble():
    token = assemble(
        {"identity": "a", "x": {}}, header={**HEADER, "twr": "ie1"}
    )
    assert [
        (p.code, p.severity)
        for p in problems(token)
        if p.field == "header.twr"
    ] == [(20101, "warning")]


def test_params_over_the_limit_are_named_in_these_words():
    token = assemble(
        {
            "identity": "a",
            "voice": {
                "outgoing": {
                    "application_sid": APP,
                    "params": {"p": "x" * 793},
                }
            },
        }
    )
    assert messages(token, "grants.voice.outgoing.params") == [
        "params are 801 bytes as JSON; over 800 the call may fail with 31103."
    ]
