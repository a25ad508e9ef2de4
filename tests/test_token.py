"""
AccessToken: the canonical wire format, validation and the clock.
"""

import base64
import json
import pickle
import threading
import warnings

from datetime import datetime, timedelta, timezone

import jwt as pyjwt
import pytest

from hypothesis import given
from twilio_tokens import (
    AccessToken,
    ChatGrant,
    ConversationsGrant,
    CustomGrant,
    IpMessagingGrant,
    MissingCredentialsError,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    TokenRefusedError,
    TokenWarning,
    TwilioTokenError,
    VideoGrant,
    VoiceGrant,
    WeakSecretWarning,
)

from helpers import (
    ACCOUNT,
    APP,
    CRED,
    HEADER,
    KEY,
    NOW,
    OTHER_SECRET,
    ROLE,
    SECRET,
    SERVICE,
    WORKER,
    WORKSPACE,
    b64,
    mac,
)
from strategies import tokens


# Tokens without grants are built here for what they test, not for use;
# minting warns that they allow nothing (tests of that are in test_token).
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*no product grant:twilio_tokens.exceptions.TokenWarning"
)


def reference_encode(header: dict, payload: dict, secret: str) -> str:
    """
    A stdlib HS256 encoder written from docs/token-format.md, independent of ours.
    """
    h = b64(json.dumps(header, separators=(",", ":"), sort_keys=True).encode())
    p = b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{h}.{p}.{mac(f'{h}.{p}', secret)}"


PLAYBACK = {
    "requestCredentials": None,
    "playbackUrl": "https://example.invalid/live",
    "playerStreamerSid": "VJ" + "1" * 32,
}

GOLDEN = [
    (
        "voice",
        "alice",
        [
            VoiceGrant(
                incoming_allow=True,
                outgoing_application_sid=APP,
                outgoing_application_params={"campaign": "x"},
                push_credential_sid=CRED,
                endpoint_id="alice-phone",
            )
        ],
        {
            "voice": {
                "incoming": {"allow": True},
                "outgoing": {
                    "application_sid": APP,
                    "params": {"campaign": "x"},
                },
                "push_credential_sid": CRED,
                "endpoint_id": "alice-phone",
            }
        },
    ),
    (
        "chat",
        "alice@example.com",
        [
            ChatGrant(
                service_sid=SERVICE,
                endpoint_id="e",
                deployment_role_sid=ROLE,
                push_credential_sid=CRED,
            )
        ],
        {
            "chat": {
                "service_sid": SERVICE,
                "endpoint_id": "e",
                "deployment_role_sid": ROLE,
                "push_credential_sid": CRED,
            }
        },
    ),
    (
        "video",
        "alice",
        [VideoGrant(room="daily")],
        {"video": {"room": "daily"}},
    ),
    (
        "sync",
        "alice",
        [SyncGrant(service_sid=SERVICE, endpoint_id="e")],
        {"data_sync": {"service_sid": SERVICE, "endpoint_id": "e"}},
    ),
    (
        "taskrouter",
        "alice",
        [
            TaskRouterGrant(
                workspace_sid=WORKSPACE, worker_sid=WORKER, role="worker"
            )
        ],
        {
            "task_router": {
                "workspace_sid": WORKSPACE,
                "worker_sid": WORKER,
                "role": "worker",
            }
        },
    ),
    ("playback", None, [PlaybackGrant(grant=PLAYBACK)], {"player": PLAYBACK}),
    (
        "custom",
        None,
        [
            CustomGrant(
                key="flex_insights", claims={"roles": ["wfo.full_access"]}
            )
        ],
        {"flex_insights": {"roles": ["wfo.full_access"]}},
    ),
    ("none", "bob", [], {}),
    (
        "all",
        "alice",
        [
            VoiceGrant(incoming_allow=True, outgoing_application_sid=APP),
            ChatGrant(service_sid=SERVICE),
            VideoGrant(),
            SyncGrant(service_sid="default"),
            TaskRouterGrant(
                workspace_sid=WORKSPACE, worker_sid=WORKER, role="supervisor"
            ),
            PlaybackGrant(grant=PLAYBACK),
            CustomGrant(key="flex_insights", claims={}),
        ],
        {
            "voice": {
                "incoming": {"allow": True},
                "outgoing": {"application_sid": APP},
            },
            "chat": {"service_sid": SERVICE},
            "video": {},
            "data_sync": {"service_sid": "default"},
            "task_router": {
                "workspace_sid": WORKSPACE,
                "worker_sid": WORKER,
                "role": "supervisor",
            },
            "player": PLAYBACK,
            "flex_insights": {},
        },
    ),
]


