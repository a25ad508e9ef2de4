"""
The guarantees of SECURITY.md, each one a test.
"""

import hmac
import io
import json
import logging

import pytest

from twilio_tokens import (
    AccessToken,
    InvalidHeaderError,
    InvalidSignatureError,
    MalformedTokenError,
    VideoGrant,
    VoiceGrant,
    check,
    compat,
    decode,
    decode_unverified,
)
from twilio_tokens._cli import main
from twilio_tokens._jws import MAX_TOKEN_LENGTH, signing_key
from twilio_tokens.testing import Credentials

from helpers import ACCOUNT, KEY, NOW, SECRET, b64, mac


LEAKY = "leak-canary-0123456789-abcdefghij-KLMNOP"  # 40 bytes


# Tokens without grants are built here for what they test, not for use;
# minting warns that they allow nothing (tests of that are in test_token).
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*no product grant:twilio_tokens.exceptions.TokenWarning"
)


class TestSecretHygiene:
    def test_secret_absent_from_everything_we_print_raise_or_log(
        self, caplog, monkeypatch
    ):
        """
        repr, str, errors, check() messages, CLI output and logs never hold the secret.
        """
        caplog.set_level(logging.DEBUG)
        seen: list[str] = []
        token = AccessToken(
            ACCOUNT,
            KEY,
            LEAKY,
            identity="alice",
            grants=[VoiceGrant(incoming_allow=True)],
        )
        jwt = token.to_jwt(now=NOW)
        seen += [
            repr(token),
            str(token),
            repr(signing_key(LEAKY)),
            repr(Credentials(ACCOUNT, KEY, LEAKY)),
        ]
        seen += [repr(decode(jwt, LEAKY, now=NOW))]
        seen += [
            str(p) for p in check(jwt, api_key_secret=LEAKY, now=NOW + 10**6)
        ]
        for attempt in (
            lambda: AccessToken(ACCOUNT, KEY, LEAKY, ttl=0),
            lambda: AccessToken(
                ACCOUNT,
                KEY,
                LEAKY,
                identity="a b",
                grants=[VoiceGrant(incoming_allow=True)],
            ),
            lambda: AccessToken(
                ACCOUNT, KEY, LEAKY, valid_until=NOW - 5
            ).to_jwt(now=NOW),
            lambda: AccessToken(ACCOUNT, KEY, LEAKY.encode()),
            lambda: decode(jwt, LEAKY + "x", now=NOW),
            lambda: decode(jwt, LEAKY, now=NOW + 10**6),
            lambda: decode("x" + jwt, LEAKY),
        ):
            with pytest.raises(Exception) as ei:
                attempt()
            seen += [str(ei.value), repr(ei.value)]
        monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
        monkeypatch.setenv("TWILIO_API_KEY", KEY)
        monkeypatch.setenv("TWILIO_API_SECRET", LEAKY)
        for argv in (
            ["mint", "--identity", "alice", "--video", "--json"],
            ["mint", "--identity", "a b", "--voice-incoming"],
            ["decode", jwt],
            ["decode", "--json", jwt],
            ["check", jwt],
            ["check", "--json", "garbage"],
        ):
            out, err = io.StringIO(), io.StringIO()
            main(argv, stdin=io.StringIO(), stdout=out, stderr=err)
            seen += [out.getvalue(), err.getvalue()]
        seen += [r.getMessage() for r in caplog.records]
        compat_token = compat.AccessToken(ACCOUNT, KEY, LEAKY)
        seen += [repr(compat_token), str(compat_token)]

        assert len(seen) >= 30
        assert [] == [
            text
            for text in seen
            if LEAKY in text or b64(LEAKY.encode()) in text
        ]

    def test_no_flag_takes_a_secret(self):
        """
        The CLI has no option for a secret: it would show in ps.
        """
        from twilio_tokens._cli import _parser

        options = [
            opt
            for action in _parser()
            ._subparsers._group_actions[0]
            .choices.values()
            for a in action._actions
            for opt in a.option_strings
        ]
        assert options
        assert [] == [
            o
            for o in options
            if "secret" in o or "token" in o.replace("--", "")
        ]


def test_prepared_keys_are_never_shared_between_unequal_secrets():
    """
    A str subclass that calls two secrets equal never gets the other's key.
    """

    class Folded(str):
        __slots__ = ()

        def __eq__(self, other):
            return (
                isinstance(other, str) and self.casefold() == other.casefold()
            )

        __hash__ = str.__hash__

    upper = SECRET.upper()
    jwt = AccessToken(ACCOUNT, KEY, SECRET).to_jwt(now=NOW)
    decode(jwt, SECRET, now=NOW)  # caches the prepared key of SECRET

    with pytest.raises(InvalidSignatureError):
        decode(jwt, Folded(upper), now=NOW)
    assert decode(jwt, Folded(SECRET), now=NOW).verified


def test_signature_comparison_is_constant_time(monkeypatch):
    """
    Verification compares digests with hmac.compare_digest.
    """
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    jwt = AccessToken(ACCOUNT, KEY, SECRET).to_jwt(now=NOW)
    decode(jwt, SECRET, now=NOW)
    with pytest.raises(InvalidSignatureError):
        decode(jwt, SECRET + "x", now=NOW)

    assert [(32, 32), (32, 32)] == calls


def test_alg_never_selects_the_algorithm():
    """
    A token whose header claims HS256 but is signed with HS512 does not verify.
    """
    header = b64(
        json.dumps(
            {"alg": "HS256", "cty": "twilio-fpa;v=1", "typ": "JWT"}
        ).encode()
    )
    payload = b64(
        json.dumps(
            {"iss": KEY, "sub": ACCOUNT, "exp": NOW + 60, "grants": {}}
        ).encode()
    )
    sig = mac(f"{header}.{payload}", SECRET, "sha512")

    with pytest.raises(InvalidSignatureError):
        decode(f"{header}.{payload}.{sig}", SECRET, now=NOW)
    none = b64(
        json.dumps(
            {"alg": "none", "cty": "twilio-fpa;v=1", "typ": "JWT"}
        ).encode()
    )
    with pytest.raises(InvalidHeaderError):
        decode(f"{none}.{payload}.", SECRET, now=NOW)


def test_oversized_tokens_are_refused_unread(monkeypatch):
    """
    Over 16 KiB, nothing is base64-decoded or parsed.
    """
    import twilio_tokens._jws as signing

    def explode(*args, **kwargs):
        msg = "parsed an oversized token"
        raise AssertionError(msg)

    monkeypatch.setattr(signing, "_segment", explode)
    huge = "e30." * (MAX_TOKEN_LENGTH // 4 + 1)

    with pytest.raises(MalformedTokenError, match="refused unread"):
        decode(huge, SECRET)
    with pytest.raises(MalformedTokenError, match="refused unread"):
        decode_unverified(huge.encode())
    assert [20101] == [p.code for p in check(huge)]


def test_decode_unverified_trusts_nothing():
    """
    A forged, expired token reads fine and says it was not verified.
    """
    forged = AccessToken(
        ACCOUNT,
        KEY,
        "attacker-secret-" * 3,
        identity="admin",
        grants=[VideoGrant()],
    ).to_jwt(now=0)
    t = decode_unverified(forged)

    assert t.verified is False
    with pytest.raises(InvalidSignatureError):
        decode(forged, SECRET, now=0)
