"""
decode() and decode_unverified(): typed, verified, and safe on bad input.
"""

import base64
import json
import pickle

from datetime import datetime, timedelta, timezone

import jwt as pyjwt
import pytest

from hypothesis import example, given
from hypothesis import strategies as st
from twilio_tokens import (
    AccessToken,
    ChatGrant,
    CustomGrant,
    DecodedToken,
    ExpiredTokenError,
    InvalidGrantsError,
    InvalidHeaderError,
    InvalidIssuerError,
    InvalidSignatureError,
    InvalidTokenError,
    MalformedTokenError,
    NotYetValidError,
    TokenWarning,
    TwilioTokenError,
    VideoGrant,
    VoiceGrant,
    check,
    decode,
    decode_unverified,
)
from twilio_tokens._jws import MAX_TOKEN_LENGTH

from helpers import (
    ACCOUNT,
    APP,
    HEADER,
    KEY,
    NOW,
    OTHER_SECRET,
    SECRET,
    SERVICE,
    b64,
    signed,
)
from strategies import tokens


GOOD_CLAIMS = {
    "jti": "j",
    "iss": KEY,
    "sub": ACCOUNT,
    "iat": NOW,
    "exp": NOW + 3600,
    "grants": {"identity": "alice", "video": {}},
}


# Tokens without grants are built here for what they test, not for use;
# minting warns that they allow nothing (tests of that are in test_token).
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*no product grant:twilio_tokens.exceptions.TokenWarning"
)


def forge(claims=None, header=None, secret=SECRET, algorithm="HS256"):
    """A token assembled with PyJWT, for what the library refuses to mint."""
    h = dict(HEADER if header is None else header)
    h.pop("alg", None)
    return pyjwt.encode(
        GOOD_CLAIMS if claims is None else claims,
        secret,
        algorithm=algorithm,
        headers=h,
    )


def raw_token(header: bytes, payload: bytes, secret=SECRET) -> str:
    """Sign arbitrary header and payload bytes (valid HMAC, any JSON)."""
    return signed(header, payload, secret)


GOOD = forge()


