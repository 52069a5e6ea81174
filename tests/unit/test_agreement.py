"""Agreement figures: the coefficients against published worked examples, and the figures of a
project built from JSONL by three annotators against values worked out by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gui.cli import main
from gui.core.store import Project
from gui.formats.importer import import_files
from gui.review import chance
from gui.review.agreement import Cancelled, compute_agreement, pair_key
from gui.review.coefficients import alpha, cohen_kappa, nominal_alpha_of_sums
from gui.review.units import sentence_spans
from tests.unit.agreement_reference import nominal_alpha_of_counts, tokens_within

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"
nan = float("nan")

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania, section C: 4 observers, 12 units, values 1-5,
# with missing values ("*").
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
])


def test_nominal_alpha_matches_krippendorffs_published_example():
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C, gives
    alpha_nominal = 0.743 for his 4-observer, 12-unit example with missing data."""
    figure = alpha(KRIPPENDORFF_2011 - 1, 5, "nominal")
    assert figure.value == pytest.approx(0.743, abs=5e-4)


def test_ordinal_alpha_on_the_same_example_uses_the_whole_value_domain():
    """The same data on the ordinal metric: the wrapper passes the full 1-5 domain, and gives
    the figure the krippendorff package itself computes for Krippendorff's example (0.815)."""
    figure = alpha(KRIPPENDORFF_2011 - 1, 5, "ordinal")
    expected = krippendorff.alpha(
        reliability_data=KRIPPENDORFF_2011, level_of_measurement="ordinal"
    )
    assert figure.value == pytest.approx(expected)
    assert figure.value == pytest.approx(0.815, abs=5e-4)


def _groups(matrix: np.ndarray, categories: int) -> dict[tuple[int, ...], int]:
    groups: dict[tuple[int, ...], int] = {}
    for unit in matrix.T:
        counts = tuple(int((unit == v).sum()) for v in range(categories))
        groups[counts] = groups.get(counts, 0) + 1
    return groups


def test_alpha_of_grouped_counts_matches_krippendorffs_example():
    """The grouped formula used for the token alpha gives Krippendorff's 0.743 too."""
    figure = nominal_alpha_of_counts(_groups(KRIPPENDORFF_2011 - 1, 5))
    assert figure.value == pytest.approx(0.743, abs=5e-4)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, nan]), min_size=1, max_size=12),
                min_size=2, max_size=4).filter(lambda rows: len({len(r) for r in rows}) == 1))
def test_alpha_of_grouped_counts_equals_the_package(rows: list[list[float]]):
    """The reference's grouped formula and the sums the token alpha is cached as (its units'
    ``nominal_rows``, summed) both give the package's alpha, and the same reasons."""
    matrix = np.array(rows)
    ours = nominal_alpha_of_counts(_groups(matrix, 4))
    counts = np.stack([(matrix == v).sum(axis=0) for v in range(4)], axis=1)
    summed = nominal_alpha_of_sums(chance.nominal_rows(counts).sum(axis=0))
    package = alpha(matrix, 4, "nominal")
    if package.ok:
        assert ours.value == pytest.approx(package.value)
        assert summed.value == pytest.approx(package.value, rel=1e-9)
    else:
        assert ours.value is None
        assert summed.value is None and summed.reason


def test_cohen_kappa_matches_the_textbook_example():
    """The worked example in Wikipedia's "Cohen's kappa" article (after Cohen 1960): two readers
    of 50 grant proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = 0.7, p_e = 0.5,
    kappa = 0.4."""
    first = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(first, second).value == pytest.approx(0.4)
    assert cohen_kappa(second, first).value == pytest.approx(0.4)


def test_figures_that_cannot_be_computed_carry_a_reason():
    assert alpha(np.array([[0.0, 1.0]]), 3).reason == "needs at least two annotators"
    assert not alpha(np.zeros((2, 0)), 3).ok
    same = alpha(np.array([[1.0, 1.0], [1.0, 1.0]]), 3)
    assert same.value is None and "same" in same.reason
    assert cohen_kappa(["a", "a"], ["a", "a"]).value is None
    assert cohen_kappa([None], ["a"]).reason == "the two annotators share no units"


@pytest.fixture
def three(project: Project) -> Project:
    import_files(project, [DATA / "three_annotators.jsonl"])
    return project


