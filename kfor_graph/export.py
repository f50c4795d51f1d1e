"""Serialise the graph to the published formats, byte for byte the same for the same input."""

import io
import json
from functools import cached_property

from rdflib import OWL, RDF, BNode, Dataset, Graph, URIRef
from rdflib.plugins.serializers.trig import TrigSerializer

from kfor_graph.errors import InputError
from kfor_graph.fmt import CanonicalTurtleSerializer, bind_prefixes, canonical_blank_nodes, fixed_graph
from kfor_graph.namespaces import KFOR, NAMED_GRAPHS, ONTOLOGY_GRAPH, VOCABULARIES, prefixes_for

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
    def named(self) -> Dataset:
        return _named_dataset(self.dataset)

    @cached_property
    def context(self) -> dict:
        return context(self.dataset.graph(ONTOLOGY_GRAPH))

    def serialize(self, fmt: str) -> bytes:
        if fmt == "trig":
            return _serialize_with(_SortedTrigSerializer, self.named)
        if fmt == "nq":
            return sorted_lines(self.named, "nquads")
        if fmt == "ttl":
            return _serialize_with(CanonicalTurtleSerializer, self.union)
        if fmt == "nt":
            return sorted_lines(self.union, "nt")
        if fmt == "xml":
            return self.union.serialize(format="xml", encoding="utf-8")
        return to_jsonld(self.union, self.context)


def sorted_lines(graph: Graph, fmt: str) -> bytes:
    """N-Triples or N-Quads, which come out in hash order: a line-based format can simply be sorted.
    The lines are split off the serialisation and sorted in place, and no more copies are made: at
    a million triples each is 200 MB."""
    lines = [line for line in graph.serialize(format=fmt, encoding="utf-8").splitlines() if line.strip()]
    lines.sort()
    lines.append(b"")  # the last line's newline
    return b"\n".join(lines)


class _SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG serializer, writing the named graphs in IRI order (rdflib keeps them in a set)."""

    topClasses = CanonicalTurtleSerializer.topClasses  # noqa: N815 (rdflib's name)

    def preprocess(self):
        self.contexts.sort(key=lambda graph: str(graph.identifier))
        super().preprocess()


def _named_dataset(dataset: Dataset) -> Dataset:
    """A copy of the two named graphs, each with content-determined blank node labels, and the
    prefixes. Straight into the copy, without a fixed_graph() on the way: at a million triples that
    intermediate graph cost 1.6 GiB, and the serialisers of nq and trig sort their output anyway."""
    copy = Dataset()
    everything = (t for iri in NAMED_GRAPHS for t in dataset.graph(iri))
    prefixes = prefixes_for(everything)
    for iri in NAMED_GRAPHS:
        graph, source = copy.graph(iri), dataset.graph(iri)
        has_blank = any(isinstance(term, BNode) for triple in source for term in triple)
        copy.addN((s, p, o, graph) for s, p, o in (canonical_blank_nodes(source) if has_blank else source))
    bind_prefixes(copy, prefixes)
    return copy


def _serialize_with(serializer_class, graph) -> bytes:
    buffer = io.BytesIO()
    serializer_class(graph).serialize(buffer, encoding="utf-8")
    return buffer.getvalue()


# --- JSON-LD ---------------------------------------------------------------------------------


def context(ontology: Graph) -> dict:
    """The JSON-LD context: prefixes of the standard vocabularies and `kfor:`, and a short key for
    each term the ontology defines in the kfor: namespace (object properties take IRIs as values).
    A local name that would shadow a prefix keeps its prefixed form."""
    terms: dict[str, object] = {prefix: namespace for prefix, namespace in VOCABULARIES.items()}
    terms["kfor"] = KFOR
    object_properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    for term in sorted(set(ontology.subjects())):
        name = term[len(KFOR):] if isinstance(term, URIRef) and term.startswith(KFOR) else ""
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
    context.jsonld. The formats of the named graphs come first, so that their copy of the dataset
    is freed before the union's copy is made (at a million triples, each is about a GiB)."""
    views = _Views(dataset)
    for fmt in sorted(FORMATS, key=lambda fmt: fmt not in NAMED_FORMATS):
        if fmt not in NAMED_FORMATS:
            views.__dict__.pop("named", None)
        yield FORMATS[fmt], views.serialize(fmt)
    yield CONTEXT_FILE, dump_json(views.context)
