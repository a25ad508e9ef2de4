"""
twilio_tokens.testing and the pytest plugin's fixtures.
"""

import os
import re
import subprocess
import sys
import warnings

from pathlib import Path

import pytest

from twilio_tokens import (
    AccessToken,
    ChatGrant,
    CustomGrant,
    PlaybackGrant,
    TaskRouterGrant,
    TokenWarning,
    VideoGrant,
    VoiceGrant,
)
from twilio_tokens.testing import (
    FAKE_API_KEY_SECRET,
    Credentials,
    assert_token,
    fake_credentials,
    fake_sid,
)

from helpers import ACCOUNT, APP, KEY, NOW, SECRET, SERVICE


class TestFixtures:
    def test_credentials_fixture_is_fake_and_valid(self, twilio_credentials):
        """
        The fixture's credentials mint tokens that check clean.
        """
        jwt = twilio_credentials.mint(identity="alice", grants=[VideoGrant()])

        assert twilio_credentials.account_sid.startswith("AC")
        assert len(FAKE_API_KEY_SECRET) >= 32
        assert "alice" == twilio_credentials.decode(jwt).identity
        assert FAKE_API_KEY_SECRET not in repr(twilio_credentials)

    def test_env_fixture_sets_the_variables(self, twilio_env):
        """
        twilio_env makes AccessToken.from_env() work with fake credentials.
        """
        token = AccessToken.from_env(identity="a", grants=[VideoGrant()])

        assert twilio_env.account_sid == os.environ["TWILIO_ACCOUNT_SID"]
        assert twilio_env.api_key_secret == token.api_key_secret


class TestAssertToken:
    def test_passes_and_returns_the_decoded_token(self):
        """
        A matching token passes and comes back decoded.
        """
        creds = fake_credentials()
        jwt = creds.mint(
            now=NOW,
            identity="alice",
            grants=[VoiceGrant(incoming_allow=True)],
            ttl=600,
        )

        t = assert_token(
            jwt,
            identity="alice",
            grants=[VoiceGrant(incoming_allow=True)],
            region=None,
            ttl=600,
            now=NOW,
        )

        assert "alice" == t.identity

    def test_failure_lists_every_difference(self):
        """
        The message names each differing field with expected and actual.
        """
        with warnings.catch_warnings():  # region beside chat: a warning
            warnings.simplefilter("ignore", TokenWarning)
            jwt = fake_credentials().mint(
                now=NOW,
                identity="bob",
                region="ie1",
                ttl=600,
                grants=[
                    VoiceGrant(incoming_allow=True),
                    ChatGrant(service_sid=SERVICE),
                ],
            )

        with pytest.raises(AssertionError) as ei:
            assert_token(
                jwt,
                identity="alice",
                region=None,
                ttl=3600,
                now=NOW,
                grants=[VoiceGrant(), VideoGrant()],
            )

        message = str(ei.value)
        assert "identity: expected 'alice', got 'bob'" in message
        assert "region: expected None, got 'ie1'" in message
        assert "ttl (exp - iat): expected 3600, got 600" in message
        assert (
            "grants.voice.incoming_allow: expected None, got True" in message
        )
        assert "grants.video: missing (expected VideoGrant(room=None))" in (
            message
        )
        assert "grants.chat: unexpected ChatGrant(" in message

    def test_extra_grants_allowed_when_not_exact(self):
        """
        exact_grants=False ignores grants that were not asked about.
        """
        jwt = fake_credentials().mint(
            now=NOW,
            identity="a",
            grants=[VideoGrant(), ChatGrant(service_sid=SERVICE)],
        )

        assert_token(
            jwt, grants=[VideoGrant()], exact_grants=False, now=NOW, ttl=3600
        )

    def test_unverifiable_token_fails_with_the_code(self):
        """
        A token signed with other credentials fails with Twilio's code.
        """
        jwt = Credentials("AC" + "1" * 32, "SK" + "1" * 32, SECRET).mint(
            now=NOW, identity="a", grants=[VideoGrant()]
        )

        with pytest.raises(
            AssertionError, match=r"does not verify: .*\(Twilio 20107\)"
        ):
            assert_token(jwt, now=NOW)

    def test_check_errors_fail_the_assertion(self):
        """
        An error-level check() problem fails; checks=False skips them.
        """
        jwt = fake_credentials().mint(
            now=NOW,
            ttl=60,
            valid_until=None,
            nbf=NOW + 10,
            identity="a",
            grants=[VideoGrant()],
        )

        with pytest.raises(
            AssertionError, match=r"does not verify: nbf is 10 s after now"
        ):
            assert_token(jwt, now=NOW)
        with pytest.raises(
            AssertionError,
            match=r"check: error 20105 nbf: nbf is 10 s after now",
        ):
            assert_token(jwt, now=NOW, leeway=10)
        assert_token(jwt, now=NOW, checks=False, leeway=10)

    def test_timedelta_ttl(self):
        """
        ttl may be given as a timedelta.
        """
        from datetime import timedelta

        jwt = fake_credentials().mint(
            now=NOW, ttl=120, identity="a", grants=[VideoGrant()]
        )

        assert_token(jwt, ttl=timedelta(minutes=2), now=NOW)


