"""What the graph holds: triples per graph, entities per class, uses per property, dates covered."""

from dataclasses import dataclass

from rdflib import URIRef

from kfor_graph.load import as_store
from kfor_graph.namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, TIME, compact
from kfor_graph.terms import to_rdflib

DATE_PROPERTIES = [TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear]


@dataclass
class Stats:
    triples: dict[str, int]  # "ontology", "data", "inferred", "total" -> triples
    classes: list[tuple[URIRef, int]]  # entities per class in the data graph, most first
    properties: list[tuple[URIRef, int]]  # triples per property in the data graph, most first
    dates: list[str]  # the earliest and latest date in the data graph, or [] if it has none


def compute(graphs) -> Stats:
    """The figures of a store of the named graphs (load.load_graphs) or an rdflib Dataset, counted
    by Oxigraph."""
    store = as_store(graphs)

    def rows(query: str) -> list[tuple]:
        return [tuple(map(to_rdflib, row)) for row in store.query(query)]

    def graph_size(iri: str) -> int:
        return int(rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")[0][0])

    (total,) = rows("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")[0]
    data = f"GRAPH <{DATA_GRAPH}>"
    classes = rows(f"SELECT ?c (COUNT(*) AS ?n) WHERE {{ {data} {{ ?x a ?c }} }} GROUP BY ?c")
    properties = rows(f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {data} {{ ?s ?p ?o }} }} GROUP BY ?p")
    # ISO dates of any precision sort correctly as text ("1999" < "1999-06" < "1999-06-09").
    values = " ".join(f"<{p}>" for p in DATE_PROPERTIES)
    dates = rows(
        f"SELECT (MIN(STR(?d)) AS ?first) (MAX(STR(?d)) AS ?last) WHERE {{ {data} {{ VALUES ?p {{ {values} }} ?x ?p ?d }} }}"
    )
    return Stats(
        triples={
            "ontology": graph_size(ONTOLOGY_GRAPH),
            "data": graph_size(DATA_GRAPH),
            "inferred": graph_size(INFERRED_GRAPH),
            "total": int(total),
        },
        classes=_most_first(classes),
        properties=_most_first(properties),
        dates=[str(d) for d in dates[0]] if dates and dates[0][0] is not None else [],
    )


def _most_first(counts) -> list:
    return sorted(((term, int(n)) for term, n in counts), key=lambda item: (-item[1], name(item[0])))


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
