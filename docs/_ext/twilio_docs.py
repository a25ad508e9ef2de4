"""
Sphinx glue for the generated references.

Directives (MyST: a fence named after the directive):

``twilio-rules``
    The rule set's catalogue (``twilio_tokens._rules.catalogue()``), one
    row per rule with its Twilio codes linked to Twilio's error pages.
``twilio-exceptions``
    The exception classes of ``twilio_tokens.exceptions`` with a code.
``twilio-cli``
    Every command and option of ``twilio_tokens._cli._parser()``.
``twilio-exit-statuses``
    The exit-status table of that parser's epilog.

And a check when the build is consistent: every name in the ``__all__``
of each module in ``twilio_api_modules`` is described on some page, or
the build warns (an error under ``-W``).
"""

from __future__ import annotations

import importlib

from typing import TYPE_CHECKING, Any

import twilio_reference as ref

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective


if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


logger = logging.getLogger(__name__)


def _cell(cell: ref.Cell, directive: SphinxDirective) -> nodes.entry:
    paragraph = nodes.paragraph()
    for i, (text, link) in enumerate(cell):
        if link == "rst":
            parsed, messages = directive.parse_inline(text)
            paragraph.extend(parsed)
            paragraph.extend(messages)
        elif link == "literal":
            if i:
                paragraph += nodes.Text(" ")
            paragraph += nodes.literal(text, text)
        elif link is None:
            paragraph += nodes.Text(text)
        else:
            paragraph += nodes.reference(text, text, refuri=link)
    return nodes.entry("", paragraph)


def table(
    directive: SphinxDirective,
    columns: Sequence[str],
    rows: Sequence[Sequence[ref.Cell]],
    title: str = "",
) -> nodes.table:
    """A docutils table of *rows* under the header *columns*."""
    node = nodes.table(classes=["twilio-reference"])
    if title:
        node += nodes.title(title, title)
    group = nodes.tgroup(cols=len(columns))
    node += group
    for i, column in enumerate(columns):
        longest = max(
            [len(column)]
            + [sum(len(text) for text, _ in row[i]) for row in rows]
        )
        group += nodes.colspec(colwidth=min(longest, 40))
    head = nodes.thead()
    group += head
    head += nodes.row("", *(_cell([(c, None)], directive) for c in columns))
    body = nodes.tbody()
    group += body
    for row in rows:
        body += nodes.row("", *(_cell(cell, directive) for cell in row))
    return node


class RulesDirective(SphinxDirective):
    """The rule set, one row per rule."""

    def run(self) -> list[nodes.Node]:
        """The table, from the catalogue the package judges tokens by."""
        rules = importlib.import_module("twilio_tokens._rules")
        return [
            table(self, ref.RULE_COLUMNS, ref.rule_rows(rules.catalogue()))
        ]


class ExceptionsDirective(SphinxDirective):
    """The exceptions and the Twilio code each carries."""

    def run(self) -> list[nodes.Node]:
        """The table, from the exception classes themselves."""
        exceptions = importlib.import_module("twilio_tokens.exceptions")
        return [
            table(self, ("exception", "code"), ref.exception_rows(exceptions))
        ]


def _cli_parser() -> Any:
    return importlib.import_module("twilio_tokens._cli")._parser()  # noqa: SLF001


class CliDirective(SphinxDirective):
    """Every command, its description and a table of its options."""

    def run(self) -> list[nodes.Node]:
        """A rubric and option tables per command, from the parser."""
        out: list[nodes.Node] = []
        for prog, parser, help_text in ref.commands(_cli_parser()):
            anchor = nodes.make_id("cli " + prog)
            rubric = nodes.rubric(prog, "", nodes.literal(prog, prog))
            rubric["ids"].append(anchor)
            out.append(rubric)
            text = parser.description or help_text
            for paragraph in text.split("\n\n"):
                if paragraph.strip():
                    words = " ".join(paragraph.split())
                    out.append(nodes.paragraph(words, words))
            out.extend(
                table(self, ref.OPTION_COLUMNS, rows, title=title)
                for title, rows in ref.option_groups(parser)
            )
            # The top command's epilog is the exit-status table, which
            # twilio-exit-statuses shows; a sub-command's is examples.
            if parser.epilog and "exit status:" not in parser.epilog:
                epilog = parser.epilog.rstrip()
                out.append(nodes.literal_block(epilog, epilog))
        return out


class ExitStatusDirective(SphinxDirective):
    """The exit statuses, as the parser's epilog lists them."""

    def run(self) -> list[nodes.Node]:
        """The table, from ``twilio-tokens --help``'s epilog."""
        rows = ref.exit_rows(_cli_parser().epilog or "")
        return [table(self, ref.EXIT_COLUMNS, rows)]


def check_api(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn of each public name no page describes."""
    domain: Any = env.get_domain("py")
    modules = [
        importlib.import_module(m) for m in app.config.twilio_api_modules
    ]
    missing = ref.undocumented(modules, domain.objects, domain.modules)
    for name in missing:
        logger.warning("%s is public (in __all__) but on no page", name)


def resolve_in_package(
    app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element
) -> nodes.Element | None:
    """
    A short name in a docstring (``AccessToken``), found in the package.

    Sphinx looks in the current module only; a docstring of
    ``twilio_tokens.testing`` naming :class:`AccessToken` means the one
    ``twilio_tokens`` exports.
    """
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or target.startswith("twilio_tokens"):
        return None
    domain: Any = env.get_domain("py")
    found: nodes.Element | None = domain.resolve_xref(
        env,
        node["refdoc"],
        app.builder,
        node["reftype"],
        f"twilio_tokens.{target}",
        node,
        contnode,
    )
    return found


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives and the API check."""
    app.add_config_value("twilio_api_modules", [], "env")
    app.add_directive("twilio-rules", RulesDirective)
    app.add_directive("twilio-exceptions", ExceptionsDirective)
    app.add_directive("twilio-cli", CliDirective)
    app.add_directive("twilio-exit-statuses", ExitStatusDirective)
    app.connect("env-check-consistency", check_api)
    app.connect("missing-reference", resolve_in_package)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
