"""`kfor-graph site`: the graph as a static site that mirrors its IRI space (see pages.py)."""

import functools
import hashlib
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from kfor_graph.build import VOID_FILE, iter_build_files
from kfor_graph.docs import ontology_html
from kfor_graph.errors import InputError
from kfor_graph.load import load_dataset, load_ontology
from kfor_graph.namespaces import KFOR, OWL
from kfor_graph.pages import BASE, DIST, RDF_FILES, Site
from kfor_graph.query import list_queries
from kfor_graph.validate import load_shapes

MEDIA_TYPES = {
    ".ttl": "text/turtle", ".nt": "application/n-triples", ".nq": "application/n-quads",
    ".trig": "application/trig", ".rdf": "application/rdf+xml", ".jsonld": "application/ld+json",
    ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
}


def memory_store(graph) -> ox.Store:
    """An in-memory Oxigraph store holding an rdflib Dataset's quads (or a Graph's triples)."""
    store = ox.Store()
    if isinstance(graph, Dataset):
        store.load(graph.serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS)
    else:
        store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


def dataset_files(dataset: Dataset, root=None, docs: bool = True) -> dict:
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


def _docs_page(root=None) -> bytes:
    """pyLODE's page, placed at ontology/index.html. pyLODE links the version IRI
    (kfor:0.1.0) to an anchor of its own page that it never writes: the link goes to the version
    IRI's page in this site instead."""
    html = ontology_html(root)
    version = load_ontology(root).value(URIRef(KFOR.rstrip("/")), OWL.versionIRI)
    if version is not None and version.startswith(KFOR):
        local = version[len(KFOR):]
        html = html.replace(f'<a href="#{local}">', f'<a href="{local}.html">')
    return html.encode("utf-8")


def _media_type(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")


def make_site(dataset: Dataset, root=None, endpoint: bool = False, docs: bool = True, store: ox.Store | None = None) -> Site:
    """The Site of a dataset: its pages read `store` (default: an in-memory copy of the dataset)
    and a small store of the shapes and the VoID description."""
    files = dataset_files(dataset, root, docs)
    extra = memory_store(load_shapes(root=root))
    extra.load(files[VOID_FILE][0], ox.RdfFormat.TURTLE)
    return Site([store or memory_store(dataset), extra], queries=_queries(root), files=files, endpoint=endpoint)


def _queries(root=None):
    return [info for info in list_queries(root) if info.path.parent.name != "qc"]


def htaccess(site: Site) -> bytes:
    """Apache rewrite rules: each IRI path to its description's file, by the Accept header."""
    formats = [(ext, media_type) for ext, (_, media_type) in RDF_FILES.items()]
    return site.env.get_template("htaccess.txt").render(formats=formats).encode("utf-8")


def write_site(out_dir: Path | str = "dist/site", paths=None, root=None, progress=None) -> Path:
    """Write every file of the static site to `out_dir` (replaced whole); returns it."""
    progress = progress or (lambda message: print(message, file=sys.stderr, flush=True))
    started = time.perf_counter()
    progress("loading the graph...")
    dataset = load_dataset(paths, root=root)
    progress("writing the dumps and the ontology's documentation...")
    logging.getLogger().setLevel(logging.WARNING)
    site = make_site(dataset, root)
    progress(f"writing the pages to {out_dir}/...")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: not a folder")
    # Written into a new folder beside `out`, which replaces `out` only once complete.
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    except OSError as exc:
        raise InputError(f"{out}: cannot write the site: {exc.strerror}") from None
    try:
        count = 0
        for path in site.paths():
            content, _ = site.file(path)
            _write(staging / path, content)
            count += 1
        _write(staging / ".htaccess", htaccess(site))
        # Served for any missing path, so its links are absolute: to the published IRIs.
        _write(staging / "404.html", site.render("404.html", BASE, path="this address"))
        staging.chmod(0o755)
        old = out.with_name(f".{out.name}.old")
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    progress(f"{count + 2} files in {time.perf_counter() - started:.1f} s")
    return out


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
