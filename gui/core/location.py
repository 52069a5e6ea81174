"""Where a project file may be written: not on a network filesystem.

SQLite's write-ahead log keeps its index in shared memory (the ``-shm`` file, mapped by every
process) and relies on POSIX locks; on NFS, SMB/CIFS, sshfs and their kin the mapping is not
shared between machines and the locks are unreliable, so two writers can corrupt the file
(https://www.sqlite.org/wal.html, "WAL does not work over a network filesystem"). A project
there is refused for writing. Reading is allowed: a read-only connection never checkpoints or
rewrites the file, so looking at a colleague's project on a share, or merging it from there,
cannot damage it.

The filesystem of the file's folder is read from ``/proc/self/mountinfo`` (the mount whose
mount point is the longest prefix of the folder's real path); ``MOUNTINFO`` is a module
attribute so a test can hand the detector a made-up table. Where there is no mountinfo (not
Linux), nothing is refused. Those who know their filesystem's locking works set
``MARGINALIA_ALLOW_NETWORK_FS=1`` or pass ``--allow-network-fs``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from gui.core.errors import ProjectError

MOUNTINFO = Path("/proc/self/mountinfo")
OVERRIDE_ENV = "MARGINALIA_ALLOW_NETWORK_FS"
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "9p", "afs", "openafs", "coda", "ceph",
    "glusterfs", "lustre", "gpfs", "beegfs", "orangefs", "davfs", "vboxsf", "vmhgfs", "prl_fs",
    "fuse.sshfs", "fuse.glusterfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.davfs2",
    "fuse.vmhgfs-fuse", "fuse.cephfs", "fuse.smbnetfs", "fuse.curlftpfs", "fuse.juicefs",
})


def _unescape(field: str) -> str:
    r"""mountinfo writes a space as \040, a tab as \011, a backslash as \134."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def filesystem_type(folder: Path, mountinfo: str | None = None) -> str | None:
    """The type of the filesystem ``folder`` is on (``ext4``, ``nfs4``, ``fuse.sshfs``…), or
    None when the mount table cannot be read."""
    if mountinfo is None:
        try:
            mountinfo = MOUNTINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = os.path.realpath(folder)
    best, best_type = -1, None
    for line in mountinfo.split("\n"):  # only "\n" ends a line: a name may hold \x85 or \x1c
        fields = line.split(" ")
        if "-" not in fields[6:] or len(fields) < 5:
            continue
        point = _unescape(fields[4])
        fstype = fields[fields.index("-", 6) + 1]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= best:  # later mounts over the same point hide earlier ones
            best, best_type = len(point), fstype
    return best_type


def network_filesystem(path: Path) -> str | None:
    """The network filesystem type the project at ``path`` lives on, or None."""
    fstype = filesystem_type(Path(path).parent)
    return fstype if fstype in NETWORK_TYPES else None


def cache_home() -> Path:
    """This user's Marginalia cache folder (XDG's, as Qt's QStandardPaths would give it; the
    core does not import Qt): what can be rebuilt, never the only copy of anything."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "marginalia"


def read_memory(path: Path) -> dict[str, Any]:
    """A JSON object this user's Marginalia keeps in its cache folder; empty when missing or
    unreadable (a cache is only ever a shortcut)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def write_memory(path: Path, memory: dict[str, Any]) -> None:
    """Replace the JSON object at ``path`` whole (a temporary file renamed over it, so a
    reader never sees half of it); without a writable cache folder nothing is kept."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(memory, fh)
        os.replace(tmp, path)


def check_writable_location(path: Path) -> None:
    """Refuse to write a project on a network filesystem, unless overridden."""
    if os.environ.get(OVERRIDE_ENV, "") not in ("", "0"):
        return
    fstype = network_filesystem(path)
    if fstype is not None:
        raise ProjectError(
            f"is on a network filesystem ({fstype}), where SQLite's write-ahead log can corrupt "
            "it; copy it to a local disk and merge it back with 'marginalia merge', or use a "
            "team server; --allow-network-fs or "
            f"{OVERRIDE_ENV}=1 writes there anyway",
            path=path,
        )
