"""Load the project's Turtle files into one rdflib Dataset with two named graphs."""

from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from kfor_graph import resources
from kfor_graph.errors import InputError
from kfor_graph.fmt import prefixes_for, triple_key
from kfor_graph.infer import INFERRED_GRAPH, inferred_triples

ONTOLOGY_GRAPH = URIRef("https://w3id.org/kfor/graph/ontology")
DATA_GRAPH = URIRef("https://w3id.org/kfor/graph/data")


def parse_turtle(path: Path | str) -> Graph:
    """Parse one Turtle file; any failure becomes an InputError naming the file (and line)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise InputError(f"{path}:{exc.lines + 1}: bad syntax: {exc._why}") from None
    except Exception as exc:  # rdflib's parser raises a few other types (AssertionError, ValueError...)
        message = " ".join(str(exc).split())
        raise InputError(f"{path}: bad syntax: {message}") from None
    return graph


def expand_paths(paths: list[Path | str]) -> list[Path]:
    """Files stay as given; a folder stands for every .ttl file under it."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(resources.turtle_files(path))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def load_ontology(root: Path | str | None = None) -> Graph:
    """The project's ontology (shapes excluded) as one graph."""
    return _sorted_graph(t for path in _ontology_files(root) for t in parse_turtle(path))


def _ontology_files(root) -> list[Path]:
    files = resources.ontology_files(root)
    if not files:
        raise InputError(f"no ontology found: {resources.project_root(root) / 'ontology'} has no .ttl file")
    return files


def load_dataset(paths: list[Path | str] | None = None, root: Path | str | None = None,
                 infer: bool = True) -> Dataset:
    """The ontology (always the project's, shapes excluded) in the ontology graph, the data in the
    data graph: `paths` (files or folders of .ttl) if given, else the project's data/ folder; and,
    unless `infer` is false, what the ontology's hierarchy and inverses add to the data in the
    inferred graph (kfor_graph.infer).

    The default graph is the union of them, so SPARQL queries see everything."""
    ontology_files = _ontology_files(root)
    if paths is None:
        data_files = resources.data_files(root)
        if not data_files:
            raise InputError(f"no data found: {resources.project_root(root) / 'data'} has no .ttl file")
    else:
        data_files = expand_paths(paths)

    dataset = Dataset(default_union=True)
    for iri, files in ((ONTOLOGY_GRAPH, ontology_files), (DATA_GRAPH, data_files)):
        triples = set()
        for path in files:
            triples.update(parse_turtle(path))
        # Sorted insertion: iteration over one subject's triples then follows file content, not hashing.
        dataset.addN((s, p, o, dataset.graph(iri)) for s, p, o in sorted(triples, key=triple_key))
    if infer:
        inferred = inferred_triples(dataset.graph(ONTOLOGY_GRAPH), dataset.graph(DATA_GRAPH))
        graph = dataset.graph(INFERRED_GRAPH)
        dataset.addN((s, p, o, graph) for s, p, o in sorted(inferred, key=triple_key))
    everything = (t for iri in (ONTOLOGY_GRAPH, DATA_GRAPH) for t in dataset.graph(iri))
    for prefix, namespace in prefixes_for(everything).items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def named_graph(dataset: Dataset, iri: URIRef) -> Graph:
    """A standalone copy of one named graph."""
    return _sorted_graph(dataset.graph(iri))


def union_graph(dataset: Dataset) -> Graph:
    """A standalone copy of the ontology, data and inferred graphs together."""
    return _sorted_graph(t for iri in (ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH) for t in dataset.graph(iri))


def _sorted_graph(triples) -> Graph:
    """A plain graph (rdflib's default store, which pySHACL and pyLODE need) with the project's
    prefixes. For byte-stable output, serialise fmt.fixed_graph(...) of it instead."""
    triples = sorted(set(triples), key=triple_key)
    graph = Graph()
    for prefix, namespace in prefixes_for(triples).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph
