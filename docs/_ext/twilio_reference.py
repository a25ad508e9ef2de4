"""
The generated references, as plain data: no Sphinx needed to build them.

:mod:`twilio_docs` turns these rows into docutils tables at doc-build time;
the test suite reads the same rows, so what the site shows is what the
package says: the rule set's catalogue, the exception classes' codes, the
command line's parser and the modules' ``__all__``.
"""

from __future__ import annotations

import argparse
import re

from types import ModuleType
from typing import TYPE_CHECKING, Protocol


if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence


ERROR_PAGE = "https://www.twilio.com/docs/api/errors/{code}"

# One cell: text segments, each with the address it links to, or None for
# plain text, "literal" for code, "rst" for text with inline markup (the
# rule set's summaries and remedies are docstring text: ``iat``, *now*).
Segment = tuple[str, str | None]
Cell = list[Segment]

RULE_COLUMNS = ("rule", "code", "severity", "field", "meaning", "what to do")
EXIT_COLUMNS = ("exit status", "meaning", "example")
OPTION_COLUMNS = ("option", "default", "what it does")


class Rule(Protocol):
    """What the rules table reads of each entry of ``catalogue()``."""

    name: str
    codes: tuple[int | None, ...]
    severities: tuple[str, ...]
    field: str
    summary: str
    remedy: str


def code_cell(codes: Iterable[int | None]) -> Cell:
    """
    Each code linked to Twilio's page for it; ``None`` is "no code".
    """
    cell: Cell = []
    for code in dict.fromkeys(codes):
        if cell:
            cell.append((", ", None))
        if code is None:
            cell.append(("none", None))
        else:
            cell.append((str(code), ERROR_PAGE.format(code=code)))
    return cell


def rule_rows(rules: Iterable[Rule]) -> list[list[Cell]]:
    """
    One row per rule, in :data:`RULE_COLUMNS` order.
    """
    return [
        [
            [(rule.name, None)],
            code_cell(rule.codes),
            [(", ".join(dict.fromkeys(rule.severities)), None)],
            [(rule.field, None)],
            [(rule.summary, "rst")],
            [(rule.remedy, "rst")],
        ]
        for rule in rules
    ]


def exception_codes(module: ModuleType) -> dict[str, int]:
    """
    The ``code`` of each exception class in *module* that has one.
    """
    codes: dict[str, int] = {}
    for name in getattr(module, "__all__", ()):
        value = getattr(module, name)
        code = getattr(value, "code", None)
        if isinstance(value, type) and isinstance(code, int):
            codes[name] = code
    return codes


def exception_rows(module: ModuleType) -> list[list[Cell]]:
    """
    One row per exception class with a code, by code: name, code linked.
    """
    codes = exception_codes(module)
    return [
        [[(name, None)], code_cell([code])]
        for name, code in sorted(codes.items(), key=lambda item: item[::-1])
    ]


def reported_codes(rules: Iterable[Rule], exceptions: ModuleType) -> set[int]:
    """
    Every Twilio error code the package can report.
    """
    codes = {code for rule in rules for code in rule.codes if code is not None}
    return codes | set(exception_codes(exceptions).values())


# ------------------------------------------------------------------ CLI

_STATUS = re.compile(r"^ {1,4}(\d+) +(\S.*)$")