class TestGolden:
    @pytest.mark.parametrize(
        ("name", "identity", "grants", "claims"),
        GOLDEN,
        ids=[g[0] for g in GOLDEN],
    )
    def test_token_is_byte_for_byte_canonical(
        self, name, identity, grants, claims
    ):
        """
        With a fixed clock and jti, the JWT equals an independent encoding.
        """
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity=identity,
            grants=grants,
            jti="fixed-jti",
        )
        expected_grants = dict(claims)
        if identity is not None:
            expected_grants["identity"] = identity
        payload = {
            "jti": "fixed-jti",
            "iss": KEY,
            "sub": ACCOUNT,
            "iat": NOW,
            "exp": NOW + 3600,
            "grants": expected_grants,
        }

        assert reference_encode(HEADER, payload, SECRET) == token.to_jwt(
            now=NOW
        )

    @pytest.mark.parametrize(
        ("name", "identity", "grants", "claims"),
        GOLDEN,
        ids=[g[0] for g in GOLDEN],
    )
    def test_plain_pyjwt_decodes_the_canonical_claims(
        self, name, identity, grants, claims
    ):
        """
        PyJWT alone verifies each product's token and reads its claims.
        """
        token = AccessToken(
            ACCOUNT, KEY, SECRET, identity=identity, grants=grants
        ).to_jwt(now=NOW)
        header = pyjwt.get_unverified_header(token)
        payload = pyjwt.decode(
            token,
            SECRET,
            algorithms=["HS256"],
            options={"verify_exp": False, "verify_iat": False},
        )
        if identity is not None:
            claims = {**claims, "identity": identity}

        assert HEADER == header
        assert ["jti", "iss", "sub", "iat", "exp", "grants"] == list(payload)
        assert claims == payload["grants"]
        assert list(claims) == list(payload["grants"])

    def test_wire_format_example(self):
        """
        The documented example payload comes out byte for byte.
        """
        expected = (
            '{"jti":"SK0123456789abcdef0123456789abcdef-9f86d081884c7d659a2feaa0c55ad015",'
            '"iss":"SK0123456789abcdef0123456789abcdef","sub":"AC0123456789abcdef0123456789abcdef",'
            '"iat":1767225600,"exp":1767229200,"grants":{"video":{"room":"daily"},"identity":"alice"}}'
        )
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity="alice",
            grants=[VideoGrant(room="daily")],
            jti="SK0123456789abcdef0123456789abcdef-9f86d081884c7d659a2feaa0c55ad015",
        ).to_jwt(now=1767225600)

        assert b64(expected.encode()) == token.split(".")[1]

    def test_region_adds_twr_to_a_sorted_header(self):
        """
        A region is the twr header, between cty and typ.
        """
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity="a",
            grants=[VoiceGrant(incoming_allow=True)],
            region="ie1",
        )

        assert (
            '{"alg":"HS256","cty":"twilio-fpa;v=1","twr":"ie1","typ":"JWT"}'
            == base64.urlsafe_b64decode(
                token.to_jwt().split(".")[0] + "=="
            ).decode()
        )

    def test_nbf_sits_between_iat_and_exp(self):
        """
        nbf appears only when given, after iat.
        """
        payload = pyjwt.decode(
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                nbf=NOW - 60,
                grants=[VideoGrant()],
                identity="a",
            ).to_jwt(now=NOW),
            options={"verify_signature": False},
        )

        assert ["jti", "iss", "sub", "iat", "nbf", "exp", "grants"] == list(
            payload
        )
        assert NOW - 60 == payload["nbf"]

    def test_non_ascii_is_escaped(self):
        """
        Non-ASCII text is written as \\uXXXX escapes.
        """
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity="zoë",
            grants=[VideoGrant(room="café")],
        ).to_jwt(now=NOW)
        raw = base64.urlsafe_b64decode(token.split(".")[1] + "==")

        assert b'"room":"caf\\u00e9"' in raw
        assert b'"identity":"zo\\u00eb"' in raw

    def test_legacy_grants_are_emitted(self):
        """
        The legacy ip_messaging and rtc grants still mint.
        """
        with pytest.deprecated_call():
            grants = [
                IpMessagingGrant(service_sid=SERVICE),
                ConversationsGrant(configuration_profile_sid="VS" + "2" * 32),
            ]
        payload = pyjwt.decode(
            AccessToken(
                ACCOUNT, KEY, SECRET, identity="a", grants=grants
            ).to_jwt(now=NOW),
            options={"verify_signature": False},
        )

        assert {
            "ip_messaging": {"service_sid": SERVICE},
            "rtc": {"configuration_profile_sid": "VS" + "2" * 32},
            "identity": "a",
        } == payload["grants"]


class TestInterop:
    @pytest.mark.parametrize(
        ("name", "identity", "grants", "claims"),
        GOLDEN,
        ids=[g[0] for g in GOLDEN],
    )
    def test_joserfc_verifies_our_tokens(self, name, identity, grants, claims):
        """
        joserfc, an independent JOSE library, verifies and reads each token.
        """
        from joserfc import jws
        from joserfc.jwk import OctKey
        from joserfc.registry import HeaderParameter

        # Twilio's twr header is not registered in JOSE: declare it.
        registry = jws.JWSRegistry(
            header_registry={"twr": HeaderParameter("Twilio Region", "str")},
            algorithms=["HS256"],
        )
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity=identity,
            grants=grants,
            region="us1" if name != "video" else None,
        ).to_jwt(now=NOW)
        obj = jws.deserialize_compact(
            token, OctKey.import_key(SECRET), registry=registry
        )
        payload = json.loads(obj.payload)

        assert "twilio-fpa;v=1" == obj.protected["cty"]
        assert KEY == payload["iss"]
        assert ACCOUNT == payload["sub"]
        assert claims == {
            k: v for k, v in payload["grants"].items() if k != "identity"
        }

    def test_joserfc_refuses_another_secret(self):
        """
        The interop check is real: the wrong key fails in joserfc too.
        """
        from joserfc import jws
        from joserfc.errors import BadSignatureError
        from joserfc.jwk import OctKey

        token = AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
        ).to_jwt(now=NOW)

        with pytest.raises(BadSignatureError):
            jws.deserialize_compact(
                token, OctKey.import_key(OTHER_SECRET), algorithms=["HS256"]
            )


