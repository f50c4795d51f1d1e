"""The `kfor-graph` command: exit codes 0 / 1 / 2, exact error lines, build, stats, format, load."""

import json
import shutil

import pytest

from conftest import BROKEN, PROJECT, REPO, run_process
from kfor_graph import __version__
from kfor_graph.export import serialize
from kfor_graph.load import DATA_GRAPH, load_dataset

NAMELESS = BROKEN / "nameless-person.ttl"
BAD = BROKEN / "bad-syntax.ttl"
BAD_LINE = f'kfor-graph: error: {BAD}:6: bad syntax: "C" is not a valid subject or graph name\n'
DUMPS = ["context.jsonld", "kfor.jsonld", "kfor.nq", "kfor.nt", "kfor.rdf", "kfor.trig", "kfor.ttl", "void.ttl"]


def test_version(cli):
    assert cli("--version") == (0, f"kfor-graph {__version__}\n", "")


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["export", "--format", "xls"], ["query", "--bogus"]])
def test_usage_errors_are_one_line_and_exit_2(cli, args):
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("kfor-graph") and ": error: " in err


def test_unknown_export_format_names_the_choices(cli):
    err = cli("export", "--format", "xls")[2]
    assert err.startswith("kfor-graph export: error: argument --format: invalid choice: 'xls'")
    assert "jsonld" in err


# --- validate --------------------------------------------------------------------------------


def test_validate_conforming_data_exits_0(cli):
    code, out, err = cli("--root", PROJECT, "validate")
    assert (code, err) == (0, "") and "Conforms" in out


def test_validate_violations_exit_1_with_the_report(cli):
    code, out, err = cli("--root", PROJECT, "validate", NAMELESS)
    assert (code, err) == (1, "")
    assert "person:nameless" in out and "A person needs a name (foaf:name)." in out


def test_validate_json_report(cli):
    code, out, _ = cli("--root", PROJECT, "validate", NAMELESS, "--format", "json")
    assert code == 1
    results = json.loads(out)
    assert [r["focus"] for r in results] == ["https://w3id.org/kfor/id/person/nameless"]


def test_validate_bad_syntax_exits_2_naming_file_and_line(cli):
    assert cli("--root", PROJECT, "validate", BAD) == (2, "", BAD_LINE)


def test_validate_missing_inputs_exit_2(cli):
    assert cli("--root", PROJECT, "validate", "nope.ttl") == (
        2,
        "",
        "kfor-graph: error: nope.ttl: no such file or folder\n",
    )
    code, out, err = cli("--root", PROJECT, "validate", "--shapes", "missing-shapes.ttl")
    assert (code, out) == (2, "") and err.startswith("kfor-graph: error: missing-shapes.ttl: ") and err.count("\n") == 1


def test_exit_codes_of_the_real_process():
    """The same three outcomes from `python -m kfor_graph`, with no traceback."""
    assert run_process("--root", PROJECT, "validate").returncode == 0
    assert run_process("--root", PROJECT, "validate", NAMELESS).returncode == 1
    bad = run_process("--root", PROJECT, "validate", BAD)
    assert (bad.returncode, bad.stdout, bad.stderr) == (2, "", BAD_LINE)


# --- build -----------------------------------------------------------------------------------


def test_build_writes_the_dumps_and_a_summary(cli, tmp_path):
    out = tmp_path / "dist"
    code, stdout, stderr = cli("--root", PROJECT, "build", "--out", out)
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == DUMPS
    lines = stdout.splitlines()
    assert lines[:4] == [
        f"KFOR Graph {__version__}",
        "triples: 67 (ontology 30, data 37, inferred 0)",
        "validation: conforms",
        "entities per class (data graph):",
    ]
    assert "  3  foaf:Person" in lines and "files:" in lines
    assert any(line.startswith(f"  {out}/kfor.ttl") and line.endswith("KiB") for line in lines)
    assert "validating" in stderr  # progress goes to stderr


def test_build_with_violations_exits_1_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "dist"
    code, stdout, stderr = cli("--root", PROJECT, "build", NAMELESS, "--out", out)
    assert code == 1
    assert "A person needs a name (foaf:name)." in stdout
    assert stderr.endswith("kfor-graph: the data does not conform to the shapes; nothing was written\n")
    assert not out.exists()
    # an earlier build stays as it was
    out.mkdir()
    (out / "kfor.ttl").write_text("earlier build")
    assert cli("--root", PROJECT, "build", NAMELESS, "--out", out)[0] == 1
    assert [p.name for p in out.iterdir()] == ["kfor.ttl"] and (out / "kfor.ttl").read_text() == "earlier build"


