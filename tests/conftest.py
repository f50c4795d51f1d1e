"""Shared helpers: the fixture project, running the CLI in-process or as a process, comparing graphs."""

import functools
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kfor_graph.cli import main
from kfor_graph.load import load_dataset
from kfor_graph.query import run_query

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = FIXTURES / "project"  # a tiny ontology/, data/ and queries/ with known answers
BROKEN = FIXTURES / "broken"  # unreadable or non-conforming input files for the CLI
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rdflib_result(project_dataset):
    """rdflib's result of a query file on the project's graph, computed once per session: the
    expected-CSV tests and both engine comparisons (embedded store, server) read the same results."""
    return functools.cache(lambda path: run_query(Path(path).read_text(encoding="utf-8"), project_dataset))


@pytest.fixture(scope="session")
def project_dataset():
    """The project's own graph (ontology and data), parsed once for the whole session. Tests must not
    change it: copy it first."""
    return load_dataset()


@pytest.fixture
def cli(capsys):
    """Run `kfor-graph ARGS` in this process; returns (exit code, stdout, stderr)."""

    def run(*args):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit:  # argparse: --help, --version, usage errors
            code = exit.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def run_process(*args, seed: str | None = None, cwd=None) -> subprocess.CompletedProcess:
    """`python -m kfor_graph ARGS` as its own process (for exit codes and hash-seed independence)."""
    env = dict(os.environ)
    if seed is not None:
        env["PYTHONHASHSEED"] = seed
    return subprocess.run(
        [sys.executable, "-m", "kfor_graph", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def from_oxigraph(term):
    """A pyoxigraph term as the rdflib term it stands for: an oracle written apart from
    kfor_graph.terms, so that the round-trip tests do not check the package against itself."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


def graph_of(triples) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(tuple(normal(t) for t in triple))
    return graph


def normal(term):
    """The same RDF 1.1 term the same way: a plain literal is an xsd:string, language tags are
    case-insensitive (Oxigraph lowercases them, rdflib keeps them as written)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    if isinstance(term, Literal) and term.language:
        return Literal(str(term), lang=term.language.lower())
    return term


class Comparable(tuple):
    """A graph as same_graph compares it: (the triples without blank nodes, normalised, as a set; the
    others as a Graph). Made once for a graph that is compared many times."""

    def __new__(cls, triples):
        triples = {tuple(normal(term) for term in t) for t in triples}
        blank = {t for t in triples if any(isinstance(term, BNode) for term in t)}
        return super().__new__(cls, (triples - blank, graph_of(blank)))


def same_graph(a, b) -> bool:
    """Equal as RDF graphs (given as graphs, iterables of triples or Comparable): the triples without
    blank nodes as sets, the others up to isomorphism (the slow part, so only on the few triples that
    need it)."""
    (ground_a, blank_a), (ground_b, blank_b) = (x if isinstance(x, Comparable) else Comparable(x) for x in (a, b))
    return ground_a == ground_b and isomorphic(blank_a, blank_b)


@pytest.fixture(scope="session")
def site_dir():
    """The project's static site, written once per test session by `kfor-graph site` (in a folder
    other users can read: Apache's workers may run as www-data)."""
    import shutil
    import tempfile

    # In memory (tmpfs) where there is one: the site is 4,000 small files, slow to write to a busy disk.
    shm = Path("/dev/shm")
    parent = Path(tempfile.mkdtemp(prefix="kfor-site-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    parent.chmod(0o755)
    out = parent / "site"
    code = main(["--root", str(REPO), "site", "--out", str(out)])  # in-process: no second interpreter start
    assert code == 0
    yield out
    shutil.rmtree(parent, ignore_errors=True)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*options):
    """`kfor-graph serve` on a free loopback port, as its own process; returns (process, base URL)
    once it answers."""
    import time

    import httpx

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kfor_graph", "--root", str(REPO), "serve", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url + "/", timeout=2)
            return process, url
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"kfor-graph serve did not start: {process.communicate()[1]}")
            time.sleep(0.1)


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