class TestTime:
    def test_ttl_sets_exp_from_the_mint_time(self):
        """
        exp is iat + ttl, one clock reading.
        """
        payload = pyjwt.decode(
            AccessToken(ACCOUNT, KEY, SECRET, ttl=600).to_jwt(now=NOW),
            options={"verify_signature": False},
        )

        assert (NOW, NOW + 600) == (payload["iat"], payload["exp"])

    def test_ttl_takes_a_timedelta(self):
        """
        ttl may be a timedelta of whole seconds.
        """
        assert (
            5400
            == AccessToken(ACCOUNT, KEY, SECRET, ttl=timedelta(minutes=90)).ttl
        )

    def test_now_takes_an_aware_datetime(self):
        """
        to_jwt(now=) reads an aware datetime as its epoch seconds.
        """
        when = datetime(2026, 1, 1, tzinfo=timezone.utc)
        payload = pyjwt.decode(
            AccessToken(ACCOUNT, KEY, SECRET).to_jwt(now=when),
            options={"verify_signature": False},
        )

        assert NOW == payload["iat"]

    def test_valid_until_wins_over_ttl(self):
        """
        valid_until is the exp, whatever the ttl.
        """
        when = datetime(2026, 1, 1, 2, tzinfo=timezone.utc)
        token = AccessToken(ACCOUNT, KEY, SECRET, ttl=60, valid_until=when)
        payload = pyjwt.decode(
            token.to_jwt(now=NOW), options={"verify_signature": False}
        )

        assert NOW + 7200 == payload["exp"]
        assert NOW + 7200 == token.valid_until

    def test_clock_is_read_when_now_is_omitted(self, monkeypatch):
        """
        Without now=, the mint time is time.time(), truncated.
        """
        monkeypatch.setattr("time.time", lambda: NOW + 0.9)
        payload = pyjwt.decode(
            AccessToken(ACCOUNT, KEY, SECRET).to_jwt(),
            options={"verify_signature": False},
        )

        assert NOW == payload["iat"]

    def test_valid_until_past_is_refused_at_mint(self):
        """
        A valid_until that has passed is refused when minting (20104).
        """
        token = AccessToken(ACCOUNT, KEY, SECRET, valid_until=NOW + 100)

        with pytest.raises(
            TokenRefusedError,
            match=r"valid_until=1767225700: the token expired 100 s ago",
        ) as ei:
            token.to_jwt(now=NOW + 200)
        assert 20104 == ei.value.code

    def test_valid_until_over_24h_is_refused_at_mint(self):
        """
        valid_until more than 24 h after the mint time is refused (20104).
        """
        token = AccessToken(ACCOUNT, KEY, SECRET, valid_until=NOW + 86401)

        assert token.to_jwt(now=NOW + 1)
        with pytest.raises(TokenRefusedError, match="at most 86400"):
            token.to_jwt(now=NOW)

    def test_future_nbf_is_allowed_when_minting(self):
        """
        A token meant to start later mints, if exp is within 24 h.
        """
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            nbf=NOW + 600,
            ttl=3600,
            grants=[VideoGrant()],
            identity="a",
        )
        payload = pyjwt.decode(
            token.to_jwt(now=NOW), options={"verify_signature": False}
        )

        assert (NOW + 600, NOW + 3600) == (payload["nbf"], payload["exp"])

    def test_future_nbf_past_the_ttl_is_refused_at_mint(self):
        """
        nbf after the ttl's exp: never valid, so never signed (20104).
        """
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            nbf=NOW + 7200,
            ttl=3600,
            grants=[VideoGrant()],
            identity="a",
        )

        with pytest.raises(TokenRefusedError, match="never valid") as ei:
            token.to_jwt(now=NOW)
        assert 20104 == ei.value.code
        assert token.to_jwt(now=NOW + 3601)

    def test_exp_not_after_nbf_is_refused(self):
        """
        A token whose exp is not after its nbf can never be valid.
        """
        with pytest.raises(TokenRefusedError, match="never valid"):
            AccessToken(ACCOUNT, KEY, SECRET, nbf=NOW, valid_until=NOW)

    def test_each_mint_has_a_fresh_unique_jti(self):
        """
        The default jti is "<SK>-<32 hex>", new on every call.
        """
        token = AccessToken(ACCOUNT, KEY, SECRET)
        jtis = {
            pyjwt.decode(
                token.to_jwt(now=NOW), options={"verify_signature": False}
            )["jti"]
            for _ in range(200)
        }

        assert 200 == len(jtis)
        for jti in jtis:
            prefix, _, rand = jti.partition("-")
            assert KEY == prefix
            assert 32 == len(rand)
            int(rand, 16)


