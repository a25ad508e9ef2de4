"""
check() and check_refresh(): each rule of the rule set, with Twilio's code.
"""

import json
import warnings

import jwt as pyjwt
import pytest

from hypothesis import given
from hypothesis import strategies as st
from twilio_tokens import (
    AccessToken,
    ChatGrant,
    ConversationsGrant,
    CustomGrant,
    IpMessagingGrant,
    PlaybackGrant,
    Problem,
    SyncGrant,
    TaskRouterGrant,
    TokenWarning,
    VideoGrant,
    VoiceGrant,
    check,
    check_refresh,
    decode_unverified,
)

from helpers import (
    ACCOUNT,
    APP,
    HEADER,
    KEY,
    NOW,
    OTHER_SECRET,
    SECRET,
    SERVICE,
    WORKER,
    WORKSPACE,
    b64,
    mac,
)
from strategies import tokens


def assemble(claims=None, header=None, secret=SECRET, **changes):
    """
    A token assembled by hand (for what the library refuses to mint);
    a claim changed to ... is left out.
    """
    payload = {
        "jti": "j",
        "iss": KEY,
        "sub": ACCOUNT,
        "iat": NOW,
        "exp": NOW + 3600,
        "grants": {"identity": "alice", "video": {}},
    }
    if claims is not None:
        payload = claims
    payload = {k: v for k, v in {**payload, **changes}.items() if v is not ...}
    h = b64(json.dumps(HEADER if header is None else header).encode())
    p = b64(json.dumps(payload).encode())
    return f"{h}.{p}.{mac(f'{h}.{p}', secret)}"


def with_grants(grants, **changes):
    return assemble(grants=grants, **changes)


NOT_CHECKED = ("warning", None, "signature")


def found(token, **kwargs):
    """
    (severity, code, field) of each problem, but the note that the
    signature was not checked (its own tests assert it).
    """
    kwargs.setdefault("now", NOW)
    problems = [(p.severity, p.code, p.field) for p in check(token, **kwargs)]
    return [p for p in problems if p != NOT_CHECKED]


