"""
README.md: every Python block runs as written, top to bottom.
"""

import inspect
import os
import re

from pathlib import Path

import pytest

from twilio_tokens import VideoGrant, VoiceGrant
from twilio_tokens._credentials import (
    ACCOUNT_SID_VARS,
    API_KEY_SECRET_VARS,
    API_KEY_SID_VARS,
)
from twilio_tokens.testing import assert_token, fake_credentials, fake_sid


ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
FENCE = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
NOT_TESTED = re.compile(r"<!-- not tested:(.*?)-->")
MIN_BLOCKS_RUN = 12  # all but the one that needs a live Twilio account


def blocks():
    """
    Each ```python block: (line of its first code line, code, reason).

    *reason* is the text of a ``<!-- not tested: … -->`` comment on the
    line directly above the fence, or ``None``.
    """
    text = README.read_text(encoding="utf-8")
    for m in FENCE.finditer(text):
        above = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if text[: m.start()].endswith("\n\n"):
            above = ""  # a blank line between: not "directly above"
        note = NOT_TESTED.fullmatch(above.strip())
        line = text.count("\n", 0, m.start(1)) + 1
        yield line, m.group(1), None if note is None else note.group(1)


def run_block(line, code, namespace):
    # Padding puts the code on its README lines, so a traceback points there.
    compiled = compile("\n" * (line - 1) + code, str(README), "exec")
    exec(compiled, namespace)  # noqa: S102


@pytest.fixture
def fake_env(monkeypatch):
    """
    Only the credentials' TWILIO_* variables, set to fake credentials.
    """
    for name in list(os.environ):
        if name.startswith("TWILIO_"):
            monkeypatch.delenv(name)
    creds = fake_credentials()
    monkeypatch.setenv(ACCOUNT_SID_VARS[0], creds.account_sid)
    monkeypatch.setenv(API_KEY_SID_VARS[0], creds.api_key_sid)
    monkeypatch.setenv(API_KEY_SECRET_VARS[0], creds.api_key_secret)
    return creds


def test_every_python_block_runs_top_to_bottom(fake_env, request, capsys):
    """
    The Python blocks run in one namespace, and the tests they define pass.
    """
    namespace = {"__name__": "readme"}
    ran, called = 0, []
    for line, code, reason in blocks():
        if reason is not None:
            continue
        before = set(namespace)
        run_block(line, code, namespace)
        ran += 1
        # Call each test the block defines, with the fixtures it names,
        # before a later block can rebind the names it uses.
        for name in sorted(set(namespace) - before):
            test = namespace[name]
            if name.startswith("test_") and inspect.isfunction(test):
                parameters = inspect.signature(test).parameters
                test(**{p: request.getfixturevalue(p) for p in parameters})
                called.append(name)

    assert ran >= MIN_BLOCKS_RUN
    assert ["test_voice_token"] == called
    assert "alice" == namespace["decoded"].identity


def test_untested_blocks_say_why():
    """
    A block is skipped only with a reason, and only for a live account.
    """
    skipped = [reason for _, _, reason in blocks() if reason is not None]

    assert skipped
    for reason in skipped:
        assert reason.strip()
        assert "Twilio" in reason


def test_first_example_is_short_and_runs_on_its_own(fake_env):
    """
    The first example fits in 10 lines and defines every name it uses.
    """
    line, code, reason = next(blocks())
    namespace = {}

    run_block(line, code, namespace)

    assert reason is None
    assert len(code.strip().splitlines()) <= 10
    assert "alice" == namespace["decoded"].identity
    assert fake_env.account_sid == namespace["sid"]


def test_flask_endpoint_in_full_is_the_example():
    """
    The Flask endpoint shown "in full" is examples/flask_app.py's code.
    """
    example = (ROOT / "examples" / "flask_app.py").read_text(encoding="utf-8")
    code = example[example.index('"""', 3) + 3 :].lstrip("\n")

    assert code in [code for _, code, _ in blocks()]


def test_assert_token_failure_shown_is_the_real_one():
    """
    The failure the README shows is what assert_token says for that token.
    """
    readme = README.read_text(encoding="utf-8")
    shown = re.search(
        r"^```\n(AssertionError: the token differs.*?)\n```$",
        readme,
        re.DOTALL | re.MULTILINE,
    ).group(1)
    creds, app_sid = fake_credentials(), fake_sid("AP")
    jwt = creds.mint(
        identity="bob",
        grants=[VoiceGrant(outgoing_application_sid=app_sid), VideoGrant()],
    )

    with pytest.raises(AssertionError) as ei:
        assert_token(
            jwt,
            creds,
            identity="alice",
            grants=[
                VoiceGrant(
                    outgoing_application_sid=app_sid, incoming_allow=True
                )
            ],
        )

    assert shown == f"AssertionError: {ei.value}"


def test_placeholders_come_from_the_testing_helpers():
    """
    The recipes' SIDs are fake_sid() placeholders, and never invented.
    """
    readme = README.read_text(encoding="utf-8")

    assert "fake_sid(" in readme
    assert not re.search(r"['\"](AP|IS|CR|WS|WK)[0-9a-f]{32}['\"]", readme)