class TestValidation:
    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            (
                {"ttl": 0},
                TokenRefusedError,
                r"ttl=0: the token expired 0 s ago",
            ),
            ({"ttl": -5}, TokenRefusedError, r"ttl=-5"),
            (
                {"ttl": 86401},
                TokenRefusedError,
                r"ttl=86401: exp is 86401 s after now; Twilio accepts at most 86400 \(24 h\)",
            ),
            ({"ttl": 3 * 86400}, TokenRefusedError, r"ttl=259200"),
            (
                {"ttl": 1.5},
                TypeError,
                r"AccessToken.ttl must be int seconds or a timedelta, got 1.5 \(float\)",
            ),
            ({"ttl": True}, TypeError, r"AccessToken.ttl must be int seconds"),
            ({"ttl": timedelta(seconds=1.5)}, ValueError, r"whole seconds"),
            (
                {"nbf": datetime(2026, 1, 1)},
                ValueError,
                r"AccessToken.nbf is a naive datetime",
            ),
            (
                {"valid_until": "tomorrow"},
                TypeError,
                r"AccessToken.valid_until must be int epoch seconds or an aware datetime, got 'tomorrow'",
            ),
            (
                {"identity": 42},
                TypeError,
                r"AccessToken.identity must be a str or None, got 42 \(int\)",
            ),
            (
                {"identity": ""},
                ValueError,
                r"AccessToken.identity must not be empty",
            ),
            (
                {
                    "identity": "alice smith",
                    "grants": [VoiceGrant(incoming_allow=True)],
                },
                TokenRefusedError,
                r"identity='alice smith': .* only letters, digits and '_'",
            ),
            (
                {
                    "identity": "a" * 122,
                    "grants": [VoiceGrant(incoming_allow=True)],
                },
                TokenRefusedError,
                r"at most 121",
            ),
            (
                {"grants": [VoiceGrant(incoming_allow=True)]},
                TokenRefusedError,
                r"identity=None: identity is missing; voice grants need one",
            ),
            (
                {
                    "grants": [VideoGrant(), VideoGrant(room="r")],
                    "identity": "a",
                },
                TokenRefusedError,
                r"grants.video: two grants have the key 'video'",
            ),
            (
                {"grants": VideoGrant()},
                TypeError,
                r"wrap a single grant in a list",
            ),
            (
                {"grants": ["video"]},
                TypeError,
                r"AccessToken.grants\[0\] must be a twilio_tokens grant",
            ),
            (
                {"grants": [ChatGrant()], "identity": "a"},
                TokenRefusedError,
                r"grants.chat.service_sid: the chat grant has no service_sid",
            ),
            (
                {"region": ""},
                ValueError,
                r"AccessToken.region must not be empty",
            ),
            (
                {"region": 1},
                TypeError,
                r"AccessToken.region must be a str or None, got 1",
            ),
            (
                {"region": "ie1", "grants": [VideoGrant()], "identity": "a"},
                TokenRefusedError,
                r"region='ie1': .*Video works only in us1",
            ),
            ({"jti": ""}, ValueError, r"AccessToken.jti must not be empty"),
        ],
        ids=[
            "ttl-zero",
            "ttl-negative",
            "ttl-over-a-day",
            "ttl-3-days",
            "ttl-float",
            "ttl-bool",
            "ttl-fraction",
            "nbf-naive",
            "valid-until-str",
            "identity-int",
            "identity-empty",
            "voice-identity-space",
            "voice-identity-long",
            "voice-identity-missing",
            "duplicate-keys",
            "single-grant",
            "grant-str",
            "chat-no-service",
            "region-empty",
            "region-int",
            "video-region",
            "jti-empty",
        ],
    )
    def test_bad_input_is_refused_naming_field_and_value(
        self, kwargs, error, match
    ):
        """
        Invalid input fails at construction with the field and the value.
        """
        with pytest.raises(error, match=match):
            AccessToken(ACCOUNT, KEY, SECRET, **kwargs)

    @pytest.mark.parametrize(
        ("args", "error", "match"),
        [
            (
                ("AC123", KEY, SECRET),
                TokenRefusedError,
                r"account_sid='AC123': sub is 'AC123'; it must be an Account SID \('AC' \+ 32 hex digits\)",
            ),
            (
                (ACCOUNT, "SK123", SECRET),
                TokenRefusedError,
                r"api_key_sid='SK123': iss is 'SK123'",
            ),
            (
                (ACCOUNT, ACCOUNT, SECRET),
                TokenRefusedError,
                r"not the Auth Token",
            ),
            (
                (None, KEY, SECRET),
                TypeError,
                r"AccessToken.account_sid must be a str, got None \(NoneType\)",
            ),
            (
                (ACCOUNT, KEY, ""),
                ValueError,
                r"AccessToken.api_key_secret must not be empty",
            ),
        ],
        ids=[
            "account",
            "key",
            "account-as-key",
            "account-none",
            "secret-empty",
        ],
    )
    def test_bad_credentials_are_refused(self, args, error, match):
        """
        Malformed SIDs and an empty secret are refused at construction.
        """
        with pytest.raises(error, match=match):
            AccessToken(*args)

    def test_refusal_is_a_value_error_and_a_twilio_token_error(self):
        """
        The refusal carries the problems and Twilio's code.
        """
        with pytest.raises(ValueError) as ei:
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                identity="a b",
                grants=[VoiceGrant(incoming_allow=True)],
            )
        e = ei.value

        assert isinstance(e, TwilioTokenError)
        assert isinstance(e, TokenRefusedError)
        assert 31105 == e.code
        assert [("error", 31105, "grants.identity")] == [
            (p.severity, p.code, p.field) for p in e.problems
        ]
        assert str(e) == str(pickle.loads(pickle.dumps(e)))

    def test_secret_never_appears_in_repr_or_errors(self):
        """
        The secret is absent from repr, str and every error message.
        """
        secret = "do-not-leak-this-secret-0123456789"
        token = AccessToken(ACCOUNT, KEY, secret, identity="a")
        messages = [repr(token), str(token)]
        for kwargs in ({"ttl": 0}, {"identity": 5}, {"grants": [1]}):
            with pytest.raises((TypeError, ValueError)) as ei:
                AccessToken(ACCOUNT, KEY, secret, **kwargs)
            messages.append(str(ei.value))
        with pytest.raises(TypeError) as ei:
            AccessToken(ACCOUNT, KEY, b"bytes-secret-do-not-leak-0123456789")
        messages.append(str(ei.value))

        assert not [m for m in messages if secret in m or "do-not-leak" in m]

    def test_weak_secret_warns(self):
        """
        A secret under 32 bytes gives a WeakSecretWarning of ours.
        """
        with pytest.warns(
            WeakSecretWarning, match="api_key_secret is 5 bytes"
        ):
            AccessToken(ACCOUNT, KEY, "short")

    def test_asymmetric_key_as_secret_is_refused(self):
        """
        A PEM key is not an API key secret.
        """
        pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"

        with pytest.raises(ValueError, match="looks like an asymmetric key"):
            AccessToken(ACCOUNT, KEY, pem)

    def test_caller_grant_list_is_not_kept(self):
        """
        The grants are copied into a tuple; the caller's list stays theirs.
        """
        grants = [VideoGrant()]
        token = AccessToken(ACCOUNT, KEY, SECRET, identity="a", grants=grants)
        grants.append(ChatGrant(service_sid=SERVICE))

        assert (VideoGrant(),) == token.grants

    def test_equal_but_different_json_never_shares_a_cache_entry(self):
        """
        Params equal in Python (True == 1 == 1.0) still write their own JSON.
        """
        written = []
        for value in (True, 1, 1.0):
            grant = VoiceGrant(
                outgoing_application_sid=APP,
                outgoing_application_params={"n": value},
            )
            token = AccessToken(
                ACCOUNT, KEY, SECRET, identity="a", grants=[grant]
            )
            written.append(
                pyjwt.decode(
                    token.to_jwt(now=NOW), options={"verify_signature": False}
                )["grants"]["voice"]["outgoing"]["params"]["n"]
            )

        assert [True, 1, 1.0] == written
        assert [bool, int, float] == [type(w) for w in written]

    def test_token_is_frozen_and_equal_by_value(self):
        """
        AccessToken is an immutable value.
        """
        a = AccessToken(ACCOUNT, KEY, SECRET, identity="a")
        b = AccessToken(ACCOUNT, KEY, SECRET, identity="a")

        assert a == b
        assert hash(a) == hash(b)
        with pytest.raises(AttributeError):
            a.identity = "b"  # type: ignore[misc]

    def test_warnings_do_not_block_minting(self):
        """
        Warnings (an unknown region, a short ttl) never refuse a token:
        each is a TokenWarning, once, naming the argument.
        """
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            token = AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                region="xx9",
                ttl=5,
                grants=[PlaybackGrant()],
            )

        assert token.to_jwt(now=NOW)
        assert {TokenWarning} == {w.category for w in caught}
        messages = [str(w.message) for w in caught]
        assert any(
            m.startswith("region='xx9': twr is 'xx9'") for m in messages
        )
        assert any(
            m.startswith("ttl=5: exp is 5 s after now") for m in messages
        )
        assert len(messages) == len(set(messages))
        assert {__file__} == {w.filename for w in caught}


