"""
The bounds on hostile input: nothing but InvalidTokenError escapes
decode(), nothing escapes check() or repr(), and no secret is echoed.

Tokens are built by hand (base64url JSON texts, HMAC-SHA256) so that what
the builder never writes can be: deep nesting, huge or overflowing
numbers, crit, duplicate keys, odd twr values.
"""

import collections.abc
import json
import os
import pathlib
import subprocess
import sys
import warnings

import pytest

from hypothesis import example, given, settings
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
    InvalidTokenError,
    IpMessagingGrant,
    MalformedTokenError,
    NotYetValidError,
    PlaybackGrant,
    Problem,
    SyncGrant,
    TaskRouterGrant,
    TokenRefusedError,
    VideoGrant,
    VoiceGrant,
    check,
    compat,
    decode,
    decode_unverified,
)
from twilio_tokens._json import MAX_DEPTH, MAX_INT_DIGITS

from helpers import ACCOUNT, APP, KEY, NOW, OTHER_SECRET, SECRET, signed
from strategies import (
    custom_grant_claims,
    document,
    hostile_documents,
    json_object,
    nest,
    secret_like,
    unknown_grant_keys,
)


EXE = str(pathlib.Path(sys.executable).parent / "twilio-tokens")
HOSTILE = settings(max_examples=150)


def jwt(header: str, payload: str, secret: str = SECRET) -> str:
    """A compact JWS of two JSON texts, HS256-signed with *secret*."""
    return signed(header, payload, secret)


def token_with(position, value, header_extras=()):
    """A signed Video token with the JSON text *value* at *position*."""
    return jwt(*document(position, value, header_extras))


def decoded(token):
    return decode(token, SECRET, now=NOW)


def errors(problems):
    return [(p.code, p.field) for p in problems if p.severity == "error"]


