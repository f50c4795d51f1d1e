"""The ontology: consistent with all data under an OWL 2 DL reasoner, and clean by the QC queries."""

import shutil

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, OWL, RDFS, SKOS

import kfor_graph
from kfor_graph import qc

KFOR = Namespace("https://w3id.org/kfor/ontology/")
ID = Namespace("https://w3id.org/kfor/id/")
ONTOLOGY = URIRef("https://w3id.org/kfor/ontology")


@pytest.fixture(scope="module")
def graph(project_dataset):
    return kfor_graph.union_graph(project_dataset)


def reason(graph: Graph):
    """Run HermiT (shipped by owlready2) on the graph; return the unsatisfiable classes, or raise
    owlready2's inconsistency error.

    Claims (kfor:Claim, and rdf:Statement nodes) are left out: their rdf:subject, rdf:predicate and
    rdf:object are RDF reification, reserved vocabulary outside OWL 2 DL. The
    OWL 2 datatype map has no xsd:date, xsd:gYearMonth or xsd:gYear, so HermiT is told to ignore
    unsupported datatypes rather than the data giving up its dates' precision."""
    owlready2 = pytest.importorskip("owlready2")
    if shutil.which("java") is None:
        pytest.fail("HermiT needs Java: install a JRE (.ci/run does, from Debian's packages)")
    reified = set(graph.subjects(RDF.type, RDF.Statement)) | set(graph.subjects(RDF.type, KFOR.Claim))
    kept = Graph()
    for s, p, o in graph:
        if s not in reified:
            kept.add((s, p, o))
    world = owlready2.World()
    ontology = world.get_ontology("http://example.org/kfor-reasoning/")
    ontology.load(fileobj=_ntriples(kept), format="ntriples")
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
    return sorted(str(c.iri) for c in world.inconsistent_classes())


def _ntriples(graph: Graph):
    import io

    return io.BytesIO(graph.serialize(format="nt", encoding="utf-8"))


def test_reasoner_finds_ontology_and_data_consistent_with_no_unsatisfiable_class(graph):
    assert reason(graph) == []


def test_reasoner_rejects_a_person_who_is_also_an_organisation(graph):
    owlready2 = pytest.importorskip("owlready2")
    mixed = Graph()
    for triple in graph:
        mixed.add(triple)
    mixed.add((ID["person/fabio-mini"], RDF.type, KFOR.Force))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(mixed)


def test_ontology_header_says_what_which_version_and_licence(graph):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY, OWL.versionInfo) == Literal(kfor_graph.__version__)
    assert graph.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"https://w3id.org/kfor/ontology/{kfor_graph.__version__}")
    assert graph.value(ONTOLOGY, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert graph.value(ONTOLOGY, URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")) == Literal("kfor")


@pytest.mark.parametrize("check", [path.stem for path in qc.check_files()])
def test_quality_check_returns_no_rows(graph, check):
    assert qc.run_checks(graph, only=check)[check] == []


def test_quality_checks_are_found():
    assert {path.stem for path in qc.check_files()} >= {
        "own-term-undocumented-violation",
        "unknown-standard-term-violation",
        "unused-own-term-violation",
    }


def test_quality_checks_catch_an_undocumented_an_unused_and_an_unknown_term(graph):
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.add((KFOR.Unlabelled, RDF.type, OWL.Class))  # no label, no definition, never used
    # Neither term exists, so they are built as plain IRIs (rdflib's closed namespaces would raise).
    commanded_by = URIRef(str(ORG) + "commandedBy")
    soldier = URIRef(str(FOAF) + "Soldier")
    broken.add((ID["person/fabio-mini"], commanded_by, ID["organisation/kfor"]))
    broken.add((ID["person/fabio-mini"], RDF.type, soldier))
    # oa: has no closed namespace in rdflib: its index lists the Web Annotation Vocabulary's terms
    quoted_by = URIRef("http://www.w3.org/ns/oa#quotedBy")
    broken.add((ID["person/fabio-mini"], quoted_by, ID["organisation/kfor"]))
    rows = qc.run_checks(broken)
    assert rows["own-term-undocumented-violation"] == [
        (KFOR.Unlabelled, Literal("English rdfs:label")),
        (KFOR.Unlabelled, Literal("English skos:definition")),
        (KFOR.Unlabelled, Literal("rdfs:isDefinedBy")),
    ]
    assert rows["unused-own-term-violation"] == [(KFOR.Unlabelled,)]
    assert rows["unknown-standard-term-violation"] == [(quoted_by,), (commanded_by,), (soldier,)]


def test_every_own_term_is_defined_once_in_english(graph):
    for term in set(graph.subjects(RDFS.isDefinedBy, ONTOLOGY)):
        assert len(list(graph.objects(term, SKOS.definition))) == 1, term
        assert len(list(graph.objects(term, RDFS.label))) == 1, term


def test_check_command_passes_on_the_project_and_names_a_failing_check(tmp_path, capsys):
    from kfor_graph.cli import main

    assert main(["check"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ok: own-term-undocumented-violation",
        "ok: unknown-standard-term-violation",
        "ok: unused-own-term-violation",
    ]
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://w3id.org/kfor/id/person/x> a <http://xmlns.com/foaf/0.1/Soldier> .\n")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FAIL: unknown-standard-term-violation\n    <http://xmlns.com/foaf/0.1/Soldier>\n" in out
