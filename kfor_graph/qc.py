"""Quality checks: the SPARQL files queries/qc/*-violation.rq, where any row returned is a failure."""

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from kfor_graph import resources
from kfor_graph.namespaces import CLOSED_VOCABULARIES, OA, RDFS
from kfor_graph.terms import to_quads, to_rdflib

# rdflib has no closed namespace for the W3C Web Annotation vocabulary: its terms, as the Web
# Annotation Vocabulary (https://www.w3.org/TR/annotation-vocab/, oa.ttl of 2016-10-07) defines them.
OA_TERMS = (
    # classes
    "Annotation",
    "Choice",
    "Composite",
    "CssSelector",
    "CssStyle",
    "DataPositionSelector",
    "Direction",
    "FragmentSelector",
    "HttpRequestState",
    "Independents",
    "List",
    "Motivation",
    "RangeSelector",
    "ResourceSelection",
    "Selector",
    "SpecificResource",
    "State",
    "Style",
    "SvgSelector",
    "TextPositionSelector",
    "TextQuoteSelector",
    "TextualBody",
    "TimeState",
    "XPathSelector",
    # properties
    "annotationService",
    "bodyValue",
    "cachedSource",
    "canonical",
    "end",
    "exact",
    "hasBody",
    "hasEndSelector",
    "hasPurpose",
    "hasScope",
    "hasSelector",
    "hasSource",
    "hasStartSelector",
    "hasState",
    "hasTarget",
    "motivatedBy",
    "prefix",
    "processingLanguage",
    "refinedBy",
    "renderedVia",
    "sourceDate",
    "sourceDateEnd",
    "sourceDateStart",
    "start",
    "styleClass",
    "styledBy",
    "suffix",
    "textDirection",
    "via",
    # individuals
    "PreferContainedDescriptions",
    "PreferContainedIRIs",
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "ltrDirection",
    "moderating",
    "questioning",
    "replying",
    "rtlDirection",
    "tagging",
)


def vocabulary_index() -> Graph:
    """One `term rdfs:isDefinedBy "namespace"` triple for every term of each standard vocabulary.

    The namespace is a literal so that the index adds no IRI of its own for the check to find."""
    index = Graph()
    for vocabulary in CLOSED_VOCABULARIES:
        namespace = str(vocabulary._NS)
        for name in list(vocabulary.__annotations__) + list(getattr(vocabulary, "_extras", [])):
            index.add((URIRef(namespace + name), RDFS.isDefinedBy, Literal(namespace)))
    for name in OA_TERMS:
        index.add((OA[name], RDFS.isDefinedBy, Literal(str(OA))))
    return index


def check_files(root=None) -> list[Path]:
    return sorted((resources.project_root(root) / "queries" / "qc").glob("*-violation.rq"))


def run_checks(graph: Graph, root=None, only: str | None = None) -> dict[str, list[tuple]]:
    """Each check's name (or only the one named) and the rows it returned: an empty list is a pass.
    The checks run on an Oxigraph copy of the graph and the vocabulary index: rdflib's SPARQL engine
    took seconds for what Oxigraph answers in milliseconds (the rows are the same, test_engines.py)."""
    store = ox.Store()
    store.extend(to_quads(triple for source in (graph, vocabulary_index()) for triple in source))
    return {
        path.stem: [tuple(map(to_rdflib, row)) for row in store.query(path.read_text(encoding="utf-8"))]
        for path in check_files(root)
        if only in (None, path.stem)
    }
