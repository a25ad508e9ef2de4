"""
twilio_tokens.flex against a real HTTP server on 127.0.0.1: the fake IAM.
"""

import base64
import json
import pickle
import socket
import subprocess
import sys
import threading
import time

from datetime import datetime, timedelta, timezone

import anyio
import pytest
import twilio_tokens

from hypothesis import given, settings
from hypothesis import strategies as st
from twilio_tokens import (
    FlexValidationUnavailableError,
    InvalidFlexTokenError,
    TwilioTokenError,
    decode_identity,
    encode_identity,
)
from twilio_tokens._fake_flex import _Answer
from twilio_tokens.flex import MAX_TOKEN_LENGTH, FlexTokenInfo, FlexValidator
from twilio_tokens.testing import FakeFlexService

from helpers import ACCOUNT, KEY, SECRET


def validator_for(iam, **kwargs):
    kwargs.setdefault("auth_token", iam.auth_token)
    kwargs.setdefault("base_url", iam.base_url)
    return FlexValidator(iam.account_sid, **kwargs)


@pytest.fixture
def validator(twilio_flex):
    with validator_for(twilio_flex, timeout=2) as v:
        yield v


def five(length=40):
    """A five-segment, base64url token of *length* characters."""
    head = "eyJh.b.c."
    return head + "a" * (length - len(head) - 2) + ".d"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TestValidToken:
    def test_valid_token_gives_the_agent(self, twilio_flex, validator):
        """
        A valid token gives its identity, roles, worker and expiry.
        """
        before = datetime.now(timezone.utc)
        token = twilio_flex.issue(
            "user_40example_2Ecom",
            roles=["agent", "supervisor"],
            worker_sid="WK" + "1" * 32,
            realm_user_id="user-1",
            flex_instance_sid="GO" + "2" * 32,
            flex_user_sid="FU" + "3" * 32,
        )

        info = validator.validate(token)

        assert "user_40example_2Ecom" == info.identity
        assert ("agent", "supervisor") == info.roles
        assert "WK" + "1" * 32 == info.worker_sid
        assert "user-1" == info.realm_user_id
        assert "GO" + "2" * 32 == info.flex_instance_sid
        assert "FU" + "3" * 32 == info.flex_user_sid
        assert timezone.utc == info.expires_at.tzinfo
        left = info.expires_at - before
        assert timedelta(seconds=3590) < left < timedelta(seconds=3610)
        assert info.has_role("supervisor")
        assert not info.has_role("admin")

    def test_absent_fields_are_none(self, twilio_flex, validator):
        """
        realm_user_id null and absent Flex SIDs are None; a worker is set.
        """
        info = validator.validate(twilio_flex.issue())

        assert info.realm_user_id is None
        assert info.flex_instance_sid is None
        assert info.flex_user_sid is None
        assert info.worker_sid.startswith("WK")

    def test_raw_is_the_read_only_answer(self, twilio_flex, validator):
        """
        raw is Twilio's whole answer, and it cannot be changed.
        """
        info = validator.validate(twilio_flex.issue("bob"))

        assert info.raw["valid"] is True
        assert "bob" == info.raw["identity"]
        with pytest.raises(TypeError):
            info.raw["identity"] = "mallory"
        with pytest.raises(AttributeError):
            info.identity = "mallory"

    def test_info_repr_leaves_out_raw(self, twilio_flex, validator):
        """
        The repr names the fields, not the whole answer.
        """
        text = repr(validator.validate(twilio_flex.issue("bob")))

        assert text.startswith(
            "FlexTokenInfo(identity='bob', roles=('agent',)"
        )
        assert "raw" not in text

    @pytest.mark.parametrize(
        ("expiration", "expected"),
        [
            ("2030-01-02T03:04:05Z", datetime(2030, 1, 2, 3, 4, 5)),
            (
                "2030-01-02T03:04:05.250Z",
                datetime(2030, 1, 2, 3, 4, 5, 250000),
            ),
            ("2030-01-02T05:04:05+02:00", datetime(2030, 1, 2, 3, 4, 5)),
            ("2030-01-02T03:04:05", datetime(2030, 1, 2, 3, 4, 5)),
        ],
        ids=["z", "millis", "offset", "naive-is-utc"],
    )
    def test_expiration_becomes_aware_utc(
        self, twilio_flex, validator, expiration, expected
    ):
        """
        Each ISO-8601 spelling of the expiry is read as a UTC instant.
        """
        token = twilio_flex.fail(
            200,
            {"valid": True, "identity": "a", "expiration": expiration},
        )

        info = validator.validate(token)

        assert expected.replace(tzinfo=timezone.utc) == info.expires_at
        assert timezone.utc == info.expires_at.tzinfo
        assert () == info.roles  # roles absent: none
        assert info.worker_sid is None

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"identity": None}, "'identity'"),
            ({"identity": ""}, "'identity'"),
            ({"roles": "agent"}, "'roles'"),
            ({"roles": ["agent", 1]}, "'roles'"),
            ({"worker_sid": 12}, "'worker_sid'"),
            ({"expiration": "tomorrow"}, "'expiration'"),
            ({"expiration": None}, "'expiration'"),
        ],
        ids=[
            "no-identity",
            "empty-identity",
            "roles-str",
            "roles-int",
            "worker-int",
            "expiration-text",
            "expiration-null",
        ],
    )
    def test_unreadable_valid_answer_is_unavailable(
        self, twilio_flex, validator, change, field
    ):
        """
        A valid answer this package cannot read is no answer: 503.
        """
        body = {
            "valid": True,
            "identity": "a",
            "roles": ["agent"],
            "expiration": "2030-01-01T00:00:00Z",
        }
        token = twilio_flex.fail(200, {**body, **change})

        with pytest.raises(FlexValidationUnavailableError) as ei:
            validator.validate(token)

        assert field in str(ei.value)
        assert "said the Flex token is valid" in str(ei.value)
        assert 200 == ei.value.status