def cli(*argv):
    """Run the console script with no TWILIO_* credentials set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO")}
    done = subprocess.run(
        [EXE, *argv], capture_output=True, text=True, env=env, check=False
    )
    return done.returncode, done.stdout, done.stderr


def outcome(read, token):
    """What *read* returns, or the InvalidTokenError it raises."""
    try:
        return read(token)
    except InvalidTokenError as e:
        return e


def assert_survives(token):
    """
    The promise: decode() and decode_unverified() raise InvalidTokenError
    or nothing; check() never raises; repr() of what they return works.
    """
    for read in (decoded, decode_unverified):
        result = outcome(read, token)
        if isinstance(result, InvalidTokenError):
            assert isinstance(result.code, int)
            assert str(result)
        else:
            assert isinstance(result, DecodedToken)
            repr(result)
            for attribute in (
                "identity",
                "account_sid",
                "api_key_sid",
                "region",
                "jti",
                "issued_at",
                "not_before",
                "expires_at",
            ):
                getattr(result, attribute)
            try:
                result.expires_in(NOW)
            except InvalidTokenError:
                pass
            repr(check(result, now=NOW))
    for secret in (None, SECRET, OTHER_SECRET):
        problems = check(token, api_key_secret=secret, now=NOW)
        assert isinstance(problems, tuple)
        assert all(isinstance(p, Problem) for p in problems)
        repr(problems)


# ------------------------------------------------------------ nesting

# What each position gives with a value nested so that the token is exactly
# MAX_DEPTH deep (None: decode() accepts it), and one level deeper.
AT_THE_BOUND = [
    # position, levels above the value, code at MAX_DEPTH, code past it
    ("header.x", 1, None, 20101),
    ("header.typ", 1, 20102, 20101),
    ("exp", 1, 20104, 20101),
    ("nbf", 1, 20105, 20101),
    ("iat", 1, 20101, 20101),
    ("iss", 1, 20103, 20101),
    ("x", 1, None, 20101),
    ("grants", 1, None, 20106),
    ("grants.video", 2, None, 20106),
    ("grants.flex_insights", 2, None, 20106),
    ("grants.identity", 2, 20106, 20106),
]


@pytest.mark.parametrize(
    ("position", "above", "at_bound", "past_bound"), AT_THE_BOUND
)
@pytest.mark.parametrize("kinds", ["{", "{["])
def test_nesting_is_bounded_at_max_depth_in_every_position(
    position, above, at_bound, past_bound, kinds
):
    """
    A token nested exactly MAX_DEPTH deep is parsed; one level deeper is refused: 20106 under grants, else 20101.
    """
    assert MAX_DEPTH == 32
    at = token_with(position, nest(MAX_DEPTH - above, kinds=kinds))
    past = token_with(position, nest(MAX_DEPTH - above + 1, kinds=kinds))

    decode_unverified(at)  # parsed
    if at_bound is None:
        repr(decoded(at))
    else:
        with pytest.raises(InvalidTokenError) as e:
            decoded(at)
        assert e.value.code == at_bound

    error = InvalidGrantsError if past_bound == 20106 else MalformedTokenError
    for read in (decoded, decode_unverified):
        with pytest.raises(error, match=f"nest more than {MAX_DEPTH} deep"):
            read(past)
    for secret in (None, SECRET):
        problems = check(past, api_key_secret=secret, now=NOW)
        assert errors(problems) == [
            (past_bound, "grants" if past_bound == 20106 else "token")
        ]


def test_custom_grant_at_the_depth_bound_round_trips():
    """
    A CustomGrant whose claims bring the token to exactly MAX_DEPTH comes back from decode() equal.
    """
    claims = json.loads(nest(MAX_DEPTH - 2, kinds="{["))
    grant = CustomGrant(key="flex_insights", claims=claims)
    token = AccessToken(
        ACCOUNT, KEY, SECRET, identity="alice", grants=[VideoGrant(), grant]
    ).to_jwt(now=NOW)

    back = decoded(token)

    assert back.grant("flex_insights") == grant
    assert back.grant("flex_insights").to_claims() == claims


def _custom(value):
    return CustomGrant(key="flex_insights", claims=value)


def _params(value):
    return VoiceGrant(
        outgoing_application_sid="AP" + "a" * 32,
        outgoing_application_params={"p": value},
    )


def _playback(value):
    return PlaybackGrant(grant={"p": value})


@pytest.mark.parametrize(
    ("make", "room"),
    [
        (_custom, MAX_DEPTH - 2),
        (_params, MAX_DEPTH - 5),
        (_playback, MAX_DEPTH - 3),
    ],
    ids=["custom", "voice-params", "playback"],
)
def test_the_builder_mints_only_what_decode_reads(make, room):
    """
    A grant value that fills the token to MAX_DEPTH mints and reads back; one level more is refused when built.
    """
    grant = make(json.loads(nest(room, kinds="[{")))
    token = AccessToken(ACCOUNT, KEY, SECRET, identity="al", grants=[grant])
    assert decoded(token.to_jwt(now=NOW)).grant(type(grant)) == grant

    def build_deeper():
        deeper = make(json.loads(nest(room + 1, kinds="[{")))
        AccessToken(ACCOUNT, KEY, SECRET, identity="al", grants=[deeper])

    with pytest.raises(ValueError, match=f"more than {MAX_DEPTH} deep"):
        build_deeper()


DEEP = [
    ("header.typ", 400, MalformedTokenError),
    ("header.twr", 5000, MalformedTokenError),
    ("exp", 400, MalformedTokenError),
    ("nbf", 5000, MalformedTokenError),
    ("iat", 400, MalformedTokenError),
    ("iss", 5000, MalformedTokenError),
    ("x", 400, MalformedTokenError),
    ("grants", 5000, InvalidGrantsError),
    ("grants.video", 400, InvalidGrantsError),
    ("grants.flex_insights", 5000, InvalidGrantsError),
    ("grants.identity", 400, InvalidGrantsError),
]


@pytest.mark.parametrize(("position", "levels", "error"), DEEP)
def test_deep_nesting_never_recurses(position, levels, error):
    """
    Hundreds or thousands of levels (within the size limit) give the depth error, never RecursionError.
    """
    kinds = "[" if levels > 1000 else "{["  # "[" keeps 5000 under 16 KiB
    token = token_with(position, nest(levels, kinds=kinds))
    assert len(token) < 16 * 1024

    for read in (decoded, decode_unverified):
        with pytest.raises(error, match="nest more than 32 deep") as e:
            read(token)
        assert e.value.code == error.code
    for secret in (None, SECRET):
        problems = check(token, api_key_secret=secret, now=NOW)
        assert errors(problems)[0][0] == error.code


@pytest.mark.parametrize(
    ("token", "code"),
    [
        (token_with("header.typ", nest(400, kinds="{[")), 20101),
        (token_with("grants", nest(5000, kinds="[")), 20106),
    ],
    ids=["header-400", "grants-5000"],
)
@pytest.mark.parametrize("command", ["decode", "check"])
def test_cli_reports_deep_nesting_without_a_traceback(token, code, command):
    """
    The CLI's decode and check exit 1 with the code, and print no traceback.
    """
    status, out, err = cli(command, token)

    assert status == 1
    assert "Traceback" not in err
    assert "RecursionError" not in out + err
    assert str(code) in out + err


# ------------------------------------------------------------ integers

HUGE = [
    "9" * MAX_INT_DIGITS,
    "-" + "9" * MAX_INT_DIGITS,
    str(2**63),
    str(-(2**63) - 1),
    str(10**30),
]
TIME_CLAIMS = [
    ("exp", ExpiredTokenError),
    ("nbf", NotYetValidError),
    ("iat", MalformedTokenError),
]


@pytest.mark.parametrize(("claim", "error"), TIME_CLAIMS)
@pytest.mark.parametrize(
    "value",
    HUGE,
    ids=["4000-digits", "-4000-digits", "2**63", "-2**63-1", "10**30"],
)
def test_time_claims_outside_64_bits_are_refused_with_their_code(
    claim, error, value
):
    """
    exp, nbf and iat outside +-2**63 (up to 4000 digits) are their claim's error; check() reports it without raising.
    """
    token = token_with(claim, value)

    with pytest.raises(error, match=r"within \+-2\*\*63") as e:
        decoded(token)
    assert e.value.field == claim
    assert len(str(e.value)) < 200  # the value is not printed in full
    repr(decode_unverified(token))
    for secret in (None, SECRET):
        problems = check(token, api_key_secret=secret, now=NOW)
        assert (error.code, claim) in errors(problems)


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat", "x", "grants.video"])
@pytest.mark.parametrize("sign", ["", "-"])
def test_integers_past_the_digit_bound_are_malformed(claim, sign):
    """
    An integer of more than MAX_INT_DIGITS digits anywhere is 20101, from decode, decode_unverified and check.
    """
    assert MAX_INT_DIGITS == 4000
    token = token_with(claim, sign + "9" * (MAX_INT_DIGITS + 1))

    for read in (decoded, decode_unverified):
        with pytest.raises(MalformedTokenError, match="4001 digits") as e:
            read(token)
        assert e.value.code == 20101
    for secret in (None, SECRET):
        problems = check(token, api_key_secret=secret, now=NOW)
        assert errors(problems) == [(20101, "token")]


def test_the_64_bit_bounds_themselves_are_integers_in_range():
    """
    exp at 2**63-1 is in range but too far (check: 20104), and at -2**63 expired (20104); nbf and iat at either bound are read.
    """
    top, bottom = str(2**63 - 1), str(-(2**63))

    far = token_with("exp", top)
    assert decoded(far).claims["exp"] == 2**63 - 1  # decode has no 24 h rule
    assert decoded(far).expires_at is None  # past what a datetime holds
    assert (20104, "exp") in errors(check(far, now=NOW))
    with pytest.raises(ExpiredTokenError, match="expired"):
        decoded(token_with("exp", bottom))
    with pytest.raises(NotYetValidError, match="after now"):
        decoded(token_with("nbf", top))
    assert decoded(token_with("nbf", bottom)).claims["nbf"] == -(2**63)
    assert decoded(token_with("iat", top)).claims["iat"] == 2**63 - 1
    assert decoded(token_with("iat", bottom)).claims["iat"] == -(2**63)
    for claim in ("exp", "nbf", "iat"):
        for value in (top, bottom):
            problems = check(token_with(claim, value), now=NOW)
            assert all("2**63" not in p.message for p in problems)


# ------------------------------------------------------------ floats


@pytest.mark.parametrize("literal", ["1e400", "-1e400", "1E999", "2.5e+308"])
@pytest.mark.parametrize(
    "position",
    ["header.x", "exp", "nbf", "iat", "x", "grants.flex_insights"],
)
def test_overflowing_float_literals_are_malformed(literal, position):
    """
    A number literal past a double's range is 20101 wherever it is, as NaN and Infinity are.
    """
    token = token_with(position, literal)

    for read in (decoded, decode_unverified):
        with pytest.raises(MalformedTokenError, match="overflows a double"):
            read(token)
    for secret in (None, SECRET):
        problems = check(token, api_key_secret=secret, now=NOW)
        assert errors(problems) == [(20101, "token")]


# ------------------------------------------------------------ crit


@pytest.mark.parametrize("crit", ['["exp"]', "[]", '"x"', "null"])
def test_a_crit_header_is_refused(crit):
    """
    Any crit header is 20102 on header.crit: decode raises it, check reports it.
    """
    token = token_with("header.crit", crit)

    with pytest.raises(InvalidHeaderError, match="crit is") as e:
        decoded(token)
    assert (e.value.code, e.value.field) == (20102, "header.crit")
    assert "crit" in decode_unverified(token).header
    for secret in (None, SECRET):
        problems = check(token, api_key_secret=secret, now=NOW)
        assert errors(problems) == [(20102, "header.crit")]


# ------------------------------------------------------------ twr


@pytest.mark.parametrize("twr", ["5", "true", "{}", "[]", '"ie1"'])
def test_video_with_any_twr_but_us1_is_the_51007_error(twr):
    """
    A Video token whose twr is not "us1" (a string or not) is a 20101 error naming 51007 in check(); decode() reads it.
    """
    token = token_with("header.twr", twr)

    problems = check(token, api_key_secret=SECRET, now=NOW)

    assert errors(problems) == [(20101, "header.twr")]
    (error,) = (p for p in problems if p.severity == "error")
    assert "51007" in error.message
    back = decoded(token)
    assert back.header["twr"] == decode_unverified(token).header["twr"]
    assert back.region == (json.loads(twr) if twr == '"ie1"' else None)


# ------------------------------------------------------------ decode


def test_decode_reads_what_twilio_accepts():
    """
    decode() accepts voice params without an app, and unknown grants under "", 30 deep or with a 200-bit integer.
    """
    params = token_with("grants.voice", '{"outgoing":{"params":{"a":1}}}')
    voice = decoded(params).grant(VoiceGrant)
    assert voice == VoiceGrant()
    problems = check(params, api_key_secret=SECRET, now=NOW)
    assert [(p.code, p.severity, p.field) for p in problems] == [
        (20106, "warning", "grants.voice.outgoing.params"),
        (20106, "warning", "grants.voice"),  # it allows nothing
    ]

    for key, value in [
        ("", '{"a":1}'),
        ("deep", nest(MAX_DEPTH - 2, kinds="[{")),
        ("big", json.dumps({"n": 2**200})),
    ]:
        token = jwt(*document(f"grants.{key}", value))
        grant = decoded(token).grant(key)
        assert type(grant) is CustomGrant
        assert grant.key == key
        assert grant.to_claims() == json.loads(value)


@HOSTILE
@given(key=unknown_grant_keys, claims=custom_grant_claims())
def test_decode_carries_any_bounded_json_as_a_custom_grant(key, claims):
    """
    Any JSON within the bounds under an unknown grant key comes back from decode() as a CustomGrant of it.
    """
    grants = json_object([("identity", '"alice"'), (key, json.dumps(claims))])
    token = jwt(*document("grants", grants))

    back = decoded(token)

    (grant,) = back.grants
    assert type(grant) is CustomGrant
    assert grant.key == key
    assert grant.to_claims() == claims
    assert grant.claims == back.claims["grants"][key]


# ------------------------------------------------------------ ttl


@pytest.mark.parametrize("ttl", [-5, 0, 10**9])
def test_a_wrong_ttl_is_refused_even_beside_valid_until(ttl):
    """
    ttl is validated when valid_until wins over it: out of 1..86400 it is refused, naming ttl=.
    """
    with pytest.raises(TokenRefusedError, match=f"ttl={ttl}:") as e:
        AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity="alice",
            grants=[VideoGrant()],
            ttl=ttl,
            valid_until=NOW + 600,
        )
    assert e.value.code == 20104


@pytest.mark.parametrize("ttl", [1, 86400])
def test_a_ttl_in_range_beside_valid_until_builds(ttl):
    """
    ttl=1 and ttl=86400 build beside valid_until, which sets exp.
    """
    token = AccessToken(
        ACCOUNT,
        KEY,
        SECRET,
        identity="alice",
        grants=[VideoGrant()],
        ttl=ttl,
        valid_until=NOW + 600,
    )
    assert decoded(token.to_jwt(now=NOW)).claims["exp"] == NOW + 600


# ------------------------------------------------------------ secrets

LEAK = "Xk3-leaked_API_secret-0123456789abcdefXYZ"  # 41 characters


def assert_not_echoed(error, secret):
    texts = [str(error), repr(error), repr(error.args)]
    texts += [repr(p) for p in getattr(error, "problems", ())]
    for text in texts:
        assert secret not in text
        assert secret[:8] not in text


@pytest.mark.parametrize(
    "build",
    [
        lambda: AccessToken.from_env(
            environ={
                "TWILIO_ACCOUNT_SID": ACCOUNT,
                "TWILIO_API_KEY": LEAK,
                "TWILIO_API_SECRET": SECRET,
            },
            identity="alice",
            grants=[VideoGrant()],
        ),
        lambda: AccessToken(LEAK, KEY, SECRET),
        lambda: AccessToken(ACCOUNT, LEAK, SECRET),
        lambda: AccessToken(KEY, LEAK, ACCOUNT),
        lambda: AccessToken(ACCOUNT, f" {LEAK}\n", SECRET),
        lambda: ChatGrant(service_sid=LEAK),
    ],
    ids=["from_env", "as-account", "as-key", "swapped", "spaced", "grant"],
)
def test_a_secret_in_a_sid_slot_is_not_echoed(build):
    """
    A secret in a SID slot shows only its first two characters and its length.
    """
    with pytest.raises(ValueError) as e:
        build()

    assert_not_echoed(e.value, LEAK)
    assert repr(LEAK[:2]) in str(e.value) or repr(" X") in str(e.value)
    assert "characters)" in str(e.value)


@pytest.mark.parametrize(
    ("build", "shown"),
    [
        (lambda: ChatGrant(service_sid="IS123"), "'IS123'"),
        (lambda: AccessToken(ACCOUNT, "SK123", SECRET), "'SK123'"),
        (lambda: AccessToken("AC1", KEY, SECRET), "'AC1'"),
        (lambda: TaskRouterGrant(worker_sid="WKxyz"), "'WKxyz'"),
    ],
)
def test_a_malformed_sid_with_its_prefix_is_shown_in_full(build, shown):
    """
    A malformed value that starts with its SID's two letters is shown as it is.
    """
    with pytest.raises(ValueError, match=shown):
        build()


SID_SLOTS = [
    lambda v: AccessToken(v, KEY, SECRET),
    lambda v: AccessToken(ACCOUNT, v, SECRET),
    lambda v: VoiceGrant(outgoing_application_sid=v),
    lambda v: VoiceGrant(push_credential_sid=v),
    lambda v: ChatGrant(service_sid=v),
    lambda v: ChatGrant(deployment_role_sid=v),
    lambda v: ChatGrant(push_credential_sid=v),
    lambda v: IpMessagingGrant(service_sid=v),
    lambda v: SyncGrant(service_sid=v),
    lambda v: TaskRouterGrant(workspace_sid=v),
    lambda v: TaskRouterGrant(worker_sid=v),
]


@HOSTILE
@given(
    slot=st.sampled_from(SID_SLOTS),
    secret=secret_like(),
    padding=st.sampled_from(["", " ", "\n"]),
)
def test_no_sid_slot_echoes_a_secret(slot, secret, padding):
    """
    Whatever secret lands in whichever SID slot, the error does not hold it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # ip_messaging
        with pytest.raises(ValueError) as e:
            slot(secret + padding)

    assert_not_echoed(e.value, secret)
    assert f"({len(secret + padding)} characters)" in str(e.value)


