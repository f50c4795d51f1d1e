"""The inferred graph: the types and links that the ontology's class and property hierarchy,
owl:inverseOf and owl:SymmetricProperty add to the data, so that stores without reasoning answer
`?x a org:Organization` or `?t kfor:nextTerm ?u` as a reasoner would.

The reasoner is `reasonable` (an OWL 2 RL reasoner in Rust). It is given only the data and the
ontology's hierarchy and inverse axioms: no domains or ranges (which would type every value of a
property, rightly or not, and are not what the issue asks for), no functional properties (which
only yield owl:sameAs). Of its output only the new triples about our resources that matter are kept:
rdf:type to a class (not owl:Thing or rdfs:Resource), and links between two IRIs; never owl:sameAs
or literals. The result is a plain set, written sorted, so it is the same for the same input.
"""

import reasonable
from rdflib import URIRef

from kfor_graph.namespaces import ID_BASE, INFERRED_GRAPH, OWL, RDF, RDFS

__all__ = ["INFERRED_GRAPH", "inferred_triples"]

_AXIOMS = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty}
_PROPERTY_KINDS = {OWL.SymmetricProperty, OWL.TransitiveProperty}
_NOISE = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class, RDF.Property}


def inferred_triples(ontology, data) -> set:
    """The new triples about resources under https://w3id.org/kfor/id/ that the hierarchy and
    inverse axioms of `ontology` imply for `data` (both iterables of triples)."""
    given = axioms(ontology)
    # Only a type or a triple of a property the axioms name can lead to anything: the rest of the
    # data is not given. Links out (owl:sameAs a DBpedia resource) are not given either: the reasoner
    # would copy every triple about the resource, and every claim about it, onto the DBpedia IRI.
    asserted = set(relevant(data, given))
    reasoner = reasonable.PyReasoner()
    # A list of triples, not a Graph: reasonable takes either, and copying into a Graph cost more.
    reasoner.from_graph(given + list(asserted))
    kept = set()
    for s, p, o in reasoner.reason():
        if not (isinstance(s, URIRef) and isinstance(o, URIRef) and s.startswith(ID_BASE)):
            continue
        if p == OWL.sameAs or (p == RDF.type and o in _NOISE) or (s, p, o) in asserted:
            continue
        kept.add((s, p, o))
    return kept


def axioms(ontology) -> list:
    """The ontology's triples that the reasoner is given: hierarchy, inverses, property kinds."""
    return [(s, p, o) for s, p, o in ontology if p in _AXIOMS or (p == RDF.type and o in _PROPERTY_KINDS)]


def axiom_properties(given) -> set:
    """The properties the axioms name (with the classes, which do no harm here): only their triples
    and types can imply new ones."""
    subjects = {s for s, _, _ in given}
    return subjects | {o for _, p, o in given if p in (RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentProperty)}


def relevant(data, given):
    """The triples of `data` that can imply something under `given`: types and triples of the
    properties the axioms name, never owl:sameAs. (Every inferred triple has such a predicate, so
    these are also all the asserted triples an inferred one could repeat.)"""
    properties = (axiom_properties(given) | {RDF.type}) - {OWL.sameAs}
    return (triple for triple in data if triple[1] in properties)
