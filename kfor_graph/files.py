"""Writing files whole or not at all: stage beside the target, then rename."""

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    temp = _stage(Path(path), data)
    try:
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _stage(path: Path, data: bytes) -> str:
    """`data` in a new temporary file beside `path` (same folder, so a rename is atomic)."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def write_files(files, out_dir: Path) -> list[Path]:
    """Write every (name, content) pair into `out_dir`. Each is written to a temporary file beside
    its place as soon as it comes (so that one file at a time is in memory), and all are renamed into
    place only once every one is written: a failing serialiser or write leaves the folder as it was
    (a failing rename, the files before it whole and replaced)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staged = []
    try:
        for name, data in files:
            staged.append((_stage(out_dir / name, data), out_dir / name))
        for temp, path in staged:
            os.replace(temp, path)
    finally:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)  # gone already once renamed
    return [path for _, path in staged]