class TestIdentity:
    def test_flex_identity_is_encode_identity_spelling(self):
        """
        Flex's user_40example_2Ecom is encode_identity's spelling.
        """
        assert "user_40example_2Ecom" == encode_identity("user@example.com")
        assert "user@example.com" == decode_identity("user_40example_2Ecom")

    def test_identity_from_the_service_decodes(self, twilio_flex, validator):
        """
        decode_identity reads the identity Twilio returned.
        """
        flex = encode_identity("jane.doe@example.com")
        info = validator.validate(twilio_flex.issue(flex))

        assert "jane_2Edoe_40example_2Ecom" == info.identity
        assert "jane.doe@example.com" == decode_identity(info.identity)


class TestInvalidToken:
    def test_valid_false_carries_twilio_code_and_message(
        self, twilio_flex, validator
    ):
        """
        valid: false is InvalidFlexTokenError with Twilio's code and text.
        """
        token = twilio_flex.reject(45678, "Token revoked")

        with pytest.raises(InvalidFlexTokenError) as ei:
            validator.validate(token)

        assert 45678 == ei.value.code
        assert "Token revoked" == ei.value.message
        assert "Token revoked (Twilio 45678)" == str(ei.value)
        assert isinstance(ei.value, TwilioTokenError)
        assert not isinstance(ei.value, FlexValidationUnavailableError)

    def test_expired_token_is_invalid(self, twilio_flex, validator):
        """
        An expired token is answered valid: false, 20104.
        """
        token = twilio_flex.issue(expires_in=0)

        with pytest.raises(InvalidFlexTokenError) as ei:
            validator.validate(token)

        assert 20104 == ei.value.code

    def test_token_never_issued_is_invalid(self, twilio_flex, validator):
        """
        A well-shaped token the service never issued is 20101.
        """
        with pytest.raises(InvalidFlexTokenError) as ei:
            validator.validate(five())

        assert 20101 == ei.value.code
        assert 1 == len(twilio_flex.requests)

    def test_valid_false_without_code_or_message(self, twilio_flex, validator):
        """
        valid: false with neither code nor message still says invalid.
        """
        token = twilio_flex.fail(400, {"valid": False, "code": "x"})

        with pytest.raises(InvalidFlexTokenError) as ei:
            validator.validate(token)

        assert ei.value.code is None
        assert "Twilio says the Flex token is not valid." == str(ei.value)

    def test_errors_pickle(self):
        """
        Both errors round-trip through pickle with their attributes.
        """
        invalid = pickle.loads(pickle.dumps(InvalidFlexTokenError("m", 7)))
        gone = pickle.loads(
            pickle.dumps(FlexValidationUnavailableError("n", 503))
        )

        assert ("m", 7) == (invalid.message, invalid.code)
        assert ("n", 503) == (gone.message, gone.status)
        assert "n" == str(gone)


class TestRefusedBeforeSending:
    @pytest.mark.parametrize(
        ("token", "match"),
        [
            ("", "empty"),
            ("a.b.c", "three segments: it is a JWT"),
            ("a.b.c.d", "4 dot-separated segments; a Flex token"),
            ("a.b.c.d.e.f", "6 dot-separated segments"),
            ("abc", "1 dot-separated segments"),
            ("a.b.c.d.e f", "base64url"),
            ("a.b.c.d.e=", "base64url"),
            (" a.b.c.d.e", "base64url"),
        ],
        ids=[
            "empty",
            "jwt",
            "four",
            "six",
            "one",
            "space",
            "padding",
            "leading-space",
        ],
    )
    def test_refused_and_nothing_sent(
        self, twilio_flex, validator, token, match
    ):
        """
        A token that cannot be a Flex token is refused without a request.
        """
        with pytest.raises(InvalidFlexTokenError, match=match) as ei:
            validator.validate(token)

        assert ei.value.code is None
        assert [] == twilio_flex.requests

    def test_access_token_is_pointed_to_decode(self, validator):
        """
        A three-segment token is named an Access Token for decode().
        """
        with pytest.raises(InvalidFlexTokenError) as ei:
            validator.validate("eyJ.eyJ.sig")

        assert "Access Token" in str(ei.value)
        assert "twilio_tokens.decode()" in str(ei.value)

    def test_at_the_size_bound_it_is_sent(self, twilio_flex, validator):
        """
        A token of exactly MAX_TOKEN_LENGTH characters is sent.
        """
        token = five(MAX_TOKEN_LENGTH)
        assert MAX_TOKEN_LENGTH == len(token)

        with pytest.raises(InvalidFlexTokenError) as ei:
            validator.validate(token)

        assert 20101 == ei.value.code
        assert 1 == len(twilio_flex.requests)

    def test_one_past_the_size_bound_is_refused(self, twilio_flex, validator):
        """
        One character more is refused, and nothing is sent.
        """
        token = five(MAX_TOKEN_LENGTH + 1)

        with pytest.raises(InvalidFlexTokenError) as ei:
            validator.validate(token)

        assert (
            f"The Flex token has {MAX_TOKEN_LENGTH + 1} characters; at most "
            f"{MAX_TOKEN_LENGTH} are sent to Twilio."
        ) == str(ei.value)
        assert [] == twilio_flex.requests

    @pytest.mark.parametrize(
        "token", [None, b"a.b.c.d.e", 12345], ids=["none", "bytes", "int"]
    )
    def test_non_str_is_type_error(self, validator, token):
        """
        A token that is not a str is a TypeError naming the type.
        """
        with pytest.raises(TypeError, match="token must be a str, got"):
            validator.validate(token)