class TestFakeSid:
    @pytest.mark.parametrize(
        "prefix", ["AP", "IS", "CR", "WS", "WK", "RL", "AC", "SK", "RM"]
    )
    def test_prefix_and_32_lower_case_hex(self, prefix):
        """
        A fake SID is the prefix and 32 lower-case hex digits.
        """
        sid = fake_sid(prefix)

        assert re.fullmatch(prefix + "[0-9a-f]{32}", sid)

    def test_random_without_a_seed(self):
        """
        Without a seed, two calls give two SIDs.
        """
        assert fake_sid("AP") != fake_sid("AP")

    def test_seeded_is_repeatable(self):
        """
        With a seed, the same call gives the same SID; others differ.
        """
        sid = fake_sid("AP", seed=1)

        assert sid == fake_sid("AP", seed=1)
        assert sid[2:] != fake_sid("AP", seed=2)[2:]
        assert sid[2:] != fake_sid("IS", seed=1)[2:]
        assert sid != fake_sid("AP", seed="1")
        assert re.fullmatch("AP[0-9a-f]{32}", sid)
        assert "AP700bbf860fdee288c8ffb951da942bb0" == fake_sid(
            "AP", seed="doc"
        )

    def test_fake_sids_are_valid_in_grants(self):
        """
        Fake SIDs pass the grants' own SID validation.
        """
        grants = [
            VoiceGrant(outgoing_application_sid=fake_sid("AP")),
            ChatGrant(
                service_sid=fake_sid("IS"),
                deployment_role_sid=fake_sid("RL"),
                push_credential_sid=fake_sid("CR"),
            ),
            TaskRouterGrant(
                workspace_sid=fake_sid("WS"),
                worker_sid=fake_sid("WK"),
                role="worker",
            ),
        ]

        assert grants == list(
            fake_credentials()
            .decode(fake_credentials().mint(identity="a", grants=grants))
            .grants
        )

    @pytest.mark.parametrize(
        "prefix",
        ["ap", "A", "ABC", "A1", "", "ÄB", " AP", "AP\n"],
        ids=[
            "lower",
            "one",
            "three",
            "digit",
            "empty",
            "non-ascii",
            "space",
            "newline",
        ],
    )
    def test_bad_prefix_is_a_value_error_naming_it(self, prefix):
        """
        A prefix that is not two upper-case letters is refused by name.
        """
        with pytest.raises(ValueError, match="two upper-case letters") as ei:
            fake_sid(prefix)

        assert repr(prefix) in str(ei.value)

    @pytest.mark.parametrize(
        ("prefix", "seed"),
        [(b"AP", None), (None, None), ("AP", 1.5), ("AP", True)],
        ids=["bytes", "none", "float-seed", "bool-seed"],
    )
    def test_wrong_types_are_type_errors(self, prefix, seed):
        """
        A prefix that is no str, or a seed that is no int or str, is refused.
        """
        with pytest.raises(TypeError, match="fake_sid"):
            fake_sid(prefix, seed=seed)

    def test_is_public(self):
        """
        fake_sid is in twilio_tokens.testing's __all__.
        """
        import twilio_tokens.testing

        assert "fake_sid" in twilio_tokens.testing.__all__


