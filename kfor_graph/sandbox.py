"""Queries see only the graph, and stop at their limits.

- `check_query` refuses, before anything runs and whatever the engine: SERVICE, FROM / FROM NAMED of
  an IRI that is not one of the dataset's graphs, and every update (LOAD included). rdflib's SPARQL
  parser is the gate for both engines.
- `run_limited` runs a query in a forked child process, so that a query past its time limit is
  stopped for good (neither rdflib nor pyoxigraph can interrupt a running query), and a runaway
  one cannot take the caller's memory with it.
"""

import multiprocessing
import os
from collections.abc import Callable, Iterable

import rdflib.plugins.sparql
from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kfor_graph.errors import KforGraphError, QueryError

# Never let rdflib fetch a FROM / FROM NAMED graph from the Web or the disk: a graph named there is
# looked up in the dataset only (check_query has already refused any other).
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

DEFAULT_TIMEOUT = 60.0  # seconds
DEFAULT_MAX_ROWS = 100_000


def check_query(text: str, graphs: Iterable[str] = ()):
    """Raise QueryError if the query is not a read-only query over the dataset's `graphs`; else
    return rdflib's parse tree of it."""
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        if _is_update(text):
            raise QueryError("updates are refused: the graph is read-only (LOAD, INSERT, DELETE, CLEAR...)") from None
        raise QueryError(f"bad query: line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    except Exception as exc:  # rdflib's parser raises a few other types for malformed terms
        raise QueryError(f"bad query: {' '.join(str(exc).split())}") from None
    allowed = {str(g) for g in graphs}
    for node in nodes(parsed):
        if node.name == "ServiceGraphPattern":
            raise QueryError("SERVICE is refused: queries see only this graph, never another endpoint")
        if node.name == "DatasetClause":
            iri = node["default"] if "default" in node else node["named"]
            if str(iri) not in allowed:
                raise QueryError(
                    f"FROM <{iri}> is refused: not a graph of this dataset ({', '.join(sorted(allowed)) or 'none'})"
                )
    return parsed


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except Exception:  # not an update either: the query's own parse error is the one to report
        return False
    return True


def nodes(node):
    """Every CompValue of rdflib's parse tree."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from nodes(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from nodes(value)


def take(rows: Iterable, max_rows: int | None) -> list:
    """The rows as a list, or a QueryError as soon as there are more than `max_rows`."""
    taken = []
    for row in rows:
        if max_rows is not None and len(taken) >= max_rows:
            raise QueryError(f"the query returns more than {max_rows:,} rows (the row limit, --max-rows)")
        taken.append(row)
    return taken


def run_limited(run: Callable[[], object], timeout: float | None):
    """`run()`'s return value (or its KforGraphError), computed in a forked child that is killed when
    it takes longer than `timeout` seconds. Without a timeout, `run()` runs in this process."""
    if timeout is None:
        return run()
    context = multiprocessing.get_context("fork")  # the child shares the loaded graph, copy-on-write
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(run, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryError(f"the query ran past the time limit of {timeout:g} s (--timeout) and was stopped")
        try:
            ok, value = receiver.recv()
        except EOFError:  # the child died: killed by the system, most likely out of memory
            child.join(1)
            raise QueryError(f"the query process ended without an answer (exit code {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if not ok:
        raise value
    return value


def _child(run, sender) -> None:
    try:
        answer = (True, run())
    except KforGraphError as exc:
        answer = (False, exc)
    except Exception as exc:  # any other failure is reported as a bad query, in one line
        answer = (False, QueryError(f"query failed: {' '.join(str(exc).split()) or type(exc).__name__}"))
    sender.send(answer)
    sender.close()
    os._exit(0)  # no atexit handlers or finalisers of the parent's objects in the child
