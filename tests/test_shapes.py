"""Tests of the SHACL shapes (ontology/kfor-shapes.ttl) and of kfor_graph.validate.

Approval tests: each tests/invalid/<case>.ttl is validated together with tests/invalid/_base.ttl (a few
valid resources the cases refer to) and the ontology's class hierarchy, and its results must equal,
exactly, the case's header lines

    # expect: <focus> | <path> | <value> | <shape> | <constraint> | <severity>

<constraint> is the SHACL parameter that failed (sh:minCount, sh:class, sh:sparql...), "-" stands for no
path or value and "[]" for a blank node; "# expect: none" marks a case that must conform. Every shape with
a message must have at least one invalid example.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.util import from_n3

from kfor_graph.errors import InputError
from kfor_graph.validate import _union, load_shapes, validate

ROOT = Path(__file__).resolve().parent.parent
SHAPES_FILE = ROOT / "ontology" / "kfor-shapes.ttl"
INVALID = Path(__file__).resolve().parent / "invalid"
BASE = INVALID / "_base.ttl"
CASES = sorted(p for p in INVALID.glob("*.ttl") if not p.name.startswith("_"))
SHAPES_NS = "https://w3id.org/kfor/shapes/"


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(SHAPES_FILE)


@pytest.fixture(scope="module")
def hierarchy():
    """Only rdfs:subClassOf of the project's ontology: what the cases need, and fast. (The ontology's
    own dcterms:source links are checked with the project's data, in test_project_data_conforms.)"""
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        if not path.name.endswith("-shapes.ttl"):
            graph += Graph().parse(path).triples((None, RDFS.subClassOf, None))
    return graph


def rule_shapes(shapes: Graph) -> set:
    """The shapes that state a rule: those with a sh:message, and those with a SPARQL constraint."""
    rules = {s for s in shapes.subjects(SH.message, None) if isinstance(s, URIRef)}
    return rules | set(shapes.subjects(SH.sparql, None))


# ---- the shapes graph itself -------------------------------------------------------------------


def test_shapes_pass_shacl_for_shacl(shapes):
    # meta_shacl validates the shapes graph against SHACL-for-SHACL first and raises if it fails.
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_shapes_use_only_shacl_terms(shapes):
    # rdflib's closed SH namespace lists every SHACL (and SHACL-AF) term: sh:dataType would fail here.
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef) and t.startswith(str(SH))}
    assert {str(t) for t in used if t not in SH} == set()


def test_every_rule_has_a_readable_iri_and_an_english_message(shapes):
    rules = rule_shapes(shapes)
    assert rules
    for rule in rules:
        assert isinstance(rule, URIRef) and rule.startswith(SHAPES_NS), rule
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message) is not None, f"SPARQL constraint of {constraint} has no message"
    for message in shapes.objects(None, SH.message):
        assert isinstance(message, Literal) and message.language == "en", message


def test_every_shape_with_constraints_has_a_message(shapes):
    # A property shape as a blank node is allowed only inside sh:or / sh:xone (its parent has the message).
    in_lists = set()
    for logical in (SH["or"], SH.xone, SH["and"], SH["not"]):
        for lst in shapes.objects(None, logical):
            in_lists.update(shapes.items(lst))
    for shape in set(shapes.subjects(SH.path, None)) - in_lists:
        assert isinstance(shape, URIRef), f"anonymous property shape {shape}: give it an IRI under {SHAPES_NS}"
        assert (shape, SH.message, None) in shapes, f"{shape} has no sh:message"
    for shape in set(shapes.subjects(SH["or"], None)) | set(shapes.subjects(SH.xone, None)):
        if shape not in in_lists:
            assert (shape, SH.message, None) in shapes, f"{shape} has no sh:message"


# ---- approval tests: the invalid examples --------------------------------------------------------


def expectations(path: Path) -> list[str] | None:
    lines = [
        line[len("# expect:") :].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect:")
    ]
    return None if not lines else ([] if lines == ["none"] else lines)


def canonical(expect: str, nsm) -> str:
    """An expect line with its nodes written the way a result is rendered (the path is compared as
    written, in the rendering of rdflib's paths: a/b for a sequence, a|b for alternatives)."""
    focus, path, value, shape, constraint, severity = (part.strip() for part in expect.split(" | "))
    node = lambda text: text if text in ("-", "[]") else from_n3(text, nsm=nsm).n3(nsm)  # noqa: E731
    return " | ".join((node(focus), path, node(value), node(shape), constraint, severity))


