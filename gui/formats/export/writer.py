"""What every format's writer does: take records one at a time, and say what it had to drop.

A writer never sees more than one record at a time (except the spaCy writer, whose DocBin is
by nature one serialised object), so an export streams whatever its size.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from pathlib import Path
from typing import IO, Any, ClassVar

from gui.formats.export.selection import ExportRecord


class Writer(ABC):
    """Base for one format: ``write`` each record, then ``finish`` once."""

    binary: ClassVar[bool] = False  # True: needs a bytes stream and a real file (not stdout)
    parts: int = 0  # files written into a folder, for writers that write a folder of parts
    suffix: ClassVar[str] = ".jsonl"

    def __init__(self, stream: IO[Any] | Path, *, include_empty: bool = False):
        self.stream = stream  # a Path only for writers of a folder of parts
        self.include_empty = include_empty  # text-only records were asked for
        self.dropped: Counter[str] = Counter()  # what the format could not hold, by reason

    @abstractmethod
    def write(self, record: ExportRecord) -> None:
        """Write one record to the stream."""

    def finish(self) -> None:  # noqa: B027 - most formats have nothing left to write
        """Called once after the last record, before the file is renamed into place."""


def meta_of(record: ExportRecord) -> dict[str, Any]:
    """The native ``meta`` object: title, source, date and url first, then kept fields."""
    meta: dict[str, Any] = {
        "title": record.title, "source": record.source, "date": record.date, "url": record.url,
    }
    for key, value in record.meta.items():
        meta.setdefault(key, value)
    if record.model is not None:
        meta["prefill_model"] = record.model
        meta["prefill_model_version"] = record.model_version
    return meta


def longest_first(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans, longer ones winning and earlier ones breaking ties: the rule of
    ``spacy.util.filter_spans``, for formats that cannot hold overlapping entities."""
    kept: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for start, end, label in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= a or start >= b for a, b in taken):
            kept.append((start, end, label))
            taken.append((start, end))
    return sorted(kept)