NOW_JWT = fake_credentials().mint  # a short alias for the tests below


class TestAssertTokenMessages:
    def test_names_the_differing_field_inside_a_grant(self):
        """
        A differing grant field is named, not the whole grant.
        """
        one, two = fake_sid("AP", seed=1), fake_sid("AP", seed=2)
        jwt = NOW_JWT(
            now=NOW,
            identity="a",
            grants=[
                VoiceGrant(outgoing_application_sid=two, incoming_allow=True)
            ],
        )

        with pytest.raises(AssertionError) as ei:
            assert_token(
                jwt,
                now=NOW,
                grants=[
                    VoiceGrant(
                        outgoing_application_sid=one, incoming_allow=True
                    )
                ],
            )

        assert (
            "the token differs from what was expected:\n"
            f"  grants.voice.outgoing_application_sid: expected {one!r}, "
            f"got {two!r}"
        ) == str(ei.value)

    def test_an_unexpected_grant_names_exact_grants(self):
        """
        An extra grant fails under exact_grants, and says how to allow it.
        """
        jwt = NOW_JWT(
            now=NOW,
            identity="a",
            grants=[VideoGrant(), ChatGrant(service_sid=SERVICE)],
        )

        with pytest.raises(AssertionError) as ei:
            assert_token(jwt, now=NOW, grants=[VideoGrant()])

        message = str(ei.value)
        assert "grants.chat: unexpected ChatGrant(service_sid=" in message
        assert "exact_grants is on" in message
        assert "pass exact_grants=False to allow grants not listed" in message

    @pytest.mark.parametrize(
        ("expected", "actual", "line"),
        [
            (
                VoiceGrant(
                    outgoing_application_sid=APP,
                    outgoing_application_params={"vip": True},
                ),
                VoiceGrant(
                    outgoing_application_sid=APP,
                    outgoing_application_params={"vip": 1},
                ),
                (
                    "grants.voice.outgoing_application_params['vip']: "
                    "expected True (bool), got 1 (int)"
                ),
            ),
            (
                PlaybackGrant(grant={"ttl": 1}),
                PlaybackGrant(grant={"ttl": 1.0}),
                (
                    "grants.player.grant['ttl']: expected 1 (int), "
                    "got 1.0 (float)"
                ),
            ),
            (
                CustomGrant(key="flex_insights", claims={"a": [1, {"b": 0}]}),
                CustomGrant(
                    key="flex_insights", claims={"a": [1, {"b": False}]}
                ),
                (
                    "grants.flex_insights.claims['a'][1]['b']: expected 0 (int), "
                    "got False (bool)"
                ),
            ),
            (
                CustomGrant(key="flex_insights", claims={"a": [1, 2]}),
                CustomGrant(key="flex_insights", claims={"a": [1]}),
                "grants.flex_insights.claims['a']: expected 2 items (1, 2), got 1: (1,)",
            ),
            (
                CustomGrant(key="flex_insights", claims={"a": 1}),
                CustomGrant(key="flex_insights", claims={"b": 1}),
                (
                    "grants.flex_insights.claims['a']: missing (expected 1)\n"
                    "  grants.flex_insights.claims['b']: unexpected 1"
                ),
            ),
            (
                CustomGrant(key="flex_insights", claims={"a": "1"}),
                CustomGrant(key="flex_insights", claims={"a": 1}),
                "grants.flex_insights.claims['a']: expected '1', got 1",
            ),
            (
                CustomGrant(key="flex_insights", claims={"a": {}}),
                CustomGrant(key="flex_insights", claims={"a": []}),
                "grants.flex_insights.claims['a']: expected FrozenDict({}), got ()",
            ),
        ],
        ids=[
            "true-vs-1",
            "1-vs-1.0",
            "nested-0-vs-false",
            "array-length",
            "keys",
            "str-vs-int",
            "object-vs-array",
        ],
    )
    def test_json_compares_by_type_and_value(self, expected, actual, line):
        """
        Free-form JSON differs when JSON would: True, 1 and 1.0 are three.
        """
        jwt = NOW_JWT(now=NOW, identity="a", grants=[VideoGrant(), actual])

        with pytest.raises(AssertionError) as ei:
            assert_token(jwt, now=NOW, grants=[VideoGrant(), expected])

        assert f"the token differs from what was expected:\n  {line}" == str(
            ei.value
        )

    def test_equal_json_passes(self):
        """
        The same JSON, in the same types, passes.
        """
        grant = CustomGrant(
            key="flex_insights", claims={"a": [1, 2.5, True, None, "x"]}
        )
        jwt = NOW_JWT(now=NOW, identity="a", grants=[VideoGrant(), grant])

        assert_token(jwt, now=NOW, grants=[VideoGrant(), grant])

    def test_any_grant_object_is_compared_by_its_claims(self):
        """
        A grant of another class with the same key is compared by to_claims().
        """

        class MyVoice:
            key = "voice"

            def __init__(self, allow):
                self.allow = allow

            def to_claims(self):
                return {"incoming": {"allow": self.allow}}

        jwt = NOW_JWT(
            now=NOW, identity="a", grants=[VoiceGrant(incoming_allow=True)]
        )

        assert_token(jwt, now=NOW, grants=[MyVoice(True)])
        with pytest.raises(
            AssertionError,
            match=r"grants.voice\['incoming'\]\['allow'\]: expected 1 \(int\), got True \(bool\)",
        ):
            assert_token(jwt, now=NOW, grants=[MyVoice(1)])

    def test_identity_none_is_compared(self):
        """
        identity=None asserts there is none; leaving it out does not compare.
        """
        jwt = NOW_JWT(now=NOW, identity="a", grants=[VideoGrant()])

        assert_token(jwt, now=NOW)
        with pytest.raises(AssertionError, match="identity: expected None"):
            assert_token(jwt, now=NOW, identity=None)


