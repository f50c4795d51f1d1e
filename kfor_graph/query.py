"""Find, parameterise and run the SPARQL queries in queries/, and print their results."""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.term import Node

from kfor_graph import resources
from kfor_graph.errors import QueryError
from kfor_graph.namespaces import compact
from kfor_graph.sandbox import check_query, run_limited, take

RESULT_FORMATS = ("table", "csv", "tsv", "json")


@dataclass
class QueryResult:
    """A SELECT result independent of the engine: variable names and one dict per row (None = unbound)."""

    vars: list[str]
    rows: list[dict[str, Node | None]] = field(default_factory=list)


@dataclass
class QueryInfo:
    name: str
    path: Path
    summary: str
    tags: list[str]


# --- finding queries -------------------------------------------------------------------------


def query_files(root=None) -> list[Path]:
    """queries/*.rq, then the quality checks in queries/qc/*.rq."""
    folder = resources.queries_dir(root)
    if not folder.is_dir():
        raise QueryError(f"{folder}: no such folder (no queries)")
    return sorted(folder.glob("*.rq")) + sorted((folder / "qc").glob("*.rq"))


def find_query(name: str, root=None) -> Path:
    """A query file from its name (a file stem in queries/ or queries/qc/) or its path."""
    path = Path(name)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise QueryError(f"{name}: no such query file")
        return path
    folder = resources.queries_dir(root)
    for candidate in (folder / f"{name}.rq", folder / "qc" / f"{name}.rq"):
        if candidate.is_file():
            return candidate
    raise QueryError(f"unknown query '{name}' (see `kfor-graph list-queries`)")


def read_header(text: str) -> dict[str, str]:
    """The `#+ key: value` lines at the top of a query."""
    header = {}
    for line in text.splitlines():
        match = re.match(r"#\+\s*(\w+)\s*:\s*(.*)", line)
        if match:
            header[match[1]] = match[2].strip()
    return header


def list_queries(root=None) -> list[QueryInfo]:
    infos = []
    for path in query_files(root):
        header = read_header(path.read_text(encoding="utf-8"))
        tags = [t.strip() for t in header.get("tags", "").split(",") if t.strip()]
        infos.append(QueryInfo(path.stem, path, header.get("summary", ""), tags))
    return infos


# --- parameters ------------------------------------------------------------------------------


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def typed_term(value: str) -> Node:
    """The RDF term a --param value stands for: `YYYY-MM-DD` an xsd:date, digits an xsd:integer,
    `<...>` or `http(s)://...` an IRI (which must be a valid one: a value that starts with < is
    meant as one), anything else a string."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d+", value):
        return Literal(value, datatype=XSD.integer)
    if value.startswith("<"):
        iri = value[1:-1] if value.endswith(">") else ""
    elif re.match(r"https?://", value):
        iri = value
    else:
        return Literal(value)
    if not iri or _NOT_IN_IRI.search(iri):
        raise QueryError(f"not an IRI: {value!r} (spaces, quotes and <>{{}}|^`\\ are not allowed in one)")
    return URIRef(iri)


def parse_params(pairs: list[str]) -> dict[str, str]:
    """NAME=VALUE strings to a dict."""
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?")
        if not sep or not name:
            raise QueryError(f"bad --param '{pair}': expected NAME=VALUE")
        params[name] = value
    return params


_VALUES_LINE = re.compile(r"(VALUES\s+\?(\w+)\s*\{)([^}]*)(\})", re.IGNORECASE)


def query_params(text: str) -> list[str]:
    """The names of the one-variable `VALUES ?name { ... }` lines of a query."""
    return [m[2] for m in _VALUES_LINE.finditer(text)]


def apply_params(text: str, params: dict[str, str]) -> str:
    """Replace the default of each `VALUES ?name { default }` line with the given value, as one RDF
    term written by rdflib. The lines are found in the query as written, in one pass: a value never
    becomes query text that a later parameter could match."""
    known = query_params(text)
    for name in params:
        if name not in known:
            raise QueryError(f"unknown parameter '{name}' (this query's parameters: {', '.join(known) or 'none'})")
    terms = {name: typed_term(value).n3() for name, value in params.items()}

    def bind(match: re.Match) -> str:
        term = terms.get(match[2])
        return match[0] if term is None else f"{match[1]} {term} {match[4]}"

    return _VALUES_LINE.sub(bind, text)


# --- running ---------------------------------------------------------------------------------


def run_query(text: str, dataset, timeout: float | None = None, max_rows: int | None = None) -> QueryResult:
    """Run a SELECT query with rdflib over the dataset's default graph (the union of its graphs).
    The query must see only the dataset (sandbox.check_query); with a `timeout` it runs in a child
    process that is stopped after that many seconds, and past `max_rows` rows it fails."""
    parsed = check_query(text, (g.identifier for g in dataset.graphs()))
    return run_limited(lambda: _select(parsed, dataset, max_rows), timeout)


def _select(parsed, dataset, max_rows: int | None) -> QueryResult:
    try:
        result = dataset.query(translateQuery(parsed))  # parsed once, by check_query
        if result.type != "SELECT":
            raise QueryError(f"only SELECT queries are supported, not {result.type}")
        names = [str(v) for v in result.vars]
        rows = take(({name: row[name] for name in names} for row in result), max_rows)
    except QueryError:
        raise
    except Exception as exc:  # rdflib raises evaluation errors of many types
        raise QueryError(f"bad query: {' '.join(str(exc).split())}") from None
    return QueryResult(names, rows)


# --- output ----------------------------------------------------------------------------------


def run_named_query(name: str, dataset, params: dict[str, str] | None = None, root=None, **limits) -> QueryResult:
    """Run a query of queries/ (by name or path) over the dataset, with rdflib (`limits`: timeout,
    max_rows, as for run_query)."""
    text = apply_params(read_query(name, root), params or {})
    return run_query(text, dataset, **limits)


def read_query(name: str, root=None) -> str:
    path = find_query(name, root)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read: {exc}") from None


def format_result(result: QueryResult, fmt: str) -> str:
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown format '{fmt}' (one of: {', '.join(RESULT_FORMATS)})")
    return {"table": to_table, "csv": to_csv, "tsv": to_tsv, "json": to_json}[fmt](result)


def lexical(term: Node | None) -> str:
    """A term as plain text: IRIs in full, literals by their lexical form, unbound as empty."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results, as in queries/*.expected.csv."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([lexical(row.get(v)) for v in result.vars])
    return out.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV results: terms in N-Triples syntax."""
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result.rows:
        lines.append("\t".join("" if row.get(v) is None else row[v].n3() for v in result.vars))
    return "\n".join(lines) + "\n"


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = []
    for row in result.rows:
        bindings.append({v: _json_term(row[v]) for v in result.vars if row.get(v) is not None})
    document = {"head": {"vars": result.vars}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        value["datatype"] = str(term.datatype)
    return value


def short(term: Node | None) -> str:
    """A term for people: IRIs as prefixed names where a project prefix fits."""
    if isinstance(term, URIRef):
        return compact(term) or str(term)
    return lexical(term)


def to_table(result: QueryResult) -> str:
    """Aligned columns, with a row count."""
    cells = [[short(row.get(v)).replace("\n", " ") for v in result.vars] for row in result.rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.vars)]

    def line(values):
        return "  ".join(value.ljust(width) for value, width in zip(values, widths, strict=True)).rstrip()

    lines = [line(result.vars), line("-" * w for w in widths)] + [line(r) for r in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"
