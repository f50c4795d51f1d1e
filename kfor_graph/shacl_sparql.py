"""SHACL validation compiled to SPARQL and run on Oxigraph: the fast engine (`--engine oxigraph`).

As in SHACL2SPARQL and Trav-SHACL, each constraint of a shape becomes one SELECT query over the data
and ontology in a pyoxigraph Store: a shape's focus nodes are a subquery (the union of its targets, or
the value nodes of the shape that uses it), and the query returns the focus and value nodes that break
the constraint. pySHACL instead visits every focus node in Python, which is what made validation
cost minutes at a million triples.

pySHACL stays the reference, and its results are reproduced exactly (focus node, path, value, source
shape, constraint component, severity, message). To that end the shapes are read with pySHACL's own
shape loader, and the few checks whose meaning is rdflib's (a well-formed literal for sh:datatype,
sh:pattern, the sh:min/max Inclusive/Exclusive comparisons) run in Python, with pySHACL's functions, on
candidate values that the query narrows down.

Supported: targets sh:targetClass (following rdfs:subClassOf*), sh:targetNode, sh:targetSubjectsOf,
sh:targetObjectsOf and SHACL-AF sh:SPARQLTarget; constraints sh:minCount, sh:maxCount, sh:class,
sh:datatype, sh:nodeKind, sh:in, sh:pattern, sh:minInclusive, sh:maxInclusive, sh:minExclusive,
sh:maxExclusive, sh:uniqueLang, sh:or, sh:and, sh:xone, sh:not, sh:node, sh:property and sh:sparql
(SELECT). A shape that uses anything else raises UnsupportedShapesError, and validate() falls back to pySHACL.
"""

import logging
import re
from dataclasses import dataclass
from itertools import count

import pyoxigraph as ox
from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.core.string_based_constraints import (
    PatternConstraintComponent,
    StringBasedConstraintBase,
)
from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent
from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
from pyshacl.helper.path_helper import shacl_path_to_sparql_path
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from pyshacl.rdfutil.compare import compare_literal
from pyshacl.shapes_graph import ShapesGraph
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from kfor_graph.errors import InputError
from kfor_graph.terms import to_oxigraph, to_rdflib

__all__ = ["UnsupportedShapesError", "Hit", "run", "report_graph"]

TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}
# pySHACL's other constraint parameters, and what SHACL-AF adds (rules would change the data first)
UNSUPPORTED = (set(CONSTRAINT_PARAMETERS_MAP) - set(COMPONENTS) - {SH.property}) | {
    SH.flags,
    SH.expression,
    SH.rule,
    SH.js,
    SH.jsFunctionName,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
}
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
# Range checks as pySHACL makes them: compare_literal(value, bound) must be ... 0.
RANGES = {
    SH.minInclusive: lambda c: c >= 0,
    SH.maxInclusive: lambda c: c <= 0,
    SH.minExclusive: lambda c: c > 0,
    SH.maxExclusive: lambda c: c < 0,
}
STRINGS = {XSD.string, RDF.langString}  # sh:datatype decided by the query alone
PREFIX_OR_BASE = re.compile(r"^\s*(PREFIX|BASE)\b", re.IGNORECASE | re.MULTILINE)


class UnsupportedShapesError(InputError):
    """The shapes use a feature this engine does not compile; pySHACL must validate them."""


@dataclass(frozen=True)
class Hit:
    """One result before it becomes a report node. Terms are pyoxigraph's; `path` None means the
    shape's own path (for a property shape) or none."""

    shape: object  # the pySHACL Shape
    focus: object
    value: object
    component: URIRef
    path: object = None
    constraint: object = None  # the sh:sparql node, for sh:sourceConstraint
    messages: tuple = ()  # a SPARQL constraint's own messages


def _iri(node) -> str:
    if not isinstance(node, URIRef):
        raise UnsupportedShapesError(f"expected an IRI in the shapes, found {node!r}")
    return f"<{node}>"


