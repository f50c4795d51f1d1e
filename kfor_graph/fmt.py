"""How the project writes Turtle: one canonical form, byte for byte the same for the same triples.

`kfor-graph format` rewrites the data/ files in this form, so diffs stay small; export.py uses the
same graphs and prefixes for the published dumps.
"""

import io
import stat
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.turtle import TurtleSerializer

from kfor_graph import resources
from kfor_graph.errors import InputError
from kfor_graph.files import write_atomic
from kfor_graph.load import parse_turtle
from kfor_graph.namespaces import prefixes_for
from kfor_graph.terms import triple_key


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

    topClasses = [OWL.Ontology, RDFS.Class]  # noqa: N815 (rdflib's name)


def to_turtle(graph: Graph) -> bytes:
    buffer = io.BytesIO()
    CanonicalTurtleSerializer(graph).serialize(buffer, encoding="utf-8")
    return buffer.getvalue()


def canonical_turtle(path: Path) -> bytes:
    """The canonical Turtle text of one file."""
    return to_turtle(fixed_graph(parse_turtle(path)))


def format_files(paths: list[Path], check: bool = False) -> list[Path]:
    """Rewrite each file in canonical form (or, with `check`, only report it). Returns the files
    that were not in canonical form.

    Every file is read and formatted before the first is written, so one that does not parse stops
    the command with nothing changed. A file keeps its mode, and a symlink stays a symlink: the file
    it points to is rewritten."""
    texts = {Path(path): canonical_turtle(path) for path in paths}
    changed = [path for path, text in texts.items() if path.read_bytes() != text]
    if not check:
        for path in changed:
            target = path.resolve()
            write_atomic(target, texts[path], mode=stat.S_IMODE(target.stat().st_mode))
    return changed


def default_format_paths(root: Path) -> list[Path]:
    """data/**/*.ttl under `root`. The ontology and shapes stay hand-ordered, in commented sections
    that a reader follows; the data is many small records whose diffs stay small only when sorted."""
    base = Path(root)
    files = resources.data_files(base)
    if not files:
        raise InputError(f"no Turtle files in {base}/data")
    return files
