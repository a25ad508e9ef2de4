"""
twilio_tokens.compat against twilio-python's twilio.jwt, scenario by scenario.

Every scenario runs twice, once with each implementation, through the same
module-level names: swapping the imports is all a user has to do.
"""

import base64
import json
import time

from types import SimpleNamespace

import jwt
import jwt as pyjwt
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st
from twilio_tokens import compat

from helpers import mac


KEY = "secret-key-" * 6  # 66 bytes: PyJWT warns below 64 for HS512
SK, AC = "SK123", "AC123"


def implementation(name):
    if name == "compat":
        return compat
    from twilio.jwt import Jwt, JwtDecodeError
    from twilio.jwt.access_token import AccessToken, AccessTokenGrant, grants
    from twilio.jwt.client import ClientCapabilityToken, ScopeURI
    from twilio.jwt.taskrouter import TaskRouterCapabilityToken
    from twilio.jwt.taskrouter.capabilities import (
        TaskQueueCapabilityToken,
        WorkerCapabilityToken,
        WorkspaceCapabilityToken,
    )

    return SimpleNamespace(
        Jwt=Jwt,
        JwtDecodeError=JwtDecodeError,
        AccessToken=AccessToken,
        AccessTokenGrant=AccessTokenGrant,
        ChatGrant=grants.ChatGrant,
        SyncGrant=grants.SyncGrant,
        VoiceGrant=grants.VoiceGrant,
        VideoGrant=grants.VideoGrant,
        TaskRouterGrant=grants.TaskRouterGrant,
        PlaybackGrant=grants.PlaybackGrant,
        ClientCapabilityToken=ClientCapabilityToken,
        ScopeURI=ScopeURI,
        TaskRouterCapabilityToken=TaskRouterCapabilityToken,
        WorkerCapabilityToken=WorkerCapabilityToken,
        TaskQueueCapabilityToken=TaskQueueCapabilityToken,
        WorkspaceCapabilityToken=WorkspaceCapabilityToken,
    )


@pytest.fixture(params=["twilio", "compat"])
def tw(request):
    return implementation(request.param)


@pytest.fixture
def clock(monkeypatch):
    """time.time() frozen at 0.0, as twilio-python's tests patch it."""
    monkeypatch.setattr("time.time", lambda: 0.0)


def parts(token, key=KEY):
    header = pyjwt.get_unverified_header(token)
    payload = pyjwt.decode(
        token,
        key,
        algorithms=[header["alg"]],
        options={
            "verify_exp": False,
            "verify_nbf": False,
            "verify_iat": False,
        },
    )
    return header, payload


def dummy(tw, payload=None, headers=None, **kwargs):
    class Dummy(tw.Jwt):
        def _generate_payload(self):
            return dict(payload or {})

        def _generate_headers(self):
            return dict(headers or {})

    return Dummy(KEY, "issuer", **kwargs)


