"""
README.md and docs/*.md: every code block runs as written.

Each page's ```python blocks run top to bottom in one namespace of their
own, with fake credentials in the environment; a ```text block directly
after a Python block is what that block prints, exactly (a block without
one prints nothing). The ```console blocks' ``twilio-tokens`` commands run
in a shell and must succeed. A block is left out only with a
``<!-- not tested: reason -->`` comment on the line directly above it.
"""

import contextlib
import inspect
import io
import json
import os
import re
import subprocess
import sys

from dataclasses import dataclass
from pathlib import Path

import attrs
import pytest

from twilio_tokens import (
    ChatGrant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
)
from twilio_tokens._credentials import (
    ACCOUNT_SID_VARS,
    API_KEY_SECRET_VARS,
    API_KEY_SID_VARS,
)
from twilio_tokens.testing import assert_token, fake_credentials, fake_sid


ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
FENCE = re.compile(r"^```([a-z]+)\n(.*?)^```$", re.DOTALL | re.MULTILINE)
NOT_TESTED = re.compile(r"<!-- not tested:(.*?)-->")
README_MAX_LINES = 150


@dataclass
class Block:
    page: Path
    lang: str
    line: int  # of the first code line
    code: str
    reason: str | None  # why it is not tested, or None
    output: str | None = None  # the ```text block that follows, if any


def blocks(page):
    """
    Each fenced block of *page* with a language, in order.

    A ```text block directly after a ```python block (nothing but blank
    lines between) is that block's output, not a block of its own.
    """
    text = page.read_text(encoding="utf-8")
    found, end = [], None
    for m in FENCE.finditer(text):
        lang, code = m.groups()
        before = text[: m.start()]
        if (
            lang == "text"
            and found
            and found[-1].lang == "python"
            and not text[end : m.start()].strip()
        ):
            found[-1].output = code
            end = m.end()
            continue
        above = before.rstrip("\n").rsplit("\n", 1)[-1]
        if before.endswith("\n\n"):
            above = ""  # a blank line between: not "directly above"
        note = NOT_TESTED.fullmatch(above.strip())
        line = text.count("\n", 0, m.start(2)) + 1
        reason = None if note is None else note.group(1).strip()
        found.append(Block(page, lang, line, code, reason))
        end = m.end()
    return found


def python_pages():
    return [p for p in PAGES if any(b.lang == "python" for b in blocks(p))]


def run_block(block, namespace):
    """
    Run *block* in *namespace*; what it prints.
    """
    # Padding puts the code on its page's lines: a traceback points there.
    code = "\n" * (block.line - 1) + block.code
    compiled = compile(code, str(block.page), "exec")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compiled, namespace)  # noqa: S102
    return out.getvalue()


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


def run_page(page, request):
    """
    Run *page*'s Python blocks; its namespace and the tests it called.
    """
    namespace = {"__name__": f"docs.{page.stem}"}
    called = []
    for block in blocks(page):
        if block.lang != "python" or block.reason is not None:
            continue
        before = set(namespace)
        printed = run_block(block, namespace)
        assert (block.output or "") == printed, (
            f"{page.name}:{block.line}: what the block prints differs "
            "from the output shown after it"
        )
        # Call each test the block defines, with the fixtures it names,
        # before a later block can rebind the names it uses.
        for name in sorted(set(namespace) - before):
            test = namespace[name]
            if name.startswith("test_") and inspect.isfunction(test):
                parameters = inspect.signature(test).parameters
                test(**{p: request.getfixturevalue(p) for p in parameters})
                called.append(name)
    return namespace, called


@pytest.mark.parametrize("page", python_pages(), ids=lambda p: p.name)
def test_every_python_block_runs_top_to_bottom(page, fake_env, request):
    """
    A page's Python blocks run in one namespace and print what is shown.
    """
    run_page(page, request)


def test_the_pages_hold_python_blocks():
    """
    The guides have code to run, and the run covers the expected pages.
    """
    names = {p.name for p in python_pages()}

    assert {
        "README.md",
        "getting-started.md",
        "voice.md",
        "conversations.md",
        "video.md",
        "sync.md",
        "taskrouter.md",
        "live.md",
        "mistakes.md",
        "decoding.md",
        "checking.md",
        "testing.md",
        "migrating.md",
    } <= names


def test_test_functions_on_the_testing_page_are_called(fake_env, request):
    """
    The endpoint test the testing page shows runs, and passes.
    """
    _, called = run_page(DOCS / "testing.md", request)

    assert ["test_voice_token"] == called


def console_commands():
    for page in PAGES:
        for block in blocks(page):
            if block.lang == "console" and block.reason is None:
                for line in block.code.splitlines():
                    if line.startswith("$ "):
                        yield pytest.param(
                            line[2:], id=f"{page.name}:{block.line}"
                        )


