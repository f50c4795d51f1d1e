"""The synthetic data (benchmarks/synth.py) and the benchmark (python -m benchmarks.bench).

The benchmark runs here once at 1x without the reference tools: every step has its row, every cell a
figure or an "n/a" with its reason, no step failed or timed out, and the 1x targets are met (within
the benchmark's noise margin). The larger scales and Jena/rapper are the benchmark's own job
(docs/benchmark.md)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef

from benchmarks import bench, synth
from conftest import REPO
from kfor_graph import resources
from kfor_graph.load import load_dataset, named_graph
from kfor_graph.namespaces import DATA_GRAPH
from kfor_graph.validate import validate_dataset

FIGURE = r"\d+(\.\d+)? (ms|s)"
CELL = re.compile(rf"-|{FIGURE}(, \d+(\.\d+)? (MiB|GiB))?|n/a: \S.*")


@pytest.fixture(scope="module")
def data(project_dataset):
    return named_graph(project_dataset, DATA_GRAPH)


def test_synthetic_copies_conform_and_grow_linearly(tmp_path, data):
    per_copy = sum(1 for s, _, _ in data if synth.copy_iri(s, 2) != s)
    assert per_copy > len(data) / 2  # most of the data is copied; only shared vocabulary is not

    for scale in (2, 3):
        path = tmp_path / f"synthetic-{scale}.ttl"
        assert synth.write_synthetic(path, scale, data=data) == (scale - 1) * per_copy
    dataset = load_dataset([resources.project_root() / "data", tmp_path / "synthetic-3.ttl"])
    # distinct IRIs per copy: nothing collapses when the copies are loaded together
    assert len(dataset.graph(DATA_GRAPH)) == len(data) + 2 * per_copy
    report = validate_dataset(dataset)
    assert report.conforms, report.format("text")

    again = tmp_path / "again.ttl"
    synth.write_synthetic(again, 3, data=data)
    assert again.read_bytes() == (tmp_path / "synthetic-3.ttl").read_bytes()  # deterministic


def test_copy_iri():
    person = URIRef("https://w3id.org/kfor/id/person/michael-jackson")
    assert synth.copy_iri(person, 3) == URIRef("https://w3id.org/kfor/id/person/synthetic-3-michael-jackson")
    for shared in (
        "https://w3id.org/kfor/id/concept/rank/major-general",
        "https://w3id.org/kfor/id/country/italy",
        "https://w3id.org/kfor/ontology/TermOfOffice",
    ):
        assert synth.copy_iri(URIRef(shared), 3) == URIRef(shared)


def rows(table: str) -> dict[str, list[str]]:
    cells = {}
    for line in table.splitlines():
        if line.startswith("| ") and not line.startswith("| step "):
            step, *rest = [c.strip() for c in line.strip("|").split("|")]
            cells[step] = rest
    return cells


def test_bench_at_1x_prints_every_step_and_a_verdict_per_target(tmp_path):
    """One run at 1x, without the reference tools (the benchmark's own job, not the suite's): every
    step has its row and a figure, and the 1x targets get a verdict. The figures themselves are not
    held to the targets here: a test's timing depends on what else the machine runs (the targets
    are the benchmark's, `--check-targets`; their logic is tested below)."""
    out = tmp_path / "bench.md"
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench",
        "--scales",
        "1",
        "--runs",
        "1",
        "--no-reference",
        "--work",
        str(tmp_path / "work"),
        "--out",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr

    queries = [p.stem for p in sorted(resources.queries_dir().glob("*.rq"))]
    assert re.search(r"^### Scale 1x: .*, [\d,]+ triples", done.stdout, re.M)
    assert "| step | kfor_graph | oxigraph | jena | rapper | target |" in done.stdout
    table = rows(done.stdout)
    expected = [
        "parse",
        "validate",
        "build",
        "store load (step only)",
        "store open + a one-row query (step only)",
        f"queries: one process, load + all {len(queries)}",
        "cli: kfor-graph --help",
        "cli: kfor-graph query commander-on-date",
    ] + [f"query {q} (step only)" for q in queries]
    assert set(expected) <= set(table), set(expected) - set(table)
    for step, cells in table.items():
        assert len(cells) == 5, step
        for cell in cells[:4]:  # a figure, "-" or an n/a with its reason; never FAILED or a timeout
            assert CELL.fullmatch(cell), f"{step}: {cell}"
    for step in ("parse", "validate", "build"):
        assert re.match(FIGURE, table[step][0]), table[step]
    for q in queries:
        assert all(re.fullmatch(FIGURE, c) for c in table[f"query {q} (step only)"][:2]), q
    assert table["validate"][2] == "n/a: --no-reference"
    assert re.search(r"Peak memory of our steps .*: [\d.]+ (MiB|GiB)", done.stdout)
    for step in ("build", "cli: kfor-graph query commander-on-date"):  # the real data's targets
        assert re.match(r"(met|MISSED)\b", table[step][4]), table[step]
    assert "### Scale 1x" in out.read_text(encoding="utf-8")


def test_a_target_missed_beyond_the_noise_margin_is_missed():
    one = bench.Scale(1, Path("."), [], Path("."), {"data": 1})
    build = 3.0  # the 1x build target, in seconds

    def verdict(seconds):
        return bench.target("build", {"kfor_graph": bench.Cell(times=[seconds])}, one)

    assert verdict(build * 0.9).startswith("met: ")
    assert verdict(build * (1 + bench.NOISE_MARGIN / 2)).startswith("met within the noise margin")
    assert verdict(build * (1 + bench.NOISE_MARGIN * 2)).startswith("MISSED by ")
    rows = [f"| build | 1 s | - | - | - | {verdict(seconds)} |" for seconds in (build * 0.9, build * 2)]
    assert bench.missed_targets(rows) == rows[1:]  # what --check-targets exits 1 for


def test_profile_names_the_costliest_shapes_of_validation():
    def value(text: str) -> float:
        number, unit = text.split()
        return float(number) / (1000 if unit == "ms" else 1)

    table = bench.profile_validation([], top=5)
    cells = {step: value(rest[0]) for step, rest in rows(table).items()}
    shapes = {step: t for step, t in cells.items() if step.startswith("validate: shapes:")}
    assert len(shapes) == 5  # the five costliest top-level shapes, by name
    assert "validate: shapes:Resource-labelText" in shapes  # a rule on each of the ~540 labels
    # the parts add up to the whole (each figure is rounded)
    parts = (
        sum(shapes.values()) + cells["validate: all but the shapes (one graph, its Oxigraph copy, pySHACL's set-up)"]
    )
    assert parts <= cells["validate"] * 1.05 + 0.01
