"""A label's ``holder`` key: which entities can hold a stance (the holder popup, the pre-fill)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gui.cli import main
from gui.core.errors import SchemaError
from gui.core.schema import Schema, load_schema, parse_schema


def _schema(*rows: str) -> Schema:
    import tomllib

    return parse_schema(tomllib.loads("".join(f"[[entity]]\n{row}\n" for row in rows)))


def test_the_shipped_schema_lets_people_organisations_places_and_groups_hold() -> None:
    schema = load_schema()
    assert [e.label for e in schema.entities if e.holder] == ["PERSON", "GPE", "ORG", "NORP"]
    assert not schema.can_hold("DATE") and not schema.can_hold("LAW")
    assert schema.can_hold("PERSON")


def test_holder_defaults_by_the_label_and_an_explicit_value_wins() -> None:
    schema = _schema('label = "ACTOR"', 'label = "DATE"', 'label = "EVENT"\nholder = true',
                     'label = "CAMP"\nholder = false')
    assert [e.holder for e in schema.entities] == [True, False, True, False]
    assert schema.can_hold("ORG") and not schema.can_hold("MONEY")  # labels it lacks


def test_a_project_stored_before_holder_existed_gets_the_defaults() -> None:
    stored = json.loads(load_schema().to_json())
    for entity in stored["entities"]:
        del entity["holder"]
    schema = Schema.from_dict(stored)
    assert [e.label for e in schema.entities if e.holder] == ["PERSON", "GPE", "ORG", "NORP"]
    assert Schema.from_dict(json.loads(schema.to_json())) == schema


@pytest.mark.parametrize("value", ['"no"', "0", "[]"])
def test_a_holder_that_is_not_true_or_false_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(f'name = "x"\n[[entity]]\nlabel = "DATE"\nholder = {value}\n')
    with pytest.raises(SchemaError, match="label DATE: holder must be true or false"):
        load_schema(bad)
    assert main(["init", str(tmp_path / "p.marginalia"), "--schema", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.toml" in err and "holder must be true or false" in err
    assert not (tmp_path / "p.marginalia").exists()


def test_the_prefill_takes_its_holders_from_the_same_labels() -> None:
    """A schema that says a label cannot hold a stance narrows the rules' holders too."""
    import dataclasses

    from gui.nlp.holders import HOLDER_LABELS, schema_holder_labels

    shipped = load_schema()
    assert schema_holder_labels(shipped) == HOLDER_LABELS  # the rules' own set, unchanged
    no_gpe = dataclasses.replace(shipped, entities=tuple(
        dataclasses.replace(e, holder=False) if e.label == "GPE" else e
        for e in shipped.entities))
    assert schema_holder_labels(no_gpe) == HOLDER_LABELS - {"GPE"}


def test_a_label_that_cannot_hold_is_never_a_suggested_holder() -> None:
    import dataclasses

    from gui.nlp.lexicon import load_lexicon
    from gui.nlp.pipeline import collect_patterns, load_pipeline
    from gui.nlp.stance import StanceFinder

    shipped = load_schema()
    loaded = load_pipeline(shipped, requested=None, patterns=collect_patterns(shipped, None))
    if loaded.rules_only:
        pytest.skip("no statistical English pipeline installed")
    no_gpe = dataclasses.replace(shipped, entities=tuple(
        dataclasses.replace(e, holder=False) if e.label == "GPE" else e
        for e in shipped.entities))
    text = "Russia rejects the blockade."
    for schema, holder in ((shipped, "Russia"), (no_gpe, None)):
        found = StanceFinder(loaded.nlp, schema, load_lexicon(), 0.5).find(loaded.nlp(text))
        assert [text[s.holder[0]:s.holder[1]] if s.holder else None for s in found] == [holder]


def test_the_trained_holder_scorer_offers_only_labels_the_schema_lets_hold() -> None:
    """A trained version's holder choice keeps to the same labels as the rules and the popup:
    a scorer that would pick the organisation picks no one when ORG may not hold."""
    import numpy as np
    import spacy
    from spacy.tokens import Span

    from gui.nlp import holder, holders

    assert set(holder.HOLDER_LABELS) == holders.HOLDER_LABELS  # one set, two orders
    doc = spacy.blank("en")("Gazprom signed the deal in Havana .")
    doc.ents = [Span(doc, 0, 1, "ORG"), Span(doc, 5, 6, "GPE")]
    weights = np.zeros(len(holder.FEATURES))
    weights[holder.FEATURES.index("bias")] = -5.0
    weights[holder.FEATURES.index("label_ORG")] = 10.0
    scorer = holder.HolderScorer(weights)
    sent = doc[:]
    assert scorer.choose(sent, {"say"}, None).text == "Gazprom"
    assert scorer.choose(sent, {"say"}, None, frozenset({"PERSON", "GPE", "NORP"})) is None
