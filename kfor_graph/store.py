"""The graph in a triple store: an embedded Oxigraph store on disk, or any SPARQL 1.1 Graph Store
HTTP Protocol endpoint (Oxigraph, Fuseki, GraphDB, ...).

Terms cross between rdflib and pyoxigraph as N-Quads/N-Triples written by rdflib and read by
pyoxigraph's parser, never as hand-written RDF syntax; a SPARQL update that replaces graphs carries
terms as pyoxigraph writes them. HTTP uses only the standard library.

Safe by default: the whole input is parsed by Oxigraph before the target is touched, a store is
replaced whole (a new one bulk-loaded beside it, then swapped in), empty graphs are refused unless
asked for, and every HTTP request has an overall deadline.
"""

import base64
import http.client
import ipaddress
import itertools
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kfor_graph.errors import InputError, KforGraphError, QueryError
from kfor_graph.files import new_folder
from kfor_graph.namespaces import INFERRED_GRAPH, NAMED_GRAPHS
from kfor_graph.query import QueryResult
from kfor_graph.sandbox import check_query, run_limited, take
from kfor_graph.terms import to_rdflib

USER_ENV = "KFOR_GSP_USER"
PASSWORD_ENV = "KFOR_GSP_PASSWORD"
BACKOFF = 0.5  # seconds before the first retry; doubles with each further one
DEADLINE = 300  # seconds: the longest one HTTP request may take, however slowly the server answers
MAX_DEADLINE = 86400  # seconds: a day
SPARQL_JSON = "application/sparql-results+json"
OXIGRAPH_BUFFER = 16 * 2**20  # bytes: the longest line (and term) Oxigraph's parsers take


class StoreError(KforGraphError):
    """The embedded store cannot be opened, read or written."""


class EndpointError(KforGraphError):
    """A remote endpoint is unreachable, answers with an error, or holds other counts than ours."""


# --- embedded Oxigraph store -------------------------------------------------------------------


def named_graphs(dataset: Dataset) -> list[URIRef]:
    """The dataset's named graphs (empty ones too, so loading them clears the store's copy)."""
    return sorted(g.identifier for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID)


def _nquads(dataset: Dataset) -> bytes:
    default = len(dataset.graph(DATASET_DEFAULT_GRAPH_ID))
    if default:
        # Triples outside a named graph could never be replaced by a reload, only accumulate.
        raise InputError(f"the dataset's default graph holds {default} triples; only named graphs are loaded")
    return _serialize(dataset, "nquads", "the dataset")


def _serialize(graph, fmt: str, what: str) -> bytes:
    try:
        return graph.serialize(format=fmt, encoding="utf-8")
    except Exception as exc:  # rdflib raises a bare Exception for an IRI it cannot write, e.g. with a space
        raise InputError(f"{what}: cannot be written as {fmt}: {_one_line(exc)}") from None


def _check_not_empty(dataset: Dataset | ox.Store, graphs: list[str], allow_empty: bool) -> None:
    """An empty input graph is a mistake far more often than not. The inferred graph is exempt: it
    is derived, and empty where the data has nothing to infer from."""
    if allow_empty:
        return
    for iri in graphs:
        if iri != str(INFERRED_GRAPH) and _is_empty(dataset, iri):
            raise InputError(
                f"graph <{iri}> has no triples: loading it would empty the target's copy "
                "(give --allow-empty to load it anyway)"
            )


def _is_empty(dataset: Dataset | ox.Store, iri: str) -> bool:
    if isinstance(dataset, ox.Store):
        return next(dataset.quads_for_pattern(None, None, None, ox.NamedNode(iri)), None) is None
    return not len(dataset.graph(URIRef(iri)))


