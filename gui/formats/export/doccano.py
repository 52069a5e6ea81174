"""doccano sequence-labelling JSONL: ``{"text", "label": [[start, end, label]], "meta"}``.

doccano keeps unknown keys as document metadata; it has no stance task and no annotator or
status field, so this format carries entities only (import back with ``--annotator``).
"""

from __future__ import annotations

import json
from typing import Any

from gui.formats.export.selection import ExportRecord
from gui.formats.export.writer import Writer, meta_of


def doccano_record(record: ExportRecord) -> dict[str, Any]:
    out: dict[str, Any] = {"text": record.text}
    if record.annotated:  # an unlabelled document has no "label", so it imports as text only
        out["label"] = [[s, e, label] for s, e, label in record.entities]
    out["meta"] = meta_of(record)
    return out


class DoccanoWriter(Writer):
    def write(self, record: ExportRecord) -> None:
        self.stream.write(json.dumps(doccano_record(record), ensure_ascii=False) + "\n")
