"""Where the project's ontology/, data/ and queries/ folders are.

An installed wheel carries them in kfor_graph/_resources/ (see pyproject.toml); an editable install
or a plain checkout uses the folders at the repository root.
"""

from pathlib import Path

PACKAGED = Path(__file__).resolve().parent / "_resources"
CHECKOUT = Path(__file__).resolve().parent.parent


def project_root(root: Path | str | None = None) -> Path:
    """The folder holding ontology/, data/ and queries/: `root` if given, else the wheel's copy, else
    the checkout."""
    if root is not None:
        return Path(root)
    if (PACKAGED / "ontology").is_dir():
        return PACKAGED
    return CHECKOUT


def ontology_files(root: Path | str | None = None) -> list[Path]:
    """The ontology's Turtle files, without the SHACL shapes (which are never part of the data)."""
    folder = project_root(root) / "ontology"
    return sorted(p for p in folder.glob("*.ttl") if not p.name.endswith("-shapes.ttl"))


def shapes_files(root: Path | str | None = None) -> list[Path]:
    return sorted((project_root(root) / "ontology").glob("*-shapes.ttl"))


def data_files(root: Path | str | None = None) -> list[Path]:
    return turtle_files(project_root(root) / "data")


def queries_dir(root: Path | str | None = None) -> Path:
    return project_root(root) / "queries"


def turtle_files(folder: Path) -> list[Path]:
    """Every .ttl file under `folder`, recursively, in a stable order."""
    return sorted(folder.rglob("*.ttl"))