# ------------------------------------------------------------ compat


def test_compat_taskrouter_refuses_a_bad_account_as_twilio_python_does():
    """
    TaskRouterCapabilityToken("XX1", ...) raises twilio-python's ValueError
    with its message start; the value is masked (it may be a secret).
    """
    from twilio.jwt.taskrouter import TaskRouterCapabilityToken

    args = ("XX1", "token", "WS" + "e" * 32, "WK" + "f" * 32)
    with pytest.raises(ValueError) as theirs:
        TaskRouterCapabilityToken(*args)
    with pytest.raises(ValueError) as ours:
        compat.TaskRouterCapabilityToken(*args)

    assert type(ours.value) is type(theirs.value) is ValueError
    assert str(theirs.value) == "Invalid account sid provided XX1"
    assert (
        str(ours.value)
        == "Invalid account sid provided 'XX'... (3 characters)"
    )


# ------------------------------------------------------------ duplicates


@pytest.mark.parametrize(
    ("key", "again"),
    [("typ", '"JWT"'), ("alg", '"none"'), ("x", "1")],
)
def test_a_header_key_twice_is_refused(key, again):
    """
    A header naming a parameter twice is 20102 (RFC 7515 section 4), even with the same value.
    """
    extras = [(key, again)] if key != "x" else [("x", "1"), ("x", "1")]
    token = jwt(*document("x", "1", header_extras=extras))

    for read in (decoded, decode_unverified):
        with pytest.raises(InvalidHeaderError, match=f"'{key}' appears twice"):
            read(token)
    assert errors(check(token, now=NOW)) == [(20102, "header")]


