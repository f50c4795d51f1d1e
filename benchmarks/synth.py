"""Synthetic data shaped like data/, for the benchmark (`python -m benchmarks.bench`).

Scale 1 is the real data itself. Scale N adds N-1 copies of it, each under its own IRIs
(`person:michael-jackson` becomes `person:synthetic-3-michael-jackson` in copy 3), so every copy
brings its own people, posts, terms of office with their predecessor/successor chains, intervals
and day/month/year instants, organisations, events, observations, statements and sources. Each copy
has its own posts, so its terms never overlap another copy's, and the copies conform to the shapes
as the real data does. SKOS concepts and countries are vocabulary that every copy shares (a bigger
KFOR Graph would reuse the same ranks, grades and nations): they stay as they are and are described
once. Each copy's dates move by a whole number of years (a multiple of four) drawn from a seeded
generator, and its labels name the copy, so the copies are not byte-for-byte repeats of one another;
the same scale and seed always give the same triples.

    triples = synthetic_triples(data_graph, scale=10)   # the N-1 copies, without the real data
    write_synthetic(path, scale=10)                      # the same, as one Turtle file
"""

import random
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDFS, XSD, Graph, Literal, URIRef

from kfor_graph.load import load_dataset, named_graph
from kfor_graph.namespaces import DATA_GRAPH, ID_BASE, prefixes_for
from kfor_graph.terms import to_quads, triple_key

__all__ = ["SEED", "SHARED_KINDS", "copy_iri", "synthetic_triples", "write_synthetic"]

SEED = 7
SHARED_KINDS = ("concept", "country")  # vocabulary, not facts: one description for all copies
DATE_TYPES = (XSD.date, XSD.gYearMonth, XSD.gYear)


def copy_iri(term, copy: int):
    """The IRI of a resource in copy `copy`; shared and foreign IRIs and literals stay as they are."""
    if not isinstance(term, URIRef) or not term.startswith(ID_BASE):
        return term
    kind, slash, slug = term[len(ID_BASE) :].partition("/")
    if not slash or kind in SHARED_KINDS:
        return term
    return URIRef(f"{ID_BASE}{kind}/synthetic-{copy}-{slug}")


def _shift_year(value: Literal, years: int) -> Literal:
    """A date, month or year literal `years` later, at the same precision."""
    text = str(value)
    return Literal(f"{int(text[:4]) + years:04d}{text[4:]}", datatype=value.datatype)


def _copy_object(o, p, copy: int, years: int):
    if isinstance(o, Literal):
        if o.datatype in DATE_TYPES:
            return _shift_year(o, years)
        if p == RDFS.label:  # labels name their copy (shapes: at most one label per language)
            return Literal(f"{o} (synthetic copy {copy})", lang=o.language, datatype=o.datatype)
        return o
    return copy_iri(o, copy)


def copy_triples(data: Graph, copy: int, years: int):
    """One synthetic copy of the data graph: triples about shared resources are left out (the real
    data describes them once); everything else gets the copy's IRIs, shifted dates and labels."""
    for s, p, o in data:
        if copy_iri(s, copy) == s:
            continue
        yield copy_iri(s, copy), p, _copy_object(o, p, copy, years)


def year_shifts(scale: int, seed: int = SEED) -> dict[int, int]:
    """The years each copy (2..scale) moves its dates by: deterministic for a seed. A multiple of four,
    so that every year keeps its leap day (the data's dates lie between 1999 and 2099) and a month's
    latest day (kfor:latestDate) stays its last day."""
    rng = random.Random(seed)
    return {copy: 4 * rng.randint(1, 15) for copy in range(2, scale + 1)}


def synthetic_triples(data: Graph, scale: int, seed: int = SEED):
    """The triples scale N adds to the real data graph: copies 2..N."""
    for copy, years in year_shifts(scale, seed).items():
        yield from copy_triples(data, copy, years)


def write_synthetic(path: Path | str, scale: int, seed: int = SEED, data: Graph | None = None) -> int:
    """Write the copies of scale N (N >= 2) as one Turtle file (one Turtle document per copy,
    concatenated: still valid Turtle); returns the number of triples written. `data` defaults to the
    project's data graph."""
    if scale < 2:
        raise ValueError("scale 1 is the real data: there is nothing synthetic to write")
    data = named_graph(load_dataset(), DATA_GRAPH) if data is None else data
    count = 0
    with open(path, "wb") as out:
        for copy, years in year_shifts(scale, seed).items():
            # Oxigraph's serialiser (ten times faster than rdflib's), on the triples in a fixed order: the
            # same bytes whatever the hash seed. The data has no blank nodes, whose labels the copies'
            # documents would share.
            triples = sorted(set(copy_triples(data, copy, years)), key=triple_key)
            out.write(f"# synthetic copy {copy}: dates moved by {years} years\n".encode())
            out.write(ox.serialize(to_quads(triples), format=ox.RdfFormat.TURTLE, prefixes=prefixes_for(triples)))
            out.write(b"\n")
            count += len(triples)
    return count