@pytest.mark.filterwarnings(
    "ignore:.*31103:twilio_tokens.exceptions.TokenWarning"
)
class TestSize:
    def test_oversized_params_are_refused_when_minted(self):
        """
        A token decode() would refuse as too large is never minted; the
        one dump of the payload is what is measured.
        """
        params = {"ctx": "x" * 12_500}
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity="a",
            grants=[
                VoiceGrant(
                    outgoing_application_sid=APP,
                    outgoing_application_params=params,
                )
            ],
        )

        size = len(token.jwt_at(NOW))  # the JWT, its size not judged
        with pytest.raises(
            TokenRefusedError,
            match=r"^Twilio would reject this token: token: the token would "
            rf"be {size} bytes; decode\(\) refuses tokens over 16384\. "
            r"Shrink the params or custom grants\. \(Twilio 20101\)$",
        ) as ei:
            token.to_jwt(now=NOW)
        assert 16384 < size
        assert 20101 == ei.value.code
        assert "token" == ei.value.problems[0].field

    def test_escaped_text_is_measured(self):
        """
        Escapes make JSON longer than its text; the size counts the JSON.
        """
        token = AccessToken(ACCOUNT, KEY, SECRET, jti="é" * 3000)

        with pytest.raises(TokenRefusedError, match="would be"):
            token.to_jwt(now=NOW)

    def test_largest_mintable_token_decodes(self):
        """
        Exactly at the limit a token mints and decodes; one byte more of
        params is refused.
        """
        from twilio_tokens import decode

        def token(n):
            grant = VoiceGrant(
                outgoing_application_sid=APP,
                outgoing_application_params={"ctx": "x" * n},
            )
            return AccessToken(
                ACCOUNT, KEY, SECRET, identity="a", grants=[grant], jti="j"
            )

        def mints(n):
            try:
                token(n).to_jwt(now=NOW)
            except TokenRefusedError:
                return False
            return True

        low, high = 10_000, 13_000
        while high - low > 1:  # the largest params that mint
            mid = (low + high) // 2
            low, high = (mid, high) if mints(mid) else (low, mid)
        jwt = token(low).to_jwt(now=NOW)

        # base64 grows in steps of 4 per 3 bytes: one more byte of params
        # may land on the same length, but never past the limit.
        assert 16384 - 4 < len(jwt) <= 16384
        assert token(low).grants == decode(jwt, SECRET, now=NOW).grants
        assert not mints(low + 1)

    def test_times_in_year_9999_are_measured_when_minting(self):
        """
        to_jwt() measures the real token: 12-digit times count too.
        """

        def build(size):
            grant = VoiceGrant(
                outgoing_application_sid=APP,
                outgoing_application_params={"ctx": "x" * size},
            )
            return AccessToken(
                ACCOUNT, KEY, SECRET, identity="a", grants=[grant]
            )

        token, params = build(11_000), 11_000
        for step in (50, 1):  # grow until the token only just mints now
            while True:
                bigger = build(params + step)
                try:
                    bigger.to_jwt(now=NOW)
                except TokenRefusedError:
                    break
                token, params = bigger, params + step

        an_hour_before_year_10000 = 253_402_300_799 - 3600
        with pytest.raises(TokenRefusedError, match="would be"):
            token.to_jwt(now=an_hour_before_year_10000)

    def test_largest_accepted_token_decodes(self):
        """
        A token just under the limit mints and decodes.
        """
        from twilio_tokens import decode

        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity="a",
            grants=[
                VoiceGrant(
                    outgoing_application_sid=APP,
                    outgoing_application_params={"ctx": "x" * 11_000},
                )
            ],
        )

        assert (
            decode(token.to_jwt(now=NOW), SECRET, now=NOW).grants
            == token.grants
        )


class TestFromEnv:
    def test_reads_the_documented_variables(self, monkeypatch):
        """
        TWILIO_ACCOUNT_SID, TWILIO_API_KEY and TWILIO_API_SECRET.
        """
        monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
        monkeypatch.setenv("TWILIO_API_KEY", KEY)
        monkeypatch.setenv("TWILIO_API_SECRET", SECRET)

        token = AccessToken.from_env(identity="alice")

        assert (ACCOUNT, KEY, SECRET, "alice") == (
            token.account_sid,
            token.api_key_sid,
            token.api_key_secret,
            token.identity,
        )

    def test_reads_the_sample_variable_names(self):
        """
        The official samples' TWILIO_API_KEY_SID / _SECRET also work.
        """
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_API_KEY_SID": KEY,
            "TWILIO_API_KEY_SECRET": SECRET,
        }

        assert KEY == AccessToken.from_env(environ=env).api_key_sid

    def test_names_every_missing_variable(self):
        """
        The error names the missing variables, never a value.
        """
        with pytest.raises(
            MissingCredentialsError,
            match=r"set TWILIO_API_KEY or TWILIO_API_KEY_SID; TWILIO_API_SECRET or TWILIO_API_KEY_SECRET\.",
        ) as ei:
            AccessToken.from_env(
                environ={"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_KEY": ""}
            )

        assert isinstance(ei.value, LookupError)
        assert isinstance(ei.value, TwilioTokenError)


class TestConcurrency:
    def test_shared_token_mints_distinct_tokens_from_threads(self):
        """
        One AccessToken shared by 8 threads mints 8000 valid, distinct JWTs.
        """
        from twilio_tokens import decode

        token = AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
        )
        results: list[list[str]] = [[] for _ in range(8)]

        def work(out):
            out.extend(token.to_jwt(now=NOW) for _ in range(1000))

        threads = [threading.Thread(target=work, args=(r,)) for r in results]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        minted = [j for r in results for j in r]

        assert 8000 == len(set(minted))
        assert 8000 == len({decode(j, SECRET, now=NOW).jti for j in minted})


@pytest.mark.filterwarnings("ignore::twilio_tokens.exceptions.TokenWarning")
@given(tokens())
def test_any_valid_token_mints_to_its_grants_claims(token):
    """
    For any valid grants, the JWT's grants are exactly their to_claims().
    """
    payload = pyjwt.decode(
        token.to_jwt(now=NOW),
        SECRET,
        algorithms=["HS256"],
        options={"verify_exp": False, "verify_iat": False},
    )
    expected = {g.key: g.to_claims() for g in token.grants}
    if token.identity is not None:
        expected["identity"] = token.identity

    assert expected == payload["grants"]
    assert list(expected) == list(payload["grants"])
    assert NOW + token.ttl == payload["exp"]