class TestDecode:
    def test_decodes_into_a_typed_token(self):
        """
        Identity, SIDs, times and grants come back typed.
        """
        with pytest.warns(TokenWarning, match="beside chat grants"):
            jwt = AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                identity="alice",
                region="ie1",
                jti="abc",
                grants=[
                    VoiceGrant(incoming_allow=True),
                    ChatGrant(service_sid=SERVICE),
                ],
                nbf=NOW - 10,
            ).to_jwt(now=NOW)

        t = decode(jwt, SECRET, account_sid=ACCOUNT, api_key_sid=KEY, now=NOW)

        assert t.verified is True
        assert ("alice", ACCOUNT, KEY, "ie1", "abc") == (
            t.identity,
            t.account_sid,
            t.api_key_sid,
            t.region,
            t.jti,
        )
        assert datetime(2026, 1, 1, tzinfo=timezone.utc) == t.issued_at
        assert (
            datetime(2025, 12, 31, 23, 59, 50, tzinfo=timezone.utc)
            == t.not_before
        )
        assert datetime(2026, 1, 1, 1, tzinfo=timezone.utc) == t.expires_at
        assert (
            VoiceGrant(incoming_allow=True),
            ChatGrant(service_sid=SERVICE),
        ) == t.grants
        assert VoiceGrant(incoming_allow=True) == t.grant(VoiceGrant)
        assert ChatGrant(service_sid=SERVICE) == t.grant("chat")
        assert t.grant(VideoGrant) is None
        assert timedelta(minutes=59) == t.expires_in(now=NOW + 60)
        assert timedelta(seconds=-1) == t.expires_in(
            now=datetime(2026, 1, 1, 1, 0, 1, tzinfo=timezone.utc)
        )
        assert jwt == t.token

    def test_raw_parts_are_read_only(self):
        """
        header and claims are read-only views of the raw JSON.
        """
        t = decode(GOOD, SECRET, now=NOW)

        assert HEADER == t.header
        assert GOOD_CLAIMS == t.claims
        with pytest.raises(TypeError):
            t.claims["iss"] = "x"  # type: ignore[index]
        with pytest.raises(AttributeError):
            t.verified = False  # type: ignore[misc]

    def test_unknown_grants_come_back_as_custom(self):
        """
        An unknown key is a CustomGrant: nothing is lost.
        """
        claims = {
            **GOOD_CLAIMS,
            "grants": {"flex_insights": {"roles": ["a"]}, "video": {}},
        }

        t = decode(forge(claims), SECRET, now=NOW)

        assert (
            CustomGrant(key="flex_insights", claims={"roles": ["a"]}),
            VideoGrant(),
        ) == t.grants
        assert {"roles": ["a"]} == t.grant("flex_insights").to_claims()

    def test_official_helper_tokens_decode(self):
        """
        Variants from other helpers decode: nbf=now, null twr, allow false, "" fields.
        """
        claims = {
            "jti": f"{KEY}-{NOW}",
            "grants": {
                "identity": "a",
                "voice": {
                    "incoming": {"allow": False},
                    "push_credential_sid": "",
                },
            },
            "iss": KEY,
            "exp": NOW + 3600,
            "nbf": NOW,
            "sub": ACCOUNT,
        }
        t = decode(
            forge(claims, header={**HEADER, "twr": None}), SECRET, now=NOW
        )

        assert (VoiceGrant(),) == t.grants
        assert t.region is None
        assert t.issued_at is None

    def test_leeway_tolerates_small_skew(self):
        """
        leeway (int or timedelta) widens exp and nbf, and no further.
        """
        expired = AccessToken(ACCOUNT, KEY, SECRET, ttl=60).to_jwt(
            now=NOW - 70
        )

        assert decode(expired, SECRET, now=NOW, leeway=11).verified
        assert decode(
            expired, SECRET, now=NOW, leeway=timedelta(seconds=12)
        ).verified
        with pytest.raises(ExpiredTokenError):
            decode(expired, SECRET, now=NOW, leeway=10)  # exp == now - leeway

    def test_bytes_tokens_are_accepted(self):
        """
        A token may come as bytes, as from a raw HTTP body.
        """
        assert "alice" == decode(GOOD.encode(), SECRET, now=NOW).identity

    def test_surrounding_whitespace_is_ignored(self):
        """
        A trailing newline (from a file or a pipe) does not matter.
        """
        assert "alice" == decode(GOOD + "\n", SECRET, now=NOW).identity

    def test_decoded_token_pickles(self):
        """
        A DecodedToken survives pickling, e.g. in a cache.
        """
        t = decode(GOOD, SECRET, now=NOW)

        assert t == pickle.loads(pickle.dumps(t))

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"api_key_secret": ""}, ValueError, "must not be empty"),
            (
                {"api_key_secret": None},
                TypeError,
                "must be a str, got NoneType",
            ),
            ({"leeway": -1}, ValueError, "leeway must not be negative"),
            ({"leeway": 1.5}, TypeError, "leeway must be int seconds"),
            (
                {"account_sid": 5},
                TypeError,
                "account_sid must be a str or None, got int",
            ),
            ({"now": "now"}, TypeError, "now must be int epoch seconds"),
        ],
        ids=[
            "secret-empty",
            "secret-none",
            "leeway-negative",
            "leeway-float",
            "account-int",
            "now-str",
        ],
    )
    def test_bad_arguments_are_builtin_errors(self, kwargs, error, match):
        """
        Bad arguments are ValueError/TypeError, not token errors.
        """
        kwargs = {"api_key_secret": SECRET, **kwargs}

        with pytest.raises(error, match=match):
            decode(GOOD, **kwargs)

    def test_token_of_wrong_type_is_a_type_error(self):
        """
        A token that is not str or bytes is a bad argument.
        """
        with pytest.raises(TypeError, match="token must be a str, got int"):
            decode(42, SECRET)  # type: ignore[arg-type]


def tamper_payload(token: str, change) -> str:
    h, p, s = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(p + "=="))
    change(claims)
    return f"{h}.{b64(json.dumps(claims).encode())}.{s}"