def rendered(result, nsm) -> str:
    path = "-" if result.path is None else result.path.n3(nsm)
    value = "-" if result.value is None else "[]" if isinstance(result.value, BNode) else result.value.n3(nsm)
    severity = str(result.severity).removeprefix(str(SH))
    return " | ".join((result.focus.n3(nsm), path, value, result.shape.n3(nsm), result.constraint, severity))


def run_case(path: Path, shapes: Graph, hierarchy: Graph):
    data = Graph().parse(BASE).parse(path)
    data.bind("shapes", SHAPES_NS)
    report = validate(data, shapes=shapes, ontology=hierarchy)
    return report, data.namespace_manager


def test_base_conforms(shapes, hierarchy):
    report = validate(Graph().parse(BASE), shapes=shapes, ontology=hierarchy)
    assert report.conforms, report.format("text")


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_invalid_example(case, shapes, hierarchy):
    expected = expectations(case)
    assert expected is not None, f"{case.name} has no '# expect:' header"
    report, nsm = run_case(case, shapes, hierarchy)
    actual = sorted(rendered(r, nsm) for r in report.results)
    assert actual == sorted(canonical(e, nsm) for e in expected)
    assert report.conforms == (not expected)
    keys = [r.sort_key() for r in report.results]
    assert keys == sorted(keys), "Report.results is not sorted"


def test_every_rule_has_an_invalid_example(shapes):
    covered = set()
    for case in CASES:
        for expect in expectations(case) or []:
            nsm = Graph().parse(case).namespace_manager
            nsm.bind("shapes", SHAPES_NS)
            covered.add(from_n3(expect.split(" | ")[3], nsm=nsm))
    missing = sorted(str(s) for s in rule_shapes(shapes) - covered)
    assert missing == [], "shapes without an invalid example in tests/invalid/"


def test_expected_shapes_exist(shapes):
    # An expect line naming a shape that is gone would only fail as a mismatch; say it plainly.
    known = set(shapes.subjects())
    for case in CASES:
        nsm = Graph().parse(case).namespace_manager
        nsm.bind("shapes", SHAPES_NS)
        for expect in expectations(case) or []:
            assert from_n3(expect.split(" | ")[3], nsm=nsm) in known, f"{case.name}: {expect}"


# ---- the project's own data ----------------------------------------------------------------------


def project_graph() -> Graph:
    graph = Graph()
    ontology = [p for p in sorted((ROOT / "ontology").glob("*.ttl")) if not p.name.endswith("-shapes.ttl")]
    for path in ontology + sorted((ROOT / "data").rglob("*.ttl")):
        graph.parse(path)
    return graph


def test_project_data_conforms(shapes):
    graph = project_graph()
    started = time.perf_counter()
    report = validate(graph, shapes=shapes, ontology=Graph())  # the ontology is already in the graph
    seconds = time.perf_counter() - started
    print(f"validated {len(graph)} triples in {seconds:.1f} s")
    assert report.conforms, report.format("text")
    assert seconds < 30, f"validation took {seconds:.1f} s"


# ---- the validate() API ----------------------------------------------------------------------------

PERSON = """
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/kfor/id/person/nameless> a foaf:Person ;
    rdfs:label "Nameless"@en ;
    dcterms:source <https://w3id.org/kfor/id/source/nato-role-in-kosovo> .
"""


@pytest.fixture(scope="module")
def nameless(shapes, hierarchy):
    data = Graph().parse(BASE).parse(data=PERSON, format="turtle")
    return validate(data, shapes=shapes, ontology=hierarchy)


# The shapes' SPARQL runs on Oxigraph (validate.OxigraphQueries); it must answer as rdflib would.
BOUND_QUERY = """
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT $this ?label WHERE { $this rdfs:label ?label . FILTER (LANG(?label) = "en") }
"""


def test_shape_queries_are_answered_by_oxigraph_as_rdflib_would(hierarchy):
    union = _union(Graph().parse(BASE).parse(data=PERSON, format="turtle"), hierarchy)
    assert len(union.store.mirror) == len(union)  # the copy holds every triple
    person = URIRef("https://w3id.org/kfor/id/person/nameless")
    for bindings in ({}, {"this": person}):
        by_oxigraph = union.query(BOUND_QUERY, initBindings=bindings)
        by_rdflib = union.query(BOUND_QUERY, initBindings=bindings, use_store_provided=False)
        assert sorted(by_oxigraph) == sorted(by_rdflib)
        assert len(by_oxigraph) >= 1
    [row] = union.query(BOUND_QUERY, initBindings={"this": person})
    assert row.label == Literal("Nameless", lang="en")
    assert bool(union.query("ASK { ?s ?p ?o }"))


