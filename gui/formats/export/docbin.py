"""spaCy ``DocBin`` (``.spacy``), ready for ``spacy train`` and ``DocBin().from_disk``.

Per record, one ``Doc`` made by spaCy's blank English tokenizer:

- ``doc.ents``: the entities, each made with ``doc.char_span(..., alignment_mode="expand")``
  (a span cutting a token grows to whole tokens); where entities overlap, the longer one is
  kept (``spacy.util.filter_spans``). Every other token is explicitly outside an entity, so
  the NER component learns from the whole text. A text-only record (``--include-empty``)
  leaves ``doc.ents`` unset: its tokens are *missing* for training, not "no entity".
- ``doc.spans["sc"]``: every entity, overlapping ones included (the span categorizer's key).
- ``doc.spans["stance"]``: each stance's evidence, labelled ``"<target>|<polarity>"``.
- ``doc.spans["stance_holder"]``: the holder of each stance that has one, labelled the same.
- ``doc.user_data["marginalia"]``: the exact record: ``document`` id, ``annotator``,
  ``status``, ``meta`` and ``stances`` as ``[start, end, target, polarity, holder_start,
  holder_end]`` character offsets (holder ``None`` when there is none), which pairs each
  holder with its stance where the span groups cannot.

A ``.spacy`` file is one compressed object, so its DocBin is held until the end (compact
token arrays, not the Docs). For large exports, a target without the ``.spacy`` suffix is a
folder of ``part-000001.spacy`` files of ``PART_SIZE`` documents each, written as they fill:
memory stays flat, and ``spacy train`` reads a folder of .spacy files as one corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from gui.formats.export.atomic import write_durably
from gui.formats.export.selection import ExportRecord
from gui.formats.export.tokens import make_doc
from gui.formats.export.writer import Writer, meta_of

# Only what these Docs carry: blank-English tokens (ORTH; DocBin adds SPACY itself) and the
# entities. The default attributes (tags, heads, lemmas...) are all zero here and would take
# three times the memory, which matters because the DocBin is held until it is written.
ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE")
STANCE_KEY = "stance"
HOLDER_KEY = "stance_holder"
ENTITY_KEY = "sc"
PART_SIZE = 1000  # documents per part file in a folder export


def stance_label(target: str, polarity: str) -> str:
    return f"{target}|{polarity}"


def split_stance_label(label: str) -> tuple[str, str]:
    """The inverse of ``stance_label``; a target may hold "|", a polarity does not."""
    target, _bar, polarity = label.rpartition("|")
    return target, polarity


class DocBinWriter(Writer):
    binary = True
    suffix = ".spacy"

    def __init__(self, stream: IO[Any], *, include_empty: bool = False):
        super().__init__(stream, include_empty=include_empty)
        self.docbin = DocBin(attrs=ATTRS, store_user_data=True)

    def _span(self, doc: Doc, start: int, end: int, label: str, what: str) -> Span | None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None or len(span) == 0:
            self.dropped[f"{what} on whitespace only left out"] += 1
            return None
        return span

    def doc(self, record: ExportRecord) -> Doc:
        doc = make_doc(record.text)
        data: dict[str, Any] = {"document": record.document_id, "meta": meta_of(record)}
        if record.annotated:
            entities = [
                span for s, e, label in record.entities
                if (span := self._span(doc, s, e, label, "entity")) is not None
            ]
            ents = filter_spans(entities)
            if len(ents) < len(entities):
                self.dropped["overlapping entities kept in doc.spans['sc'] only"] += (
                    len(entities) - len(ents)
                )
            doc.set_ents(ents, default="outside")
            doc.spans[ENTITY_KEY] = entities
            stances, holders = [], []
            for s, e, target, polarity, hs, he in record.stances:
                label = stance_label(target, polarity)
                if (span := self._span(doc, s, e, label, "stance")) is not None:
                    stances.append(span)
                if hs is None:
                    continue
                if (span := self._span(doc, hs, he, label, "holder")) is not None:
                    holders.append(span)
            doc.spans[STANCE_KEY] = stances
            doc.spans[HOLDER_KEY] = holders
            data["annotator"] = record.annotator
            data["status"] = record.status
            data["stances"] = [list(stance) for stance in record.stances]
        doc.user_data["marginalia"] = data
        return doc

    def write(self, record: ExportRecord) -> None:
        self.docbin.add(self.doc(record))

    def finish(self) -> None:
        self.stream.write(self.docbin.to_bytes())


class DocBinFolderWriter(DocBinWriter):
    """A folder of DocBin parts, each written and fsynced as soon as it is full."""

    def __init__(self, folder: Path, *, include_empty: bool = False):
        super().__init__(folder, include_empty=include_empty)
        self.folder = folder
        self.parts = 0

    def write(self, record: ExportRecord) -> None:
        super().write(record)
        if len(self.docbin) >= PART_SIZE:
            self._write_part()

    def finish(self) -> None:
        if len(self.docbin) or not self.parts:  # an empty export still gives one (empty) part
            self._write_part()

    def _write_part(self) -> None:
        self.parts += 1
        write_durably(self.folder / f"part-{self.parts:06d}.spacy", self.docbin.to_bytes())
        self.docbin = DocBin(attrs=ATTRS, store_user_data=True)