class TestJwt:
    @pytest.mark.parametrize(
        ("kwargs", "to_jwt", "expected"),
        [
            ({}, {}, {"iss": "issuer", "exp": 3600, "nbf": 0}),
            (
                {"subject": "subject"},
                {},
                {"iss": "issuer", "exp": 3600, "nbf": 0, "sub": "subject"},
            ),
            ({"ttl": 10}, {}, {"iss": "issuer", "exp": 10, "nbf": 0}),
            ({"ttl": 10}, {"ttl": 20}, {"iss": "issuer", "exp": 20, "nbf": 0}),
            (
                {"ttl": 10, "valid_until": 70},
                {},
                {"iss": "issuer", "exp": 70, "nbf": 0},
            ),
            (
                {"valid_until": 70},
                {"ttl": 5},
                {"iss": "issuer", "exp": 5, "nbf": 0},
            ),
            (
                {"valid_until": 0},
                {"ttl": 0},
                {"iss": "issuer", "exp": 3600, "nbf": 0},
            ),
            ({"nbf": 5}, {}, {"iss": "issuer", "exp": 3600, "nbf": 5}),
            ({"nbf": 0}, {}, {"iss": "issuer", "exp": 3600, "nbf": 0}),
            ({"nbf": None}, {}, {"iss": "issuer", "exp": 3600}),
            ({"subject": ""}, {}, {"iss": "issuer", "exp": 3600, "nbf": 0}),
        ],
        ids=[
            "basic",
            "subject",
            "ttl",
            "override-ttl",
            "valid-until",
            "override-beats-valid-until",
            "zeros-ignored",
            "nbf",
            "nbf-zero-kept",
            "nbf-none",
            "empty-subject",
        ],
    )
    def test_payload_for_each_option(
        self, tw, clock, kwargs, to_jwt, expected
    ):
        """
        iss/exp/nbf/sub follow twilio-python's rules exactly, key order included.
        """
        header, payload = parts(dummy(tw, **kwargs).to_jwt(**to_jwt))

        assert {"alg": "HS256", "typ": "JWT"} == header
        assert expected == payload
        assert list(expected) == list(payload)

    def test_algorithm_headers_and_payload(self, tw, clock):
        """
        A custom algorithm, extra headers and claims are all written.
        """
        token = dummy(
            tw,
            payload={"root": "true"},
            headers={"sooper": "secret"},
            algorithm="HS512",
        ).to_jwt()

        assert (
            {"alg": "HS512", "typ": "JWT", "sooper": "secret"},
            {"root": "true", "iss": "issuer", "exp": 3600, "nbf": 0},
        ) == parts(token)

    def test_unserialisable_claims_are_a_type_error(self, tw, clock):
        """
        A claim JSON cannot hold fails with TypeError, as in json.dumps.
        """
        with pytest.raises(
            TypeError, match="not JSON serializable|not JSON-serialisable"
        ):
            dummy(tw, payload={"x": {1, 2}}).to_jwt()

    def test_nan_is_written_as_pyjwt_writes_it(self, tw, clock):
        """
        NaN in a claim is written (as PyJWT's json.dumps does), not refused.
        """
        token = dummy(tw, payload={"x": float("nan")}).to_jwt()

        assert b'"x":NaN' in base64.urlsafe_b64decode(
            token.split(".")[1] + "=="
        )

    def test_circular_payload_is_a_value_error(self, tw):
        """
        A circular payload fails as json.dumps fails it.
        """
        loop: dict = {}
        loop["self"] = loop

        with pytest.raises(ValueError, match="Circular reference"):
            dummy(tw, payload={"loop": loop}).to_jwt()

    @pytest.mark.parametrize(
        ("secret", "error"),
        [
            (
                "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
                pyjwt.InvalidKeyError,
            ),
            (12345, TypeError),
        ],
        ids=["pem", "int"],
    )
    def test_unusable_secrets_fail_as_pyjwt_fails_them(
        self, tw, secret, error
    ):
        """
        A key HS256 cannot use raises PyJWT's own error.
        """
        jwt = dummy(tw)
        jwt.secret_key = secret

        with pytest.raises(error):
            jwt.to_jwt()

    def test_short_secret_warns_as_pyjwt_does(self, tw):
        """
        A short HMAC key gets PyJWT's warning, where PyJWT has one.
        """
        jwt = dummy(tw)
        jwt.secret_key = "secret"
        if not hasattr(pyjwt.algorithms.HMACAlgorithm, "check_key_length"):
            jwt.to_jwt()  # this PyJWT does not warn
            return
        from jwt.warnings import InsecureKeyLengthWarning

        with pytest.warns(InsecureKeyLengthWarning):
            jwt.to_jwt()

    def test_headers_pyjws_treats_specially(self, tw, clock):
        """
        kid must be a str; b64 false detaches the payload; as PyJWT does.
        """
        with pytest.raises(pyjwt.InvalidTokenError, match="Key ID"):
            dummy(tw, headers={"kid": 5}).to_jwt()
        detached = dummy(tw, headers={"b64": False}).to_jwt()
        kept = dummy(tw, headers={"kid": "k1"}).to_jwt()

        assert "" == detached.split(".")[1]
        assert "k1" == pyjwt.get_unverified_header(kept)["kid"]

    def test_pyjwk_keys_sign(self, tw, clock):
        """
        A PyJWK key signs where jwt.encode takes one (PyJWT 2.9+), and fails alike where it does not.
        """
        key = pyjwt.PyJWK(
            {
                "kty": "oct",
                "k": base64.urlsafe_b64encode(KEY.encode())
                .rstrip(b"=")
                .decode(),
            },
            algorithm="HS256",
        )
        jwt = dummy(tw)
        jwt.secret_key = key
        try:
            pyjwt.encode({"iss": "x"}, key, algorithm="HS256")
        except TypeError:
            with pytest.raises(TypeError):
                jwt.to_jwt()
            return

        assert {"iss": "issuer", "exp": 3600, "nbf": 0} == parts(jwt.to_jwt())[
            1
        ]

    def test_the_payload_is_written_before_the_algorithm_is_looked_up(
        self, tw
    ):
        """
        A claim JSON cannot hold fails first, even with an unknown algorithm.
        """
        with pytest.raises(TypeError):
            dummy(tw, payload={"x": object()}, algorithm="PlzNo").to_jwt()

    def test_unknown_algorithm_is_not_implemented(self, tw):
        """
        An algorithm that does not exist fails like PyJWT does.
        """
        with pytest.raises(NotImplementedError):
            dummy(tw, algorithm="PlzNo").to_jwt()

    def test_no_key_fails(self, tw):
        """
        A falsy secret fails at to_jwt() with twilio-python's message.
        """
        jwt = dummy(tw)
        jwt.secret_key = ""

        with pytest.raises(
            ValueError, match="^JWT does not have a signing key configured.$"
        ):
            jwt.to_jwt()

    def test_base_class_needs_a_payload(self, tw):
        """
        The base Jwt has no payload of its own.
        """
        with pytest.raises(
            NotImplementedError, match="Subclass must provide a payload."
        ):
            tw.Jwt(KEY, "issuer").to_jwt()

    def test_payload_and_headers_are_rebuilt_on_access(self, tw, monkeypatch):
        """
        payload reads the clock on each access.
        """
        jwt = dummy(tw)
        monkeypatch.setattr("time.time", lambda: 100.0)
        first = jwt.payload["exp"]
        monkeypatch.setattr("time.time", lambda: 200.0)

        assert (3700, 3800) == (first, jwt.payload["exp"])
        assert {"typ": "JWT", "alg": "HS256"} == jwt.headers

    def test_encode_decode(self, tw):
        """
        from_jwt with the key gives the fields back, on a plain Jwt.
        """
        start = int(time.time())
        decoded = tw.Jwt.from_jwt(
            dummy(tw, payload={"sick": "sick"}, subject="hey").to_jwt(), KEY
        )

        assert type(decoded).__name__ == "Jwt"
        assert ("issuer", "hey", KEY, "HS256") == (
            decoded.issuer,
            decoded.subject,
            decoded.secret_key,
            decoded.algorithm,
        )
        assert decoded.valid_until >= start + 3600
        assert decoded.nbf >= start
        assert {"typ": "JWT", "alg": "HS256"} == decoded.headers
        assert "sick" == decoded.payload["sick"]

    @pytest.mark.parametrize(
        ("make", "key", "message"),
        [
            (
                lambda tw: dummy(tw).to_jwt(),
                "wrong-key-" * 4 + "x" * 30,
                "Signature verification failed",
            ),
            (lambda tw: "ABC" + dummy(tw).to_jwt()[3:], KEY, None),
            (
                lambda tw: dummy(
                    tw, valid_until=int(time.time()) - 1
                ).to_jwt(),
                KEY,
                "Signature has expired",
            ),
            (
                lambda tw: dummy(tw, nbf=int(time.time()) + 3600).to_jwt(),
                KEY,
                "The token is not yet valid (nbf)",
            ),
            (lambda tw: "abc", KEY, "Not enough segments"),
            (
                lambda tw: pyjwt.encode(
                    {"iss": "x"}, KEY * 2, algorithm="HS512"
                ),
                KEY * 2,
                "Incorrect decoding algorithm HS512, expecting HS256.",
            ),
        ],
        ids=[
            "bad-secret",
            "modified",
            "expired",
            "nbf",
            "garbage",
            "algorithm",
        ],
    )
    def test_decode_failures_are_jwt_decode_errors(
        self, tw, make, key, message
    ):
        """
        Every failure is JwtDecodeError with the cause's message.
        """
        with pytest.raises(tw.JwtDecodeError) as ei:
            tw.Jwt.from_jwt(make(tw), key)
        if message is not None:
            assert message == str(ei.value)

    def test_decode_without_key_skips_the_signature(self, tw):
        """
        No key: the signature is not checked (exp and nbf still are).
        """
        decoded = tw.Jwt.from_jwt(
            dummy(tw, payload={"get": "rekt"}).to_jwt(), key=None
        )

        assert ("issuer", "rekt", None) == (
            decoded.issuer,
            decoded.payload["get"],
            decoded.secret_key,
        )
        with pytest.raises(tw.JwtDecodeError, match="expired"):
            tw.Jwt.from_jwt(dummy(tw, valid_until=1).to_jwt())

    def test_decode_with_key_refuses_a_future_iat(self, tw):
        """
        With a key, PyJWT also refuses an iat in the future.
        """
        token = pyjwt.encode({"iss": "x", "iat": int(time.time()) + 3600}, KEY)

        with pytest.raises(tw.JwtDecodeError):
            tw.Jwt.from_jwt(token, KEY)
        assert "x" == tw.Jwt.from_jwt(token).issuer

    def test_datetimes_are_written_as_epoch_seconds(self, tw, clock):
        """
        datetime nbf/valid_until are converted as PyJWT converts them.
        """
        from datetime import datetime, timezone

        token = tw.AccessToken(
            AC,
            SK,
            KEY,
            nbf=datetime(1970, 1, 1, 0, 1, tzinfo=timezone.utc),
            valid_until=datetime(1970, 1, 2),
        )

        assert (60, 86400) == (
            parts(token.to_jwt())[1]["nbf"],
            parts(token.to_jwt())[1]["exp"],
        )

    def test_non_string_issuer_fails_as_the_installed_pyjwt_fails_it(self):
        """
        A non-str API key SID: whatever jwt.encode does with it (PyJWT
        2.10+ raises, older PyJWT wrote it), compat does, as twilio-python.
        """
        from twilio.jwt.access_token import AccessToken as Upstream

        def outcome(cls):
            try:
                return jwt.decode(
                    cls(AC, 123, KEY).to_jwt(),
                    KEY,
                    algorithms=["HS256"],
                    options={"verify_iss": False},
                )["iss"]
            except TypeError as e:
                return str(e)

        ours, theirs = outcome(compat.AccessToken), outcome(Upstream)

        assert theirs == ours
        if tuple(map(int, jwt.__version__.split(".")[:2])) >= (2, 10):
            assert "Issuer (iss) must be a string." == ours

    def test_decoded_token_re_encodes_its_own_header(self, tw):
        """
        A decoded Jwt re-encodes with its decoded header; an empty typ is dropped.
        """
        import base64

        def b64(data):
            return base64.urlsafe_b64encode(data).rstrip(b"=")

        signing_input = (
            b64(b'{"alg":"HS256","typ":""}')
            + b"."
            + b64(
                json.dumps({"iss": "x", "exp": int(time.time()) + 60}).encode()
            )
        )
        token = f"{signing_input.decode()}.{mac(signing_input, KEY)}"
        again = tw.Jwt.from_jwt(token, KEY).to_jwt()

        assert {"alg": "HS256"} == pyjwt.get_unverified_header(again)

    def test_str_mints(self, tw, clock):
        """
        str() of a Jwt is <JWT …> around a fresh token.
        """
        assert str(dummy(tw)).startswith("<JWT eyJ")


