"""`kfor-graph build`: load, validate, then write every dump and its VoID description."""

import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef

from kfor_graph import __version__, resources
from kfor_graph.errors import InputError, NotConformingError
from kfor_graph.export import FORMATS, iter_dumps, write_files
from kfor_graph.fmt import CONCEPT_BASE, fixed_graph, prefixes_for, to_turtle
from kfor_graph.load import DATA_GRAPH, ONTOLOGY_GRAPH, load_dataset, load_store
from kfor_graph.shacl_sparql import UnsupportedShapes
from kfor_graph.stats import Stats, compute, counts_table, name
from kfor_graph.validate import load_shapes, validate, validate_store

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

VOID_FILE = "void.ttl"
DATASET = URIRef("https://w3id.org/kfor/dataset")
# Where the dumps are published; void:dataDump names them there.
DOWNLOAD_BASE = "https://w3id.org/kfor/dist/"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


@dataclass
class BuildResult:
    stats: Stats
    report: object  # the validation report (kfor_graph.validate.Report)
    files: list[Path]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _shapes_graph(shapes: Path | str | None, root) -> Graph:
    shapes_files = [Path(shapes)] if shapes else resources.shapes_files(root)
    if not shapes_files:
        raise InputError(f"no shapes found: {resources.project_root(root) / 'ontology'} has no *-shapes.ttl")
    shapes_graph = Graph()
    for path in shapes_files:
        shapes_graph += load_shapes(path)
    return shapes_graph


def validate_dataset(dataset: Dataset, shapes: Path | str | None = None, root=None, engine: str | None = None):
    """Validate the data graph against the shapes (the project's *-shapes.ttl unless `shapes` is
    given), with the ontology alongside. Returns the report."""
    shapes_graph = _shapes_graph(shapes, root)
    # the dataset's own graphs, not copies: validate() puts them together in one graph anyway
    return validate(dataset.graph(DATA_GRAPH), shapes=shapes_graph, ontology=dataset.graph(ONTOLOGY_GRAPH),
                    engine=engine)


def validate_files(paths=None, shapes: Path | str | None = None, root=None, engine: str | None = None):
    """Validate the files load_dataset(paths, root) reads. The oxigraph engine reads them straight
    into Oxigraph, without rdflib; pySHACL (engine "pyshacl", or the fallback for shapes the oxigraph
    engine does not compile) validates rdflib's dataset."""
    shapes_graph = _shapes_graph(shapes, root)
    if engine not in (None, "oxigraph", "pyshacl"):
        return validate(Graph(), shapes=shapes_graph, ontology=Graph(), engine=engine)  # the usage error
    if engine != "pyshacl":
        store = load_store(paths, root=root)
        try:
            return validate_store(store, shapes_graph, (_store_prefixes(store),))
        except UnsupportedShapes:
            if engine == "oxigraph":
                raise
    dataset = load_dataset(paths, root=root)
    return validate(dataset.graph(DATA_GRAPH), shapes=shapes_graph, ontology=dataset.graph(ONTOLOGY_GRAPH),
                    engine="pyshacl")


def _store_prefixes(store) -> Graph:
    """A graph with the prefixes load_dataset binds (fmt.prefixes_for), for the report's names."""
    concepts = store.query(f"""SELECT DISTINCT ?iri WHERE {{ {{ ?iri ?p ?o }} UNION {{ ?s ?p ?iri }}
        FILTER (isIRI(?iri) && STRSTARTS(STR(?iri), "{CONCEPT_BASE}")) }}""")
    iris = [(URIRef(row[0].value), RDF.type, RDFS.Resource) for row in concepts]
    graph = Graph()
    for prefix, namespace in prefixes_for(iris).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def void_description(files: list[str], stats: Stats) -> Graph:
    """A VoID (and DCAT) description of the dataset: size, classes and dump files."""
    g = Graph()
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, RDF.type, DCAT.Dataset))
    g.add((DATASET, DCTERMS.title, Literal("KFOR Graph", lang="en")))
    g.add((DATASET, DCTERMS.description, Literal(
        "An open linked-data knowledge graph of NATO's Kosovo Force (KFOR): its organisations, commanders, "
        "mandate, tasks, events and troop strength over time, each fact with its source.", lang="en")))
    g.add((DATASET, DCTERMS.license, LICENSE))
    g.add((DATASET, OWL.versionInfo, Literal(__version__)))
    g.add((DATASET, VOID.triples, Literal(stats.triples["total"], datatype=XSD.integer)))
    g.add((DATASET, VOID.uriSpace, Literal("https://w3id.org/kfor/id/")))
    g.add((DATASET, VOID.vocabulary, URIRef("https://w3id.org/kfor/ontology/")))
    for cls, count in stats.classes:
        partition = URIRef(f"{DATASET}/class/{_slug(cls)}")
        g.add((DATASET, VOID.classPartition, partition))
        g.add((partition, VOID["class"], cls))
        g.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    for file_name in files:
        g.add((DATASET, VOID.dataDump, URIRef(DOWNLOAD_BASE + file_name)))
    return fixed_graph(g)


def _slug(cls: URIRef) -> str:
    """foaf:Person -> foaf-Person; an IRI without a project prefix is percent-encoded whole."""
    short = name(cls)
    return short.replace(":", "-") if short != str(cls) else quote(str(cls), safe="")


def build(out_dir: Path | str = "dist", paths=None, shapes=None, root=None, progress=_stderr,
          engine: str | None = None) -> BuildResult:
    """Load, validate, serialise, and only then write. Raises NotConformingError (nothing written)
    when the data does not conform."""
    progress("validating against the shapes...")
    report = validate_files(paths, shapes, root=root, engine=engine)
    if not report.conforms:
        raise NotConformingError(report, "the data does not conform to the shapes; nothing was written")
    progress("loading the graph...")
    dataset = load_dataset(paths, root=root)
    progress(f"serialising and writing to {out_dir}/...")
    stats = compute(dataset)
    written = write_files(iter_build_files(dataset, stats), Path(out_dir))
    return BuildResult(stats, report, written)


def iter_build_files(dataset: Dataset, stats: Stats | None = None):
    """Every file `build` writes, as (name, content), each serialised only when asked for."""
    stats = stats or compute(dataset)
    yield from iter_dumps(dataset)
    yield VOID_FILE, to_turtle(void_description(list(FORMATS.values()), stats))


def build_files(dataset: Dataset, stats: Stats | None = None) -> dict[str, bytes]:
    """Every file `build` writes, by name, serialised (and not yet written)."""
    return dict(iter_build_files(dataset, stats))


def format_summary(result: BuildResult) -> str:
    t = result.stats.triples
    lines = [
        f"KFOR Graph {__version__}",
        f"triples: {t['total']} (ontology {t['ontology']}, data {t['data']})",
        "validation: conforms",
        "entities per class (data graph):",
    ]
    lines += counts_table(result.stats.classes)
    lines.append("files:")
    name_width = max(len(str(p)) for p in result.files)
    lines += [f"  {str(p):<{name_width}}  {_size(p.stat().st_size)}" for p in result.files]
    return "\n".join(lines) + "\n"


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"
