"""Every IRI and prefix the package uses, in one place: the project's own IRI space, the named
graphs, and the standard vocabularies. Other modules import them from here and write none.

The project's IRI conventions are in CONTRIBUTING.md ("IRIs")."""

import re

from rdflib import URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    SOSA,
    TIME,
    VANN,
    VOID,
    XSD,
    Namespace,
)

# --- the project's IRI space -------------------------------------------------------------------

BASE = "https://w3id.org/kfor/"
KFOR = BASE + "ontology/"
ID_BASE = BASE + "id/"
CONCEPT_BASE = ID_BASE + "concept/"
SHAPES = BASE + "shapes/"
GRAPH_BASE = BASE + "graph/"

KFOR_NS = Namespace(KFOR)

ONTOLOGY_GRAPH = URIRef(GRAPH_BASE + "ontology")
DATA_GRAPH = URIRef(GRAPH_BASE + "data")
INFERRED_GRAPH = URIRef(GRAPH_BASE + "inferred")  # what the ontology's axioms add (kfor_graph.infer)
NAMED_GRAPHS = (ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH)

DATASET = URIRef(BASE + "dataset")  # the dataset that void.ttl describes
DOWNLOAD_BASE = BASE + "dist/"  # where the dumps are published
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
ENDPOINT = URIRef(BASE + "sparql")  # where `kfor-graph serve` answers SPARQL
CONTRIBUTORS = URIRef(BASE + "contributors")  # the agent that creates and publishes the dataset

# One prefix per kind of instance IRI. The kind `time` is `kfortime:` because `time:` is OWL-Time.
ID_KINDS = [
    "organisation",
    "unit",
    "post",
    "term",
    "person",
    "country",
    "place",
    "site",
    "instrument",
    "event",
    "observation",
    "source",
    "tasking",
    "role",
    "time",
    "claim",
    "quote",
    "selector",
]
ID_PREFIXES = {("kfortime" if k == "time" else k): f"{ID_BASE}{k}/" for k in ID_KINDS}

# --- standard vocabularies ---------------------------------------------------------------------

# rdflib's closed namespaces: each lists the terms its vocabulary defines (the quality checks use them).
CLOSED_VOCABULARIES = (DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, SOSA, TIME, VANN, XSD)

SPDX = Namespace("http://spdx.org/rdf/terms#")  # checksums of the dumps in void.ttl (as DCAT 3 does)
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"  # media type IRIs, as DCAT-AP names them
DCATAP = Namespace("http://data.europa.eu/r5r/")  # DCAT-AP's own terms (dcatap:availability)
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"  # the EU's authority lists DCAT-AP uses
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")  # the dataset's contact point (DCAT-AP's vcard:Kind)
# ADMS's publisher types, DCAT-AP's values for an agent's dct:type: a group of private people.
PRIVATE_INDIVIDUALS = URIRef("http://purl.org/adms/publishertype/PrivateIndividual(s)")
# W3C Web Annotation (quotes), which rdflib has no closed namespace for: kfor_graph.qc lists its terms.
OA = Namespace("http://www.w3.org/ns/oa#")

# Standard vocabularies, by their usual prefixes.
VOCABULARIES = {
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "sh": str(SH),
    "skos": str(SKOS),
    "sosa": str(SOSA),
    "time": str(TIME),
    "oa": str(OA),
    "vann": str(VANN),
    "void": str(VOID),
    "xsd": str(XSD),
}

PREFIXES = {
    **VOCABULARIES,
    "kfor": KFOR,
    "shapes": SHAPES,
    "concept": CONCEPT_BASE,
    **ID_PREFIXES,
}

__all__ = [
    "BASE",
    "KFOR",
    "KFOR_NS",
    "ID_BASE",
    "CONCEPT_BASE",
    "SHAPES",
    "GRAPH_BASE",
    "ONTOLOGY_GRAPH",
    "DATA_GRAPH",
    "INFERRED_GRAPH",
    "VCARD",
    "PRIVATE_INDIVIDUALS",
    "NAMED_GRAPHS",
    "DATASET",
    "DOWNLOAD_BASE",
    "LICENSE",
    "ENDPOINT",
    "CONTRIBUTORS",
    "SPDX",
    "IANA_MEDIA_TYPES",
    "DCATAP",
    "EU_AUTHORITY",
    "ID_KINDS",
    "ID_PREFIXES",
    "CLOSED_VOCABULARIES",
    "VOCABULARIES",
    "PREFIXES",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "OA",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SKOS",
    "SOSA",
    "TIME",
    "VANN",
    "VOID",
    "XSD",
    "prefixes_for",
    "compact",
]

_PREFIX_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def prefixes_for(triples) -> dict[str, str]:
    """PREFIXES plus one prefix per SKOS concept scheme found in the triples' IRIs
    (`rank:` for https://w3id.org/kfor/id/concept/rank/), where the scheme's name is free."""
    found = dict(PREFIXES)
    schemes = set()
    for s, _, o in triples:
        for term in (s, o):
            if isinstance(term, URIRef) and term.startswith(CONCEPT_BASE):
                scheme, slash, _ = term[len(CONCEPT_BASE) :].partition("/")
                if slash:
                    schemes.add(scheme)
    for scheme in sorted(schemes):
        if _PREFIX_NAME.match(scheme) and scheme not in found:
            found[scheme] = f"{CONCEPT_BASE}{scheme}/"
    return found


_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact(iri: URIRef) -> str | None:
    """`prefix:local` for an IRI in one of PREFIXES' namespaces (the longest that fits), else None."""
    for prefix, namespace in _LONGEST_FIRST:
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and not set(local) & set("/#?"):
            return f"{prefix}:{local}"
    return None