GRANTS = [
    (
        "chat",
        lambda tw: tw.ChatGrant(
            service_sid="IS123",
            endpoint_id="e",
            deployment_role_sid="RL1",
            push_credential_sid="CR1",
        ),
        {
            "service_sid": "IS123",
            "endpoint_id": "e",
            "deployment_role_sid": "RL1",
            "push_credential_sid": "CR1",
        },
    ),
    (
        "chat-empty-fields",
        lambda tw: tw.ChatGrant(service_sid="IS123", endpoint_id=""),
        {"service_sid": "IS123"},
    ),
    (
        "sync",
        lambda tw: tw.SyncGrant(service_sid="IS1", endpoint_id="e"),
        {"service_sid": "IS1", "endpoint_id": "e"},
    ),
    (
        "voice",
        lambda tw: tw.VoiceGrant(
            incoming_allow=True,
            outgoing_application_sid="AP1",
            outgoing_application_params={"foo": "bar"},
            push_credential_sid="CR1",
            endpoint_id="e",
        ),
        {
            "incoming": {"allow": True},
            "outgoing": {"application_sid": "AP1", "params": {"foo": "bar"}},
            "push_credential_sid": "CR1",
            "endpoint_id": "e",
        },
    ),
    (
        "voice-allow-1",
        lambda tw: tw.VoiceGrant(
            incoming_allow=1, outgoing_application_params={"a": 1}
        ),
        {},
    ),
    (
        "voice-no-params",
        lambda tw: tw.VoiceGrant(
            outgoing_application_sid="AP1", outgoing_application_params={}
        ),
        {"outgoing": {"application_sid": "AP1"}},
    ),
    ("video", lambda tw: tw.VideoGrant(room="RM1"), {"room": "RM1"}),
    ("video-empty", lambda tw: tw.VideoGrant(), {}),
    (
        "taskrouter",
        lambda tw: tw.TaskRouterGrant(
            workspace_sid="WS1", worker_sid="WK1", role="worker"
        ),
        {"workspace_sid": "WS1", "worker_sid": "WK1", "role": "worker"},
    ),
    (
        "playback",
        lambda tw: tw.PlaybackGrant(
            grant={"requestCredentials": None, "playbackUrl": "u"}
        ),
        {"requestCredentials": None, "playbackUrl": "u"},
    ),
    ("playback-none", lambda tw: tw.PlaybackGrant(), None),
]


