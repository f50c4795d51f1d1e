"""`kfor-graph docs`: browsable HTML documentation of the ontology, made by pyLODE."""

import logging
from pathlib import Path

from kfor_graph.errors import InputError
from kfor_graph.files import write_atomic
from kfor_graph.load import load_ontology


def ontology_html(root=None) -> str:
    """The ontology as one HTML page (pyLODE's OntPub profile, subjects sorted)."""
    ontology = load_ontology(root)
    # Imported here, the one import inside a function: pyLODE takes 0.1-0.2 s to import, which every
    # other command (a cold `kfor-graph query` has a 1 s budget) would pay for nothing.
    from pylode import OntPub, PylodeError

    # Importing pyLODE sets the root logger to DEBUG (logging.basicConfig in one of its modules); put
    # back Python's default so that its chatter stays off stderr.
    logging.getLogger().setLevel(logging.WARNING)
    try:  # OntPub adds inferred triples to the graph: this one is a fresh copy
        return OntPub(ontology, sort_subjects=True).make_html()
    except PylodeError as exc:
        raise InputError(f"pyLODE cannot document the ontology: {exc}") from None


def write_docs(out_dir: Path | str, root=None) -> Path:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: not a folder")
    html = ontology_html(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    write_atomic(path, html.encode("utf-8"))
    return path
