"""``python -m benchmarks [--quick] [--only NAME]``: run every bench_*.py, print, save.

A module that fails is reported in the table and the others still run: one broken figure
must not hide the rest. Results merge into benchmarks/results.json, so ``--only import``
refreshes the import figures and keeps the others from the last full run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
# Every figure family issue 8 asks for; a run that lacks one says so under the table.
FAMILIES = ("startup", "switch_document", "edit", "import", "prefill", "export", "agreement",
            "memory")


def machine() -> str:
    """CPU model, cores, RAM, Python and OS: what a reader needs to weigh the figures."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
                break
    except OSError:
        pass
    import sqlite3

    return (
        f"{cpu}, {os.cpu_count()} cores{ram}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


def modules(only: str | None) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if only:
        names = [n for n in names if only in n]
    return names


def run_module(name: str, quick: bool) -> tuple[dict[str, Any], str | None]:
    try:
        module = importlib.import_module(f"benchmarks.{name}")
        try:
            figures = module.run(quick=quick)
        except TypeError as exc:
            if "quick" not in str(exc):
                raise
            figures = module.run()
        return dict(figures), None
    except Exception:  # one module's failure is a row in the table, not the end of the run
        return {}, traceback.format_exc(limit=6)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(figures: dict[str, dict[str, Any]]) -> str:
    """A Markdown table, so docs/benchmarks.md and the README take it as printed."""
    rows = ["| figure | value | baseline | ratio | unit | goal | met |",
            "|---|---:|---:|---:|---|---|---|"]
    for name, f in figures.items():
        met = {True: "yes", False: "**no**", None: "-"}[f.get("met")]
        goal = f.get("goal", "")
        if f.get("note"):
            goal = f"{goal} ({f['note']})" if goal else f["note"]
        rows.append(
            f"| {name} | {_fmt(f.get('value'))} | {_fmt(f.get('baseline'))} | "
            f"{_fmt(f.get('ratio'))} | {f.get('unit', '')} | {goal} | {met} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for trying things")
    parser.add_argument("--only", metavar="NAME", help="run only bench_*NAME* modules")
    parser.add_argument("--output", type=Path, default=RESULTS, help="results file to write")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # as `make bench` sets it
    names = modules(args.only)
    if args.quick:  # for modules whose run() takes no argument
        os.environ["MARGINALIA_BENCH_QUICK"] = "1"
    if not names:
        print(f"no benchmark module matches {args.only!r}", file=sys.stderr)
        return 2
    figures: dict[str, dict[str, Any]] = {}
    failures: dict[str, str] = {}
    for name in names:
        print(f"== {name}{' (quick)' if args.quick else ''}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        result, error = run_module(name, args.quick)
        took = time.perf_counter() - started
        if error:
            failures[name] = error
            print(f"   FAILED after {took:.0f} s:\n{error}", file=sys.stderr, flush=True)
        else:
            print(f"   {len(result)} figures in {took:.0f} s", file=sys.stderr, flush=True)
        figures.update(result)

    print(table(figures))
    for name, error in failures.items():
        print(f"\n{name} failed:\n{error.rstrip().splitlines()[-1]}")
    if not args.only:
        missing = [f for f in FAMILIES if not any(f in name for name in figures)]
        if missing:
            print(f"\nno figure named for: {', '.join(missing)}")

    previous: dict[str, Any] = {}
    if args.output.exists():
        try:
            previous = json.loads(args.output.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = {}
    merged = {**previous.get("figures", {}), **figures} if args.only else figures
    document = {
        "machine": machine(),
        "quick": args.quick,
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "figures": merged,
        "failures": {**({} if not args.only else previous.get("failures", {})),
                     **{n: e.rstrip().splitlines()[-1] for n, e in failures.items()}},
    }
    for name in names:
        if name not in failures:
            document["failures"].pop(name, None)
    tmp = args.output.with_name(f".{args.output.name}.tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, args.output)
    print(f"\nwrote {args.output}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