class TestAccessToken:
    def test_empty_token(self, tw, clock):
        """
        No grants: jti <SK>-<time>, grants {}, iss, exp, nbf, sub; cty header.
        """
        header, payload = parts(tw.AccessToken(AC, SK, KEY).to_jwt())

        assert {
            "alg": "HS256",
            "cty": "twilio-fpa;v=1",
            "typ": "JWT",
        } == header
        assert {
            "jti": "SK123-0",
            "grants": {},
            "iss": SK,
            "exp": 3600,
            "nbf": 0,
            "sub": AC,
        } == payload
        assert ["jti", "grants", "iss", "exp", "nbf", "sub"] == list(payload)

    @pytest.mark.parametrize(
        ("make", "claims"), [g[1:] for g in GRANTS], ids=[g[0] for g in GRANTS]
    )
    def test_each_grant(self, tw, clock, make, claims):
        """
        Each grant's payload matches twilio-python's, with its key.
        """
        grant = make(tw)
        _, payload = parts(
            tw.AccessToken(
                AC, SK, KEY, grants=[grant], identity="bob"
            ).to_jwt()
        )

        assert {grant.key: claims, "identity": "bob"} == payload["grants"]
        assert f"<{type(grant).__name__} {claims}>" == str(grant)

    @pytest.mark.parametrize(
        ("region", "twr"),
        [("ie1", "ie1"), (None, None), ("", None), (1, None)],
        ids=["ie1", "none", "empty", "not-str"],
    )
    def test_region(self, tw, clock, region, twr):
        """
        twr is written only for a truthy str region.
        """
        header, _ = parts(tw.AccessToken(AC, SK, KEY, region=region).to_jwt())

        assert twr == header.get("twr")

    @pytest.mark.parametrize(
        ("identity", "expected"),
        [("bob", "bob"), (123, 123), ("", None), (0, None)],
        ids=["str", "int", "empty", "zero"],
    )
    def test_identity_as_given_if_truthy(self, tw, clock, identity, expected):
        """
        A truthy identity is written as is, numbers included.
        """
        _, payload = parts(
            tw.AccessToken(AC, SK, KEY, identity=identity).to_jwt()
        )

        assert expected == payload["grants"].get("identity")

    def test_nbf_off_valid_until_and_ttl_override(self, tw, clock):
        """
        nbf=None drops nbf; valid_until sets exp; to_jwt(ttl=) beats it.
        """
        token = tw.AccessToken(AC, SK, KEY, nbf=None, valid_until=500)
        _, plain = parts(token.to_jwt())
        _, override = parts(token.to_jwt(ttl=60))

        assert {
            "jti": "SK123-0",
            "grants": {},
            "iss": SK,
            "exp": 500,
            "sub": AC,
        } == plain
        assert 60 == override["exp"]

    def test_add_grant_mutates_the_given_list(self, tw, clock):
        """
        A non-empty grants list is kept; add_grant appends to it.
        """
        grants = [tw.VideoGrant()]
        token = tw.AccessToken(AC, SK, KEY, grants=grants)
        token.add_grant(tw.ChatGrant(service_sid="IS1"))

        assert 2 == len(grants)
        assert {"video": {}, "chat": {"service_sid": "IS1"}} == parts(
            token.to_jwt()
        )[1]["grants"]

    def test_duplicate_keys_last_wins(self, tw, clock):
        """
        Two grants with one key: the last one is written.
        """
        token = tw.AccessToken(
            AC,
            SK,
            KEY,
            grants=[tw.VideoGrant(room="a"), tw.VideoGrant(room="b")],
        )

        assert {"video": {"room": "b"}} == parts(token.to_jwt())[1]["grants"]

    def test_grant_type_errors(self, tw):
        """
        Non-grants are refused with twilio-python's messages.
        """
        with pytest.raises(
            ValueError,
            match=r"^Grants must be instances of AccessTokenGrant\.$",
        ):
            tw.AccessToken(AC, SK, KEY, grants=["voice"])
        with pytest.raises(
            ValueError,
            match=r"^Grant must be an instance of AccessTokenGrant\.$",
        ):
            tw.AccessToken(AC, SK, KEY).add_grant({"voice": {}})

    def test_custom_grant_subclass(self, tw, clock):
        """
        A user's AccessTokenGrant subclass is written by its key and payload.
        """

        class FlexGrant(tw.AccessTokenGrant):
            @property
            def key(self):
                return "flex_insights"

            def to_payload(self):
                return {"x": 1}

        assert {"flex_insights": {"x": 1}} == parts(
            tw.AccessToken(AC, SK, KEY, grants=[FlexGrant()]).to_jwt()
        )[1]["grants"]

    def test_base_grant_is_abstract(self, tw):
        """
        AccessTokenGrant itself has neither key nor payload.
        """
        with pytest.raises(
            NotImplementedError, match="Grant must have a key property."
        ):
            tw.AccessTokenGrant().key  # noqa: B018
        with pytest.raises(
            NotImplementedError, match="Grant must implement to_payload."
        ):
            tw.AccessTokenGrant().to_payload()

    def test_str_and_from_jwt(self, tw):
        """
        str() is <AccessToken …>; from_jwt gives a plain Jwt with the raw payload.
        """
        token = tw.AccessToken(
            AC, SK, KEY, identity="bob", grants=[tw.VideoGrant()]
        )
        decoded = tw.AccessToken.from_jwt(token.to_jwt(), KEY)

        assert str(token).startswith("<AccessToken eyJ")
        assert type(decoded).__name__ == "Jwt"
        assert {"video": {}, "identity": "bob"} == decoded.payload["grants"]
        assert (SK, AC) == (decoded.issuer, decoded.subject)
        assert "twilio-fpa;v=1" == decoded.headers["cty"]