def exit_rows(epilog: str) -> list[list[Cell]]:
    """
    The exit-status table of the parser's epilog.

    The epilog reads ``exit status:`` and then, per status, a line
    ``  N  meaning``; lines indented to the meaning's column continue it,
    and more deeply indented lines are example commands.

    Raises:
        ValueError: The epilog has no such table.
    """
    lines = epilog.splitlines()
    try:
        start = next(
            i for i, line in enumerate(lines) if line.strip() == "exit status:"
        )
    except StopIteration:
        msg = "the parser's epilog has no 'exit status:' table"
        raise ValueError(msg) from None
    rows: list[list[Cell]] = []
    column = 0  # where the meaning starts
    for line in lines[start + 1 :]:
        match = _STATUS.match(line)
        indent = len(line) - len(line.lstrip(" "))
        if match is not None:
            column = match.start(2)
            rows.append([[(match[1], None)], [(match[2], None)], []])
        elif not line.strip():
            continue
        elif rows and indent == column and not rows[-1][2]:
            meaning = rows[-1][1]
            meaning[0] = (f"{meaning[0][0]} {line.strip()}", None)
        elif rows and indent > column:
            rows[-1][2].append((line.strip(), "literal"))
        else:
            break
    if not rows:
        msg = "the parser's epilog lists no exit status"
        raise ValueError(msg)
    return rows


def commands(
    parser: argparse.ArgumentParser,
) -> Iterator[tuple[str, argparse.ArgumentParser, str]]:
    """
    *parser*, then each sub-command's parser (depth first), with its help.

    Yields:
        The command line (``twilio-tokens mint``), its parser, and the
        one-line help the parent gives it.
    """
    yield parser.prog, parser, parser.description or ""
    for action in parser._actions:  # noqa: SLF001  (argparse has no API)
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            helps = {
                a.dest: a.help or ""
                for a in action._choices_actions  # noqa: SLF001
            }
            for name, sub in action.choices.items():
                for prog, subparser, text in commands(sub):
                    yield prog, subparser, helps.get(name, text) or text


def invocation(action: argparse.Action) -> str:
    """
    How the option is written: ``--ttl DURATION``, ``token``, ``-h, --help``.
    """
    if not action.option_strings:
        return str(action.metavar or action.dest)
    if action.nargs == 0:
        return ", ".join(action.option_strings)
    metavar = action.metavar or action.dest.upper()
    return ", ".join(f"{o} {metavar}" for o in action.option_strings)


def _default(action: argparse.Action) -> str:
    default = action.default
    if (
        default is None
        or default is argparse.SUPPRESS
        or action.nargs == 0
        or default == []
    ):
        return ""
    return str(default)


def option_groups(
    parser: argparse.ArgumentParser,
) -> list[tuple[str, list[list[Cell]]]]:
    """
    Each argument group of *parser* with a row per option.

    The sub-commands themselves are left out (each has its own table).
    """
    groups: list[tuple[str, list[list[Cell]]]] = []
    for group in parser._action_groups:  # noqa: SLF001
        rows = [
            [
                [(invocation(action), "literal")],
                [(_default(action), "literal" if _default(action) else None)],
                [(action.help or "", None)],
            ]
            for action in group._group_actions  # noqa: SLF001
            if not isinstance(action, argparse._SubParsersAction)  # noqa: SLF001
            and action.help is not argparse.SUPPRESS
        ]
        if rows:
            groups.append((group.title or "", rows))
    return groups


# ------------------------------------------------------------------ API


def undocumented(
    modules: Sequence[ModuleType],
    objects: Iterable[str],
    documented_modules: Iterable[str],
) -> list[str]:
    """
    The names in the modules' ``__all__`` the site does not describe.

    Args:
        modules: The public modules.
        objects: The full names of every Python object the site
            describes (``twilio_tokens.AccessToken``).
        documented_modules: The modules the site describes.

    Returns:
        ``module.name`` for each name missing, in ``__all__`` order.
    """
    objects, documented_modules = set(objects), set(documented_modules)
    missing: list[str] = []
    for module in modules:
        for name in module.__all__:
            value = getattr(module, name)
            full = f"{module.__name__}.{name}"
            if isinstance(value, ModuleType):
                if value.__name__ not in documented_modules:
                    missing.append(full)
            elif full not in objects and _canonical(value) not in objects:
                missing.append(full)
    return missing


def _canonical(value: object) -> str | None:
    """Where a class is defined: a module may export another's class."""
    if not isinstance(value, type):
        return None
    return f"{value.__module__}.{value.__qualname__}"
