"""The review's stance rows are frames matched across annotators: one row per stance however
many annotators hold it, and a line naming what differs."""

from __future__ import annotations

from gui.review.disputes import HOLDER, MISSING, TARGET_OR_POLARITY
from gui.review.frame_review import difference, stance_clusters
from gui.review.sets import DoneSet

TEXT = "Russia rejects the blockade. Lavrov met Rodríguez in Havana. Both praised the ties."
EMBARGO, PARTNERSHIP = "US embargo on Cuba", "Russia–Cuba partnership"
FIRST = (0, 28)  # "Russia rejects the blockade."
RUSSIA, LAVROV = (0, 6), (29, 35)


def done(name: str, *stances: tuple) -> DoneSet:
    return DoneSet(1, 7, name, stances=sorted(stances, key=lambda s: (s[0], s[1])))


def stance(span, target, polarity, holder=None) -> tuple:
    return (*span, target, polarity, *(holder or (None, None)))


def test_three_annotators_on_one_stance_are_one_row_naming_each_holder():
    sets = {
        "ana": done("ana", stance(FIRST, EMBARGO, "against", RUSSIA)),
        "ben": done("ben", stance((0, 20), EMBARGO, "against", LAVROV)),  # shorter evidence
        "cy": done("cy", stance(FIRST, EMBARGO, "against", RUSSIA)),
    }
    [row] = stance_clusters(sets)
    assert row.target == EMBARGO and HOLDER in row.kinds
    assert difference(row, TEXT) == ("holder: ana: Russia · ben: Lavrov · cy: Russia; "
                                     "evidence boundaries")


def test_other_targets_in_one_sentence_are_rows_of_their_own():
    sets = {
        "ana": done("ana", stance(FIRST, EMBARGO, "against"), stance(FIRST, PARTNERSHIP, "favor")),
        "ben": done("ben", stance(FIRST, EMBARGO, "neutral")),
    }
    embargo, partnership = sorted(stance_clusters(sets), key=lambda c: c.target)[::-1]
    assert embargo.kinds == (TARGET_OR_POLARITY,)
    assert difference(embargo, TEXT) == "polarity: ana: against · ben: neutral"
    assert partnership.kinds == (MISSING,)
    assert difference(partnership, TEXT) == "not marked by ben"
    # a row holds only its own target's stances, though both lie in the same stretch
    assert partnership.holds(stance(FIRST, PARTNERSHIP, "favor"))
    assert not partnership.holds(stance(FIRST, EMBARGO, "against"))


def test_agreed_frames_say_so():
    same = stance(FIRST, EMBARGO, "against", RUSSIA)
    [row] = stance_clusters({"ana": done("ana", same), "ben": done("ben", same)})
    assert row.agreed and difference(row, TEXT) == "same stance"