class TestClientCapabilityToken:
    @pytest.mark.parametrize(
        ("kwargs", "scope"),
        [
            (
                {
                    "allow_client_outgoing": {
                        "application_sid": "AP123",
                        "foobar": 3,
                    }
                },
                "scope:client:outgoing?appParams=foobar%3D3&appSid=AP123",
            ),
            (
                {"allow_client_incoming": {"client_name": "andy"}},
                "scope:client:incoming?clientName=andy",
            ),
            (
                {
                    "allow_client_outgoing": {
                        "application_sid": "AP123",
                        "foobar": 3,
                    },
                    "allow_client_incoming": {"client_name": "andy"},
                },
                "scope:client:outgoing?appParams=foobar%3D3&appSid=AP123&clientName=andy scope:client:incoming?clientName=andy",
            ),
            (
                {"allow_event_stream": {"foobar": "hey"}},
                "scope:stream:subscribe?params=foobar%3Dhey&path=%2F2010-04-01%2FEvents",
            ),
            (
                {"allow_event_stream": {}},
                "scope:stream:subscribe?path=%2F2010-04-01%2FEvents",
            ),
            ({}, ""),
        ],
        ids=["outgoing", "incoming", "both", "events", "events-plain", "none"],
    )
    def test_scopes(self, tw, clock, kwargs, scope):
        """
        Scopes are URIs with sorted, url-encoded params, joined by spaces.
        """
        header, payload = parts(
            tw.ClientCapabilityToken(
                AC, KEY, valid_until=99, **kwargs
            ).to_jwt()
        )

        assert {"alg": "HS256", "typ": "JWT"} == header
        assert {"scope": scope, "iss": AC, "exp": 3600, "nbf": 0} == payload

    def test_scope_uri(self, tw):
        """
        ScopeURI prints itself and takes parameters.
        """
        uri = tw.ScopeURI("client", "incoming")
        assert "scope:client:incoming" == uri.to_payload()
        uri.add_param("clientName", "a b")

        assert "<ScopeURI scope:client:incoming?clientName=a+b>" == str(uri)


