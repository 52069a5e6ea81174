"""Prodigy task JSONL, as ``ner.manual`` saves it and ``prodigy db-in`` / ``train`` read it.

Each record has ``text``, ``tokens`` (``text, start, end, id, ws``), ``spans`` (character
``start``/``end`` plus ``token_start``/``token_end``, the last token inclusive, as Prodigy
counts), ``answer``, ``_input_hash``, ``_task_hash``, ``_view_id`` and ``meta``.

Tokens are spaCy's blank English tokenizer's, split at span edges (see tokens.py), so every
span covers whole tokens and its character offsets are exactly the annotator's.

Hashes follow Prodigy's recipe for ``set_hashes``: the input hash is a 32-bit MurmurHash3
(spaCy's ``murmurhash`` package, seed 0, signed) of the key-sorted JSON of the input keys
(here ``{"text": ...}``); the task hash is MurmurHash3 of the input hash followed by the
key-sorted JSON of the task keys (``spans``: start, end, label). They dedupe the same way
Prodigy's do (same text, same input hash; same text and spans, same task hash), but they are
not promised to equal the numbers Prodigy itself would compute.

Status becomes ``answer``: done → accept, flagged → reject, skipped, todo and in progress →
ignore (so ``prodigy train`` uses only finished work). The pre-fill and text-only records have
no answer: they are an input stream to correct in Prodigy.
"""

from __future__ import annotations

import json
from typing import Any

from murmurhash import hash as murmur

from gui.formats.export.selection import ExportRecord
from gui.formats.export.tokens import make_doc, pieces, token_range
from gui.formats.export.writer import Writer, meta_of

ANSWERS = {"done": "accept", "flagged": "reject"}  # everything else: "ignore"


def input_hash(text: str) -> int:
    return murmur(json.dumps({"text": text}, sort_keys=True, ensure_ascii=False))


def task_hash(in_hash: int, spans: list[dict[str, Any]]) -> int:
    keyed = [{"end": s["end"], "label": s["label"], "start": s["start"]} for s in spans]
    return murmur(f"{in_hash}" + json.dumps({"spans": keyed}, sort_keys=True, ensure_ascii=False))


def prodigy_record(record: ExportRecord) -> dict[str, Any]:
    text = record.text
    edges = [edge for s, e, _label in record.entities for edge in (s, e)]
    parts = pieces(make_doc(text), edges)
    starts = [p.start for p in parts]
    ends = [p.end for p in parts]
    tokens = [
        {"text": text[p.start : p.end], "start": p.start, "end": p.end, "id": i, "ws": p.ws}
        for i, p in enumerate(parts)
    ]
    spans = []
    for s, e, label in record.entities:
        first, last = token_range(starts, ends, s, e)
        spans.append({"start": s, "end": e, "text": text[s:e], "label": label,
                      "token_start": first, "token_end": last})
    out: dict[str, Any] = {"text": text, "meta": meta_of(record)}
    in_hash = input_hash(text)
    out["_input_hash"] = in_hash
    out["_task_hash"] = task_hash(in_hash, spans)
    out["tokens"] = tokens
    if record.annotated:  # a text-only record has no "spans", so it imports as text only
        out["spans"] = spans
        out["_view_id"] = "ner_manual"
    if record.annotator is not None:
        out["answer"] = ANSWERS.get(record.status or "", "ignore")
        out["_annotator_id"] = record.annotator
    return out


class ProdigyWriter(Writer):
    def write(self, record: ExportRecord) -> None:
        self.stream.write(json.dumps(prodigy_record(record), ensure_ascii=False) + "\n")
