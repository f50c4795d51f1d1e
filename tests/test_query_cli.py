"""`kfor-graph query` and `list-queries`: finding queries, parameters, result formats, engines, and
the expected results kept beside each query."""

import json
import re

import pytest
from rdflib import XSD, Literal, URIRef

from conftest import PROJECT
from kfor_graph.query import apply_params, query_files, read_header, typed_term

QUERIES = PROJECT / "queries"


def test_table(cli):
    code, out, err = cli("--root", PROJECT, "query", "people")
    assert (code, err) == (0, "")
    assert out == (
        "person                  name                 end\n"
        "----------------------  -------------------  ----------\n"
        "person:klaus-reinhardt  Klaus Reinhardt\n"
        "person:michael-jackson  Mike Jackson         1999-10-08\n"
        "person:michael-jackson  Sir Michael Jackson  1999-10-08\n"
        "person:ozkan-ulutas     Özkan Ulutaş\n"
        "(4 rows)\n"
    )


def test_csv_is_lexical_values_with_empty_for_unbound(cli):
    assert cli("--root", PROJECT, "query", "people", "--format", "csv")[1] == (
        "person,name,end\n"
        "https://w3id.org/kfor/id/person/klaus-reinhardt,Klaus Reinhardt,\n"
        "https://w3id.org/kfor/id/person/michael-jackson,Mike Jackson,1999-10-08\n"
        "https://w3id.org/kfor/id/person/michael-jackson,Sir Michael Jackson,1999-10-08\n"
        "https://w3id.org/kfor/id/person/ozkan-ulutas,Özkan Ulutaş,\n"
    )


def test_tsv_is_sparql_tsv(cli):
    _, out, _ = cli("--root", PROJECT, "query", "people", "--format", "tsv")
    lines = out.split("\n")
    assert lines[0] == "?person\t?name\t?end"
    assert lines[1] == '<https://w3id.org/kfor/id/person/klaus-reinhardt>\t"Klaus Reinhardt"\t'
    assert lines[2] == (
        '<https://w3id.org/kfor/id/person/michael-jackson>\t"Mike Jackson"@en\t'
        '"1999-10-08"^^<http://www.w3.org/2001/XMLSchema#date>'
    )


def test_json_is_sparql_results_json(cli):
    _, out, _ = cli("--root", PROJECT, "query", "people", "--format", "json")
    document = json.loads(out)
    assert document["head"] == {"vars": ["person", "name", "end"]}
    first, second = document["results"]["bindings"][:2]
    assert first == {
        "person": {"type": "uri", "value": "https://w3id.org/kfor/id/person/klaus-reinhardt"},
        "name": {"type": "literal", "value": "Klaus Reinhardt"},
    }
    assert second["name"] == {"type": "literal", "value": "Mike Jackson", "xml:lang": "en"}
    assert second["end"] == {"type": "literal", "value": "1999-10-08", "datatype": str(XSD.date)}


# --- parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, term",
    [
        ("2005-01-01", Literal("2005-01-01", datatype=XSD.date)),
        ("7", Literal("7", datatype=XSD.integer)),
        ("<https://w3id.org/kfor/id/person/x>", URIRef("https://w3id.org/kfor/id/person/x")),
        ("https://w3id.org/kfor/id/person/x", URIRef("https://w3id.org/kfor/id/person/x")),
        ("Fabio Mini", Literal("Fabio Mini")),
        ('say "hi"', Literal('say "hi"')),
    ],
)
def test_param_values_are_typed(value, term):
    assert typed_term(value) == term


def test_param_replaces_only_the_default():
    text = 'SELECT * WHERE {\n  VALUES ?date { "1999-12-25"^^xsd:date }\n  VALUES ?other { 1 }\n}'
    replaced = apply_params(text, {"date": "2005-01-01"})
    assert replaced == (
        'SELECT * WHERE {\n  VALUES ?date { "2005-01-01"^^<http://www.w3.org/2001/XMLSchema#date> }\n'
        "  VALUES ?other { 1 }\n}"
    )