WS, WK, WQ = "WS" + "1" * 32, "WK" + "2" * 32, "WQ" + "3" * 32
BASE = "https://taskrouter.twilio.com/v1/Workspaces/" + WS
EVENTS = f"https://event-bridge.twilio.com/v1/wschannels/{AC}/"


def policy(url, method, post_filter=None):
    return {
        "url": url,
        "method": method,
        "allow": True,
        "query_filter": {},
        "post_filter": post_filter or {},
    }


class TestTaskRouter:
    def test_worker_defaults(self, tw, clock):
        """
        A Worker token gets the six default policies.
        """
        _, payload = parts(tw.WorkerCapabilityToken(AC, KEY, WS, WK).to_jwt())

        assert {
            "account_sid": AC,
            "workspace_sid": WS,
            "channel": WK,
            "version": "v1",
            "friendly_name": WK,
            "policies": [
                policy(EVENTS + WK, "GET"),
                policy(EVENTS + WK, "POST"),
                policy(f"{BASE}/Workers/{WK}", "GET"),
                policy(f"{BASE}/Activities", "GET"),
                policy(f"{BASE}/Tasks/**", "GET"),
                policy(f"{BASE}/Workers/{WK}/Reservations/**", "GET"),
            ],
            "worker_sid": WK,
            "iss": AC,
            "exp": 3600,
            "nbf": 0,
        } == payload

    def test_worker_opt_ins(self, tw, clock):
        """
        Activity and reservation updates add their policies.
        """
        token = tw.WorkerCapabilityToken(
            AC,
            KEY,
            WS,
            WK,
            allow_update_activities=True,
            allow_update_reservations=True,
            allow_fetch_activities=False,
            ttl=60,
        )
        _, payload = parts(token.to_jwt())

        assert (
            policy(
                f"{BASE}/Workers/{WK}",
                "POST",
                {"ActivitySid": {"required": True}},
            )
            in payload["policies"]
        )
        assert policy(f"{BASE}/Tasks/**", "POST") in payload["policies"]
        assert policy(f"{BASE}/Activities", "GET") not in payload["policies"]
        assert 60 == payload["exp"]

    def test_taskqueue_and_workspace(self, tw, clock):
        """
        TaskQueue and Workspace tokens fetch their own resource.
        """
        _, queue = parts(tw.TaskQueueCapabilityToken(AC, KEY, WS, WQ).to_jwt())
        _, space = parts(
            tw.WorkspaceCapabilityToken(
                AC,
                KEY,
                WS,
                allow_update_self=True,
                allow_delete_self=True,
                allow_fetch_subresources=True,
                allow_update_subresources=True,
                allow_delete_subresources=True,
                allow_web_sockets=False,
            ).to_jwt()
        )

        assert WQ == queue["taskqueue_sid"]
        assert policy(f"{BASE}/TaskQueues/{WQ}", "GET") in queue["policies"]
        assert [(p["url"], p["method"]) for p in space["policies"]] == [
            (BASE, "GET"),
            (BASE, "POST"),
            (BASE, "DELETE"),
            (BASE + "/**", "GET"),
            (BASE + "/**", "DELETE"),
            (BASE + "/**", "POST"),
        ]

    @pytest.mark.parametrize(
        ("args", "start", "value"),
        [
            ((("XX1", KEY, WS, WK)), "Invalid account sid provided", "XX1"),
            (((AC, KEY, "XX", WK)), "Invalid workspace sid provided", "XX"),
            (((AC, KEY, WS, WQ)), "Invalid channel id provided", WQ),
            (((AC, KEY, WS, None)), "Invalid channel id provided", None),
        ],
        ids=["account", "workspace", "channel", "none"],
    )
    def test_prefix_checks(self, tw, args, start, value):
        """
        Wrong prefixes are refused with twilio-python's type and message
        start; twilio-python shows the value, compat masks it as the
        native API does (it may be a secret in the wrong slot).
        """
        with pytest.raises(ValueError, match=f"^{start} ") as raised:
            tw.WorkerCapabilityToken(*args)
        if tw is compat and value == WQ:
            shown = repr(WQ)  # a SID of another kind is no secret
        elif tw is compat:
            shown = (
                "None"
                if value is None
                else f"{value[:2]!r}... ({len(value)} characters)"
            )
        else:
            shown = str(value)
        assert str(raised.value) == f"{start} {shown}"

    @pytest.mark.parametrize(
        "slot", ["account_sid", "workspace_sid", "worker_sid"]
    )
    @given(
        secret=st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
    )
    def test_a_secret_in_a_sid_slot_is_never_echoed(self, slot, secret):
        """
        An Auth Token (32 hex) passed where a SID goes is not in the error.
        """
        args = {"account_sid": AC, "workspace_sid": WS, "worker_sid": WK}
        args[slot] = secret
        with pytest.raises(ValueError, match="^Invalid ") as raised:
            compat.WorkerCapabilityToken(
                args["account_sid"],
                KEY,
                args["workspace_sid"],
                args["worker_sid"],
            )
        assert secret not in str(raised.value)
        assert secret[2:] not in repr(raised.value.args)

    def test_base_class_is_abstract(self, tw):
        """
        The base TaskRouter token has no resource of its own.
        """
        with pytest.raises(NotImplementedError, match="channel_id sid prefix"):
            tw.TaskRouterCapabilityToken(AC, KEY, WS, WK)

    def test_subclass_without_resource_url(self, tw):
        """
        A subclass must say which resource it is about.
        """

        class Half(tw.TaskRouterCapabilityToken):
            @property
            def channel_prefix(self):
                return "WK"

        with pytest.raises(NotImplementedError, match="resource_url"):
            Half(AC, KEY, WS, WK)

    def test_subclasses_print_and_add_policies_as_upstream(self, tw, clock):
        """
        A subclass calls _make_policy positionally; str() names the base classes.
        """

        class Mine(tw.WorkerCapabilityToken):
            def allow_everything(self):
                self._make_policy(self.workspace_url + "/**", "GET", True)

        class MyToken(tw.AccessToken):
            pass

        token = Mine(AC, KEY, WS, WK)
        token.allow_everything()

        assert policy(BASE + "/**", "GET") == token.policies[-1]
        assert str(token).startswith("<WorkerCapabilityToken eyJ")
        assert str(MyToken(AC, SK, KEY)).startswith("<MyToken eyJ")

    def test_str(self, tw, clock):
        """
        str() names the class around a fresh token.
        """
        assert str(tw.WorkerCapabilityToken(AC, KEY, WS, WK)).startswith(
            "<WorkerCapabilityToken eyJ"
        )