class TestAssertTokenTraceback:
    def test_every_own_frame_is_hidden(self):
        """
        Each of assert_token's frames in a failure sets __tracebackhide__.
        """
        import twilio_tokens.testing

        jwt = NOW_JWT(now=NOW, identity="a", grants=[VideoGrant()])
        with pytest.raises(AssertionError) as ei:
            assert_token(jwt, now=NOW, identity="b")

        frames = [entry.frame for entry in ei.traceback]
        own = [
            f
            for f in frames
            if f.code.path == Path(twilio_tokens.testing.__file__)
        ]
        assert own
        assert all(f.f_locals.get("__tracebackhide__") for f in own)

    def test_helpers_hide_themselves_too(self):
        """
        Every function of the module that builds the message hides itself.
        """
        from twilio_tokens import testing

        names = [
            "assert_token",
            "_differences",
            "_object_differences",
            "_array_differences",
            "_grant_differences",
            "_grants_differences",
            "_verified",
            "_ttl_differences",
        ]

        for name in names:
            code = getattr(testing, name).__code__
            assert "__tracebackhide__" in code.co_varnames, name

    def test_no_verify_failure_does_not_chain_library_frames(self):
        """
        A token that does not verify fails without the decoder's traceback.
        """
        jwt = Credentials(ACCOUNT, KEY, SECRET).mint(
            now=NOW, identity="a", grants=[VideoGrant()]
        )

        with pytest.raises(AssertionError) as ei:
            assert_token(jwt, now=NOW)

        assert ei.value.__cause__ is None
        assert ei.value.__suppress_context__

    def test_pytest_shows_the_users_test_not_the_library(self, tmp_path):
        """
        In a real pytest run, the failure shows the test's line, not ours.
        """
        test = tmp_path / "test_user.py"
        test.write_text(
            "from twilio_tokens import VideoGrant\n"
            "from twilio_tokens.testing import assert_token, fake_credentials\n"
            "\n"
            "def test_mine():\n"
            "    jwt = fake_credentials().mint(identity='bob', grants=[VideoGrant()])\n"
            "    assert_token(jwt, identity='alice')  # the user's line\n"
        )
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                str(test),
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )

        assert 1 == done.returncode
        assert (
            "assert_token(jwt, identity='alice')  # the user's line"
            in done.stdout
        )
        assert "identity: expected 'alice', got 'bob'" in done.stdout
        assert "testing.py" not in done.stdout
        assert "def assert_token" not in done.stdout


