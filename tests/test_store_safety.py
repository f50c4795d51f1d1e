"""`load` is safe by default: a failed or killed `load --store` leaves the store as it was, empty input
is refused, and `load --endpoint` checks everything before its first PUT, says which graphs a failure
left replaced, keeps an overall deadline per request and warns before sending a password over plain
http. Real processes (kill -9 included) and real HTTP listeners on 127.0.0.1 only; every wait is bounded."""

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from conftest import PROJECT, from_oxigraph, same_graph
from kfor_graph import store
from kfor_graph.errors import InputError
from kfor_graph.load import load_dataset
from kfor_graph.namespaces import DATA_GRAPH, INFERRED_GRAPH, NAMED_GRAPHS, ONTOLOGY_GRAPH
from kfor_graph.store import EndpointError, load_store, push_gsp

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DATA, INFERRED, ONTOLOGY = f"<{DATA_GRAPH}>", f"<{INFERRED_GRAPH}>", f"<{ONTOLOGY_GRAPH}>"  # the order of the pushes
STORE_FIXTURE = Path(__file__).parent / "fixtures" / "store"  # odd terms on purpose


@pytest.fixture(autouse=True)
def no_proxy_no_credentials(monkeypatch):
    # A proxy from the environment must not intercept requests to 127.0.0.1.
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    for name in (store.USER_ENV, store.PASSWORD_ENV, "http_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)


def quads(directory) -> set:
    held = ox.Store.read_only(str(directory))
    try:
        return set(held)
    finally:
        del held


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def loaded_store(cli, tmp_path):
    """A store holding the fixture project, and its quads."""
    directory = tmp_path / "store"
    assert cli("--root", PROJECT, "load", "--store", directory)[0] == 0
    before = quads(directory)
    assert len(before) == 67
    return directory, before


# --- load --store: all or nothing --------------------------------------------------------------


def test_term_oxigraph_refuses_leaves_the_store_as_it_was(cli, tmp_path, loaded_store):
    directory, before = loaded_store
    # rdflib takes this language tag; Oxigraph's parser refuses subtags over 8 characters. The old
    # load cleared the graphs first and left the store empty. From a file, the load names the file;
    # a dataset built in code is checked by load_store itself, before the store is opened.
    bad = write(tmp_path / "tag.ttl", f'<https://w3id.org/kfor/id/x> <{LABEL}> "x"@en-123456789 .\n')
    code, out, err = cli("--root", PROJECT, "load", bad, "--store", directory)
    assert (code, out) == (2, "")
    assert err == f"kfor-graph: error: {bad}:1: bad syntax: A subtag may be eight characters in length at maximum\n"
    dataset = load_dataset(root=PROJECT)
    dataset.graph(DATA_GRAPH).add(
        (URIRef("https://w3id.org/kfor/id/x"), URIRef(LABEL), Literal("x", lang="en-123456789"))
    )
    with pytest.raises(InputError) as error:
        load_store(dataset, directory)
    assert str(error.value) == (
        f"Oxigraph refuses the triple <https://w3id.org/kfor/id/x> <{LABEL}> "
        f'"x"@en-123456789 in graph {DATA}: A subtag may be eight characters in length at maximum'
    )
    assert quads(directory) == before


def test_literal_over_oxigraph_buffer_leaves_the_store_as_it_was(loaded_store):
    directory, before = loaded_store
    dataset = load_dataset(root=PROJECT)
    dataset.graph(DATA_GRAPH).add((URIRef("https://w3id.org/kfor/id/big"), URIRef(LABEL), Literal("a" * 2**24)))
    with pytest.raises(InputError) as error:
        load_store(dataset, directory)
    assert str(error.value) == (
        f'Oxigraph refuses the triple <https://w3id.org/kfor/id/big> <{LABEL}> "{"a" * 40}... in graph {DATA}: '
        "a term is longer than its 16 MiB limit (Reached the buffer maximal size of 16777216)"
    )
    assert quads(directory) == before


def test_empty_input_is_refused_unless_allowed(cli, tmp_path, loaded_store):
    directory, before = loaded_store
    empty = write(tmp_path / "empty.ttl", "# no triples\n")
    code, out, err = cli("--root", PROJECT, "load", empty, "--store", directory)
    assert (code, out, err) == (2, "", f"kfor-graph: error: no data: {empty} hold(s) no triple\n")
    dataset = load_dataset([empty], root=PROJECT, allow_empty=True)  # load_store checks on its own too
    with pytest.raises(InputError) as error:
        load_store(dataset, directory)
    assert str(error.value) == (
        f"graph {DATA} has no triples: loading it would empty the target's copy (give --allow-empty to load it anyway)"
    )
    assert quads(directory) == before

    code, out, err = cli("--root", PROJECT, "load", empty, "--store", directory, "--allow-empty")
    assert (code, out, err) == (0, f"{DATA_GRAPH}: 0\n{INFERRED_GRAPH}: 0\n{ONTOLOGY_GRAPH}: 30\n", "")
    assert quads(directory) == {q for q in before if q.graph_name.value == str(ONTOLOGY_GRAPH)}


def test_reload_holds_exactly_the_new_graphs(tmp_path):
    directory = tmp_path / "store"
    load_store(load_dataset(root=PROJECT), directory)
    changed = load_dataset(root=PROJECT)  # one triple less, three more, one of them a blank node's
    data = changed.graph(DATA_GRAPH)
    data.remove(next(t for t in sorted(data) if isinstance(t[2], Literal)))
    blank = BNode()
    data.add((URIRef("https://w3id.org/kfor/id/new"), URIRef(LABEL), Literal("new", lang="en")))
    data.add((URIRef("https://w3id.org/kfor/id/new"), URIRef("https://example.org/p"), blank))
    data.add((blank, URIRef(LABEL), Literal("a blank node")))
    other = write(tmp_path / "other.ttl", f'<https://w3id.org/kfor/id/other> <{LABEL}> "other" .\n')
    # The difference, then only the blank nodes' identities, then a data graph that is all new, then
    # two graphs that are all new, with hard literals and IRIs (newlines, quotes, emoji, %-escapes),
    # which travel as SPARQL update text.
    for step, new in enumerate(
        (changed, changed, load_dataset([other], root=PROJECT), load_dataset(root=STORE_FIXTURE))
    ):
        expected = {str(g): len(new.graph(g)) for g in NAMED_GRAPHS}
        assert load_store(new, directory) == expected
        # The oracle: the same dataset loaded into an empty store, which takes one insert, no update
        # (Oxigraph normalises some literals, e.g. xsd:nonNegativeInteger to xsd:integer, both ways alike).
        fresh = tmp_path / f"fresh-{step}"
        load_store(new, fresh)
        held, wanted = quads(directory), quads(fresh)
        assert len(held) == len(wanted) == sum(expected.values())
        for graph in NAMED_GRAPHS:
            assert same_graph(_triples(held, graph), _triples(wanted, graph))


def test_reload_keeps_the_stores_other_graphs_and_refuses_a_folder_that_is_not_a_store(tmp_path):
    directory = tmp_path / "store"
    other = ox.Quad(
        ox.NamedNode("https://example.org/s"),
        ox.NamedNode(LABEL),
        ox.Literal("kept"),
        ox.NamedNode("https://example.org/g"),
    )
    default = ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode(LABEL), ox.Literal("in the default graph"))
    held = ox.Store(str(directory))
    held.extend([other, default])
    del held
    counts = load_store(load_dataset(root=PROJECT), directory)
    loaded = {q for q in quads(directory) if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in counts}
    assert quads(directory) == {other, default} | loaded
    assert len(quads(directory)) == 2 + sum(counts.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "store"]  # no staged folder left

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("mine")
    with pytest.raises(store.StoreError) as error:
        load_store(load_dataset(root=PROJECT), folder)
    assert str(error.value) == f"{folder}: not an Oxigraph store, and not empty: refusing to replace it"
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]


