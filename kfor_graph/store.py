"""The graph in a triple store: an embedded Oxigraph store on disk, or any SPARQL 1.1 Graph Store
HTTP Protocol endpoint (Oxigraph, Fuseki, GraphDB, ...).

Terms cross between rdflib and pyoxigraph as N-Quads/N-Triples written by rdflib and read by
pyoxigraph's parser, never as hand-written RDF syntax. HTTP uses only the standard library.
"""

import base64
import http.client
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kfor_graph.errors import InputError, KforGraphError, QueryError
from kfor_graph.query import QueryResult
from kfor_graph.sandbox import check_query, run_limited, take
from kfor_graph.terms import to_rdflib

USER_ENV = "KFOR_GSP_USER"
PASSWORD_ENV = "KFOR_GSP_PASSWORD"
BACKOFF = 0.5  # seconds before the first retry; doubles with each further one
SPARQL_JSON = "application/sparql-results+json"


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


def load_store(dataset: Dataset, directory) -> dict[str, int]:
    """Load the dataset's named graphs into the Oxigraph store at `directory` (created if missing),
    replacing each graph's earlier content; returns the number of triples per graph."""
    data = _nquads(dataset)
    try:
        graphs = [ox.NamedNode(str(g)) for g in named_graphs(dataset)]
    except ValueError as exc:  # e.g. a relative IRI as a graph name
        raise InputError(f"bad graph name: {_one_line(exc)}") from None
    store = _open(directory)
    try:
        # pyoxigraph's Python API has no transaction spanning several calls: the clears are one SPARQL
        # update, the load another (Store.load is all-or-nothing). A crash in between leaves the graphs
        # empty, never duplicated; loading again repairs it.
        if graphs:
            store.update("; ".join(f"CLEAR SILENT GRAPH {g}" for g in graphs))
        store.load(data, ox.RdfFormat.N_QUADS)
        store.flush()
        return {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in graphs}
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"{directory}: cannot load the store: {_one_line(exc)}") from None
    finally:
        del store  # closes the store and releases its lock, so the directory can be opened again


def run_query(query_text: str, directory=None, dataset: Dataset | None = None, timeout: float | None = None,
              max_rows: int | None = None) -> QueryResult:
    """Run a SELECT query with Oxigraph, on the store at `directory` or else on an in-memory store
    built from `dataset`. The default graph is the union of the named graphs, as with rdflib. The
    query must see only the store's graphs (sandbox.check_query); with a `timeout` it runs in a child
    process, stopped after that many seconds; past `max_rows` rows it fails."""
    if directory is None and dataset is None:
        raise InputError("run_query needs a store directory or a dataset")
    # The store is opened in the child: a RocksDB store's threads would not survive a fork.
    return run_limited(lambda: _select(query_text, directory, dataset, max_rows), timeout)


def _select(query_text: str, directory, dataset: Dataset | None, max_rows: int | None) -> QueryResult:
    if directory is not None:
        store = _open(directory, read_only=True)
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


def _open(directory, read_only: bool = False) -> ox.Store:
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
) -> dict[str, tuple[int, int]]:
    """PUT each named graph (all by default) to a Graph Store Protocol endpoint, replacing the
    server's copy, then count each graph through the SPARQL query endpoint. Returns
    {graph IRI: (local count, server count)}; raises EndpointError if any pair differs.

    HTTP Basic credentials come from KFOR_GSP_USER / KFOR_GSP_PASSWORD only. Connection failures are
    retried `retries` times with backoff (a PUT is idempotent); HTTP errors are not."""
    endpoint = _check_url(endpoint)
    query_endpoint = _check_url(query_endpoint) if query_endpoint else _sibling_query(endpoint)
    available = [str(g) for g in named_graphs(dataset)]
    wanted = list(graphs) if graphs else available
    for iri in wanted:
        if iri not in available:
            raise InputError(f"no graph <{iri}> in the dataset (graphs: {', '.join(available) or 'none'})")
    auth = _auth_header()
    query_auth = auth if _origin(query_endpoint) == _origin(endpoint) else {}  # credentials stay on one server

    counts = {}
    for iri in wanted:
        graph = dataset.graph(URIRef(iri))
        body = _serialize(graph, "nt", f"graph <{iri}>")
        target = endpoint + ("&" if "?" in endpoint else "?") + "graph=" + urllib.parse.quote(iri, safe="")
        headers = {"Content-Type": "application/n-triples", **auth}
        _http(target, f"PUT graph <{iri}> to {endpoint}", endpoint, "PUT", body, headers, timeout, retries)
        counts[iri] = (len(graph), _remote_count(iri, query_endpoint, query_auth, timeout, retries))
    wrong = [f"<{iri}> has {remote} triples, not {local}" for iri, (local, remote) in counts.items() if local != remote]
    if wrong:
        raise EndpointError(f"after loading, on {query_endpoint}: " + "; ".join(wrong))
    return counts


def _remote_count(iri: str, query_endpoint: str, auth: dict, timeout: float, retries: int) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {URIRef(iri).n3()} {{ ?s ?p ?o }} }}"
    result = _remote_select(query, query_endpoint, auth, timeout, retries, f"counting <{iri}>")
    try:
        return int(result.rows[0]["n"])
    except (IndexError, KeyError, TypeError, ValueError):
        raise EndpointError(f"counting <{iri}> on {query_endpoint}: unexpected answer") from None


def _remote_select(query_text, query_endpoint, auth, timeout, retries, what="query") -> QueryResult:
    body = urllib.parse.urlencode({"query": query_text}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": SPARQL_JSON, **auth}
    what = f"{what} on {query_endpoint}"
    answer = _http(query_endpoint, what, query_endpoint, "POST", body, headers, timeout, retries)
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


_OPENER = urllib.request.build_opener(_NoRedirect)


def _http(url, what, endpoint, method, body, headers, timeout, retries) -> bytes:
    """One HTTP request, retried on connection failures only; every failure is one EndpointError."""
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    retries = max(0, retries)
    for attempt in range(1, retries + 2):
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            try:
                detail = _one_line(exc.read().decode("utf-8", "replace"))
            except OSError:  # the server's message is a bonus; the status is the error
                detail = ""
            raise EndpointError(f"{what}: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")) from None
        except (urllib.error.URLError, ConnectionError) as exc:  # refused, reset, unknown host, connect timeout
            if attempt > retries:
                reason = getattr(exc, "reason", exc)
                reason = getattr(reason, "strerror", None) or reason
                tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
                raise EndpointError(f"cannot reach {endpoint}: {_one_line(reason)} ({tries})") from None
            time.sleep(BACKOFF * 2 ** (attempt - 1))
        except TimeoutError:  # connected, but no answer in time: the request may be running, so no retry
            raise EndpointError(f"{what}: no answer within {timeout:g} s") from None
        except http.client.HTTPException as exc:
            raise EndpointError(f"{what}: bad HTTP answer: {_one_line(exc) or type(exc).__name__}") from None
    raise AssertionError("unreachable")


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
