"""Serialise the graph to the published formats, byte for byte the same for the same input."""

import io
import json
import os
import tempfile
from functools import cached_property
from pathlib import Path

from rdflib import OWL, RDF, Dataset, Graph, URIRef
from rdflib.plugins.serializers.trig import TrigSerializer

from kfor_graph.errors import InputError
from kfor_graph.fmt import KFOR, VOCABULARIES, CanonicalTurtleSerializer, fixed_graph, prefixes_for
from kfor_graph.load import DATA_GRAPH, ONTOLOGY_GRAPH

# format name -> file name in dist/
FORMATS = {
    "ttl": "kfor.ttl",
    "nt": "kfor.nt",
    "nq": "kfor.nq",
    "trig": "kfor.trig",
    "xml": "kfor.rdf",
    "jsonld": "kfor.jsonld",
}
CONTEXT_FILE = "context.jsonld"
NAMED_GRAPHS = (ONTOLOGY_GRAPH, DATA_GRAPH)

_PREFIX_NAMES = set(VOCABULARIES) | {"kfor"}  # never shadowed by a term's short key


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in one of FORMATS. ttl, nt, xml and jsonld hold the union of the ontology and data
    graphs; trig and nq keep the two named graphs."""
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
            return sorted_lines(self.named.serialize(format="nquads", encoding="utf-8"))
        if fmt == "ttl":
            return _serialize_with(CanonicalTurtleSerializer, self.union)
        if fmt == "nt":
            return sorted_lines(self.union.serialize(format="nt", encoding="utf-8"))
        if fmt == "xml":
            return self.union.serialize(format="xml", encoding="utf-8")
        return to_jsonld(self.union, self.context)


def sorted_lines(text: bytes) -> bytes:
    """N-Triples and N-Quads come out in hash order; a line-based format can simply be sorted."""
    lines = sorted(line for line in text.splitlines() if line.strip())
    return b"".join(line + b"\n" for line in lines)


class _SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG serializer, writing the named graphs in IRI order (rdflib keeps them in a set)."""

    topClasses = CanonicalTurtleSerializer.topClasses

    def preprocess(self):
        self.contexts.sort(key=lambda graph: str(graph.identifier))
        super().preprocess()


def _named_dataset(dataset: Dataset) -> Dataset:
    """A copy of the two named graphs, each with content-determined blank node labels and prefixes."""
    copy = Dataset()
    everything = (t for iri in NAMED_GRAPHS for t in dataset.graph(iri))
    prefixes = prefixes_for(everything)
    for iri in NAMED_GRAPHS:
        graph = fixed_graph(dataset.graph(iri), prefixes)
        copy.addN((s, p, o, copy.graph(iri)) for s, p, o in graph)
        for prefix, namespace in graph.namespaces():
            copy.bind(prefix, namespace, override=True, replace=True)
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


# --- files -----------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    path = Path(path)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def dumps(dataset: Dataset) -> dict[str, bytes]:
    """Every dump file's name and content: the six formats and context.jsonld."""
    views = _Views(dataset)
    # The formats of the named graphs first, so their copy of the dataset is freed before the
    # union's copy is made: at a million triples each copy is about a GiB.
    named_first = sorted(FORMATS, key=lambda fmt: fmt not in ("nq", "trig"))
    serialized = {}
    for fmt in named_first:
        if fmt not in ("nq", "trig"):
            views.__dict__.pop("named", None)
        serialized[fmt] = views.serialize(fmt)
    files = {name: serialized[fmt] for fmt, name in FORMATS.items()}
    files[CONTEXT_FILE] = dump_json(views.context)
    return files


def write_files(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write each file atomically. Everything is serialised before this is called, so a failing
    serialiser leaves the folder as it was."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        write_atomic(out_dir / name, data)
        written.append(out_dir / name)
    return written