def test_in_the_payload_the_last_duplicate_wins():
    """
    A claim named twice in the payload has its last value, as most JSON readers give it.
    """
    header, payload = document("x", '"first"')
    payload = payload[:-1] + ',"x":"last","sub":"ACnot-a-sid"}'
    token = jwt(header, payload)

    assert decode_unverified(token).claims["x"] == "last"
    with pytest.raises(InvalidIssuerError, match="ACnot-a-sid"):
        decoded(token)


# ------------------------------------------------------------ nothing escapes


@HOSTILE
@given(hostile_documents())
@example(document("header.typ", nest(400)))  # once a RecursionError
@example(document("exp", "-" + "9" * 4300))  # once a ValueError
def test_nothing_escapes_from_any_hostile_token(doc):
    """
    Deep, huge, overflowing or odd values anywhere: only InvalidTokenError is raised, check() and repr() never raise.
    """
    assert_survives(jwt(*doc))


@pytest.mark.parametrize(
    ("position", "value", "extras"),
    [
        ("exp", "-" + "9" * MAX_INT_DIGITS, []),
        ("nbf", "1e400", []),
        ("x", "1", [("crit", nest(5000, kinds="["))]),
        ("x", "1", [("alg", '"HS256"')]),
    ],
    ids=["huge-exp", "float", "deep-crit", "duplicate"],
)
def test_the_cli_never_prints_a_traceback(position, value, extras):
    """
    The CLI's decode and check answer each class of hostile token with exit 1 and a message, no traceback.
    """
    token = token_with(position, value, extras)
    for command in ("decode", "check"):
        status, out, err = cli(command, token)
        assert status == 1
        assert "Traceback" not in err
        assert "20" in out + err  # a Twilio code