def mint(**kwargs):
    """A JWT; what minting warns of is not under test here, check() is."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TokenWarning)
        return AccessToken(ACCOUNT, KEY, SECRET, **kwargs).to_jwt(now=NOW)


VALID_PER_PRODUCT = {
    "voice": {
        "identity": "alice_1",
        "grants": [
            VoiceGrant(incoming_allow=True, outgoing_application_sid=APP)
        ],
    },
    "conversations": {
        "identity": "alice@example.com",
        "grants": [ChatGrant(service_sid=SERVICE)],
    },
    "video": {"identity": "Alice Smith", "grants": [VideoGrant(room="daily")]},
    "sync": {
        "identity": "alice",
        "grants": [SyncGrant(service_sid="default")],
        "ttl": 3600,
    },
    "taskrouter": {
        "grants": [
            TaskRouterGrant(
                workspace_sid=WORKSPACE, worker_sid=WORKER, role="worker"
            )
        ]
    },
    "playback": {
        "grants": [
            PlaybackGrant(grant={"playbackUrl": "https://example.invalid/x"})
        ]
    },
    "flex": {
        "identity": "a",
        "grants": [CustomGrant(key="flex_insights", claims={})],
    },
    "regional-voice": {
        "identity": "a",
        "region": "ie1",
        "grants": [VoiceGrant(incoming_allow=True)],
    },
}


class TestValidTokens:
    @pytest.mark.parametrize(
        "kwargs", VALID_PER_PRODUCT.values(), ids=VALID_PER_PRODUCT.keys()
    )
    def test_a_valid_token_for_each_product_has_no_problems(self, kwargs):
        """
        A well-formed token for each product checks clean, signature included.
        """
        assert () == check(
            mint(**kwargs),
            api_key_secret=SECRET,
            account_sid=ACCOUNT,
            api_key_sid=KEY,
            now=NOW,
        )

    def test_accepts_a_decoded_token_and_an_access_token(self):
        """
        check() takes a JWT, a DecodedToken or an AccessToken.
        """
        token = AccessToken(
            ACCOUNT, KEY, SECRET, identity="a b", grants=[VideoGrant()]
        )
        jwt = token.to_jwt(now=NOW)

        assert () == check(token, api_key_secret=SECRET, now=NOW)
        assert () == check(
            decode_unverified(jwt), api_key_secret=SECRET, now=NOW
        )
        assert [("error", 20107, "signature")] == found(
            token, api_key_secret=OTHER_SECRET
        )
        assert [("error", 20107, "signature")] == found(
            decode_unverified(jwt), api_key_secret=OTHER_SECRET
        )

    def test_problems_are_frozen_values_that_print(self):
        """
        A Problem is frozen and prints as severity, code, field, message.
        """
        (p,) = check("x.y", now=NOW)

        assert Problem(20101, "error", "token", p.message) == p
        assert str(p).startswith("error 20101 token: A JWT has three")
        with pytest.raises(AttributeError):
            p.code = 1  # type: ignore[misc]
        assert "warning jti: x" == str(Problem(None, "warning", "jti", "x"))


RULES = [
    # structure and header
    ("not-a-jwt", "not.a.jwt", ("error", 20101, "token")),
    (
        "typ",
        assemble(header={**HEADER, "typ": "JOSE"}),
        ("error", 20102, "header.typ"),
    ),
    (
        "cty",
        assemble(header={"alg": "HS256", "typ": "JWT"}),
        ("error", 20102, "header.cty"),
    ),
    (
        "alg",
        pyjwt.encode(
            {"iss": KEY},
            SECRET * 2,
            algorithm="HS512",
            headers={"cty": "twilio-fpa;v=1"},
        ),
        ("error", 20102, "header.alg"),
    ),
    ("iss-missing", assemble(iss=...), ("error", 20103, "iss")),
    ("iss-format", assemble(iss="SK123"), ("error", 20103, "iss")),
    ("sub-format", assemble(sub="AC" + "x" * 32), ("error", 20103, "sub")),
    (
        "grants-missing",
        assemble({"jti": "j", "iss": KEY, "sub": ACCOUNT, "exp": NOW + 3600}),
        ("error", 20106, "grants"),
    ),
    ("grants-not-object", assemble(grants=[]), ("error", 20106, "grants")),
    (
        "exp-missing",
        assemble(
            {
                "jti": "j",
                "iss": KEY,
                "sub": ACCOUNT,
                "grants": {"identity": "a", "video": {}},
            }
        ),
        ("error", 20104, "exp"),
    ),
    ("exp-float", assemble(exp=NOW + 3600.5), ("error", 20104, "exp")),
    ("nbf-type", assemble(nbf="now"), ("error", 20105, "nbf")),
    ("iat-type", assemble(iat="now"), ("error", 20101, "iat")),
    (
        "jti-missing",
        assemble(
            {
                "iss": KEY,
                "sub": ACCOUNT,
                "exp": NOW + 60 * 60,
                "grants": {"identity": "a", "video": {}},
            }
        ),
        ("warning", 20154, "jti"),
    ),
    ("jti-empty", assemble(jti=""), ("warning", 20154, "jti")),
    (
        "grant-field-type",
        with_grants({"identity": "a", "voice": {"incoming": {"allow": 1}}}),
        ("error", 20106, "grants.voice"),
    ),
    (
        "grant-sid-format",
        with_grants({"identity": "a", "chat": {"service_sid": "IS1"}}),
        ("error", 20106, "grants.chat"),
    ),
    (
        "grant-null",
        with_grants({"identity": "a", "video": None}),
        ("warning", 20106, "grants.video"),
    ),
    (
        "player-empty",
        mint(grants=[PlaybackGrant()]),
        ("warning", 20106, "grants.player"),
    ),
    (
        "player-null",
        with_grants({"player": None}),
        ("warning", 20106, "grants.player"),
    ),
    (
        "unknown-key",
        with_grants({"identity": "a", "vioce": {}}),
        ("warning", 20106, "grants.vioce"),
    ),
    (
        "unknown-field",
        with_grants(
            {
                "identity": "a",
                "chat": {"service_sid": SERVICE, "servce_sid": "x"},
            }
        ),
        ("warning", 20106, "grants.chat.servce_sid"),
    ),
    ("no-grant", mint(), ("warning", 20106, "grants")),
    # lifetime
    ("expired", assemble(exp=NOW), ("error", 20104, "exp")),
    (
        "over-24h-from-now",
        assemble(exp=NOW + 86401, iat=...),
        ("error", 20104, "exp"),
    ),
    ("nbf-future", assemble(nbf=NOW + 1), ("error", 20105, "nbf")),
    (
        "never-valid",
        assemble(nbf=NOW - 10, exp=NOW - 10),
        ("error", 20104, "exp"),
    ),
    (
        "over-24h-from-iat",
        assemble(iat=NOW - 3600, exp=NOW + 86000),
        ("warning", 20157, "exp"),
    ),
    ("iat-future", assemble(iat=NOW + 30), ("warning", 20101, "iat")),
    ("under-a-minute", assemble(exp=NOW + 59), ("warning", 20104, "exp")),
    (
        "chat-short",
        mint(identity="a", ttl=179, grants=[ChatGrant(service_sid=SERVICE)]),
        ("warning", 20104, "exp"),
    ),
    (
        "sync-short",
        mint(identity="a", ttl=1799, grants=[SyncGrant(service_sid=SERVICE)]),
        ("warning", 20104, "exp"),
    ),
    # identity
    (
        "voice-no-identity",
        with_grants({"voice": {}}),
        ("error", 31105, "grants.identity"),
    ),
    (
        "video-no-identity",
        with_grants({"video": {}}),
        ("error", 53200, "grants.identity"),
    ),
    (
        "chat-no-identity",
        with_grants({"chat": {"service_sid": SERVICE}}),
        ("error", 51105, "grants.identity"),
    ),
    (
        "sync-empty-identity",
        with_grants({"data_sync": {}, "identity": ""}),
        ("error", 51105, "grants.identity"),
    ),
    (
        "identity-number",
        with_grants({"video": {}, "identity": 42}),
        ("error", 20106, "grants.identity"),
    ),
    (
        "voice-identity-chars",
        with_grants({"voice": {}, "identity": "alice smith"}),
        ("error", 31105, "grants.identity"),
    ),
    (
        "voice-identity-long",
        with_grants({"voice": {}, "identity": "a" * 122}),
        ("error", 31105, "grants.identity"),
    ),
    (
        "video-identity-wide",
        with_grants({"video": {}, "identity": "é" * 64 + "a"}),
        ("error", 53201, "grants.identity"),
    ),
    (
        "chat-identity-long",
        with_grants({"chat": {"service_sid": SERVICE}, "identity": "a" * 257}),
        ("error", 51003, "grants.identity"),
    ),
    (
        "sync-identity-long",
        with_grants({"data_sync": {}, "identity": "a" * 257}),
        ("error", 54351, "grants.identity"),
    ),
    # region
    (
        "video-outside-us1",
        assemble(header={**HEADER, "twr": "ie1"}),
        ("error", 20101, "header.twr"),
    ),
    (
        "unknown-region",
        assemble(
            header={**HEADER, "twr": "mars1"},
            grants={"identity": "a", "voice": {}},
        ),
        ("warning", 20101, "header.twr"),
    ),
    (
        "region-null",
        assemble(header={**HEADER, "twr": None}),
        ("warning", 20102, "header.twr"),
    ),
    (
        "region-empty",
        assemble(header={**HEADER, "twr": ""}),
        ("warning", 20102, "header.twr"),
    ),
    # grants
    (
        "chat-no-service",
        with_grants({"chat": {}, "identity": "a"}),
        ("error", 51104, "grants.chat.service_sid"),
    ),
    (
        "chat-and-ip-messaging",
        with_grants(
            {
                "chat": {"service_sid": SERVICE},
                "ip_messaging": {"service_sid": SERVICE},
                "identity": "a",
            }
        ),
        ("warning", 51110, "grants.ip_messaging"),
    ),
    (
        "legacy-ip-messaging",
        with_grants(
            {"ip_messaging": {"service_sid": SERVICE}, "identity": "a"}
        ),
        ("warning", None, "grants.ip_messaging"),
    ),
    (
        "legacy-rtc",
        with_grants({"rtc": {}, "identity": "a"}),
        ("warning", None, "grants.rtc"),
    ),
    (
        "taskrouter-incomplete",
        mint(grants=[TaskRouterGrant(workspace_sid=WORKSPACE)]),
        ("warning", 20106, "grants.task_router"),
    ),
    (
        "taskrouter-role",
        mint(
            grants=[
                TaskRouterGrant(
                    workspace_sid=WORKSPACE, worker_sid=WORKER, role="admin"
                )
            ]
        ),
        ("warning", 20106, "grants.task_router.role"),
    ),
    (
        "voice-params-large",
        mint(
            identity="a",
            grants=[
                VoiceGrant(
                    outgoing_application_sid=APP,
                    outgoing_application_params={"x": "y" * 800},
                )
            ],
        ),
        ("warning", 31103, "grants.voice.outgoing.params"),
    ),
    (
        "endpoint-long",
        mint(
            identity="a",
            grants=[VoiceGrant(incoming_allow=True, endpoint_id="e" * 257)],
        ),
        ("warning", 51004, "grants.voice.endpoint_id"),
    ),
]


class TestRules:
    @pytest.mark.parametrize(
        ("token", "expected"),
        [r[1:] for r in RULES],
        ids=[r[0] for r in RULES],
    )
    def test_rule_is_reported_with_its_code_and_severity(
        self, token, expected
    ):
        """
        Each rule shows up with Twilio's code, the severity and the field.
        """
        assert expected in found(token)

    @pytest.mark.parametrize(
        ("token", "expected"),
        [r[1:] for r in RULES],
        ids=[r[0] for r in RULES],
    )
    def test_every_problem_has_a_message(self, token, expected):
        """
        Every problem says what is wrong in words.
        """
        for p in check(token, now=NOW):
            assert p.message
            assert p.severity in ("error", "warning")

    def test_signature_checked_only_with_a_secret(self):
        """
        With the wrong secret the signature is an error (20107); without one it is not judged.
        """
        jwt = mint(identity="a", grants=[VideoGrant()])

        assert [("error", 20107, "signature")] == found(
            jwt, api_key_secret=OTHER_SECRET
        )
        assert [NOT_CHECKED] == [
            (p.severity, p.code, p.field) for p in check(jwt, now=NOW)
        ]

    def test_expected_account_and_key(self):
        """
        A token for another account or key is 20103.
        """
        jwt = mint(identity="a", grants=[VideoGrant()])

        assert [("error", 20103, "sub")] == found(
            jwt, account_sid="AC" + "1" * 32
        )
        assert [("error", 20103, "iss")] == found(
            jwt, api_key_sid="SK" + "1" * 32
        )

    def test_messages_say_what_to_do(self):
        """
        Lifetime messages give the figures and the limit.
        """
        (p,) = check(
            assemble(exp=NOW + 172800, iat=...), api_key_secret=SECRET, now=NOW
        )

        assert (
            "exp is 172800 s after now; Twilio accepts at most 86400 (24 h) from the time of use."
            == p.message
        )

    def test_check_never_raises_on_a_bad_token(self):
        """
        A malformed token is a 20101 problem, not an exception.
        """
        for bad in ("", "a.b.c", "é", "x" * 100_000, b"\xff.\xff.\xff"):
            problems = check(bad, now=NOW)
            assert [20101] == [p.code for p in problems]


class TestOneRuleSet:
    @pytest.mark.parametrize(
        ("kwargs", "code"),
        [
            (
                {
                    "identity": "a b",
                    "grants": [VoiceGrant(incoming_allow=True)],
                },
                31105,
            ),
            ({"grants": [VideoGrant()]}, 53200),
            ({"identity": "é" * 65, "grants": [VideoGrant()]}, 53201),
            (
                {
                    "identity": "a" * 257,
                    "grants": [ChatGrant(service_sid=SERVICE)],
                },
                51003,
            ),
            ({"identity": "a" * 257, "grants": [SyncGrant()]}, 54351),
            ({"identity": "a", "grants": [ChatGrant()]}, 51104),
            (
                {"region": "au1", "identity": "a", "grants": [VideoGrant()]},
                20101,
            ),
            ({"ttl": 90000}, 20104),
        ],
        ids=[
            "voice-identity",
            "video-identity",
            "video-wide",
            "chat-long",
            "sync-long",
            "chat-service",
            "video-region",
            "ttl",
        ],
    )
    def test_what_check_calls_an_error_does_not_mint(self, kwargs, code):
        """
        The constructor refuses exactly what check() reports, with its code.
        """
        from twilio_tokens import TokenRefusedError

        with pytest.raises(TokenRefusedError) as ei:
            AccessToken(ACCOUNT, KEY, SECRET, **kwargs)
        assert code == ei.value.code

        if "ttl" in kwargs:
            claims = {
                "jti": "j",
                "iss": KEY,
                "sub": ACCOUNT,
                "iat": NOW,
                "exp": NOW + kwargs["ttl"],
                "grants": {},
            }
            assert ("error", code, "exp") in found(assemble(claims))
        else:
            grants = {g.key: g.to_claims() for g in kwargs["grants"]}
            if "identity" in kwargs:
                grants["identity"] = kwargs["identity"]
            header = (
                {**HEADER, "twr": kwargs["region"]}
                if "region" in kwargs
                else HEADER
            )
            assert code in [
                p.code
                for p in check(assemble(header=header, grants=grants), now=NOW)
                if p.severity == "error"
            ]

    def test_legacy_tokens_still_mint_with_warnings(self):
        """
        Legacy grants are warnings, so they mint; check() still says so.
        """
        with pytest.deprecated_call():
            grants = [
                IpMessagingGrant(service_sid=SERVICE),
                ConversationsGrant(),
            ]
        jwt = mint(identity="a", grants=grants)

        assert [
            ("warning", None, "grants.ip_messaging"),
            ("warning", None, "grants.rtc"),
        ] == found(jwt)


@pytest.mark.filterwarnings("ignore::twilio_tokens.exceptions.TokenWarning")
@given(tokens())
def test_every_minted_token_checks_clean_of_errors(token):
    """
    Minting and checking never disagree: what mints has no error.
    """
    jwt = token.to_jwt(now=NOW)

    assert [] == [
        p
        for p in check(jwt, api_key_secret=SECRET, now=NOW)
        if p.severity == "error"
    ]
    assert [] == [p for p in check(token, now=NOW) if p.severity == "error"]


@pytest.mark.filterwarnings("ignore::twilio_tokens.exceptions.TokenWarning")
@given(tokens())
def test_building_warns_of_what_check_finds(token):
    """
    A build runs only some rules (no clock, the ttl at 0); it still warns
    of every problem check() finds at a mint, and of no other.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        AccessToken(
            token.account_sid,
            token.api_key_sid,
            SECRET,
            identity=token.identity,
            grants=token.grants,
            ttl=token.ttl,
            region=token.region,
            jti=token.jti,
        )
    warned = [str(w.message) for w in caught]
    # What the builder cannot know: no signature is checked here.
    found = [p for p in check(token, now=NOW) if p.field != "signature"]

    assert all(p.severity == "warning" for p in found)
    for problem in found:  # each in its own words, under its argument
        (message,) = [
            m
            for m in warned
            if m.endswith(f"{problem.message} (Twilio {problem.code})")
        ]
        warned.remove(message)
    assert [] == warned


