"""The dumps: every file `build` writes reads back (with rdflib, with Oxigraph, and the JSON-LD with
pyLD) as the graph it came from; output is byte-stable; files are written whole or not at all."""

import json
import os
import subprocess
import sys

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Dataset, Graph, URIRef

from conftest import PROJECT, Comparable, from_oxigraph, run_process, same_graph
from kfor_graph import export, files
from kfor_graph.build import iter_build_files
from kfor_graph.errors import InputError
from kfor_graph.load import DATA_GRAPH, ONTOLOGY_GRAPH, load_dataset, union_graph
from kfor_graph.namespaces import INFERRED_GRAPH

# One worker (pytest-xdist) for the module, so each project's files are built once.
pytestmark = pytest.mark.xdist_group("export")

GRAPHS = (ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH)
# file -> (rdflib format, pyoxigraph format, holds named graphs)
DUMPS = {
    "kfor.ttl": ("turtle", ox.RdfFormat.TURTLE, False),
    "kfor.nt": ("nt", ox.RdfFormat.N_TRIPLES, False),
    "kfor.rdf": ("xml", ox.RdfFormat.RDF_XML, False),
    "kfor.jsonld": ("json-ld", ox.RdfFormat.JSON_LD, False),
    "kfor.trig": ("trig", ox.RdfFormat.TRIG, True),
    "kfor.nq": ("nquads", ox.RdfFormat.N_QUADS, True),
}


class Built:
    """A dataset, what `build` would write for it, and its union graph."""

    def __init__(self, dataset):
        self.dataset = dataset
        self.files = dict(iter_build_files(self.dataset))
        self.union = union_graph(self.dataset)
        # what each dump is compared with (twelve times for the union), normalised once
        self.expected = {None: Comparable(self.union)} | {iri: Comparable(dataset.graph(iri)) for iri in GRAPHS}


@pytest.fixture(scope="module", params=["fixture", "project"])
def built(request, project_dataset):
    """The fixture project and the real project. The real data need not conform for these tests:
    they check serialisation only."""
    return Built(load_dataset(root=PROJECT) if request.param == "fixture" else project_dataset)


def test_build_writes_every_file(built):
    files = built.files
    assert sorted(files) == sorted([*DUMPS, "context.jsonld", "void.ttl"])


@pytest.mark.parametrize("name", DUMPS)
def test_dump_reads_back_with_rdflib(built, name):
    dataset, files = built.dataset, built.files
    rdflib_format, _, named = DUMPS[name]
    if named:
        parsed = Dataset()
        parsed.parse(data=files[name], format=rdflib_format)
        for iri in GRAPHS:
            assert same_graph(parsed.graph(iri), built.expected[iri]), iri
        assert {g.identifier for g in parsed.graphs() if len(g)} == {iri for iri in GRAPHS if len(dataset.graph(iri))}
    else:
        parsed = Graph().parse(data=files[name], format=rdflib_format)
        assert same_graph(parsed, built.expected[None])


@pytest.mark.parametrize("name", DUMPS)
def test_dump_reads_back_with_oxigraph(built, name):
    dataset, files = built.dataset, built.files
    _, oxigraph_format, named = DUMPS[name]
    quads = list(ox.parse(files[name], oxigraph_format))
    if named:
        for iri in GRAPHS:
            triples = [
                (from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object))
                for q in quads
                if q.graph_name == ox.NamedNode(iri)
            ]
            assert same_graph(triples, built.expected[iri]), iri
        assert {q.graph_name.value for q in quads} == {str(iri) for iri in GRAPHS if len(dataset.graph(iri))}
    else:
        triples = [(from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)) for q in quads]
        assert same_graph(triples, built.expected[None])


def test_jsonld_expands_with_pyld_to_the_same_triples(built):
    files = built.files
    expanded = jsonld.expand(json.loads(files["kfor.jsonld"]))  # offline: the dump has no context
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    parsed = Graph().parse(data=nquads, format="nquads")
    assert same_graph(parsed, built.expected[None])


def test_jsonld_dump_is_expanded_and_the_context_file_compacts_it(project_dataset):
    files = dict(iter_build_files(project_dataset))
    document = json.loads(files["kfor.jsonld"])  # Oxigraph's: expanded, one node object per subject
    assert isinstance(document, list) and all(set(node) >= {"@id"} for node in document)
    context = json.loads(files["context.jsonld"])
    term = next(node for node in document if node["@id"] == "https://w3id.org/kfor/id/term/comkfor-01")
    compacted = jsonld.compact(term, context)
    assert compacted["post"] == "https://w3id.org/kfor/id/post/comkfor"
    assert compacted["nextTerm"] == "https://w3id.org/kfor/id/term/comkfor-02"
    assert compacted["rdf:type"] == {"@id": "kfor:TermOfOffice"}


def test_context_file_names_the_vocabularies(built):
    terms = json.loads(built.files["context.jsonld"])["@context"]
    assert terms["kfor"] == "https://w3id.org/kfor/ontology/"
    for prefix in (
        "rdf",
        "rdfs",
        "owl",
        "xsd",
        "skos",
        "dcterms",
        "foaf",
        "org",
        "prov",
        "time",
        "schema",
        "vann",
        "sosa",
        "void",
        "dcat",
    ):
        assert terms[prefix].startswith("http"), prefix
    assert terms["schema"] == "https://schema.org/"


def test_context_keys_for_kfor_terms():
    ontology = Graph().parse(
        data="""
        @prefix kfor: <https://w3id.org/kfor/ontology/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        kfor:Term a owl:Class .
        kfor:holder a owl:ObjectProperty .
        kfor:ordinal a owl:DatatypeProperty .
        kfor:time a owl:ObjectProperty .
    """,
        format="turtle",
    )
    terms = export.context(ontology)["@context"]
    assert terms["Term"] == "kfor:Term"
    assert terms["holder"] == {"@id": "kfor:holder", "@type": "@id"}
    assert terms["ordinal"] == "kfor:ordinal"
    assert terms["time"] == "http://www.w3.org/2006/time#"  # a prefix is never shadowed by a term


