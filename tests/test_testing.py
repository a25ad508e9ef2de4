"""
twilio_tokens.testing and the pytest plugin's fixtures.
"""

import os

import pytest

from twilio_tokens import AccessToken, ChatGrant, VideoGrant, VoiceGrant
from twilio_tokens.testing import (
    FAKE_API_KEY_SECRET,
    Credentials,
    assert_token,
    fake_credentials,
)

from conftest import NOW, SECRET, SERVICE


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
        token = AccessToken.from_env(identity="a")

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
            "grants.voice: expected VoiceGrant(incoming_allow=None" in message
        )
        assert "got VoiceGrant(incoming_allow=True" in message
        assert "grants.video: missing" in message
        assert "grants.chat: unexpected ChatGrant" in message

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
            now=NOW
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
            now=NOW, ttl=60, valid_until=None, nbf=NOW + 10
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

        jwt = fake_credentials().mint(now=NOW, ttl=120)

        assert_token(jwt, ttl=timedelta(minutes=2), now=NOW)
