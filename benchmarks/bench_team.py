"""Issue 12's team figures: 10 annotator clients editing one server project at once.

Three scenarios, each run twice in a row on the same server for the same time: our clients
(``AddEntity.apply`` through the store, as the window makes an edit) and bare psycopg clients
(one INSERT+COMMIT each, the baseline):

- **steady**: edits for the whole duration; edits confirmed, errors, and how long an edit
  took to be confirmed (p50/p95);
- **restart**: the server is stopped in the middle and started again two seconds later. Our
  clients keep an edit the server did not confirm and send it again until it is saved,
  looking up a COMMIT cut off by its history row first (as the window's UndoAdapter does);
  the bare clients count errors;
- **sigkill**: one client is killed with SIGKILL in the middle.

Every client writes the id of each edit *after* the server confirmed it, to its own file,
flushed at once; after each scenario every id written must be in the database: "lost" counts
those that are not (the goal is 0), including the killed client's. Clients are processes, so
ten of them are not one Python thread taking turns.

The duration is a parameter: 60 s per phase in a full run, 6 s with ``--quick``, anything
with ``python -m benchmarks.bench_team --duration S``. The server is the test suite's
throwaway one (tests/postgres_server.py): local socket, fsync off on both sides.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, figure, percentile
from gui.core.copy import copy_project
from gui.core.store import Project

CLIENTS = 10
FULL_S = 60.0
QUICK_S = 6.0
DOCUMENTS = 200
GOAL_MS = 50.0
OUTAGE_S = 2.0
GIVE_UP_S = 30.0  # after the phase: an edit still not saved by then is reported unsaved


def _our_client(address: str, number: int, until: float, out: str) -> None:
    """Edit until ``until``; an edit the server did not confirm is sent again until saved."""
    from gui.core.edits import AddEntity
    from gui.core.errors import MarginaliaError, ServerUnavailable
    from gui.core.postgres import committed

    rng = random.Random(number)
    project = Project.open(address)
    docs = project.document_ids()[:50]
    lengths = {d: len(project.document(d).text) for d in docs}
    labels = project.schema.labels
    latencies: list[float] = []
    errors = retried = unsaved = 0
    with open(out, "a", encoding="utf-8") as confirmed:
        while time.time() < until:
            doc = rng.choice(docs)
            start = rng.randrange(lengths[doc] - 12)
            edit = AddEntity(doc, f"client{number}", start, start + rng.randint(1, 10),
                             rng.choice(labels))
            t0 = time.perf_counter()
            cut_off: int | None = None
            waited = False
            while True:
                try:
                    if cut_off is None or not committed(project, cut_off):
                        edit.apply(project)
                    break
                except (ServerUnavailable, sqlite3.OperationalError) as exc:
                    cut_off = getattr(exc, "history_id", None) or cut_off
                    waited = True
                    if time.time() > until + GIVE_UP_S:
                        unsaved += 1  # reported to the user, never called saved
                        edit = None
                        break
                    time.sleep(0.1)
                except MarginaliaError:
                    errors += 1
                    edit = None
                    break
            if edit is None:
                continue
            retried += waited
            latencies.append(time.perf_counter() - t0)
            confirmed.write(f"{edit.entity_id}\n")
            confirmed.flush()
    project.close()
    Path(f"{out}.json").write_text(json.dumps({
        "latencies": latencies, "errors": errors, "retried": retried, "unsaved": unsaved}))


def _bare_client(address: str, number: int, until: float, out: str) -> None:
    """INSERT+COMMIT until ``until``; an error is counted and the client connects again."""
    import psycopg

    latencies: list[float] = []
    errors = 0
    conn = None
    with open(out, "a", encoding="utf-8") as confirmed:
        while time.time() < until:
            try:
                if conn is None or conn.closed or conn.broken:
                    conn = psycopg.connect(address, autocommit=True, connect_timeout=5)
                t0 = time.perf_counter()
                with conn.transaction():
                    row = conn.execute(
                        'INSERT INTO bench_bare(client, start, "end", label) '
                        "VALUES (%s, %s, %s, %s) RETURNING id",
                        (number, 1, 5, "PERSON")).fetchone()
                latencies.append(time.perf_counter() - t0)
                confirmed.write(f"{row[0]}\n")
                confirmed.flush()
            except psycopg.Error:
                errors += 1
                time.sleep(0.1)
    Path(f"{out}.json").write_text(json.dumps({
        "latencies": latencies, "errors": errors, "retried": 0, "unsaved": 0}))


def _phase(server: Any, address: str, bare: bool, scenario: str, seconds: float,
           folder: Path) -> dict[str, Any]:
    """One scenario with one kind of client; what was confirmed, lost, refused, and when."""
    context = multiprocessing.get_context("fork")
    until = time.time() + seconds
    outs = [folder / f"{scenario}-{'bare' if bare else 'ours'}-{n}.ids" for n in range(CLIENTS)]
    target = _bare_client if bare else _our_client
    clients = [context.Process(target=target, args=(address, n, until, str(outs[n])))
               for n in range(CLIENTS)]
    for client in clients:
        client.start()
    if scenario != "steady":
        time.sleep(seconds / 2)
        if scenario == "restart":
            server.pause()
            time.sleep(OUTAGE_S)
            server.start()
        else:
            os.kill(clients[0].pid, signal.SIGKILL)
    for client in clients:
        client.join(seconds + GIVE_UP_S + 60)
    ids = [int(line) for out in outs if out.exists() for line in out.read_text().split()]
    summaries = [json.loads(Path(f"{out}.json").read_text()) for out in outs
                 if Path(f"{out}.json").exists()]
    table = "bench_bare" if bare else "entities"
    import psycopg

    with psycopg.connect(address) as conn:
        present = conn.execute(f"SELECT count(*) FROM {table} WHERE id = ANY(%s)",
                               (ids,)).fetchone()[0]
    latencies = [x for s in summaries for x in s["latencies"]]
    return {
        "confirmed": len(ids), "lost": len(ids) - present,
        "errors": sum(s["errors"] for s in summaries),
        "retried": sum(s["retried"] for s in summaries),
        "unsaved": sum(s["unsaved"] for s in summaries),
        "p50_ms": percentile(latencies, 50) * 1000 if latencies else None,
        "p95_ms": percentile(latencies, 95) * 1000 if latencies else None,
    }


def measure(seconds: float, folder: Path) -> dict[str, dict[str, dict[str, Any]]]:
    from tests.postgres_server import start_server

    server = start_server()
    try:
        address = server.address(server.database())
        with Project.open(corpus.cached_project(DOCUMENTS)) as source:
            copy_project(source, address)
        server.execute('CREATE TABLE bench_bare(id bigint GENERATED BY DEFAULT AS IDENTITY '
                       'PRIMARY KEY, client integer, start integer, "end" integer, label text)',
                       address.split("dbname=")[1].split()[0])
        return {scenario: {kind: _phase(server, address, kind == "bare", scenario, seconds,
                                        folder)
                           for kind in ("ours", "bare")}
                for scenario in ("steady", "restart", "sigkill")}
    finally:
        server.stop()


def figures_of(results: dict[str, dict[str, dict[str, Any]]], seconds: float
               ) -> dict[str, dict[str, Any]]:
    note = (f"{CLIENTS} client processes for {seconds:g} s, AddEntity.apply vs bare psycopg "
            "INSERT+COMMIT, local socket, fsync off")
    out: dict[str, dict[str, Any]] = {}
    steady = results["steady"]
    out["team_edit_confirmed_p95"] = figure(
        steady["ours"]["p95_ms"], steady["bare"]["p95_ms"], goal=f"p95 < {GOAL_MS:g} ms",
        unit="ms", met=(steady["ours"]["p95_ms"] or 1e9) < GOAL_MS,
        note=f"{note}; {steady['ours']['confirmed']} edits vs {steady['bare']['confirmed']} "
        "bare inserts")
    out["team_edit_confirmed_p50"] = figure(
        steady["ours"]["p50_ms"], steady["bare"]["p50_ms"], goal="-", unit="ms", met=None,
        note=note)
    for scenario, results_of in results.items():
        ours, bare = results_of["ours"], results_of["bare"]
        out[f"team_{scenario}_lost"] = figure(
            ours["lost"], bare["lost"], goal="0 edits reported saved are missing", unit="edits",
            met=ours["lost"] == 0,
            note=f"{ours['confirmed']} confirmed; errors {ours['errors']} (bare {bare['errors']})"
            f"; retried and saved {ours['retried']}; reported unsaved {ours['unsaved']}")
        out[f"team_{scenario}_errors"] = figure(
            ours["errors"] + ours["unsaved"], bare["errors"], goal="0 errors", unit="edits",
            met=ours["errors"] + ours["unsaved"] == 0, note=note)
    return out


def run(quick: bool = False, duration: float | None = None) -> dict[str, dict[str, Any]]:
    import tempfile

    seconds = duration if duration is not None else QUICK_S if quick else FULL_S
    with tempfile.TemporaryDirectory(prefix="bench-team-") as folder:
        return figures_of(measure(seconds, Path(folder)), seconds)


if __name__ == "__main__":
    from benchmarks.__main__ import table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=QUICK_S,
                        help="seconds per phase (six phases)")
    print(table(run(duration=parser.parse_args().duration)))
