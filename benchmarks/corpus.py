"""Large corpora for the benchmarks, generated deterministically from the sample articles.

The same (n, seed, words) always gives the same articles, so a figure measured today and one
measured next month read the same input. Articles are shuffled sentences of the sample corpus
(resources/sample/*.txt, ours to redistribute), so they look like news to the tokenizer, the
pre-fill and the window; each ends with a numbered line so every text, and its hash, is unique.
``MARGINALIA_BENCH_CORPUS`` points at another folder of .txt files for local trials.

Annotations (``annotators=...``) are made the same way: capitalised phrases become entities
with a label chosen from the phrase itself, so annotators mostly agree, and each annotator
departs from the common answer at a fixed rate, so agreement figures have something to measure.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

GENERATOR_VERSION = 1
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "resources" / "sample"
SOURCES = ("Bench Wire", "Caribbean Ledger", "Eastern Courier", "Harbour Review")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(A-Z0-9])")
_PHRASE = re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,3}\b")
_FIRST_WORDS = {"The", "A", "An", "In", "On", "At", "It", "He", "She", "They", "We", "But", "And"}


def corpus_dir() -> Path:
    override = os.environ.get("MARGINALIA_BENCH_CORPUS")
    return Path(override) if override else SAMPLE_DIR


@cache
def _sentences(folder: str) -> tuple[str, ...]:
    """Sentences of the sample articles, without their headline lines (too short to reuse)."""
    files = sorted(Path(folder).glob("*.txt"))
    if not files:
        raise FileNotFoundError(
            f"no .txt articles in {folder}: the benchmarks build their corpora from the sample "
            "corpus (set MARGINALIA_BENCH_CORPUS to a folder of .txt articles)"
        )
    found: list[str] = []
    for path in files:
        for paragraph in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            paragraph = " ".join(paragraph.split())
            if len(paragraph.split()) < 8:
                continue
            found.extend(s for s in _SENTENCE.split(paragraph) if len(s.split()) >= 4)
    return tuple(dict.fromkeys(found))


def sentences() -> tuple[str, ...]:
    return _sentences(str(corpus_dir()))


def fingerprint() -> str:
    """Changes when the generator or its source sentences change; names cached corpora."""
    digest = hashlib.sha256(f"v{GENERATOR_VERSION}".encode())
    for sentence in sentences():
        digest.update(sentence.encode("utf-8"))
    return digest.hexdigest()[:12]


def article_text(rng: random.Random, words: int) -> str:
    """About ``words`` words in paragraphs of two to five sentences."""
    pool = sentences()
    paragraphs: list[str] = []
    count = 0
    while count < words:
        chosen = [rng.choice(pool) for _ in range(rng.randint(2, 5))]
        count += sum(len(s.split()) for s in chosen)
        paragraphs.append(" ".join(chosen))
    return "\n\n".join(paragraphs)


def article(i: int, *, seed: int = 0, words: int = 350) -> dict[str, Any]:
    """Article number ``i`` as a native JSONL record without annotations."""
    rng = random.Random(f"{seed}:{i}:{words}")
    body = article_text(rng, max(1, round(words * rng.uniform(0.6, 1.4))))
    title = " ".join(rng.choice(sentences()).split()[:9]).rstrip(",.;:")
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    return {
        "text": f"{title}\n\n{body}\n\nDispatch {seed}-{i:07d}",
        "meta": {
            "title": title,
            "source": rng.choice(SOURCES),
            "date": day.isoformat(),
            "url": f"https://news.example.org/{day.year}/{seed}-{i}",
        },
    }


@cache
def _schema_names() -> tuple[list[str], list[str], list[str]]:
    from gui.core.schema import load_schema

    schema = load_schema()
    return schema.labels, schema.target_names, list(schema.polarities)


def annotate(record: dict[str, Any], annotator: str, i: int, *, seed: int = 0,
             departure: float = 0.1) -> dict[str, Any]:
    """The record with ``annotator``'s spans and stances, departing from the shared answer."""
    labels, targets, polarities = _schema_names()
    text = record["text"]
    rng = random.Random(f"{seed}:{i}:{annotator}")
    spans: list[dict[str, Any]] = []
    for match in _PHRASE.finditer(text):
        if match.group() in _FIRST_WORDS:
            continue
        common = labels[int(hashlib.md5(match.group().encode()).hexdigest(), 16) % len(labels)]
        roll = rng.random()
        if roll < departure / 2:
            continue
        label = rng.choice(labels) if roll < departure else common
        spans.append({"start": match.start(), "end": match.end(), "label": label})
    stances: list[dict[str, Any]] = []
    shared = random.Random(f"{seed}:{i}:stances")
    for paragraph in re.finditer(r"[^\n]+", text):
        if len(stances) >= 3 or len(paragraph.group().split()) < 8:
            continue
        target = shared.choice(targets)
        polarity = shared.choice(polarities)
        if rng.random() < departure:
            polarity = rng.choice(polarities)
        holder = next(
            (s for s in spans if paragraph.start() <= s["start"] and s["end"] <= paragraph.end()),
            None,
        )
        stances.append({
            "start": paragraph.start(), "end": paragraph.end(), "target": target,
            "polarity": polarity,
            "holder": {"start": holder["start"], "end": holder["end"]} if holder else None,
        })
    return {**record, "annotator": annotator, "status": "done", "spans": spans,
            "stances": stances}


