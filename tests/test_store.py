"""push_gsp and SPARQL queries against a real Oxigraph server, plus the HTTP failure cases and the
handling of credentials (against a tiny recording server). Only 127.0.0.1; every wait is bounded."""

import base64
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from rdflib import XSD, Literal, URIRef

from helpers import assert_same, free_port, remote_select
from kfor_graph import query as rdflib_engine
from kfor_graph import resources, store
from kfor_graph.errors import InputError, KforGraphError
from kfor_graph.load import DATA_GRAPH, ONTOLOGY_GRAPH, load_dataset
from kfor_graph.namespaces import INFERRED_GRAPH
from kfor_graph.store import EndpointError, push_gsp

# The modules that read rdflib's results (conftest.rdflib_result, cached per worker) share one worker
# (pytest-xdist): each query runs once on rdflib.
pytestmark = pytest.mark.xdist_group("rdflib-results")

FIXTURE = Path(__file__).parent / "fixtures" / "store"
QUERIES = rdflib_engine.query_files(resources.CHECKOUT) + sorted((FIXTURE / "queries").glob("*.rq"))
GRAPHS = [str(DATA_GRAPH), str(INFERRED_GRAPH), str(ONTOLOGY_GRAPH)]  # the order push_gsp uses (sorted)


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture(scope="module", autouse=True)
def no_proxy():
    # A proxy from the environment must not intercept requests to 127.0.0.1.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NO_PROXY", "127.0.0.1")
        patch.setenv("no_proxy", "127.0.0.1")
        patch.delenv(store.USER_ENV, raising=False)
        patch.delenv(store.PASSWORD_ENV, raising=False)
        yield


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`oxigraph serve` on a free port; yields its base URL; always stopped."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.fail("no `oxigraph` binary: it is a test dependency (pip install -e '.[test]')")
    port = free_port()
    folder = tmp_path_factory.mktemp("oxigraph")
    log = open(folder / "server.log", "wb")
    command = [
        binary,
        "serve",
        "--location",
        str(folder / "db"),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]  # queries see the named graphs, as with rdflib
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph exited with {process.returncode}: {(folder / 'server.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph did not start within 15 s")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


@pytest.fixture(scope="module")
def dataset(project_dataset):
    return project_dataset


@pytest.fixture(scope="module")
def loaded(server, dataset):
    """The server after one push of the whole dataset, and what push_gsp returned."""
    return push_gsp(dataset, f"{server}/store", timeout=10, retries=0)


def local_counts(dataset):
    return {g: len(dataset.graph(URIRef(g))) for g in GRAPHS}


def remote_total(server) -> int:
    result = remote_select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", f"{server}/query")
    return int(result.rows[0]["n"])


# --- against the Oxigraph server -------------------------------------------------------------


def test_push_counts_match(loaded, dataset):
    assert loaded == {g: (n, n) for g, n in local_counts(dataset).items()}


@pytest.mark.parametrize(
    "path", QUERIES, ids=lambda p: f"{'fixture' if FIXTURE in p.parents else 'project'}:{p.parent.name}/{p.name}"
)
def test_server_answers_like_rdflib(path, loaded, server, rdflib_result):
    text = path.read_text(encoding="utf-8")
    assert_same(remote_select(text, f"{server}/query"), rdflib_result(path))


def test_push_twice_no_duplicates(loaded, server, dataset):
    again = push_gsp(dataset, f"{server}/store", timeout=10, retries=0)
    assert again == loaded
    assert remote_total(server) == sum(local_counts(dataset).values())


def test_push_replaces_and_selects_graphs(loaded, server, dataset):
    smaller = load_dataset()
    data = smaller.graph(DATA_GRAPH)
    data.remove(next(t for t in data if isinstance(t[2], Literal)))
    try:
        counts = push_gsp(smaller, f"{server}/store", graphs=[str(DATA_GRAPH)], timeout=10, retries=0)
        assert counts == {str(DATA_GRAPH): (len(data), len(data))}
        assert remote_total(server) == sum(local_counts(dataset).values()) - 1
    finally:
        push_gsp(dataset, f"{server}/store", timeout=10, retries=0)


def test_http_error_names_graph_and_status(server, dataset):
    with pytest.raises(EndpointError) as error:
        push_gsp(dataset, f"{server}/nope", query_endpoint=f"{server}/query", timeout=10, retries=3)
    message = str(error.value)
    assert message.startswith(f"PUT graph <{DATA_GRAPH}> to {server}/nope: HTTP 404 Not Found")
    assert "\n" not in message


def test_term_oxigraph_refuses_is_caught_before_any_put(loaded, server, dataset):
    bad = load_dataset(root=FIXTURE)
    # rdflib writes a relative IRI as it is; N-Triples allows only absolute ones. Checked before the first
    # PUT, so the server still holds what it held.
    bad.graph(DATA_GRAPH).add((URIRef("place/pristina"), URIRef("http://p"), Literal("x")))
    before = remote_total(server)
    with pytest.raises(InputError) as error:
        push_gsp(bad, f"{server}/store", timeout=10, retries=0)
    assert str(error.value) == (
        f'Oxigraph refuses the triple <place/pristina> <http://p> "x" in graph <{DATA_GRAPH}>: '
        "No scheme found in an absolute IRI"
    )
    assert remote_total(server) == before == sum(local_counts(dataset).values())


# --- failures without a server -----------------------------------------------------------------


def test_connection_refused_is_one_line_bounded_and_fast(dataset, monkeypatch):
    port = free_port()  # nothing listens there any more
    sleeps = []
    monkeypatch.setattr(store.time, "sleep", sleeps.append)
    started = time.monotonic()
    with pytest.raises(EndpointError) as error:
        push_gsp(dataset, f"http://127.0.0.1:{port}/store", timeout=2, retries=2)
    assert str(error.value) == (
        f"cannot reach http://127.0.0.1:{port}/store: Connection refused (3 attempts); "
        f"replaced: none; not replaced: <{DATA_GRAPH}>, <{INFERRED_GRAPH}>, <{ONTOLOGY_GRAPH}>"
    )
    assert sleeps == [store.BACKOFF, store.BACKOFF * 2]
    assert time.monotonic() - started < 5


def test_bad_arguments(dataset):
    with pytest.raises(InputError, match="no graph <https://example.org/g>"):
        push_gsp(dataset, "http://127.0.0.1:9/store", graphs=["https://example.org/g"])
    with pytest.raises(InputError, match="query endpoint"):
        push_gsp(dataset, "http://127.0.0.1:9/somewhere")
    with pytest.raises(InputError, match="not an http"):
        push_gsp(dataset, "ftp://127.0.0.1/store")
    bad = load_dataset(root=FIXTURE)
    bad.graph(DATA_GRAPH).add((URIRef("https://w3id.org/kfor/id/place/a b"), URIRef("http://p"), Literal("x")))
    with pytest.raises(InputError, match=rf"^graph <{DATA_GRAPH}>: cannot be written as nt: "):
        push_gsp(bad, "http://127.0.0.1:9/store")


# --- credentials, against a recording server -------------------------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    """A minimal Graph Store: PUT keeps the N-Triples, POST /query counts their lines; /moved
    redirects. Records every Authorization header."""

    graphs: dict
    seen: list

    def do_PUT(self):
        self.seen.append(self.headers.get("Authorization"))
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path.startswith("/moved"):
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()
            return
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        self.graphs[graph] = sum(1 for line in body.splitlines() if line.strip())
        self.send_response(204)
        self.end_headers()

    def do_POST(self):
        self.seen.append(self.headers.get("Authorization"))
        query = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())["query"][0]
        graph = query.split("GRAPH <", 1)[1].split(">", 1)[0]
        n = {"type": "literal", "value": str(self.graphs.get(graph, 0)), "datatype": str(XSD.integer)}
        body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": n}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", store.SPARQL_JSON)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def recorder():
    handler = type("Handler", (Recorder,), {"graphs": {}, "seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


SECRET = "s3cret-Pa55word"


def test_credentials_sent_never_shown(recorder, dataset, monkeypatch, capsys, caplog):
    url, seen = recorder
    monkeypatch.setenv(store.USER_ENV, "loader")
    monkeypatch.setenv(store.PASSWORD_ENV, SECRET)
    counts = push_gsp(dataset, f"{url}/store", timeout=5, retries=0)
    assert counts == {g: (n, n) for g, n in local_counts(dataset).items()}
    expected = "Basic " + base64.b64encode(f"loader:{SECRET}".encode()).decode()
    assert seen == [expected] * 6  # PUT and count query, for each of the three graphs

    with pytest.raises(EndpointError) as error:  # a redirect is reported, not followed with the credentials
        push_gsp(dataset, f"{url}/moved/store", timeout=5, retries=0)
    assert "HTTP 307" in str(error.value)
    assert len(seen) == 7

    with pytest.raises(InputError) as in_url:  # credentials in the URL are refused without echoing them
        push_gsp(dataset, f"http://loader:{SECRET}@127.0.0.1:9/store")

    out, err = capsys.readouterr()
    for text in (out, err, caplog.text, str(error.value), str(in_url.value), repr(counts)):
        assert SECRET not in text
        assert expected.split()[1] not in text


def test_no_credentials_without_env(recorder, dataset):
    url, seen = recorder
    push_gsp(dataset, f"{url}/store", timeout=5, retries=0)
    assert seen == [None] * 6


def test_timeout_is_one_clear_error():
    # A server that accepts the connection but never answers: the read times out, and is not retried.
    small = load_dataset(root=FIXTURE)  # small enough for the socket buffers: the request goes out whole
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(KforGraphError) as error:
            push_gsp(small, f"http://127.0.0.1:{port}/store", timeout=0.3, retries=3)
        assert str(error.value) == (
            f"PUT graph <{DATA_GRAPH}> to http://127.0.0.1:{port}/store: no answer within 0.3 s; replaced: none; "
            f"unknown: <{DATA_GRAPH}> (its PUT got no complete answer); not replaced: <{INFERRED_GRAPH}>, <{ONTOLOGY_GRAPH}>"
        )
        assert time.monotonic() - started < 3
