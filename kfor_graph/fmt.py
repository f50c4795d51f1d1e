"""How the project writes Turtle: one fixed set of prefixes and one canonical form.

`kfor-graph format` rewrites ontology/ and data/ files in this form, so diffs stay small; export.py
uses the same graphs and prefixes for the published dumps.
"""

import io
import re
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.turtle import TurtleSerializer

from kfor_graph import resources
from kfor_graph.errors import InputError

KFOR = "https://w3id.org/kfor/ontology/"
ID_BASE = "https://w3id.org/kfor/id/"
CONCEPT_BASE = ID_BASE + "concept/"

# Standard vocabularies, by their usual prefixes.
VOCABULARIES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sosa": "http://www.w3.org/ns/sosa/",
    "time": "http://www.w3.org/2006/time#",
    "oa": "http://www.w3.org/ns/oa#",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# One prefix per kind of instance IRI (CONTRIBUTING.md). The kind `time` is `kfortime:` because
# `time:` is OWL-Time.
ID_KINDS = [
    "organisation", "unit", "post", "term", "person", "country", "place", "site", "instrument",
    "event", "observation", "source", "tasking", "time", "claim", "quote", "selector",
]
ID_PREFIXES = {("kfortime" if k == "time" else k): f"{ID_BASE}{k}/" for k in ID_KINDS}

PREFIXES = {
    **VOCABULARIES,
    "kfor": KFOR,
    "shapes": "https://w3id.org/kfor/shapes/",
    "concept": CONCEPT_BASE,
    **ID_PREFIXES,
}

_PREFIX_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def prefixes_for(triples) -> dict[str, str]:
    """PREFIXES plus one prefix per SKOS concept scheme found in the triples' IRIs
    (`rank:` for https://w3id.org/kfor/id/concept/rank/), where the scheme's name is free."""
    found = dict(PREFIXES)
    schemes = set()
    for s, p, o in triples:
        for term in (s, o):
            if isinstance(term, URIRef) and term.startswith(CONCEPT_BASE):
                scheme, slash, _ = term[len(CONCEPT_BASE):].partition("/")
                if slash:
                    schemes.add(scheme)
    for scheme in sorted(schemes):
        if _PREFIX_NAME.match(scheme) and scheme not in found:
            found[scheme] = f"{CONCEPT_BASE}{scheme}/"
    return found


def compact(iri: URIRef) -> str | None:
    """`prefix:local` for an IRI in one of PREFIXES' namespaces (the longest that fits), else None."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        local = iri[len(namespace):]
        if iri.startswith(namespace) and local and not set(local) & set("/#?"):
            return f"{prefix}:{local}"
    return None


def triple_key(triple) -> tuple[str, ...]:
    """A total order on triples (terms of different kinds do not compare in rdflib)."""
    return tuple(term.n3() for term in triple)


def fixed_graph(triples, prefixes: dict[str, str] | None = None) -> Graph:
    """A graph whose iteration order depends only on its content, never on PYTHONHASHSEED.

    rdflib's default store keeps triples in sets; "SimpleMemory" keeps them in dicts, so inserting
    them sorted fixes the order. Blank nodes get labels computed from the graph's structure so
    that their order (and N-Triples labels) are stable too. All prefixes are bound up front,
    because a serializer that invents `ns1:` names numbers them in the order it meets them."""
    triples = canonical_blank_nodes(triples)
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for triple in sorted(triples, key=triple_key):
        graph.add(triple)
    bind_prefixes(graph, prefixes or prefixes_for(graph))
    return graph


def canonical_blank_nodes(triples) -> set:
    """The triples, with blank node labels computed from the graph's structure (RDFC-style)."""
    triples = set(triples)
    blank = {t for t in triples if any(isinstance(term, BNode) for term in t)}
    if blank:  # canonical labels depend on the blank nodes' neighbourhoods only
        triples = (triples - blank) | set(to_canonical_graph(_plain_graph(blank)))
    return triples


def _plain_graph(triples) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def bind_prefixes(graph: Graph, prefixes: dict[str, str]) -> None:
    """Bind `prefixes`, then a numbered `nsN:` prefix for each other namespace that a serializer
    must abbreviate (predicates, classes), in sorted order."""
    for prefix, namespace in sorted(prefixes.items()):
        graph.bind(prefix, URIRef(namespace), override=True, replace=True)
    terms = set(graph.predicates()) | {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
    for term in sorted(terms):
        try:
            graph.namespace_manager.compute_qname(term, generate=True)
        except ValueError:  # no namespace can be split off: written as a full IRI
            pass


class CanonicalTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle serializer with the ontology header first, then rdfs:Class members, then every
    other subject in rdflib's order (sorted)."""

    topClasses = [OWL.Ontology, RDFS.Class]


def to_turtle(graph: Graph) -> bytes:
    buffer = io.BytesIO()
    CanonicalTurtleSerializer(graph).serialize(buffer, encoding="utf-8")
    return buffer.getvalue()


def canonical_turtle(path: Path) -> bytes:
    """The canonical Turtle text of one file."""
    from kfor_graph.load import parse_turtle  # imported here: load.py imports this module

    return to_turtle(fixed_graph(parse_turtle(path)))


def format_files(paths: list[Path], check: bool = False) -> list[Path]:
    """Rewrite each file in canonical form (or, with `check`, only report it). Returns the files
    that were not in canonical form."""
    from kfor_graph.export import write_atomic  # imported here: export.py imports this module

    changed = []
    for path in paths:
        text = canonical_turtle(path)
        if Path(path).read_bytes() != text:
            changed.append(Path(path))
            if not check:
                write_atomic(Path(path), text)
    return changed


def default_format_paths(root: Path) -> list[Path]:
    """data/**/*.ttl under `root`. The ontology and shapes stay hand-ordered, in commented sections
    that a reader follows; the data is many small records whose diffs stay small only when sorted."""
    base = Path(root)
    files = resources.data_files(base)
    if not files:
        raise InputError(f"no Turtle files in {base}/data")
    return files