def _parse_oxigraph(store: ox.Store, data: bytes, fmt, graph: ox.NamedNode | None = None) -> None:
    """Parse `data` (N-Triples or N-Quads written by rdflib) with Oxigraph into `store`. Oxigraph
    refuses some terms rdflib accepts (a language subtag over 8 characters, a term over its 16 MiB
    buffer...): each becomes an InputError naming the triple, before the real target is touched."""
    try:
        store.load(data, fmt, to_graph=graph) if graph is not None else store.load(data, fmt)
    except SyntaxError as exc:  # exc.lineno: the line of `data`, one triple (or quad) per line
        reason = exc.msg.partition(": ")[2] if exc.msg.startswith("Parser error at line") else exc.msg
        raise InputError(f"Oxigraph refuses {_triple_at(data, exc.lineno, graph)}: {reason}") from None
    except MemoryError as exc:
        if "buffer maximal size" not in str(exc):  # really out of memory
            raise
        # "Reached the buffer maximal size of 16777216": one term is too long
        long = next((n for n, line in enumerate(data.split(b"\n"), 1) if len(line) > OXIGRAPH_BUFFER), None)
        raise InputError(
            f"Oxigraph refuses {_triple_at(data, long, graph)}: a term is longer than its "
            f"{OXIGRAPH_BUFFER // 2**20} MiB limit ({_one_line(exc)})"
        ) from None


def _triple_at(data: bytes, number: int | None, graph: ox.NamedNode | None) -> str:
    """Line `number` of N-Triples/N-Quads, shortened, as 'the triple ... in graph <g>'."""
    lines = data.split(b"\n", number)[number - 1 : number] if number else []
    if not lines:
        return "a triple" + (f" in graph {graph}" if graph else "")
    text = lines[0].decode("utf-8", "replace").strip().removesuffix(" .")
    if graph is None and text.endswith(">") and " <" in text:  # N-Quads: the graph name comes last
        text, _, name = text.rpartition(" ")
        graph = name
    text = text if len(text) <= 120 else text[:117] + "..."
    return f"the triple {text}" + (f" in graph {graph}" if graph else "")


def _checked_store(dataset: Dataset | ox.Store, allow_empty: bool = False) -> ox.Store:
    """The dataset's named graphs parsed by Oxigraph into an in-memory store: the whole input is
    checked before the real store is touched. A store of load.load_graphs is that already."""
    if isinstance(dataset, ox.Store):
        _check_not_empty(dataset, [str(g) for g in NAMED_GRAPHS], allow_empty)
        return dataset
    graphs = [str(g) for g in named_graphs(dataset)]
    _check_not_empty(dataset, graphs, allow_empty)
    for iri in graphs:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:  # e.g. a relative IRI as a graph name
            raise InputError(f"bad graph name <{iri}>: {_one_line(exc)}") from None
    scratch = ox.Store()
    _parse_oxigraph(scratch, _nquads(dataset), ox.RdfFormat.N_QUADS)
    return scratch


def load_store(dataset: Dataset | ox.Store, directory, allow_empty: bool = False) -> dict[str, int]:
    """Load the dataset's named graphs (an rdflib Dataset, or the store of load.load_graphs with the
    three named graphs) into the Oxigraph store at `directory` (created if missing), replacing each
    graph's earlier content and keeping the store's other graphs; returns the number of triples per
    graph.

    All or nothing: the whole input is parsed by Oxigraph first. Then a new store is bulk-loaded
    beside the old one (Oxigraph's bulk loader writes sorted files straight to disk: one transaction
    of a million quads took 2.9 GB and four times as long), with the old store's other graphs, and
    swapped in whole (files.new_folder), so the directory holds either the old store or the new one,
    even if the process is killed. The old store stays open (locked) until just before the swap, so a
    server holding it makes the load fail before anything changes, and a second load fails at once
    (on the store's lock, or on files.new_folder's). A graph with no triples is refused unless
    `allow_empty`."""
    scratch = _checked_store(dataset, allow_empty)
    names = sorted(NAMED_GRAPHS) if isinstance(dataset, ox.Store) else named_graphs(dataset)
    graphs = [ox.NamedNode(str(g)) for g in names]
    path = Path(directory)
    if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").is_file():
        raise StoreError(f"{path}: not an Oxigraph store, and not empty: refusing to replace it")
    old = open_store(path) if (path / "CURRENT").is_file() else None
    try:
        with new_folder(path) as staged:
            new = ox.Store(str(staged))
            new.bulk_extend(itertools.chain(scratch, _other_graphs(old, graphs)))
            counts = _triples_per_graph(new, graphs)
            # Both closed before the swap: RocksDB reaches its files by path, which then names the new
            # store (the lock file beside the folder still keeps other loads out).
            new = old = None
        return counts
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"{directory}: cannot load the store: {_one_line(exc)}") from None
    finally:
        old = None  # closes the old store and releases its lock


