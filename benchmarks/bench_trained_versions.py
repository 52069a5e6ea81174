"""A trained version on a server: storing it, and a client writing it out the first time.

On a server a version's files live in the database (gui/core/trained_versions.py); a client
writes the version in use out into its cache once, then loads the folder with ``spacy.load``
as a file project does. What that costs is measured beside what cannot be avoided anyway:

- storing (``ServerShelf.keep``: read, hash, one transaction of INSERTs) against a bare
  psycopg INSERT of the same bytes in one transaction;
- writing out (``ServerShelf.materialise`` into an empty cache: SELECT, write, check the
  hash, rename) against the ``spacy.load`` of the folder that follows it every time.

The version is the installed pipeline's own ``to_disk`` folder (what dominates a trained
version's size: ~15 MB, 22 files) plus a training.json; nothing needs training. Runs
alternate so the machine's noise hits both sides alike; medians of ``runs``.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import figure, median
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.core.trained_versions import ServerShelf, files_of

FULL, QUICK = 5, 2


def _version_folder(into: Path) -> Path:
    import spacy

    from gui.nlp.pipeline import DEFAULT_PIPELINES

    name = next(n for n in DEFAULT_PIPELINES if spacy.util.is_package(n))
    into.mkdir(parents=True)
    spacy.load(name).to_disk(into / "pipeline")
    (into / "training.json").write_text(json.dumps({"version": 1, "figures": {}}))
    return into


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _bare_insert(bare: Any, rows: list[tuple[int, str, bytes]]) -> None:
    with bare.transaction(), bare.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_bare VALUES (%s, %s, %s)", rows)


def measure(address: str, source: Path, runs: int) -> dict[str, list[float]]:
    import psycopg
    import spacy

    times: dict[str, list[float]] = {"keep": [], "bare_insert": [], "write_out": [], "load": []}
    files = [(path, file.read_bytes()) for path, file in files_of(source)]
    size = sum(len(d) for _p, d in files)
    with Project.open(address) as project, psycopg.connect(
            project.path.conninfo, autocommit=True) as bare:
        bare.execute("CREATE TABLE bench_bare(version bigint, path text, data bytea)")
        where = ServerShelf(project)
        for number in range(1, runs + 1):
            cache = Path(tempfile.mkdtemp(prefix="bench-trained-cache-"))
            os.environ["XDG_CACHE_HOME"] = str(cache)
            with where.building(number) as building:
                shutil.copytree(source, building, dirs_exist_ok=True)
                times["keep"].append(_timed(functools.partial(where.keep, number, building)))
            rows = [(number, p, d) for p, d in files]
            times["bare_insert"].append(_timed(functools.partial(_bare_insert, bare, rows)))
            shutil.rmtree(cache)  # another client: nothing written out yet
            started = time.perf_counter()
            folder = where.materialise(number)
            times["write_out"].append(time.perf_counter() - started)
            times["load"].append(_timed(functools.partial(spacy.load, folder / "pipeline")))
            shutil.rmtree(cache)
    times["megabytes"] = [size / 1e6]
    return times


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    from tests.postgres_server import start_server

    runs = QUICK if quick else FULL
    saved = os.environ.get("XDG_CACHE_HOME")
    server = start_server()
    work = Path(tempfile.mkdtemp(prefix="bench-trained-"))
    try:
        address = server.address(server.database())
        Project.create(address, load_schema()).close()
        times = measure(address, _version_folder(work / "v"), runs)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    size = f"{times['megabytes'][0]:.1f} MB"
    return {
        "trained_version_store_server": figure(
            median(times["keep"]), median(times["bare_insert"]), goal="informative", unit="s",
            met=None, note=f"ServerShelf.keep of a {size} version vs bare psycopg INSERT of "
            f"the same bytes in one transaction; median of {runs}"),
        "trained_version_write_out": figure(
            median(times["write_out"]), median(times["load"]), goal="informative", unit="s",
            met=None, note=f"first use on a client: {size} written out of the database "
            f"into the cache and checked, vs the spacy.load that follows; median of {runs}"),
    }


if __name__ == "__main__":
    from benchmarks.__main__ import table

    print(table(run(quick=True)))