# ------------------------------------------------------------ hostile subclasses


class LyingStr(str):
    def isascii(self):
        raise RuntimeError("isascii")

    def startswith(self, *a):
        return True

    def encode(self, *a, **k):
        raise RuntimeError("encode")


class LyingBytes(bytes):
    def __bytes__(self):
        raise RuntimeError("bytes")


class RaisingMap(dict):
    def items(self):
        raise RuntimeError("items")

    def __iter__(self):
        raise RuntimeError("iter")


class RaisingHash(str):
    armed = False  # a dict holding one is built first, then it raises

    def __hash__(self):
        if RaisingHash.armed:
            raise RuntimeError("hash")
        return str.__hash__(self)

    def __eq__(self, other):
        if RaisingHash.armed:
            raise RuntimeError("eq")
        return str.__eq__(self, other)


class RaisingBits(int):
    def bit_length(self):
        raise RuntimeError("bit_length")


def test_hostile_token_subclasses_are_read_by_the_builtin_methods():
    """A str or bytes subclass's own methods are never what reads a token."""
    for token in (LyingStr("a.b.c"), LyingBytes(b"a.b.c")):
        (problem,) = check(token)
        assert problem.code == 20101
        with pytest.raises(MalformedTokenError):
            decode_unverified(token)


def test_a_to_jwt_whose_error_cannot_be_shown_is_a_20101_problem():
    class UnprintableError(Exception):
        def __str__(self):
            raise RuntimeError("str")

        __repr__ = __str__

    class Mints:
        def to_jwt(self):
            raise UnprintableError

    (problem,) = check(Mints())
    assert problem.code == 20101
    assert "UnprintableError" in problem.message


