"""Loading Turtle into the two named graphs, and the errors for unreadable input."""

import re

import pytest
from rdflib import RDF, URIRef

from conftest import BROKEN, PROJECT
from kfor_graph import resources
from kfor_graph.errors import InputError
from kfor_graph.load import (
    DATA_GRAPH,
    ONTOLOGY_GRAPH,
    load_dataset,
    load_ontology,
    named_graph,
    union_graph,
)

KFOR = "https://w3id.org/kfor/ontology/"
SHAPES = URIRef("https://w3id.org/kfor/shapes/Person-name")


def test_ontology_and_data_go_to_their_named_graphs():
    dataset = load_dataset(root=PROJECT)
    ontology, data = dataset.graph(ONTOLOGY_GRAPH), dataset.graph(DATA_GRAPH)
    assert (URIRef(KFOR + "Term"), None, None) in ontology
    assert (URIRef(KFOR + "Term"), None, None) not in data
    assert (URIRef("https://w3id.org/kfor/id/person/michael-jackson"), None, None) in data
    assert len(union_graph(dataset)) == len(ontology) + len(data)


def test_shapes_are_never_part_of_the_graph():
    dataset = load_dataset(root=PROJECT)
    assert (SHAPES, None, None) not in union_graph(dataset)
    assert (SHAPES, None, None) not in load_ontology(PROJECT)
    assert [p.name for p in resources.shapes_files(PROJECT)] == ["kfor-shapes.ttl"]


def test_data_folder_is_read_recursively():
    data = named_graph(load_dataset(root=PROJECT), DATA_GRAPH)
    source = URIRef("https://w3id.org/kfor/id/source/nato-role-in-kosovo")  # in data/extra/sources.ttl
    assert (source, RDF.type, URIRef(KFOR + "SourceDocument")) in data


def test_explicit_paths_are_the_data_and_the_ontology_stays(tmp_path):
    dataset = load_dataset([BROKEN / "nameless-person.ttl"], root=PROJECT)
    data = dataset.graph(DATA_GRAPH)
    assert {str(s) for s in data.subjects()} == {"https://w3id.org/kfor/id/person/nameless"}
    assert len(dataset.graph(ONTOLOGY_GRAPH)) == len(load_ontology(PROJECT))
    # a folder stands for the .ttl files under it
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.ttl").write_text((BROKEN / "nameless-person.ttl").read_text())
    (tmp_path / "notes.txt").write_text("not turtle")
    assert len(load_dataset([tmp_path], root=PROJECT).graph(DATA_GRAPH)) == len(data)


def test_default_graph_is_the_union_for_queries():
    dataset = load_dataset(root=PROJECT)
    rows = list(dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(rows[0][0]) == len(union_graph(dataset))


def test_syntax_error_names_file_and_line():
    path = BROKEN / "bad-syntax.ttl"
    with pytest.raises(InputError) as error:
        load_dataset([path], root=PROJECT)
    assert str(error.value) == f'{path}:6: bad syntax: "C" is not a valid subject or graph name'


def test_other_parser_errors_name_the_file(tmp_path):
    path = tmp_path / "unterminated.ttl"
    path.write_text('<https://w3id.org/kfor/id/person/a> <http://xmlns.com/foaf/0.1/name> """open .\n')
    with pytest.raises(InputError) as error:
        load_dataset([path], root=PROJECT)
    assert str(error.value) == f"{path}:1: bad syntax: Unexpected end of file"


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="^nope.ttl: no such file or folder$"):
        load_dataset(["nope.ttl"], root=PROJECT)
    latin1 = tmp_path / "latin1.ttl"
    latin1.write_bytes('<https://w3id.org/kfor/id/a> <https://w3id.org/kfor/id/b> "Kajári" .'.encode("latin-1"))
    with pytest.raises(InputError, match=f"^{re.escape(str(latin1))}: cannot read"):
        load_dataset([latin1], root=PROJECT)


def test_a_root_without_ontology_or_data_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no ontology found"):
        load_dataset(root=tmp_path)
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "kfor.ttl").write_text((PROJECT / "ontology" / "kfor.ttl").read_text())
    with pytest.raises(InputError, match="no data found"):
        load_dataset(root=tmp_path)


def test_the_project_itself_loads(project_dataset):
    """Whatever the data says, the real ontology and data must parse."""
    dataset = project_dataset
    assert len(dataset.graph(ONTOLOGY_GRAPH)) > 0
    assert len(dataset.graph(DATA_GRAPH)) > 0


def test_resources_are_found_in_the_checkout_or_the_wheel():
    root = resources.project_root()
    assert (root / "ontology").is_dir() and (root / "data").is_dir()
    assert root in (resources.PACKAGED, resources.CHECKOUT)
