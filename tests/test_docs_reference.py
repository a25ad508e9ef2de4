"""
The generated references: the rule table, the CLI and the API pages.

The rows come from docs/_ext/twilio_reference.py, which the documentation
build turns into tables; these tests read the same rows without Sphinx.
"""

import argparse
import re
import sys
import types

from dataclasses import dataclass
from pathlib import Path

import pytest
import twilio_tokens
import twilio_tokens.compat
import twilio_tokens.exceptions
import twilio_tokens.testing

from twilio_tokens import _cli, _rules


ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import twilio_reference as ref  # noqa: E402


def text(cell):
    return "".join(segment for segment, _ in cell)


def all_text(rows):
    return "\n".join(text(cell) for row in rows for cell in row)


def links(rows):
    return {
        segment: link
        for row in rows
        for cell in row
        for segment, link in cell
        if link not in (None, "literal", "rst")
    }


def md_sources():
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md"))
    )


# ------------------------------------------------------------ rules


@dataclass(frozen=True)
class StandIn:
    """A catalogue entry, as the rule set's catalogue() describes one."""

    name: str
    codes: tuple
    severities: tuple
    field: str
    summary: str
    remedy: str


STAND_IN = (
    StandIn(
        "expiry",
        (20104,),
        ("error",),
        "exp",
        "exp is missing, not an integer, or past.",
        "Mint a fresh token.",
    ),
    StandIn(
        "lifetime",
        (20104, 20101, 20104),
        ("error", "warning", "warning"),
        "exp, iat",
        "How long the token has left.",
        "Pick a ttl above the SDK's refresh window.",
    ),
    StandIn(
        "legacy_grants",
        (None,),
        ("warning",),
        "grants.ip_messaging",
        "A grant Twilio has replaced.",
        "Use chat.",
    ),
)


def test_each_rule_is_a_row_with_every_column():
    """
    A row per rule: name, codes, severities, field, meaning, remedy.
    """
    rows = ref.rule_rows(STAND_IN)

    assert len(ref.RULE_COLUMNS) == 6
    assert [
        "lifetime",
        "20104, 20101",
        "error, warning",
        "exp, iat",
        "How long the token has left.",
        "Pick a ttl above the SDK's refresh window.",
    ] == [text(cell) for cell in rows[1]]
    assert ["expiry", "lifetime", "legacy_grants"] == [
        text(row[0]) for row in rows
    ]


def test_codes_link_to_twilios_error_pages():
    """
    Each code links to its page; a rule without a code says "none".
    """
    rows = ref.rule_rows(STAND_IN)

    assert {
        "20104": "https://www.twilio.com/docs/api/errors/20104",
        "20101": "https://www.twilio.com/docs/api/errors/20101",
    } == links(rows)
    assert [("none", None)] == rows[2][1]


def test_the_rules_page_is_generated_from_the_catalogue():
    """
    The rules page holds the directive, not a table kept by hand.
    """
    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    extension = (DOCS / "_ext" / "twilio_docs.py").read_text(encoding="utf-8")

    assert "```{twilio-rules}\n```" in page
    assert "```{twilio-exceptions}\n```" in page
    assert "catalogue()" in extension


def test_every_code_the_package_reports_is_on_the_rules_page():
    """
    The catalogue's codes and the exceptions' codes all appear, linked.
    """
    catalogue = _rules.catalogue()
    shown = links(ref.rule_rows(catalogue)) | links(
        ref.exception_rows(twilio_tokens.exceptions)
    )

    reported = ref.reported_codes(catalogue, twilio_tokens.exceptions)

    assert {20101, 20102, 20103, 20104, 20105, 20106, 20107} <= reported
    assert {str(code) for code in reported} == set(shown)


def test_exception_codes_are_the_classes_own():
    """
    Each exception class with a code is listed, sorted by code.
    """
    codes = ref.exception_codes(twilio_tokens.exceptions)
    rows = ref.exception_rows(twilio_tokens.exceptions)

    assert 20107 == codes["InvalidSignatureError"]
    assert 20101 == codes["MalformedTokenError"]
    assert "TokenRefusedError" not in codes  # its code is per instance
    assert sorted(codes.values()) == [int(text(row[1])) for row in rows]


# ------------------------------------------------------------ CLI


def every_option(parser):
    """The option strings and positionals of every command, walked anew."""
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= every_option(sub)
        elif action.option_strings:
            found.update(action.option_strings)
        else:
            found.add(action.dest)
    return found


def rendered_cli(parser):
    return "\n".join(
        all_text(rows)
        for _, sub, _ in ref.commands(parser)
        for _, rows in ref.option_groups(sub)
    )


def test_every_command_and_option_is_in_the_cli_reference():
    """
    Each sub-command has a section and each option string a row.
    """
    parser = _cli._parser()
    shown = rendered_cli(parser)
    progs = [prog for prog, _, _ in ref.commands(parser)]

    assert {
        "twilio-tokens",
        "twilio-tokens mint",
        "twilio-tokens decode",
        "twilio-tokens check",
    } <= set(progs)
    options = every_option(parser) - {"command"}
    assert {"--voice-param", "--ttl", "--demo", "--json", "token"} <= options
    for option in options:
        assert re.search(
            rf"(^|[ ,]){re.escape(option)}([ ,]|$)", shown, re.MULTILINE
        ), option


