"""Native JSONL: one record per line, exactly the import format (DESIGN.md), so a file
written here imports back into a project unchanged."""

from __future__ import annotations

import json
from typing import Any

from gui.formats.export.selection import ExportRecord
from gui.formats.export.writer import Writer, meta_of


def native_record(record: ExportRecord) -> dict[str, Any]:
    out: dict[str, Any] = {"text": record.text, "meta": meta_of(record)}
    if not record.annotated:
        return out
    text = record.text
    if record.annotator is not None:
        out["annotator"] = record.annotator
    # The pre-fill is a suggestion nobody has looked at: it imports back as "todo".
    out["status"] = record.status if record.status is not None else "todo"
    out["spans"] = [
        {"start": s, "end": e, "label": label, "text": text[s:e]}
        for s, e, label in record.entities
    ]
    out["stances"] = [
        {
            "start": s, "end": e, "target": target, "polarity": polarity,
            "holder": None if hs is None else {"start": hs, "end": he},
        }
        for s, e, target, polarity, hs, he in record.stances
    ]
    return out


class NativeWriter(Writer):
    def write(self, record: ExportRecord) -> None:
        self.stream.write(json.dumps(native_record(record), ensure_ascii=False) + "\n")