def test_terms_oxigraph_rejects_leave_the_queries_to_rdflib(shapes, hierarchy):
    # Oxigraph refuses an IRI with a space, which rdflib keeps: validation still runs, on rdflib alone.
    data = Graph().parse(BASE).parse(data=PERSON, format="turtle")
    spaced = URIRef("https://w3id.org/kfor/id/person/name less")
    data.add((spaced, RDFS.label, Literal("Name less", lang="en")))
    assert _union(data, hierarchy).store.mirror is None
    report = validate(data, shapes=shapes, ontology=hierarchy)
    assert spaced in {r.focus for r in report.results}  # untyped yet labelled: Resource-typed


def test_report_records(nameless):
    assert not nameless.conforms
    [result] = nameless.results
    assert str(result.focus) == "https://w3id.org/kfor/id/person/nameless"
    assert str(result.path) == "http://xmlns.com/foaf/0.1/name"
    assert result.value is None
    assert str(result.shape) == SHAPES_NS + "Person-name"
    assert result.severity == SH.Violation
    assert "foaf:name" in result.message
    assert (None, RDF.type, SH.ValidationReport) in nameless.graph


def test_report_formats(nameless):
    text = nameless.format("text")
    assert text.splitlines()[0] == "person:nameless"
    assert "foaf:name" in text and "shapes:Person-name" in text
    assert text.rstrip().splitlines()[-1] == "Does not conform: 1 result(s) on 1 node(s)."
    records = json.loads(nameless.format("json"))
    assert records == [
        {
            "focus": "https://w3id.org/kfor/id/person/nameless",
            "path": "http://xmlns.com/foaf/0.1/name",
            "value": None,
            "message": nameless.results[0].message,
            "shape": SHAPES_NS + "Person-name",
            "severity": "Violation",
            "constraint": "sh:minCount",
            "component": str(SH.MinCountConstraintComponent),
        }
    ]
    report = Graph().parse(data=nameless.format("turtle"), format="turtle")
    assert len(report) == len(nameless.graph)
    with pytest.raises(InputError):
        nameless.format("xml")


def test_conforming_text_report(shapes, hierarchy):
    report = validate(Graph().parse(BASE), shapes=shapes, ontology=hierarchy)
    assert report.results == []
    assert report.format("text") == "Conforms: the data meets every shape.\n"
    assert report.format("json") == "[]\n"


def test_default_shapes_are_the_project_shapes():
    assert len(load_shapes()) == len(load_shapes(SHAPES_FILE))


def test_unreadable_shapes(tmp_path):
    with pytest.raises(InputError):
        load_shapes(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path", encoding="utf-8")
    with pytest.raises(InputError):
        load_shapes(bad)


def test_unusable_shapes():
    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://w3id.org/kfor/shapes/Broken> a sh:NodeShape ; sh:targetNode <x> ;
            sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .
    """,
        format="turtle",
    )
    with pytest.raises(InputError):
        validate(Graph(), shapes=broken, ontology=Graph())


# ---- the command line ----------------------------------------------------------------------------


def cli(*args, root=None):
    """Run `python -m kfor_graph [--root DIR] validate ARGS...`."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    options = ["--root", str(root)] if root else []
    return subprocess.run(
        [sys.executable, "-m", "kfor_graph", *options, "validate", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )


def test_cli_exit_0_when_conforming(hierarchy, tmp_path):
    # A project of its own: the base as data, the class hierarchy as ontology (the real ontology
    # refers to resources described only in the project's data/).
    (tmp_path / "ontology").mkdir()
    (tmp_path / "data").mkdir()
    hierarchy.serialize(tmp_path / "ontology" / "kfor.ttl", format="turtle")
    (tmp_path / "ontology" / "kfor-shapes.ttl").write_bytes(SHAPES_FILE.read_bytes())
    (tmp_path / "data" / "base.ttl").write_bytes(BASE.read_bytes())
    done = cli(root=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "Conforms: the data meets every shape.\n"


def test_cli_exit_1_with_violations():
    done = cli(BASE, INVALID / "Person-name.ttl", "--format", "json")
    assert done.returncode == 1, done.stderr
    shapes = {record["shape"] for record in json.loads(done.stdout)}
    assert SHAPES_NS + "Person-name" in shapes


def test_cli_exit_2_for_unreadable_input(tmp_path):
    assert cli(tmp_path / "missing.ttl").returncode == 2
    assert cli(BASE, "--shapes", tmp_path / "missing-shapes.ttl").returncode == 2
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    assert cli(bad).returncode == 2