def test_options_show_their_argument_default_and_help():
    """
    A row is the invocation with its metavar, the default, the help.
    """
    parser = argparse.ArgumentParser(prog="tool")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run it", description="Run a thing.")
    group = run.add_argument_group("timing")
    group.add_argument("--ttl", metavar="SECONDS", default=60, help="how long")
    run.add_argument("-q", "--quiet", action="store_true", help="say less")
    run.add_argument("target", help="what to run")
    run.add_argument("--hidden", help=argparse.SUPPRESS)

    commands = list(ref.commands(parser))
    groups = dict(ref.option_groups(commands[1][1]))

    assert [("tool", ""), ("tool run", "run it")] == [
        (prog, help_text) for prog, _, help_text in commands
    ]
    assert [["--ttl SECONDS", "60", "how long"]] == [
        [text(c) for c in row] for row in groups["timing"]
    ]
    assert ["target", "", "what to run"] in [
        [text(c) for c in row] for row in groups["positional arguments"]
    ]
    other = [[text(c) for c in row] for row in groups["options"]]
    assert ["-q, --quiet", "", "say less"] in other
    assert "--hidden" not in all_text(groups["options"])


def test_exit_statuses_come_from_the_epilog():
    """
    The table is the parser's epilog: each status, meaning and example.
    """
    rows = ref.exit_rows(_cli._parser().epilog)

    statuses = [text(row[0]) for row in rows]
    assert ["0", "1", "2"] == statuses[:3]
    for row in rows:
        assert text(row[1])
        assert all(link == "literal" for _, link in row[2])
    for row in rows[:3]:
        assert text(row[2]).startswith("twilio-tokens ")


def test_exit_statuses_take_several_examples_and_stop_at_the_table_end():
    """
    Examples indented under a status belong to it; the table ends there.
    """
    epilog = (
        "exit status:\n"
        "  0  fine\n"
        "       tool a\n"
        "       tool b\n"
        "  1  an invalid token (check --strict:\n"
        "     a warning too)\n"
        "       tool c\n"
        "  3  unavailable\n"
        "\n"
        "more text\n"
        "  9  not a status\n"
    )

    rows = ref.exit_rows(epilog)

    assert [
        ["0", "fine", "tool atool b"],
        ["1", "an invalid token (check --strict: a warning too)", "tool c"],
        ["3", "unavailable", ""],
    ] == [[text(c) for c in row] for row in rows]


@pytest.mark.parametrize(
    "epilog",
    ["", "examples:\n  tool a\n", "exit status:\n\nnothing here\n"],
    ids=["empty", "no-table", "empty-table"],
)
def test_an_epilog_without_statuses_fails_the_build(epilog):
    """
    A missing exit-status table is an error, never an empty table.
    """
    with pytest.raises(ValueError, match="exit status"):
        ref.exit_rows(epilog)


def test_the_cli_page_is_generated_from_the_parser():
    """
    The CLI page holds the directives, not tables kept by hand.
    """
    page = (DOCS / "cli.md").read_text(encoding="utf-8")

    assert "```{twilio-cli}\n```" in page
    assert "```{twilio-exit-statuses}\n```" in page


# ------------------------------------------------------------ API


def api_modules():
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    listed = re.search(r"twilio_api_modules = \[(.*?)\]", conf, re.DOTALL)
    return re.findall(r'"([\w.]+)"', listed.group(1))


def test_every_public_module_is_checked_and_documented():
    """
    The build checks each public module's __all__; api.md documents each.
    """
    page = (DOCS / "api.md").read_text(encoding="utf-8")

    assert {
        "twilio_tokens",
        "twilio_tokens.testing",
        "twilio_tokens.compat",
    } <= set(api_modules())
    for module in api_modules():
        assert re.search(
            rf"^\.\. automodule:: {re.escape(module)}\n   :members:$",
            page,
            re.MULTILINE,
        ), module


def test_names_outside_the_automodules_are_described_explicitly():
    """
    Every __all__ name is a member automodule documents, or named on a page.
    """
    sources = md_sources()
    for module in (twilio_tokens, twilio_tokens.testing, twilio_tokens.compat):
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, types.ModuleType):
                assert f"automodule:: {value.__name__}" in sources
            elif not (
                callable(value) and (value.__doc__ or "").strip()
            ):  # autodoc's :members: skips what has no docstring of its own
                assert f"{module.__name__}.{name}" in sources, name


def test_undocumented_names_are_found():
    """
    A name in __all__ the site does not describe is reported by its path.
    """
    module = types.ModuleType("pkg")
    module.sub = types.ModuleType("pkg.sub")
    module.f = len
    module.g = len
    module.__all__ = ["f", "g", "sub"]

    assert [] == ref.undocumented([module], ["pkg.f", "pkg.g"], ["pkg.sub"])
    assert ["pkg.g", "pkg.sub"] == ref.undocumented(
        [module], ["pkg.f"], ["pkg"]
    )
