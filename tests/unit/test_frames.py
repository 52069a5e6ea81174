"""Stance frames: matching two annotators' frames, same holders, and a document's frames."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gui.core.store import Project
from gui.formats.importer import import_files
from gui.review.frames import (
    Frame,
    FrameMatch,
    document_frames,
    match_frames,
    match_spans,
    overlap,
    same_holder,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"
TEXT = "Russia backs Cuba. Lavrov said Russia would help. The US disagreed."


def frame(stance_id: int, annotator: str, start: int, end: int, target: str = "T",
          polarity: str = "favor", holder: tuple[int, int] | None = None) -> Frame:
    return Frame(stance_id, 1, annotator, target, polarity, start, end, holder,
                 TEXT[holder[0]:holder[1]] if holder else None)


def test_a_holder_disagreement_is_one_matched_pair_not_two_lone_stances():
    """ana says Russia holds it, ben says Lavrov: the review shows one line, not two."""
    ana = [frame(1, "ana", 19, 50, holder=(0, 6))]
    ben = [frame(2, "ben", 19, 50, holder=(19, 25))]
    [match] = match_frames(ana, ben)
    assert match.matched and match.same_polarity and not match.same_holder
    assert match.evidence_overlap == 1.0


def test_frames_on_other_targets_or_disjoint_evidence_stay_unmatched():
    ana = [frame(1, "ana", 0, 18, target="T"), frame(2, "ana", 19, 50)]
    ben = [frame(3, "ben", 0, 18, target="U"), frame(4, "ben", 51, 67)]
    matches = match_frames(ana, ben)
    assert not any(m.matched for m in matches)
    assert len(matches) == 4
    assert {(m.a.stance_id if m.a else None, m.b.stance_id if m.b else None)
            for m in matches} == {(1, None), (2, None), (None, 3), (None, 4)}


def test_a_frame_overlapping_two_is_paired_so_that_both_find_a_partner():
    """ana's long frame overlaps both of ben's; taking the bigger overlap first would leave
    ana's second frame alone. Two pairs beat one."""
    ana = [frame(1, "ana", 0, 50), frame(2, "ana", 45, 67)]
    ben = [frame(3, "ben", 0, 18), frame(4, "ben", 19, 67)]
    pairs = {(m.a.stance_id, m.b.stance_id) for m in match_frames(ana, ben) if m.matched}
    assert pairs == {(1, 3), (2, 4)}


def test_evidence_overlap_is_the_dice_of_the_two_spans():
    [match] = match_frames([frame(1, "ana", 0, 10)], [frame(2, "ben", 5, 15)])
    assert match.evidence_overlap == 2 * 5 / 20
    lone = FrameMatch(frame(1, "ana", 0, 10), None)
    assert not lone.matched and not lone.same_polarity and lone.evidence_overlap == 0.0


def test_the_same_name_elsewhere_is_the_same_holder():
    russia, again = (0, 6), (31, 37)  # "Russia" twice
    assert TEXT[russia[0]:russia[1]] == TEXT[again[0]:again[1]] == "Russia"
    assert same_holder(russia, "Russia", again, "Russia")
    assert same_holder(None, None, None, None)
    assert same_holder((0, 6), "Russia", (0, 4), "Russ")  # overlapping spans
    assert same_holder((0, 7), "Russia,", (40, 47), " russia")
    assert not same_holder((0, 6), "Russia", (19, 25), "Lavrov")
    assert not same_holder((0, 6), "Russia", None, None)
    assert not same_holder((0, 1), ",", (5, 6), ",")  # nothing left of the name


def _best(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> tuple[int, int]:
    """(pairs, shared code points) of the best one-to-one pairing, by trying them all."""
    best = (0, 0)
    for size in range(min(len(a), len(b)), 0, -1):
        for chosen in itertools.combinations(range(len(a)), size):
            for image in itertools.permutations(range(len(b)), size):
                shared = [overlap(a[i], b[j]) for i, j in zip(chosen, image, strict=True)]
                if all(shared):
                    best = max(best, (size, sum(shared)))
    return best


SPANS = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)).map(
    lambda p: (p[0], p[0] + p[1])), max_size=5)


@settings(max_examples=200, deadline=None)
@given(SPANS, SPANS, st.randoms())
def test_matching_is_the_best_pairing_whatever_the_input_order(a, b, rng):
    pairs = match_spans(a, b)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    assert all(overlap(a[i], b[j]) for i, j in pairs)
    assert (len(pairs), sum(overlap(a[i], b[j]) for i, j in pairs)) == _best(a, b)
    frames_a = [frame(i, "ana", s, e) for i, (s, e) in enumerate(a)]
    frames_b = [frame(100 + j, "ben", s, e) for j, (s, e) in enumerate(b)]
    once = match_frames(frames_a, frames_b)
    rng.shuffle(frames_a)
    rng.shuffle(frames_b)
    assert match_frames(frames_a, frames_b) == once
    assert sum(m.matched for m in once) == len(pairs)


def test_document_frames_are_the_done_sets_of_a_compared_document(project: Project):
    import_files(project, [DATA / "three_annotators.jsonl"])
    (doc_id,) = project.conn.execute(
        "SELECT id FROM documents WHERE title = 'Delegation in Havana'").fetchone()
    frames = document_frames(project, doc_id)
    assert sorted(frames) == ["ana", "ben", "cy"]
    [ana], [ben], [cy] = frames["ana"], frames["ben"], frames["cy"]
    assert (ana.target, ana.polarity, ana.holder_text) == (
        "US embargo on Cuba", "against", "foreign minister")
    assert ben.holder is None and cy.polarity == "neutral"
    [match] = match_frames(frames["ana"], frames["ben"])
    assert match.matched and match.same_polarity and not match.same_holder
    (stalled,) = project.conn.execute(
        "SELECT id FROM documents WHERE title = 'Stalled thaw'").fetchone()
    assert document_frames(project, stalled) == {}  # only ana finished it