HOSTILE = [
    (
        "empty",
        "",
        MalformedTokenError,
        20101,
        "three '.'-separated segments; this has 1",
    ),
    ("two-segments", "a.b", MalformedTokenError, 20101, "this has 2"),
    ("four-segments", GOOD + ".x", MalformedTokenError, 20101, "this has 4"),
    (
        "bad-base64",
        "!!!." + GOOD.split(".", 1)[1],
        MalformedTokenError,
        20101,
        "header is not base64url",
    ),
    (
        "base64-length",
        "aaaaa." + GOOD.split(".", 1)[1],
        MalformedTokenError,
        20101,
        "not base64url",
    ),
    (
        "padding",
        GOOD.replace(".", "=.", 1),
        MalformedTokenError,
        20101,
        "not base64url",
    ),
    (
        "non-canonical",
        GOOD[:-1] + chr(ord(GOOD[-1]) ^ 1)
        if GOOD[-1] in "AEIMQUYcgkosw048"
        else GOOD[:-1] + "B",
        MalformedTokenError,
        20101,
        None,
    ),
    ("non-ascii", "é" + GOOD, MalformedTokenError, 20101, "non-ASCII"),
    (
        "not-json",
        raw_token(b"{not json", b"{}"),
        MalformedTokenError,
        20101,
        "header is not JSON",
    ),
    (
        "json-array",
        raw_token(json.dumps(HEADER).encode(), b"[1, 2]"),
        MalformedTokenError,
        20101,
        "payload is JSON but not an object",
    ),
    (
        "json-nan",
        raw_token(json.dumps(HEADER).encode(), b'{"exp": NaN}'),
        MalformedTokenError,
        20101,
        "NaN is not JSON",
    ),
    (
        "json-deep",
        raw_token(
            json.dumps(HEADER).encode(),
            b'{"a":' + b"[" * 5000 + b"]" * 5000 + b"}",
        ),
        MalformedTokenError,
        20101,
        None,
    ),
    (
        "utf8",
        raw_token(json.dumps(HEADER).encode(), b'{"a": "\xff"}'),
        MalformedTokenError,
        20101,
        "not JSON",
    ),
    (
        "huge",
        "a" * (MAX_TOKEN_LENGTH + 1),
        MalformedTokenError,
        20101,
        "refused unread",
    ),
    (
        "iat-float",
        forge({**GOOD_CLAIMS, "iat": NOW + 0.5}),
        MalformedTokenError,
        20101,
        "iat is 1767225600.5",
    ),
    (
        "alg-none",
        forge(algorithm="none", secret=None),
        InvalidHeaderError,
        20102,
        "alg is 'none'",
    ),
    (
        "alg-hs384",
        forge(algorithm="HS384", secret=SECRET * 2),
        InvalidHeaderError,
        20102,
        "alg is 'HS384'",
    ),
    (
        "alg-hs512",
        forge(algorithm="HS512", secret=SECRET * 2),
        InvalidHeaderError,
        20102,
        "alg is 'HS512'",
    ),
    (
        "alg-rs256",
        raw_token(
            json.dumps({**HEADER, "alg": "RS256"}).encode(),
            json.dumps(GOOD_CLAIMS).encode(),
        ),
        InvalidHeaderError,
        20102,
        "alg is 'RS256'",
    ),
    (
        "cty-missing",
        forge(header={"typ": "JWT"}),
        InvalidHeaderError,
        20102,
        "cty is None",
    ),
    (
        "typ-wrong",
        raw_token(
            json.dumps({**HEADER, "typ": "at+jwt"}).encode(),
            json.dumps(GOOD_CLAIMS).encode(),
        ),
        InvalidHeaderError,
        20102,
        r"typ is 'at\+jwt'",
    ),
    (
        "tampered-header",
        b64(
            json.dumps(
                {**HEADER, "twr": "ie1"}, separators=(",", ":")
            ).encode()
        )
        + GOOD[GOOD.index(".") :],
        InvalidSignatureError,
        20107,
        "does not match",
    ),
    (
        "tampered-payload",
        tamper_payload(GOOD, lambda c: c["grants"].update(identity="mallory")),
        InvalidSignatureError,
        20107,
        None,
    ),
    (
        "tampered-signature",
        GOOD.rsplit(".", 1)[0] + "." + b64(b"\x00" * 32),
        InvalidSignatureError,
        20107,
        None,
    ),
    (
        "other-secret",
        forge(secret=OTHER_SECRET),
        InvalidSignatureError,
        20107,
        None,
    ),
    (
        "iss-missing",
        forge({k: v for k, v in GOOD_CLAIMS.items() if k != "iss"}),
        InvalidIssuerError,
        20103,
        "iss is missing",
    ),
    (
        "iss-account",
        forge({**GOOD_CLAIMS, "iss": ACCOUNT}),
        InvalidIssuerError,
        20103,
        "not the Auth Token",
    ),
    (
        "sub-bad",
        forge({**GOOD_CLAIMS, "sub": "AC123"}),
        InvalidIssuerError,
        20103,
        "sub is 'AC123'",
    ),
    (
        "exp-missing",
        forge({k: v for k, v in GOOD_CLAIMS.items() if k != "exp"}),
        ExpiredTokenError,
        20104,
        "exp is missing",
    ),
    (
        "exp-str",
        raw_token(
            json.dumps(HEADER).encode(),
            json.dumps({**GOOD_CLAIMS, "exp": "soon"}).encode(),
        ),
        ExpiredTokenError,
        20104,
        "exp is 'soon'",
    ),
    (
        "exp-past",
        forge({**GOOD_CLAIMS, "exp": NOW}),
        ExpiredTokenError,
        20104,
        "expired 0 s ago",
    ),
    (
        "nbf-future",
        forge({**GOOD_CLAIMS, "nbf": NOW + 5}),
        NotYetValidError,
        20105,
        "nbf is 5 s after now",
    ),
    (
        "nbf-str",
        raw_token(
            json.dumps(HEADER).encode(),
            json.dumps({**GOOD_CLAIMS, "nbf": "x"}).encode(),
        ),
        NotYetValidError,
        20105,
        "nbf is 'x'",
    ),
    (
        "grants-missing",
        forge({k: v for k, v in GOOD_CLAIMS.items() if k != "grants"}),
        InvalidGrantsError,
        20106,
        "grants is missing",
    ),
    (
        "grants-list",
        forge({**GOOD_CLAIMS, "grants": ["voice"]}),
        InvalidGrantsError,
        20106,
        "not an object",
    ),
    (
        "grant-str",
        forge({**GOOD_CLAIMS, "grants": {"voice": "yes", "identity": "a"}}),
        InvalidGrantsError,
        20106,
        "grants.voice must be a JSON object",
    ),
    (
        "grant-field-type",
        forge(
            {
                **GOOD_CLAIMS,
                "grants": {"chat": {"service_sid": 7}, "identity": "a"},
            }
        ),
        InvalidGrantsError,
        20106,
        "ChatGrant.service_sid must be",
    ),
    (
        "grant-bad-sid",
        forge(
            {
                **GOOD_CLAIMS,
                "grants": {
                    "voice": {"outgoing": {"application_sid": "AP123"}},
                    "identity": "a",
                },
            }
        ),
        InvalidGrantsError,
        20106,
        "'AP123'",
    ),
    (
        "identity-int",
        forge({**GOOD_CLAIMS, "grants": {"identity": 42, "video": {}}}),
        InvalidGrantsError,
        20106,
        "identity is 42, not a string",
    ),
]