def records(n: int, *, seed: int = 0, words: int = 350,
            annotators: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
    """n articles; with annotators, one record per article and annotator (in that order)."""
    for i in range(n):
        record = article(i, seed=seed, words=words)
        if not annotators:
            yield record
        for name in annotators:
            yield annotate(record, name, i, seed=seed)


def write_jsonl(path: Path, n: int, *, seed: int = 0, words: int = 350,
                annotators: Sequence[str] = ()) -> Path:
    """Write the corpus as native JSONL (to a temporary name first, then renamed)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for record in records(n, seed=seed, words=words, annotators=annotators):
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")
    os.replace(tmp, path)
    return path


def cache_dir() -> Path:
    folder = Path(os.environ.get("MARGINALIA_BENCH_CACHE")
                  or Path(tempfile.gettempdir()) / "marginalia-bench")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def build_project(path: Path, n: int, *, seed: int = 0, words: int = 350,
                  annotators: Sequence[str] = ()) -> Path:
    """A new project at ``path`` holding the generated corpus, imported the way users do."""
    from gui.core.schema import load_schema
    from gui.core.store import Project
    from gui.formats.importer import import_files

    path = Path(path)
    source = write_jsonl(path.with_suffix(".jsonl"), n, seed=seed, words=words,
                         annotators=annotators)
    try:
        with Project.create(path, load_schema()) as project:
            import_files(project, [source])
            project.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        source.unlink(missing_ok=True)
    return path


def cached_project(n: int, *, seed: int = 0, words: int = 350,
                   annotators: Sequence[str] = ()) -> Path:
    """A generated project kept between runs (building 100,000 documents takes a while).

    Treat it as read-only; ``project_copy`` gives a copy to write to.
    """
    who = "-".join(annotators) or "none"
    name = f"corpus-{fingerprint()}-n{n}-s{seed}-w{words}-{who}.marginalia"
    path = cache_dir() / name
    if not path.exists():
        tmp = path.with_name(f".{name}.building")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        build_project(tmp, n, seed=seed, words=words, annotators=annotators)
        os.replace(tmp, path)
    else:
        from gui.core.store import Project

        # A project cached by an older format is upgraded once here, not in every copy of it
        # (a migration that indexes 100,000 texts would land inside a measured start-up).
        with Project.open(path) as project:
            project.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def project_copy(source: Path, destination: Path) -> Path:
    """Copy a (closed, checkpointed) project file so a benchmark may write to it."""
    shutil.copyfile(source, destination)
    return destination
