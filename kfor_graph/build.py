"""`kfor-graph build`: load, validate, then write every dump and its VoID description."""

import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, URIRef

from kfor_graph import __version__
from kfor_graph.errors import InputError, NotConformingError
from kfor_graph.export import FORMATS, iter_dumps
from kfor_graph.files import replace_folder
from kfor_graph.fmt import fixed_graph, to_turtle
from kfor_graph.load import load_dataset
from kfor_graph.namespaces import (
    DATA_GRAPH,
    DATASET,
    DCAT,
    DCTERMS,
    DOWNLOAD_BASE,
    ID_BASE,
    INFERRED_GRAPH,
    KFOR,
    LICENSE,
    ONTOLOGY_GRAPH,
    OWL,
    RDF,
    VOID,
    XSD,
)
from kfor_graph.stats import Stats, compute, counts_table, name
from kfor_graph.validate import validate_dataset

VOID_FILE = "void.ttl"
_GRAPHS = [
    (ONTOLOGY_GRAPH, "ontology", "KFOR Graph ontology", "The named graph of the ontology (ontology/kfor.ttl)."),
    (DATA_GRAPH, "data", "KFOR Graph data", "The named graph of the instance data (data/*.ttl), as its sources state it."),
    (INFERRED_GRAPH, "inferred", "KFOR Graph inferred triples",
     "The named graph of what the ontology's subclass and subproperty hierarchy, owl:inverseOf and "
     "owl:SymmetricProperty add to the data (rdf:type to every superclass, links by inverse and super-properties), "
     "computed at build time by the OWL 2 RL reasoner reasonable, so that stores without reasoning find them. "
     "In kfor.nq and kfor.trig as this named graph; merged into kfor.ttl, kfor.nt, kfor.rdf and kfor.jsonld."),
]


@dataclass
class BuildResult:
    stats: Stats
    report: object  # the validation report (kfor_graph.validate.Report)
    files: list[Path]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
    g.add((DATASET, VOID.uriSpace, Literal(ID_BASE)))
    g.add((DATASET, VOID.vocabulary, URIRef(KFOR)))
    # The named graphs of the quad dumps (kfor.nq, kfor.trig), each a subset; the other dumps merge them.
    for graph, key, title, description in _GRAPHS:
        g.add((DATASET, VOID.subset, graph))
        g.add((graph, RDF.type, VOID.Dataset))
        g.add((graph, DCTERMS.title, Literal(title, lang="en")))
        g.add((graph, DCTERMS.description, Literal(description, lang="en")))
        g.add((graph, VOID.triples, Literal(stats.triples[key], datatype=XSD.integer)))
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


def build(out_dir: Path | str = "dist", paths=None, shapes=None, root=None, progress=_stderr) -> BuildResult:
    """Load, validate, serialise, and only then write. Raises NotConformingError (nothing written)
    when the data does not conform."""
    if Path(out_dir).exists() and not Path(out_dir).is_dir():  # before the work, not after it
        raise InputError(f"{out_dir}: not a folder")
    progress("loading the graph...")
    dataset = load_dataset(paths, root=root)
    progress("validating against the shapes...")
    report = validate_dataset(dataset, shapes, root=root)
    if not report.conforms:
        raise NotConformingError(report, "the data does not conform to the shapes; nothing was written")
    progress(f"serialising and writing to {out_dir}/...")
    stats = compute(dataset)
    written = replace_folder(iter_build_files(dataset, stats), Path(out_dir))
    return BuildResult(stats, report, written)


def iter_build_files(dataset: Dataset, stats: Stats | None = None):
    """Every file `build` writes, as (name, content), each serialised only when asked for."""
    stats = stats or compute(dataset)
    yield from iter_dumps(dataset)
    yield VOID_FILE, to_turtle(void_description(list(FORMATS.values()), stats))


def format_summary(result: BuildResult) -> str:
    t = result.stats.triples
    lines = [
        f"KFOR Graph {__version__}",
        f"triples: {t['total']} (ontology {t['ontology']}, data {t['data']}, inferred {t['inferred']})",
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