class TestUnavailable:
    def test_401_json_is_the_servers_own_credentials(self, twilio_flex):
        """
        A 401 without valid says Twilio refused this server's credentials.
        """
        token = twilio_flex.issue()
        with (
            validator_for(twilio_flex, auth_token="0" * 32) as v,
            pytest.raises(FlexValidationUnavailableError) as ei,
        ):
            v.validate(token)

        assert 401 == ei.value.status
        assert "refused this server's own credentials" in str(ei.value)
        assert "Twilio 20003: 'Authenticate'" in str(ei.value)
        assert not isinstance(ei.value, InvalidFlexTokenError)

    def test_403_json(self, twilio_flex, validator):
        """
        A 403 without valid is the same: the server's credentials.
        """
        token = twilio_flex.fail(403, {"code": 20403, "message": "Forbidden"})

        with pytest.raises(FlexValidationUnavailableError) as ei:
            validator.validate(token)

        assert 403 == ei.value.status
        assert "Twilio 20403: 'Forbidden'" in str(ei.value)

    @pytest.mark.parametrize(
        ("status", "body"),
        [(500, {"code": 20500}), (502, "<html>Bad Gateway</html>"), (503, "")],
        ids=["500-json", "502-html", "503-empty"],
    )
    def test_server_errors(self, twilio_flex, validator, status, body):
        """
        5xx answers, JSON or not, are unavailable, with their status.
        """
        token = twilio_flex.fail(status, body)

        with pytest.raises(FlexValidationUnavailableError) as ei:
            validator.validate(token)

        assert status == ei.value.status
        assert f"answered {status}, a server error" in str(ei.value)

    def test_429_is_rate_limited(self, twilio_flex, validator):
        """
        429 is unavailable, to retry later, even with a valid body.
        """
        token = twilio_flex.fail(429, {"valid": False, "code": 20429})

        with pytest.raises(FlexValidationUnavailableError) as ei:
            validator.validate(token)

        assert 429 == ei.value.status
        assert "429 Too Many Requests" in str(ei.value)

    @pytest.mark.parametrize(
        "body",
        [b"<html>ok</html>", b"[true]", b"\xff\xfe", b"{" * 40 + b"}" * 40],
        ids=["html", "array", "not-utf8", "too-deep"],
    )
    def test_200_that_is_not_a_json_object(self, twilio_flex, validator, body):
        """
        A 200 whose body is not a JSON object is unavailable.
        """
        token = twilio_flex.fail(200, body)

        with pytest.raises(FlexValidationUnavailableError) as ei:
            validator.validate(token)

        assert (
            f"answered 200 with a body that is not a JSON object "
            f"({len(body)} bytes)"
        ) in str(ei.value)

    def test_huge_answer_is_not_read_as_json(self, twilio_flex, validator):
        """
        An answer over 64 KiB is not parsed.
        """
        body = json.dumps({"valid": True, "pad": "x" * 65536})
        token = twilio_flex.fail(200, body)

        with pytest.raises(FlexValidationUnavailableError, match="not a JSON"):
            validator.validate(token)

    @pytest.mark.parametrize(
        ("status", "body"),
        [(200, {"code": 1}), (400, {"valid": "yes"}), (302, {"valid": True})],
        ids=["no-valid", "valid-str", "valid-on-redirect"],
    )
    def test_no_boolean_valid(self, twilio_flex, validator, status, body):
        """
        A JSON answer without a boolean valid (or on a 3xx) is unavailable.
        """
        token = twilio_flex.fail(status, body)

        with pytest.raises(FlexValidationUnavailableError) as ei:
            validator.validate(token)

        assert f"answered {status} without a boolean 'valid'" in str(ei.value)

    def test_slow_answer_past_the_timeout(self, twilio_flex):
        """
        An answer later than the timeout is unavailable, naming it.
        """
        token = twilio_flex.issue(delay=2)
        with validator_for(twilio_flex, timeout=0.2) as v:
            started = time.monotonic()
            with pytest.raises(FlexValidationUnavailableError) as ei:
                v.validate(token)
            took = time.monotonic() - started

        assert "within the timeout of 0.2 s (ReadTimeout)" in str(ei.value)
        assert ei.value.status is None
        assert took < 1.5

    def test_slow_answer_within_the_timeout(self, twilio_flex):
        """
        A slow answer inside the timeout is read.
        """
        token = twilio_flex.issue("slow", delay=0.3)
        with validator_for(twilio_flex, timeout=2) as v:
            assert "slow" == v.validate(token).identity

    def test_refused_connection(self):
        """
        Nothing listening on the port: could not connect.
        """
        port = free_port()
        with (
            FlexValidator(
                ACCOUNT, auth_token=SECRET, base_url=f"http://127.0.0.1:{port}"
            ) as v,
            pytest.raises(FlexValidationUnavailableError) as ei,
        ):
            v.validate(five())

        assert f"Could not connect to 127.0.0.1:{port} (ConnectError" in str(
            ei.value
        )

    def test_connection_closed_without_an_answer(self):
        """
        A server that hangs up mid-request is a failed request.
        """
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]

        def hang_up():
            # Read the whole request, so the close is a clean FIN (unread
            # data would make it a reset, which reads as another error).
            conn, _ = listener.accept()
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(
                next(
                    line.split(b":", 1)[1]
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
            )
            while len(body) < length:
                body += conn.recv(65536)
            conn.close()

        thread = threading.Thread(target=hang_up, daemon=True)
        thread.start()
        try:
            with (
                FlexValidator(
                    ACCOUNT,
                    auth_token=SECRET,
                    base_url=f"http://127.0.0.1:{port}",
                ) as v,
                pytest.raises(FlexValidationUnavailableError) as ei,
            ):
                v.validate(five())
        finally:
            thread.join()
            listener.close()

        assert "The request to 127.0.0.1:" in str(ei.value)
        assert "failed (RemoteProtocolError" in str(ei.value)

    def test_other_account_is_not_found(self, twilio_flex):
        """
        The fake answers 404 for another account's path: no valid.
        """
        with (
            FlexValidator(
                ACCOUNT,
                api_key_sid=twilio_flex.api_key_sid,
                api_key_secret=twilio_flex.api_key_secret,
                base_url=twilio_flex.base_url,
            ) as v,
            pytest.raises(FlexValidationUnavailableError) as ei,
        ):
            v.validate(twilio_flex.issue())

        assert 404 == ei.value.status
        assert "Twilio 20404" in str(ei.value)


class TestRequest:
    def test_exact_path_headers_and_body(self, twilio_flex, validator):
        """
        POST to /v1/Accounts/AC.../Tokens/validate, JSON {"token": ...}.
        """
        token = twilio_flex.issue()

        validator.validate(token)

        [request] = twilio_flex.requests
        assert "POST" == request.method
        assert (
            f"/v1/Accounts/{twilio_flex.account_sid}/Tokens/validate"
            == request.path
        )
        assert "application/json" == request.headers["content-type"]
        assert "no-cache" == request.headers["cache-control"]
        assert "application/json" == request.headers["accept"]
        assert json.dumps(
            {"token": token}, separators=(",", ":")
        ).encode() == (request.body)
        assert {"token": token} == request.json

    def test_basic_auth_with_the_auth_token(self, twilio_flex, validator):
        """
        With an Auth Token, Basic auth is AccountSid:AuthToken.
        """
        validator.validate(twilio_flex.issue())

        assert (
            twilio_flex.account_sid,
            twilio_flex.auth_token,
        ) == twilio_flex.requests[0].basic_auth

    def test_basic_auth_with_an_api_key(self, twilio_flex):
        """
        With an API key, Basic auth is SK:secret; the path names the AC.
        """
        with FlexValidator(
            twilio_flex.account_sid,
            api_key_sid=twilio_flex.api_key_sid,
            api_key_secret=twilio_flex.api_key_secret,
            base_url=twilio_flex.base_url,
        ) as v:
            assert "alice" == v.validate(twilio_flex.issue()).identity

        request = twilio_flex.requests[0]
        assert (
            twilio_flex.api_key_sid,
            twilio_flex.api_key_secret,
        ) == request.basic_auth
        assert twilio_flex.account_sid in request.path

    def test_url_and_timeout(self, twilio_flex):
        """
        The validator shows its URL and timeout.
        """
        v = validator_for(twilio_flex, timeout=3)

        assert (
            f"{twilio_flex.base_url}/v1/Accounts/{twilio_flex.account_sid}/Tokens/validate"
            == v.url
        )
        assert twilio_flex.url == v.url
        assert 3.0 == v.timeout
        assert float is type(v.timeout)


class TestRealm:
    @pytest.mark.parametrize(
        ("realm", "host"),
        [
            (None, "iam.twilio.com"),
            ("prod", "iam.twilio.com"),
            ("stage", "iam.stage.twilio.com"),
            ("dev", "iam.dev.twilio.com"),
            ("a" * 32, f"iam.{'a' * 32}.twilio.com"),
        ],
        ids=["none", "prod", "stage", "dev", "longest"],
    )
    def test_realm_host(self, realm, host):
        """
        Production is iam.twilio.com; a realm is iam.{realm}.twilio.com.
        """
        v = FlexValidator(ACCOUNT, auth_token=SECRET, realm=realm)

        assert f"https://{host}/v1/Accounts/{ACCOUNT}/Tokens/validate" == v.url

    @pytest.mark.parametrize("region", ["us1", "ie1", "au1"])
    def test_a_region_is_not_a_realm(self, region):
        """
        us1 and the other Regions are refused with the reason.
        """
        with pytest.raises(
            ValueError, match="is a Twilio Region, not a realm"
        ):
            FlexValidator(ACCOUNT, auth_token=SECRET, realm=region)

    @pytest.mark.parametrize(
        "realm",
        ["", "stage.evil.com", "a/b", "Stage", "a" * 33, "st ge", "1dev", "é"],
        ids=[
            "empty",
            "dots",
            "slash",
            "upper",
            "33",
            "space",
            "digit",
            "non-ascii",
        ],
    )
    def test_malformed_realm(self, realm):
        """
        A realm is a short lower-case word: nothing reaches the host name.
        """
        with pytest.raises(ValueError, match="realm must be a short lower"):
            FlexValidator(ACCOUNT, auth_token=SECRET, realm=realm)

    def test_non_str_realm(self):
        """
        A realm that is not a str is a TypeError.
        """
        with pytest.raises(TypeError, match="realm must be a str or None"):
            FlexValidator(ACCOUNT, auth_token=SECRET, realm=1)

    def test_realm_and_base_url_together(self):
        """
        realm and base_url both given is refused.
        """
        with pytest.raises(TypeError, match="Give realm or base_url"):
            FlexValidator(
                ACCOUNT,
                auth_token=SECRET,
                realm="stage",
                base_url="http://127.0.0.1:1",
            )


class TestBaseUrl:
    @pytest.mark.parametrize(
        ("base_url", "origin"),
        [
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
            ("https://proxy.example", "https://proxy.example"),
            ("http://[::1]:9", "http://[::1]:9"),
        ],
        ids=["port", "slash", "https", "ipv6"],
    )
    def test_base_url_replaces_scheme_and_host(self, base_url, origin):
        """
        base_url replaces scheme and host; the path stays Twilio's.
        """
        v = FlexValidator(ACCOUNT, auth_token=SECRET, base_url=base_url)

        assert f"{origin}/v1/Accounts/{ACCOUNT}/Tokens/validate" == v.url

    @pytest.mark.parametrize(
        "base_url",
        [
            "ftp://127.0.0.1",
            "http://",
            "127.0.0.1:8080",
            "http://127.0.0.1/v2",
            "http://127.0.0.1?x=1",
            "http://127.0.0.1#x",
            "http://user:pw@127.0.0.1",
            "http://127.0.0.1:99999",
            "http://[::1",
        ],
        ids=[
            "ftp",
            "no-host",
            "no-scheme",
            "path",
            "query",
            "fragment",
            "userinfo",
            "port",
            "bad-ipv6",
        ],
    )
    def test_malformed_base_url(self, base_url):
        """
        Anything but a scheme and a host is refused.
        """
        with pytest.raises(ValueError, match="base_url must be a scheme"):
            FlexValidator(ACCOUNT, auth_token=SECRET, base_url=base_url)

    def test_non_str_base_url(self):
        """
        A base_url that is not a str is a TypeError.
        """
        with pytest.raises(TypeError, match="base_url must be a str or None"):
            FlexValidator(ACCOUNT, auth_token=SECRET, base_url=b"http://x")


class TestCredentials:
    def test_no_credential(self):
        """
        Neither an Auth Token nor an API key is a TypeError.
        """
        with pytest.raises(TypeError, match="needs a credential"):
            FlexValidator(ACCOUNT)

    def test_both_kinds(self):
        """
        An Auth Token and an API key together are refused.
        """
        with pytest.raises(TypeError, match="not both"):
            FlexValidator(
                ACCOUNT,
                auth_token=SECRET,
                api_key_sid=KEY,
                api_key_secret=SECRET,
            )

    @pytest.mark.parametrize(
        "kwargs",
        [{"api_key_sid": KEY}, {"api_key_secret": SECRET}],
        ids=["sid-only", "secret-only"],
    )
    def test_half_an_api_key(self, kwargs):
        """
        An API key needs its SID and its secret.
        """
        with pytest.raises(
            TypeError, match=r"api_key_sid\s+and api_key_secret \(both\)"
        ):
            FlexValidator(ACCOUNT, **kwargs)

    @pytest.mark.parametrize(
        ("sid", "error", "shown"),
        [
            ("AC123", ValueError, "'AC123'"),
            (SECRET, ValueError, "'te'... (36 characters)"),
            (None, TypeError, "None"),
            (b"AC", TypeError, "bytes of 2 bytes"),
        ],
        ids=["short", "secret-in-slot", "none", "bytes"],
    )
    def test_account_sid_format(self, sid, error, shown):
        """
        A malformed Account SID is refused, a secret in its slot not shown.
        """
        with pytest.raises(error) as ei:
            FlexValidator(sid, auth_token=SECRET)

        assert (
            f"account_sid must be{' a str (' if error is TypeError else ' '}'AC' + 32 hex digits"
            in str(ei.value)
        )
        assert shown in str(ei.value)
        assert SECRET not in str(ei.value)

    def test_api_key_sid_format(self):
        """
        The API key SID must be SK + 32 hex digits.
        """
        with pytest.raises(ValueError, match="api_key_sid must be 'SK'"):
            FlexValidator(
                ACCOUNT, api_key_sid="AC" + "0" * 32, api_key_secret=SECRET
            )

    @pytest.mark.parametrize(
        ("kwargs", "error", "name"),
        [
            ({"auth_token": SECRET + "\n"}, ValueError, "auth_token"),
            ({"auth_token": ""}, ValueError, "auth_token"),
            ({"auth_token": 5}, TypeError, "auth_token"),
            (
                {"api_key_sid": KEY, "api_key_secret": " " + SECRET},
                ValueError,
                "api_key_secret",
            ),
            ({"auth_token": f'"{SECRET}"'}, ValueError, "auth_token"),
            (
                {"api_key_sid": KEY, "api_key_secret": SECRET + "'"},
                ValueError,
                "api_key_secret",
            ),
            ({"auth_token": SECRET + "\udcff"}, ValueError, "auth_token"),
        ],
        ids=[
            "newline",
            "empty",
            "int",
            "key-space",
            "quoted",
            "quote-at-end",
            "not-utf8",
        ],
    )
    def test_secrets_are_checked_and_never_shown(self, kwargs, error, name):
        """
        Secrets are checked like the package's others, never shown.
        """
        with pytest.raises(error) as ei:
            FlexValidator(ACCOUNT, **kwargs)

        assert str(ei.value).startswith(name)
        assert SECRET not in str(ei.value)

    @pytest.mark.parametrize(
        ("timeout", "error"),
        [
            (True, TypeError),
            ("5", TypeError),
            (None, TypeError),
            (0, ValueError),
            (-1, ValueError),
            (float("nan"), ValueError),
            (float("inf"), ValueError),
        ],
        ids=["bool", "str", "none", "zero", "negative", "nan", "inf"],
    )
    def test_timeout_is_positive_seconds(self, timeout, error):
        """
        The timeout is a positive, finite number of seconds.
        """
        with pytest.raises(error, match="timeout must be a"):
            FlexValidator(ACCOUNT, auth_token=SECRET, timeout=timeout)

    def test_fields_hold_no_plain_secret(self):
        """
        No attribute of the validator is the secret or holds it in clear.
        """
        v = FlexValidator(ACCOUNT, api_key_sid=KEY, api_key_secret=SECRET)

        shown = repr(vars(v)) + str(vars(v))
        assert SECRET not in shown
        assert (
            base64.b64encode(f"{KEY}:{SECRET}".encode()).decode() not in shown
        )

    def test_repr_shows_no_secret(self):
        """
        The repr names the account and the credential kind, not the secret.
        """
        auth = FlexValidator(ACCOUNT, auth_token=SECRET)
        key = FlexValidator(ACCOUNT, api_key_sid=KEY, api_key_secret=SECRET)

        assert (
            f"FlexValidator({ACCOUNT!r}, auth_token=..., "
            f"url='https://iam.twilio.com/v1/Accounts/{ACCOUNT}/Tokens/validate', "
            "timeout=5.0)"
        ) == repr(auth)
        assert f"api_key_sid={KEY!r}" in repr(key)
        assert SECRET not in repr(auth) + repr(key)


SECRETS = st.text(
    st.characters(
        codec="utf-8", exclude_categories=("Cs", "Zs", "Cc", "Zl", "Zp")
    ),
    min_size=32,
    max_size=64,
).filter(lambda s: s[0] not in "\"'" and s[-1] not in "\"'")  # refused
TOKEN_SEGMENT = st.text(
    st.sampled_from(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    ),
    min_size=8,
    max_size=40,
)
TOKENS = st.lists(TOKEN_SEGMENT, min_size=5, max_size=5).map(".".join)


class TestNothingLeaks:
    @settings(max_examples=25)
    @given(secret=SECRETS, token=TOKENS)
    def test_no_secret_or_token_in_any_error_or_repr(self, secret, token):
        """
        Whatever the secret and token, no error and no repr holds them.
        """
        with FakeFlexService(auth_token=secret, api_key_secret=secret) as iam:
            failing = [
                iam.reject(),
                iam.fail(500, "boom"),
                iam.fail(200, "not json"),
                iam.fail(401, {"code": 20003, "message": "Authenticate"}),
                iam.issue(expires_in=-1),
                token,  # never issued
            ]
            # Twilio echoing the token back is answered without it.
            iam._tokens[failing[0]] = _Answer(
                200,
                json.dumps(
                    {"valid": False, "code": 1, "message": f"bad {failing[0]}"}
                ).encode(),
                "application/json",
                0,
            )
            iam._tokens[failing[1]] = _Answer(
                401,
                json.dumps(
                    {"code": 2, "message": f"who? {failing[1]}"}
                ).encode(),
                "application/json",
                0,
            )
            shown = []
            for v in (
                validator_for(iam, auth_token=secret),
                validator_for(
                    iam,
                    auth_token=None,
                    api_key_sid=iam.api_key_sid,
                    api_key_secret=secret,
                ),
                validator_for(iam, auth_token="x" + secret),  # refused: 401
            ):
                with v:
                    shown.append(repr(v))
                    for t in failing:
                        with pytest.raises(TwilioTokenError) as ei:
                            v.validate(t)
                        shown += [str(ei.value), repr(ei.value)]
                        shown += [str(a) for a in ei.value.args]
                        assert ei.value.__cause__ is None
            shown.append(repr(iam))
        text = "\n".join(shown)

        assert secret not in text
        for t in failing:
            assert t not in text
        assert "<the token>" in text

    def test_refused_token_is_not_echoed(self):
        """
        Pre-request refusals say the length at most, never the token.
        """
        v = FlexValidator(ACCOUNT, auth_token=SECRET)
        token = "secretpart" * 2000

        with pytest.raises(InvalidFlexTokenError) as ei:
            v.validate(token)

        assert "secretpart" not in str(ei.value)


class TestAsync:
    @pytest.mark.anyio
    async def test_avalidate_valid_and_invalid(self, twilio_flex):
        """
        avalidate gives the same answers as validate.
        """
        async with validator_for(twilio_flex) as v:
            info = await v.avalidate(twilio_flex.issue("carol"))
            with pytest.raises(InvalidFlexTokenError) as invalid:
                await v.avalidate(twilio_flex.reject(20101, "nope"))
            with pytest.raises(FlexValidationUnavailableError) as gone:
                await v.avalidate(twilio_flex.fail(500))
            with pytest.raises(InvalidFlexTokenError, match="three segments"):
                await v.avalidate("a.b.c")

        assert "carol" == info.identity
        assert 20101 == invalid.value.code
        assert 500 == gone.value.status
        assert 3 == len(twilio_flex.requests)

    @pytest.mark.anyio
    async def test_async_timeout_and_refused_connection(self, twilio_flex):
        """
        A slow answer and a closed port are unavailable in async too.
        """
        async with validator_for(twilio_flex, timeout=0.2) as v:
            with pytest.raises(
                FlexValidationUnavailableError, match="timeout of 0.2 s"
            ):
                await v.avalidate(twilio_flex.issue(delay=2))
        port = free_port()
        async with FlexValidator(
            ACCOUNT, auth_token=SECRET, base_url=f"http://127.0.0.1:{port}"
        ) as v:
            with pytest.raises(
                FlexValidationUnavailableError, match="Could not connect"
            ):
                await v.avalidate(five())

    @pytest.mark.anyio
    async def test_100_concurrent_avalidate_on_one_validator(
        self, twilio_flex
    ):
        """
        100 concurrent tasks share one validator, each gets its own agent.
        """
        tokens = [twilio_flex.issue(f"agent{i}") for i in range(100)]
        results = {}
        async with validator_for(twilio_flex, timeout=10) as v:

            async def one(i):
                results[i] = (await v.avalidate(tokens[i])).identity

            async with anyio.create_task_group() as tg:
                for i in range(100):
                    tg.start_soon(one, i)

        assert {i: f"agent{i}" for i in range(100)} == results
        assert 100 == len(twilio_flex.requests)

    def test_one_validator_across_event_loops_and_threads(self, twilio_flex):
        """
        One validator serves several loops in turn and threads at once.
        """
        token = twilio_flex.issue("dave")
        v = validator_for(twilio_flex, timeout=10)

        async def use():
            try:
                return (await v.avalidate(token)).identity
            finally:
                await v.aclose()

        assert "dave" == anyio.run(use)
        assert "dave" == anyio.run(use)  # a new loop, a new client
        errors, seen = [], []

        def work():
            try:
                seen.extend(v.validate(token).identity for _ in range(5))
                seen.append(anyio.run(use))
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        v.close()

        assert [] == errors
        assert ["dave"] * 60 == seen

    def test_close_then_use_again(self, twilio_flex):
        """
        A closed validator opens a new pool; closing twice is harmless.
        """
        v = validator_for(twilio_flex)
        v.close()  # never used: nothing to close
        assert "alice" == v.validate(twilio_flex.issue()).identity
        v.close()
        v.close()
        assert "alice" == v.validate(twilio_flex.issue()).identity
        v.close()

        async def no_async_client():
            await v.aclose()

        anyio.run(no_async_client)


class TestFake:
    def test_fake_tokens_are_jwe_shaped(self, twilio_flex):
        """
        Issued tokens are five base64url segments, each one unique.
        """
        a, b = twilio_flex.issue(), twilio_flex.issue()
        header = json.loads(
            __import__("base64").urlsafe_b64decode(a.split(".")[0] + "==")
        )

        assert 5 == len(a.split("."))
        assert a != b
        assert {
            "alg": "dir",
            "enc": "A256GCM",
            "kid": "fake-flex-iam",
        } == header

    def test_decode_names_a_fake_token_a_flex_token(self, twilio_flex):
        """
        The fake's tokens look like Flex tokens to decode(), which says so.
        """
        with pytest.raises(twilio_tokens.MalformedTokenError) as ei:
            twilio_tokens.decode_unverified(twilio_flex.issue())

        assert "Twilio Flex token" in str(ei.value)
        assert "twilio_tokens.flex" in str(ei.value)

    def test_base_url_needs_a_started_fake(self):
        """
        A stopped fake has no URL, and says how to start it.
        """
        fake = FakeFlexService()

        with pytest.raises(RuntimeError, match="not started"):
            _ = fake.base_url
        assert f"FakeFlexService({fake.account_sid!r}, stopped)" == repr(fake)
        fake.stop()  # stopping a stopped fake is harmless

    def test_start_twice_keeps_one_server(self):
        """
        start() on a started fake keeps its port.
        """
        with FakeFlexService() as fake:
            url = fake.base_url
            assert url == fake.start().base_url
            assert (
                repr(fake) == f"FakeFlexService({fake.account_sid!r}, {url})"
            )

    def test_fake_answers_get_with_405_and_bad_bodies_with_400(
        self, twilio_flex
    ):
        """
        The fake refuses GET, and a body without a token string.
        """
        import httpx2

        auth = (twilio_flex.account_sid, twilio_flex.auth_token)
        with httpx2.Client() as client:
            got = client.get(twilio_flex.url)
            no_token = client.post(twilio_flex.url, auth=auth, content=b"[1]")
            no_length = client.post(twilio_flex.url, auth=auth)

        assert 405 == got.status_code
        assert 400 == no_token.status_code
        assert 20001 == no_token.json()["code"]
        assert 400 == no_length.status_code
        assert twilio_flex.requests[0].json == [1]
        assert twilio_flex.requests[1].json is None

    @pytest.mark.parametrize(
        "header",
        [
            "",
            "Bearer x",
            "Basic !!!",
            "Basic " + __import__("base64").b64encode(b"nocolon").decode(),
        ],
        ids=["none", "bearer", "not-base64", "no-colon"],
    )
    def test_basic_auth_of_odd_headers(self, header):
        """
        basic_auth is None unless the header is Basic user:password.
        """
        from twilio_tokens._fake_flex import FakeFlexRequest

        request = FakeFlexRequest(
            method="POST",
            path="/",
            headers={"authorization": header} if header else {},
            body=b"",
        )

        assert request.basic_auth is None

    def test_stop_drops_slow_answers(self):
        """
        Stopping the fake ends a slow answer's wait at once.
        """
        fake = FakeFlexService().start()
        token = fake.issue(delay=30)
        v = validator_for(fake, timeout=10)
        outcome = []

        def call():
            try:
                v.validate(token)
            except FlexValidationUnavailableError as e:
                outcome.append(e)

        thread = threading.Thread(target=call)
        thread.start()
        while not fake.requests:
            time.sleep(0.01)
        started = time.monotonic()
        fake.stop()
        thread.join()
        v.close()

        assert time.monotonic() - started < 5
        assert 1 == len(outcome)

    def test_fake_survives_a_malformed_request(self, twilio_flex, validator):
        """
        A request the fake cannot read is dropped; the next is answered.
        """
        host, port = twilio_flex.base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as raw:
            raw.sendall(b"POST / HTTP/1.1\r\nContent-Length: many\r\n\r\n")
            assert b"" == raw.recv(100)  # hung up, nothing said

        assert "alice" == validator.validate(twilio_flex.issue()).identity

    def test_pytest_fixture_gives_a_started_fake(self, twilio_flex):
        """
        The twilio_flex fixture is a started FakeFlexService.
        """
        assert isinstance(twilio_flex, FakeFlexService)
        assert twilio_flex.base_url.startswith("http://127.0.0.1:")


def run_python(code):
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


class TestImports:
    def test_without_the_extra_import_names_it(self):
        """
        Without httpx2, importing twilio_tokens.flex names the extra.
        """
        done = run_python(
            "import sys\n"
            "sys.modules['httpx2'] = None\n"
            "try:\n"
            "    import twilio_tokens.flex\n"
            "except ImportError as e:\n"
            "    print(e)\n"
            "    print(e.name)\n"
        )

        assert 0 == done.returncode, done.stderr
        assert (
            "twilio_tokens.flex needs its HTTP client: "
            "pip install 'twilio-tokens[flex]'\nhttpx2\n"
        ) == done.stdout

    def test_package_and_testing_never_import_the_client(self):
        """
        import twilio_tokens (and its testing helpers) loads no HTTP client.
        """
        done = run_python(
            "import sys, twilio_tokens, twilio_tokens.testing\n"
            "import twilio_tokens._pytest_plugin\n"
            "print(sorted(m for m in ('httpx2', 'httpcore2', 'anyio') "
            "if m in sys.modules))"
        )

        assert "[]\n" == done.stdout, done.stderr

    def test_flex_exports(self):
        """
        twilio_tokens.flex exports the validator, the info and both errors.
        """
        from twilio_tokens import flex

        assert (
            flex.InvalidFlexTokenError is twilio_tokens.InvalidFlexTokenError
        )
        assert (
            flex.FlexValidationUnavailableError
            is twilio_tokens.exceptions.FlexValidationUnavailableError
        )
        assert not issubclass(
            FlexValidationUnavailableError, InvalidFlexTokenError
        )
        for name in flex.__all__:
            assert hasattr(flex, name)
        assert FlexTokenInfo.__module__ == "twilio_tokens.flex"


class TestPartialEchoes:
    """
    Twilio's text is bounded and never carries a stretch of the token: not
    the whole of it, a segment, a prefix or its middle.
    """

    @pytest.mark.parametrize(
        "cut",
        [
            lambda t: t,
            lambda t: t[:40],
            lambda t: t.split(".")[1],
            lambda t: t[len(t) // 2 : len(t) // 2 + 18],
            lambda t: "x" + t[5:60] + "y",
        ],
        ids=["whole", "prefix", "segment", "middle-18", "embedded"],
    )
    def test_no_stretch_of_the_token_survives(self, cut):
        from twilio_tokens.flex import _text

        token = (
            "eyJ"
            + "A1b2C3d4E5" * 30
            + ".abcDEF123456789xyz.QQQQQQQQQQQQQQQQQQQQ.zzzzzzzzzzzzzzzzzzzz.ww"
        )
        said = _text(f"token {cut(token)} is bad", token)
        assert "<the token>" in said
        for i in range(len(token) - 18):
            assert token[i : i + 18] not in said

    def test_the_text_is_bounded(self):
        from twilio_tokens.flex import _text

        assert len(_text("word " * 50_000, "a.b.c.d.e")) <= 300
        assert _text("not the token", "a.b.c.d.e") == "not the token"