def test_stance_units_and_figures_of_a_three_annotator_project(three: Project):
    """Units (hand-checked): doc 1 sentence 2 embargo: against/against/neutral; doc 2 sentence 1
    partnership: favor/favor/none; doc 2 sentence 2 partnership: against x3. Document 3 has
    only one done set and is not compared."""
    report = compute_agreement(three).to_json()
    assert report["documents"] == 2
    assert report["annotators"] == ["ana", "ben", "cy"]
    stance = report["stance"]
    assert stance["units"] == 3
    # against=0, neutral=1, favor=2, none=3; coders ana, ben, cy; units as above.
    matrix = np.array([[0, 2, 0], [0, 2, 0], [1, 3, 0]], dtype=float)
    assert stance["alpha_nominal"] == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal",
                           value_domain=[0, 1, 2, 3]))
    ordinal = np.where(matrix == 3, nan, matrix)
    assert stance["alpha_ordinal"] == pytest.approx(
        krippendorff.alpha(reliability_data=ordinal, level_of_measurement="ordinal",
                           value_domain=[0, 1, 2]))
    # ana|cy: p_o = 1/3, p_e = (2 * 1) / 9, kappa = 1/7.
    assert stance["cohen_kappa"] == {"ana|ben": 1.0, "ana|cy": pytest.approx(1 / 7),
                                     "ben|cy": pytest.approx(1 / 7)}
    per_target = stance["per_target"]
    assert per_target["Russia–Cuba partnership"]["units"] == 2
    assert per_target["US–Cuba normalization"]["alpha_nominal"] is None
    assert "no annotator marked a stance" in (
        per_target["US–Cuba normalization"]["reasons"]["alpha_nominal"])


def test_entity_f1_is_exact_match_and_symmetric(three: Project):
    """Doc 1: ana and ben share 3 of 4 (Washington GPE vs ORG); cy has Havana and "Russian
    delegation" (other boundaries). Doc 2: all three mark the same 3 entities."""
    entities = compute_agreement(three).to_json()["entities"]
    assert entities["pairwise_f1"]["ana|ben"] == pytest.approx(2 * 6 / (7 + 7))
    assert entities["pairwise_f1"]["ana|cy"] == pytest.approx(2 * 4 / (7 + 5))
    tp, total = 6 + 4 + 4, (7 + 7) + (7 + 5) + (7 + 5)
    assert entities["f1"] == pytest.approx(2 * tp / total)
    # DATE: only ana and ben mark Tuesday; pairs ana|ben 1 of 1+1, ana|cy 0 of 1+0, ben|cy 0 of 1+0.
    assert entities["per_label"]["DATE"] == pytest.approx(2 * 1 / (2 + 1 + 1))
    assert entities["per_label"]["LAW"] is None
    assert 0 < entities["alpha_token"] < 1
    assert list(entities["pairwise_f1"]) == sorted(entities["pairwise_f1"])


def test_most_disputed_documents_come_first(three: Project):
    disputed = compute_agreement(three).to_json()["disputed"]
    assert [d["title"] for d in disputed] == ["Delegation in Havana", "Trade agreements"]
    assert disputed[0]["score"] == pytest.approx(4 / 5)


def test_one_annotator_gives_nulls_with_reasons_not_a_crash(project: Project, tmp_path: Path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"text": "Havana is warm.", "annotator": "ana", "status": "done",
                                "spans": [{"start": 0, "end": 6, "label": "GPE"}]}) + "\n")
    import_files(project, [path])
    data = compute_agreement(project).to_json()
    assert data["documents"] == 0
    assert data["stance"]["alpha_nominal"] is None
    assert data["entities"]["f1"] is None
    assert data["reason"].startswith("no document")


def test_pair_keys_are_sorted():
    assert pair_key("ben", "ana") == "ana|ben"


def test_sentences_and_tokens_follow_spacy():
    text = "Havana agreed.  Moscow's envoy left on Monday.\n\nNo comment"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Havana agreed.", "Moscow's envoy left on Monday.", "No comment"]
    assert [text[s:e] for s, e in tokens_within(text, [(16, 24)])] == ["Moscow", "'s"]


FIG = {"value", "ci"}
NEW_KEYS = {
    "stance_frames": {"frame_f1", "polarity_alpha_nominal", "polarity_alpha_ordinal",
                      "polarity_kappa", "holder_agreement", "evidence_overlap", "matched",
                      "unmatched", "per_pair", "per_target"},
    "entity_partial": {"overlap_f1", "token_dice", "alpha_u", "per_label", "per_pair"},
    "multi_rater": {"fleiss_kappa", "gwet_ac1", "gwet_ac2"},
    "intervals": {"stance.alpha_nominal", "stance.alpha_ordinal", "entities.f1",
                  "entities.alpha_token"},
    "bootstrap": {"draws", "seed", "resampled"},
}


def _is_fig(node: object) -> bool:
    """The FIG shape the dashboard relies on: value and ci, a reason exactly when no value."""
    if not isinstance(node, dict) or not set(node) >= FIG:
        return False
    extra = set(node) - FIG
    if node["value"] is None:
        return extra == {"reason"} and node["ci"] is None and bool(node["reason"])
    ci = node["ci"]
    return not extra and (ci is None or (len(ci) == 2 and ci[0] <= ci[1]))


