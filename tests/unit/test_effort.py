"""What correcting the pre-fill cost, and anchoring on it, on a project small enough to count
by hand: every figure asserted here is worked out in the comments beside it."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui.cli import main
from gui.core.edits import AddEntity, ChangeEntity, ChangeStance, RemoveEntity, SetStatus
from gui.core.store import Project, now
from gui.review.anchoring import compute_anchoring
from gui.review.corrections import (
    ACCEPTED,
    ADDED,
    DELETED,
    HOLDER,
    RELABELLED,
    RESIZED,
    compare,
)
from gui.review.effort import compute_effort

TEXT = ("Russia rejects the U.S. blockade against Cuba. "
        "Sergei Lavrov met Bruno Rodríguez in Havana on Monday. "
        "The ministers praised the strategic partnership.")
ENTITIES = [("Russia", "GPE"), ("U.S.", "GPE"), ("Cuba", "GPE"), ("Sergei Lavrov", "PERSON"),
            ("Bruno Rodríguez", "PERSON"), ("Havana", "GPE"), ("Monday", "DATE")]
OTHER = "Moscow and Havana signed in Minsk, Caracas and Hanoi with Beijing."
OTHER_ENTITIES = [("Moscow", "GPE"), ("Havana", "GPE"), ("Minsk", "GPE"), ("Caracas", "GPE"),
                  ("Hanoi", "GPE"), ("Beijing", "GPE")]
EMBARGO, PARTNERSHIP = "US embargo on Cuba", "Russia–Cuba partnership"


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def prefill(project: Project, doc: int, text: str, entities, stances=()) -> None:
    """Suggestions stored as ``marginalia prefill`` stores them."""
    with project.transaction() as conn:
        for words, label in entities:
            conn.execute('INSERT INTO prefill_entities(document_id, start, "end", label, model, '
                         "model_version) VALUES (?, ?, ?, ?, 'test', '1')",
                         (doc, *span(text, words), label))
        for evidence, target, polarity, holder in stances:
            h = span(text, holder) if holder else (None, None)
            conn.execute('INSERT INTO prefill_stances(document_id, start, "end", target, '
                         "polarity, holder_start, holder_end, model, model_version) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, 'test', '1')",
                         (doc, *span(text, evidence), target, polarity, *h))
        conn.execute("INSERT INTO prefill_runs VALUES (?, 'test', '1', ?)", (doc, now()))


def entity_id(project: Project, doc: int, who: str, words: str, text: str) -> int:
    start, end = span(text, words)
    project.ensure_set(doc, who)  # as the window's first edit does: a copy of the pre-fill
    aset = project.annotation_set(doc, who)
    return next(e.id for e in aset.entities if (e.start, e.end) == (start, end))


@pytest.fixture
def counted(project: Project) -> Project:
    return build_counted(project)


def build_counted(project: Project) -> Project:
    """ana corrects document 1 (five corrections), ben keeps every suggestion, cy has not
    finished; on document 2 (never pre-filled) ana adds one entity by hand; on document 3
    both keep all six suggestions."""
    (d1, _), (d2, _), (d3, _) = project.add_documents(
        [{"text": TEXT, "title": "Lavrov"}, {"text": "Cuba thanks Moscow.", "title": "Aid"},
         {"text": OTHER, "title": "Capitals"}])
    prefill(project, d1, TEXT, ENTITIES, [
        ("Russia rejects the U.S. blockade against Cuba.", EMBARGO, "against", "Russia"),
        ("The ministers praised the strategic partnership.", PARTNERSHIP, "favor", None)])
    prefill(project, d3, OTHER, OTHER_ENTITIES)
    us = entity_id(project, d1, "ana", "U.S.", TEXT)
    ChangeEntity(d1, "ana", us, {"label": "ORG"}).apply(project)  # relabelled
    lavrov = entity_id(project, d1, "ana", "Sergei Lavrov", TEXT)
    ChangeEntity(d1, "ana", lavrov, dict(zip(("start", "end"), span(TEXT, "Lavrov"),
                                             strict=True))).apply(project)  # resized
    RemoveEntity(d1, "ana", entity_id(project, d1, "ana", "Monday", TEXT)).apply(project)
    AddEntity(d1, "ana", *span(TEXT, "The ministers"), "NORP").apply(project)  # added
    praised = next(s for s in project.annotation_set(d1, "ana").stances if s.holder is None)
    ChangeStance(d1, "ana", praised.id,
                 {"holder": span(TEXT, "The ministers")}).apply(project)  # holder
    SetStatus(d1, "ana", "done").apply(project)
    SetStatus(d1, "ben", "done").apply(project)  # accepts every suggestion
    RemoveEntity(d1, "cy", entity_id(project, d1, "cy", "Cuba", TEXT)).apply(project)
    AddEntity(d2, "ana", *span("Cuba thanks Moscow.", "Moscow"), "GPE").apply(project)
    SetStatus(d2, "ana", "done").apply(project)
    for who in ("ana", "ben"):
        SetStatus(d3, who, "done").apply(project)
    return project


def test_each_suggestion_has_one_outcome():
    suggested = [(0, 6, "GPE"), (10, 14, "GPE"), (20, 30, "PERSON"), (40, 45, "DATE")]
    kept = [(0, 6, "GPE"), (10, 14, "ORG"), (24, 30, "PERSON"), (50, 55, "NORP")]
    accepted, outcomes = compare(suggested, kept, "entity")
    assert accepted == Counter({(0, 6, "GPE"): 1})
    assert [(o.kind, o.group) for o in outcomes] == [
        (RELABELLED, "GPE"), (RESIZED, "PERSON"), (DELETED, "DATE"), (ADDED, "NORP")]
    # a stance given another holder is one correction, not a deletion and an addition
    stance = (0, 40, EMBARGO, "against", 0, 6)
    other = (0, 40, EMBARGO, "against", 10, 16)
    assert [o.kind for o in compare([stance], [other], "stance")[1]] == [HOLDER]
    # a kept item equal to a suggestion pairs with it before any look-alike does
    accepted, outcomes = compare([(0, 6, "GPE"), (0, 8, "GPE")], [(0, 8, "GPE")], "entity")
    assert accepted == Counter({(0, 8, "GPE"): 1})
    assert [(o.kind, o.suggested) for o in outcomes] == [(DELETED, (0, 6, "GPE"))]


def test_effort_counts_per_annotator_label_and_target(counted: Project):
    data = compute_effort(counted).to_json()
    assert data["sets"] == 5  # ana d1 d2 d3, ben d1 d3; cy is not done
    ana = data["entities"]["per_annotator"]["ana"]
    # d1: 7 suggestions: 4 kept, U.S. relabelled, Lavrov resized, Monday deleted, +ministers;
    # d2: +Moscow by hand; d3: 6 kept.
    assert {k: ana[k] for k in ("suggestions", ACCEPTED, RELABELLED, RESIZED, DELETED,
                                ADDED, "corrections")} == {
        "suggestions": 13, ACCEPTED: 10, RELABELLED: 1, RESIZED: 1, DELETED: 1, ADDED: 2,
        "corrections": 5}
    assert HOLDER not in ana
    assert data["entities"]["per_annotator"]["ben"]["accepted_share"] == 1.0
    gpe = data["entities"]["per_label"]["GPE"]  # d1: Russia, U.S., Cuba, Havana; d3: 6; twice
    assert (gpe["suggestions"], gpe[ACCEPTED], gpe[RELABELLED]) == (20, 19, 1)
    assert data["entities"]["per_label"]["NORP"][ADDED] == 1
    stances = data["stances"]["per_target"]
    assert stances[PARTNERSHIP][HOLDER] == 1 and stances[PARTNERSHIP][ACCEPTED] == 1
    assert stances[EMBARGO][ACCEPTED] == 2
    assert data["per_annotator"]["ana"]["corrections"] == 6  # five entities + the holder
    assert data["per_annotator"]["ana"]["documents"] == 3
    [week] = data["per_week"]
    assert (week["documents"], week["corrections"]) == (5, 6)
    assert week["corrections_per_document"] == pytest.approx(1.2)
    assert week["per_annotator"]["ben"]["corrections_per_document"] == 0
    assert data["most_corrected"][0]["title"] == "Lavrov"  # (5 + 0) / 2 annotators
    assert data["most_corrected"][0]["corrections_per_annotator"] == 2.5
    assert data["warnings"] == []  # ben kept all 15, but fewer than 20 suggestions


def test_an_annotator_who_keeps_everything_is_pointed_out(counted: Project):
    ids = [counted.add_documents([{"text": f"Havana hosted Lavrov again, visit {i}."}])[0][0]
           for i in range(3)]
    for doc in ids:
        prefill(counted, doc, counted.document(doc).text,
                [("Havana", "GPE"), ("Lavrov", "PERSON")])
        SetStatus(doc, "ben", "done").apply(counted)
    [warning] = compute_effort(counted).warnings()
    assert warning.startswith("ben kept 100% of 21 suggestions unchanged and added 0 by hand")


def test_anchoring_with_the_prefill_as_one_more_rater(counted: Project):
    data = compute_anchoring(counted)
    assert data["documents"] == 2  # d2 was never pre-filled
    ana = data["per_annotator"]["ana"]
    # entities over d1 and d3: 13 suggested, 13 kept, 10 equal; overlapping with the same
    # label also counts Lavrov: 11
    assert ana["entity_exact_f1"] == pytest.approx(round(20 / 26, 4))
    assert ana["entity_overlap_f1"] == pytest.approx(round(22 / 26, 4))
    assert ana["stance_frame_f1"] == 1.0 and ana["polarity_agreement"] == 1.0
    # 10 + 1 of ana's 13 entities and 2 stances are suggestions kept unchanged
    assert ana["accepted_share"] == pytest.approx(round(11 / 15, 4))
    assert data["per_annotator"]["ben"]["entity_exact_f1"] == 1.0
    pair = data["per_pair"]["ana|ben"]["entities"]
    # they agree on 10 entities, all suggestions both kept; on the rest (ana's 3 changes
    # against ben's 3 originals) on nothing
    assert pair == {"f1": round(20 / 26, 4), "agreed": 10, "agreed_both_kept": 10,
                    "share_both_kept": 1.0, "f1_rest": 0.0}
    [warning] = data["warnings"]
    assert warning == ("ana and ben: their agreement is mostly suggestions both kept unchanged "
                       "— entities F1 0.77 (100% kept by both; 0.00 on the rest)")


def test_stats_and_agreement_commands_print_the_figures(counted: Project, capsys):
    path = str(counted.path)
    assert main(["stats", path, "--effort", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 3  # the ordinary stats keys stay
    assert data["effort"]["entities"]["per_annotator"]["ana"][RELABELLED] == 1
    assert main(["stats", path, "--effort"]) == 0
    out = capsys.readouterr().out
    assert "Correcting the pre-fill (5 finished sets)" in out
    assert "Lavrov" in out
    assert main(["agreement", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["anchoring"]["per_pair"]["ana|ben"]["entities"]["agreed_both_kept"] == 10
    assert {"stance", "entities", "disputed"} <= set(data)
    assert main(["agreement", path]) == 0
    assert "Anchoring on the pre-fill (2 pre-filled documents done)" in capsys.readouterr().out


_spans = st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda s: (s[0], s[0] + s[1]))
_entities = st.lists(st.tuples(_spans, st.sampled_from(["GPE", "ORG", "PERSON"])).map(
    lambda e: (*e[0], e[1])), max_size=12)
_stances = st.lists(st.tuples(_spans, st.sampled_from([EMBARGO, PARTNERSHIP]),
                              st.sampled_from(["against", "favor"]),
                              st.sampled_from([(None, None), (0, 6), (20, 26)])).map(
    lambda s: (*s[0], s[1], s[2], *s[3])), max_size=8)


@given(st.data())
def test_every_suggestion_and_every_kept_item_is_counted_once(data):
    for layer, items in (("entity", _entities), ("stance", _stances)):
        suggested, kept = data.draw(items), data.draw(items)
        accepted, outcomes = compare(suggested, kept, layer)
        assert accepted + Counter(o.suggested for o in outcomes
                                  if o.suggested is not None) == Counter(suggested)
        assert accepted + Counter(o.kept for o in outcomes if o.kept is not None) == Counter(kept)
        for o in outcomes:
            assert o.kind != ACCEPTED and o.suggested != o.kept
            assert (o.kind == ADDED) == (o.suggested is None)
            assert (o.kind == DELETED) == (o.kept is None)
            if o.suggested is not None and o.kept is not None:  # only overlapping items pair
                assert o.suggested[0] < o.kept[1] and o.kept[0] < o.suggested[1]
        # as many equal items are kept as the two lists have in common
        assert accepted == Counter(suggested) & Counter(kept)
