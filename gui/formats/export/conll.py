"""CoNLL-2003-style IOB: one token and its tag per line, a blank line between sentences, and
``-DOCSTART- -X- O O`` before each record, the layout ``spacy convert -c ner`` reads.

Tokens are spaCy's blank English tokenizer's, split at span edges (tokens.py), with whitespace
left out (a line is ``token TAG`` and readers split lines on whitespace). Sentences come from
spaCy's rule-based sentencizer; a sentence break inside an entity is not taken. Tags are IOB2
(``B-`` opens every entity). IOB cannot hold overlapping entities: the longer one is kept
(spaCy's ``filter_spans`` rule) and the others are counted in the export report.
"""

from __future__ import annotations

import bisect

from gui.formats.export.selection import ExportRecord
from gui.formats.export.tokens import non_space_parts, pieces, sentence_splitter
from gui.formats.export.writer import Writer, longest_first

DOCSTART = "-DOCSTART- -X- O O"


def conll_lines(record: ExportRecord, entities: list[tuple[int, int, str]]) -> list[str]:
    """The record's lines, after its DOCSTART line; ``entities`` must not overlap."""
    text = record.text
    doc = sentence_splitter()(text)
    edges = [edge for s, e, _label in entities for edge in (s, e)]
    sentence_starts = [sent.start_char for sent in doc.sents]
    ent_starts = [s for s, _e, _label in entities]
    lines: list[str] = []
    open_entity: tuple[int, int, str] | None = None
    in_sentence = False
    next_sentence = 1
    for piece in pieces(doc, edges):
        for start, end in non_space_parts(text, piece.start, piece.end):
            at = bisect.bisect_right(ent_starts, start) - 1
            entity = entities[at] if at >= 0 and start < entities[at][1] else None
            if entity is None:
                tag = "O"
            elif entity is open_entity:
                tag = f"I-{entity[2]}"
            else:
                tag = f"B-{entity[2]}"
            open_entity = entity
            new_sentence = False
            while next_sentence < len(sentence_starts) and sentence_starts[next_sentence] <= start:
                next_sentence += 1
                new_sentence = True
            if new_sentence and in_sentence and not tag.startswith("I-"):
                lines.append("")
            lines.append(f"{text[start:end]} {tag}")
            in_sentence = True
    return lines


class ConllWriter(Writer):
    suffix = ".conll"

    def write(self, record: ExportRecord) -> None:
        entities = longest_first(record.entities)
        if len(entities) < len(record.entities):
            self.dropped["overlapping entities left out (IOB cannot hold them)"] += (
                len(record.entities) - len(entities)
            )
        lines = conll_lines(record, entities)
        self.stream.write(DOCSTART + "\n\n" + "\n".join(lines) + "\n\n")