@given(st.text(max_size=200) | st.binary(max_size=200))
def test_check_never_raises_on_any_input(text):
    """
    check() returns problems for any string or bytes; it never raises.
    """
    assert isinstance(check(text, api_key_secret=SECRET, now=NOW), tuple)


class TestRefresh:
    def test_same_identity_service_and_region_is_clean(self):
        """
        A refreshed token that keeps identity, Service and region is fine.
        """
        kwargs = {
            "identity": "alice",
            "grants": [ChatGrant(service_sid=SERVICE)],
            "region": "ie1",
        }
        with pytest.warns(TokenWarning, match="only for Voice tokens"):
            new = AccessToken(ACCOUNT, KEY, SECRET, **kwargs)
        old = new.to_jwt(now=NOW)

        assert () == check_refresh(old, new)
        assert () == check_refresh(decode_unverified(old), old)

    def test_identity_change_is_an_error(self):
        """
        The SDKs refuse an update to another identity.
        """
        old = mint(identity="alice", grants=[SyncGrant()])
        new = mint(identity="bob", grants=[SyncGrant()])

        (p,) = check_refresh(old, new)
        assert ("error", None, "grants.identity") == (
            p.severity,
            p.code,
            p.field,
        )
        assert "MISMATCHING_TOKEN_UPDATE" in p.message

    @pytest.mark.parametrize(
        "grant", [ChatGrant, SyncGrant], ids=["chat", "sync"]
    )
    def test_service_change_is_51232(self, grant):
        """
        Conversations and Sync keep their Service across refreshes.
        """
        old = mint(identity="a", grants=[grant(service_sid=SERVICE)])
        new = mint(identity="a", grants=[grant(service_sid="IS" + "9" * 32)])

        assert [("error", 51232, f"grants.{grant.key}.service_sid")] == [
            (p.severity, p.code, p.field) for p in check_refresh(old, new)
        ]

    def test_region_account_or_key_change_is_a_warning(self):
        """
        A changed twr, sub or iss is likely trouble.
        """
        old = mint(identity="a", grants=[SyncGrant()], region="ie1")
        new = AccessToken(
            "AC" + "1" * 32,
            "SK" + "1" * 32,
            SECRET,
            identity="a",
            grants=[SyncGrant()],
        ).to_jwt(now=NOW)

        assert [
            ("warning", None, "header.twr"),
            ("warning", None, "sub"),
            ("warning", None, "iss"),
        ] == [(p.severity, p.code, p.field) for p in check_refresh(old, new)]

    def test_malformed_token_is_a_problem(self):
        """
        A token that is not a JWT is reported, not raised.
        """
        assert [20101] == [p.code for p in check_refresh("nope", mint())]