class TestHostileInput:
    @pytest.mark.parametrize(
        ("token", "error", "code", "match"),
        [h[1:] for h in HOSTILE],
        ids=[h[0] for h in HOSTILE],
    )
    def test_each_kind_is_refused_with_its_code(
        self, token, error, code, match
    ):
        """
        Each kind of hostile input raises its own subclass and Twilio code.
        """
        with pytest.raises(error, match=match) as ei:
            decode(token, SECRET, now=NOW)

        assert code == ei.value.code
        assert isinstance(ei.value, InvalidTokenError)
        assert isinstance(ei.value, TwilioTokenError)

    def test_expected_account_and_key_are_enforced(self):
        """
        account_sid/api_key_sid given: another account or key is 20103.
        """
        with pytest.raises(InvalidIssuerError, match="expected account") as ei:
            decode(GOOD, SECRET, now=NOW, account_sid="AC" + "9" * 32)
        assert "sub" == ei.value.field
        with pytest.raises(InvalidIssuerError, match="expected API key"):
            decode(GOOD, SECRET, now=NOW, api_key_sid="SK" + "9" * 32)

    def test_header_is_checked_before_the_signature(self):
        """
        Twilio's order: a bad header is 20102 even with a bad signature.
        """
        with pytest.raises(InvalidHeaderError):
            decode(
                forge(algorithm="HS384", secret=OTHER_SECRET * 2),
                SECRET,
                now=NOW,
            )

    def test_signature_is_checked_before_the_claims(self):
        """
        A forged token with bad claims is 20107, not a claims error.
        """
        with pytest.raises(InvalidSignatureError):
            decode(
                forge({**GOOD_CLAIMS, "exp": 0}, secret=OTHER_SECRET),
                SECRET,
                now=NOW,
            )

    def test_pyjwt_cause_is_not_needed_to_read_the_error(self):
        """
        Errors chain the underlying cause and pickle with their data.
        """
        with pytest.raises(MalformedTokenError) as ei:
            decode(raw_token(b"{not json", b"{}"), SECRET)
        e = ei.value

        assert isinstance(e.__cause__, ValueError)
        again = pickle.loads(pickle.dumps(e))
        assert (str(e), e.field, e.code) == (
            str(again),
            again.field,
            again.code,
        )