# ------------------------------------------------------------------ differential

text = st.one_of(st.none(), st.just(""), st.text(max_size=12))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=6),
    lambda i: (
        st.lists(i, max_size=3)
        | st.dictionaries(st.text(max_size=5), i, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def grant_specs(draw):
    kind = draw(
        st.sampled_from(
            [
                "ChatGrant",
                "SyncGrant",
                "VoiceGrant",
                "VideoGrant",
                "TaskRouterGrant",
                "PlaybackGrant",
            ]
        )
    )
    fields = {
        "ChatGrant": [
            "service_sid",
            "endpoint_id",
            "deployment_role_sid",
            "push_credential_sid",
        ],
        "SyncGrant": ["service_sid", "endpoint_id"],
        "VoiceGrant": [
            "outgoing_application_sid",
            "push_credential_sid",
            "endpoint_id",
        ],
        "VideoGrant": ["room"],
        "TaskRouterGrant": ["workspace_sid", "worker_sid", "role"],
        "PlaybackGrant": [],
    }[kind]
    kwargs = {f: draw(text) for f in fields}
    if kind == "VoiceGrant":
        kwargs["incoming_allow"] = draw(
            st.sampled_from([None, True, False, 1])
        )
        kwargs["outgoing_application_params"] = draw(
            st.none()
            | st.dictionaries(st.text(max_size=5), json_values, max_size=3)
        )
    if kind == "PlaybackGrant":
        kwargs["grant"] = draw(
            st.none()
            | st.dictionaries(st.text(max_size=5), json_values, max_size=3)
        )
    return kind, kwargs


@st.composite
def access_tokens(draw):
    return {
        "grants": draw(st.lists(grant_specs(), max_size=4)),
        "identity": draw(st.one_of(text, st.integers(-5, 5))),
        "nbf": draw(st.sampled_from(["GENERATE", None, 0, 12345])),
        "ttl": draw(st.integers(0, 86400)),
        "valid_until": draw(st.one_of(st.none(), st.integers(0, 2**31))),
        "region": draw(st.one_of(text, st.integers(0, 1))),
        "to_jwt_ttl": draw(st.one_of(st.none(), st.integers(0, 1000))),
        "now": draw(st.floats(0, 2**31, allow_nan=False)),
    }


def build_access_token(tw, spec):
    grants = [getattr(tw, kind)(**kwargs) for kind, kwargs in spec["grants"]]
    nbf = tw.Jwt.GENERATE if spec["nbf"] == "GENERATE" else spec["nbf"]
    token = tw.AccessToken(
        AC,
        SK,
        KEY,
        grants=grants,
        identity=spec["identity"],
        nbf=nbf,
        ttl=spec["ttl"],
        valid_until=spec["valid_until"],
        region=spec["region"],
    )
    return token.to_jwt(ttl=spec["to_jwt_ttl"])


def frozen_time(monkeypatch, now):
    monkeypatch.setattr("time.time", lambda: now)


@settings(max_examples=1500, deadline=None)
@given(access_tokens())
def test_access_tokens_are_byte_identical_to_twilio_python(spec):
    """
    For generated inputs and a patched clock, compat writes twilio-python's exact JWT.
    """
    with pytest.MonkeyPatch.context() as mp:
        frozen_time(mp, spec["now"])
        ours = build_access_token(compat, spec)
        theirs = build_access_token(implementation("twilio"), spec)

    assert parts(theirs) == parts(ours)
    assert json.dumps(parts(theirs)) == json.dumps(
        parts(ours)
    )  # key order too
    assert theirs == ours


@st.composite
def capability_specs(draw):
    kind = draw(st.sampled_from(["client", "worker", "queue", "workspace"]))
    flags = {
        name: draw(st.booleans())
        for name in (
            "allow_web_sockets",
            "allow_fetch_self",
            "allow_update_self",
            "allow_delete_self",
            "allow_fetch_subresources",
            "allow_update_subresources",
            "allow_delete_subresources",
            "allow_fetch_activities",
            "allow_fetch_reservations",
            "allow_fetch_worker_reservations",
            "allow_update_activities",
            "allow_update_reservations",
        )
    }
    client = {}
    if draw(st.booleans()):
        client["allow_client_outgoing"] = {
            "application_sid": draw(st.text(max_size=8)),
            **draw(
                st.dictionaries(
                    st.sampled_from(["a", "b", "c d"]),
                    st.text(max_size=5),
                    max_size=2,
                )
            ),
        }
    if draw(st.booleans()):
        client["allow_client_incoming"] = {
            "client_name": draw(st.text(max_size=8))
        }
    if draw(st.booleans()):
        client["allow_event_stream"] = draw(
            st.dictionaries(
                st.sampled_from(["x", "y"]), st.text(max_size=5), max_size=2
            )
        )
    return (
        kind,
        flags,
        client,
        draw(st.integers(1, 86400)),
        draw(st.floats(0, 2**31, allow_nan=False)),
    )


@settings(max_examples=1000, deadline=None)
@given(capability_specs())
def test_capability_tokens_are_byte_identical_to_twilio_python(spec):
    """
    Client and TaskRouter capability tokens match twilio-python byte for byte.
    """
    kind, flags, client, ttl, now = spec

    def build(tw):
        if kind == "client":
            return tw.ClientCapabilityToken(
                AC, KEY, ttl=ttl, **client
            ).to_jwt()
        if kind == "worker":
            return tw.WorkerCapabilityToken(
                AC, KEY, WS, WK, ttl=ttl, **flags
            ).to_jwt()
        if kind == "queue":
            return tw.TaskQueueCapabilityToken(
                AC, KEY, WS, WQ, ttl=ttl, **flags
            ).to_jwt()
        return tw.WorkspaceCapabilityToken(
            AC, KEY, WS, ttl=ttl, **flags
        ).to_jwt()

    with pytest.MonkeyPatch.context() as mp:
        frozen_time(mp, now)
        assert build(implementation("twilio")) == build(compat)


@pytest.mark.parametrize(
    "name",
    [
        "ChatGrant",
        "VoiceGrant",
        "VideoGrant",
        "SyncGrant",
        "TaskRouterGrant",
        "PlaybackGrant",
    ],
)
def test_grant_signatures_are_twilio_pythons(name):
    """
    The twins' constructors, derived from the native declarations, take
    twilio-python's arguments in twilio-python's order.
    """
    import inspect

    from twilio.jwt.access_token import grants as upstream

    assert inspect.signature(getattr(compat, name)) == inspect.signature(
        getattr(upstream, name)
    )
    with pytest.raises(TypeError):
        getattr(compat, name)(not_a_field=1)