def test_refresh_that_drops_a_grant_kept_for_life():
    """
    The new token lacks the chat grant the old one had, behind another
    grant: its service_sid changed to None (51232).
    """
    from twilio_tokens.testing import fake_credentials

    creds = fake_credentials()
    old = creds.mint(
        identity="a",
        grants=[VideoGrant(), ChatGrant(service_sid=SERVICE)],
    )
    new = creds.mint(identity="a", grants=[VideoGrant()])
    assert [(p.code, p.field) for p in check_refresh(old, new)] == [
        (51232, "grants.chat.service_sid")
    ]


class TestRefreshUnsetAndNew:
    def test_sync_without_a_service_is_the_default_service(self):
        from twilio_tokens.testing import fake_credentials

        creds = fake_credentials()
        old = creds.mint(identity="a", grants=[SyncGrant()])
        new = creds.mint(
            identity="a", grants=[SyncGrant(service_sid="default")]
        )
        assert check_refresh(old, new) == ()
        other = creds.mint(
            identity="a", grants=[SyncGrant(service_sid=SERVICE)]
        )
        assert [p.code for p in check_refresh(old, other)] == [51232]

    def test_a_grant_new_in_the_refreshed_token_changes_nothing_held(self):
        import warnings

        from twilio_tokens.testing import fake_credentials

        creds = fake_credentials()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            legacy = IpMessagingGrant(service_sid=SERVICE)
        old = creds.mint(identity="a", grants=[legacy])
        new = creds.mint(identity="a", grants=[ChatGrant(service_sid=SERVICE)])
        assert check_refresh(old, new) == ()
