"""Stance frames and how two annotators' frames are matched.

A stance is a frame: (holder, target, polarity, evidence). Two annotators found "the same
stance" when their frames share the document and the target and their evidence spans overlap;
only then is it fair to ask whether they gave it the same polarity and the same holder. This
module matches frames one to one and says when two holders are the same; the agreement figures
(gui/review/frame_agreement.py) and the review window build on it.

Matching (docs/review.md, "How frames are matched"): within one document and one target, a
frame of ``a`` may be paired with a frame of ``b`` whose evidence overlaps it by at least one
code point. Of all one-to-one pairings, the one with the most pairs is taken, and among those
the one with the most overlapping code points in total (gui/review/span_matching.py); remaining
ties are settled by the frames' text order (then polarity, holder and id). So the result never
depends on the order the frames were given in, and a frame that overlaps two others is paired
with the one that leaves the other free for someone else.

Same holder: both frames have no holder; or both holder spans overlap; or both holders' texts
are the same name once case, surrounding punctuation and runs of whitespace are set aside
("Russia" in the first sentence and "Russia" in the third are one holder).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gui.core.store import GOLD, Project
from gui.review.span_matching import match_spans, overlap

Span = tuple[int, int]
__all__ = ["Frame", "FrameMatch", "document_frames", "match_frames", "match_spans",
           "overlap", "same_holder", "span_dice"]


@dataclass(frozen=True)
class Frame:
    """One annotator's stance as a frame; offsets are code points, ends exclusive."""

    stance_id: int
    document_id: int
    annotator: str
    target: str
    polarity: str
    start: int  # evidence span
    end: int
    holder: Span | None
    holder_text: str | None

    @property
    def evidence(self) -> Span:
        return (self.start, self.end)


@dataclass(frozen=True)
class FrameMatch:
    """A pair of matched frames, or a frame only one side has (the other is ``None``)."""

    a: Frame | None
    b: Frame | None

    @property
    def matched(self) -> bool:
        return self.a is not None and self.b is not None

    @property
    def same_polarity(self) -> bool:
        return self.matched and self.a.polarity == self.b.polarity  # type: ignore[union-attr]

    @property
    def same_holder(self) -> bool:
        if self.a is None or self.b is None:
            return False
        return same_holder(self.a.holder, self.a.holder_text, self.b.holder, self.b.holder_text)

    @property
    def evidence_overlap(self) -> float:
        """Dice coefficient of the two evidence spans' code points (0 when unmatched)."""
        if self.a is None or self.b is None:
            return 0.0
        return span_dice(self.a.evidence, self.b.evidence)


def span_dice(a: Span, b: Span) -> float:
    """2 |a ∩ b| / (|a| + |b|) over code points: 1 for the same span, 0 for disjoint ones."""
    total = (a[1] - a[0]) + (b[1] - b[0])
    return 2 * overlap(a, b) / total if total else 0.0


_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")


def holder_name(text: str) -> str:
    """A holder's text as a name: case folded, runs of whitespace as one space, punctuation at
    either end dropped ("the Kremlin," and "The  Kremlin" are one name)."""
    return _EDGES.sub("", _SPACES.sub(" ", text.casefold()))


def same_holder(a: Span | None, a_text: str | None, b: Span | None, b_text: str | None) -> bool:
    """Whether two frames have the same holder (see the module docstring)."""
    if a is None or b is None:
        return a is None and b is None
    if overlap(a, b):
        return True
    if a_text is None or b_text is None:
        return False
    name = holder_name(a_text)
    return bool(name) and name == holder_name(b_text)





def match_frames(a: Sequence[Frame], b: Sequence[Frame]) -> list[FrameMatch]:
    """Pair two annotators' frames of one document (see the module docstring).

    Returns every frame once: matched pairs and the frames only one side has, in text order
    (by the evidence of ``a``'s frame, or ``b``'s when ``a`` has none), then by target.
    """
    found: list[FrameMatch] = []
    a, b = sorted(a, key=_frame_order), sorted(b, key=_frame_order)
    for target in sorted({f.target for f in a} | {f.target for f in b}):
        mine = [f for f in a if f.target == target]
        theirs = [f for f in b if f.target == target]
        pairs = match_spans([f.evidence for f in mine], [f.evidence for f in theirs])
        paired_a = {i for i, _ in pairs}
        paired_b = {j for _, j in pairs}
        found += [FrameMatch(mine[i], theirs[j]) for i, j in pairs]
        found += [FrameMatch(f, None) for i, f in enumerate(mine) if i not in paired_a]
        found += [FrameMatch(None, f) for j, f in enumerate(theirs) if j not in paired_b]
    return sorted(found, key=_match_order)


def _frame_order(frame: Frame) -> tuple:
    holder = frame.holder if frame.holder is not None else (-1, -1)
    return (frame.start, frame.end, frame.polarity, holder, frame.stance_id)


def _match_order(match: FrameMatch) -> tuple:
    first = match.a if match.a is not None else match.b
    assert first is not None
    other = match.b if match.a is not None else None
    return (first.start, first.end, first.target, first.stance_id,
            other.stance_id if other is not None else -1)


def document_frames(project: Project, document_id: int) -> dict[str, list[Frame]]:
    """Each annotator's frames of one document, for the sets agreement compares: the done sets
    of annotators (never gold), and only when two or more annotators finished the document
    (otherwise ``{}``). An annotator who finished it without marking a stance has ``[]``."""
    names = [name for (name,) in project.conn.execute(
        "SELECT annotator FROM annotation_sets WHERE document_id = ? AND status = 'done' "
        "AND annotator != ? ORDER BY annotator", (document_id, GOLD))]
    if len(names) < 2:
        return {}
    row = project.conn.execute("SELECT text FROM documents WHERE id = ?",
                               (document_id,)).fetchone()
    text = row[0] if row else ""
    frames: dict[str, list[Frame]] = {name: [] for name in names}
    for stance_id, name, start, end, target, polarity, h_start, h_end in project.conn.execute(
        'SELECT t.id, s.annotator, t.start, t."end", t.target, t.polarity, t.holder_start, '
        "t.holder_end FROM stances t JOIN annotation_sets s ON s.id = t.set_id "
        "WHERE s.document_id = ? AND s.status = 'done' AND s.annotator != ? "
        'ORDER BY s.annotator, t.start, t."end", t.id',
        (document_id, GOLD),
    ):
        holder = None if h_start is None or h_end is None else (h_start, h_end)
        frames[name].append(Frame(stance_id, document_id, name, target, polarity, start, end,
                                  holder, text[h_start:h_end] if holder else None))
    return frames
