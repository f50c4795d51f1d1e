"""Load the project's Turtle files into one rdflib Dataset with two named graphs, or into an Oxigraph store.

The data files are parsed by Oxigraph (pyoxigraph), about 15 times faster than rdflib's Turtle parser,
and its terms turned into rdflib's where the rdflib API is needed (load_dataset); load_store keeps them
in Oxigraph, for the oxigraph validation engine. The small files (shapes, ontology through
load_ontology, `kfor-graph format`) keep parse_turtle: rdflib's parser, checked by Oxigraph's."""

import logging
import re
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from kfor_graph import resources
from kfor_graph.errors import InputError
from kfor_graph.infer import axioms, inferred_triples, relevant, rule_updates, rules, transitive
from kfor_graph.namespaces import (
    CONCEPT_BASE,
    DATA_GRAPH,
    INFERRED_GRAPH,
    NAMED_GRAPHS,
    ONTOLOGY_GRAPH,
    RDF,
    prefixes_for,
)
from kfor_graph.terms import to_quads, to_rdflib, triple_key


def parse_turtle(path: Path | str) -> Graph:
    """Parse one Turtle file; any failure becomes one InputError naming the file (and line).

    rdflib reads the file; Oxigraph then reads it too, and refuses what rdflib lets through but no
    store takes (an IRI with a space, a malformed language tag), with its line. rdflib's own
    warnings are not printed: the error says what is wrong."""
    path = Path(path)
    text = _read(path)
    base = path.resolve().as_uri()
    graph = Graph()
    try:
        with _quiet_rdflib():
            graph.parse(data=text, format="turtle", publicID=base)
    except BadSyntax as exc:
        raise InputError(f"{path}:{exc.lines + 1}: bad syntax: {exc._why}") from None
    except RecursionError:  # nesting deeper than rdflib's recursive parser can follow: Oxigraph's triples
        return _oxigraph_graph(path, text, base)
    except Exception as exc:  # rdflib's parser raises a few other types (AssertionError, ValueError...)
        raise InputError(f"{path}: bad syntax: {' '.join(str(exc).split())}") from None
    _oxigraph_quads(path, text, base)  # what no store would take, with its line
    return graph


def _read(path: Path) -> str:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():  # a FIFO or a device would block the read, or never end
        raise InputError(f"{path}: not a regular file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: cannot read: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


@contextmanager
def _quiet_rdflib():
    """rdflib logs warnings (with tracebacks) for terms it doubts, e.g. an impossible xsd:date; the
    shapes report those as violations, in one place."""
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _oxigraph_quads(path: Path, text: str, base: str) -> list:
    try:
        return list(ox.parse(text, ox.RdfFormat.TURTLE, base_iri=base))
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from None


def _syntax_error(path: Path, exc: SyntaxError) -> InputError:
    """Oxigraph's parse error as one line with the file and line ("Parser error at line N...: " dropped)."""
    message = re.sub(r"^Parser error (at|between) line [^:]*: ", "", " ".join(exc.msg.split()))
    return InputError(f"{path}:{exc.lineno}: bad syntax: {message}")


def read_turtle(path: Path | str) -> list:
    """Parse one Turtle file with Oxigraph alone: its triples as pyoxigraph quads in the default
    graph. Any failure becomes an InputError naming the file and line."""
    path = Path(path)
    return _oxigraph_quads(path, _read(path), path.resolve().as_uri())


class Terms:
    """pyoxigraph terms as rdflib terms (terms.to_rdflib), each converted once: IRIs and many literals
    repeat."""

    def __init__(self):
        self.cache = {}

    def __call__(self, term):
        try:
            return self.cache[term]
        except KeyError:
            self.cache[term] = value = to_rdflib(term)
            return value

    def triples(self, quads):
        return ((self(q.subject), self(q.predicate), self(q.object)) for q in quads)


def _oxigraph_graph(path: Path, text: str, base: str) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in Terms().triples(_oxigraph_quads(path, text, base)))
    return graph


