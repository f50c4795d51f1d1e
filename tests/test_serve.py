"""`kfor-graph serve` as a real process (one for the module, on a free loopback port): content
negotiation on IRI paths, 404s and traversal attempts, and the SPARQL endpoint through SPARQLWrapper
and httpx (every competency query's expected rows, refusals, timeout, syntax error, formats, CORS)."""

import csv
import http.client
import io
import json
import re
import time

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, SELECT, SPARQLWrapper
from test_apache import BROWSER_ACCEPT

from conftest import REPO, start_server, stop

# The modules that read the static site share one worker, so the site is written once (pytest-xdist).
pytestmark = pytest.mark.xdist_group("site")

BASE = "https://w3id.org/kfor/"
QUERIES = sorted((REPO / "queries").glob("*.rq"))
TIMEOUT = 1  # seconds: the server's query timeout in these tests
ROW_LIMIT = 1000
RDF_TYPES = [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
]


@pytest.fixture(scope="module")
def server():
    process, url = start_server("--timeout", str(TIMEOUT), "--max-rows", str(ROW_LIMIT))
    with httpx.Client(base_url=url, timeout=30) as client:
        yield client
    stop(process)


# --- pages and RDF by content negotiation ----------------------------------------------------


@pytest.mark.parametrize(
    "path, triple",
    [
        ("id/person/fabio-mini", (BASE + "id/person/fabio-mini", "http://xmlns.com/foaf/0.1/name", None)),
        (
            "id/term/comkfor-07",
            (BASE + "id/term/comkfor-07", "http://www.w3.org/ns/org#member", BASE + "id/person/fabio-mini"),
        ),
        (
            "ontology/TermOfOffice",
            (
                BASE + "ontology/TermOfOffice",
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                "http://www.w3.org/2002/07/owl#Class",
            ),
        ),
        ("graph/data", (BASE + "dataset", "http://rdfs.org/ns/void#subset", BASE + "graph/data")),
        ("graph/ontology", (BASE + "dataset", "http://rdfs.org/ns/void#subset", BASE + "graph/ontology")),
    ],
)
def test_an_iri_path_answers_in_the_format_asked_for(server, path, triple):
    for media_type, fmt in RDF_TYPES:
        response = server.get("/" + path, headers={"Accept": media_type})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
        assert "Accept" in response.headers["vary"]
        graph = Graph().parse(data=response.text, format=fmt)
        s, p, o = (URIRef(t) if t else None for t in triple)
        assert list(graph.triples((s, p, o))), (media_type, triple)
        assert (
            response.content == server.get(f"/{path}.{response.headers['content-location'].rsplit('.', 1)[1]}").content
        )
    page = server.get("/" + path, headers={"Accept": BROWSER_ACCEPT})
    assert page.headers["content-type"] == "text/html; charset=utf-8" and "Accept" in page.headers["vary"]
    assert '<script type="application/ld+json">' in page.text


def test_the_pages_are_the_static_sites(server, site_dir):
    for path in ("id/term/comkfor-07.html", "index.html", "class/kfor-TermOfOffice.html", "id/person/fabio-mini.ttl"):
        served = server.get("/" + path).text
        static = (site_dir / path).read_text(encoding="utf-8")
        # the server's pages also link to its SPARQL endpoint
        served = re.sub(
            r'\n *<a href="(\.\./)*sparql">SPARQL</a>|\n *<li><a href="sparql">The SPARQL endpoint</a></li>', "", served
        )
        assert served == static, path