def test_build_with_bad_input_exits_2(cli, tmp_path):
    code, out, err = cli("--root", PROJECT, "build", BAD, "--out", tmp_path / "dist")
    assert (code, out) == (2, "") and err.endswith("...\n" + BAD_LINE)  # after the progress lines
    assert not (tmp_path / "dist").exists()


# --- export, stats ---------------------------------------------------------------------------


def test_export_to_stdout(capfdbinary):
    from kfor_graph.cli import main

    assert main(["--root", str(PROJECT), "export", "--format", "nt"]) == 0
    assert capfdbinary.readouterr().out == serialize(load_dataset(root=PROJECT), "nt")


def test_stats(cli):
    code, out, _ = cli("--root", PROJECT, "stats")
    assert code == 0
    assert out.splitlines()[:8] == [
        "triples: 67 (ontology 30, data 37, inferred 0)",
        "dates covered: 1999-06-09 to 2000-04",
        "entities per class (data graph, 4 classes):",
        "  3  foaf:Person",
        "  3  time:Instant",
        "  2  kfor:SourceDocument",
        "  2  kfor:Term",
        "triples per property (data graph, 14 properties):",
    ]
    assert "  10  rdf:type" in out.splitlines()


# --- format ----------------------------------------------------------------------------------


@pytest.fixture
def copy_of_project(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    return root


def test_format_check_then_format(cli, copy_of_project):
    root = copy_of_project
    people = root / "data" / "people.ttl"
    code, out, _ = cli("--root", root, "format", "--check")
    assert code == 1
    assert f"not in canonical form: {people}" in out.splitlines()
    assert not any("ontology" in line for line in out.splitlines())  # hand-ordered, left alone
    code, out, _ = cli("--root", root, "format")
    assert code == 0 and f"formatted {people}" in out.splitlines()
    assert cli("--root", root, "format", "--check") == (0, "", "")
    assert cli("--root", root, "format") == (0, "", "")  # idempotent
    # Same triples as before, and the canonical form does not depend on the hash seed (checked on
    # the shapes file, which has blank nodes, formatted by name).
    assert set(load_dataset(root=root).graph(DATA_GRAPH)) == set(load_dataset(root=PROJECT).graph(DATA_GRAPH))
    shapes = root / "ontology" / "kfor-shapes.ttl"
    assert cli("format", shapes)[0] == 0
    other_seed = run_process("format", "--check", shapes, seed="12345")
    assert (other_seed.returncode, other_seed.stdout) == (0, "")


def test_format_named_files_and_canonical_text(cli, copy_of_project):
    people = copy_of_project / "data" / "people.ttl"
    assert cli("format", people)[0] == 0
    assert people.read_text() == (
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "@prefix person: <https://w3id.org/kfor/id/person/> .\n"
        "@prefix source: <https://w3id.org/kfor/id/source/> .\n"
        "\n"
        "person:klaus-reinhardt a foaf:Person ;\n"
        "    dcterms:source source:nato-role-in-kosovo ;\n"
        '    foaf:name "Klaus Reinhardt" .\n'
        "\n"
        "person:michael-jackson a foaf:Person ;\n"
        "    dcterms:source source:nato-role-in-kosovo ;\n"
        '    foaf:name "Mike Jackson"@en,\n'
        '        "Sir Michael Jackson"@en .\n'
        "\n"
        "person:ozkan-ulutas a foaf:Person ;\n"
        "    dcterms:source source:kurir-2025-10-03 ;\n"
        '    foaf:name "Özkan Ulutaş" .\n'
        "\n"
    )


def test_format_bad_file_exits_2_and_changes_nothing(cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    shutil.copy(BAD, bad)
    code, _, err = cli("format", bad)
    assert code == 2 and err.startswith(f"kfor-graph: error: {bad}:6: bad syntax")
    assert bad.read_bytes() == BAD.read_bytes()


# --- load ------------------------------------------------------------------------------------


def test_load_store_then_query_it(cli, tmp_path):
    store = tmp_path / "store"
    code, out, _ = cli("--root", PROJECT, "load", "--store", store)
    assert code == 0
    assert out.splitlines() == [
        "https://w3id.org/kfor/graph/data: 37",
        "https://w3id.org/kfor/graph/inferred: 0",
        "https://w3id.org/kfor/graph/ontology: 30",
    ]
    code, out, _ = cli(
        "--root", PROJECT, "query", "commander-on-date", "--engine", "oxigraph", "--store", store, "--format", "csv"
    )
    assert (code, out) == (0, (PROJECT / "queries" / "commander-on-date.expected.csv").read_text())


def test_load_needs_a_target(cli):
    code, _, err = cli("--root", PROJECT, "load")
    assert code == 2 and "one of the arguments --store --endpoint is required" in err


def test_project_data_files_are_in_canonical_form(cli):
    assert cli("--root", REPO, "format", "--check") == (0, "", "")