def test_void_describes_the_dumps(built):
    files = built.files
    void = Graph().parse(data=files["void.ttl"], format="turtle")
    quads = ox.parse(files["void.ttl"], ox.RdfFormat.TURTLE)
    assert same_graph(
        ((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)) for q in quads), void
    )
    result = list(
        void.query("""
        PREFIX void: <http://rdfs.org/ns/void#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?triples ?license WHERE { ?d a void:Dataset ; void:triples ?triples ; dcterms:license ?license }
    """)
    )
    assert [(int(t), str(lic)) for t, lic in result] == [
        (len(built.union), "https://creativecommons.org/licenses/by/4.0/")
    ]
    dumps = {str(o).rsplit("/", 1)[1] for o in void.objects(None, URIRef("http://rdfs.org/ns/void#dataDump"))}
    assert dumps == set(DUMPS)


def test_line_formats_are_sorted(built):
    files = built.files
    for name in ("kfor.nt", "kfor.nq"):
        lines = files[name].splitlines()
        assert lines == sorted(lines) and files[name].endswith(b"\n")


def test_unknown_format_is_an_input_error():
    with pytest.raises(InputError, match="^unknown format 'xls'"):
        export.serialize(load_dataset(root=PROJECT), "xls")


# --- byte-stable output ----------------------------------------------------------------------

SCRIPT = """
import sys
from pathlib import Path
from kfor_graph.build import iter_build_files
from kfor_graph.files import replace_folder
from kfor_graph.load import load_dataset
replace_folder(iter_build_files(load_dataset()), Path(sys.argv[1]))
"""


def test_build_is_byte_identical_across_hash_seeds(tmp_path):
    """The CLI on the fixture, and the real project's files, each built by two processes."""
    for seed in ("1", "2"):
        result = run_process("--root", PROJECT, "build", "--out", tmp_path / f"fixture-{seed}", seed=seed)
        assert result.returncode == 0, result.stderr
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", SCRIPT, tmp_path / f"project-{seed}"], env=env, check=True)
    for kind in ("fixture", "project"):
        first, second = tmp_path / f"{kind}-1", tmp_path / f"{kind}-2"
        names = sorted(p.name for p in first.iterdir())
        assert names == sorted(p.name for p in second.iterdir()) and len(names) == 8
        for name in names:
            assert (first / name).read_bytes() == (second / name).read_bytes(), f"{kind}: {name}"


# --- atomic writes ---------------------------------------------------------------------------


def test_failing_serialiser_writes_nothing(tmp_path, monkeypatch, cli):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "kfor.ttl").write_text("previous build")

    def broken(*args, **kwargs):
        raise RuntimeError("serialiser broke")

    monkeypatch.setattr(export, "dump_json", broken)  # context.jsonld, the 7th of 8 files
    code, _, err = cli("--root", PROJECT, "build", "--out", out)
    assert code == 3 and "serialiser broke" in err
    assert [p.name for p in out.iterdir()] == ["kfor.ttl"]
    assert (out / "kfor.ttl").read_text() == "previous build"


def test_failing_write_leaves_the_old_folder_whole_and_no_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "kfor.ttl").write_text("previous build")
    built = dict(iter_build_files(load_dataset(root=PROJECT)))
    real_write, calls = files._write, []

    def write(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(files, "_write", write)
    with pytest.raises(OSError, match="No space left"):
        files.replace_folder(built.items(), out)
    assert [p.name for p in out.iterdir()] == ["kfor.ttl"]
    assert (out / "kfor.ttl").read_text() == "previous build"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist.lock", "dist"]  # no .dist.new-* folder


def test_replace_folder_writes_each_file_as_it_comes_and_keeps_other_entries(tmp_path):
    out = tmp_path / "dist"
    (out / "docs").mkdir(parents=True)
    (out / "docs" / "index.html").write_text("docs")
    (out / "a.ttl").write_text("old a")

    def staged():  # given a generator, each file is on disk (in the new folder) before the next is made
        yield "a.ttl", b"a"
        (new,) = tmp_path.glob(".dist.new-*")
        assert [p.name for p in new.iterdir()] == ["a.ttl"]
        yield "b.ttl", b"b"

    assert files.replace_folder(staged(), out) == [out / "a.ttl", out / "b.ttl"]
    assert sorted(p.name for p in out.iterdir()) == ["a.ttl", "b.ttl", "docs"]
    assert (out / "a.ttl").read_text() == "a" and (out / "docs" / "index.html").read_text() == "docs"
    assert not list(tmp_path.glob(".dist.new-*"))


def test_write_atomic_interrupted_midway(tmp_path, monkeypatch):
    target = tmp_path / "kfor.ttl"
    target.write_text("previous")

    def fsync(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(target, b"new content")
    assert [p.name for p in tmp_path.iterdir()] == ["kfor.ttl"]
    assert target.read_text() == "previous"


def test_written_files_are_readable_by_others(tmp_path):
    files.write_atomic(tmp_path / "a.ttl", b"x")
    assert (tmp_path / "a.ttl").stat().st_mode & 0o777 == 0o644


def test_exported_turtle_keeps_the_ontology_header_first():
    text = export.serialize(load_dataset(root=PROJECT), "ttl").decode()
    body = [line for line in text.splitlines() if line and not line.startswith("@prefix")]
    assert body[0] == "kfor: a owl:Ontology ;"
