"""The inferred graph: the types and links that the ontology's class and property hierarchy,
owl:inverseOf and owl:SymmetricProperty add to the data, so that stores without reasoning answer
`?x a org:Organization` or `?t kfor:nextTerm ?u` as a reasoner would.

The reasoner is `reasonable` (an OWL 2 RL reasoner in Rust). It is given only the ontology's
hierarchy and inverse axioms: no domains or ranges (which would type every value of a property,
rightly or not, and are not what the issue asks for), no functional properties (which only yield
owl:sameAs). Of what follows only the new triples about our resources that matter are kept: rdf:type
to a class (not owl:Thing or rdfs:Resource), and links between two IRIs; never owl:sameAs or literals.

None of those axioms combines two triples of the data, so what they imply for one resource of a class,
or one triple of a property, they imply for all: the reasoner is given the axioms with one stand-in
per class and per property the data uses (`rules`), and each entailment it finds for a stand-in
becomes a rule (class C => class D; property p => property q, either way round) that Oxigraph applies
to the whole data in one SPARQL update (`rule_updates`): about a second at a million triples, where the
reasoner given every type and link took about ten. A transitive property would combine two triples:
with one, the data's types and links go through the reasoner whole (`inferred_triples`), as the tests
also do to check the rules give the same graph.
"""

import reasonable
from rdflib import URIRef

from kfor_graph.namespaces import DATA_GRAPH, ID_BASE, INFERRED_GRAPH, OWL, RDF, RDFS

__all__ = ["INFERRED_GRAPH", "inferred_triples", "rules", "rule_updates"]

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


def transitive(given) -> bool:
    """Whether the axioms declare a transitive property (then the rules would not be exact)."""
    return any(p == RDF.type and o == OWL.TransitiveProperty for _, p, o in given)


_STAND_IN = ID_BASE + "stand-in/"  # the stand-ins' IRIs: never in the data, only in the reasoner's input


def rules(given, classes, properties) -> tuple[list, list]:
    """What the axioms `given` imply for one resource of each of `classes` and one triple of each of
    `properties`, as (class rules [(C, D)], property rules [(p, q, forward)]): a resource of class C is
    of class D; a triple (s p o) implies (s q o) when forward, (o q s) when not."""
    triples, typed, linked = list(given), {}, {}
    for n, cls in enumerate(sorted(classes)):
        typed[URIRef(f"{_STAND_IN}class-{n}")] = cls
    for n, prop in enumerate(sorted(set(properties) - {RDF.type, OWL.sameAs})):
        linked[URIRef(f"{_STAND_IN}subject-{n}")] = (prop, URIRef(f"{_STAND_IN}object-{n}"))
    triples += [(x, RDF.type, cls) for x, cls in typed.items()]
    triples += [(s, prop, o) for s, (prop, o) in linked.items()]
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(triples)
    objects = {o: (prop, s) for s, (prop, o) in linked.items()}
    class_rules, property_rules = set(), set()
    for s, p, o in reasoner.reason():
        if p == OWL.sameAs:
            continue
        if s in typed and p == RDF.type and isinstance(o, URIRef) and o not in _NOISE and o != typed[s]:
            class_rules.add((typed[s], o))
        elif s in linked and linked[s][1] == o and p != linked[s][0]:
            property_rules.add((linked[s][0], p, True))
        elif s in objects and objects[s][1] == o:
            property_rules.add((objects[s][0], p, False))
    return sorted(class_rules), sorted(property_rules)


def rule_updates(class_rules, property_rules) -> list[str]:
    """The SPARQL updates that apply the rules to the data graph of a store, adding what they imply
    (about our resources, between IRIs, not already in the data) to the inferred graph."""
    data, inferred = f"GRAPH <{DATA_GRAPH}>", f"GRAPH <{INFERRED_GRAPH}>"
    ours = f'STRSTARTS(STR(?s2), "{ID_BASE}")'
    updates = []
    if class_rules:
        pairs = " ".join(f"(<{c}> <{d}>)" for c, d in class_rules)
        updates.append(f"""INSERT {{ {inferred} {{ ?s2 a ?d }} }} WHERE {{
            VALUES (?c ?d) {{ {pairs} }} {data} {{ ?s2 a ?c }}
            FILTER (isIRI(?s2) && {ours}) MINUS {{ {data} {{ ?s2 a ?d }} }} }}""")
    for forward, (subject, object_) in ((True, ("?s", "?o")), (False, ("?o", "?s"))):
        pairs = " ".join(f"(<{p}> <{q}>)" for p, q, way in property_rules if way is forward)
        if pairs:
            updates.append(f"""INSERT {{ {inferred} {{ ?s2 ?q ?o2 }} }} WHERE {{
                VALUES (?p ?q) {{ {pairs} }} {data} {{ ?s ?p ?o }}
                BIND ({subject} AS ?s2) BIND ({object_} AS ?o2)
                FILTER (isIRI(?s2) && isIRI(?o2) && {ours}) MINUS {{ {data} {{ ?s2 ?q ?o2 }} }} }}""")
    return updates