class UnreadableMapping(collections.abc.Mapping):
    """A mapping (not a dict) whose every read fails."""

    def __getitem__(self, key):
        raise RuntimeError("getitem")

    def __iter__(self):
        raise RuntimeError("iter")

    def __len__(self):
        raise RuntimeError("len")

    def items(self):
        raise RuntimeError("items")


@pytest.mark.parametrize(
    "claims",
    [UnreadableMapping(), [UnreadableMapping()]],
    ids=["mapping", "nested"],
)
def test_a_json_value_that_cannot_be_read_names_the_field(claims):
    with pytest.raises(TypeError, match=r"CustomGrant\.claims"):
        CustomGrant(key="x", claims=claims)


def test_a_dict_subclass_is_read_by_dicts_own_methods():
    """Its overridden items() and __iter__ are never called."""
    grant = CustomGrant(key="x", claims=RaisingMap(a=1))
    assert grant.claims == {"a": 1}


def test_hostile_keys_and_numbers_are_copied_as_builtin_values(monkeypatch):
    """The copy holds exact str and int: it compares and hashes safely."""
    claims = {RaisingHash("k"): RaisingBits(5)}
    monkeypatch.setattr(RaisingHash, "armed", True)
    grant = CustomGrant(key="x", claims=claims)
    assert grant.claims == {"k": 5}
    assert [type(k) for k in grant.claims] == [str]
    assert [type(v) for v in grant.claims.values()] == [int]
    assert grant == CustomGrant(key="x", claims={"k": 5})
    assert hash(grant) == hash(CustomGrant(key="x", claims={"k": 5}))


