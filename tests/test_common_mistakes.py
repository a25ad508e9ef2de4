"""
The mistakes real users make, caught before Twilio answers 20101/20107.
"""

import subprocess
import sys
import warnings

import pytest

from hypothesis import given
from hypothesis import strategies as st
from twilio_tokens import (
    AccessToken,
    ChatGrant,
    CustomGrant,
    SyncGrant,
    TokenRefusedError,
    TokenWarning,
    VideoGrant,
    VoiceGrant,
    WeakSecretWarning,
    check,
    compat,
    decode_identity,
    encode_identity,
)

from helpers import ACCOUNT, KEY, NOW, SECRET, SERVICE


AUTH_TOKEN = "0123456789abcdef" * 2  # an Auth Token's shape: 32 lower hex
API_SECRET = "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF"  # an API key secret's shape


def triples(problems):
    return [(p.severity, p.code, p.field) for p in problems]


class TestAuthTokenAsSecret:
    def test_minting_warns_naming_the_mix_up_not_the_value(self):
        """
        A secret shaped like an Auth Token mints, with a TokenWarning.
        """
        with pytest.warns(
            TokenWarning, match="looks like an Account Auth"
        ) as w:
            token = AccessToken(
                ACCOUNT, KEY, AUTH_TOKEN, identity="a", grants=[VideoGrant()]
            )

        assert token.to_jwt(now=NOW)
        assert 1 == len(w)
        assert "20107" in str(w[0].message)
        assert AUTH_TOKEN not in str(w[0].message)
        assert __file__ == w[0].filename

    def test_an_api_key_secret_shape_does_not_warn(self):
        """
        Mixed-case secrets, and hex of another length, mint silently.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for secret in (API_SECRET, AUTH_TOKEN + "0", AUTH_TOKEN.upper()):
                AccessToken(
                    ACCOUNT, KEY, secret, identity="a", grants=[VideoGrant()]
                )

    def test_check_reports_it_as_a_problem(self):
        """
        check() with an Auth Token as the secret says so, as a warning.
        """
        with pytest.warns(TokenWarning):
            jwt = AccessToken(
                ACCOUNT, KEY, AUTH_TOKEN, identity="a", grants=[VideoGrant()]
            ).to_jwt(now=NOW)

        problems = check(jwt, api_key_secret=AUTH_TOKEN, now=NOW)

        assert [("warning", 20107, "api_key_secret")] == triples(problems)
        assert AUTH_TOKEN not in str(problems)

    def test_warning_is_a_token_warning_not_a_weak_secret_one(self):
        """
        The Auth Token hint is its own TokenWarning; a 32-byte secret is
        not weak.
        """
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            AccessToken(
                ACCOUNT, KEY, AUTH_TOKEN, identity="a", grants=[VideoGrant()]
            )

        assert [TokenWarning] == [w.category for w in caught]
        assert not issubclass(caught[0].category, WeakSecretWarning)


class TestWhitespace:
    @pytest.mark.parametrize(
        ("value", "where"),
        [
            (SECRET + "\n", "trailing"),
            (" " + SECRET, "leading"),
            ("\t" + SECRET + "\r\n", "leading and trailing"),
        ],
        ids=["newline", "space", "both"],
    )
    def test_secret_with_whitespace_is_refused_without_its_value(
        self, value, where
    ):
        """
        A secret with surrounding whitespace is refused; only where is said.
        """
        with pytest.raises(
            ValueError,
            match=rf"AccessToken.api_key_secret has {where} whitespace",
        ) as ei:
            AccessToken(ACCOUNT, KEY, value)

        assert SECRET not in str(ei.value)

    @pytest.mark.parametrize(
        ("field", "args"),
        [
            ("account_sid", (ACCOUNT + "\n", KEY, SECRET)),
            ("api_key_sid", (ACCOUNT, " " + KEY, SECRET)),
        ],
    )
    def test_sid_with_whitespace_is_refused_naming_the_field(
        self, field, args
    ):
        """
        A SID with a newline from a .env file is refused, naming the field.
        """
        with pytest.raises(
            ValueError, match=rf"AccessToken.{field} has \w+ whitespace"
        ):
            AccessToken(*args)

    def test_from_env_refuses_a_secret_with_a_newline(self):
        """
        from_env() refuses the trailing newline of `$(cat secret.txt)`.
        """
        env = {
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_API_KEY": KEY,
            "TWILIO_API_SECRET": SECRET + "\n",
        }

        with pytest.raises(ValueError, match="trailing whitespace") as ei:
            AccessToken.from_env(environ=env)
        assert SECRET not in str(ei.value)

    def test_decode_and_check_refuse_the_same_secret(self):
        """
        One behaviour everywhere: decode() and check() refuse it too.
        """
        from twilio_tokens import decode

        jwt = AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
        ).to_jwt(now=NOW)

        with pytest.raises(ValueError, match="trailing whitespace"):
            decode(jwt, SECRET + "\n", now=NOW)
        with pytest.raises(ValueError, match="trailing whitespace"):
            check(jwt, api_key_secret=SECRET + "\n", now=NOW)

    def test_bytes_secret_is_refused_everywhere(self):
        """
        A bytes secret is a TypeError in the constructor, decode and check.
        """
        from twilio_tokens import decode

        jwt = AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
        ).to_jwt(now=NOW)

        for call in (
            lambda: AccessToken(ACCOUNT, KEY, SECRET.encode()),
            lambda: decode(jwt, SECRET.encode(), now=NOW),
            lambda: check(jwt, api_key_secret=SECRET.encode(), now=NOW),
        ):
            with pytest.raises(TypeError, match="must be a str, got bytes"):
                call()


class TestWarningCategory:
    def test_each_mint_time_warning_is_a_token_warning(self):
        """
        A Conversations token with ttl=60 warns: its refresh never fires.
        """
        with pytest.warns(TokenWarning, match=r"ttl=60: the token lives 60 s"):
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                identity="a",
                grants=[ChatGrant(service_sid=SERVICE)],
                ttl=60,
            )

    def test_weak_secret_warning_is_a_token_warning(self):
        """
        WeakSecretWarning is a TokenWarning, so one filter catches both.
        """
        assert issubclass(WeakSecretWarning, TokenWarning)
        assert issubclass(TokenWarning, UserWarning)

    def test_warnings_become_errors_with_pytest_w_option(self, tmp_path):
        """
        pytest -W error::twilio_tokens.TokenWarning fails a test that mints
        a token Twilio would likely reject; ignore:: lets it pass.
        """
        (tmp_path / "pytest.ini").write_text("[pytest]\n")
        (tmp_path / "test_user.py").write_text(
            "from twilio_tokens import AccessToken, VoiceGrant\n"
            "def test_mint():\n"
            f"    AccessToken({ACCOUNT!r}, {KEY!r}, {SECRET!r}, identity='a',"
            " grants=[VoiceGrant(incoming_allow=True)], region='IE1')\n"
        )

        def pytest_with(option):
            return subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "-W",
                    option,
                    str(tmp_path / "test_user.py"),
                ],
                capture_output=True,
                text=True,
                check=False,
                cwd=tmp_path,
            )

        strict = pytest_with("error::twilio_tokens.TokenWarning")
        relaxed = pytest_with("ignore::twilio_tokens.TokenWarning")

        assert 1 == strict.returncode
        assert "TokenWarning: region='IE1'" in strict.stdout
        assert 0 == relaxed.returncode
        assert "warning" not in relaxed.stdout

    def test_valid_until_warnings_come_at_each_mint(self):
        """
        With absolute times, what the mint time shows warns at to_jwt().
        """
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity="a",
            grants=[VideoGrant()],
            valid_until=NOW + 30,
        )

        with pytest.warns(TokenWarning, match=r"valid_until=\d+: exp is 30 s"):
            token.to_jwt(now=NOW)


class TestCheckWithoutSecret:
    def test_a_forged_token_does_not_check_clean(self):
        """
        Without a secret, check() says the signature was not checked.
        """
        forged = AccessToken(
            ACCOUNT,
            KEY,
            "forger-secret-" * 3,
            identity="a",
            grants=[VideoGrant()],
        ).to_jwt(now=NOW)

        problems = check(forged, now=NOW)

        assert [("warning", None, "signature")] == triples(problems)
        assert "not checked" in problems[0].message
        assert "api_key_secret" in problems[0].message

    def test_the_right_secret_checks_clean(self):
        """
        With the right secret, a valid token has no problem at all.
        """
        jwt = AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
        ).to_jwt(now=NOW)

        assert () == check(jwt, api_key_secret=SECRET, now=NOW)


class TestRegions:
    @pytest.mark.parametrize(
        ("region", "message"),
        [
            (
                "IE1",
                r"Twilio spells Region ids in lower case: did you mean 'ie1'\?",
            ),
            ("AU1", r"did you mean 'au1'\?"),
            (
                "dublin",
                r"an edge location, not a Region; the Region near it is 'ie1'",
            ),
            ("sydney", r"the Region near it is 'au1'"),
            ("ashburn", r"the Region near it is 'us1'"),
            ("mars1", r"not one of us1, ie1, au1"),
        ],
    )
    def test_unknown_region_warns_with_a_suggestion(self, region, message):
        """
        An unknown region mints with a warning naming the likely one.
        """
        with pytest.warns(TokenWarning, match=message):
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                identity="a",
                grants=[VoiceGrant(incoming_allow=True)],
                region=region,
            )

    @pytest.mark.parametrize(
        "grant",
        [
            ChatGrant(service_sid=SERVICE),
            SyncGrant(service_sid="default"),
            CustomGrant(key="flex_insights", claims={}),
        ],
        ids=["chat", "sync", "custom"],
    )
    def test_region_beside_a_non_voice_grant_warns(self, grant):
        """
        Twilio documents the region for Voice tokens only.
        """
        with pytest.warns(TokenWarning, match="only for Voice tokens"):
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                identity="a",
                grants=[grant],
                region="ie1",
            )

    def test_region_with_voice_alone_is_quiet(self):
        """
        A known region on a Voice token is exactly what twr is for.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                identity="a",
                grants=[VoiceGrant(incoming_allow=True)],
                region="ie1",
            )

    def test_us1_beside_chat_is_quiet(self):
        """
        us1 is the default Region: naming it beside chat changes nothing.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                identity="a",
                grants=[ChatGrant(service_sid=SERVICE)],
                region="us1",
            )


class TestIdentityEncoding:
    @pytest.mark.parametrize(
        ("text", "encoded"),
        [
            ("alice", "alice"),
            ("alice@example.com", "alice_40example_2Ecom"),
            ("a_b", "a_5Fb"),
            ("é", "_C3_A9"),
            ("", ""),
        ],
    )
    def test_known_spellings(self, text, encoded):
        """
        Letters and digits stay; every other byte is _XX of UTF-8.
        """
        assert encoded == encode_identity(text)
        assert text == decode_identity(encoded)

    @given(st.text())
    def test_round_trip_is_voice_safe_and_inverse(self, text):
        """
        For any text: the encoding is Voice-safe and decodes back.
        """
        encoded = encode_identity(text)

        assert set(encoded) <= set(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
        )
        assert text == decode_identity(encoded)

    @given(st.text(), st.text())
    def test_encoding_is_injective(self, a, b):
        """
        Two texts never share an encoding.
        """
        assert (a == b) == (encode_identity(a) == encode_identity(b))

    @pytest.mark.parametrize("bad", ["a b", "_4", "_ZZ", "_FF", "a-b"])
    def test_decode_refuses_what_encode_never_writes(self, bad):
        """
        A string that is no encoding is a ValueError naming it.
        """
        with pytest.raises(ValueError, match="identity"):
            decode_identity(bad)

    def test_non_str_is_a_type_error(self):
        """
        Both functions take text only.
        """
        with pytest.raises(TypeError, match="got int"):
            encode_identity(5)
        with pytest.raises(TypeError, match="got bytes"):
            decode_identity(b"a")

    def test_voice_refusal_names_encode_identity(self):
        """
        An email as a Voice identity is refused (31105), naming the fix.
        """
        with pytest.raises(TokenRefusedError, match="encode_identity") as ei:
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                identity="alice@example.com",
                grants=[VoiceGrant(incoming_allow=True)],
            )
        assert 31105 == ei.value.code

    def test_an_encoding_over_the_voice_limit_is_refused_saying_so(self):
        """
        40 escaped bytes are 120 characters and mint; 41 are refused.
        """
        grants = [VoiceGrant(incoming_allow=True)]
        AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity=encode_identity("@" * 40),
            grants=grants,
        )
        AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity=encode_identity("@" * 40) + "a",
            grants=grants,
        )

        with pytest.raises(
            TokenRefusedError,
            match=r"123 characters.*at most 121.*encode_identity",
        ):
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                identity=encode_identity("@" * 41),
                grants=grants,
            )


class TestCompatTokensInCheck:
    def test_a_compat_token_is_judged_as_it_mints_now(self):
        """
        check() takes a twilio_tokens.compat AccessToken, by its own clock.
        """
        token = compat.AccessToken(
            ACCOUNT, KEY, SECRET, identity="a b", nbf=None
        )
        token.add_grant(compat.VoiceGrant(incoming_allow=True))

        problems = check(token, api_key_secret=SECRET)

        assert [("error", 31105, "grants.identity")] == [
            t for t in triples(problems) if t[0] == "error"
        ]

    def test_a_compat_token_that_cannot_mint_is_a_problem(self):
        """
        A compat token without a secret is a 20101 problem, not a crash.
        """
        token = compat.AccessToken(ACCOUNT, KEY, "", identity="a")

        assert [("error", 20101, "token")] == triples(check(token))

    def test_other_objects_are_a_type_error_naming_what_is_accepted(self):
        """
        The TypeError lists every kind of token check() accepts.
        """
        with pytest.raises(TypeError, match=r"compat\), got int"):
            check(5)


class TestArgumentsBlamed:
    def test_valid_until_over_a_day_blames_valid_until(self):
        """
        Without a ttl given, a far valid_until is blamed on valid_until.
        """
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity="a",
            grants=[VideoGrant()],
            valid_until=NOW + 2 * 86400,
        )

        with pytest.raises(TokenRefusedError) as ei:
            token.to_jwt(now=NOW)
        message = str(ei.value)
        assert "valid_until=" in message
        assert "ttl" not in message

    def test_far_future_nbf_with_a_ttl_blames_nbf(self):
        """
        An nbf after the exp a ttl gives is blamed on nbf, not on the ttl.
        """
        token = AccessToken(
            ACCOUNT,
            KEY,
            SECRET,
            identity="a",
            grants=[VideoGrant()],
            nbf=NOW + 7200,
        )

        with pytest.raises(
            TokenRefusedError, match=r"nbf=\d+: nbf is 3600 s after exp"
        ):
            token.to_jwt(now=NOW)

    def test_nbf_after_valid_until_is_refused_when_built(self):
        """
        nbf and valid_until both given: a never-valid pair is refused at once.
        """
        with pytest.raises(
            TokenRefusedError, match=r"nbf=\d+: nbf is 10 s after exp"
        ):
            AccessToken(
                ACCOUNT,
                KEY,
                SECRET,
                identity="a",
                grants=[VideoGrant()],
                nbf=NOW + 10,
                valid_until=NOW,
            )
