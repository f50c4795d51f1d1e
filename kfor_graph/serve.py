"""`kfor-graph serve`: the site's pages with content negotiation on every IRI path, and a read-only
SPARQL 1.1 Protocol endpoint at /sparql, from Oxigraph, on Starlette (ASGI) and uvicorn.

Every page comes from pages.Site, as in the static site; nothing is read from the file system by
request path, so no path can lead outside the site.
"""

import functools
import socket
import sys
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

import anyio
import pyoxigraph as ox
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kfor_graph import sandbox
from kfor_graph.errors import InputError, QueryError
from kfor_graph.load import load_dataset
from kfor_graph.namespaces import BASE
from kfor_graph.pages import HTML, RDF_FILES, Site, root_of, used_prefixes
from kfor_graph.site import make_site
from kfor_graph.store import open_store

# What an IRI path answers with, by Accept: HTML first, so that */* (and a browser) gets the page.
PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html"} | {
    media_type: ext for ext, (_, media_type) in RDF_FILES.items()
}
RESULT_TYPES = {  # SELECT and ASK results
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}  # CONSTRUCT, DESCRIBE
SPARQL_QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"


@dataclass
class Limits:
    timeout: float = 10.0  # seconds per query
    rows: int = sandbox.DEFAULT_MAX_ROWS  # result rows (or triples) per query, as for the CLI's queries


