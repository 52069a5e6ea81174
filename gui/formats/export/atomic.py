"""Writing an export so that a failure never leaves half a file where the old one was.

The data goes to a temporary file in the target's own folder (so the final rename never
crosses file systems), is flushed and fsynced, and only then renamed over the target with
``os.replace``, which is atomic on POSIX and Windows. Any failure, a full disk included,
removes the temporary file and leaves the target exactly as it was.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from gui.formats.export.selection import ExportError, TargetExists


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_target(
    path: Path, *, force: bool, project_path: Path | None = None, folder: bool = False
) -> None:
    """Refuse a target we must not or cannot write, before any work is done. ``folder``: the
    export is a folder of parts, which may replace an existing folder (with ``force``)."""
    if path.is_dir() and not folder:
        raise ExportError("is a folder; give a file name", path=path)
    if not path.parent.is_dir():
        raise ExportError("cannot be written: its folder does not exist", path=path)
    if path.exists():
        if project_path is not None and path.resolve() == project_path.resolve():
            raise ExportError("is the project file itself; choose another name", path=path)
        if not force:
            raise TargetExists("already exists; pass --force to replace it", path=path)
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise ExportError("cannot be written (permission denied on its folder)", path=path)


def _translate(exc: OSError, path: Path) -> ExportError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "permission denied"
    else:
        reason = exc.strerror or str(exc)
    keep = "the existing file was left as it was" if path.exists() else "nothing was written"
    return ExportError(f"could not be written ({reason}); {keep}", path=path)


@contextlib.contextmanager
def atomic_output(path: Path, *, binary: bool) -> Iterator[IO]:
    """A file object whose content replaces ``path`` only if the block finishes."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise _translate(exc, path) from None
    tmp = Path(tmp_name)
    try:
        if hasattr(os, "fchmod"):  # mkstemp's 0600 would make the export private (POSIX)
            os.fchmod(fd, 0o666 & ~_umask())
        handle: IO = (
            os.fdopen(fd, "wb") if binary else open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
        )
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _translate(exc, path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


@contextlib.contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A new folder (for files written and fsynced inside it) that replaces ``path`` only if
    the block finishes. An existing ``path`` is moved aside, the new folder renamed in, and the
    old one removed; if the machine dies between the two renames, the old export is still there
    under a hidden name beside it."""
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent))
    except OSError as exc:
        raise _translate(exc, path) from None
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp's 0700 would make the export private
        yield tmp
        if path.exists() or path.is_symlink():
            old = tmp.with_name(f"{tmp.name}.old")
            os.replace(path, old)
            try:
                os.replace(tmp, path)
            except OSError:
                os.replace(old, path)
                raise
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
        else:
            os.replace(tmp, path)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _translate(exc, path) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _sync_folder(path.parent)


def write_durably(path: Path, data: bytes) -> None:
    """Write a whole file and fsync it (a part inside a folder that ``atomic_folder`` renames)."""
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); where folders cannot be opened, skip it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def stdout_output() -> Iterator[IO]:
    """Standard output as UTF-8 text with untranslated line ends, whatever the locale says."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a replaced stdout without bytes underneath: write to it as it is
        yield stream
        stream.flush()
        return
    stream.flush()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=False)
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()
