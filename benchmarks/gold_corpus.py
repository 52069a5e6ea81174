"""Generated articles that carry hand-made gold, for training figures.

Every sentence of the sample corpus (resources/sample, written by us) keeps the entities and
stances of its hand annotation (tests/data/sample_gold.jsonl) when it is moved into a
generated article: an entity inside the sentence, a stance whose evidence starts in it (its
evidence cut to the sentence, its holder kept when inside). Articles are two to six
paragraphs of two to four sentences drawn with a seeded generator, so the same (pool, i, seed)
always gives the same article.

``pools()`` splits the twelve sample articles into two pools by article: training articles
are built only from the first eight, test articles only from the last four, so no test
sentence was ever seen in training. The figures this gives are still a best case: the same
people wrote the articles, their gold and the stance lexicon; see docs/training.md.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "sample_gold.jsonl"
_SENTENCE = re.compile(r"[^\s].*?(?:[.!?][\"”’)]?(?=\s)|$)", re.S)
TRAIN_ARTICLES = 8


@dataclass(frozen=True)
class Sentence:
    text: str
    spans: tuple[tuple[int, int, str], ...]
    stances: tuple[dict[str, Any], ...]  # offsets relative to the sentence


def _sentences(record: dict[str, Any]) -> list[Sentence]:
    text = record["text"]
    found = []
    for paragraph in re.finditer(r"[^\n]+", text):
        for match in _SENTENCE.finditer(paragraph.group()):
            lo = paragraph.start() + match.start()
            hi = paragraph.start() + match.end()
            spans = tuple((s["start"] - lo, s["end"] - lo, s["label"]) for s in record["spans"]
                          if lo <= s["start"] and s["end"] <= hi)
            stances = []
            for s in record.get("stances", []):
                if not lo <= s["start"] < hi:
                    continue
                holder = s.get("holder")
                inside = holder and lo <= holder["start"] and holder["end"] <= hi
                stances.append({
                    "start": 0, "end": min(s["end"], hi) - lo, "target": s["target"],
                    "polarity": s["polarity"],
                    "holder": {"start": holder["start"] - lo, "end": holder["end"] - lo}
                    if inside else None,
                })
            found.append(Sentence(text[lo:hi], spans, tuple(stances)))
    return found


@cache
def pools() -> tuple[tuple[Sentence, ...], tuple[Sentence, ...]]:
    """(training sentences, test sentences), split by article."""
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    records.sort(key=lambda r: r["meta"].get("date", ""))
    train = [s for r in records[:TRAIN_ARTICLES] for s in _sentences(r)]
    test = [s for r in records[TRAIN_ARTICLES:] for s in _sentences(r)]
    return tuple(train), tuple(test)


def article(pool: tuple[Sentence, ...], i: int, *, seed: int = 0,
            annotator: str = "gold-standard") -> dict[str, Any]:
    """Article ``i`` as a native JSONL record with its gold, status done."""
    rng = random.Random(f"gold:{seed}:{i}")
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    stances: list[dict[str, Any]] = []
    at = 0
    for p in range(rng.randint(2, 6)):
        if p:
            parts.append("\n\n")
            at += 2
        for k in range(rng.randint(2, 4)):
            if k:
                parts.append(" ")
                at += 1
            sentence = rng.choice(pool)
            spans += [{"start": s + at, "end": e + at, "label": label}
                      for s, e, label in sentence.spans]
            for stance in sentence.stances:
                holder = stance["holder"]
                stances.append({
                    **stance, "start": stance["start"] + at, "end": stance["end"] + at,
                    "holder": {"start": holder["start"] + at, "end": holder["end"] + at}
                    if holder else None,
                })
            parts.append(sentence.text)
            at += len(sentence.text)
    parts.append(f"\n\nDispatch {seed}-{i:06d}")
    return {"text": "".join(parts), "meta": {"title": f"Generated article {seed}-{i}"},
            "annotator": annotator, "status": "done", "spans": spans, "stances": stances}


def untouched(pool: tuple[Sentence, ...], i: int, *, seed: int = 0) -> dict[str, Any]:
    """An article with no annotations: text for rehearsal and for ranking."""
    record = article(pool, i, seed=seed + 7919)
    return {"text": record["text"], "meta": record["meta"]}


def write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path