class TestAssertTokenHelp:
    def test_signature_shows_readable_defaults(self):
        """
        help(assert_token) shows UNSET and plain defaults, no object address.
        """
        import pydoc

        text = pydoc.render_doc(assert_token, renderer=pydoc.plaintext)

        assert "object at 0x" not in text
        assert "identity: 'str | Literal[_Unset.UNSET] | None' = UNSET" in text
        assert "region: 'str | Literal[_Unset.UNSET] | None' = UNSET" in text
        assert "exact_grants: 'bool' = True" in text


# ------------------------------------------------------------ secrets shown


PRINTED_SECRET = "never-printed-secret-0123456789-abcdef"  # 38 bytes


class TestSecretsInTestOutput:
    """
    No output a user's test run produces shows a secret: not pytest's
    attrs-aware assertion diff, not Hypothesis' falsifying example, not the
    locals pytest -l prints for assert_token's failures.
    """

    USER_TESTS = f"""
from hypothesis import given, settings, strategies as st
from twilio_tokens import AccessToken, VideoGrant
from twilio_tokens.testing import Credentials, assert_token, fake_credentials

SECRET = {PRINTED_SECRET!r}
OTHER = SECRET[::-1]
AC, SK = "AC" + "a" * 32, "SK" + "b" * 32

def test_tokens_differ():
    one = AccessToken(AC, SK, SECRET, identity="a", grants=[VideoGrant()])
    two = AccessToken(AC, SK, OTHER, identity="a", grants=[VideoGrant()])
    assert one == two

def test_credentials_differ():
    assert Credentials(AC, SK, SECRET) == Credentials(AC, SK, OTHER)

@settings(database=None, derandomize=True)
@given(st.builds(Credentials, st.just(AC), st.just(SK), st.just(SECRET)))
def test_hypothesis_example(creds):
    assert creds.account_sid == "nope"

def test_assert_token_without_a_token():
    assert_token(None, Credentials(AC, SK, SECRET))

def test_assert_token_with_a_bad_argument():
    creds = Credentials(AC, SK, SECRET)
    jwt = creds.mint(identity="a", grants=[VideoGrant()])
    assert_token(jwt, creds, leeway="a while")

def test_assert_token_not_verifying():
    creds = Credentials(AC, SK, SECRET)
    jwt = Credentials(AC, SK, OTHER).mint(identity="a", grants=[VideoGrant()])
    assert_token(jwt, creds)
"""

    def test_no_failure_report_shows_the_secret(self, tmp_path):
        test = tmp_path / "test_user.py"
        test.write_text(self.USER_TESTS)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "-l",
                "-vv",
                "--tb=long",
                str(test),
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )
        output = done.stdout + done.stderr

        assert "6 failed" in output, output[-2000:]
        assert "creds=Credentials(" in output  # Hypothesis showed it
        assert "Differing attributes" in output  # pytest's attrs diff ran
        assert "no token to check: got None" in output
        assert "leeway must be int seconds" in output
        assert "the token does not verify" in output
        for shown in (PRINTED_SECRET, PRINTED_SECRET[::-1]):
            assert shown not in output
            assert repr(shown)[1:-1] not in output
        assert "<secret hidden>" in output


