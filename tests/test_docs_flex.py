"""
docs/flex.md: every Python block not marked "not tested" runs as written.
"""

import re

from pathlib import Path


PAGE = Path(__file__).parent.parent / "docs" / "flex.md"
FENCE = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
NOT_TESTED = re.compile(r"<!-- not tested:(.*?)-->")


def blocks():
    """(line, code, reason or None) for each ```python block."""
    text = PAGE.read_text(encoding="utf-8")
    for m in FENCE.finditer(text):
        above = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        note = NOT_TESTED.fullmatch(above.strip())
        line = text.count("\n", 0, m.start(1)) + 1
        yield line, m.group(1), None if note is None else note.group(1)


def test_every_untagged_block_runs():
    """
    The fake-service and identity blocks run; the rest say why not.
    """
    ran = 0
    for line, code, reason in blocks():
        if reason is not None:
            assert reason.strip()
            continue
        compiled = compile("\n" * (line - 1) + code, str(PAGE), "exec")
        exec(compiled, {"__name__": "flex_docs"})  # noqa: S102
        ran += 1

    assert 2 == ran