def test_a_value_whose_repr_fails_is_still_named_in_the_error():
    """
    A hostile __repr__ cannot break a message: the type is shown instead.
    """

    class Hostile:
        def __repr__(self):
            raise RuntimeError

    with pytest.raises(TypeError, match=r"got <Hostile object>\.$"):
        AccessToken(ACCOUNT, KEY, SECRET, grants=[Hostile()])


# ------------------------------------------------------------ credentials


from hypothesis import strategies as st  # noqa: E402
from twilio_tokens import check, decode  # noqa: E402


SECRET_CHARS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    min_size=32,
    max_size=40,
)


def _every_secret_path(secret):
    """Each public path that takes a secret, called with *secret*."""
    grants = [VideoGrant()]
    yield lambda: AccessToken(
        ACCOUNT, KEY, secret, identity="a", grants=grants
    )
    env = {
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_API_KEY": KEY,
        "TWILIO_API_SECRET": secret,
    }
    yield lambda: AccessToken.from_env(
        environ=env, identity="a", grants=grants
    )
    jwt = AccessToken(
        ACCOUNT, KEY, SECRET, identity="a", grants=grants
    ).to_jwt()
    yield lambda: decode(jwt, secret)
    yield lambda: check(jwt, api_key_secret=secret)


def _refused_unshown(secret, match):
    for call in _every_secret_path(secret):
        with pytest.raises(ValueError, match=match) as e:
            call()
        text = str(e.value) + repr(e.value.args)
        assert secret not in text
        assert secret.strip("\"' ") not in text
        assert "\\udc" not in text
        assert "\\x" not in text
        assert e.value.__cause__ is None
        assert e.value.__suppress_context__ or e.value.__context__ is None


class TestSecretValues:
    @given(
        SECRET_CHARS,
        st.integers(0, 40),
        st.integers(0x80, 0xFF),
    )
    def test_a_secret_with_a_stray_byte_is_refused_unshown(
        self, secret, at, byte
    ):
        """
        os.environ keeps a byte that is not UTF-8 as a lone surrogate; no
        UnicodeEncodeError (whose args hold the secret) escapes.
        """
        at = min(at, len(secret))
        bad = secret[:at] + chr(0xDC00 + byte) + secret[at:]
        _refused_unshown(bad, "not valid text")

    @given(
        SECRET_CHARS,
        st.sampled_from(['"', "'"]),
        st.sampled_from(["both", "leading", "trailing"]),
    )
    def test_a_secret_wrapped_in_quotes_is_refused_unshown(
        self, secret, quote, where
    ):
        bad = {
            "both": f"{quote}{secret}{quote}",
            "leading": f"{quote}{secret}",
            "trailing": f"{secret}{quote}",
        }[where]
        _refused_unshown(bad, "quote")

    @pytest.mark.parametrize("argument", ["account_sid", "api_key_sid"])
    @pytest.mark.parametrize("quote", ['"', "'"])
    def test_a_sid_wrapped_in_quotes_is_refused(self, argument, quote):
        args = {"account_sid": ACCOUNT, "api_key_sid": KEY}
        args[argument] = quote + args[argument] + quote
        with pytest.raises(
            ValueError, match=f"AccessToken.{argument} has surrounding quotes"
        ):
            AccessToken(
                args["account_sid"], args["api_key_sid"], SECRET, identity="a"
            )

    def test_the_attribute_is_text_and_the_field_opaque(self):
        import attrs

        token = AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
        )
        assert token.api_key_secret == SECRET
        assert type(token.api_key_secret) is str
        (field,) = [f for f in attrs.fields(AccessToken) if "secret" in f.name]
        assert SECRET not in repr(getattr(token, field.name))
        copy = attrs.evolve(token, identity="b")
        assert copy.api_key_secret == SECRET
        assert copy.identity == "b"
        assert token != attrs.evolve(token, api_key_secret=OTHER_SECRET)
        assert pickle.loads(pickle.dumps(token)) == token


class TestEnvironmentSnags:
    def test_two_spellings_with_different_values_are_refused(self):
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_API_KEY": KEY,
            "TWILIO_API_KEY_SID": "SK" + "9" * 32,
            "TWILIO_API_SECRET": SECRET,
        }
        with pytest.raises(
            ValueError,
            match="^TWILIO_API_KEY and TWILIO_API_KEY_SID are both set, to "
            "different values; unset one of them.$",
        ):
            AccessToken.from_env(environ=env)

    def test_two_secret_spellings_with_different_values_never_show_them(self):
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_API_KEY": KEY,
            "TWILIO_API_SECRET": SECRET,
            "TWILIO_API_KEY_SECRET": OTHER_SECRET,
        }
        with pytest.raises(ValueError, match="TWILIO_API_SECRET and ") as e:
            AccessToken.from_env(environ=env)
        assert SECRET not in str(e.value)
        assert OTHER_SECRET not in str(e.value)

    def test_two_spellings_with_one_value_are_fine(self):
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_API_KEY": KEY,
            "TWILIO_API_KEY_SID": KEY,
            "TWILIO_API_SECRET": SECRET,
        }
        token = AccessToken.from_env(
            environ=env, identity="a", grants=[VideoGrant()]
        )
        assert token.api_key_sid == KEY

    def test_only_an_auth_token_says_an_api_key_is_needed(self):
        env = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "f" * 32}
        with pytest.raises(MissingCredentialsError) as e:
            AccessToken.from_env(environ=env)
        message = str(e.value)
        assert (
            "TWILIO_AUTH_TOKEN is set, but an Auth Token cannot sign"
            in message
        )
        assert "create an API key" in message
        assert "f" * 32 not in message

    def test_without_an_auth_token_no_word_of_it(self):
        with pytest.raises(MissingCredentialsError) as e:
            AccessToken.from_env(environ={"TWILIO_ACCOUNT_SID": ACCOUNT})
        assert "Auth Token" not in str(e.value)