@pytest.mark.parametrize("command", list(console_commands()))
def test_console_commands_succeed(command, fake_env, tmp_path):
    """
    Each command shown runs, with fake credentials, and exits 0.
    """
    assert command.startswith("twilio-tokens ")
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"

    done = subprocess.run(  # noqa: S602  (the command as a user types it)
        command,
        shell=True,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert 0 == done.returncode, done.stderr


def test_untested_blocks_say_why():
    """
    A block is left out only with a reason: Python only for a live account.
    """
    skipped = [b for p in PAGES for b in blocks(p) if b.reason is not None]

    assert skipped
    for block in skipped:
        assert block.reason
        if block.lang == "python":
            assert "Twilio" in block.reason


def test_every_block_is_run_or_checked():
    """
    A fenced block is code that runs, output, or data that parses.

    ``pytb`` (a failure shown) is checked against the real one below.
    """
    for page in PAGES:
        for block in blocks(page):
            assert block.lang in {"python", "console", "text", "json", "pytb"}
            if block.lang == "json":
                for line in block.code.splitlines():
                    assert isinstance(json.loads(line), dict), line


def test_output_blocks_follow_python_blocks():
    """
    Every ```text block on a page is the output of the block before it.
    """
    for page in PAGES:
        assert not [b for b in blocks(page) if b.lang == "text"], page.name


# ------------------------------------------------------------ README


def test_readme_is_a_landing_page():
    """
    At most 150 lines, the set-up commands at the top, links to the docs.
    """
    text = README.read_text(encoding="utf-8")
    lines = text.splitlines()
    links = re.findall(r"\]\((docs/[^)#]+)", text)

    assert len(lines) <= README_MAX_LINES
    assert [
        "```console",
        (
            "$ pip install . && twilio-tokens mint --demo --identity alice "
            "--voice-incoming | twilio-tokens decode -"
        ),
        "$ pip install -e '.[tests]' && python -m pytest",
        "```",
    ] == lines[11:15]
    assert len(set(links)) >= 10
    for link in links:
        assert (ROOT / link).is_file(), link
    assert "python -m sphinx" in text


def test_readme_shows_no_benchmark_figures():
    """
    Figures live on the performance page, from one recorded run.
    """
    text = README.read_text(encoding="utf-8")

    assert not re.search(r"\d\.\d+x", text)


def test_first_example_is_short_and_runs_on_its_own(fake_env):
    """
    The first example fits in 10 lines and defines every name it uses.
    """
    block = next(b for b in blocks(README) if b.lang == "python")
    namespace = {}

    run_block(block, namespace)

    assert block.reason is None
    assert len(block.code.strip().splitlines()) <= 10
    assert "alice" == namespace["decoded"].identity
    assert fake_env.account_sid == namespace["sid"]


# ------------------------------------------------------------ pages


def test_web_apps_include_the_examples_never_copy_them():
    """
    The endpoints are included from examples/, and no block repeats one.
    """
    page = (DOCS / "web-apps.md").read_text(encoding="utf-8")
    included = re.findall(r"^```\{literalinclude\} (\S+)$", page, re.MULTILINE)
    examples = ROOT / "examples"

    assert {
        "../examples/flask_app.py",
        "../examples/fastapi_app.py",
        "../examples/django_app.py",
        "../examples/test_my_endpoint.py",
    } <= set(included)
    for page_path in PAGES:
        for block in blocks(page_path):
            for example in examples.glob("*.py"):
                body = example.read_text(encoding="utf-8")
                assert block.code.strip() not in body, (page_path, example)


def test_performance_figures_come_from_a_recorded_run():
    """
    The performance page includes the figures of one run of the script.
    """
    page = (DOCS / "performance.md").read_text(encoding="utf-8")
    results = (ROOT / "benchmarks" / "results.txt").read_text(encoding="utf-8")

    assert "```{literalinclude} ../benchmarks/results.txt" in page
    assert "python benchmarks/bench.py" in page
    assert "ratios of throughput" in results
    assert not re.search(r"\d\.\d+x", page)  # no figure kept by hand


def test_assert_token_failure_shown_is_the_real_one():
    """
    The failure the testing page shows is what assert_token says.
    """
    page = (DOCS / "testing.md").read_text(encoding="utf-8")
    shown = re.search(
        r"^```pytb\n(AssertionError: the token differs.*?)\n```$",
        page,
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
    text = "".join(p.read_text(encoding="utf-8") for p in PAGES)

    assert "fake_sid(" in text
    assert not re.search(r"['\"](AP|IS|CR|WS|WK)[0-9a-f]{32}['\"]", text)


def test_security_and_changelog_pages_include_the_files():
    """
    SECURITY.md and CHANGELOG.md are included, never copied.
    """
    for page, name in (
        ("security.md", "SECURITY.md"),
        ("changelog.md", "CHANGELOG.md"),
    ):
        text = (DOCS / page).read_text(encoding="utf-8")
        assert f"```{{include}} ../{name}" in text


@pytest.mark.parametrize(
    ("product", "grant"),
    [
        ("voice", VoiceGrant),
        ("conversations", ChatGrant),
        ("video", VideoGrant),
        ("sync", SyncGrant),
        ("taskrouter", TaskRouterGrant),
        ("live", PlaybackGrant),
    ],
)
def test_each_product_page_covers_grant_identity_region_refresh(
    product, grant
):
    """
    A product page has the grant's fields (each of them, no other),
    identity, region and refresh, and cites Twilio's own pages.
    """
    page = (DOCS / f"{product}.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", page, re.MULTILINE)
    fields = re.findall(r"^\| `(\w+)` \|", page, re.MULTILINE)

    assert ["The grant", "Identity", "Region", "Refresh"] == headings
    assert "| field | JSON | what it is |" in page
    assert [f.name for f in attrs.fields(grant)] == fields
    assert f"{{class}}`~twilio_tokens.{grant.__name__}`" in page
    assert "https://www.twilio.com/docs/" in page
