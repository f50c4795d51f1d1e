"""Serialise the graph to the published formats, byte for byte the same for the same input."""

import json
from functools import cached_property

import pyoxigraph as ox
from rdflib import OWL, RDF, BNode, Dataset, Graph, URIRef

from kfor_graph.errors import InputError
from kfor_graph.fmt import canonical_blank_nodes, fixed_graph
from kfor_graph.namespaces import KFOR, NAMED_GRAPHS, ONTOLOGY_GRAPH, VOCABULARIES, prefixes_for
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


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in one of FORMATS. ttl, nt, xml and jsonld hold the union of the ontology, data
    and inferred graphs; trig and nq keep the three named graphs."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})")
    return _Views(dataset).serialize(fmt)


class _Views:
    """The two shapes of the dataset the serialisers need, each made once and only when needed."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    @cached_property
    def union(self) -> Graph:
        return fixed_graph(t for iri in NAMED_GRAPHS for t in self.dataset.graph(iri))

    @cached_property
    def context(self) -> dict:
        return context(self.dataset.graph(ONTOLOGY_GRAPH))

    @cached_property
    def quads(self) -> list:
        """The two named graphs as sorted pyoxigraph quads, for Oxigraph's serialisers."""
        return _sorted_quads(self.dataset)

    @cached_property
    def union_triples(self) -> list:
        """The quads' triples, each once (the union of the graphs), in the quads' order."""
        return list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in self.quads))

    @cached_property
    def prefixes(self) -> dict[str, str]:
        return prefixes_for(t for iri in NAMED_GRAPHS for t in self.dataset.graph(iri))

    def serialize(self, fmt: str) -> bytes:
        if fmt in NAMED_FORMATS:
            text = ox.serialize(
                self.quads, format=OXIGRAPH_FORMATS[fmt], prefixes=self.prefixes if fmt == "trig" else None
            )
            return _sorted_bytes(text) if fmt == "nq" else text
        if fmt in OXIGRAPH_FORMATS:
            text = ox.serialize(
                self.union_triples, format=OXIGRAPH_FORMATS[fmt], prefixes=None if fmt == "nt" else self.prefixes
            )
            return _sorted_bytes(text) if fmt == "nt" else text
        return to_jsonld(self.union, self.context)


# Written by Oxigraph's serialisers (50-100 times faster than rdflib's), from quads in a fixed order: a
# graph's owl:Ontology header first, then by subject, predicate (rdf:type first) and object. JSON-LD stays rdflib's,
# compacted with the published context.
OXIGRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
}


def _sorted_quads(dataset: Dataset) -> list:
    """Both named graphs as pyoxigraph quads with content-determined blank node labels, sorted."""
    convert, quads = {}, []

    def term(t):
        try:
            return convert[t]
        except KeyError:
            convert[t] = value = to_oxigraph(t)
            return value

    for iri in NAMED_GRAPHS:
        source, graph = dataset.graph(iri), ox.NamedNode(iri)
        has_blank = any(isinstance(t, BNode) for triple in source for t in triple)
        headers = set(source.subjects(RDF.type, OWL.Ontology))
        triples = canonical_blank_nodes(source) if has_blank else source
        keyed = [((s not in headers, s.n3(), p != RDF.type, p.n3(), o.n3()), (s, p, o)) for s, p, o in triples]
        keyed.sort(key=lambda pair: pair[0])
        quads += [ox.Quad(term(s), term(p), term(o), graph) for _, (s, p, o) in keyed]
    return quads


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


def to_jsonld(graph: Graph, context_document: dict) -> bytes:
    """Compacted JSON-LD with the context inline, so the file reads on its own; the same context is
    published as context.jsonld. rdflib lists nodes in set order, so they are sorted by @id."""
    text = graph.serialize(format="json-ld", context=context_document["@context"], encoding="utf-8")
    document = json.loads(text)
    if "@graph" in document:
        document["@graph"].sort(key=lambda node: str(node.get("@id", "")))
    return dump_json(document)


def dump_json(document) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


# --- dumps -----------------------------------------------------------------------------------


def iter_dumps(dataset: Dataset):
    """Every dump file as (name, content), serialised one at a time: the six formats and
    context.jsonld. Oxigraph's formats come first, so that their sorted quads are freed before
    JSON-LD's rdflib copy of the union is made."""
    views = _Views(dataset)
    for fmt in sorted(FORMATS, key=lambda fmt: fmt not in OXIGRAPH_FORMATS):
        if fmt not in OXIGRAPH_FORMATS:
            views.__dict__.pop("quads", None)
            views.__dict__.pop("union_triples", None)
        yield FORMATS[fmt], views.serialize(fmt)
    yield CONTEXT_FILE, dump_json(views.context)
