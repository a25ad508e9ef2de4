"""Print the lowest version pyproject.toml allows for a dependency."""

import pathlib
import re
import sys


name = sys.argv[1]
text = (pathlib.Path(__file__).parent.parent / "pyproject.toml").read_text()
match = re.search(rf'"{re.escape(name)}>=([0-9.]+)', text)
if match is None:
    sys.exit(f"no lower bound for {name} in pyproject.toml")
print(match.group(1))
