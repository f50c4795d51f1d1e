"""RDF terms across the two libraries: rdflib's terms and pyoxigraph's, and a total order on triples.

This is the one place that converts between the two; everything else hands terms through here."""

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kfor_graph.errors import QueryError


def triple_key(triple) -> tuple[str, ...]:
    """A total order on triples (terms of different kinds do not compare in rdflib)."""
    return tuple(term.n3() for term in triple)


def to_oxigraph(term: Node):
    """An rdflib term as a pyoxigraph term. Raises ValueError for a term Oxigraph refuses (an IRI
    with a space, a malformed language tag)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    if term.language:
        return ox.Literal(term, language=term.language)
    return ox.Literal(term, datatype=ox.NamedNode(term.datatype)) if term.datatype else ox.Literal(term)


def to_quads(triples, graph: str | None = None):
    """rdflib triples as pyoxigraph quads, in the named graph `graph` (else the default graph)."""
    name = ox.NamedNode(graph) if graph is not None else ox.DefaultGraph()
    return (ox.Quad(*map(to_oxigraph, triple), name) for triple in triples)


def to_rdflib(term) -> Node | None:
    """A pyoxigraph term (or None for unbound) as the rdflib term it stands for."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        # A simple literal is xsd:string in Oxigraph (RDF 1.1) but has no datatype in rdflib's results.
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    raise QueryError(f"cannot represent {term} in rdflib")
