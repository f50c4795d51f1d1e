"""`kfor-graph build`: load, validate, then write every dump and its VoID description."""

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from kfor_graph import __version__
from kfor_graph.errors import InputError, NotConformingError
from kfor_graph.export import FORMATS, iter_dumps
from kfor_graph.files import replace_folder
from kfor_graph.fmt import fixed_graph, to_turtle
from kfor_graph.load import as_store, graph_of, load_graphs
from kfor_graph.namespaces import (
    BASE,
    CONTRIBUTORS,
    DATA_GRAPH,
    DATASET,
    DCAT,
    DCATAP,
    DCTERMS,
    DOWNLOAD_BASE,
    ENDPOINT,
    EU_AUTHORITY,
    FOAF,
    IANA_MEDIA_TYPES,
    ID_BASE,
    INFERRED_GRAPH,
    KFOR,
    LICENSE,
    ONTOLOGY_GRAPH,
    OWL,
    PRIVATE_INDIVIDUALS,
    RDF,
    SPDX,
    VCARD,
    VOCABULARIES,
    VOID,
    XSD,
    prefixes_for,
)
from kfor_graph.stats import Stats, compute, counts_table, name
from kfor_graph.validate import validate_files

VOID_FILE = "void.ttl"
MEDIA_TYPES = {
    "kfor.ttl": "text/turtle",
    "kfor.nt": "application/n-triples",
    "kfor.nq": "application/n-quads",
    "kfor.trig": "application/trig",
    "kfor.rdf": "application/rdf+xml",
    "kfor.jsonld": "application/ld+json",
}
# Each dump's file type in the EU's file-type authority list (DCAT-AP's dct:format).
EU_FILE_TYPES = {
    "kfor.ttl": "RDF_TURTLE",
    "kfor.nt": "RDF_N_TRIPLES",
    "kfor.nq": "RDF_N_QUADS",
    "kfor.trig": "RDF_TRIG",
    "kfor.rdf": "RDF_XML",
    "kfor.jsonld": "JSON_LD",
}
# What DCAT-AP recommends describing a dataset by, where the project can say it truly: its subject
# (keywords, the EU data theme "International issues"), where (Kosovo, a place of the graph) and when
# (the dates the data covers), and its contact point: the project's home page (no e-mail address:
# the project names none).
KEYWORDS = ("KFOR", "Kosovo Force", "NATO", "Kosovo", "peace support operation", "military history", "linked data")
THEME = URIRef(EU_AUTHORITY + "data-theme/INTR")
SPATIAL = URIRef(ID_BASE + "place/kosovo")
DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}

DUMP_FORMATS = {
    "kfor.ttl": "Turtle",
    "kfor.nt": "N-Triples",
    "kfor.nq": "N-Quads, named graphs",
    "kfor.trig": "TriG, named graphs",
    "kfor.rdf": "RDF/XML",
    "kfor.jsonld": "JSON-LD",
}
_GRAPHS = [
    (ONTOLOGY_GRAPH, "ontology", "KFOR Graph ontology", "The named graph of the ontology (ontology/kfor.ttl)."),
    (
        DATA_GRAPH,
        "data",
        "KFOR Graph data",
        "The named graph of the instance data (data/*.ttl), as its sources state it.",
    ),
    (
        INFERRED_GRAPH,
        "inferred",
        "KFOR Graph inferred triples",
        "The named graph of what the ontology's subclass and subproperty hierarchy, owl:inverseOf and "
        "owl:SymmetricProperty add to the data (rdf:type to every superclass, links by inverse and super-properties), "
        "computed at build time by the OWL 2 RL reasoner reasonable, so that stores without reasoning find them. "
        "In kfor.nq and kfor.trig as this named graph; merged into kfor.ttl, kfor.nt, kfor.rdf and kfor.jsonld.",
    ),
]


