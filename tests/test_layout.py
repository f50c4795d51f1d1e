"""The codebase's layout (CONTRIBUTING.md, "Module map"): no import cycles, imports at the top of each
module, every IRI in kfor_graph/namespaces.py, no benchmark code in the wheel, and ruff clean."""

import ast
import graphlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "kfor_graph"
MODULES = sorted(PACKAGE.glob("*.py"))
# Imports inside a function, each allowed for the reason in its comment: (module, imported name).
LATE_IMPORTS = {
    ("kfor_graph.docs", "pylode"),
    ("kfor_graph.docs", "pylode.OntPub"),
    ("kfor_graph.docs", "pylode.PylodeError"),
    # `kfor-graph chart` and `site` only: importing Altair costs every other command about 0.16 s at start
    ("kfor_graph.cli", "kfor_graph.chart"),
    ("kfor_graph.cli", "kfor_graph.site"),
    ("kfor_graph.cli", "kfor_graph.site.write_site"),
    # `kfor-graph serve` only: Starlette, uvicorn and anyio would slow every other command's start
    ("kfor_graph.cli", "kfor_graph.serve"),
    ("kfor_graph.cli", "kfor_graph.serve.serve"),
}


def module_name(path: Path) -> str:
    return "kfor_graph" if path.stem == "__init__" else f"kfor_graph.{path.stem}"


def imports(path: Path) -> tuple[set[str], set[str]]:
    """The kfor_graph modules a module imports at its top level, and every module it imports inside
    a function or class."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top, late = set(), set()
    top_nodes = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            # `from kfor_graph import query` imports the module kfor_graph.query
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        (top if id(node) in top_nodes else late).update(names)
    own = {m for m in map(module_name, MODULES)}
    return {n for n in top if n in own} - {module_name(path)}, late


def test_no_import_cycles():
    graph = {module_name(path): imports(path)[0] - {"kfor_graph"} for path in MODULES}
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")
    # the layers of CONTRIBUTING.md's module map: load comes before validate, validate before the rest
    assert order.index("kfor_graph.load") < order.index("kfor_graph.validate") < order.index("kfor_graph.build")
    assert order.index("kfor_graph.namespaces") < order.index("kfor_graph.load")


def test_imports_are_at_the_top():
    late = {(module_name(path), name) for path in MODULES for name in imports(path)[1]}
    assert late == LATE_IMPORTS


NAMESPACE_IRI = re.compile(r"""["'](https?://[^"'\s]*[/#])["']""")


def test_every_namespace_iri_is_written_in_namespaces_py_only():
    """A namespace (an IRI ending in / or #, in quotes) is written once, in kfor_graph/namespaces.py."""
    written = {}
    for path in MODULES + sorted((REPO / "benchmarks").glob("*.py")):
        for iri in NAMESPACE_IRI.findall(path.read_text(encoding="utf-8")):
            written.setdefault(iri, set()).add(path.relative_to(REPO).as_posix())
    elsewhere = {iri: paths for iri, paths in written.items() if paths != {"kfor_graph/namespaces.py"}}
    assert not elsewhere


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (path,) = out.glob("kfor_graph-*.whl")
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def test_the_wheel_ships_the_package_and_the_graph_but_no_benchmark(wheel):
    assert "kfor_graph/cli.py" in wheel and "kfor_graph/_resources/data/people.ttl" in wheel
    assert not [name for name in wheel if "bench" in name or "synth" in name]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=" ".join)
def test_ruff_is_clean(command):
    ruff = shutil.which("ruff") or pytest.fail("ruff is a test dependency: pip install -e '.[test]'")
    done = subprocess.run([ruff, *command, "--quiet", str(REPO)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