class RefusedError(QueryError):
    """A request the endpoint does not answer, with its HTTP status and the reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status

    def __reduce__(self):  # sent back from the query's child process (sandbox.run_limited) whole
        return (RefusedError, (self.status, str(self)))


@functools.lru_cache(maxsize=512)  # rdflib's parser takes 10-90 ms; the same query often comes again
def check_query(text: str, graphs: frozenset[str]) -> bool:
    """The refusals of the CLI's queries (sandbox.check_query: updates, SERVICE, FROM / FROM NAMED
    outside the dataset) as HTTP errors: 400 for a query that does not parse, 403 for the rest.
    Returns whether the query names its own dataset (FROM)."""
    try:
        parsed = sandbox.check_query(text, graphs)
    except QueryError as exc:
        message = str(exc)
        raise RefusedError(400 if message.startswith("bad query") else 403, message) from None
    return any(node.name == "DatasetClause" for node in sandbox.nodes(parsed))


class Endpoint:
    """Runs queries on the project's store within the limits: each in a child process
    (sandbox.run_limited), killed when it runs past the timeout."""

    def __init__(self, store: ox.Store, limits: Limits, store_dir=None):
        self.store = store
        self.store_dir = store_dir  # an on-disk store is opened again in each child
        self.limits = limits
        self.graphs = frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))

    def run(
        self,
        text: str,
        default_graphs: list[str],
        named_graphs: list[str],
        choose=None,
        own_dataset: bool = False,
        present=None,
    ):
        """Run a query within the limits. With `choose`, the result in the media type that
        choose(graph: bool) picks (graph: CONSTRUCT/DESCRIBE), as (media type, bytes); else
        present(result), where result is ("boolean", bool), ("rows", variables, solutions) or
        ("triples", triples). Blocks: the server calls it from a worker thread."""
        for graph in default_graphs + named_graphs:
            if graph not in self.graphs:
                raise RefusedError(403, f"graph <{graph}> is not in the dataset")
        # The default graph is the union of the named graphs, unless the request or the query's
        # FROM says otherwise.
        options = {"use_default_graph_as_union": not default_graphs and not own_dataset}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return sandbox.run_limited(lambda: self._answer(text, options, choose, present), self.limits.timeout)
        except RefusedError:
            raise
        except QueryError as exc:
            timed_out = str(exc).startswith("the query ran past the time limit")
            raise RefusedError(503 if timed_out else 500, str(exc)) from None

    def _answer(self, text: str, options: dict, choose, present):
        """In the child process: run the query, count its rows against the limit, then serialise
        (a second run of the query feeds pyoxigraph's serialiser) or present it."""
        store = open_store(self.store_dir, read_only=True) if self.store_dir else self.store
        try:
            result = store.query(text, **options)
            if isinstance(result, ox.QueryBoolean):
                found = ("boolean", bool(result))
            else:
                kind = "rows" if isinstance(result, ox.QuerySolutions) else "triples"
                variables = [v.value for v in result.variables] if kind == "rows" else []
                items = sandbox.take(result, self.limits.rows)
                found = (kind, variables, items) if kind == "rows" else (kind, items)
            if choose is None:
                return present(found)
            media_type = choose(found[0] == "triples")
            if found[0] == "triples":
                return media_type, ox.serialize(
                    found[1], format=GRAPH_TYPES[media_type], prefixes=used_prefixes(found[1])
                )
            return media_type, store.query(text, **options).serialize(format=RESULT_TYPES[media_type])
        except QueryError as exc:  # sandbox.take: past the row limit
            raise RefusedError(413, f"{exc}: add a LIMIT to the query") from None
        except SyntaxError as exc:
            raise RefusedError(400, f"bad query: {exc}") from None
        except OSError as exc:
            raise RefusedError(500, f"the query failed: {exc}") from None


# --- the web application ---------------------------------------------------------------------


def best(request: Request, offers: list[str]) -> str | None:
    """The offer the request's Accept header prefers (werkzeug reads the header); the first offer
    when there is no Accept header."""
    header = request.headers.get("accept")
    if not header:
        return offers[0]
    return parse_accept_header(header, MIMEAccept).best_match(offers)


def create_app(site: Site, endpoint: Endpoint) -> Starlette:
    queries = list(site.queries.values())

    def not_found(request: Request, path: str) -> Response:
        if best(request, ["text/html", "text/plain"]) == "text/html":
            body = site.render("404.html", root_of(path), path="/" + path)
            return Response(body, status_code=404, media_type=HTML)
        return Response(f"not found: /{path}\n", status_code=404, media_type="text/plain")

    async def page(request: Request) -> Response:
        path = request.path_params["path"]
        # No file is ever read by its request path; still, a path with a dot segment or a
        # backslash (raw or percent-encoded, once or twice) names nothing and gets a plain 404.
        decoded = unquote(unquote(path))
        if any(part in (".", "..") for part in decoded.replace("\\", "/").split("/")) or "\x00" in decoded:
            return not_found(request, "")
        if path == "" or path.endswith("/"):
            found = site.file(path + "index.html") or (site.file("") if path == "" else None)
            return _file(found) if found else not_found(request, path)
        found = site.file(path)
        if found is not None:
            return _file(found)
        if not site.is_resource(BASE + path):
            return not_found(request, path)
        media_type = best(request, list(PAGE_TYPES))  # content negotiation on the IRI path itself
        if media_type is None:
            return Response(
                "406 Not Acceptable: offered " + ", ".join(PAGE_TYPES) + "\n",
                status_code=406,
                media_type="text/plain",
                headers={"Vary": "Accept"},
            )
        ext = PAGE_TYPES[media_type]
        content, served_type = site.file(f"{path}.{ext}")
        return Response(
            content,
            media_type=served_type,
            headers={"Vary": "Accept", "Content-Location": f"{path.rsplit('/', 1)[-1]}.{ext}"},
        )

    async def sparql(request: Request) -> Response:
        try:
            text, defaults, named = await _read_request(request)
        except RefusedError as exc:
            return _error(exc.status, str(exc))
        # The HTML page for browsers only: a client that accepts anything (*/*) gets results.
        explicit = [value for value, quality in parse_accept_header(request.headers.get("accept", "")) if quality > 0]
        html = (
            request.method == "GET"
            and "text/html" in explicit
            and best(request, ["text/html", *RESULT_TYPES, *GRAPH_TYPES]) == "text/html"
        )
        if text is None:
            example = request.query_params.get("example")
            query = site.queries[example].path.read_text(encoding="utf-8") if example in site.queries else ""
            return _query_page(query)

        def choose(graph: bool) -> str:
            offers = list(GRAPH_TYPES) if graph else list(RESULT_TYPES)
            return best(request, offers) or offers[0]

        try:
            own_dataset = check_query(text, endpoint.graphs)
            if html:
                table = await _run(text, defaults, named, None, own_dataset, _table)
                return _query_page(text, table=table)
            media_type, body = await _run(text, defaults, named, choose, own_dataset)
            return Response(body, media_type=media_type, headers={"Vary": "Accept"})
        except RefusedError as exc:
            if html:
                return _query_page(text, error=str(exc), status=exc.status)
            return _error(exc.status, str(exc))

    async def _run(text, defaults, named, choose, own_dataset, present=None):
        return await anyio.to_thread.run_sync(endpoint.run, text, defaults, named, choose, own_dataset, present)

    def _table(result) -> dict:
        """A result as the query page's table (plain data: it is made in the query's child process)."""
        if result[0] == "rows":
            variables, rows = result[1], result[2]
            return {
                "vars": variables,
                "rows": [[site.link(r[v], "") if r[v] is not None else None for v in variables] for r in rows],
            }
        if result[0] == "boolean":
            return {"vars": ["result"], "rows": [[{"kind": "literal", "text": str(result[1]).lower()}]]}
        return {
            "vars": ["subject", "predicate", "object"],
            "rows": [
                [site.link(t.subject, ""), site.link(t.predicate, ""), site.link(t.object, "")] for t in result[1]
            ],
        }

    def _query_page(query: str, table=None, error: str | None = None, status: int = 200) -> Response:
        body = site.render(
            "sparql.html", "", query=query, result=table, error=error, queries=queries, limits=endpoint.limits
        )
        return Response(body, status_code=status, media_type=HTML)

    routes = [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/{path:path}", page, methods=["GET", "HEAD"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"], allow_headers=["*"]
        )
    ]
    return Starlette(routes=routes, middleware=middleware)