@dataclass
class BuildResult:
    stats: Stats
    report: object  # the validation report (kfor_graph.validate.Report)
    files: list[Path]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def void_description(dumps: dict[str, tuple[int, str]], stats: Stats, store: ox.Store | None = None) -> Graph:
    """A VoID and DCAT description of the dataset: size, named graphs, classes, vocabularies, and
    one dcat:Distribution per dump (`dumps`: file name -> (bytes, SHA-256 in hex))."""
    g = Graph()
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, RDF.type, DCAT.Dataset))
    g.add((DATASET, DCTERMS.title, Literal("KFOR Graph", lang="en")))
    g.add(
        (
            DATASET,
            DCTERMS.description,
            Literal(
                "An open linked-data knowledge graph of NATO's Kosovo Force (KFOR): its organisations, commanders, "
                "mandate, tasks, events and troop strength over time, each fact with its source.",
                lang="en",
            ),
        )
    )
    g.add((DATASET, DCTERMS.license, LICENSE))
    g.add((DATASET, OWL.versionInfo, Literal(__version__)))
    g.add((DATASET, VOID.triples, Literal(stats.triples["total"], datatype=XSD.integer)))
    g.add((DATASET, VOID.uriSpace, Literal(ID_BASE)))
    g.add((DATASET, VOID.sparqlEndpoint, ENDPOINT))
    for keyword in KEYWORDS:
        g.add((DATASET, DCAT.keyword, Literal(keyword, lang="en")))
    g.add((DATASET, DCAT.theme, THEME))
    g.add((DATASET, DCTERMS.spatial, SPATIAL))
    if stats.dates:
        period = URIRef(f"{DATASET}/period")
        g.add((DATASET, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        for prop, value in zip((DCAT.startDate, DCAT.endDate), stats.dates, strict=True):
            g.add((period, prop, Literal(value, datatype=DATE_TYPES[len(value)])))
    # The one agent the project names (the ontology's dcterms:creator), as creator and publisher.
    g.add((DATASET, DCTERMS.creator, CONTRIBUTORS))
    g.add((DATASET, DCTERMS.publisher, CONTRIBUTORS))
    g.add((CONTRIBUTORS, RDF.type, FOAF.Agent))
    g.add((CONTRIBUTORS, FOAF.name, Literal("KFOR Graph contributors")))
    g.add((CONTRIBUTORS, DCTERMS.type, PRIVATE_INDIVIDUALS))
    contact = URIRef(f"{DATASET}/contact")
    g.add((DATASET, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, VCARD.fn, Literal("KFOR Graph contributors")))
    g.add((contact, VCARD.hasURL, URIRef(BASE)))
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
    for file_name, (size, sha256) in sorted(dumps.items()):
        url = URIRef(DOWNLOAD_BASE + file_name)
        distribution = URIRef(f"{DATASET}/distribution/{file_name.replace('.', '-')}")
        checksum = URIRef(f"{distribution}/sha256")
        g.add((DATASET, VOID.dataDump, url))
        g.add((DATASET, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        g.add((distribution, DCTERMS.title, Literal(f"{file_name} ({DUMP_FORMATS[file_name]})", lang="en")))
        g.add((distribution, DCAT.downloadURL, url))
        g.add((distribution, DCAT.accessURL, url))
        g.add((distribution, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + MEDIA_TYPES[file_name])))
        g.add((distribution, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        g.add((distribution, DCTERMS.license, LICENSE))
        g.add(
            (
                distribution,
                DCTERMS.description,
                Literal(f"The whole graph in {DUMP_FORMATS[file_name]}, as `kfor-graph build` writes it.", lang="en"),
            )
        )
        g.add((distribution, DCTERMS.format, URIRef(EU_AUTHORITY + "file-type/" + EU_FILE_TYPES[file_name])))
        g.add((distribution, DCATAP.availability, URIRef(EU_AUTHORITY + "planned-availability/STABLE")))
        g.add((distribution, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))
    if store is not None:
        _void_of_dataset(g, store)
    return fixed_graph(g, {**prefixes_for(g), "spdx": str(SPDX), "dcatap": str(DCATAP), "vcard": str(VCARD)})


def _void_of_dataset(g: Graph, store: ox.Store) -> None:
    """What only the graph itself tells: the vocabularies its data uses, and the dates (the
    ontology's dcterms:created and dcterms:modified, the only dates the project states; the build
    itself writes no clock time)."""
    used = [
        str(row[0].value)
        for row in store.query(f"""SELECT DISTINCT ?term WHERE {{ GRAPH <{DATA_GRAPH}> {{
            {{ ?s ?term ?o }} UNION {{ ?s a ?term FILTER (isIRI(?term)) }} }} }}""")
    ]
    for namespace in sorted({*VOCABULARIES.values(), KFOR}):
        if any(term.startswith(namespace) for term in used):
            g.add((DATASET, VOID.vocabulary, URIRef(namespace)))
    ontology = graph_of(store, ONTOLOGY_GRAPH)
    header = URIRef(KFOR.rstrip("/"))
    for prop, target in ((DCTERMS.created, DCTERMS.issued), (DCTERMS.modified, DCTERMS.modified)):
        value = ontology.value(header, prop)
        if value is not None:
            g.add((DATASET, target, value))


def _slug(cls: URIRef) -> str:
    """foaf:Person -> foaf-Person; an IRI without a project prefix is percent-encoded whole."""
    short = name(cls)
    return short.replace(":", "-") if short != str(cls) else quote(str(cls), safe="")


def build(
    out_dir: Path | str = "dist", paths=None, shapes=None, root=None, progress=_stderr, engine: str | None = None
) -> BuildResult:
    """Validate, load, serialise, and only then write. Raises NotConformingError (nothing written)
    when the data does not conform. The oxigraph engine validates the files as Oxigraph reads them;
    the dumps are made from Oxigraph's store of the named graphs, loaded after."""
    if Path(out_dir).exists() and not Path(out_dir).is_dir():  # before the work, not after it
        raise InputError(f"{out_dir}: not a folder")
    progress("validating against the shapes...")
    report = validate_files(paths, shapes, root=root, engine=engine)
    if not report.conforms:
        raise NotConformingError(report, "the data does not conform to the shapes; nothing was written")
    progress("loading the graph...")
    store = load_graphs(paths, root=root)
    progress(f"serialising and writing to {out_dir}/...")
    stats = compute(store)
    written = replace_folder(iter_build_files(store, stats), Path(out_dir))
    return BuildResult(stats, report, written)


def iter_build_files(graphs, stats: Stats | None = None):
    """Every file `build` writes, as (name, content), each serialised only when asked for, from a
    store of the named graphs (load.load_graphs) or an rdflib Dataset. void.ttl comes last: it
    gives each dump's size and checksum, taken as the dumps pass."""
    store = as_store(graphs)
    stats = stats or compute(store)
    dumps = {}
    for file_name, data in iter_dumps(store):
        if file_name in FORMATS.values():
            dumps[file_name] = (len(data), hashlib.sha256(data).hexdigest())
        yield file_name, data
    yield VOID_FILE, to_turtle(void_description(dumps, stats, store))


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