def test_param_changes_the_answer(cli):
    default = cli("--root", PROJECT, "query", "commander-on-date", "--format", "csv")[1]
    earlier = cli("--root", PROJECT, "query", "commander-on-date", "--format", "csv", "--param", "date=1999-07-01")[1]
    assert default.splitlines()[1].startswith("2,")
    assert earlier.splitlines()[1] == "1,https://w3id.org/kfor/id/person/michael-jackson,1999-06-09"


def test_unknown_param_exits_2(cli):
    assert cli("--root", PROJECT, "query", "commander-on-date", "--param", "when=2000-01-01") == (
        2,
        "",
        "kfor-graph: error: unknown parameter 'when' (this query's parameters: date)\n",
    )
    assert cli("--root", PROJECT, "query", "people", "--param", "date") == (
        2,
        "",
        "kfor-graph: error: bad --param 'date': expected NAME=VALUE\n",
    )


# --- finding queries -------------------------------------------------------------------------


def test_unknown_query_exits_2(cli):
    assert cli("--root", PROJECT, "query", "nope") == (
        2,
        "",
        "kfor-graph: error: unknown query 'nope' (see `kfor-graph list-queries`)\n",
    )
    assert cli("--root", PROJECT, "query", "missing.rq") == (
        2,
        "",
        "kfor-graph: error: missing.rq: no such query file\n",
    )


def test_query_by_path_and_quality_checks_by_name(cli, tmp_path):
    assert cli("--root", PROJECT, "query", QUERIES / "people.rq", "--format", "csv")[0] == 0
    code, out, _ = cli("--root", PROJECT, "query", "missing-source-violation", "--format", "csv")
    assert (code, out) == (0, "term\n")


def test_bad_query_exits_2_on_one_line(cli, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?y }")
    code, out, err = cli("--root", PROJECT, "query", bad)
    assert (code, out) == (2, "") and err.startswith("kfor-graph: error: bad query: ") and err.count("\n") == 1
    ask = tmp_path / "ask.rq"
    ask.write_text("ASK { ?s ?p ?o }")
    assert cli("--root", PROJECT, "query", ask) == (
        2,
        "",
        "kfor-graph: error: only SELECT queries are supported, not ASK\n",
    )


def test_list_queries(cli):
    expected = (
        "commander-on-date         Who commanded KFOR on a given date?\n"
        "people                    Every person, with the end of their term where known.\n"
        "missing-source-violation  Terms without a source.\n"
    )
    assert cli("--root", PROJECT, "list-queries") == (0, expected, "")
    assert cli("--root", PROJECT, "query", "--list") == (0, expected, "")


def test_query_needs_a_name(cli):
    assert cli("--root", PROJECT, "query") == (
        2,
        "",
        "kfor-graph: error: query: give a query NAME or FILE (or --list)\n",
    )


# --- engines ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [p.stem for p in query_files(PROJECT)])
def test_oxigraph_engine_agrees_with_rdflib(cli, name):
    rdflib_out = cli("--root", PROJECT, "query", name, "--format", "csv")
    oxigraph_out = cli("--root", PROJECT, "query", name, "--format", "csv", "--engine", "oxigraph")
    assert rdflib_out == oxigraph_out and rdflib_out[0] == 0


# --- expected results ------------------------------------------------------------------------


def expected_results(root):
    """Every query with a <name>.expected.csv beside it, found by glob. (The project's own are checked
    by test_queries.py.)"""
    return [p for p in query_files(root) if p.with_suffix(".expected.csv").is_file()]


@pytest.mark.parametrize("path", expected_results(PROJECT), ids=lambda p: p.stem)
def test_fixture_queries_print_their_expected_csv(cli, path):
    assert cli("--root", PROJECT, "query", path.stem, "--format", "csv") == (
        0,
        path.with_suffix(".expected.csv").read_text(encoding="utf-8"),
        "",
    )


@pytest.mark.parametrize("path", query_files(), ids=lambda p: p.stem)
def test_every_project_query_has_a_header_and_an_order(path):
    """CONTRIBUTING.md: a `#+ summary:` and `#+ tags:` header, and ORDER BY so the output is stable.
    (Running them is test_engines.py's and the expected results' job.)"""
    text = path.read_text(encoding="utf-8")
    header = read_header(text)
    assert text.startswith("#+ summary: ") and header.get("summary") and "tags" in header
    assert re.search(r"\bORDER\s+BY\b", text, re.IGNORECASE)
