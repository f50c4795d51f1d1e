"""Helpers shared by several test modules: comparing query results across engines, free ports, and a
SPARQL query sent over HTTP."""

import socket
import urllib.parse
import urllib.request
from collections import Counter

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal

from kfor_graph.query import QueryResult
from kfor_graph.terms import to_rdflib

# Oxigraph stores these datatypes as their primitive base type, keeping the value and lexical form
# (https://github.com/oxigraph/oxigraph/issues/526, no option to turn it off in 0.5).
OXIGRAPH_BASE_TYPE = {
    **{
        XSD[name]: XSD.integer
        for name in (
            "nonPositiveInteger",
            "negativeInteger",
            "long",
            "int",
            "short",
            "byte",
            "nonNegativeInteger",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
            "positiveInteger",
        )
    },
    XSD.dateTimeStamp: XSD.dateTime,
    XSD.string: None,  # RDF 1.1: "x" and "x"^^xsd:string are the same literal; rdflib keeps them apart
}


def comparable(result):
    """A result as its variables and a multiset of rows. Terms must be equal, lexical forms included,
    except: blank node labels (they differ between engines), language tag case (case-insensitive in
    RDF; Oxigraph lower-cases it) and the datatypes in OXIGRAPH_BASE_TYPE."""

    def key(term):
        if isinstance(term, BNode):
            return "_:b"
        if isinstance(term, Literal):
            datatype = OXIGRAPH_BASE_TYPE.get(term.datatype, term.datatype)
            return ("literal", str(term), (term.language or "").lower(), datatype)
        return term

    rows = Counter(tuple(key(row[v]) for v in result.vars) for row in result.rows)
    return result.vars, rows


def assert_same(actual, expected):
    """Equal results, or a failure listing only the rows that differ."""
    (actual_vars, actual_rows), (expected_vars, expected_rows) = comparable(actual), comparable(expected)
    assert actual_vars == expected_vars
    extra, missing = actual_rows - expected_rows, expected_rows - actual_rows
    assert not extra and not missing, f"only in the first: {list(extra)[:5]}; only in the second: {list(missing)[:5]}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def remote_select(query: str, endpoint: str, timeout: float = 30) -> QueryResult:
    """A SELECT query POSTed to a SPARQL 1.1 query endpoint, its JSON results as a QueryResult."""
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(endpoint, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        solutions = ox.parse_query_results(response.read(), ox.QueryResultsFormat.JSON)
    names = [v.value for v in solutions.variables]
    return QueryResult(names, [{n: to_rdflib(s[n]) for n in names} for s in solutions])