def _term(node) -> str:
    """An rdflib term of the shapes graph as SPARQL text."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShapesError(f"a blank node {node} cannot be a constant of a query")


class Engine:
    def __init__(self, store: ox.Store, shapes: Graph):
        self.store = store
        self.sg = ShapesGraph(shapes)
        self.graph = shapes
        self._names = count()
        self._rdflib_cache = {}
        self._counts = {}

    # --- helpers -----------------------------------------------------------------------------

    def var(self) -> str:
        return f"v{next(self._names)}"

    def select(self, query: str, prefixes: dict | None = None) -> list[tuple]:
        try:
            return [tuple(row) for row in self.store.query(query, prefixes=prefixes or None)]
        except SyntaxError as exc:
            raise InputError(f"unusable shapes: a query does not parse: {exc}") from None

    def rdflib(self, term):
        """A value as rdflib sees it (normalised literal), cached: dates and labels repeat."""
        try:
            return self._rdflib_cache[term]
        except KeyError:
            # rdflib logs a traceback for each ill-typed literal; the result reports it instead
            logger = logging.getLogger("rdflib.term")
            level, logger.level = logger.level, logging.CRITICAL
            try:
                self._rdflib_cache[term] = value = to_rdflib(term)
            finally:
                logger.setLevel(level)
            return value

    def shape(self, node):
        try:
            return self.sg.lookup_shape_from_node(node)
        except KeyError:
            raise UnsupportedShapesError(f"{node} is used as a shape but is not one") from None

    def parameters(self, shape) -> list:
        """The constraint parameters of a shape; refuse those this engine does not compile."""
        found = set()
        for predicate in self.graph.predicates(shape.node, None):
            if predicate in COMPONENTS:
                found.add(predicate)
            elif predicate in UNSUPPORTED:
                raise UnsupportedShapesError(
                    f"shape {shape.node}: {predicate.n3(self.graph.namespace_manager)} is not "
                    "supported by the oxigraph engine"
                )
        return sorted(found)

    def values(self, shape, focus: str, value: str) -> str:
        """The pattern binding ?value to the value nodes of ?focus."""
        if not shape.is_property_shape:
            return f"BIND (?{focus} AS ?{value})"
        return f"?{focus} {shacl_path_to_sparql_path(self.sg, shape.path())} ?{value} ."

    # --- focus nodes -------------------------------------------------------------------------

    def targets(self, shape):
        """(pattern function, prefixes) for a shape's own targets, or None if it has none."""
        parts, prefixes = [], {}
        g = self.graph
        for cls in g.objects(shape.node, SH.targetClass):
            parts.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {_iri(cls)} .")
        nodes = [_term(n) for n in g.objects(shape.node, SH.targetNode)]
        if nodes:
            parts.append(f"VALUES ?this {{ {' '.join(nodes)} }}")
        for p in g.objects(shape.node, SH.targetSubjectsOf):
            parts.append(f"?this {_iri(p)} ?any .")
        for p in g.objects(shape.node, SH.targetObjectsOf):
            parts.append(f"?any {_iri(p)} ?this .")
        for target in g.objects(shape.node, SH.target):
            selects = list(g.objects(target, SH.select))
            if len(selects) != 1 or (target, SH.parameter, None) in g:
                raise UnsupportedShapesError(f"shape {shape.node}: only SPARQL targets (sh:select) are supported")
            text = str(selects[0])
            if PREFIX_OR_BASE.search(text):
                raise UnsupportedShapesError(f"shape {shape.node}: a target query with its own PREFIX or BASE")
            for prefix, namespace in self.prefixes(target).items():
                if prefixes.setdefault(prefix, namespace) != namespace:
                    raise UnsupportedShapesError(f"shape {shape.node}: prefix {prefix} bound twice")
            parts.append("{ " + text.replace("$this", "?this") + " }")
        if shape.implicit_class_targets():
            raise UnsupportedShapesError(f"shape {shape.node}: implicit class targets are not supported")
        if not parts:
            return None
        union = " UNION ".join("{ " + p + " }" for p in parts)
        return (lambda var: f"{{ SELECT DISTINCT (?this AS ?{var}) WHERE {{ {union} }} }}"), prefixes

    def prefixes(self, node) -> dict:
        """The prefixes a SPARQL node declares, as pySHACL collects them (sh:prefixes -> sh:declare)."""
        helper = _QueryPrefixes(self.sg, node)
        return dict(helper.prefixes)

    def value_focus(self, shape, focus):
        """The value nodes of `shape` for the focus pattern `focus`, as a focus pattern."""
        if not shape.is_property_shape:
            return focus  # a node shape's value node is its focus node

        def pattern(var):
            parent = self.var()
            return f"{{ SELECT DISTINCT ?{var} WHERE {{ {focus(parent)} {self.values(shape, parent, var)} }} }}"

        return pattern

    # --- evaluation --------------------------------------------------------------------------

    def run(self) -> list[Hit]:
        hits = []
        for shape in list(self.sg.shapes):
            if shape.deactivated:
                continue
            found = self.targets(shape)
            if found is not None:
                hits.extend(self.evaluate(shape, *found))
        return hits

    def evaluate(self, shape, focus, prefixes, nested=False) -> list[Hit]:
        """Every result of `shape` (and of its sh:property shapes) on the focus nodes `focus`."""
        if shape.deactivated:
            return []
        hits = []
        for parameter in self.parameters(shape):
            hits.extend(self.constraint(shape, parameter, focus, prefixes))
        children = list(self.graph.objects(shape.node, SH.property))
        if children and nested and shape.is_property_shape:
            raise UnsupportedShapesError(
                f"shape {shape.node}: sh:property under a property shape inside sh:or/sh:and/sh:xone/sh:not/sh:node"
            )
        child_focus = self.value_focus(shape, focus) if shape.is_property_shape else focus
        for child in children:
            hits.extend(self.evaluate(self.shape(child), child_focus, prefixes, nested))
        return hits

    def violators(self, shape, focus, prefixes) -> set:
        """The focus nodes that do not conform to `shape`."""
        return {hit.focus for hit in self.evaluate(shape, focus, prefixes, nested=True)}

    def pairs(self, shape, focus, prefixes, condition: str = "") -> list[tuple]:
        query = (
            f"SELECT DISTINCT ?focus ?value WHERE {{ {focus('focus')} {self.values(shape, 'focus', 'value')} "
            f"{condition} }}"
        )
        return self.select(query, prefixes)

    def counts(self, shape, focus, prefixes) -> list[tuple]:
        """(focus node, number of values) of the focus nodes whose count breaks one of the shape's
        sh:minCount and sh:maxCount: one query for both (each would group every focus node), kept
        for the second of them."""
        key = (shape.node, focus("focus"))
        if key not in self._counts:
            tests = [f"?n < {int(b)}" for b in self.graph.objects(shape.node, SH.minCount)]
            tests += [f"?n > {int(b)}" for b in self.graph.objects(shape.node, SH.maxCount)]
            query = (
                f"SELECT ?focus ?n WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?value) AS ?n) WHERE {{ "
                f"{focus('focus')} OPTIONAL {{ {self.values(shape, 'focus', 'value')} }} }} GROUP BY ?focus }} "
                f"FILTER ({' || '.join(tests)}) }}"
            )
            self._counts[key] = [(f, int(n.value)) for f, n in self.select(query, prefixes)]
        return self._counts[key]

    def constraint(self, shape, parameter, focus, prefixes) -> list[Hit]:
        component = COMPONENTS[parameter]
        objects = list(self.graph.objects(shape.node, parameter))
        hit = lambda f, v=None: Hit(shape, f, v, component)  # noqa: E731
        if parameter in (SH.minCount, SH.maxCount, SH.uniqueLang) and not shape.is_property_shape:
            raise UnsupportedShapesError(f"shape {shape.node}: {parameter} on a node shape")

        if parameter in (SH.minCount, SH.maxCount):
            counts = self.counts(shape, focus, prefixes)
            if parameter == SH.minCount:
                return [hit(f) for bound in objects for f, n in counts if n < int(bound)]
            return [hit(f) for bound in objects for f, n in counts if n > int(bound)]

        if parameter == SH["class"]:
            hits = []
            for cls in objects:
                condition = f"MINUS {{ ?value <{RDF.type}>/<{RDFS.subClassOf}>* {_iri(cls)} . }}"
                hits.extend(hit(f, v) for f, v in self.pairs(shape, focus, prefixes, condition))
            return hits

        if parameter == SH.uniqueLang:
            if not any(bool(o.toPython()) is True for o in objects if isinstance(o, Literal)):
                return []
            path = shacl_path_to_sparql_path(self.sg, shape.path())
            query = (
                f"SELECT DISTINCT ?focus ?lang WHERE {{ {focus('focus')} ?focus {path} ?a . ?focus {path} ?b . "
                'FILTER (!sameTerm(?a, ?b) && LANG(?a) != "" && LCASE(LANG(?a)) = LCASE(LANG(?b))) '
                "BIND (LCASE(LANG(?a)) AS ?lang) }"
            )
            return [hit(f) for f, _ in self.select(query, prefixes)]

        if parameter == SH.sparql:
            return self.sparql(shape, focus, prefixes)

        # Constraints on each value node.
        exact = self.expression(shape.node, parameter, "?value")
        if exact is not None:
            return [hit(f, v) for f, v in self.pairs(shape, focus, prefixes, f"FILTER (!({exact}))")]

        if parameter == SH.datatype:
            [datatype] = objects
            hits = [
                hit(f, v)
                for f, v in self.pairs(
                    shape, focus, prefixes, f"FILTER (!isLiteral(?value) || DATATYPE(?value) != {_iri(datatype)})"
                )
            ]
            # well-typed as rdflib reads it, checked as pySHACL does
            for f, v in self.pairs(
                shape, focus, prefixes, f"FILTER (isLiteral(?value) && DATATYPE(?value) = {_iri(datatype)})"
            ):
                literal = self.rdflib(v)
                if getattr(
                    literal, "ill_typed", None
                ) is True or not DatatypeConstraintComponent._assert_actual_datatype(None, literal, datatype):
                    hits.append(hit(f, v))
            return hits

        if parameter == SH.pattern:
            matchers = PatternConstraintComponent(shape).compiled_cache
            hits = []
            for rule in objects:
                for f, v in self.pairs(shape, focus, prefixes):
                    value = self.rdflib(v)
                    text = StringBasedConstraintBase.value_node_to_string(value)
                    if isinstance(value, BNode) or not matchers[rule].search(text):
                        hits.append(hit(f, v))
            return hits

        if parameter in RANGES:
            hits = []
            for bound in objects:
                if not isinstance(bound, Literal):
                    raise UnsupportedShapesError(f"shape {shape.node}: {parameter} {bound} is not a literal")
                for f, v in self.pairs(shape, focus, prefixes):
                    if not self.in_range(self.rdflib(v), bound, RANGES[parameter]):
                        hits.append(hit(f, v))
            return hits

        # Logical constraints and sh:node: which value nodes conform to which member shapes.
        pairs = self.pairs(shape, focus, prefixes)
        if not pairs:
            return []
        members = self.members(shape.node, parameter)
        value_focus = self.value_focus(shape, focus)
        bad = [self.violators(m, value_focus, prefixes) for m in members]
        if parameter == SH["or"]:
            broken = lambda v: all(v in b for b in bad)  # noqa: E731
        elif parameter in (SH["and"], SH.node):
            broken = lambda v: any(v in b for b in bad)  # noqa: E731
        elif parameter == SH.xone:
            broken = lambda v: sum(v not in b for b in bad) != 1  # noqa: E731
        else:  # sh:not
            broken = lambda v: any(v not in b for b in bad)  # noqa: E731
        if parameter == SH.node:  # one result per sh:node shape broken
            return [hit(f, v) for b in bad for f, v in pairs if v in b]
        return [hit(f, v) for f, v in pairs if broken(v)]

    @staticmethod
    def in_range(value, bound: Literal, test) -> bool:
        """pySHACL's value range check (value_range_constraints.py)."""
        if not isinstance(value, Literal):
            return False
        if isinstance(bound.value, str) != isinstance(value.value, str):
            return False
        try:
            return test(compare_literal(value, bound))
        except (TypeError, NotImplementedError):
            return False

    def members(self, node, parameter) -> list:
        if parameter in (SH["or"], SH["and"], SH.xone):
            lists = list(self.graph.objects(node, parameter))
            return [self.shape(m) for lst in lists for m in self.graph.items(lst)]
        return [self.shape(m) for m in self.graph.objects(node, parameter)]

    def expression(self, node, parameter, v: str) -> str | None:
        """A SPARQL expression true when value `v` meets `parameter` of shape `node`, where SPARQL alone
        decides exactly as pySHACL does; None otherwise."""
        objects = list(self.graph.objects(node, parameter))
        if parameter == SH.nodeKind:
            [kind] = objects
            return NODE_KINDS[kind].format(v=v)
        if parameter == SH["in"]:
            items = [t for lst in objects for t in self.graph.items(lst)]
            if any(isinstance(t, BNode) for t in items):
                raise UnsupportedShapesError(f"shape {node}: sh:in with a blank node")
            return "(" + " || ".join([f"sameTerm({v}, {_term(t)})" for t in items] or ["false"]) + ")"
        if parameter == SH.datatype and objects[0] in STRINGS:
            return f"(isLiteral({v}) && DATATYPE({v}) = {_iri(objects[0])})"
        if parameter == SH["class"] and len(objects) == 1 and self.inside_logical(node):
            return f"EXISTS {{ {v} <{RDF.type}>/<{RDFS.subClassOf}>* {_iri(objects[0])} }}"
        if parameter in (SH["or"], SH["and"], SH.xone, SH["not"]):
            parts = [self.conforms(m, v) for m in self.members(node, parameter)]
            if any(p is None for p in parts):
                return None
            if parameter == SH["or"]:
                return "(" + " || ".join(parts or ["false"]) + ")"
            if parameter == SH["and"]:
                return "(" + " && ".join(parts or ["true"]) + ")"
            if parameter == SH["not"]:
                return "(" + " && ".join(f"!{p}" for p in parts) + ")"
            ones = " + ".join(f"IF({p}, 1, 0)" for p in parts)
            return f"(({ones}) = 1)"
        return None

    def inside_logical(self, node) -> bool:
        """sh:class as an EXISTS per value only inside a logical member; on its own a MINUS is faster."""
        return isinstance(node, BNode) and (None, RDF.first, node) in self.graph

    def conforms(self, shape, v: str) -> str | None:
        """A SPARQL expression for 'v conforms to member shape', if the shape is simple enough."""
        if shape.deactivated:
            return "true"
        if (shape.node, SH.property, None) in self.graph:
            return None
        if shape.is_property_shape:  # only "at least one value": EXISTS
            if self.parameters(shape) != [SH.minCount] or set(self.graph.objects(shape.node, SH.minCount)) != {
                Literal(1)
            }:
                return None
            return f"EXISTS {{ {v} {shacl_path_to_sparql_path(self.sg, shape.path())} ?{self.var()} }}"
        parts = []
        for parameter in self.parameters(shape):
            part = self.expression(shape.node, parameter, v)
            if part is None:
                return None
            parts.append(part)
        return "(" + " && ".join(parts or ["true"]) + ")"

    def sparql(self, shape, focus, prefixes) -> list[Hit]:
        """sh:sparql constraints, run once per focus node with ?this pre-bound, as pySHACL does."""
        constraint = SPARQLBasedConstraint(shape)
        helpers = [h for h in constraint.sparql_constraints if not h.deactivated]
        if not helpers:
            return []
        focus_nodes = [f for (f,) in self.select(f"SELECT ?focus WHERE {{ {focus('focus')} }}", prefixes)]
        hits = []
        for helper in helpers:
            messages = tuple(helper.messages or ())
            if any("{?" in str(m) or "{$" in str(m) for m in messages + tuple(shape.message)):
                raise UnsupportedShapesError(f"shape {shape.node}: message templates are not supported")
            for f in focus_nodes:
                bindings, text = helper.pre_bind_variables(self.rdflib(f))
                text = helper.apply_prefixes(text)
                substitutions = {ox.Variable(k): to_oxigraph(t) for k, t in bindings.items()}
                try:
                    answer = self.store.query(text, substitutions=substitutions)
                except SyntaxError as exc:
                    raise InputError(f"unusable shapes: a query of {shape.node} does not parse: {exc}") from None
                seen = []
                default_value = None if shape.is_property_shape else f
                for solution in answer:
                    row = {v.value: solution[v] for v in answer.variables if solution[v] is not None}
                    if row.pop("failure", None) is not None:
                        raise UnsupportedShapesError(f"shape {shape.node}: ?failure is not supported")
                    p, v, t = row.pop("path", None), row.pop("value", None), row.pop("this", None)
                    if p is None and v is None and t is None:
                        continue
                    key = (t, p, v, row)
                    if key in seen:
                        continue
                    seen.append(key)
                    hits.append(
                        Hit(
                            shape,
                            t or f,
                            v if v is not None else default_value,
                            SH.SPARQLConstraintComponent,
                            path=p,
                            constraint=helper.node,
                            messages=messages,
                        )
                    )
        return hits


