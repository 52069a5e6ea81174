"""A throwaway PostgreSQL server for the test suite: started once per session, a fresh database
per test cloned from a template.

Why this way: the tests of projects on a server need a real PostgreSQL (no mocks), and CI
runs as root on a fresh machine. The server programs come from Debian's ``postgresql`` package,
which ``make install`` installs (packaging/test-server-deps.sh). PostgreSQL refuses to run as
root, so as root the server runs as ``nobody``; it listens only on a Unix socket in its own
temporary folder (no port to collide with another session's), with fsync off: a test server's
data never needs to survive a crash. ``CREATE DATABASE … TEMPLATE`` copies a prepared
database in a few milliseconds, so each test starts from a clean one.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "marginalia_test"


def server_programs() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, or Debian's versioned folder."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    folders = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    return Path(folders[-1]) if folders else None


@dataclass
class ThrowawayServer:
    """One running server; ``database()`` makes a fresh database and returns its address."""

    bindir: Path
    root: Path
    settings: str = ""
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def socket_dir(self) -> Path:
        return self.root

    def address(self, dbname: str = "postgres") -> str:
        return f"host={self.socket_dir} dbname={dbname} user={SUPERUSER}"

    def url(self, dbname: str) -> str:
        from urllib.parse import quote

        return f"postgresql://{SUPERUSER}@/{dbname}?host={quote(str(self.socket_dir), safe='')}"

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.address(dbname), autocommit=True) as conn:
            conn.execute(sql)

    def database(self, template: str = "template0") -> str:
        """A new, empty database (or a copy of ``template``); returns its name."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return name

    def start(self) -> None:
        """Start the server (again, after ``pause``), waiting until it takes connections."""
        _run_as_owner([
            str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-o", self.settings,
            "-l", str(self.root / "server.log"), "-w", "-t", "60", "start",
        ])

    def pause(self) -> None:
        """Stop the server as an administrator would (clients are cut off), keeping its data
        for ``start``: how the tests of a lost connection take the server away."""
        _run_as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast",
                       "-w", "stop"])

    def stop(self) -> None:
        _run_as_owner(
            [str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate",
             "-w", "stop"],
            check=False,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def _run_as_owner(args: list[str], *, check: bool = True) -> subprocess.CompletedProcess:
    """Run a server program; as root, as ``nobody`` (PostgreSQL will not run as root)."""
    extra = {"user": "nobody", "group": "nogroup", "extra_groups": []} if os.geteuid() == 0 else {}
    return subprocess.run(
        args, check=check, capture_output=True, text=True, timeout=60, **extra
    )


def start_server() -> ThrowawayServer:
    """Start a server in a new temporary folder; raises RuntimeError saying why it cannot."""
    bindir = server_programs()
    if bindir is None:
        raise RuntimeError("PostgreSQL's server programs are not installed (run 'make install')")
    root = Path(tempfile.mkdtemp(prefix="marginalia-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "nobody", "nogroup")
    settings = (
        f"-k {root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=50 -c shared_buffers=32MB"
    )
    server = ThrowawayServer(bindir, root, settings)
    try:
        _run_as_owner([
            str(bindir / "initdb"), "-D", str(root / "data"), "-U", SUPERUSER, "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
        ])
        server.start()
    except (OSError, subprocess.SubprocessError) as exc:
        log = root / "server.log"
        detail = getattr(exc, "stderr", "") or (log.read_text() if log.exists() else "")
        server.stop()
        raise RuntimeError(f"the test PostgreSQL server did not start: {exc} {detail}") from exc
    return server