class TestDecodeUnverified:
    def test_reads_without_verifying(self):
        """
        decode_unverified reads a token signed with anything, expired or not.
        """
        t = decode_unverified(
            forge({**GOOD_CLAIMS, "exp": 0}, secret=OTHER_SECRET)
        )

        assert t.verified is False
        assert "alice" == t.identity
        assert datetime(1970, 1, 1, tzinfo=timezone.utc) == t.expires_at

    def test_refuses_only_what_is_not_a_jwt(self):
        """
        Only 20101 is refused; odd claims are simply read.
        """
        odd = raw_token(
            json.dumps({"alg": "none"}).encode(),
            json.dumps(
                {
                    "grants": {"voice": 1, "video": {}, "identity": 5},
                    "exp": "x",
                }
            ).encode(),
        )
        t = decode_unverified(odd)

        assert (VideoGrant(),) == t.grants
        assert t.identity is None
        assert t.account_sid is None
        assert t.expires_at is None
        with pytest.raises(ExpiredTokenError, match="exp is 'x'"):
            t.expires_in()
        with pytest.raises(MalformedTokenError):
            decode_unverified("nope")

    def test_absurd_times_read_as_none(self):
        """
        A timestamp no datetime can hold is None, not an exception.
        """
        t = decode_unverified(
            raw_token(
                b"{}",
                b'{"exp": 100000000000000000000, "iat": -100000000000000000000}',
            )
        )

        assert (None, None) == (t.expires_at, t.issued_at)

    def test_expires_in_beyond_any_date_is_clamped(self):
        """
        An exp no timedelta can hold gives timedelta.max, not OverflowError.
        """
        t = decode(forge({**GOOD_CLAIMS, "exp": 10**15}), SECRET, now=NOW)

        assert timedelta.max == t.expires_in(now=NOW)
        assert timedelta.min == decode_unverified(
            forge({**GOOD_CLAIMS, "exp": -(10**15)})
        ).expires_in(now=NOW)

    def test_check_judges_a_decoded_token_by_its_jwt(self):
        """
        A DecodedToken whose JWT was swapped is judged by that JWT, never raising.
        """
        import attrs

        t = decode(GOOD, SECRET, now=NOW)

        assert [20101] == [
            p.code for p in check(attrs.evolve(t, token="garbage"), now=NOW)
        ]

    def test_grants_of_a_non_object_are_empty(self):
        """
        grants that is not an object gives no grants and no identity.
        """
        t = decode_unverified(raw_token(b"{}", b'{"grants": 3}'))

        assert () == t.grants
        assert t.identity is None


