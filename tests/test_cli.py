"""
The twilio-tokens command: every flag, the exit codes, and no secret shown.
"""

import ast
import contextlib
import io
import json
import os
import pathlib
import re
import subprocess
import sys
import time
import warnings

from importlib.metadata import version

import pytest
import twilio_tokens

from hypothesis import given, settings
from hypothesis import strategies as st
from twilio_tokens import (
    AccessToken,
    ChatGrant,
    CustomGrant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    TokenWarning,
    VideoGrant,
    VoiceGrant,
    decode,
    decode_unverified,
)
from twilio_tokens._cli import (
    MAX_INPUT_LENGTH,
    _Output,
    _parser,
    _unwrap,
    main,
)
from twilio_tokens._credentials import ENV
from twilio_tokens._fields import show_sid
from twilio_tokens._json import thaw
from twilio_tokens._jws import MAX_TOKEN_LENGTH
from twilio_tokens.testing import (
    FAKE_API_KEY_SECRET,
    Credentials,
    fake_credentials,
)

from helpers import (
    ACCOUNT,
    APP,
    CRED,
    KEY,
    OTHER_SECRET,
    ROLE,
    SECRET,
    SERVICE,
    WORKER,
    WORKSPACE,
    b64,
)


EXE = str(pathlib.Path(sys.executable).parent / "twilio-tokens")
TWILIO_VARS = {name for names in ENV.values() for name in names}
CREDS = {
    "TWILIO_ACCOUNT_SID": ACCOUNT,
    "TWILIO_API_KEY": KEY,
    "TWILIO_API_SECRET": SECRET,
}


