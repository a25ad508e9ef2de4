"""
twilio-tokens flex-validate: exit codes, credentials, output, no secret shown.
"""

import io
import json
import os
import pathlib
import subprocess
import sys

import pytest

from twilio_tokens._cli import main
from twilio_tokens._credentials import ENV


EXE = str(pathlib.Path(sys.executable).parent / "twilio-tokens")
VARS = {n for names in ENV.values() for n in names} | {"TWILIO_AUTH_TOKEN"}


class TTY(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def env(monkeypatch, twilio_flex):
    """
    The fake's account and Auth Token in the environment, nothing else.
    """
    for name in VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", twilio_flex.account_sid)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", twilio_flex.auth_token)
    return twilio_flex


def flex(*argv, stdin="", base_url=None):
    out, err = io.StringIO(), io.StringIO()
    args = ["flex-validate", *argv]
    if base_url is not None:
        args += ["--base-url", base_url]
    status = main(
        args,
        stdin=stdin if isinstance(stdin, io.StringIO) else io.StringIO(stdin),
        stdout=out,
        stderr=err,
    )
    return status, out.getvalue(), err.getvalue()


def test_valid_token_exits_0_with_the_agent(env):
    """
    A valid token prints its agent and exits 0.
    """
    token = env.issue("user_40example_2Ecom", roles=["agent", "admin"])

    status, out, err = flex(token, base_url=env.base_url)

    assert (0, "") == (status, err)
    lines = out.splitlines()
    assert "valid Flex token" == lines[0]
    assert "Identity   user_40example_2Ecom" == lines[1]
    assert "Roles      agent, admin" == lines[2]
    assert lines[3].startswith("Worker     WK")
    assert "Realm user -" == lines[4]
    assert lines[5].startswith("Expires    ")
    assert lines[5].endswith(" UTC")
    assert token not in out + err


def test_json_output_of_a_valid_token(env):
    """
    --json prints the agent as JSON.
    """
    token = env.issue(
        "bob", flex_instance_sid="GO" + "1" * 32, flex_user_sid="FU" + "2" * 32
    )

    status, out, _ = flex("--json", token, base_url=env.base_url)
    view = json.loads(out)

    assert 0 == status
    assert view["valid"] is True
    assert "bob" == view["identity"]
    assert ["agent"] == view["roles"]
    assert "GO" + "1" * 32 == view["flex_instance_sid"]
    assert "FU" + "2" * 32 == view["flex_user_sid"]
    assert view["expires_at"].endswith("+00:00")


def test_invalid_token_exits_1(env):
    """
    valid: false exits 1 with Twilio's code and message.
    """
    status, out, err = flex(env.reject(20101, "nope"), base_url=env.base_url)

    assert 1 == status
    assert "" == out
    assert (
        "twilio-tokens: error: invalid Flex token: nope (Twilio 20101)\n"
        == err
    )


def test_invalid_token_json(env):
    """
    --json prints valid: false with the code and message.
    """
    status, out, _ = flex("--json", env.reject(7, "no"), base_url=env.base_url)

    assert 1 == status
    assert {"valid": False, "code": 7, "message": "no"} == json.loads(out)


def test_access_token_exits_1_and_says_so(env):
    """
    A three-segment token is refused locally, pointing to decode.
    """
    status, _, err = flex("a.b.c", base_url=env.base_url)

    assert 1 == status
    assert "it is a JWT" in err
    assert [] == env.requests


@pytest.mark.parametrize("json_flag", [False, True], ids=["text", "json"])
def test_unavailable_exits_3(env, json_flag):
    """
    A 500 answer exits 3, saying validation is unavailable.
    """
    args = ["--json"] if json_flag else []

    status, out, err = flex(*args, env.fail(500), base_url=env.base_url)

    assert 3 == status
    assert "validation unavailable:" in err
    assert "answered 500" in err
    if json_flag:
        view = json.loads(out)
        assert view["valid"] is None
        assert 500 == view["status"]


def test_token_from_stdin_with_bearer(env):
    """
    - reads the token from stdin; a pasted 'Bearer ' is dropped.
    """
    token = env.issue("carol")

    status, out, _ = flex(
        "-", stdin=f"Bearer {token}\n", base_url=env.base_url
    )

    assert 0 == status
    assert "Identity   carol" in out


@pytest.mark.parametrize(
    "pasted",
    ['"{}"', "'{}'", "  {}  ", "bearer {}", "'Bearer {}'"],
    ids=[
        "double-quotes",
        "single-quotes",
        "spaces",
        "bearer",
        "quoted-bearer",
    ],
)
def test_pasted_token_is_unwrapped(env, pasted):
    """
    Quotes, spaces and a Bearer prefix around the token are dropped.
    """
    token = env.issue("erin")

    status, out, _ = flex(pasted.format(token), base_url=env.base_url)

    assert 0 == status
    assert "Identity   erin" in out


