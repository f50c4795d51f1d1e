"""Serialise the graph to the published formats, byte for byte the same for the same input."""

import json
from functools import cached_property

import pyoxigraph as ox
from rdflib import OWL, RDF, Graph, URIRef

from kfor_graph.errors import InputError
from kfor_graph.fmt import canonical_blank_nodes
from kfor_graph.load import as_store, graph_of, store_prefixes
from kfor_graph.namespaces import KFOR, NAMED_GRAPHS, ONTOLOGY_GRAPH, VOCABULARIES
from kfor_graph.terms import to_oxigraph

# format name -> file name in dist/
FORMATS = {
    "ttl": "kfor.ttl",
    "nt": "kfor.nt",
    "nq": "kfor.nq",
    "trig": "kfor.trig",
    "xml": "kfor.rdf",
    "jsonld": "kfor.jsonld",
}
NAMED_FORMATS = ("nq", "trig")  # the formats that keep the named graphs
CONTEXT_FILE = "context.jsonld"

_PREFIX_NAMES = set(VOCABULARIES) | {"kfor"}  # never shadowed by a term's short key


def serialize(graphs, fmt: str) -> bytes:
    """The graph in one of FORMATS, from an Oxigraph store of the named graphs (load.load_graphs)
    or an rdflib Dataset. ttl, nt, xml and jsonld hold the union of the ontology, data and
    inferred graphs; trig and nq keep the three named graphs."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})")
    return _Views(as_store(graphs)).serialize(fmt)


class _Views:
    """The two shapes of the graph the serialisers need, each made once and only when needed: the
    N-Triples lines of each named graph in the dumps' order, and the union's lines."""

    def __init__(self, store: ox.Store):
        self.store = store

    @cached_property
    def lines(self) -> dict[str, list[bytes]]:
        return {iri: _ordered_lines(self.store, iri) for iri in NAMED_GRAPHS}

    @cached_property
    def union(self) -> list[bytes]:
        """The graphs' lines, each triple once, in the graphs' order."""
        return list(dict.fromkeys(line for iri in NAMED_GRAPHS for line in self.lines[iri]))

    @cached_property
    def context(self) -> dict:
        return context(graph_of(self.store, ONTOLOGY_GRAPH))

    @cached_property
    def prefixes(self) -> dict[str, str]:
        return store_prefixes(self.store)

    def quads_text(self) -> bytes:
        """N-Quads of the three named graphs, in the dumps' order."""
        # Each N-Triples line ends in " .\n": the graph's name goes before it.
        return b"".join(line[:-3] + b" <%s> .\n" % iri.encode() for iri in NAMED_GRAPHS for line in self.lines[iri])

    def serialize(self, fmt: str) -> bytes:
        if fmt in NAMED_FORMATS:
            text = self.quads_text()
            if fmt == "nq":
                return _sorted_bytes(text)
            return ox.serialize(ox.parse(text, ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=self.prefixes)
        text = b"".join(self.union)
        if fmt == "nt":
            return _sorted_bytes(text)
        triples = (q.triple for q in ox.parse(text, ox.RdfFormat.N_TRIPLES))
        prefixes = None if fmt == "jsonld" else self.prefixes
        return ox.serialize(triples, format=OXIGRAPH_FORMATS[fmt], prefixes=prefixes)


# Written by Oxigraph's serialisers (50-100 times faster than rdflib's), from triples in a fixed order:
# a graph's owl:Ontology header first, then by subject, predicate (rdf:type first) and object.
# JSON-LD is Oxigraph's too: expanded (full IRIs, no context), one node object per subject.
OXIGRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_TYPE = b"<" + str(RDF.type).encode() + b">"


def _ordered_lines(store: ox.Store, iri: str) -> list[bytes]:
    """One named graph as N-Triples lines: a graph's owl:Ontology header first, then by subject,
    predicate (rdf:type first) and object, each term compared by its N-Triples text. A graph with
    blank nodes gets content-determined labels first (they are few: the ontology's)."""
    graph = ox.NamedNode(iri)
    text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    if b"_:" in text and any(
        isinstance(t, ox.BlankNode) for q in store.quads_for_pattern(None, None, None, graph) for t in q
    ):
        triples = canonical_blank_nodes(graph_of(store, iri))
        text = ox.serialize((ox.Triple(*map(to_oxigraph, t)) for t in triples), format=ox.RdfFormat.N_TRIPLES)
    headers = {
        str(q.subject).encode()
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF.type), ox.NamedNode(OWL.Ontology), graph)
    }

    def key(line: bytes) -> bytes:
        # One bytes key: no term's text holds a space, so "flag subject flag predicate object" sorts
        # as the tuple (not header, subject, not rdf:type, predicate, object) would.
        s, p, rest = line.split(b" ", 2)
        return b"%d%s %d%s %s" % (s not in headers, s, p != _TYPE, p, rest)

    lines = text.splitlines(keepends=True)
    lines.sort(key=key)
    return lines


def _sorted_bytes(text: bytes) -> bytes:
    """A line-based format as sorted lines (byte order), each ending in a newline."""
    lines = text.splitlines()
    lines.sort()
    lines.append(b"")
    return b"\n".join(lines)


# --- JSON-LD ---------------------------------------------------------------------------------


def context(ontology: Graph) -> dict:
    """The JSON-LD context: prefixes of the standard vocabularies and `kfor:`, and a short key for
    each term the ontology defines in the kfor: namespace (object properties take IRIs as values).
    A local name that would shadow a prefix keeps its prefixed form."""
    terms: dict[str, object] = {prefix: namespace for prefix, namespace in VOCABULARIES.items()}
    terms["kfor"] = KFOR
    object_properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    for term in sorted(set(ontology.subjects())):
        name = term[len(KFOR) :] if isinstance(term, URIRef) and term.startswith(KFOR) else ""
        if not name.isidentifier() or name in _PREFIX_NAMES:
            continue
        if term in object_properties:
            terms[name] = {"@id": f"kfor:{name}", "@type": "@id"}
        else:
            terms[name] = f"kfor:{name}"
    return {"@context": dict(sorted(terms.items()))}


def dump_json(document) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


# --- dumps -----------------------------------------------------------------------------------


def iter_dumps(graphs):
    """Every dump file as (name, content), serialised one at a time: the six formats and
    context.jsonld (the context for reading the data with short names; the JSON-LD dump is expanded)."""
    views = _Views(as_store(graphs))
    for fmt in FORMATS:
        yield FORMATS[fmt], views.serialize(fmt)
    yield CONTEXT_FILE, dump_json(views.context)