def test_agreement_command_prints_json_and_a_table(three: Project, capsys):
    three.close()
    assert main(["agreement", str(three.path), "--json", "--draws", "200"]) == 0
    data = json.loads(capsys.readouterr().out)
    # the keys before issue 14, locked
    assert set(data) >= {"documents", "annotators", "stance", "entities", "disputed"}
    assert set(data["stance"]) >= {"units", "alpha_nominal", "alpha_ordinal", "cohen_kappa",
                                   "per_target"}
    assert set(data["entities"]) >= {"f1", "per_label", "pairwise_f1", "alpha_token"}
    assert not any(isinstance(v, float) and math.isnan(v) for v in data["stance"].values())
    # issue 14's keys, in the shape docs/review.md gives
    for section, keys in NEW_KEYS.items():
        assert set(data[section]) == keys, section
    frames, partial = data["stance_frames"], data["entity_partial"]
    assert all(_is_fig(frames[k]) for k in NEW_KEYS["stance_frames"]
               if k not in {"matched", "unmatched", "per_pair", "per_target"})
    assert (frames["matched"], frames["unmatched"]) == (7, 2)
    assert set(frames["per_pair"]) == {"ana|ben", "ana|cy", "ben|cy"}
    for pair in frames["per_pair"].values():
        assert set(pair) == {"frame_f1", "polarity_kappa", "holder_agreement", "matched",
                             "unmatched"}
        assert all(_is_fig(pair[k]) for k in ("frame_f1", "polarity_kappa", "holder_agreement"))
    for target in frames["per_target"].values():
        assert set(target) == {"frame_f1", "polarity_alpha_nominal", "holder_agreement"}
        assert all(map(_is_fig, target.values()))
    assert all(_is_fig(partial[k]) for k in ("overlap_f1", "token_dice", "alpha_u"))
    for group in ("per_label", "per_pair"):
        for figures in partial[group].values():
            assert set(figures) == {"exact_f1", "overlap_f1", "token_dice"}
            assert all(map(_is_fig, figures.values()))
    assert all(map(_is_fig, data["multi_rater"].values()))
    assert data["bootstrap"] == {"draws": 200, "seed": 0, "resampled": "documents"}
    low, high = data["intervals"]["stance.alpha_nominal"]
    assert low <= high
    assert all(isinstance(w, str) and w.endswith(".") for w in data["warnings"])
    assert main(["agreement", str(three.path)]) == 0
    table = capsys.readouterr().out
    assert "Cohen's kappa" in table and "Delegation in Havana" in table
    # point estimates first, the intervals after them
    assert table.index("Stance frames") < table.index("Most disputed") < \
        table.index("95% intervals")


def test_the_same_seed_gives_the_same_intervals_and_no_draws_none(three: Project, capsys):
    three.close()
    runs = []
    for _ in range(2):
        assert main(["agreement", str(three.path), "--json", "--draws", "100",
                     "--seed", "7"]) == 0
        runs.append(json.loads(capsys.readouterr().out))
    assert runs[0] == runs[1]
    assert runs[0]["bootstrap"]["seed"] == 7
    assert main(["agreement", str(three.path), "--json", "--draws", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["bootstrap"]["draws"] == 0
    assert data["stance_frames"]["frame_f1"] == {"value": 0.875, "ci": None}
    assert set(data["intervals"].values()) == {None}
    assert main(["agreement", str(three.path), "--draws", "0"]) == 0
    assert "95% intervals" not in capsys.readouterr().out


def test_a_negative_draw_count_is_a_usage_error(three: Project, capsys):
    three.close()
    with pytest.raises(SystemExit) as exit_info:
        main(["agreement", str(three.path), "--draws", "-1"])
    assert exit_info.value.code == 2


def test_the_bootstrap_reports_progress_and_can_be_cancelled(three: Project):
    report = compute_agreement(three)
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        report.bootstrap(draws=100, progress=lambda done, total: seen.append((done, total)),
                         cancelled=lambda: len(seen) >= 2)
    assert seen[:2] == [(25, 100), (50, 100)]
    report.bootstrap(draws=100)
    interval = report.to_json()["entity_partial"]["overlap_f1"]["ci"]
    assert interval is not None and interval[0] <= 0.842 <= interval[1] + 1e-9


def test_frames_figures_of_the_three_annotator_project(three: Project):
    """Worked by hand: ana|ben match all 3 frames (holders differ on document 1: "foreign
    minister" against none); cy misses the favor frame of document 2, so ana|cy and ben|cy
    match 2 of 3 + 2 frames; cy's embargo polarity is neutral."""
    frames = compute_agreement(three).to_json()["stance_frames"]
    assert frames["frame_f1"]["value"] == pytest.approx(2 * 7 / 16)
    assert frames["per_pair"]["ana|cy"]["frame_f1"]["value"] == pytest.approx(2 * 2 / 5)
    assert frames["holder_agreement"]["value"] == pytest.approx(5 / 7)
    assert frames["per_pair"]["ana|ben"]["holder_agreement"]["value"] == pytest.approx(2 / 3)
    # ana|cy: (against, neutral), (against, against): p_o = 1/2, p_e = 1/2, kappa 0
    assert frames["per_pair"]["ana|cy"]["polarity_kappa"]["value"] == pytest.approx(0.0)
    assert frames["polarity_kappa"]["value"] == pytest.approx((1 + 0 + 0) / 3)
    assert frames["evidence_overlap"]["value"] == 1.0
