"""
Print the Python versions the package claims, one a line, oldest first.

The claim is pyproject.toml's "Programming Language :: Python :: 3.X"
classifiers; the oldest of them must be requires-python's lower bound, so
CI tests exactly what the package promises. Runs on any Python 3.
"""

import pathlib
import re
import sys


text = (pathlib.Path(__file__).parent.parent / "pyproject.toml").read_text()
versions = sorted(
    set(re.findall(r'"Programming Language :: Python :: (3\.\d+)"', text)),
    key=lambda v: tuple(map(int, v.split("."))),
)
if not versions:
    sys.exit("CI: pyproject.toml claims no 'Python :: 3.X' version")
floor = re.search(r'^requires-python = ">=(3\.\d+)"$', text, re.MULTILINE)
if floor is None or floor.group(1) != versions[0]:
    sys.exit(
        f"CI: requires-python must be '>={versions[0]}', the oldest"
        " Python the classifiers claim"
    )
print("\n".join(versions))