class TestSwappedArguments:
    def test_swapped_sids_are_called_swapped(self):
        with pytest.raises(TokenRefusedError) as e:
            AccessToken(
                KEY, ACCOUNT, SECRET, identity="a", grants=[VideoGrant()]
            )
        message = str(e.value)
        assert "look swapped" in message
        assert "not the Auth Token" not in message
        assert {p.field for p in e.value.problems} == {"iss", "sub"}

    @pytest.mark.parametrize("slot", [0, 1])
    def test_a_secret_in_a_sid_slot_is_named_but_not_shown(self, slot):
        args = [ACCOUNT, KEY]
        args[slot] = SECRET[:32]
        with pytest.raises(TokenRefusedError) as e:
            AccessToken(*args, SECRET, identity="a", grants=[VideoGrant()])
        assert "looks like a secret" in str(e.value)
        assert SECRET[:32] not in str(e.value)

    def test_an_account_sid_as_the_key_keeps_the_auth_token_hint(self):
        with pytest.raises(TokenRefusedError, match="not the Auth Token"):
            AccessToken(
                ACCOUNT, ACCOUNT, SECRET, identity="a", grants=[VideoGrant()]
            )


# ------------------------------------------------------------ bounds


LAST_SECOND = 253_402_300_799  # 9999-12-31T23:59:59Z
FIRST_SECOND = -62_135_596_800  # 0001-01-01T00:00:00Z
HUGE = st.one_of(
    st.integers(min_value=LAST_SECOND + 1),
    st.integers(max_value=FIRST_SECOND - 1),
    st.integers(min_value=10**4000, max_value=10**5000),
)


class TestEpochBounds:
    def _token(self, **kwargs):
        return AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()], **kwargs
        )

    @given(HUGE)
    def test_every_epoch_argument_is_bounded(self, value):
        calls = {
            "now": lambda: self._token().to_jwt(now=value),
            "AccessToken.nbf": lambda: self._token(nbf=value),
            "AccessToken.valid_until": lambda: self._token(valid_until=value),
        }
        with pytest.raises(ValueError, match="ttl") as e:
            self._token(ttl=value)
        assert len(str(e.value)) < 300
        jwt = self._token().to_jwt()
        for name, call in calls.items():
            with pytest.raises(ValueError, match=f"^{name} is ") as e:
                call()
            assert len(str(e.value)) < 200
        for call in (
            lambda: check(jwt, now=value),
            lambda: decode(jwt, SECRET, now=value),
        ):
            with pytest.raises(ValueError, match="^now is ") as e:
                call()
            assert len(str(e.value)) < 200

    @given(
        st.one_of(
            st.integers(min_value=LAST_SECOND - FIRST_SECOND + 1),
            st.integers(min_value=10**4000, max_value=10**5000),
        ),
        st.sampled_from([1, -1]),
    )
    def test_durations_are_bounded(self, value, sign):
        jwt = self._token().to_jwt()
        for name, call in (
            ("leeway", lambda: decode(jwt, SECRET, leeway=sign * value)),
            ("AccessToken.ttl", lambda: self._token(ttl=sign * value)),
        ):
            with pytest.raises(ValueError, match=f"^{name} is ") as e:
                call()
            assert len(str(e.value)) < 200

    def test_the_last_mint_of_9999_expires_in_its_last_second(self):
        """A token is minted only if its exp is within the years 1-9999."""
        token = self._token(ttl=60)
        with pytest.raises(ValueError, match="^now is .*after the year 9999"):
            token.to_jwt(now=LAST_SECOND - 59)
        with pytest.raises(ValueError, match="^now is "):
            token.to_jwt(now=LAST_SECOND + 1)
        jwt = token.to_jwt(now=LAST_SECOND - 60)
        assert (
            decode(jwt, SECRET, now=LAST_SECOND - 60).expires_at.year == 9999
        )
        assert [
            p
            for p in check(jwt, api_key_secret=SECRET, now=LAST_SECOND - 60)
            if p.severity == "error"
        ] == []
        assert decode(jwt, SECRET, now=LAST_SECOND - 1).claims["exp"] == (
            LAST_SECOND
        )

    def test_the_first_second_of_year_1_is_a_valid_now(self):
        jwt = self._token().to_jwt(now=NOW)
        assert check(jwt, api_key_secret=SECRET, now=FIRST_SECOND)
        with pytest.raises(ValueError, match="^now is "):
            check(jwt, api_key_secret=SECRET, now=FIRST_SECOND - 1)

    def test_a_datetime_whose_tzinfo_fails_is_a_value_error(self):
        class Broken(timezone.__base__):
            def utcoffset(self, dt):
                raise RuntimeError("no")

        with pytest.raises(
            ValueError, match="now is a datetime whose tzinfo fails"
        ):
            self._token().to_jwt(now=datetime(2026, 1, 1, tzinfo=Broken()))


# ------------------------------------------------------------ hostile values


from hostile import HostileInt, HostileList, HostileMap, HostileStr  # noqa: E402


# Built in the test: Hypothesis itself prints its examples with repr().
HOSTILE_VALUES = (
    lambda: HostileInt(5),
    lambda: HostileStr("alice"),
    lambda: HostileMap(a=1),
    lambda: HostileList([VideoGrant()]),
)
HOSTILE = st.sampled_from(range(len(HOSTILE_VALUES)))


class TestHostileArguments:
    @given(
        HOSTILE,
        st.sampled_from(["ttl", "identity", "grants", "region", "jti", "nbf"]),
    )
    def test_a_hostile_argument_is_a_type_error_naming_it(self, index, name):
        hostile = HOSTILE_VALUES[index]()
        with pytest.raises(TypeError) as e:
            AccessToken(ACCOUNT, KEY, SECRET, **{name: hostile})
        assert f"AccessToken.{name}" in str(e.value)
        assert len(str(e.value)) < 300

    @given(HOSTILE)
    def test_a_hostile_incoming_allow_names_the_field(self, index):
        hostile = HOSTILE_VALUES[index]()
        with pytest.raises(TypeError, match="VoiceGrant.incoming_allow") as e:
            VoiceGrant(incoming_allow=hostile)
        assert len(str(e.value)) < 300

    @given(HOSTILE)
    def test_a_hostile_leeway_names_it(self, index):
        hostile = HOSTILE_VALUES[index]()
        jwt = AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
        ).to_jwt()
        with pytest.raises(TypeError, match="^leeway must be") as e:
            decode(jwt, SECRET, leeway=hostile)
        assert len(str(e.value)) < 300

    def test_fake_sid_messages_are_bounded(self):
        from twilio_tokens.testing import fake_sid

        for bad in ("x" * 1_000_000, HostileStr("AB"), HostileInt(3)):
            with pytest.raises((TypeError, ValueError)) as e:
                fake_sid(bad)
            assert len(str(e.value)) < 300


