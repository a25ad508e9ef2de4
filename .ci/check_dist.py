"""
Check the built sdist and wheel against the source tree.

Usage: python .ci/check_dist.py DIST_DIR (holding one .tar.gz and one .whl).

Fails (exit 1, every problem listed) unless:
- LICENSE is in the sdist and in the wheel's .dist-info/licenses/, as is;
- every file of the package is in the wheel, and the wheel holds nothing
  but the package and its .dist-info;
- every file pyproject's sdist include list names is in the sdist;
- the wheel declares the console scripts and entry points pyproject does.

Needs Python 3.11+ (tomllib).
"""

import configparser
import pathlib
import sys
import tarfile
import zipfile

from typing import Any

import tomllib


ROOT = pathlib.Path(__file__).parent.parent
PACKAGE = "twilio_tokens"


def source_files(path: pathlib.Path) -> list[str]:
    """
    The files under path (or path itself), relative to ROOT, as built.
    """
    if path.is_file():
        return [path.relative_to(ROOT).as_posix()]
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in path.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix not in {".pyc", ".pyo"}
    )


def check_wheel(
    wheel: pathlib.Path, project: dict[str, Any], license_text: bytes
) -> list[str]:
    """
    The wheel's problems: missing or stray files, LICENSE, entry points.
    """
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
        (dist_info,) = {n.split("/")[0] for n in names if ".dist-info/" in n}
        problems = [
            f"wheel lacks {name}"
            for name in source_files(ROOT / PACKAGE)
            if name not in names
        ]
        problems += [
            f"wheel holds a stray {name}"
            for name in sorted(names)
            if not name.startswith((f"{PACKAGE}/", f"{dist_info}/"))
        ]
        licence = f"{dist_info}/licenses/LICENSE"
        if licence not in names:
            problems.append(f"wheel lacks LICENSE ({licence})")
        elif whl.read(licence) != license_text:
            problems.append(f"wheel's {licence} differs from LICENSE")
        metadata = whl.read(f"{dist_info}/METADATA").decode()
        if "License-File: LICENSE" not in metadata.splitlines():
            problems.append("wheel METADATA lacks 'License-File: LICENSE'")
        entry_points = configparser.ConfigParser(delimiters=("=",))
        entry_points.optionxform = str  # type: ignore[assignment,method-assign]
        entry_points.read_string(
            whl.read(f"{dist_info}/entry_points.txt").decode()
        )
    wanted = {"console_scripts": project.get("scripts", {})}
    wanted.update(project.get("entry-points", {}))
    problems += [
        f"wheel lacks the entry point [{group}] {key} = {target}"
        for group, points in wanted.items()
        for key, target in points.items()
        if entry_points.get(group, key, fallback=None) != target
    ]
    return problems


def check_sdist(
    sdist_path: pathlib.Path, include: list[str], license_text: bytes
) -> list[str]:
    """
    The sdist's problems: a file of the include list or LICENSE missing.
    """
    top = sdist_path.name.removesuffix(".tar.gz")
    with tarfile.open(sdist_path) as sdist:
        members = {m.name for m in sdist.getmembers() if m.isfile()}
        wanted = {"pyproject.toml", "LICENSE"}
        for entry in include:
            wanted.update(source_files(ROOT / entry))
        problems = [
            f"sdist lacks {name}"
            for name in sorted(wanted)
            if f"{top}/{name}" not in members
        ]
        if f"{top}/LICENSE" in members:
            member = sdist.extractfile(f"{top}/LICENSE")
            if member is None or member.read() != license_text:
                problems.append("sdist's LICENSE differs from LICENSE")
    return problems


def main(dist: pathlib.Path) -> list[str]:
    """
    Return the problems found; none means the distributions are complete.
    """
    sdists = sorted(dist.glob("*.tar.gz"))
    wheels = sorted(dist.glob("*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        return [f"want one sdist and one wheel in {dist}: {sdists} {wheels}"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = pyproject["tool"]["hatch"]["build"]["targets"]["sdist"]
    license_text = (ROOT / "LICENSE").read_bytes()
    return check_wheel(
        wheels[0], pyproject["project"], license_text
    ) + check_sdist(sdists[0], include["include"], license_text)


if __name__ == "__main__":
    found = main(pathlib.Path(sys.argv[1]))
    for problem in found:
        print(f"CI: {problem}", file=sys.stderr)
    if found:
        sys.exit(1)
    print("sdist and wheel complete, LICENSE in both")
