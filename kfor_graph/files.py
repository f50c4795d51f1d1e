"""Writing files whole or not at all.

- `write_atomic`: one file, staged beside its place, then renamed over it.
- `new_folder`: a folder filled beside its place and swapped in with one atomic rename, under a lock,
  so that a reader sees all the old files or all the new ones, two writers never interleave, and a
  killed run leaves nothing half-written behind (the site, the build's dumps, an Oxigraph store).
- `replace_folder`: `new_folder` filled with (name, content) files.
"""

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from kfor_graph.errors import InputError


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    temp = _stage(Path(path), data, mode)
    try:
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _stage(path: Path, data: bytes, mode: int = 0o644) -> str:
    """`data` in a new temporary file beside `path` (same folder, so a rename is atomic)."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def replace_folder(files: Iterable[tuple[str, bytes]], out_dir: Path, keep_others: bool = True) -> list[Path]:
    """Make `out_dir` hold the given (name, content) files, all at once. A name may be a relative
    path (id/person/x.html).

    Each file is written into a new folder beside `out_dir` as soon as it comes (one file at a time in
    memory). Then, with `keep_others`, whatever else `out_dir` holds (e.g. docs/ from `kfor-graph
    docs`) is moved across, and the new folder is swapped in (`new_folder`)."""
    out_dir, names = Path(out_dir), []
    with new_folder(out_dir) as new:
        for name, data in files:
            _write(new / name, data)
            names.append(name)
        if out_dir.exists():
            tops = {Path(name).parts[0] for name in names}
            for other in sorted(set(os.listdir(out_dir)) - tops if keep_others else ()):
                os.rename(out_dir / other, new / other)
    return [out_dir / name for name in names]


@contextmanager
def new_folder(out_dir: Path):
    """A new, empty folder beside `out_dir` to fill. When the block ends without an error, everything
    in it is flushed to disk and it takes `out_dir`'s place in one atomic rename, under a lock, so that
    a reader sees all the old content or all the new, two writers never interleave, and a failure or a
    killed process leaves `out_dir` as it was (temporaries of a killed run are removed next time)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: not a folder")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out_dir):
        _remove_stale(out_dir)
        new = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.new-"))
        try:
            yield new
            os.chmod(new, 0o755)
            _sync_file_system(new)  # every file on disk before the swap makes them the folder
            if out_dir.exists():
                _exchange(new, out_dir)  # `new` is now the old folder
            else:
                os.rename(new, out_dir)
        finally:
            shutil.rmtree(new, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        out.write(data)
    os.chmod(path, 0o644)


def _sync_file_system(path: Path) -> None:
    """Flush everything written to the file system that holds `path`: Linux's syncfs, one journal
    commit for a whole folder (an fsync per file cost 3 ms each, 30 s for the site's 10,000 files)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if _LIBC.syncfs(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(path))
    finally:
        os.close(fd)


@contextmanager
def _lock(out_dir: Path):
    """An exclusive lock on `out_dir`, held in a lock file beside it (the folder itself is swapped)."""
    path = out_dir.parent / f".{out_dir.name}.lock"
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(f"{out_dir}: another process is writing this folder (lock {path})") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale(out_dir: Path) -> None:
    """Folders and files left by a run that was killed (only ever called under the lock)."""
    for stale in out_dir.parent.glob(f".{out_dir.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    if out_dir.is_dir():
        for temp in out_dir.glob(".*.tmp"):
            temp.unlink(missing_ok=True)


_LIBC = ctypes.CDLL(None, use_errno=True)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step: Linux's renameat2(RENAME_EXCHANGE), which Python's os module
    does not offer."""
    if _LIBC.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS):  # a file system or kernel without it
            raise InputError(f"{b}: cannot swap folders atomically here ({os.strerror(code)})")
        raise OSError(code, os.strerror(code), str(a), None, str(b))