async def _read_request(request: Request):
    """The query and the dataset (default-graph-uri, named-graph-uri) of a SPARQL Protocol request."""
    params = request.query_params
    if request.method == "GET":
        if "update" in params:
            raise RefusedError(403, "updates are refused: this SPARQL endpoint is read-only")
        return params.get("query"), params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == SPARQL_QUERY:
        body = await request.body()
        try:
            return body.decode("utf-8"), params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
        except UnicodeDecodeError:
            raise RefusedError(400, "the query is not UTF-8") from None
    if content_type == FORM:  # read by the standard library (Starlette's form parser needs python-multipart)
        try:
            form = parse_qs((await request.body()).decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise RefusedError(400, "the form is not UTF-8") from None
        if "update" in form:
            raise RefusedError(403, "updates are refused: this SPARQL endpoint is read-only")
        if "query" not in form:
            raise RefusedError(400, "no query: give the form field `query`")
        return form["query"][0], form.get("default-graph-uri", []), form.get("named-graph-uri", [])
    if content_type == "application/sparql-update":
        raise RefusedError(403, "updates are refused: this SPARQL endpoint is read-only")
    raise RefusedError(415, f"unsupported content type '{content_type}': use {SPARQL_QUERY} or {FORM}")


def _file(found) -> Response:
    content, media_type = found
    return Response(content, media_type=media_type)


def _error(status: int, message: str) -> Response:
    return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8")


def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    store_dir=None,
    paths=None,
    root=None,
    timeout: float = 10.0,
    rows: int = sandbox.DEFAULT_MAX_ROWS,
) -> None:
    """Serve the graph until interrupted: from the Oxigraph store at `store_dir` (opened read-only)
    or, without one, from an in-memory store of the project's files."""
    listener = _listen(host, port)  # before the slow start, so that a taken port fails at once
    dataset = load_dataset(paths, root=root)
    store = open_store(store_dir, read_only=True) if store_dir else None
    site = make_site(dataset, root, endpoint=True, store=store)
    endpoint = Endpoint(site.stores[0], Limits(timeout=timeout, rows=rows), store_dir=store_dir)
    config = uvicorn.Config(create_app(site, endpoint), log_level="warning")
    print(f"serving on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    uvicorn.Server(config).run(sockets=[listener])


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (handed to uvicorn); an address that cannot be used is bad input."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit it: without it, a response written in two parts waits for
        # the client's delayed ACK (40 ms a request, measured: nothing set it on this socket's
        # connections, which uvicorn accepts through asyncio).
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listener.bind((host, port))
        listener.listen(128)
    except (OSError, OverflowError) as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc}") from None
    return listener
