"""The trained holder scorer's clues, by the kinds of error the sixth holder round fixed
(docs/training.md, "Holders of the classifier's stances, sixth round"): each sentence was
written for this test. The statistical pipeline is loaded once for the module.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from gui.nlp import holder


def _clues(loaded, text: str, name: str) -> dict[str, float]:
    doc = loaded.nlp(text)
    sent = next(iter(doc.sents))
    found = holder.candidates(sent)
    [entity] = [e for e in found if e.text == name]
    return dict(zip(holder.FEATURES, holder.features(entity, sent, found, {"say"}, None),
                    strict=True))


@pytest.mark.parametrize(("text", "name"), [
    ("A US embassy spokesperson said the embargo would stay.", "US"),
    ("A subsidiary of Gazprom signed the supply contract with Havana.", "Gazprom"),
])
def test_a_name_inside_the_subjects_phrase_is_part_of_the_subject(statistical, text, name):
    """"A US embassy spokesperson said…": the verb governs the spokesperson, not "US", yet the
    one who speaks is the embassy's: the scorer is told so."""
    clues = _clues(statistical, text, name)
    assert clues["in_subject"] == 1.0 and clues["subject"] == 0.0


@pytest.mark.parametrize(("text", "name"), [
    ("The plant, run by a subsidiary of Russian Railways, opened in May.", "Russian Railways"),
    ("In a letter led by Senator Grant Whitaker, the lawmakers attacked the deal.",
     "Grant Whitaker"),
])
def test_the_doer_of_a_passive_or_participle_is_an_agent(statistical, text, name):
    """"run by a subsidiary of Russian Railways": the deed's doer in all but form."""
    assert _clues(statistical, text, name)["agent"] == 1.0


def test_an_object_or_a_place_is_neither(statistical):
    clues = _clues(statistical, "Lavrov met the Cuban ambassador in Moscow.", "Moscow")
    assert clues["in_subject"] == clues["agent"] == 0.0


def test_a_version_trained_before_the_new_clues_scores_as_it_did(tmp_path: Path) -> None:
    """A holder.json written before a clue existed still loads; the clue weighs nothing, so
    its choices are unchanged. One naming a clue this code lacks is refused."""
    old = [f for f in holder.FEATURES if f not in ("in_subject", "agent")]
    weights = [float(i) / 10 for i in range(len(old))]
    path = tmp_path / "holder.json"
    path.write_text(json.dumps({"features": old, "weights": weights}), encoding="utf-8")
    loaded = holder.HolderScorer.load(path)
    by_name = dict(zip(holder.FEATURES, loaded.weights.tolist(), strict=True))
    assert [by_name[f] for f in old] == weights
    assert by_name["in_subject"] == by_name["agent"] == 0.0
    row = [1.0] * len(holder.FEATURES)
    assert loaded.probabilities([row])[0] == pytest.approx(1 / (1 + np.exp(-sum(weights))))
    path.write_text(json.dumps({"features": [*old, "mystery"], "weights": [*weights, 1.0]}),
                    encoding="utf-8")
    with pytest.raises(ValueError, match="holder features differ"):
        holder.HolderScorer.load(path)
