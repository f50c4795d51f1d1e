"""The synthetic data (kfor_graph.synth) and the benchmark (python -m kfor_graph.bench).

The benchmark runs here at 1x and 10x with one run (the two scales as two processes at once, to stay
under two minutes on two cores): every step has its row, every cell a figure or an "n/a" with
its reason, and no step failed or timed out. Where the reference tools are installed (Jena from
libapache-jena-java, rapper from raptor2-utils) their cells must hold figures; where they are not
(as in CI) their cells must say why."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef

import kfor_graph
from kfor_graph import resources, synth
from kfor_graph.build import validate_dataset
from kfor_graph.load import DATA_GRAPH, load_dataset, named_graph

PACKAGE_PARENT = Path(kfor_graph.__file__).resolve().parent.parent
FIGURE = r"\d+(\.\d+)? (ms|s)"
CELL = re.compile(rf"-|{FIGURE}(, \d+(\.\d+)? (MiB|GiB))?|n/a: \S.*")


@pytest.fixture(scope="module")
def data():
    return named_graph(load_dataset(), DATA_GRAPH)


def test_synthetic_copies_conform_and_grow_linearly(tmp_path, data):
    per_copy = sum(1 for s, _, _ in data if synth.copy_iri(s, 2) != s)
    assert per_copy > len(data) / 2  # most of the data is copied; only shared vocabulary is not

    for scale in (2, 3):
        path = tmp_path / f"synthetic-{scale}.ttl"
        assert synth.write_synthetic(path, scale, data=data) == (scale - 1) * per_copy
        dataset = load_dataset([resources.project_root() / "data", path])
        # distinct IRIs per copy: nothing collapses when the copies are loaded together
        assert len(dataset.graph(DATA_GRAPH)) == len(data) + (scale - 1) * per_copy

    report = validate_dataset(load_dataset([resources.project_root() / "data", tmp_path / "synthetic-2.ttl"]))
    assert report.conforms, report.format("text")

    again = tmp_path / "again.ttl"
    synth.write_synthetic(again, 3, data=data)
    assert again.read_bytes() == (tmp_path / "synthetic-3.ttl").read_bytes()  # deterministic


def test_copy_iri():
    person = URIRef("https://w3id.org/kfor/id/person/michael-jackson")
    assert synth.copy_iri(person, 3) == URIRef("https://w3id.org/kfor/id/person/synthetic-3-michael-jackson")
    for shared in ("https://w3id.org/kfor/id/concept/rank/major-general", "https://w3id.org/kfor/id/country/italy",
                   "https://w3id.org/kfor/ontology/TermOfOffice"):
        assert synth.copy_iri(URIRef(shared), 3) == URIRef(shared)


def rows(table: str) -> dict[str, list[str]]:
    cells = {}
    for line in table.splitlines():
        if line.startswith("| ") and not line.startswith("| step "):
            step, *rest = [c.strip() for c in line.strip("|").split("|")]
            cells[step] = rest
    return cells


def test_bench_at_1x_and_10x(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(PACKAGE_PARENT), os.environ.get("PYTHONPATH")])))
    out = tmp_path / "bench.md"
    procs = {
        scale: subprocess.Popen(
            [sys.executable, "-m", "kfor_graph.bench", "--scales", str(scale), "--runs", "1",
             "--work", str(tmp_path / f"work-{scale}"), *(["--out", str(out)] if scale == 1 else [])],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
        for scale in (1, 10)
    }
    try:
        results = {scale: proc.communicate(timeout=900) for scale, proc in procs.items()}
    finally:
        for proc in procs.values():
            proc.kill()  # no-op when they have finished
    for scale, proc in procs.items():
        assert proc.returncode == 0, results[scale][1]

    queries = [p.stem for p in sorted(resources.queries_dir().glob("*.rq"))]
    has_rapper = shutil.which("rapper") is not None
    has_jena = shutil.which("java") is not None and Path("/usr/share/java/jena-cmds.jar").is_file()
    for scale, (stdout, _) in results.items():
        assert re.search(rf"^### Scale {scale}x: .*, [\d,]+ triples", stdout, re.M)
        assert "| step | kfor_graph | oxigraph | jena | rapper | target |" in stdout
        table = rows(stdout)
        expected = ["parse", "validate", "build", "store load (step only)", "store open + a one-row query (step only)",
                    f"queries: one process, load + all {len(queries)}", "cli: kfor-graph --help",
                    "cli: kfor-graph query commander-on-date"] + [f"query {q} (step only)" for q in queries]
        assert set(expected) <= set(table), set(expected) - set(table)
        for step, cells in table.items():
            assert len(cells) == 5, step
            for cell in cells[:4]:  # a figure, "-" or an n/a with its reason; never FAILED or a timeout
                assert CELL.fullmatch(cell), f"{scale}x {step}: {cell}"
        for step in ("parse", "validate", "build"):
            assert re.match(FIGURE, table[step][0]), table[step]
        for q in queries:
            assert all(re.fullmatch(FIGURE, c) for c in table[f"query {q} (step only)"][:2]), q
        assert all(re.match(FIGURE, c) for c in table[f"queries: one process, load + all {len(queries)}"][:2])
        assert re.match(FIGURE, table["store load (step only)"][1])
        assert re.match(FIGURE, table["store open + a one-row query (step only)"][1])
        # the reference tools ran where they are installed, and say why not where they are not
        assert bool(re.match(FIGURE, table["parse"][3])) == has_rapper, table["parse"][3]
        for step in ("parse", "validate", "cli: kfor-graph query commander-on-date"):
            assert bool(re.match(FIGURE, table[step][2])) == has_jena, table[step][2]
        assert re.search(r"Peak memory of our steps .*: [\d.]+ (MiB|GiB)", stdout)

    table = rows(results[1][0])  # the real data's targets are checked, met or missed
    for step in ("build", "cli: kfor-graph query commander-on-date"):
        assert re.match(r"(met|MISSED)", table[step][4]), table[step]
    assert "### Scale 1x" in out.read_text(encoding="utf-8")


def test_profile_names_the_costliest_shapes_of_validation():
    from kfor_graph.bench import profile_validation

    def value(text: str) -> float:
        number, unit = text.split()
        return float(number) / (1000 if unit == "ms" else 1)

    table = profile_validation([], top=5)
    cells = {step: value(rest[0]) for step, rest in rows(table).items()}
    shapes = {step: t for step, t in cells.items() if step.startswith("validate: shapes:")}
    assert len(shapes) == 5  # the five costliest top-level shapes, by name
    assert "validate: shapes:Resource-labelText" in shapes  # a rule on each of the ~540 labels
    # the parts add up to the whole (each figure is rounded)
    parts = sum(shapes.values()) + cells["validate: all but the shapes (one graph, its Oxigraph copy, pySHACL's set-up)"]
    assert parts <= cells["validate"] * 1.05 + 0.01