def _triples(quads, graph):
    return [
        tuple(from_oxigraph(t) for t in (q.subject, q.predicate, q.object))
        for q in quads
        if q.graph_name.value == str(graph)
    ]


def test_kill_9_mid_load_leaves_the_old_graphs_or_the_new(tmp_path):
    """A real `kfor-graph load` process, killed with SIGKILL while it writes a large load into a store
    that holds other graphs: afterwards the store holds the old graphs or the new ones, never a mix and
    never less. The old load (CLEAR, then load) left the store empty here, 3 runs out of 3."""
    directory = tmp_path / "store"
    old = write(tmp_path / "old.ttl", f'<https://w3id.org/kfor/id/old> <{LABEL}> "old" .\n')
    count, pad = 16_000, "p" * 1000  # about 1 s of parsing, then about 0.5 s of writing
    big = write(
        tmp_path / "big.ttl",
        "".join(f'<https://w3id.org/kfor/id/s{i}> <{LABEL}> "{i} {pad}" .\n' for i in range(count)),
    )
    command = [sys.executable, "-m", "kfor_graph", "--root", str(PROJECT), "load"]
    subprocess.run(command + [str(old), "--store", str(directory)], check=True, capture_output=True, timeout=60)
    before = quads(directory)

    process = subprocess.Popen(
        command + [str(big), "--store", str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        # The store is opened only once the input has been parsed and checked: kill shortly after that,
        # while the transaction is being written.
        lock = str(directory / "LOCK")
        deadline = time.monotonic() + 30
        while not _has_open(process.pid, lock):
            assert process.poll() is None, "the load ended before it opened the store"
            assert time.monotonic() < deadline, "the load did not open the store within 30 s"
            time.sleep(0.005)
        time.sleep(0.1)
        assert process.poll() is None, "the load ended before the kill: make the input larger"
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)

    after = quads(directory)
    ontology = {q for q in before if q.graph_name.value == str(ONTOLOGY_GRAPH)}
    data = {q for q in after if q.graph_name.value == str(DATA_GRAPH)}
    # The old graphs, or (if the transaction committed just before the kill) exactly the new ones.
    assert after == before or (len(data) == count and after == ontology | data)


def _has_open(pid: int, path: str) -> bool:
    try:
        return any(os.readlink(fd) == path for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # the process is starting, ending, or a descriptor closed while listed
        return False


# --- load --endpoint ------------------------------------------------------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    """A minimal Graph Store: PUT keeps the N-Triples line count (or answers 500 for graphs in
    `refuse`), POST counts them as SPARQL JSON. Records every request as (method, path, Authorization)."""

    graphs: dict
    seen: list
    refuse: set

    def do_PUT(self):
        self.seen.append(("PUT", self.path, self.headers.get("Authorization")))
        body = self.rfile.read(int(self.headers["Content-Length"]))
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        if graph in self.refuse:
            self.send_response(500)
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"disk full")
            return
        self.graphs[graph] = sum(1 for line in body.splitlines() if line.strip())
        self.send_response(204)
        self.end_headers()

    def do_POST(self):
        self.seen.append(("POST", self.path, self.headers.get("Authorization")))
        query = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())["query"][0]
        graph = query.split("GRAPH <", 1)[1].split(">", 1)[0]
        n = self.graphs.get(graph, 0)
        binding = {"n": {"type": "literal", "value": str(n), "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}
        body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [binding]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", store.SPARQL_JSON)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Trickler(http.server.BaseHTTPRequestHandler):
    """Reads the request, then answers one byte a second: each read gets a byte well within the socket
    timeout, so only an overall deadline ends the wait."""

    def do_PUT(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        for byte in b"HTTP/1.1 204 No Content\r\n\r\n":
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:  # the client gave up
                return
            time.sleep(1)

    def log_message(self, *args):
        pass


def serve(handler):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return httpd, thread


@pytest.fixture
def recorder():
    handler = type("Handler", (Recorder,), {"graphs": {}, "seen": [], "refuse": set()})
    httpd, thread = serve(handler)
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_everything_is_checked_before_the_first_put(recorder):
    url, handler = recorder
    bad = load_dataset(root=PROJECT)  # the bad term is in the graph pushed last
    bad.graph(ONTOLOGY_GRAPH).add(
        (URIRef("https://w3id.org/kfor/id/x"), URIRef(LABEL), Literal("x", lang="en-123456789"))
    )
    with pytest.raises(InputError, match=rf'^Oxigraph refuses the triple .* "x"@en-123456789 in graph {ONTOLOGY}: '):
        push_gsp(bad, f"{url}/store", timeout=5, retries=0)
    empty = load_dataset(root=PROJECT)
    empty.graph(ONTOLOGY_GRAPH).remove((None, None, None))
    with pytest.raises(InputError, match=rf"^graph {ONTOLOGY} has no triples: .*--allow-empty"):
        push_gsp(empty, f"{url}/store", timeout=5, retries=0)
    assert handler.seen == []
    counts = push_gsp(empty, f"{url}/store", timeout=5, retries=0, allow_empty=True)
    assert counts == {str(DATA_GRAPH): (37, 37), str(INFERRED_GRAPH): (0, 0), str(ONTOLOGY_GRAPH): (0, 0)}


def test_a_failed_put_names_the_graphs_replaced_and_not(cli, recorder):
    url, handler = recorder
    handler.refuse.add(str(ONTOLOGY_GRAPH))
    code, out, err = cli("--root", PROJECT, "load", "--endpoint", f"{url}/store")
    assert (code, out) == (2, "")
    assert err == (
        f"kfor-graph: error: PUT graph {ONTOLOGY} to {url}/store: HTTP 500 Internal Server Error: "
        f"disk full; replaced: {DATA}, {INFERRED}; not replaced: {ONTOLOGY}\n"
    )
    assert [method for method, _, _ in handler.seen] == ["PUT", "PUT", "PUT"]


class Hangup(http.server.BaseHTTPRequestHandler):
    """Reads the request, then closes the connection without a word: the PUT may have been applied."""

    def do_PUT(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.close_connection = True

    def log_message(self, *args):
        pass


def test_a_put_without_an_answer_is_unknown():
    httpd, thread = serve(Hangup)
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        with pytest.raises(EndpointError) as error:
            push_gsp(load_dataset(root=PROJECT), f"{url}/store", timeout=5, retries=0)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
    assert str(error.value) == (
        f"cannot reach {url}/store: Remote end closed connection without response (1 attempt); "
        f"replaced: none; unknown: {DATA} (its PUT got no complete answer); "
        f"not replaced: {INFERRED}, {ONTOLOGY}"
    )


def test_query_endpoint_option(cli, recorder):
    url, handler = recorder
    code, _, err = cli("--root", PROJECT, "load", "--endpoint", f"{url}/gsp")
    assert code == 2
    assert err == (
        f"kfor-graph: error: cannot tell the SPARQL query endpoint of {url}/gsp; give it (--query-endpoint)\n"
    )
    code, out, err = cli("--root", PROJECT, "load", "--endpoint", f"{url}/gsp", "--query-endpoint", f"{url}/sparql")
    assert (code, out, err) == (
        0,
        f"{DATA_GRAPH}: (37, 37)\n{INFERRED_GRAPH}: (0, 0)\n{ONTOLOGY_GRAPH}: (30, 30)\n",
        "",
    )
    assert [(m, p.split("?")[0]) for m, p, _ in handler.seen] == [("PUT", "/gsp")] * 3 + [("POST", "/sparql")] * 3
    code, _, err = cli("--root", PROJECT, "load", "--store", "x", "--query-endpoint", f"{url}/sparql")
    assert (code, err) == (2, "kfor-graph: error: --query-endpoint goes with --endpoint\n")


def test_a_trickling_server_meets_the_deadline(cli):
    httpd, thread = serve(Trickler)
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        started = time.monotonic()
        code, out, err = cli("--root", PROJECT, "load", "--endpoint", f"{url}/store", "--deadline", "1")
        elapsed = time.monotonic() - started
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
    assert (code, out) == (2, "")
    assert err == (
        f"kfor-graph: error: PUT graph {DATA} to {url}/store: no complete answer within the deadline "
        f"of 1 s; replaced: none; unknown: {DATA} (its PUT got no complete answer); "
        f"not replaced: {INFERRED}, {ONTOLOGY}\n"
    )
    assert 1 <= elapsed < 3.5


@pytest.mark.parametrize("deadline", ["0", "-1", "nan", "inf", "86401"])
def test_deadline_must_be_usable(cli, deadline):
    code, out, err = cli("--root", PROJECT, "load", "--endpoint", "http://127.0.0.1:9/store", "--deadline", deadline)
    assert (code, out) == (2, "")
    assert err == (
        f"kfor-graph: error: the deadline must be more than 0 and at most 86400 seconds, not {float(deadline):g}\n"
    )


def test_password_over_plain_http_warns_once_unless_loopback(recorder, monkeypatch, capsys):
    url, handler = recorder
    dataset = load_dataset(root=PROJECT)
    monkeypatch.setenv(store.USER_ENV, "loader")
    monkeypatch.setenv(store.PASSWORD_ENV, "s3cret")
    push_gsp(dataset, f"{url}/store", timeout=5, retries=0)  # 127.0.0.1: no warning
    assert capsys.readouterr().err == ""

    # A host that is not loopback, reached through the recorder acting as the http proxy, so no
    # request leaves this machine (.invalid never resolves).
    monkeypatch.setenv("http_proxy", url)
    monkeypatch.setenv("no_proxy", "")
    monkeypatch.setenv("NO_PROXY", "")
    counts = push_gsp(dataset, "http://gsp.example.invalid/store", timeout=5, retries=0)
    assert counts == {str(DATA_GRAPH): (37, 37), str(INFERRED_GRAPH): (0, 0), str(ONTOLOGY_GRAPH): (30, 30)}
    assert capsys.readouterr().err == (
        "kfor-graph: warning: KFOR_GSP_USER's password goes to gsp.example.invalid over plain http, "
        "readable on the way; use https\n"
    )
    assert handler.seen[-1][1].startswith("http://gsp.example.invalid/query")  # it did go through the proxy


@pytest.mark.parametrize(
    "url, plain_remote",
    [
        ("http://127.0.0.1:7878/store", False),
        ("http://127.9.8.7/store", False),
        ("http://[::1]:7878/store", False),
        ("http://localhost/store", False),
        ("http://LOCALHOST./store", False),
        ("https://example.org/store", False),
        ("http://example.org/store", True),
        ("http://10.0.0.1/store", True),
        ("http://[2001:db8::1]/store", True),
    ],
)
def test_which_hosts_are_loopback(url, plain_remote):
    assert store._plain_remote(url) is plain_remote
