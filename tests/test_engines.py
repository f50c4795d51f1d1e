"""rdflib and the embedded Oxigraph store give the same answers, and loading the store is idempotent.

Runs on the real project (ontology/ + data/ + queries/*.rq and queries/qc/*.rq) when it is there, and
always on the small project in tests/fixtures/store/, whose generic queries also run on the real data."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Literal, URIRef

from helpers import assert_same
from kfor_graph import query as rdflib_engine
from kfor_graph import resources
from kfor_graph.errors import InputError, KforGraphError, QueryError
from kfor_graph.load import DATA_GRAPH, ONTOLOGY_GRAPH, load_dataset
from kfor_graph.namespaces import INFERRED_GRAPH
from kfor_graph.store import StoreError, load_store, run_query

# The modules that read rdflib's results (conftest.rdflib_result, cached per worker) share one worker
# (pytest-xdist): each query runs once on rdflib.
pytestmark = pytest.mark.xdist_group("rdflib-results")

FIXTURE = Path(__file__).parent / "fixtures" / "store"
FIXTURE_QUERIES = sorted((FIXTURE / "queries").glob("*.rq"))
PROJECT_QUERIES = rdflib_engine.query_files(resources.CHECKOUT)  # queries/*.rq, then queries/qc/*.rq

# (dataset, query file): the project's own queries and the generic fixture queries on the project
# data, the fixture queries on the fixture data.
CASES = [("project", q) for q in PROJECT_QUERIES + FIXTURE_QUERIES] + [("fixture", q) for q in FIXTURE_QUERIES]


def case_id(case):
    """e.g. project:fixture/queries/quads.rq, a fixture query on the project data."""
    name, path = case
    source = "fixture" if FIXTURE in path.parents else "project"
    return f"{name}:{source}/{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def datasets(project_dataset):
    return {"fixture": load_dataset(root=FIXTURE), "project": project_dataset}


@pytest.fixture(scope="module")
def stores(datasets, tmp_path_factory):
    """One on-disk store per dataset, loaded once for all the query comparisons."""
    folders = {}
    for name, dataset in datasets.items():
        folders[name] = tmp_path_factory.mktemp(f"store-{name}")
        load_store(dataset, folders[name])
    return folders


def test_cases_exist():
    # The fixture queries keep the comparison meaningful while queries/ is empty or missing.
    assert len(FIXTURE_QUERIES) >= 4
    assert all(q.is_file() for _, q in CASES)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_same_results_as_rdflib(case, datasets, stores, rdflib_result):
    name, path = case
    text = path.read_text(encoding="utf-8")
    expected = rdflib_result(path) if name == "project" else rdflib_engine.run_query(text, datasets[name])
    actual = run_query(text, directory=stores[name])
    assert_same(actual, expected)


def test_quads_query_is_not_trivial(datasets, stores):
    # Guard for the comparison above: the store really holds the data, typed terms included.
    result = run_query((FIXTURE / "queries" / "quads.rq").read_text(), directory=stores["fixture"])
    objects = {row["o"] for row in result.rows}
    assert Literal("Pristina", lang="en-GB") in objects
    assert Literal("1999-06-12", datatype=XSD.date) in objects
    assert Literal('Two lines,\n"quoted" 🪖') in objects
    assert URIRef("https://w3id.org/kfor/id/place/pri%C5%A1tina") in {row["s"] for row in result.rows}
    assert any(isinstance(row["s"], BNode) for row in result.rows)
    assert len(result.rows) == sum(len(datasets["fixture"].graph(g)) for g in (ONTOLOGY_GRAPH, DATA_GRAPH))


def test_in_memory_store_from_dataset(datasets):
    text = (FIXTURE / "queries" / "labels.rq").read_text()
    expected = rdflib_engine.run_query(text, datasets["fixture"])
    assert_same(run_query(text, dataset=datasets["fixture"]), expected)


@pytest.mark.parametrize("name", ["fixture", "project"])
def test_load_twice_same_counts(name, datasets, tmp_path):
    dataset = datasets[name]
    expected = {str(g): len(dataset.graph(g)) for g in (ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH)}
    assert load_store(dataset, tmp_path) == expected
    assert load_store(dataset, tmp_path) == expected
    store = ox.Store.read_only(str(tmp_path))
    assert len(list(store)) == sum(expected.values())  # nothing outside the three graphs, no duplicates
    del store


def test_reload_replaces_graph(datasets, tmp_path):
    dataset = datasets["fixture"]
    load_store(dataset, tmp_path)
    smaller = load_dataset(root=FIXTURE)
    data = smaller.graph(DATA_GRAPH)
    removed = next(t for t in data if isinstance(t[2], Literal))
    data.remove(removed)
    counts = load_store(smaller, tmp_path)
    assert counts[str(DATA_GRAPH)] == len(dataset.graph(DATA_GRAPH)) - 1
    select = "SELECT * WHERE { " + " ".join(t.n3() for t in removed) + " }"
    assert run_query(select, directory=tmp_path).rows == []


def test_query_errors(stores, tmp_path):
    with pytest.raises(QueryError, match="only SELECT"):
        run_query("ASK { ?s ?p ?o }", directory=stores["fixture"])
    with pytest.raises(QueryError, match="^bad query: "):
        run_query("SELECT WHERE", directory=stores["fixture"])
    with pytest.raises(StoreError, match="no Oxigraph store here"):
        run_query("SELECT * WHERE { ?s ?p ?o }", directory=tmp_path / "missing")
    with pytest.raises(InputError):
        run_query("SELECT * WHERE { ?s ?p ?o }")


def test_store_in_use_is_one_clear_error(datasets, tmp_path):
    holder = ox.Store(str(tmp_path))  # holds the lock, as a running `oxigraph serve` would
    try:
        with pytest.raises(KforGraphError, match="cannot open the store"):
            load_store(datasets["fixture"], tmp_path)
    finally:
        del holder