class _QueryPrefixes:
    """The prefixes of a SPARQL node (sh:prefixes, sh:declare), read with pySHACL's own helper."""

    def __init__(self, sg, node):
        class _Shape:  # the helper reads only .sg and .node of its shape
            pass

        stub = _Shape()
        stub.sg, stub.node = sg, node
        helper = SPARQLQueryHelper(stub, node, "", deactivated=False)
        helper.collect_prefixes()
        self.prefixes = helper.prefixes


def run(store: ox.Store, shapes: Graph) -> list[Hit]:
    """Validate the triples of `store` (its default graph) against `shapes`; the results, unsorted."""
    try:
        return Engine(store, shapes).run()
    except InputError:
        raise
    except Exception as exc:  # pySHACL's shape loader: ShapeLoadError, ConstraintLoadError, ...
        if exc.__class__.__module__.startswith("pyshacl"):
            raise InputError(f"unusable shapes: {' '.join(str(exc).split())}") from None
        raise


def report_graph(hits: list[Hit], shapes: Graph) -> Graph:
    """A SHACL validation report with the triples pySHACL writes for each result."""
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(not hits)))
    for hit in hits:
        node = BNode()
        shape = hit.shape
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.sourceConstraintComponent, hit.component))
        report.add((node, SH.sourceShape, shape.node))
        report.add((node, SH.resultSeverity, shape.severity))
        report.add((node, SH.focusNode, to_rdflib(hit.focus)))
        if hit.value is not None:
            report.add((node, SH.value, to_rdflib(hit.value)))
        path = to_rdflib(hit.path) if hit.path is not None else shape.path() if shape.is_property_shape else None
        if path is not None:
            report.add((node, SH.resultPath, path))
            _copy(shapes, path, report)
        if hit.constraint is not None:
            report.add((node, SH.sourceConstraint, hit.constraint))
            _copy(shapes, hit.constraint, report)
        messages = set(shape.message) | set(hit.messages)
        if not messages:
            raise UnsupportedShapesError(f"shape {shape.node} has no sh:message: pySHACL writes its own")
        for message in messages:
            report.add((node, SH.resultMessage, message))
    return report


def _copy(source: Graph, node, target: Graph) -> None:
    """Copy the description of a blank node (a path, a list) from the shapes graph."""
    if not isinstance(node, BNode):
        return
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        _copy(source, o, target)
