"""
The twilio-tokens command: every flag, the exit codes, and no secret shown.
"""

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
from twilio_tokens._cli import _Output, main
from twilio_tokens._credentials import ENV
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

    def test_readme_gives_the_same_examples(self):
        """
        The README documents the same exit codes with the same examples.
        """
        readme = (
            pathlib.Path(__file__).parent.parent / "README.md"
        ).read_text()
        out = cli("--help")[1]

        for example in re.findall(
            r"^       (twilio-tokens .*)$", out, re.MULTILINE
        ):
            assert example in readme