def _triples_per_graph(store: ox.Store, graphs: list[ox.NamedNode]) -> dict[str, int]:
    """Counted by Oxigraph (iterating the quads in Python took as long as the bulk load)."""
    counted = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    found = {row["g"]: int(row["n"].value) for row in counted}
    return {g.value: found.get(g, 0) for g in graphs}


def _other_graphs(store: ox.Store | None, graphs: list[ox.NamedNode]):
    """The quads of `store` outside `graphs` (the default graph's included)."""
    replaced = set(graphs)
    return () if store is None else (q for q in store if q.graph_name not in replaced)


def run_query(
    query_text: str,
    directory=None,
    dataset: Dataset | ox.Store | None = None,
    timeout: float | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    """Run a SELECT query with Oxigraph, on the store at `directory` or else on `dataset`: an
    in-memory store of the named graphs (load.load_graphs), or an rdflib Dataset copied into one. The default graph is the union of the named graphs, as with rdflib. The
    query must see only the store's graphs (sandbox.check_query); with a `timeout` it runs in a child
    process, stopped after that many seconds; past `max_rows` rows it fails."""
    if directory is None and dataset is None:
        raise InputError("run_query needs a store directory or a dataset")
    # The store is opened in the child: a RocksDB store's threads would not survive a fork.
    return run_limited(lambda: _select(query_text, directory, dataset, max_rows), timeout)


def _select(query_text: str, directory, dataset: Dataset | ox.Store | None, max_rows: int | None) -> QueryResult:
    if directory is not None:
        store = open_store(directory, read_only=True)
    elif isinstance(dataset, ox.Store):  # the named graphs in memory (load.load_graphs)
        store = dataset
    else:
        store = ox.Store()
        try:
            store.load(_nquads(dataset), ox.RdfFormat.N_QUADS)
        except (SyntaxError, ValueError) as exc:  # e.g. a relative IRI, which rdflib writes as it is
            raise InputError(f"the dataset cannot be loaded into Oxigraph: {_one_line(exc)}") from None
    try:
        check_query(query_text, (g.value for g in store.named_graphs()))
        result = store.query(query_text, use_default_graph_as_union=True)
        if not isinstance(result, ox.QuerySolutions):
            kind = "ASK" if isinstance(result, ox.QueryBoolean) else "CONSTRUCT/DESCRIBE"
            raise QueryError(f"only SELECT queries are supported, not {kind}")
        return _to_result(result, max_rows)  # solutions are computed lazily: errors may come while reading them
    except SyntaxError as exc:
        raise QueryError(f"bad query: {_one_line(exc)}") from None
    except OSError as exc:
        raise QueryError(f"query failed: {_one_line(exc)}") from None
    finally:
        del store


def open_store(directory, read_only: bool = False) -> ox.Store:
    path = Path(directory)
    if read_only and not (path / "CURRENT").is_file():  # CURRENT: the file every RocksDB store has
        raise StoreError(f"{path}: no Oxigraph store here (create one with `kfor-graph load --store {path}`)")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:  # e.g. locked by a running `oxigraph serve` or another process
        raise StoreError(f"{path}: cannot open the store: {_one_line(exc)}") from None


def _to_result(solutions: ox.QuerySolutions, max_rows: int | None = None) -> QueryResult:
    names = [v.value for v in solutions.variables]
    rows = take(({name: to_rdflib(solution[name]) for name in names} for solution in solutions), max_rows)
    return QueryResult(names, rows)


# --- SPARQL 1.1 Graph Store HTTP Protocol ----------------------------------------------------


def push_gsp(
    dataset: Dataset,
    endpoint: str,
    graphs: list[str] | None = None,
    timeout: float = 30,
    retries: int = 3,
    query_endpoint: str | None = None,
    deadline: float = DEADLINE,
    allow_empty: bool = False,
) -> dict[str, tuple[int, int]]:
    """PUT each named graph (all by default) to a Graph Store Protocol endpoint, replacing the
    server's copy, then count each graph through the SPARQL query endpoint. Returns
    {graph IRI: (local count, server count)}; raises EndpointError if any pair differs.

    Everything is checked before the first PUT (the graphs exist, are not empty unless `allow_empty`,
    and Oxigraph's parser takes every triple); if a PUT fails, the error says which graphs were
    already replaced and which were not. `timeout` bounds each wait on the socket, `deadline` a whole
    request. HTTP Basic credentials come from KFOR_GSP_USER / KFOR_GSP_PASSWORD only. Connection
    failures are retried `retries` times with backoff (a PUT is idempotent); HTTP errors are not."""
    endpoint = _check_url(endpoint)
    query_endpoint = _check_url(query_endpoint) if query_endpoint else _sibling_query(endpoint)
    if not 0 < deadline <= MAX_DEADLINE:  # also refuses nan and inf, which the timer cannot wait for
        raise InputError(f"the deadline must be more than 0 and at most {MAX_DEADLINE} seconds, not {deadline:g}")
    available = [str(g) for g in named_graphs(dataset)]
    wanted = list(dict.fromkeys(graphs)) if graphs else available
    for iri in wanted:
        if iri not in available:
            raise InputError(f"no graph <{iri}> in the dataset (graphs: {', '.join(available) or 'none'})")
    _check_not_empty(dataset, wanted, allow_empty)
    bodies = {iri: _checked_ntriples(dataset, iri) for iri in wanted}
    auth = _auth_header()
    if auth and _plain_remote(endpoint):
        host = urllib.parse.urlsplit(endpoint).hostname
        print(
            f"kfor-graph: warning: {USER_ENV}'s password goes to {host} over plain http, readable on the "
            "way; use https",
            file=sys.stderr,
        )
    query_auth = auth if _origin(query_endpoint) == _origin(endpoint) else {}  # credentials stay on one server
    limits = timeout, deadline, retries

    replaced = []
    for iri in wanted:
        target = endpoint + ("&" if "?" in endpoint else "?") + "graph=" + urllib.parse.quote(iri, safe="")
        headers = {"Content-Type": "application/n-triples", **auth}
        try:
            _http(target, f"PUT graph <{iri}> to {endpoint}", endpoint, "PUT", bodies[iri], headers, *limits)
        except EndpointError as exc:
            rest = wanted[wanted.index(iri) + 1 :]
            state = [f"replaced: {_iris(replaced)}"]
            if isinstance(exc, _UnansweredError):  # the server may have applied the PUT before failing to answer
                state += [f"unknown: <{iri}> (its PUT got no complete answer)", f"not replaced: {_iris(rest)}"]
            else:
                state += [f"not replaced: {_iris([iri] + rest)}"]
            raise EndpointError(f"{exc}; {'; '.join(state)}") from None
        replaced.append(iri)
    counts = {}
    for iri in wanted:
        try:
            counts[iri] = (len(dataset.graph(URIRef(iri))), _remote_count(iri, query_endpoint, query_auth, *limits))
        except EndpointError as exc:
            raise EndpointError(f"{exc}; replaced: {_iris(replaced)}, not counted") from None
    wrong = [f"<{iri}> has {remote} triples, not {local}" for iri, (local, remote) in counts.items() if local != remote]
    if wrong:
        raise EndpointError(f"after loading, on {query_endpoint}: " + "; ".join(wrong))
    return counts


def _iris(iris: list[str]) -> str:
    return ", ".join(f"<{iri}>" for iri in iris) or "none"


def _checked_ntriples(dataset: Dataset, iri: str) -> bytes:
    """The graph as N-Triples written by rdflib, once Oxigraph's parser has taken every line."""
    body = _serialize(dataset.graph(URIRef(iri)), "nt", f"graph <{iri}>")
    try:
        graph = ox.NamedNode(iri)
    except ValueError as exc:
        raise InputError(f"bad graph name <{iri}>: {_one_line(exc)}") from None
    _parse_oxigraph(ox.Store(), body, ox.RdfFormat.N_TRIPLES, graph)
    return body


def _plain_remote(url: str) -> bool:
    """Plain http to a host other than this machine's loopback (127.0.0.0/8, ::1, localhost)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http":
        return False
    host = (parts.hostname or "").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name
        return True


def _remote_count(iri: str, query_endpoint: str, auth: dict, timeout: float, deadline: float, retries: int) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {URIRef(iri).n3()} {{ ?s ?p ?o }} }}"
    result = _remote_select(query, query_endpoint, auth, timeout, deadline, retries, f"counting <{iri}>")
    try:
        return int(result.rows[0]["n"])
    except (IndexError, KeyError, TypeError, ValueError):
        raise EndpointError(f"counting <{iri}> on {query_endpoint}: unexpected answer") from None


def _remote_select(query_text, query_endpoint, auth, timeout, deadline, retries, what="query") -> QueryResult:
    body = urllib.parse.urlencode({"query": query_text}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": SPARQL_JSON, **auth}
    what = f"{what} on {query_endpoint}"
    answer = _http(query_endpoint, what, query_endpoint, "POST", body, headers, timeout, deadline, retries)
    try:
        solutions = ox.parse_query_results(answer, ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(f"{what}: not SPARQL JSON results: {_one_line(exc)}") from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError("only SELECT queries are supported, not ASK")
    return _to_result(solutions)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """urllib would forward the Authorization header to wherever a redirect points; report it instead."""

    def redirect_request(self, *args, **kwargs):
        return None


class _UnansweredError(EndpointError):
    """The request went out but no complete answer came back: the server may have acted on it."""


class _Watch:
    """The sockets of one request, shut when its deadline passes: a server that trickles a byte at a
    time never lets the socket timeout fire, so the deadline is kept by a timer thread."""

    def __init__(self, deadline: float):
        self.expired = threading.Event()
        self.sockets = []
        self.timer = threading.Timer(deadline, self.expire)
        self.timer.daemon = True

    def add(self, sock):
        self.sockets.append(sock)
        if self.expired.is_set():
            self._shut(sock)

    def expire(self):
        self.expired.set()
        for sock in self.sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock):
        try:
            sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked read or write in the requesting thread
        except OSError:
            pass


class _Watched:
    """An HTTP(S) handler whose connections hand their socket to a _Watch."""

    def __init__(self, watch: _Watch):
        super().__init__()
        self.watch = watch

    def do_open(self, http_class, req, **kwargs):
        watch = self.watch

        class Connection(http_class):
            def connect(self):
                super().connect()
                watch.add(self.sock)

        return super().do_open(Connection, req, **kwargs)


class _WatchedHTTP(_Watched, urllib.request.HTTPHandler):
    pass


class _WatchedHTTPS(_Watched, urllib.request.HTTPSHandler):
    pass


def _http(url, what, endpoint, method, body, headers, timeout, deadline, retries) -> bytes:
    """One HTTP request, retried on connection failures only; every failure is one EndpointError.
    `timeout` bounds each socket wait, `deadline` the whole of each attempt."""
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    retries = max(0, retries)
    for attempt in range(1, retries + 2):
        watch = _Watch(deadline)
        opener = urllib.request.build_opener(_NoRedirect, _WatchedHTTP(watch), _WatchedHTTPS(watch))
        watch.timer.start()
        try:
            with opener.open(request, timeout=timeout) as response:
                answer = response.read()
            if watch.expired.is_set():  # a read cut short by the shutdown may look complete
                raise TimeoutError
            return answer
        except Exception as exc:
            if watch.expired.is_set():
                raise _UnansweredError(f"{what}: no complete answer within the deadline of {deadline:g} s") from None
            _fail(exc, what, endpoint, timeout, attempt, retries)
        finally:
            watch.timer.cancel()
        time.sleep(BACKOFF * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def _fail(exc, what, endpoint, timeout, attempt, retries) -> None:
    """Raise the EndpointError for a failed attempt, or return if the attempt is to be retried."""
    if isinstance(exc, urllib.error.HTTPError):
        try:
            detail = _one_line(exc.read().decode("utf-8", "replace"))
        except OSError:  # the server's message is a bonus; the status is the error
            detail = ""
        raise EndpointError(f"{what}: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")) from None
    if isinstance(exc, TimeoutError):  # connected, but no answer in time: the request may be running
        raise _UnansweredError(f"{what}: no answer within {timeout:g} s") from None
    if isinstance(exc, (urllib.error.URLError, ConnectionError)):  # refused, reset, unknown host, connect timeout
        if attempt <= retries:
            return
        reason = getattr(exc, "reason", exc)
        # Refused, unknown host or no connection in time: the request never went out. A reset may come
        # after the server acted on it.
        error = (
            EndpointError
            if isinstance(reason, (ConnectionRefusedError, socket.gaierror, TimeoutError))
            else _UnansweredError
        )
        reason = getattr(reason, "strerror", None) or reason
        tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
        raise error(f"cannot reach {endpoint}: {_one_line(reason)} ({tries})") from None
    if isinstance(exc, http.client.HTTPException):
        raise _UnansweredError(f"{what}: bad HTTP answer: {_one_line(exc) or type(exc).__name__}") from None
    raise exc


def _check_url(url: str) -> str:
    """The URL if it is http(s) and carries no credentials; a URL with an @ is never echoed."""
    try:
        parts = urllib.parse.urlsplit(url)
        if "@" in parts.netloc:
            raise InputError(f"credentials in the URL are not accepted; set {USER_ENV} and {PASSWORD_ENV} instead")
        if parts.scheme in ("http", "https") and parts.hostname and (parts.port or True):
            return url
    except ValueError:  # a bad port or IPv6 address
        pass
    raise InputError(f"not an http(s) URL: {url if '@' not in url else '(not shown)'}")


def _sibling_query(endpoint: str) -> str:
    """Oxigraph serves GSP at /store and queries at /query; Fuseki at /<ds>/data and /<ds>/query."""
    parts = urllib.parse.urlsplit(endpoint)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last not in ("store", "data") or parts.query:
        raise InputError(f"cannot tell the SPARQL query endpoint of {endpoint}; give it (--query-endpoint)")
    return urllib.parse.urlunsplit(parts._replace(path=f"{head}/query"))


def _origin(url: str) -> tuple:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.hostname, parts.port or {"http": 80, "https": 443}[parts.scheme]


def _auth_header() -> dict[str, str]:
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if not user:
        if password:
            raise InputError(f"{PASSWORD_ENV} is set but {USER_ENV} is not")
        return {}
    token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _one_line(value) -> str:
    """The first non-blank line of a message, shortened: error output stays one line."""
    line = next((line.strip() for line in str(value).splitlines() if line.strip()), "")
    return line if len(line) <= 200 else line[:197] + "..."