# ------------------------------------------------------------ grants that do nothing


class TestGrantsThatAllowNothing:
    @pytest.mark.parametrize(
        "grant",
        [
            VoiceGrant(),
            VoiceGrant(push_credential_sid=CRED, endpoint_id="e"),
            PlaybackGrant(),
        ],
        ids=["voice", "voice-push-only", "player"],
    )
    def test_mint_and_check_warn(self, grant):
        with pytest.warns(TokenWarning, match="allows nothing"):
            token = AccessToken(
                ACCOUNT, KEY, SECRET, identity="a", grants=[grant]
            )
        problems = check(token, api_key_secret=SECRET)
        assert [
            (p.code, p.severity)
            for p in problems
            if "allows nothing" in p.message
        ] == [(20106, "warning")]

    @pytest.mark.parametrize(
        "grant",
        [
            VoiceGrant(incoming_allow=True),
            VoiceGrant(outgoing_application_sid=APP),
            VideoGrant(),
            SyncGrant(),
            PlaybackGrant(grant={"playbackUrl": "u"}),
        ],
        ids=[
            "incoming",
            "outgoing",
            "video-any-room",
            "sync-default",
            "player",
        ],
    )
    def test_a_grant_that_allows_something_is_quiet(self, grant):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            token = AccessToken(
                ACCOUNT, KEY, SECRET, identity="a", grants=[grant]
            )
        assert not [
            p
            for p in check(token, api_key_secret=SECRET)
            if "allows nothing" in p.message
        ]


# ------------------------------------------------------------ identities


from twilio_tokens import decode_identity, encode_identity  # noqa: E402


class TestIdentityEncoding:
    @given(st.text())
    def test_round_trip(self, text):
        assert decode_identity(encode_identity(text)) == text

    @given(
        st.lists(
            st.one_of(
                st.sampled_from("aZ09_"),
                st.builds(
                    lambda a, b: f"_{a}{b}",
                    st.sampled_from("0123456789ABCDEFabcdef"),
                    st.sampled_from("0123456789ABCDEFabcdef"),
                ),
            ),
            max_size=20,
        ).map("".join)
    )
    def test_only_the_encoders_own_spellings_are_read(self, spelling):
        """Whatever decode_identity accepts, encode_identity writes back."""
        try:
            text = decode_identity(spelling)
        except ValueError:
            return
        assert encode_identity(text) == spelling

    @pytest.mark.parametrize(
        "spelling",
        [
            "alice_40example_2ecom",  # lower-case hex
            "_41lice",  # an escape of a kept letter
            "_ED_A0_BD_ED_B8_80",  # a surrogate pair, CESU-8
            "_C0_80",  # an overlong NUL
            "_",
            "_4",
        ],
    )
    def test_other_spellings_are_refused(self, spelling):
        with pytest.raises(ValueError, match="encode_identity"):
            decode_identity(spelling)

    def test_a_lone_surrogate_is_not_text(self):
        with pytest.raises(ValueError, match="lone surrogate at index 1"):
            encode_identity("a\ud83d")


# ------------------------------------------------------------ what it is


class TestWhatANonJwtLooksLike:
    @pytest.fixture
    def jwt(self):
        return AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
        ).to_jwt()

    @pytest.mark.parametrize(
        ("wrap", "says"),
        [
            (lambda j: "Bearer " + j, "starts with 'Bearer '"),
            (lambda j: "bearer\t" + j, "starts with 'Bearer '"),
            (lambda j: f'"{j}"', "wrapped in quotes"),
            (lambda j: f"'{j}'", "wrapped in quotes"),
            (
                lambda j: json.dumps({"token": j, "identity": "a"}),
                "a JSON object with a token field",
            ),
            (
                lambda j: json.dumps({"identity": "a"}),
                "a JSON object, not a JWT",
            ),
            (lambda j: j + ".cGFydA.cGFydA", "Flex token"),
        ],
        ids=[
            "bearer",
            "bearer-tab",
            "double-quotes",
            "single-quotes",
            "body",
            "object",
            "jwe",
        ],
    )
    def test_decode_and_check_say_what_they_see(self, jwt, wrap, says):
        from twilio_tokens import MalformedTokenError, decode_unverified

        token = wrap(jwt)
        for call in (
            lambda: decode(token, SECRET),
            lambda: decode_unverified(token),
            lambda: decode_unverified(token.encode()),
        ):
            with pytest.raises(MalformedTokenError, match=says) as e:
                call()
            assert e.value.code == 20101
        (problem,) = check(token, api_key_secret=SECRET)
        assert says in problem.message
        assert problem.code == 20101

    def test_a_flex_token_points_at_the_flex_module(self):
        (problem,) = check("a.b.c.d.e")
        assert "twilio_tokens.flex" in problem.message


class TestAwareDatetimes:
    def test_a_datetime_is_floored_to_its_second(self):
        """No float between: half a second before 1970 is -1, not 0."""
        from twilio_tokens._time import epoch

        utc = timezone.utc
        assert (
            epoch(datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=utc), "x")
            == -1
        )
        assert (
            epoch(datetime(1970, 1, 1, 0, 0, 0, 999_999, tzinfo=utc), "x") == 0
        )
        last = datetime.max.replace(tzinfo=utc)
        assert epoch(last, "x") == LAST_SECOND

    def test_valid_until_in_the_last_instant_of_9999_builds(self):
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity="a",
            grants=[VideoGrant()],
            valid_until=datetime.max.replace(tzinfo=timezone.utc),
        )
        assert token.valid_until == LAST_SECOND


class TestRefusalsAreBounded:
    def test_many_errors_are_listed_five_at_most(self):
        with pytest.raises(TokenRefusedError) as e:
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                grants=[CustomGrant(key="x")] * 200,
            )
        assert len(e.value.problems) >= 199
        assert "more (see .problems)" in str(e.value)
        assert len(str(e.value)) < 2000
