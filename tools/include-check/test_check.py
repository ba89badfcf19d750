"""The include check finds what it is there to find (run by make test before the real tree)."""
import pathlib
import subprocess
import sys

CHECK = pathlib.Path(__file__).with_name("check.py")

TABLE = """# Source map

| folder | owns | may include |
|---|---|---|
| `base/` | the base | — |
| `core/` | the domain | `base/` |
| `store/` | the store | `base/`, `core/` |
| `store/sqlite/` | an engine | `base/`, `core/`, `store/` |
"""


def tree(tmp_path: pathlib.Path, files: dict[str, str], table: str = TABLE) -> pathlib.Path:
    src = tmp_path / "src"
    for name, text in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text)
    (src / "README.md").write_text(table)
    return src


def run(src: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECK), "--src", str(src)], capture_output=True, text=True)


def test_allowed_includes_pass(tmp_path):
    src = tree(tmp_path, {
        "core/task.hpp": '#include "base/log.hpp"\n#include <string>\n',
        "store/store.hpp": '#include "core/task.hpp"\n#include "store/rows.hpp"\n',
        "store/sqlite/db.cpp": '#include "store/store.hpp"\n',
    })
    r = run(src)
    assert r.returncode == 0, r.stdout
    assert "4 modules, 3 files, 4 includes, 0 violations" in r.stdout


def test_an_include_against_the_arrows_fails(tmp_path):
    src = tree(tmp_path, {
        "core/task.hpp": '#include "store/store.hpp"\n',
        "store/store.hpp": '#  include "store/sqlite/db.hpp"\n',
    })
    r = run(src)
    assert r.returncode == 1
    assert 'src/core/task.hpp:1: core/ may not include store/ ("store/store.hpp")' in r.stdout
    assert 'src/store/store.hpp:1: store/ may not include store/sqlite/' in r.stdout
    assert "2 violations" in r.stdout


def test_unit_tests_may_include_the_engines_only(tmp_path):
    src = tree(tmp_path, {
        "store/store.test.cpp": '#include "store/sqlite/db.hpp"\n',
        "core/task.test.cpp": '#include "store/store.hpp"\n',
    })
    r = run(src)
    assert r.returncode == 1
    assert "store.test.cpp" not in r.stdout
    assert "src/core/task.test.cpp:1: core/ may not include store/" in r.stdout


def test_a_folder_outside_the_table_fails(tmp_path):
    src = tree(tmp_path, {"misc/x.cpp": "", "core/y.cpp": '#include "misc/x.hpp"\n'})
    r = run(src)
    assert r.returncode == 1
    assert "src/misc/x.cpp: its folder is not in the table" in r.stdout
    assert '"misc/x.hpp" is in no module of the table' in r.stdout


def test_a_table_that_is_not_closed_fails(tmp_path):
    table = TABLE.replace("| `store/sqlite/` | an engine | `base/`, `core/`, `store/` |",
                          "| `store/sqlite/` | an engine | `store/` |")
    r = run(tree(tmp_path, {"store/sqlite/db.cpp": '#include "store/store.hpp"\n'}, table))
    assert r.returncode == 1
    assert "store/sqlite/ may include store/, which may include base/, core/" in r.stdout
