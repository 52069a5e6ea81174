"""CSV of stances, one row per stance, for R (``read.csv``) and pandas (``read_csv``).

Columns: ``document`` (the project's document id), ``title``, ``date``, ``annotator``,
``status``, ``holder`` (the holder's text, empty when none), ``target``, ``polarity``,
``evidence`` (the evidence text), then the character offsets ``start``, ``end``,
``holder_start``, ``holder_end``. RFC 4180 quoting (the csv module's default dialect), UTF-8
without a byte-order mark, so line breaks inside evidence text survive. A record without
stances gives no row, except with ``--include-empty``: one row with the stance columns empty.
"""

from __future__ import annotations

import csv
from typing import IO, Any

from gui.formats.export.selection import ExportRecord
from gui.formats.export.writer import Writer

COLUMNS = (
    "document", "title", "date", "annotator", "status", "holder", "target", "polarity",
    "evidence", "start", "end", "holder_start", "holder_end",
)


class StancesCsvWriter(Writer):
    suffix = ".csv"

    def __init__(self, stream: IO[Any], *, include_empty: bool = False):
        super().__init__(stream, include_empty=include_empty)
        self.csv = csv.writer(stream)
        self.csv.writerow(COLUMNS)

    def write(self, record: ExportRecord) -> None:
        text = record.text
        who = (record.document_id, record.title, record.date, record.annotator or "",
               record.status or "")
        if not record.stances:
            if self.include_empty:
                self.csv.writerow((*who, "", "", "", "", "", "", "", "", ""))
            return
        for start, end, target, polarity, hs, he in record.stances:
            holder = text[hs:he] if hs is not None else ""
            self.csv.writerow((
                *who, holder, target, polarity, text[start:end], start, end,
                "" if hs is None else hs, "" if he is None else he,
            ))