def test_voice_params_that_cannot_be_read_name_the_field():
    with pytest.raises(
        TypeError, match="VoiceGrant.outgoing_application_params"
    ):
        VoiceGrant(
            outgoing_application_sid=APP,
            outgoing_application_params=UnreadableMapping(),
        )


@given(
    prefix=st.sampled_from(["AC", "SK"]),
    rest=st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        min_size=30,
        max_size=34,
    ),
)
def test_a_secret_starting_like_a_sid_is_not_echoed(prefix, rest):
    """One secret in about 3,844 starts with 'AC' or 'SK': still unshown."""
    secret = prefix + rest
    if all(c in "0123456789abcdefABCDEF" for c in rest):
        return  # hex only: no secret Twilio issues
    for args in ((secret, KEY, SECRET), (ACCOUNT, secret, SECRET)):
        with pytest.raises(TokenRefusedError) as e:
            AccessToken(*args, identity="a", grants=[VideoGrant()])
        assert rest not in str(e.value)


def test_a_str_subclass_that_lies_about_its_prefix_is_not_echoed():
    secret = "Zx9" + "Q" * 30
    with pytest.raises(TypeError) as e:
        AccessToken(LyingStr(secret), KEY, SECRET)
    assert secret not in str(e.value)
    assert secret[3:] not in str(e.value)