@pytest.mark.filterwarnings("ignore::twilio_tokens.exceptions.TokenWarning")
@given(tokens())
def test_round_trip_gives_back_what_was_minted(token):
    """
    decode(t.to_jwt()) gives back t's grants, identity, SIDs and region.
    """
    d = decode(
        token.to_jwt(now=NOW),
        SECRET,
        account_sid=ACCOUNT,
        api_key_sid=KEY,
        now=NOW,
    )

    assert token.grants == d.grants
    assert (
        token.identity,
        token.account_sid,
        token.api_key_sid,
        token.region,
    ) == (d.identity, d.account_sid, d.api_key_sid, d.region)
    assert NOW + token.ttl == d.claims["exp"]
    if token.jti is not None:
        assert token.jti == d.jti


@given(st.text(max_size=300))
@example("..")
@example("e30.e30.")
@example("e30.e30.e30")
def test_arbitrary_text_only_raises_invalid_token_error(text):
    """
    Any string either decodes or raises InvalidTokenError, nothing else.
    """
    for call in (
        lambda: decode(text, SECRET, now=NOW),
        lambda: decode_unverified(text),
    ):
        try:
            assert isinstance(call(), DecodedToken)
        except InvalidTokenError:
            pass


VALID = AccessToken(
    ACCOUNT,
    KEY,
    SECRET,
    identity="alice",
    grants=[
        VoiceGrant(
            incoming_allow=True,
            outgoing_application_sid=APP,
            outgoing_application_params={"a": [1, {"b": None}]},
        ),
        VideoGrant(room="r"),
    ],
    region="us1",
).to_jwt(now=NOW)


@given(st.data())
def test_mutated_tokens_only_raise_invalid_token_error(data):
    """
    Byte-flipped, cut or spliced valid tokens never escape as other errors.
    """
    raw = bytearray(VALID.encode())
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw) - 1))
        op = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if op == "flip":
            raw[i] ^= data.draw(st.integers(1, 255))
        elif op == "cut":
            del raw[i]
        else:
            raw.insert(i, data.draw(st.integers(0, 255)))
    text = raw.decode("latin-1")
    for call in (
        lambda: decode(text, SECRET, now=NOW),
        lambda: decode_unverified(text),
        lambda: decode(bytes(raw), SECRET, now=NOW),
    ):
        try:
            call()
        except InvalidTokenError:
            pass


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda i: (
            st.lists(i, max_size=3)
            | st.dictionaries(st.text(max_size=6), i, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_any_json_claims_only_raise_invalid_token_error(grants):
    """
    Validly signed tokens with arbitrary JSON grants raise only InvalidTokenError.
    """
    token = raw_token(
        json.dumps(HEADER).encode(),
        json.dumps({**GOOD_CLAIMS, "grants": grants}).encode(),
    )
    try:
        d = decode(token, SECRET, now=NOW)
    except InvalidTokenError:
        return
    assert isinstance(d.grants, tuple)


@pytest.mark.parametrize(
    ("changes", "lifetime"),
    [
        ({}, 3600),
        ({"iat": ...}, None),
        ({"iat": ..., "nbf": NOW - 60}, 3660),
        ({"exp": "soon"}, None),
        ({"iat": "now", "nbf": NOW}, 3600),
    ],
    ids=["iat", "neither", "nbf", "exp-not-int", "iat-not-int"],
)
def test_lifetime_is_exp_minus_iat_else_nbf(changes, lifetime):
    claims = {
        "jti": "j",
        "iss": KEY,
        "sub": ACCOUNT,
        "iat": NOW,
        "exp": NOW + 3600,
        "grants": {"identity": "a", "video": {}},
    }
    claims = {k: v for k, v in {**claims, **changes}.items() if v is not ...}
    assert decode_unverified(forge(claims)).lifetime == lifetime
