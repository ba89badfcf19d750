#!/usr/bin/env python3
"""Checks every #include "…" of src/ against the module table of src/README.md.

The table's first column names a module folder (`core/`, `bus/dapr/`, …), its last column the
folders it may include. A file belongs to the longest folder of the table its path starts with;
an include names a file of another module only when that module is in its own module's list.
Unit tests (*.test.cpp and *test_support.hpp) may also include the store engines, which they run
against. Exit status 1 and one line per violation when a rule is broken.

Usage: tools/include-check/check.py [--src DIR] [--readme FILE]
"""
import argparse
import pathlib
import re
import sys

ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|.*\|([^|]*)\|\s*$")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
TEST_EXTRA = ("store/sqlite", "store/postgres")


def read_table(readme: pathlib.Path) -> dict[str, set[str]]:
    table = {}
    for line in readme.read_text().splitlines():
        m = ROW.match(line)
        if m:
            table[m.group(1).rstrip("/")] = {t.rstrip("/") for t in re.findall(r"`([^`]+)`", m.group(2))}
    if not table:
        raise SystemExit(f"{readme}: no module table found")
    for module, allowed in table.items():
        unknown = allowed - table.keys()
        if unknown:
            raise SystemExit(f"{readme}: {module}/ may include unknown folders {sorted(unknown)}")
    return table


def unclosed(table) -> list[str]:
    """Rows that omit a folder one of their folders may include (the build's include path of a
    module holds exactly its row, so a header of a listed folder must find its own includes)."""
    problems = []
    for module, allowed in table.items():
        for dep in sorted(allowed):
            missing = table[dep] - allowed - {module}
            if missing:
                problems.append(f"src/README.md: {module}/ may include {dep}/, which may include "
                                f"{', '.join(m + '/' for m in sorted(missing))}: list them in {module}/'s row too")
    return problems


def module_of(path: str, table) -> str | None:
    best = None
    for module in table:
        if path.startswith(module + "/") and (best is None or len(module) > len(best)):
            best = module
    return best


def is_test(path: str) -> bool:
    return path.endswith(".test.cpp") or path.endswith("test_support.hpp")


def check(src: pathlib.Path, table) -> tuple[list[str], int, int]:
    problems, files, includes = [], 0, 0
    for file in sorted(list(src.rglob("*.cpp")) + list(src.rglob("*.hpp"))):
        rel = file.relative_to(src).as_posix()
        own = module_of(rel, table)
        files += 1
        if own is None:
            problems.append(f"src/{rel}: its folder is not in the table of src/README.md")
            continue
        allowed = table[own] | {own}
        if is_test(rel):
            allowed |= set(TEST_EXTRA)
        for number, line in enumerate(file.read_text().splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            includes += 1
            target = module_of(m.group(1), table)
            if target is None:
                problems.append(f"src/{rel}:{number}: \"{m.group(1)}\" is in no module of the table")
            elif target not in allowed:
                problems.append(f"src/{rel}:{number}: {own}/ may not include {target}/ (\"{m.group(1)}\")")
    return problems, files, includes


def main() -> int:
    root = pathlib.Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=pathlib.Path, default=root / "src")
    ap.add_argument("--readme", type=pathlib.Path, default=None)
    args = ap.parse_args()
    table = read_table(args.readme or args.src / "README.md")
    problems, files, includes = check(args.src, table)
    problems = unclosed(table) + problems
    for p in problems:
        print(p)
    print(f"include check: {len(table)} modules, {files} files, {includes} includes, "
          f"{len(problems)} violations")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
