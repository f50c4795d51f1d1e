"""What the graph holds: triples per graph, entities per class, uses per property, dates covered."""

from collections import Counter
from dataclasses import dataclass

from rdflib import Dataset, Graph, URIRef

from kfor_graph.namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, RDF, TIME, compact

DATE_PROPERTIES = [TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear]


@dataclass
class Stats:
    triples: dict[str, int]  # "ontology", "data", "inferred", "total" -> triples
    classes: list[tuple[URIRef, int]]  # entities per class in the data graph, most first
    properties: list[tuple[URIRef, int]]  # triples per property in the data graph, most first
    dates: list[str]  # the earliest and latest date in the data graph, or [] if it has none


def class_counts(graph: Graph) -> list[tuple[URIRef, int]]:
    counts = Counter(o for o in graph.objects(None, RDF.type))
    return _most_first(counts)


def property_counts(graph: Graph) -> list[tuple[URIRef, int]]:
    return _most_first(Counter(p for p in graph.predicates(None, None, unique=False)))


def date_range(graph: Graph) -> list[str]:
    """Earliest and latest time:inXSDDate / inXSDgYearMonth / inXSDgYear value. ISO dates of any
    precision sort correctly as text ("1999" < "1999-06" < "1999-06-09")."""
    values = sorted(str(o) for p in DATE_PROPERTIES for o in graph.objects(None, p))
    return [values[0], values[-1]] if values else []


def _most_first(counts: Counter) -> list:
    return sorted(counts.items(), key=lambda item: (-item[1], name(item[0])))


def compute(dataset: Dataset) -> Stats:
    ontology, data = dataset.graph(ONTOLOGY_GRAPH), dataset.graph(DATA_GRAPH)
    inferred = dataset.graph(INFERRED_GRAPH)
    total = len(set(ontology) | set(data) | set(inferred))
    return Stats(
        triples={"ontology": len(ontology), "data": len(data), "inferred": len(inferred), "total": total},
        classes=class_counts(data),
        properties=property_counts(data),
        dates=date_range(data),
    )


def name(term) -> str:
    return compact(term) or str(term)


def counts_table(rows: list[tuple[URIRef, int]], indent: str = "  ") -> list[str]:
    width = max((len(str(n)) for _, n in rows), default=1)
    return [f"{indent}{n:>{width}}  {name(term)}" for term, n in rows]


def format_stats(stats: Stats) -> str:
    t = stats.triples
    lines = [f"triples: {t['total']} (ontology {t['ontology']}, data {t['data']}, inferred {t['inferred']})"]
    dates = " to ".join(stats.dates) if stats.dates else "none"
    lines.append(f"dates covered: {dates}")
    lines.append(f"entities per class (data graph, {len(stats.classes)} classes):")
    lines += counts_table(stats.classes)
    lines.append(f"triples per property (data graph, {len(stats.properties)} properties):")
    lines += counts_table(stats.properties)
    return "\n".join(lines) + "\n"