def cli(*argv, stdin=None, env=None):
    """
    Run the installed console script; only *env*'s TWILIO_* are set.
    """
    environ = {k: v for k, v in os.environ.items() if k not in TWILIO_VARS}
    environ.update(env or {})
    done = subprocess.run(
        [EXE, *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=environ,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def quietly(mint, **kwargs):
    """
    Mint a token that is meant to have warning-level problems.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TokenWarning)
        return mint(**kwargs)


class TTY(io.StringIO):
    def isatty(self):
        return True


def run(*argv, stdin="", env=None, monkeypatch=None, tty=False):
    out, err = (TTY() if tty else io.StringIO()), io.StringIO()
    status = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in (
        "TWILIO_ACCOUNT_SID",
        "TWILIO_API_KEY",
        "TWILIO_API_SECRET",
        "TWILIO_API_KEY_SID",
        "TWILIO_API_KEY_SECRET",
        "NO_COLOR",
        "TERM",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def creds(monkeypatch):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("TWILIO_API_KEY_SID", KEY)
    monkeypatch.setenv("TWILIO_API_KEY_SECRET", SECRET)


class TestMint:
    def test_demo_mints_a_token_the_demo_secret_verifies(self):
        """
        --demo needs no account: fake credentials, a real token.
        """
        status, out, err = run(
            "mint", "--demo", "--identity", "alice", "--voice-incoming"
        )
        t = fake_credentials().decode(out.strip())

        assert (0, "") == (status, err)
        assert "alice" == t.identity
        assert (VoiceGrant(incoming_allow=True),) == t.grants

    def test_credentials_come_from_the_environment(self, creds):
        """
        Without --demo the TWILIO_* variables are used.
        """
        status, out, _ = run("mint", "--identity", "a", "--video")

        assert 0 == status
        assert ACCOUNT == decode(out.strip(), SECRET).account_sid

    def test_every_grant_flag(self, creds):
        """
        Each grant field has a flag, and they all reach the token.
        """
        every_flag = [
            "mint", "--identity", "alice", "--ttl", "7200", "--region", "ie1", "--jti", "my-id", "--nbf", "1",
            "--voice-incoming", "--voice-app", APP, "--voice-param", "to=+1555", "--voice-param", "x=y",
            "--voice-push-credential", CRED, "--voice-endpoint", "ve",
            "--chat-service", SERVICE, "--chat-endpoint", "ce", "--chat-role", ROLE, "--chat-push-credential", CRED,
            "--sync-service", "default", "--sync-endpoint", "se",
            "--taskrouter-workspace", WORKSPACE, "--taskrouter-worker", WORKER, "--taskrouter-role", "worker",
            "--playback-grant", '{"playbackUrl": "https://example.invalid"}',
            "--grant", 'flex_insights={"a": 1}', "--grant", "future=",
        ]  # fmt: skip
        status, _, err = run(*every_flag, "--valid-until", str(2**31))

        assert 2 == status  # valid_until is more than 24 h away: refused
        assert "valid_until=2147483648" in err
        status, out, err = run(*every_flag)
        t = decode(out.strip(), SECRET)

        assert 0 == status
        assert all(line.startswith("warning: ") for line in err.splitlines())
        assert ("alice", "ie1", "my-id", 1) == (
            t.identity,
            t.region,
            t.jti,
            t.claims["nbf"],
        )
        assert 7200 == t.claims["exp"] - t.claims["iat"]
        assert (
            VoiceGrant(
                incoming_allow=True,
                outgoing_application_sid=APP,
                outgoing_application_params={"to": "+1555", "x": "y"},
                push_credential_sid=CRED,
                endpoint_id="ve",
            ),
            ChatGrant(
                service_sid=SERVICE,
                endpoint_id="ce",
                deployment_role_sid=ROLE,
                push_credential_sid=CRED,
            ),
            SyncGrant(service_sid="default", endpoint_id="se"),
            TaskRouterGrant(
                workspace_sid=WORKSPACE, worker_sid=WORKER, role="worker"
            ),
            PlaybackGrant(grant={"playbackUrl": "https://example.invalid"}),
            CustomGrant(key="flex_insights", claims={"a": 1}),
            CustomGrant(key="future", claims={}),
        ) == t.grants

    def test_a_lone_field_flag_makes_its_grant(self):
        """
        Any field flag alone creates its grant; none is silently dropped.
        """
        status, out, _ = run(
            "mint",
            "--demo",
            "--identity",
            "a",
            "--taskrouter-role",
            "supervisor",
        )
        refused, _, err = run(
            "mint", "--demo", "--identity", "a", "--chat-push-credential", CRED
        )

        assert (
            TaskRouterGrant(role="supervisor"),
        ) == fake_credentials().decode(out.strip()).grants
        assert 0 == status
        assert 2 == refused  # a chat grant without its Service: Twilio's 51104
        assert "grants.chat.service_sid" in err

    def test_video_room_and_valid_until(self, creds):
        """
        --video-room restricts the Room; --valid-until sets exp.
        """
        import time

        until = int(time.time()) + 600
        status, out, _ = run(
            "mint",
            "--identity",
            "a",
            "--video-room",
            "daily",
            "--valid-until",
            str(until),
        )
        t = decode(out.strip(), SECRET)

        assert (0, VideoGrant(room="daily"), until) == (
            status,
            t.grants[0],
            t.claims["exp"],
        )

    def test_json_prints_token_and_decoded_view(self):
        """
        --json prints the JWT with its header and claims.
        """
        status, out, _ = run(
            "mint", "--demo", "--identity", "a", "--video", "--json"
        )
        view = json.loads(out)

        assert 0 == status
        assert {"token", "header", "claims", "verified"} == set(view)
        assert {"video": {}, "identity": "a"} == view["claims"]["grants"]

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (
                ["--identity", "a b", "--voice-incoming"],
                "only letters, digits and '_'",
            ),
            (["--voice-app", "AP1"], "must be a TwiML App SID"),
            (["--voice-param", "a=b"], "--voice-param needs --voice-app"),
            (["--ttl", "0"], "ttl=0"),
        ],
        ids=["voice-identity", "bad-sid", "param-without-app", "ttl"],
    )
    def test_bad_input_fails_with_a_message(self, argv, message):
        """
        Invalid input is refused with the reason, and no token.
        """
        status, out, err = run("mint", "--demo", *argv)

        assert 2 == status
        assert "" == out
        assert message in err

    def test_a_refused_token_is_a_usage_error(self):
        """
        A token Twilio would reject is refused for its arguments: exit 2.
        """
        assert (
            2
            == run("mint", "--demo", "--identity", "a b", "--voice-incoming")[
                0
            ]
        )

    def test_missing_credentials_is_a_usage_error(self):
        """
        No credentials and no --demo: exit 2, naming the variables.
        """
        status, _, err = run("mint", "--identity", "a")

        assert 2 == status
        assert "TWILIO_ACCOUNT_SID" in err

    @pytest.mark.parametrize(
        "argv",
        [
            ["mint", "--voice-param", "novalue"],
            ["mint", "--grant", "k={"],
            ["mint", "--ttl", "x"],
            [],
            ["frobnicate"],
        ],
        ids=["param", "grant-json", "ttl", "no-command", "unknown-command"],
    )
    def test_argument_errors_are_exit_2(self, argv, capsys):
        """
        argparse mistakes exit 2.
        """
        assert 2 == run(*argv)[0]

    def test_help_reads_like_documentation(self, capsys):
        """
        --help lists the grant flags and exits 0.
        """
        assert 0 == run("mint", "--help")[0]
        text = capsys.readouterr().out

        for flag in (
            "--voice-app",
            "--chat-service",
            "--video-room",
            "--sync-service",
            "--taskrouter-role",
            "--playback-grant",
            "--demo",
        ):
            assert flag in text

    def test_secret_is_not_an_option(self, capsys):
        """
        There is no flag that takes a secret on the command line.
        """
        run("mint", "--help")
        run("decode", "--help")

        assert "secret" not in capsys.readouterr().out.split(
            "TWILIO_API_SECRET"
        )[0].lower().replace("secret is never", "")


class TestDecode:
    def test_reads_stdin_and_says_it_did_not_verify(self):
        """
        Without a secret it shows the token and says so plainly.
        """
        jwt = fake_credentials().mint(
            identity="alice",
            grants=[VoiceGrant(incoming_allow=True)],
            ttl=3600,
        )
        status, out, _ = run("decode", "-", stdin=jwt + "\n")

        assert 0 == status
        assert "Identity   alice" in out
        assert "expires in 59 min" in out or "expires in 60 min" in out
        assert 'voice: {"incoming": {"allow": true}}' in out
        assert "signature not verified" in out

    def test_verifies_with_the_environment_secret(self, creds):
        """
        With TWILIO_API_SECRET set, the signature is verified.
        """
        jwt = AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
        ).to_jwt()
        status, out, _ = run("decode", jwt)

        assert 0 == status
        assert "signature verified" in out
        assert SECRET not in out

    def test_demo_flag_verifies_demo_tokens(self):
        """
        decode --demo verifies a token minted with --demo.
        """
        jwt = run("mint", "--demo", "--identity", "a", "--video")[1].strip()

        assert "signature verified" in run("decode", "--demo", jwt)[1]

    def test_invalid_signature_is_exit_1(self, creds):
        """
        A token signed with another secret is one 20107 error line, exit 1.
        """
        jwt = Credentials(ACCOUNT, KEY, OTHER_SECRET).mint(
            identity="a", grants=[VideoGrant()]
        )
        status, out, _ = run("decode", jwt)

        assert 1 == status
        assert 1 == out.count("20107")
        assert "error 20107 signature: " in out
        assert "signature verified" not in out
        assert "--demo" not in out

    def test_expired_token_shows_when(self):
        """
        An expired token says how long ago, and exits 1.
        """
        import time

        jwt = fake_credentials().mint(
            now=int(time.time()) - 3 * 3600 - 60,
            ttl=60,
            identity="a",
            grants=[VideoGrant()],
        )
        status, out, _ = run("decode", "--demo", jwt)

        assert 1 == status
        assert "expired 3 h ago" in out
        assert "error 20104 exp: expired 3 h ago; mint a fresh one." in out

    def test_json_output(self):
        """
        --json prints header, claims, verified and problems.
        """
        jwt = quietly(fake_credentials().mint, identity="a")
        view = json.loads(run("decode", "--json", jwt)[1])

        assert view["verified"] is None
        assert {"severity": "warning", "code": 20106, "field": "grants"} in [
            {k: p[k] for k in ("severity", "code", "field")}
            for p in view["problems"]
        ]

    def test_shows_grants_none_and_nbf(self):
        """
        A token without grants says (none); nbf is shown.
        """
        import time

        jwt = quietly(fake_credentials().mint, nbf=int(time.time()) - 30)
        out = run("decode", jwt)[1]

        assert "  (none)" in out
        assert "valid since 30 s ago" in out or "valid since 31 s ago" in out

    def test_colour_only_on_a_terminal(self, monkeypatch):
        """
        ANSI colour on a TTY, none in a pipe or with NO_COLOR.
        """
        jwt = fake_credentials().mint(identity="a", grants=[VideoGrant()])

        assert "\033[" in run("decode", jwt, tty=True)[1]
        assert "\033[" not in run("decode", jwt)[1]
        monkeypatch.setenv("NO_COLOR", "1")
        assert "\033[" not in run("decode", jwt, tty=True)[1]

    def test_text_a_terminal_cannot_show_is_escaped(self):
        """
        A lone surrogate in a claim is shown escaped; the exit code stays honest.
        """
        import base64
        import hashlib
        import hmac as hmac_

        creds = fake_credentials()

        def b64(data):
            return base64.urlsafe_b64encode(data).rstrip(b"=")

        header = b64(b'{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}')
        claims = json.dumps(
            {
                "jti": "j",
                "iss": creds.api_key_sid,
                "sub": creds.account_sid,
                "exp": 2**31,
                "grants": {"identity": "\ud800"},
            }
        ).encode()
        signing_input = header + b"." + b64(claims)
        jwt = (
            signing_input
            + b"."
            + b64(
                hmac_.new(
                    creds.api_key_secret.encode(),
                    signing_input,
                    hashlib.sha256,
                ).digest()
            )
        ).decode()

        class Strict(io.StringIO):
            encoding = "utf-8"

        out, err = Strict(), io.StringIO()
        status = main(
            ["decode", "--demo", jwt],
            stdin=io.StringIO(),
            stdout=out,
            stderr=err,
        )

        assert status in (0, 1)
        assert "\\ud800" in out.getvalue()

    def test_a_token_cannot_draw_on_the_terminal(self):
        """
        Control characters in claims are shown escaped: no fake lines, no ANSI.
        """
        creds = fake_credentials()
        jwt = quietly(
            creds.mint,
            identity="alice\x1b[2K\r",
            jti="j\nsignature verified\x1b[8m",
            grants=[CustomGrant(key="k\x1b]0;owned\x07", claims={})],
        )
        status, out, _ = run("decode", "--demo", jwt)

        assert 0 == status
        assert "\x1b" not in out
        assert "\r" not in out
        assert "\x07" not in out
        assert "Token id   j\\nsignature verified\\x1b[8m" in out
        assert (
            out.count("signature verified") == 2
        )  # ours, and the escaped fake

    def test_garbage_is_exit_1(self):
        """
        Not a JWT: exit 1 with Twilio's code.
        """
        status, _, err = run("decode", "garbage")

        assert 1 == status
        assert "20101" in err

    def test_no_token_on_a_terminal_is_a_usage_error(self):
        """
        decode with nothing to read is exit 2.
        """
        out, err = io.StringIO(), io.StringIO()

        assert 2 == main(["decode"], stdin=TTY(), stdout=out, stderr=err)
        assert "no token" in err.getvalue()
        assert 2 == run("decode", stdin="  \n")[0]


class TestCheck:
    def test_lists_problems_with_codes(self):
        """
        One line per problem: severity, code, field, message.
        """
        jwt = quietly(
            fake_credentials().mint, identity="a", grants=[PlaybackGrant()]
        )
        status, out, _ = run("check", jwt)

        assert 0 == status
        assert "warning 20106 grants.player:" in out
        assert "signature not verified" in out

    def test_clean_token(self, creds):
        """
        A clean, verified token says so and exits 0.
        """
        jwt = AccessToken(
            ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
        ).to_jwt()
        status, out, _ = run("check", jwt)

        assert (0, "no problems found\nsignature verified\n") == (status, out)

    def test_demo_secret_verifies_demo_tokens(self):
        """
        check --demo verifies a --demo token: clean, and nothing unverified.
        """
        jwt = run("mint", "--demo", "--identity", "a", "--video")[1].strip()
        status, out, _ = run("check", "--demo", jwt)

        assert (0, "no problems found\nsignature verified\n") == (status, out)
        assert (
            1
            == run(
                "check",
                "--demo",
                AccessToken(
                    ACCOUNT, KEY, SECRET, identity="a", grants=[VideoGrant()]
                ).to_jwt(),
            )[0]
        )

    def test_errors_exit_1_and_json(self):
        """
        Error problems exit 1; --json gives a list.
        """
        status, out, _ = run("check", "--json", "a.b")

        assert 1 == status
        assert 20101 == json.loads(out)[0]["code"]
        assert "error - x: m" == run_line()


def run_line():
    from twilio_tokens import Problem
    from twilio_tokens._cli import _problem_line

    return _problem_line(
        Problem(None, "error", "x", "m"), _Output(io.StringIO())
    )


class TestEntryPoints:
    def test_console_script_round_trip(self):
        """
        The installed command pipes into itself, as the README shows.
        """
        exe = str(pathlib.Path(sys.executable).parent / "twilio-tokens")
        minted = subprocess.run(
            [exe, "mint", "--demo", "--identity", "alice", "--voice-incoming"],
            capture_output=True,
            text=True,
            check=True,
        )
        shown = subprocess.run(
            [exe, "decode", "-"],
            input=minted.stdout,
            capture_output=True,
            text=True,
            check=True,
        )

        assert "Identity   alice" in shown.stdout
        assert FAKE_API_KEY_SECRET not in minted.stdout + shown.stdout

    def test_python_dash_m(self):
        """
        python -m twilio_tokens is the same command.
        """
        done = subprocess.run(
            [sys.executable, "-m", "twilio_tokens", "check", "x"],
            capture_output=True,
            text=True,
            check=False,
        )

        assert 1 == done.returncode
        assert "20101" in done.stdout


def demo_jwt(**kwargs):
    """
    A token minted as ``mint --demo`` would, with *kwargs*.
    """
    kwargs.setdefault("identity", "alice")
    kwargs.setdefault("grants", [VideoGrant()])
    return fake_credentials().mint(**kwargs)


class TestVersion:
    def test_version_prints_the_installed_version(self):
        """
        --version prints the name and the installed version, exit 0.
        """
        status, out, err = cli("--version")

        assert (0, f"twilio-tokens {version('twilio-tokens')}\n", "") == (
            status,
            out,
            err,
        )


class TestTtl:
    @pytest.mark.parametrize(
        ("text", "seconds"),
        [
            ("90s", 90),
            ("30m", 1800),
            ("1h", 3600),
            ("1h30m", 5400),
            ("2m30s", 150),
            ("7200", 7200),
        ],
        ids=["seconds", "minutes", "hour", "hour-minutes", "m-s", "plain"],
    )
    def test_durations_and_plain_seconds(self, text, seconds):
        """
        --ttl takes plain seconds or a duration such as 1h30m.
        """
        status, out, err = cli(
            "mint", "--demo", "--video", "--identity", "a", "--ttl", text
        )
        claims = decode_unverified(out.strip()).claims

        assert (0, "") == (status, err)
        assert seconds == claims["exp"] - claims["iat"]

    @pytest.mark.parametrize(
        "text",
        ["soon", "1x", "", "h", "1h-", "-5", "1.5h", "1" * 13],
        ids=[
            "word",
            "unit",
            "empty",
            "no-digits",
            "trailing",
            "negative",
            "float",
            "huge",
        ],
    )
    def test_bad_duration_is_a_usage_error(self, text):
        """
        A --ttl that is no duration is exit 2, saying what is accepted.
        """
        status, out, err = cli(
            "mint", "--demo", "--identity", "a", "--ttl", text
        )

        assert (2, "") == (status, out)
        assert f"argument --ttl: invalid duration {text!r}" in err
        assert "90s, 30m, 1h or 1h30m" in err


class TestPastedTokens:
    @pytest.mark.parametrize(
        ("pasted", "said"),
        [
            ("Bearer {}", "a leading 'Bearer '"),
            ("bearer {}", "a leading 'Bearer '"),
            ('"{}"', "surrounding quotes"),
            ("'{}'", "surrounding quotes"),
            ("  {}\t", "whitespace"),
            (
                ' BEARER "{}"',
                "whitespace, a leading 'Bearer ' and surrounding quotes",
            ),
        ],
        ids=["bearer", "lower-case", "double", "single", "spaces", "all"],
    )
    @pytest.mark.parametrize("command", ["decode", "check"])
    @pytest.mark.parametrize("via", ["argument", "stdin"])
    def test_wrapping_is_stripped_and_said(self, pasted, said, command, via):
        """
        A Bearer prefix, quotes or spaces are stripped, with a note on stderr.
        """
        text = pasted.format(demo_jwt())
        argv, stdin = (
            ([text], None) if via == "argument" else (["-"], text + "\n")
        )

        status, out, err = cli(command, "--demo", *argv, stdin=stdin)

        assert 0 == status
        assert f"twilio-tokens: note: stripped {said} from the token\n" == err
        assert "signature verified" in out or "no problems found" in out

    def test_a_piped_token_needs_no_note(self):
        """
        The line ending of a pipe is not pasted whitespace: no note.
        """
        status, _, err = cli(
            "decode", "--demo", "-", stdin=demo_jwt() + "\r\n"
        )

        assert (0, "") == (status, err)

    @pytest.mark.parametrize(
        ("argv", "stdin", "message"),
        [
            (["'Bearer '"], None, "the token is empty"),
            (["-"], '""\n', "no token on stdin"),
        ],
        ids=["argument", "stdin"],
    )
    def test_nothing_left_is_a_usage_error(self, argv, stdin, message):
        """
        Wrapping around nothing is no token: exit 2, without a note.
        """
        status, _, err = cli("decode", *argv, stdin=stdin)

        assert 2 == status
        assert f"twilio-tokens: error: {message}\n" == err


class TestDemoHints:
    def test_mint_without_credentials_suggests_demo(self):
        """
        No credentials: the error names the variables and suggests --demo.
        """
        status, out, err = cli("mint", "--identity", "a", "--video")

        assert (2, "") == (status, out)
        assert "TWILIO_API_SECRET" in err
        assert "Add --demo to mint with built-in, fake credentials." in err

    def test_decode_demo_verifies_a_demo_token(self):
        """
        decode --demo verifies what mint --demo minted.
        """
        minted = cli("mint", "--demo", "--identity", "alice", "--video")[1]
        status, out, _ = cli("decode", "--demo", minted.strip())

        assert 0 == status
        assert "signature verified" in out

    def test_decoding_a_demo_token_without_a_secret_hints_at_demo(self):
        """
        A demo token read without a secret says --demo would verify it.
        """
        status, out, _ = cli("decode", demo_jwt())
        checked = cli("check", demo_jwt())[1]

        assert 0 == status
        assert (
            "signature not verified (a --demo token: add --demo to verify it)"
            in out
        )
        assert (
            "signature not verified (a --demo token: add --demo to verify it)"
            in checked
        )

    def test_a_demo_token_failing_another_secret_hints_at_demo(self):
        """
        A demo token checked against the environment's secret hints at --demo.
        """
        decoded = cli("decode", demo_jwt(), env=CREDS)
        checked = cli("check", demo_jwt(), env=CREDS)

        for status, out, _ in (decoded, checked):
            assert 1 == status
            assert "error 20107 signature: " in out
            assert (
                "(a --demo token: add --demo to verify it with the demo secret)"
                in out
            )

    def test_other_tokens_get_no_demo_hint(self):
        """
        A token of other credentials, unverified, says which variable to set.
        """
        jwt = Credentials(ACCOUNT, KEY, SECRET).mint(
            identity="a", grants=[VideoGrant()]
        )
        _, decoded, _ = cli("decode", jwt)
        _, checked, _ = cli("check", jwt)

        assert (
            "signature not verified (set TWILIO_API_SECRET to verify)"
            in decoded
        )
        assert (
            "signature not verified (set TWILIO_API_SECRET to verify)"
            in checked
        )
        assert "--demo" not in decoded + checked


class TestExpired:
    def expired(self):
        return demo_jwt(now=int(time.time()) - 7200, ttl=3600)

    def test_decode_says_it_once_in_words(self):
        """
        An expired token is one line: when, in words, with code 20104.
        """
        status, out, err = cli("decode", "--demo", self.expired())

        assert (1, "") == (status, err)
        assert (
            "error 20104 exp: expired 60 min ago; mint a fresh one.\n" in out
        )
        assert 1 == out.count("20104")
        assert "after now" not in out
        assert "signature verified" in out

    def test_check_says_it_in_words(self):
        """
        check words an expired token the same way, in text and in JSON.
        """
        status, out, _ = cli("check", "--demo", self.expired())
        view = json.loads(cli("check", "--demo", "--json", self.expired())[1])
        shown = json.loads(
            cli("decode", "--demo", "--json", self.expired())[1]
        )

        assert 1 == status
        assert (
            "error 20104 exp: expired 60 min ago; mint a fresh one.\n" in out
        )
        assert 1 == out.count("20104")
        assert "expired 60 min ago; mint a fresh one." == view[0]["message"]
        assert (
            "expired 60 min ago; mint a fresh one."
            == shown["problems"][0]["message"]
        )


class TestMintOutput:
    def test_json_says_verified(self):
        """
        mint --json says verified: true; the token was just signed.
        """
        status, out, _ = cli(
            "mint", "--demo", "--identity", "a", "--video", "--json"
        )

        assert 0 == status
        assert json.loads(out)["verified"] is True

    def test_warnings_go_to_stderr_and_the_token_to_stdout(self):
        """
        A warning raised while minting is a stderr line; stdout is the token.
        """
        short = "short-secret"
        env = {**CREDS, "TWILIO_API_SECRET": short}
        status, out, err = cli("mint", "--identity", "a", "--video", env=env)

        assert 0 == status
        assert 1 == len(out.splitlines())
        assert "a" == decode_unverified(out.strip()).identity
        assert err.startswith("warning: api_key_secret is 12 bytes")
        assert 1 == len(err.splitlines())
        assert short not in out + err


class TestExitCodes:
    def test_help_documents_each_code_with_an_example_that_gives_it(self):
        """
        --help gives an example per exit code, and each exits with it.
        """
        status, out, _ = cli("--help")
        documented = re.findall(
            r"^  ([012])  .*\n(?:     \S.*\n)*       (twilio-tokens .*)$",
            out,
            re.MULTILINE,
        )

        assert 0 == status
        assert ["0", "1", "2"] == [code for code, _ in documented]
        for code, example in documented:
            assert int(code) == cli(*example.split()[1:])[0], example

    def test_the_docs_show_the_same_examples(self):
        """
        The docs' exit-status table is generated from this very epilog.
        """
        page = (
            pathlib.Path(__file__).parent.parent / "docs" / "cli.md"
        ).read_text()
        out = cli("--help")[1]

        assert "```{twilio-exit-statuses}\n```" in page
        assert _parser().epilog in out  # what the table is built from


OTHER_ACCOUNT = "AC" + "9" * 32
OTHER_KEY = "SK" + "9" * 32
JWT_ALPHABET = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
)


def unwrap_reference(text):
    """
    The wrapping rule, one layer at a time (slow, but plainly right).
    """
    stripped = {}
    while True:
        if text != text.strip():
            text = text.strip()
            stripped["whitespace"] = None
        elif len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1]
            stripped["surrounding quotes"] = None
        elif (
            m := re.match(r"bearer(?:\s+|$)", text, re.IGNORECASE)
        ) is not None:
            text = text[m.end() :]
            stripped["a leading 'Bearer '"] = None
        else:
            return text, list(stripped)


class Endless(io.StringIO):
    """
    A pipe that never ends: read() of it all would never return.
    """

    def __init__(self, char="x"):
        super().__init__()
        self.char = char
        self.asked = []

    def read(self, size=-1):
        self.asked.append(size)
        if size is None or size < 0:
            msg = "read it all: a pipe may never end"
            raise AssertionError(msg)
        return self.char * size


def run_stdin(stream, *argv):
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdin=stream, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def padded(jwt, left, right, size=MAX_INPUT_LENGTH):
    """*jwt* inside as many layers of *left*/*right* as fit in *size*."""
    layers = (size - len(jwt)) // (len(left) + len(right))
    return left * layers + jwt + right * layers


class TestInputBound:
    def test_the_bound_is_a_little_over_the_token_bound(self):
        """
        The bound leaves room for wrapping, and no more than 4 KiB.
        """
        assert MAX_TOKEN_LENGTH < MAX_INPUT_LENGTH <= MAX_TOKEN_LENGTH + 4096

    @pytest.mark.parametrize("command", ["decode", "check"])
    def test_an_endless_pipe_is_refused_after_the_bound(self, command):
        """
        stdin is read up to the bound, never whole: an endless pipe is exit 2.
        """
        stream = Endless()
        status, out, err = run_stdin(stream, command, "--demo", "-")

        assert (2, "") == (status, out)
        assert (
            f"twilio-tokens: error: stdin is over {MAX_INPUT_LENGTH} "
            f"characters, and is refused unread: a token is at most "
            f"{MAX_TOKEN_LENGTH} bytes.\n"
        ) == err
        assert sum(stream.asked) <= MAX_INPUT_LENGTH + 3

    @pytest.mark.parametrize("json_flag", [[], ["--json"]])
    @pytest.mark.parametrize("command", ["decode", "check"])
    @pytest.mark.parametrize("via", ["argument", "stdin"])
    def test_at_the_bound_read_one_past_refused(self, via, command, json_flag):
        """
        A wrapped token of exactly the bound is read; one more is exit 2.
        """
        jwt = demo_jwt()
        at = " " * (MAX_INPUT_LENGTH - len(jwt)) + jwt
        past = " " + at

        def go(text):
            if via == "argument":
                return run(command, "--demo", *json_flag, text)
            return run(command, "--demo", *json_flag, "-", stdin=text + "\n")

        status, _, err = go(at)
        refused, out, message = go(past)

        assert 0 == status
        assert "stripped whitespace" in err
        assert (2, "") == (refused, out)
        assert f"is over {MAX_INPUT_LENGTH} characters" in message
        assert str(MAX_TOKEN_LENGTH) in message

    def test_a_pipes_line_ending_is_not_counted(self):
        """
        The bound is on the text: a piped line ending is not part of it.
        """
        jwt = demo_jwt()
        at = " " * (MAX_INPUT_LENGTH - len(jwt)) + jwt

        assert 0 == run("check", "--demo", "-", stdin=at + "\r\n")[0]
        assert 2 == run("check", "--demo", "-", stdin=at + "\r\nx")[0]

    @given(
        st.lists(
            st.sampled_from(
                [
                    " ",
                    "\t",
                    "\n",
                    "\u2003",
                    '"',
                    "'",
                    "Bearer ",
                    "bearer",
                    "BEARER\t",
                    "x",
                    "eyJ",
                    ".",
                ]
            ),
            max_size=40,
        ).map("".join)
    )
    def test_one_pass_unwraps_as_layer_by_layer_does(self, text):
        """
        The one-pass unwrap gives what stripping layer by layer gives.
        """
        assert unwrap_reference(text) == _unwrap(text)

    @pytest.mark.parametrize(
        ("worst", "expected"),
        [
            (lambda jwt: padded(jwt, '"', '"'), 0),
            (lambda jwt: padded(jwt, "'", "'"), 0),
            (lambda jwt: padded(jwt, '" ', ' "'), 0),
            (lambda jwt: padded(jwt, "' \"", "\" '"), 0),
            (lambda jwt: padded(jwt, "Bearer ", ""), 0),
            (lambda jwt: padded(jwt, '"Bearer ', '"'), 0),
            (lambda jwt: padded(jwt, "bearer\t'", "'"), 0),
            (lambda jwt: padded(jwt, " ", " "), 0),
            (lambda jwt: padded(jwt, "\u2003", "\u2003"), 0),
            (lambda jwt: '"' * MAX_INPUT_LENGTH, 2),
            (lambda jwt: body_of(jwt, "[],"), 0),
            (lambda jwt: body_of(jwt, "[[]],"), 0),
            (lambda jwt: body_of(jwt, '["\\""],'), 0),
            (lambda jwt: filled('{"token": "' + jwt + '", "a": "', '\\"'), 2),
            (lambda jwt: filled('{"' + "k" * 10_000 + '"', ":"), 2),
            (lambda jwt: filled('{"a":', "["), 2),
        ],
        ids=[
            "double-quotes",
            "single-quotes",
            "quote-space",
            "mixed",
            "bearer",
            "quoted-bearer",
            "bearer-tab-quote",
            "spaces",
            "em-spaces",
            "only-quotes",
            "body-many-arrays",
            "body-nested-pairs",
            "body-escaped-strings",
            "body-unterminated",
            "body-colons",
            "body-deep",
        ],
    )
    def test_worst_inputs_up_to_the_bound_are_read_or_refused(
        self, worst, expected
    ):
        """
        The worst inputs up to the bound are read (or refused) with the
        right status, in one linear pass. Their cost beside a bare token's
        is measured by benchmarks/bench.py, case (h): the suite asserts no
        timings.
        """
        jwt = demo_jwt()
        text = worst(jwt)

        assert MAX_INPUT_LENGTH - 100 < len(text) <= MAX_INPUT_LENGTH
        assert expected == run("check", "--demo", text)[0]


def filled(head, unit, tail=""):
    """*head*, as many *unit* as fit in the input bound, and *tail*."""
    room = MAX_INPUT_LENGTH - len(head) - len(tail)
    return head + unit * (room // len(unit)) + tail


def body_of(jwt, item):
    """A token endpoint's body with *jwt*, and an array of *item* to the bound."""
    return filled('{"token": "' + jwt + '", "a": [', item, "[]]}")


def nested(depth, inner="1"):
    return "[" * depth + inner + "]" * depth


class TestFlagJson:
    @pytest.mark.parametrize(
        "flag", ["--grant=k=", "--playback-grant="], ids=["grant", "playback"]
    )
    @pytest.mark.parametrize(
        ("value", "said"),
        [
            (nested(100_000), "nest more than 32 deep"),
            ('{"a": ' + nested(33) + "}", "nest more than 32 deep"),
            ('{"a": 1' + "0" * 4001 + "}", "at most 4000 are read"),
            ('{"a": NaN}', "NaN is not JSON"),
            ('{"a": -Infinity}', "-Infinity is not JSON"),
            ('{"a": 1e999}', "overflows a double"),
            ("{", "not JSON: Expecting property name"),
        ],
        ids=["deep", "past-32", "huge-int", "nan", "infinity", "1e999", "cut"],
    )
    def test_unbounded_json_is_a_usage_error(self, flag, value, said):
        """
        Deep nesting, huge numbers and NaN in flag JSON: exit 2, no traceback.
        """
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status, out, _ = run("mint", "--demo", flag + value)

        assert (2, "") == (status, out)
        assert "not JSON: " in err.getvalue()
        assert said in err.getvalue()
        assert "Traceback" not in err.getvalue()

    def test_the_deepest_grant_json_a_token_holds_mints(self):
        """
        Grant JSON as deep as a payload allows mints; one level more is exit 2.
        """
        deepest = nested(30)  # payload > grants > k > 30 arrays: 32 deep
        status, out, _ = run("mint", "--demo", "--grant", "k=" + deepest)
        refused, _, err = run("mint", "--demo", "--grant", "k=" + nested(31))

        assert 0 == status
        assert json.loads(deepest) == thaw(
            decode_unverified(out.strip()).claims["grants"]["k"]
        )
        assert 2 == refused
        assert "nests objects and arrays more than 32 deep" in err


MINT_FLAGS = [
    "--identity", "--region", "--jti", "--nbf", "--valid-until", "--ttl",
    "--voice-app", "--voice-param", "--voice-push-credential",
    "--voice-endpoint", "--chat-service", "--chat-endpoint", "--chat-role",
    "--chat-push-credential", "--video-room", "--sync-service",
    "--sync-endpoint", "--taskrouter-workspace", "--taskrouter-worker",
    "--taskrouter-role", "--playback-grant", "--grant",
]  # fmt: skip


class TestMintExitCodes:
    @pytest.mark.parametrize(
        ("argv", "said"),
        [
            (["--chat-service", "ISxxx"], "ChatGrant.service_sid"),
            (["--ttl", "48h"], "ttl"),
            (["--identity", "a b", "--voice-incoming"], "'_'"),
            (["--valid-until", str(2**31)], "valid_until=2147483648"),
            (["--nbf", str(2**31), "--ttl", "60"], "nbf"),
            (["--chat-push-credential", CRED], "grants.chat.service_sid"),
            (["--grant", "identity={}"], "CustomGrant.key"),
            (["--grant", "voice={}"], "VoiceGrant"),
            (["--playback-grant", "[1]"], "PlaybackGrant.grant"),
            (["--nbf", "1" * 13], "argument --nbf: invalid epoch seconds"),
            (["--nbf", "-1"], "argument --nbf: invalid epoch seconds"),
            (["--valid-until", "soon"], "argument --valid-until: invalid"),
            (
                [
                    "--voice-app",
                    APP,
                    "--voice-param",
                    "to=1",
                    "--voice-param",
                    "to=2",
                ],
                "--voice-param names 'to' twice; give each name once.",
            ),
            (
                ["--grant", "k=1", "--grant", "k=2"],
                "two grants have the key 'k'",
            ),
        ],
        ids=[
            "bad-service",
            "ttl-48h",
            "voice-identity",
            "far-valid-until",
            "never-valid",
            "chat-without-service",
            "identity-key",
            "builtin-key",
            "playback-array",
            "huge-nbf",
            "negative-nbf",
            "word-valid-until",
            "voice-param-twice",
            "grant-twice",
        ],
    )
    def test_every_refused_argument_is_exit_2(self, argv, said):
        """
        A mint refused for its arguments is a usage error: exit 2, no token.
        """
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status, out, cli_err = run("mint", "--demo", *argv)
        said_all = err.getvalue() + cli_err

        assert (2, "") == (status, out)
        assert said in said_all
        assert "Traceback" not in said_all

    @settings(max_examples=150)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(MINT_FLAGS),
                st.one_of(
                    st.text(max_size=40),
                    st.from_regex(r"[A-Z]{2}[0-9a-f]{32}", fullmatch=True),
                    st.from_regex(r"[a-z_]{1,8}=.{0,20}", fullmatch=True),
                    st.from_regex(r"\d{1,14}[hms]?", fullmatch=True),
                ),
            ),
            min_size=1,
            max_size=4,
        )
    )
    def test_any_flag_value_mints_or_is_a_usage_error(self, flags):
        """
        Whatever the values, mint exits 0 with a token or 2 with a reason.
        """
        argv = [f"{flag}={value}" for flag, value in flags]
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status, out, cli_err = run("mint", "--demo", *argv)

        assert status in (0, 2)
        if status == 0:
            assert 1 == len(out.splitlines())
            decode_unverified(out.strip())
        else:
            assert "" == out
            assert "error" in err.getvalue() + cli_err
        assert FAKE_API_KEY_SECRET not in out + cli_err

    def test_the_exit_table_names_check_strict(self):
        """
        --help's exit table says what check --strict makes exit 1.
        """
        out = cli("--help")[1]
        table = out[out.index("exit status:") :]

        assert "check --strict" in table
        assert "a warning too" in table


def signed(account=ACCOUNT, key=KEY, secret=SECRET, **kwargs):
    kwargs.setdefault("identity", "alice")
    kwargs.setdefault("grants", [VideoGrant()])
    return quietly(Credentials(account, key, secret).mint, **kwargs)


class TestPinnedAccountAndKey:
    @pytest.mark.parametrize(
        ("env", "token", "wrong"),
        [
            (
                {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_KEY": KEY},
                {"account": OTHER_ACCOUNT, "key": OTHER_KEY},
                {"sub", "iss"},
            ),
            (
                {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_KEY_SID": KEY},
                {"key": OTHER_KEY},
                {"iss"},
            ),
            (
                {"TWILIO_ACCOUNT_SID": ACCOUNT},
                {"account": OTHER_ACCOUNT},
                {"sub"},
            ),
            ({"TWILIO_API_KEY": KEY}, {"key": OTHER_KEY}, {"iss"}),
        ],
        ids=["both", "key-sid-spelling", "account-only", "key-only"],
    )
    @pytest.mark.parametrize(
        "secret", [True, False], ids=["signed", "unsigned"]
    )
    @pytest.mark.parametrize("command", ["decode", "check"])
    def test_the_environment_pins_account_and_key(  # noqa: PLR0917
        self, monkeypatch, env, token, wrong, secret, command
    ):
        """
        A token of another account or key, even rightly signed, is 20103.
        """
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        if secret:
            monkeypatch.setenv("TWILIO_API_SECRET", SECRET)
        status, out, err = run(command, "--json", signed(**token))
        problems = json.loads(out)
        problems = problems if command == "check" else problems["problems"]

        assert 1 == status
        assert wrong == {p["field"] for p in problems if p["code"] == 20103}
        assert SECRET not in out + err

    @pytest.mark.parametrize("command", ["decode", "check"])
    def test_a_rightly_signed_token_of_another_account_is_not_fine(
        self, creds, command
    ):
        """
        The text says the signature matched, and exits 1 on the 20103s.
        """
        status, out, _ = run(command, signed(OTHER_ACCOUNT, OTHER_KEY))

        assert 1 == status
        assert "signature verified" in out
        assert "no problems found" not in out
        assert f"error 20103 sub: sub is '{OTHER_ACCOUNT}', but" in out
        assert f"error 20103 iss: iss is '{OTHER_KEY}', but" in out

    @pytest.mark.parametrize("command", ["decode", "check"])
    def test_flags_override_the_environment(self, creds, command):
        """
        --account-sid and --api-key-sid pin instead of the environment.
        """
        jwt = signed(OTHER_ACCOUNT, OTHER_KEY)
        status, _, _ = run(
            command,
            "--account-sid",
            OTHER_ACCOUNT,
            "--api-key-sid",
            OTHER_KEY,
            jwt,
        )
        refused, out, _ = run(command, "--api-key-sid", OTHER_KEY, jwt)

        assert 0 == status
        assert 1 == refused
        assert "error 20103 sub:" in out
        assert "error 20103 iss:" not in out

    @pytest.mark.parametrize("command", ["decode", "check"])
    def test_demo_pins_the_demo_sids(self, command):
        """
        --demo pins the demo account and key, unless the flags say otherwise.
        """
        jwt = signed(OTHER_ACCOUNT, OTHER_KEY, FAKE_API_KEY_SECRET)
        status, out, _ = run(command, "--demo", jwt)
        flagged = run(
            command,
            "--demo",
            "--account-sid",
            OTHER_ACCOUNT,
            "--api-key-sid",
            OTHER_KEY,
            jwt,
        )[0]

        assert 1 == status
        assert "error 20103 sub:" in out
        assert "error 20103 iss:" in out
        assert 0 == flagged

    @pytest.mark.parametrize(
        ("argv", "env", "said"),
        [
            (
                ["--account-sid", "AC123"],
                {},
                "--account-sid is 'AC123'; it must be an Account SID",
            ),
            (
                ["--api-key-sid", ACCOUNT],
                {},
                (
                    f"--api-key-sid is {show_sid(ACCOUNT, 'SK')}; it must be "
                    "an API Key SID"
                ),
            ),
            (
                [],
                {"TWILIO_ACCOUNT_SID": SECRET},
                "TWILIO_ACCOUNT_SID is 'te'... (36 characters); it must be",
            ),
            (
                [],
                {"TWILIO_API_KEY_SID": "SKnope"},
                "TWILIO_API_KEY (or TWILIO_API_KEY_SID) is 'SKnope'; it must",
            ),
        ],
        ids=["short-flag", "swapped-flag", "secret-in-env", "short-env"],
    )
    @pytest.mark.parametrize("command", ["decode", "check"])
    def test_a_pin_that_is_no_sid_is_a_usage_error(
        self, monkeypatch, argv, env, said, command
    ):
        """
        A pinned value that is no SID is exit 2, naming where; no secret shown.
        """
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        status, out, err = run(command, "--json", *argv, signed())

        assert (2, "") == (status, out)
        assert said in err
        assert SECRET not in err


class TestJsonOutput:
    @pytest.mark.parametrize(
        ("token", "code"),
        [
            ("garbage", 20101),
            ("a.b", 20101),
            ("a.b.c", 20101),
            ("x" * (MAX_TOKEN_LENGTH + 1), 20101),
            (
                ".".join(
                    [
                        b64('{"alg":"HS256","alg":"HS256"}'),
                        b64("{}"),
                        b64("s"),
                    ]
                ),
                20102,
            ),
            ("é.b.c", 20101),
        ],
        ids=[
            "word",
            "two-parts",
            "not-base64",
            "too-long",
            "dup-header",
            "non-ascii",
        ],
    )
    @pytest.mark.parametrize(
        ("argv", "verified"),
        [([], None), (["--demo"], False)],
        ids=["no-secret", "secret"],
    )
    def test_decode_json_of_a_non_jwt_is_json(
        self, token, code, argv, verified
    ):
        """
        decode --json of what is no JWT prints JSON: no header, the problem.
        """
        status, out, err = run("decode", "--json", *argv, token)
        view = json.loads(out)

        assert (1, "") == (status, err)
        assert {"header", "claims", "verified", "problems"} == set(view)
        assert (None, None, verified) == (
            view["header"],
            view["claims"],
            view["verified"],
        )
        assert code == view["problems"][0]["code"]
        assert "error" == view["problems"][0]["severity"]

    @settings(max_examples=100)
    @given(st.text(max_size=60) | st.text(JWT_ALPHABET, max_size=60))
    def test_every_decode_json_outcome_is_json_or_a_usage_error(self, text):
        """
        decode/check --json print JSON on stdout, or exit 2 saying why on stderr.
        """
        for command in ("decode", "check"):
            status, out, err = run(
                command, "--json", "--demo", "-", stdin=text
            )

            if status == 2:
                assert "" == out
                assert err.startswith("twilio-tokens: error: ")
            else:
                assert 1 == status
                json.loads(out)

    @pytest.mark.parametrize(
        ("argv", "stdin"),
        [
            (["-"], "  \n"),
            (["'Bearer '"], None),
            (['{"identity": "a"}'], None),
            (["--account-sid", "AC1", "x"], None),
            (["x" * (MAX_INPUT_LENGTH + 1)], None),
        ],
        ids=[
            "nothing",
            "empty",
            "body-without-token",
            "bad-pin",
            "over-bound",
        ],
    )
    @pytest.mark.parametrize("command", ["decode", "check"])
    def test_usage_errors_stay_on_stderr(self, argv, stdin, command):
        """
        With --json, a usage error is still exit 2, on stderr, stdout empty.
        """
        status, out, err = run(command, "--json", *argv, stdin=stdin or "")

        assert (2, "") == (status, out)
        assert err.startswith("twilio-tokens: error: ")

    @pytest.mark.parametrize(
        ("kwargs", "code", "verified"),
        [
            ({"now": int(time.time()) - 7200, "ttl": 3600}, 20104, True),
            ({"nbf": int(time.time()) + 600}, 20105, True),
            ({"secret": OTHER_SECRET}, 20107, False),
            ({"account": OTHER_ACCOUNT}, 20103, True),
        ],
        ids=["expired", "not-yet-valid", "other-secret", "other-account"],
    )
    def test_verified_is_the_signature_alone(
        self, creds, kwargs, code, verified
    ):
        """
        verified says the signature matched, whatever the time claims say.
        """
        jwt = signed(**kwargs)
        status, out, _ = run("decode", "--json", jwt)
        view = json.loads(out)
        _, text, _ = run("decode", jwt)

        assert 1 == status
        assert verified is view["verified"]
        assert code in [p["code"] for p in view["problems"]]
        assert ("signature verified" in text) is verified
        assert ("error 20107 signature" in text) is not verified

    def test_verified_is_null_without_a_secret(self):
        """
        No secret: verified is null, though the token is fine.
        """
        view = json.loads(run("decode", "--json", signed())[1])

        assert view["verified"] is None
        assert ACCOUNT == view["claims"]["sub"]


class TestStrict:
    AUTH_TOKEN_SHAPED = "0123456789abcdef" * 2

    def test_a_warning_fails_only_with_strict(self, monkeypatch):
        """
        An Auth-Token-shaped secret is a warning: exit 0, or 1 with --strict.
        """
        monkeypatch.setenv("TWILIO_API_SECRET", self.AUTH_TOKEN_SHAPED)
        jwt = signed(secret=self.AUTH_TOKEN_SHAPED)
        status, out, _ = run("check", jwt)
        strict, strict_out, _ = run("check", "--strict", jwt)
        as_json = run("check", "--strict", "--json", jwt)[0]

        assert (0, 1, 1) == (status, strict, as_json)
        assert "warning 20107 api_key_secret: " in out
        assert out == strict_out
        assert self.AUTH_TOKEN_SHAPED not in out

    @pytest.mark.parametrize(
        ("argv", "jwt", "status"),
        [
            (["--demo"], demo_jwt, 0),
            ([], demo_jwt, 1),
            (["--demo"], lambda: "x", 1),
            (
                ["--demo"],
                lambda: quietly(demo_jwt, grants=[PlaybackGrant()]),
                1,
            ),
        ],
        ids=["clean", "not-verified", "error", "warning"],
    )
    def test_strict_passes_only_a_clean_verified_token(
        self, argv, jwt, status
    ):
        """
        --strict exits 0 only when nothing at all was found, signature checked.
        """
        assert status == run("check", "--strict", *argv, jwt())[0]

    def test_strict_says_why_an_unverified_token_fails(self):
        """
        Without a secret, --strict says the unchecked signature fails it.
        """
        status, out, _ = run("check", "--strict", signed())

        assert 1 == status
        assert (
            "no problems found\n"
            "signature not verified (set TWILIO_API_SECRET to verify)\n"
            "(--strict: a signature not verified fails the check)\n"
        ) == out
        assert "--strict" not in run("check", signed())[1]

    def test_decode_has_no_strict(self):
        """
        --strict is check's: decode refuses it as an unknown flag.
        """
        with contextlib.redirect_stderr(io.StringIO()):
            assert 2 == run("decode", "--strict", demo_jwt())[0]


class TestTokenEndpointBody:
    @pytest.mark.parametrize(
        ("body", "notes"),
        [
            ('{{"token": "{}", "identity": "alice"}}', ""),
            (
                ' \'{{"identity": "alice", "token": "{}"}}\'\n',
                "stripped whitespace and surrounding quotes from the token\n",
            ),
            ('{{\n  "token": "{}"\n}}', ""),
        ],
        ids=["compact", "quoted", "pretty"],
    )
    @pytest.mark.parametrize("command", ["decode", "check"])
    @pytest.mark.parametrize("via", ["argument", "stdin"])
    def test_the_token_field_is_read(self, body, notes, command, via):
        """
        A token endpoint's JSON body is read for its token, with a note.
        """
        text = body.format(demo_jwt())
        argv, stdin = ([text], "") if via == "argument" else (["-"], text)
        status, out, err = run(command, "--demo", *argv, stdin=stdin)

        assert 0 == status
        assert "signature verified" in out
        note = "twilio-tokens: note: "
        assert (
            "".join(note + n for n in notes.splitlines(keepends=True))
            + (f'{note}read the "token" field of a JSON object\n')
            == err
        )

    @pytest.mark.parametrize(
        ("body", "said"),
        [
            ('{"identity": "alice", "ttl": 3600}', "a JSON object without a \"token\" field: its keys are ('identity', 'ttl')"),
            ('{"token": 5}', 'a JSON object whose "token" is a number, not a string'),
            ('{"token": null}', 'whose "token" is null, not a string'),
            ('{"token": ["x"]}', 'whose "token" is an array, not a string'),
            ('{"token": {"a": 1}}', 'whose "token" is an object, not a string'),
            ('{"token": true}', 'whose "token" is a boolean, not a string'),
            ('{"token": ""}', 'a JSON object whose "token" is empty'),
            ('{"token": "x"', "the input starts with '{' but is not JSON: "),
            ('{"a": ' + nested(40) + "}", "not JSON: objects and arrays nest more than 32 deep"),
            ('{"token": "x", "n": 1' + "0" * 5000 + "}", "not JSON: an integer of 5001 digits"),
        ],
        ids=["no-token", "number", "null", "array", "object", "bool", "empty", "cut", "deep", "huge-int"],
    )  # fmt: skip
    @pytest.mark.parametrize("command", ["decode", "check"])
    def test_a_body_without_a_string_token_is_a_usage_error(
        self, body, said, command
    ):
        """
        A JSON object with no string token is exit 2, saying what it saw.
        """
        status, out, err = run(command, "--demo", body)

        assert (2, "") == (status, out)
        assert said in err
        assert "Traceback" not in err

    def test_the_token_value_is_not_echoed(self):
        """
        A "token" that is not a string is named by its JSON type, not shown.
        """
        status, _, err = run(
            "check", '{"token": {"secret": "' + SECRET + '"}}'
        )

        assert 2 == status
        assert SECRET not in err


SIGNATURE_CASES = {
    "verified-env": (CREDS, [], signed),
    "verified-demo": ({}, ["--demo"], demo_jwt),
    "no-secret": ({}, [], signed),
    "no-secret-demo-token": ({}, [], demo_jwt),
    "demo-token-other-secret": (CREDS, [], demo_jwt),
    "other-secret": (CREDS, [], lambda: signed(secret=OTHER_SECRET)),
}


class TestOneSignatureVerdict:
    @pytest.mark.parametrize("case", list(SIGNATURE_CASES))
    def test_decode_and_check_say_the_same(self, case):
        """
        decode and check word the signature alike: the same last/first line.
        """
        env, argv, jwt = SIGNATURE_CASES[case]
        token = jwt()
        _, decoded, _ = cli("decode", *argv, token, env=env)
        _, checked, _ = cli("check", *argv, token, env=env)
        said = [
            line
            for line in decoded.splitlines()
            if "signature" in line and "Header" not in line
        ]

        assert said
        for line in said:
            assert line in checked.splitlines()

    def test_private_names_are_the_clis_own(self):
        """
        No private name of the CLI module is also a package module's name.
        """
        package = pathlib.Path(twilio_tokens.__file__).parent
        own = _top_level_names(package / "_cli.py")
        others = {p.stem for p in package.glob("*.py")}
        for path in package.glob("*.py"):
            if path.name != "_cli.py":
                others |= _top_level_names(path)

        private = {n for n in own if n.startswith("_") and n[1] != "_"}

        assert {"_cmd_decode", "_credentials_from", "_OK"} <= private
        assert set() == private & others


def _top_level_names(path):
    """The names a module defines or assigns at its top level."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = (
                node.targets if isinstance(node, ast.Assign) else [node.target]
            )
            names |= {
                n.id
                for t in targets
                for n in ast.walk(t)
                if isinstance(n, ast.Name)
            }
    return names


class TestBoundedMessages:
    @pytest.mark.parametrize(
        "argv",
        [
            ["mint", "--demo", "--ttl", "9" * 100_000],
            ["mint", "--demo", "--voice-param", "x" * 100_000],
            ["mint", "--demo", "--grant", "x" * 100_000],
            ["mint", "--demo", "--nbf", "x" * 100_000],
            ["decode", "a", "b" * 100_000],
            ["x" * 100_000],
            ["mint", "--" + "x" * 100_000],
        ],
        ids=["ttl", "voice-param", "grant", "nbf", "extra", "command", "flag"],
    )
    def test_a_huge_flag_value_is_not_echoed_whole(self, argv):
        """
        A refused flag value is shown bounded: a pasted blob is no wall of text.
        """
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status = run(*argv)[0]

        assert 2 == status
        assert len(err.getvalue()) < 2000


class TestEnvironment:
    @pytest.mark.parametrize("command", ["decode", "check"])
    def test_two_spellings_with_different_keys_are_a_usage_error(
        self, monkeypatch, command
    ):
        """
        TWILIO_API_KEY and TWILIO_API_KEY_SID set apart: exit 2, naming both.
        """
        monkeypatch.setenv("TWILIO_API_KEY", KEY)
        monkeypatch.setenv("TWILIO_API_KEY_SID", OTHER_KEY)
        status, out, err = run(command, signed())

        assert (2, "") == (status, out)
        assert "TWILIO_API_KEY and TWILIO_API_KEY_SID" in err
        assert KEY not in err
        assert OTHER_KEY not in err

    @pytest.mark.parametrize(
        ("secret", "said"),
        [
            (SECRET + "\n", "has trailing whitespace"),
            (f'"{SECRET}"', "has surrounding quotes"),
        ],
        ids=["newline", "quotes"],
    )
    @pytest.mark.parametrize("command", ["decode", "check"])
    def test_an_unusable_secret_is_named_by_its_variable(
        self, monkeypatch, secret, said, command
    ):
        """
        A secret with a newline or quotes: exit 2, naming the variable only.
        """
        monkeypatch.setenv("TWILIO_API_KEY_SECRET", secret)
        status, out, err = run(command, "--json", signed())

        assert (2, "") == (status, out)
        assert (
            "twilio-tokens: error: TWILIO_API_SECRET (or TWILIO_API_KEY_SECRET) "
            + said
        ) in err
        assert SECRET not in err
