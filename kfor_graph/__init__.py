"""KFOR Graph: an open linked-data knowledge graph of NATO's Kosovo Force, and the tools to check,
query and publish it.

    import kfor_graph
    dataset = kfor_graph.load_dataset()             # ontology + data, two named graphs
    report = kfor_graph.validate(kfor_graph.named_graph(dataset, kfor_graph.DATA_GRAPH))
    result = kfor_graph.run_named_query("commander-on-date", dataset, {"date": "2005-01-01"})
    turtle = kfor_graph.serialize(dataset, "ttl")
"""

__version__ = "0.1.0"

from kfor_graph.errors import InputError, KforGraphError, NotConformingError, QueryError
from kfor_graph.export import serialize
from kfor_graph.load import load_dataset, load_ontology, named_graph, union_graph
from kfor_graph.namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from kfor_graph.query import QueryResult, run_named_query, run_query
from kfor_graph.validate import load_shapes, validate, validate_dataset

__all__ = [
    "__version__",
    "KforGraphError",
    "InputError",
    "QueryError",
    "NotConformingError",
    "ONTOLOGY_GRAPH",
    "DATA_GRAPH",
    "load_dataset",
    "load_ontology",
    "named_graph",
    "union_graph",
    "INFERRED_GRAPH",
    "validate",
    "validate_dataset",
    "load_shapes",
    "run_query",
    "run_named_query",
    "QueryResult",
    "serialize",
]