def test_flex_validate_help_lists_the_exit_statuses(capsys):
    """
    flex-validate --help names the credentials and the four exit statuses.
    """
    assert 0 == main(["flex-validate", "--help"])
    text = capsys.readouterr().out

    assert "TWILIO_AUTH_TOKEN" in text
    assert "TWILIO_API_KEY (or TWILIO_API_KEY_SID)" in text
    for line in (
        "  0  the token is valid",
        "  1  the token is not valid",
        "  2  a usage error",
        "  3  no answer could be had",
    ):
        assert line in text


def test_stdin_terminal_is_a_usage_error(env):
    """
    No token argument and a terminal on stdin exits 2.
    """
    status, _, err = flex(stdin=TTY(), base_url=env.base_url)

    assert 2 == status
    assert "no token" in err


def test_api_key_from_the_environment(env, monkeypatch):
    """
    With an API key in the environment, it is used (over an Auth Token).
    """
    monkeypatch.setenv("TWILIO_API_KEY_SID", env.api_key_sid)
    monkeypatch.setenv("TWILIO_API_KEY_SECRET", env.api_key_secret)

    status, _, _ = flex(env.issue(), base_url=env.base_url)

    assert 0 == status
    assert (env.api_key_sid, env.api_key_secret) == env.requests[0].basic_auth


@pytest.mark.parametrize(
    ("unset", "match"),
    [
        (["TWILIO_ACCOUNT_SID"], "TWILIO_ACCOUNT_SID is not set"),
        (["TWILIO_AUTH_TOKEN"], "No credential: set TWILIO_AUTH_TOKEN"),
    ],
    ids=["no-account", "no-credential"],
)
def test_missing_credentials_exit_2(env, monkeypatch, unset, match):
    """
    A missing variable exits 2, naming it.
    """
    for name in unset:
        monkeypatch.delenv(name)

    status, _, err = flex(env.issue(), base_url=env.base_url)

    assert 2 == status
    assert match in err


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--realm", "us1"], "is a Twilio Region"),
        (["--timeout", "0"], "timeout must be a positive"),
        (["--base-url", "ftp://x"], "base_url must be a scheme"),
    ],
    ids=["region", "timeout", "base-url"],
)
def test_bad_options_exit_2(env, args, match):
    """
    A refused realm, timeout or URL exits 2.
    """
    status, _, err = flex("a.b.c.d.e", *args)

    assert 2 == status
    assert match in err


def test_secret_with_whitespace_is_not_shown(env, monkeypatch):
    """
    A refused Auth Token exits 2 without printing it.
    """
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", env.auth_token + " ")

    status, out, err = flex(env.issue(), base_url=env.base_url)

    assert 2 == status
    assert "auth_token has trailing whitespace" in err
    assert env.auth_token not in out + err


def test_control_characters_are_escaped(env):
    """
    Twilio's text cannot move the terminal's cursor.
    """
    token = env.reject(1, "bad\x1b[2Jtoken")

    _, _, err = flex(token, base_url=env.base_url)

    assert "\x1b" not in err
    assert "bad\\x1b[2Jtoken" in err


def test_without_the_extra_exit_2(env):
    """
    Without httpx2 installed, the command exits 2 naming the extra.
    """
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys; sys.modules['httpx2'] = None\n"
                "from twilio_tokens._cli import run; run()"
            ),
            "flex-validate",
            "a.b.c.d.e",
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert 2 == done.returncode
    assert "pip install 'twilio-tokens[flex]'" in done.stderr


def test_other_commands_do_not_import_the_client():
    """
    Running decode (or --help) imports no HTTP client.
    """
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys\n"
                "from twilio_tokens._cli import main\n"
                "main(['mint', '--demo', '--identity', 'a', '--video'])\n"
                "print('httpx2' in sys.modules, file=sys.stderr)"
            ),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert "False" == done.stderr.strip()


def test_help_lists_flex_validate_and_exit_3(capsys):
    """
    The top-level help names the command and exit status 3.
    """
    assert 0 == main(["--help"])
    text = capsys.readouterr().out
    assert "flex-validate" in text
    assert "  3  flex-validate: no answer from Twilio" in text


def test_console_script(twilio_flex):
    """
    The installed console script validates against the fake.
    """
    environ = {k: v for k, v in os.environ.items() if k not in VARS}
    environ["TWILIO_ACCOUNT_SID"] = twilio_flex.account_sid
    environ["TWILIO_AUTH_TOKEN"] = twilio_flex.auth_token
    token = twilio_flex.issue("dave")

    done = subprocess.run(
        [EXE, "flex-validate", "--base-url", twilio_flex.base_url, "-"],
        input=token,
        capture_output=True,
        text=True,
        env=environ,
        check=False,
    )

    assert 0 == done.returncode, done.stderr
    assert "Identity   dave" in done.stdout
    assert twilio_flex.auth_token not in done.stdout + done.stderr