class TestCredentialsHoldTheSecret:
    def test_the_secret_reads_back_as_text(self):
        creds = Credentials(ACCOUNT, KEY, SECRET)
        assert creds.api_key_secret == SECRET
        assert type(creds.api_key_secret) is str
        assert SECRET not in repr(creds)
        assert creds == Credentials(ACCOUNT, KEY, SECRET)
        assert creds != Credentials(ACCOUNT, KEY, SECRET[::-1])
        assert hash(creds) == hash(Credentials(ACCOUNT, KEY, SECRET))

    def test_attrs_evolve_and_pickle_keep_it(self):
        import pickle

        import attrs

        creds = Credentials(ACCOUNT, KEY, SECRET)
        assert attrs.evolve(creds, account_sid=ACCOUNT) == creds
        assert pickle.loads(pickle.dumps(creds)).api_key_secret == SECRET

    def test_a_bad_secret_is_refused_unshown(self):
        with pytest.raises(ValueError, match="whitespace") as e:
            Credentials(ACCOUNT, KEY, SECRET + "\n")
        assert SECRET not in str(e.value)


class TestWarningsPointAtTheUsersLine:
    def test_credentials_mint_warns_at_the_callers_line(self):
        creds = Credentials(ACCOUNT, KEY, SECRET)
        with pytest.warns(TokenWarning) as caught:
            creds.mint(now=NOW, identity="a", grants=[VoiceGrant()])
        assert {w.filename for w in caught} == {__file__}

    def test_token_warns_at_the_callers_line(self):
        creds = Credentials(ACCOUNT, KEY, SECRET)
        with pytest.warns(TokenWarning) as caught:
            creds.token(identity="a", grants=[VoiceGrant()])
        assert {w.filename for w in caught} == {__file__}

    def test_weak_secret_warning_points_here(self):
        from twilio_tokens import WeakSecretWarning

        with pytest.warns(WeakSecretWarning) as caught:
            Credentials(ACCOUNT, KEY, "short-secret").token(
                identity="a", grants=[VideoGrant()]
            )
        assert [w.filename for w in caught] == [__file__]


class TestAssertTokenLifetime:
    def test_ttl_of_a_token_with_nbf_but_no_iat(self):
        """twilio-python's tokens carry nbf, not iat: ttl is exp - nbf."""
        from twilio_tokens import compat

        token = compat.AccessToken(ACCOUNT, KEY, SECRET, identity="a", ttl=600)
        token.add_grant(compat.VideoGrant())
        jwt = token.to_jwt()
        creds = Credentials(ACCOUNT, KEY, SECRET)

        assert_token(jwt, creds, ttl=600)
        with pytest.raises(AssertionError) as e:
            assert_token(jwt, creds, ttl=3600)
        assert "ttl (exp - nbf): expected 3600, got 600" in str(e.value)

    def test_ttl_of_a_token_with_neither_cannot_be_known(self):
        from twilio_tokens import compat

        token = compat.AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", nbf=None
        )
        token.add_grant(compat.VideoGrant())
        creds = Credentials(ACCOUNT, KEY, SECRET)
        with pytest.raises(AssertionError) as e:
            assert_token(token.to_jwt(), creds, ttl=3600)
        assert "lifetime cannot be known" in str(e.value)
        assert "1796" not in str(e.value)  # no epoch posing as a lifetime


class TestAssertTokenBadArguments:
    def test_a_negative_leeway_is_a_value_error_from_assert_token(self):
        jwt = fake_credentials().mint(identity="a", grants=[VideoGrant()])
        with pytest.raises(
            ValueError, match="leeway must not be negative"
        ) as e:
            assert_token(jwt, leeway=-1)
        assert e.value.__suppress_context__
        assert e.value.__cause__ is None

    def test_secret_boxes_compare_only_with_boxes(self):
        from twilio_tokens._credentials import Secret

        assert Secret(SECRET) == Secret(SECRET)
        assert Secret(SECRET) != SECRET
        assert Secret(SECRET).__eq__(SECRET) is NotImplemented