def test_unknown_paths_are_404_with_a_page_for_browsers(server):
    page = server.get("/id/person/nobody", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text
    plain = server.get("/id/person/nobody", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.text == "not found: /id/person/nobody\n"
    for path in ("/id/", "/id/person/", "/nothing.ttl", "/id/person/fabio-mini.exe", "/class/nothing.html"):
        assert server.get(path).status_code == 404, path


@pytest.mark.parametrize(
    "raw",
    [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/id/..%2f..%2f..%2fetc%2fpasswd",
        "/id/person/../../../pyproject.toml",
        "/..%5c..%5cetc%5cpasswd",
        "/ontology/./../../README.md",
    ],
)
def test_no_path_leads_outside_the_site(server, raw):
    connection = http.client.HTTPConnection(server.base_url.host, server.base_url.port, timeout=10)
    connection.request("GET", raw)  # sent as written: no client normalises it
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    assert response.status in (400, 404)
    assert "root:" not in body and "[project]" not in body and "# KFOR Graph" not in body


# --- the SPARQL endpoint ---------------------------------------------------------------------


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_sparqlwrapper_gets_each_competency_querys_expected_rows(server, path):
    client = SPARQLWrapper(f"{str(server.base_url).rstrip('/')}/sparql")
    client.setQuery(path.read_text(encoding="utf-8"))
    # SPARQLWrapper guesses the query's type from its text, and takes "created" in a comment for a
    # CREATE update (then sends it as `update=`): every competency query is a SELECT.
    client.queryType = SELECT
    client.setReturnFormat(JSON)
    result = client.query().convert()
    names = result["head"]["vars"]
    rows = [[binding.get(name, {}).get("value", "") for name in names] for binding in result["results"]["bindings"]]
    expected = list(csv.reader(io.StringIO(path.with_name(f"{path.stem}.expected.csv").read_text(encoding="utf-8"))))
    assert [names, *rows] == expected


def test_results_in_every_format(server):
    query = "SELECT ?name WHERE { <https://w3id.org/kfor/id/person/fabio-mini> <http://xmlns.com/foaf/0.1/name> ?name }"
    client = SPARQLWrapper(f"{str(server.base_url).rstrip('/')}/sparql")
    client.setQuery(query)
    client.setReturnFormat(CSV)
    assert client.query().convert().decode() == "name\r\nFabio Mini\r\n"
    for accept, text in [
        ("application/sparql-results+xml", "<literal>Fabio Mini</literal>"),
        ("text/tab-separated-values", '?name\n"Fabio Mini"'),
        ("application/sparql-results+json", '"value":"Fabio Mini"'),
    ]:
        response = server.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
        assert text in response.text
    posted = server.post(
        "/sparql", content=query, headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    )
    assert posted.text == "name\r\nFabio Mini\r\n"
    form = server.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert form.text == "name\r\nFabio Mini\r\n"
    ask = server.get(
        "/sparql",
        params={"query": "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert json.loads(ask.text)["boolean"] is True


def test_construct_as_turtle_and_jsonld(server):
    query = (
        "CONSTRUCT { ?term <http://www.w3.org/ns/org#member> ?person } WHERE { ?term "
        "<http://www.w3.org/ns/org#member> ?person ; a <https://w3id.org/kfor/ontology/TermOfOffice> }"
    )
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]:
        response = server.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.headers["content-type"].startswith(accept)
        assert len(Graph().parse(data=response.text, format=fmt)) == 30


def triples_in(site_dir, graph=None) -> int:
    """Distinct triples of the dumps (one graph of kfor.nq, or all), read by Oxigraph's parser."""
    quads = ox.parse(path=str(site_dir / "dist/kfor.nq"), format=ox.RdfFormat.N_QUADS)
    return len({q.triple for q in quads if graph is None or q.graph_name.value == graph})


def test_an_update_is_refused_and_changes_nothing(server, site_dir):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = server.get("/sparql", params={"query": count}, headers={"Accept": "text/csv"}).text
    update = "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }"
    for response in (
        server.post("/sparql", data={"update": update}),
        server.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
        server.post("/sparql", data={"query": update}),
        server.get("/sparql", params={"query": update}, headers={"Accept": "text/csv"}),
    ):
        assert response.status_code == 403
        assert response.text.startswith("updates are refused")
    after = server.get("/sparql", params={"query": count}, headers={"Accept": "text/csv"}).text
    assert after == before == f"n\r\n{triples_in(site_dir)}\r\n"


def test_service_and_outside_graphs_are_refused(server, site_dir):
    service = server.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert service.status_code == 403 and service.text.startswith("SERVICE is refused")
    outside = server.get("/sparql", params={"query": "SELECT * FROM <https://example.org/g> { ?s ?p ?o }"})
    assert outside.status_code == 403 and outside.text.startswith("FROM <https://example.org/g> is refused")
    inside = server.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/kfor/graph/ontology> { ?s ?p ?o }"},
        headers={"Accept": "text/csv"},
    )
    assert inside.status_code == 200 and inside.text == f"n\r\n{triples_in(site_dir, BASE + 'graph/ontology')}\r\n"


def test_a_long_query_times_out_with_an_error_naming_the_timeout(server):
    started = time.monotonic()
    # a count over all triples of three triples each: hours of work, stopped (its process killed)
    query = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = server.get("/sparql", params={"query": query})
    assert time.monotonic() - started < TIMEOUT + 3
    assert response.status_code == 503
    assert response.text == f"the query ran past the time limit of {TIMEOUT} s (--timeout) and was stopped\n"


def test_too_many_rows_is_an_error_naming_the_limit(server):
    response = server.get("/sparql", params={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f }"})
    assert response.status_code == 413
    assert (
        response.text
        == f"the query returns more than {ROW_LIMIT:,} rows (the row limit, --max-rows): add a LIMIT to the query\n"
    )


def test_a_syntax_error_is_400_with_the_parsers_message(server):
    response = server.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert response.text.startswith("bad query: line 1, column ")


def test_cors(server):
    response = server.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = server.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


def test_the_query_page(server):
    page = server.get("/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and '<textarea name="query"' in page.text
    assert page.text.count('href="sparql?example=') == len(QUERIES)
    example = server.get("/sparql", params={"example": "commander-on-date"}, headers={"Accept": BROWSER_ACCEPT})
    assert "VALUES ?date" in example.text
    result = server.get(
        "/sparql",
        params={"query": (REPO / "queries/commander-on-date.rq").read_text()},
        headers={"Accept": BROWSER_ACCEPT},
    )
    assert '<table class="results">' in result.text and ">Yves de Kermabon<" in result.text
    error = server.get("/sparql", params={"query": "SELECT"}, headers={"Accept": BROWSER_ACCEPT})
    assert error.status_code == 400 and 'class="error"' in error.text


def test_bad_serve_options_are_one_line_errors(server, cli):
    port = server.base_url.port  # taken by the running server
    assert cli("serve", "--port", port) == (
        2,
        "",
        f"kfor-graph: error: cannot listen on 127.0.0.1:{port}: [Errno 98] Address already in use\n",
    )
    assert (
        cli("serve", "--timeout", "0")[2]
        == "kfor-graph serve: error: argument --timeout: not a positive number: '0' (see --help)\n"
    )
