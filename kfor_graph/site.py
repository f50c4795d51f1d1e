"""`kfor-graph site`: the graph as a static site that mirrors its IRI space (see pages.py)."""

import functools
import hashlib
import json
import logging
import multiprocessing
import os
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from kfor_graph import chart
from kfor_graph.build import VOID_FILE, iter_build_files
from kfor_graph.docs import ontology_html
from kfor_graph.errors import InputError
from kfor_graph.files import replace_folder
from kfor_graph.load import as_store, load_dataset, load_ontology
from kfor_graph.namespaces import KFOR, OWL
from kfor_graph.pages import BASE, DIST, RDF_FILES, Site
from kfor_graph.query import list_queries
from kfor_graph.terms import to_quads
from kfor_graph.validate import load_shapes

MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".rdf": "application/rdf+xml",
    ".jsonld": "application/ld+json",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def memory_store(graph: Graph) -> ox.Store:
    """An in-memory Oxigraph store holding an rdflib Graph's triples."""
    store = ox.Store()
    store.extend(to_quads(graph))
    return store


def shapes_store(root=None) -> ox.Store:
    """The shapes, with canonical blank node labels (RDF canonicalisation, about 0.3 s): a parser
    labels blank nodes anew each time, so their pages changed with every run of `site`."""
    return memory_store(to_canonical_graph(load_shapes(root=root)))


def dataset_files(dataset: Dataset | ox.Store, root=None, docs: bool = True) -> dict:
    """The site's dataset files, by path: the dumps with their SHA256SUMS under dist/,
    context.jsonld and void.ttl at the root (and void at .well-known/void), the ontology's
    pyLODE documentation at ontology/index.html."""
    files = {}
    built = dict(iter_build_files(dataset))  # the dumps and void.ttl, as `kfor-graph build` writes them
    void = built.pop(VOID_FILE)
    for name, data in built.items():
        files[DIST + name] = (data, _media_type(name))
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(built.items()))
    files[DIST + "SHA256SUMS"] = (sums.encode("ascii"), "text/plain; charset=utf-8")
    files["context.jsonld"] = (built["context.jsonld"], "application/ld+json")
    files[VOID_FILE] = (void, "text/turtle")
    files[".well-known/void"] = (void, "text/turtle")
    if docs:  # made on first use: pyLODE takes a second, which the server need not spend at start
        files["ontology/index.html"] = functools.cache(lambda: (_docs_page(root), "text/html; charset=utf-8"))
    return files


def chart_figures(dataset: Dataset, root=None) -> dict:
    """Each chart the graph has the data for, as a function giving its chart.Figure (made on first
    use: drawing one takes a query and Vega's layout)."""
    figures = {}
    for name in chart.chart_names():
        figures[name] = functools.cache(functools.partial(_figure, name, dataset, root))
    return figures


def _figure(name: str, dataset: Dataset, root=None):
    try:
        return chart.figure(name, dataset, root)
    except InputError:  # a graph without the chart's data (a test graph): no chart, not an empty one
        return None


def chart_files(figures: dict) -> dict:
    """charts/NAME.svg (the picture) and charts/NAME.vl.json (its Vega-Lite spec, for an interactive
    chart with tooltips), by path; each is None (no file) where the graph lacks the chart's data."""
    files = {}
    for name, figure in figures.items():
        files[f"charts/{name}.svg"] = functools.cache(functools.partial(_chart_file, figure, "svg"))
        files[f"charts/{name}.vl.json"] = functools.cache(functools.partial(_chart_file, figure, "vl.json"))
    return files


def _chart_file(figure, kind: str):
    fig = figure()
    if fig is None:
        return None
    if kind == "svg":
        return chart.render_figure(fig, "svg"), "image/svg+xml"
    return json.dumps(fig.spec, sort_keys=True).encode("utf-8"), "application/json"


def _docs_page(root=None) -> bytes:
    """pyLODE's page, placed at ontology/index.html. pyLODE links the version IRI
    (kfor:0.1.0) to an anchor of its own page that it never writes: the link goes to the version
    IRI's page in this site instead."""
    html = ontology_html(root)
    version = load_ontology(root).value(URIRef(KFOR.rstrip("/")), OWL.versionIRI)
    if version is not None and version.startswith(KFOR):
        local = version[len(KFOR) :]
        html = html.replace(f'<a href="#{local}">', f'<a href="{local}.html">')
    return html.encode("utf-8")


def _media_type(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")


def make_site(
    dataset: Dataset, root=None, endpoint: bool = False, docs: bool = True, store: ox.Store | None = None
) -> Site:
    """The Site of a dataset: its pages read `store` (default: an in-memory copy of the dataset)
    and a small store of the shapes and the VoID description."""
    memory = as_store(dataset)
    files = dataset_files(memory, root, docs)
    extra = shapes_store(root)
    extra.load(files[VOID_FILE][0], ox.RdfFormat.TURTLE)
    figures = chart_figures(dataset, root)  # drawn when first asked for: a server starts without them
    files.update(chart_files(figures))
    return Site([store or memory, extra], queries=_queries(root), files=files, endpoint=endpoint, figures=figures)


def _queries(root=None):
    return [info for info in list_queries(root) if info.path.parent.name != "qc"]


def htaccess(site: Site) -> bytes:
    """Apache rewrite rules: each IRI path to its description's file, by the Accept header."""
    formats = [(ext, media_type) for ext, (_, media_type) in RDF_FILES.items()]
    return site.env.get_template("htaccess.txt").render(formats=formats).encode("utf-8")


def rendered(site: Site, paths: list[str], jobs: int | None = None):
    """(path, content or None) of each path, in order. Rendered by `jobs` processes forked from this
    one (default: one per CPU), which share the site as it is; each file is rendered by one process."""
    jobs = jobs or len(os.sched_getaffinity(0))
    if jobs < 2:
        yield from ((path, _content(site, path)) for path in paths)
        return
    global _FORKED_SITE
    _FORKED_SITE = site
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            # Chunks keep a resource's files together: they share its description (Site.description).
            yield from pool.imap(_forked_content, paths, chunksize=64)
    finally:
        _FORKED_SITE = None


_FORKED_SITE = None  # the site a forked renderer reads (a fork copies it; nothing is pickled)


def _forked_content(path: str):
    return path, _content(_FORKED_SITE, path)


def _content(site: Site, path: str) -> bytes | None:
    found = site.file(path)
    return None if found is None else found[0]


def write_site(out_dir: Path | str = "dist/site", paths=None, root=None, progress=None) -> Path:
    """Write every file of the static site to `out_dir` (replaced whole); returns it."""
    progress = progress or (lambda message: print(message, file=sys.stderr, flush=True))
    started = time.perf_counter()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():  # said before the seconds of loading and rendering
        raise InputError(f"{out}: not a folder")
    progress("loading the graph...")
    dataset = load_dataset(paths, root=root)
    progress("writing the dumps and the ontology's documentation...")
    logging.getLogger().setLevel(logging.WARNING)
    site = make_site(dataset, root)
    progress(f"writing the pages to {out_dir}/...")

    def files():
        for path, data in rendered(site, site.paths()):
            if data is not None:  # a chart the graph has no data for
                yield path, data
        yield ".htaccess", htaccess(site)
        # Served for any missing path, so its links are absolute: to the published IRIs.
        yield "404.html", site.render("404.html", BASE, path="this address")

    # Written into a new folder beside `out`, swapped in whole once complete; the site owns its folder.
    written = replace_folder(files(), out, keep_others=False)
    progress(f"{len(written)} files in {time.perf_counter() - started:.1f} s")
    return out