def expand_paths(paths: list[Path | str]) -> list[Path]:
    """Files stay as given; a folder stands for every .ttl file under it, and must hold one."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            found = resources.turtle_files(path)
            if not found:
                raise InputError(f"{path}: no .ttl file in this folder")
            files.extend(found)
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


def _data_files(paths, root) -> list[Path]:
    """`paths` (files, and folders standing for their .ttl files), else the project's data/ folder."""
    if paths is not None:
        return expand_paths(paths)
    files = resources.data_files(root)
    if not files:
        raise InputError(f"no data found: {resources.project_root(root) / 'data'} has no .ttl file")
    return files


def load_dataset(
    paths: list[Path | str] | None = None, root: Path | str | None = None, allow_empty: bool = False, infer: bool = True
) -> Dataset:
    """The ontology (always the project's, shapes excluded) in the ontology graph, the data in the
    data graph: `paths` (files or folders of .ttl) if given, else the project's data/ folder; and,
    unless `infer` is false, what the ontology's hierarchy and inverses add to the data in the
    inferred graph (kfor_graph.infer). Data without a single triple is refused unless `allow_empty`:
    it is a mistake far more often than not.

    The default graph is the union of them, so SPARQL queries see everything."""
    ontology_files, data_files = _ontology_files(root), _data_files(paths, root)

    dataset = Dataset(default_union=True)
    terms = Terms()
    for iri, files in ((ONTOLOGY_GRAPH, ontology_files), (DATA_GRAPH, data_files)):
        triples = set()
        for path in files:
            with _quiet_rdflib():  # rdflib's warnings on doubtful literals: the shapes report those
                triples.update(terms.triples(read_turtle(path)))
        # Sorted insertion: iteration over one subject's triples then follows file content, not hashing.
        if iri == DATA_GRAPH and not triples and not allow_empty:
            raise InputError(f"no data: {', '.join(map(str, files))} hold(s) no triple")
        dataset.addN((s, p, o, dataset.graph(iri)) for s, p, o in sorted(triples, key=triple_key))
    if infer:  # as load_graphs infers, on an Oxigraph copy of what can imply something
        store = _inference_copy(dataset)
        add_inferred(store)
        inferred = set(terms.triples(store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH))))
        graph = dataset.graph(INFERRED_GRAPH)
        dataset.addN((s, p, o, graph) for s, p, o in sorted(inferred, key=triple_key))
    everything = (t for iri in NAMED_GRAPHS for t in dataset.graph(iri))
    for prefix, namespace in prefixes_for(everything).items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def load_store(
    paths: list[Path | str] | None = None, root: Path | str | None = None, allow_empty: bool = False
) -> ox.Store:
    """The files load_dataset reads (ontology and data), all in the default graph of an in-memory
    Oxigraph store, without rdflib: what the oxigraph validation engine reads. Refuses data without
    a triple as load_dataset does."""
    ontology_files, data_files = _ontology_files(root), _data_files(paths, root)
    store = ox.Store()
    for path in ontology_files:
        _load_into(store, path)
    before = len(store)
    for path in data_files:
        _load_into(store, path)
    if len(store) == before and not allow_empty:
        raise InputError(f"no data: {', '.join(map(str, data_files))} hold(s) no triple")
    return store


def load_graphs(
    paths: list[Path | str] | None = None, root: Path | str | None = None, allow_empty: bool = False, infer: bool = True
) -> ox.Store:
    """What load_dataset gives, without rdflib: the ontology, the data and (unless `infer` is false)
    the inferred triples as the named graphs of an in-memory Oxigraph store. What build, export,
    stats and the default query engine read."""
    ontology_files, data_files = _ontology_files(root), _data_files(paths, root)
    store = ox.Store()
    for iri, files in ((ONTOLOGY_GRAPH, ontology_files), (DATA_GRAPH, data_files)):
        for path in files:
            _load_into(store, path, ox.NamedNode(iri))
    data = ox.NamedNode(DATA_GRAPH)
    if next(store.quads_for_pattern(None, None, None, data), None) is None and not allow_empty:
        raise InputError(f"no data: {', '.join(map(str, data_files))} hold(s) no triple")
    if infer:
        add_inferred(store)
    return store


