"""Validate data against the project's SHACL shapes (ontology/kfor-shapes.ttl): by default with the
shapes compiled to SPARQL on Oxigraph (kfor_graph.shacl_sparql), else with pySHACL, the reference.

    report = validate(graph)
    report.conforms, report.results, report.format("text" | "turtle" | "json")

The ontology is mixed into the data graph and no inference is run: SHACL itself follows
rdfs:subClassOf in the data graph for sh:targetClass and sh:class, so an instance of kfor:Country is
checked by the kfor:Place shapes without the cost of an RDFS reasoner.

pySHACL runs the SPARQL parts of the shapes (SHACL-AF SPARQL targets, sh:sparql constraints) through
`Graph.query`, which asks the graph's store first. The store here is rdflib's in-memory store with an
Oxigraph copy of the same triples that answers those queries, 100 times faster or more than rdflib's
SPARQL engine; the core constraints keep rdflib's triple lookups, which are faster from Python.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.graph import ConjunctiveGraph, Dataset
from rdflib.namespace import NamespaceManager
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.stores.memory import Memory
from rdflib.query import Result as QueryResult

from kfor_graph import resources, shacl_sparql
from kfor_graph.errors import InputError
from kfor_graph.load import load_dataset, load_ontology, load_store, parse_turtle, store_prefixes
from kfor_graph.namespaces import DATA_GRAPH, ONTOLOGY_GRAPH, RDF, SH, SHAPES
from kfor_graph.terms import to_oxigraph, to_quads, to_rdflib

__all__ = [
    "Report",
    "Result",
    "validate",
    "validate_dataset",
    "validate_files",
    "validate_store",
    "load_shapes",
    "FORMATS",
    "ENGINES",
]

FORMATS = ("text", "turtle", "json")
ENGINES = ("oxigraph", "pyshacl")
SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def load_shapes(path: Path | str | None = None, root=None) -> Graph:
    """The shapes graph: the file `path` if given, else every ontology/*-shapes.ttl of the project."""
    files = [Path(path)] if path is not None else resources.shapes_files(root)
    if not files:
        raise InputError(f"no shapes found: {resources.project_root(root) / 'ontology'} has no *-shapes.ttl")
    shapes = Graph()
    for file in files:
        shapes += parse_turtle(file)
    if not any((None, RDF.type, kind) in shapes for kind in (SH.NodeShape, SH.PropertyShape)):
        raise InputError(
            f"{', '.join(map(str, files))}: no shape (sh:NodeShape or sh:PropertyShape) to validate against"
        )
    return shapes


def validate_dataset(
    dataset: Dataset, shapes: Path | str | None = None, root=None, engine: str | None = None
) -> "Report":
    """Validate the data graph of a dataset made by load_dataset() against the shapes (the file
    `shapes`, else the project's), with its ontology graph alongside. Returns the report."""
    # the dataset's own graphs, not copies: validate() puts them together in one graph anyway
    return validate(
        dataset.graph(DATA_GRAPH),
        shapes=load_shapes(shapes, root),
        ontology=dataset.graph(ONTOLOGY_GRAPH),
        engine=engine,
    )


@dataclass(frozen=True)
class Result:
    """One validation result. `focus`, `shape`, `value` (None if none) are rdflib terms; `path` is an
    IRI or an rdflib path (org:memberDuring/time:hasBeginning), None for a node-level rule."""

    focus: object
    path: object
    shape: object
    value: object
    message: str
    severity: URIRef
    component: URIRef

    @property
    def constraint(self) -> str:
        """The kind of constraint, as its SHACL parameter: sh:minCount, sh:class, sh:sparql..."""
        name = str(self.component).removeprefix(str(SH)).removesuffix("ConstraintComponent")
        return "sh:sparql" if name == "SPARQL" else "sh:" + name[:1].lower() + name[1:]

    def sort_key(self):
        return (
            str(self.focus),
            _path_n3(self.path) or "",
            str(self.shape),
            str(self.component),
            _n3(self.value),
            self.message,
        )

    def as_json(self) -> dict:
        record = {
            "focus": str(self.focus),
            "path": _path_n3(self.path, bare=True),
            "value": None if self.value is None else str(self.value),
            "message": self.message,
            "shape": str(self.shape),
            "severity": SEVERITY_NAMES.get(self.severity, str(self.severity)),
            "constraint": self.constraint,
            "component": str(self.component),
        }
        if isinstance(self.value, Literal):
            record["datatype"] = str(self.value.datatype) if self.value.datatype else None
            record["language"] = self.value.language
        return record


def _n3(node, nsm: NamespaceManager | None = None) -> str:
    return "" if node is None else node.n3(nsm)


def _path_n3(path, nsm: NamespaceManager | None = None, bare: bool = False) -> str | None:
    """A SHACL path as a SPARQL property path: org:memberDuring/time:hasBeginning."""
    if path is None:
        return None
    if bare and isinstance(path, URIRef):
        return str(path)
    return path.n3(nsm)


def _rdf_path(graph: Graph, node):
    """Turn a SHACL path node of the report graph into an rdflib path (sequence, ^, |, *, +, ?)."""
    if node is None or isinstance(node, URIRef):
        return node
    if (node, RDF.first, None) in graph:
        return SequencePath(*(_rdf_path(graph, n) for n in Collection(graph, node)))
    if (inverse := graph.value(node, SH.inversePath)) is not None:
        return InvPath(_rdf_path(graph, inverse))
    if (alternatives := graph.value(node, SH.alternativePath)) is not None:
        return AlternativePath(*(_rdf_path(graph, n) for n in Collection(graph, alternatives)))
    for predicate, mod in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        if (inner := graph.value(node, predicate)) is not None:
            return MulPath(_rdf_path(graph, inner), mod)
    return node


@dataclass
class Report:
    conforms: bool
    graph: Graph
    results: list[Result]
    namespaces: NamespaceManager | None = None

    def format(self, fmt: str = "text") -> str:
        if fmt == "turtle":
            return self.graph.serialize(format="turtle")
        if fmt == "json":
            return json.dumps([r.as_json() for r in self.results], indent=2, ensure_ascii=False) + "\n"
        if fmt == "text":
            return self._text()
        raise InputError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")

    def _text(self) -> str:
        nsm = self.namespaces
        lines, focus = [], None
        for r in self.results:
            if r.focus != focus:
                focus = r.focus
                lines.append(("\n" if lines else "") + _n3(focus, nsm))
            severity = SEVERITY_NAMES.get(r.severity, _n3(r.severity, nsm))
            lines.append(f"  {severity}: {r.message}")
            lines.append(f"    path:  {_path_n3(r.path, nsm) or '-'}")
            if r.value is not None:
                lines.append(f"    value: {_n3(r.value, nsm)}")
            lines.append(f"    shape: {_n3(r.shape, nsm)} ({r.constraint})")
        focus_count = len({r.focus for r in self.results})
        if self.conforms:
            summary = "Conforms: the data meets every shape."
            if self.results:
                summary = f"Conforms, with {len(self.results)} warning(s) on {focus_count} node(s)."
        else:
            summary = f"Does not conform: {len(self.results)} result(s) on {focus_count} node(s)."
        return "\n".join(lines + ([""] if lines else []) + [summary]) + "\n"


def _results(report: Graph) -> list[Result]:
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(
            Result(
                focus=report.value(node, SH.focusNode),
                path=_rdf_path(report, report.value(node, SH.resultPath)),
                shape=report.value(node, SH.sourceShape),
                value=report.value(node, SH.value),
                message=" ".join(messages),
                severity=report.value(node, SH.resultSeverity),
                component=report.value(node, SH.sourceConstraintComponent),
            )
        )
    return sorted(results, key=Result.sort_key)


class OxigraphQueries(Memory):
    """rdflib's in-memory store, whose SPARQL queries an Oxigraph copy answers (see the module doc).
    Call `freeze()` once every triple is in; the copy does not follow later changes."""

    mirror: ox.Store | None = None

    def freeze(self) -> None:
        # None where Oxigraph rejects a term (an IRI with a space): rdflib then answers instead
        self.mirror = _oxigraph_copy(t for t, _ in self.triples((None, None, None)))

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 (rdflib's names)
        if self.mirror is None or not isinstance(query, str):
            raise NotImplementedError  # rdflib then evaluates the query itself
        substitutions = {ox.Variable(str(k)): to_oxigraph(v) for k, v in (initBindings or {}).items()}
        prefixes = {prefix: str(namespace) for prefix, namespace in (initNs or {}).items()}
        answer = self.mirror.query(query, prefixes=prefixes, substitutions=substitutions)
        if isinstance(answer, ox.QueryBoolean):
            result = QueryResult("ASK")
            result.askAnswer = bool(answer)
            return result
        if not isinstance(answer, ox.QuerySolutions):
            raise NotImplementedError  # CONSTRUCT/DESCRIBE: pySHACL's rules only, which are not used
        result = QueryResult("SELECT")
        result.vars = [Variable(v.value) for v in answer.variables]
        result.bindings = [
            {var: to_rdflib(value) for var, value in zip(result.vars, solution, strict=True) if value is not None}
            for solution in answer
        ]
        return result


def _union(data: Graph, ontology: Graph) -> Graph:
    """Data and ontology in one plain graph, queried by Oxigraph. One graph, because the data refers
    to the ontology's classes, and pySHACL before 0.40 validates each named graph of a Dataset on its own."""
    union = Graph(store=OxigraphQueries(), namespace_manager=data.namespace_manager)
    union += _triples(data, ontology)
    union.store.freeze()
    return union


def _triples(*graphs):
    for graph in graphs:
        if isinstance(graph, (Dataset, ConjunctiveGraph)):
            yield from ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
        else:
            yield from graph


def to_store(*graphs) -> ox.Store | None:
    """The triples of rdflib graphs in one in-memory Oxigraph store (default graph); None if Oxigraph
    rejects a term (an IRI with a space, which rdflib keeps)."""
    return _oxigraph_copy(_triples(*graphs))


def _oxigraph_copy(triples) -> ox.Store | None:
    store = ox.Store()
    try:
        store.bulk_extend(to_quads(triples))
    except ValueError:
        return None
    return store


def validate(
    data: Graph, shapes: Graph | None = None, ontology: Graph | None = None, engine: str | None = None
) -> Report:
    """Validate `data` against `shapes` (default: the project's shapes), with `ontology` (default: the
    project's ontology; pass an empty Graph for none) mixed in for the class hierarchy.

    `engine`: "oxigraph" (the shapes compiled to SPARQL, kfor_graph.shacl_sparql), "pyshacl" (the
    reference), or None: Oxigraph, falling back to pySHACL for shapes or data it cannot take."""
    shapes = load_shapes() if shapes is None else shapes
    ontology = load_ontology() if ontology is None else ontology
    _check_engine(engine)
    if engine != "pyshacl":
        store = to_store(data, ontology)
        if store is None and engine == "oxigraph":
            raise InputError("the oxigraph engine cannot take the data: Oxigraph rejects one of its terms")
        if store is not None:
            try:
                return validate_store(store, shapes, (ontology, data))
            except shacl_sparql.UnsupportedShapesError:
                if engine == "oxigraph":
                    raise
    union = _union(data, ontology)
    try:
        conforms, report, _ = pyshacl.validate(
            union,
            shacl_graph=shapes,
            inference="none",
            advanced=True,  # SHACL-AF SPARQL targets, see the shapes file
            inplace=True,  # the union is ours to use: no second copy
        )
    except Exception as exc:  # pySHACL's ShapeLoadError, ConstraintLoadError, ReportableRuntimeError
        if exc.__class__.__module__.startswith("pyshacl"):
            raise InputError(f"unusable shapes: {' '.join(str(exc).split())}") from None
        raise
    if not isinstance(report, Graph):  # a pySHACL ValidationFailure: the shapes cannot be used
        raise InputError(f"unusable shapes: {getattr(report, 'message', report)}")
    return _report(conforms, report, (ontology, data, shapes))


def _check_engine(engine) -> None:
    if engine not in (*ENGINES, None):
        raise InputError(f"unknown validation engine {engine!r}: use one of {', '.join(ENGINES)}")


def validate_store(store: ox.Store, shapes: Graph | None = None, prefix_sources=()) -> Report:
    """Validate the triples of an Oxigraph store (data and ontology together, in its default graph)
    with the oxigraph engine; raises shacl_sparql.UnsupportedShapesError for shapes it cannot compile."""
    shapes = load_shapes() if shapes is None else shapes
    hits = shacl_sparql.run(store, shapes)
    report = shacl_sparql.report_graph(hits, shapes)
    return _report(not hits, report, (*prefix_sources, shapes))


def validate_files(paths=None, shapes: Path | str | None = None, root=None, engine: str | None = None) -> Report:
    """Validate the files load_dataset(paths, root) reads against the shapes (the file `shapes`, else
    the project's). The oxigraph engine reads them straight into Oxigraph, without rdflib; pySHACL
    (engine "pyshacl", or the fallback for shapes the oxigraph engine does not compile) validates
    rdflib's dataset."""
    shapes_graph = load_shapes(shapes, root)
    _check_engine(engine)
    if engine != "pyshacl":
        store = load_store(paths, root=root)
        try:
            return validate_store(store, shapes_graph, (_store_prefixes(store),))
        except shacl_sparql.UnsupportedShapesError:
            if engine == "oxigraph":
                raise
    dataset = load_dataset(paths, root=root)
    return validate(
        dataset.graph(DATA_GRAPH), shapes=shapes_graph, ontology=dataset.graph(ONTOLOGY_GRAPH), engine="pyshacl"
    )


def _store_prefixes(store: ox.Store) -> Graph:
    """A graph with the prefixes load_dataset binds (namespaces.prefixes_for), for the report's names."""
    graph = Graph()
    for prefix, namespace in store_prefixes(store).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def _report(conforms: bool, report: Graph, prefix_sources) -> Report:
    nsm = NamespaceManager(Graph(), bind_namespaces="rdflib")
    for graph in prefix_sources:
        for prefix, namespace in graph.namespaces():
            nsm.bind(prefix, namespace, override=False)
    nsm.bind("shapes", SHAPES, override=False)
    report.namespace_manager = nsm
    return Report(conforms=conforms, graph=report, results=_results(report), namespaces=nsm)