def _inference_copy(dataset: Dataset) -> ox.Store:
    """The ontology and the data's types and triples of the properties the axioms name, in a store:
    all that the inferred graph depends on (kfor_graph.infer.relevant), at a fraction of the data."""
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    store = ox.Store()
    store.extend(to_quads(ontology, ONTOLOGY_GRAPH))
    store.extend(to_quads(relevant(dataset.graph(DATA_GRAPH), axioms(ontology)), DATA_GRAPH))
    return store


def add_inferred(store: ox.Store) -> None:
    """The inferred graph (kfor_graph.infer): the rules the reasoner finds for the axioms, applied by
    Oxigraph; with a transitive property, the reasoner given the data's types and links."""
    terms, data = Terms(), ox.NamedNode(DATA_GRAPH)
    given = axioms(terms.triples(store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_GRAPH))))
    if transitive(given):
        triples = terms.triples(store.quads_for_pattern(None, None, None, data))
        store.extend(to_quads(inferred_triples(given, triples), INFERRED_GRAPH))
        return
    graph = f"GRAPH <{DATA_GRAPH}>"
    classes = [
        terms(c) for (c,) in store.query(f"SELECT DISTINCT ?c WHERE {{ {graph} {{ ?s a ?c }} FILTER isIRI(?c) }}")
    ]
    properties = [terms(p) for (p,) in store.query(f"SELECT DISTINCT ?p WHERE {{ {graph} {{ ?s ?p ?o }} }}")]
    for update in rule_updates(*rules(given, classes, properties)):
        store.update(update)


def as_store(graphs: ox.Store | Dataset) -> ox.Store:
    """A store of the named graphs as load_graphs makes it; an rdflib Dataset is copied into one."""
    if isinstance(graphs, ox.Store):
        return graphs
    store = ox.Store()
    for iri in NAMED_GRAPHS:
        store.extend(to_quads(graphs.graph(iri), iri))
    return store


def graph_of(store: ox.Store, iri: str) -> Graph:
    """One named graph of the store as an rdflib Graph (for the small ones: the ontology)."""
    graph = Graph()
    graph.addN(
        (*triple, graph) for triple in Terms().triples(store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
    )
    return graph


def store_prefixes(store: ox.Store) -> dict[str, str]:
    """The prefixes load_dataset binds (namespaces.prefixes_for), for the IRIs in the store."""
    concepts = store.query(
        f"""SELECT DISTINCT ?iri WHERE {{ {{ ?iri ?p ?o }} UNION {{ ?s ?p ?iri }}
        FILTER (isIRI(?iri) && STRSTARTS(STR(?iri), "{CONCEPT_BASE}")) }}""",
        use_default_graph_as_union=True,
    )
    return prefixes_for((URIRef(row[0].value), RDF.type, RDF.type) for row in concepts)


def _load_into(store: ox.Store, path: Path, graph: ox.NamedNode | None = None) -> None:
    """Oxigraph parses the file straight into the store: no Python object per triple."""
    try:
        store.bulk_load(
            _read(path).encode("utf-8"), ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri(), to_graph=graph
        )
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from None


def named_graph(dataset: Dataset, iri: URIRef) -> Graph:
    """A standalone copy of one named graph."""
    return _sorted_graph(dataset.graph(iri))


def union_graph(dataset: Dataset) -> Graph:
    """A standalone copy of the ontology, data and inferred graphs together."""
    return _sorted_graph(t for iri in NAMED_GRAPHS for t in dataset.graph(iri))


def _sorted_graph(triples) -> Graph:
    """A plain graph (rdflib's default store, which pySHACL and pyLODE need) with the project's
    prefixes. For byte-stable output, serialise fmt.fixed_graph(...) of it instead."""
    triples = sorted(set(triples), key=triple_key)
    graph = Graph()
    for prefix, namespace in prefixes_for(triples).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph
