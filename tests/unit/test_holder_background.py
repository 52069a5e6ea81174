"""A neutral stance only the classifier found, in a background sentence of news copy, is
nobody's (docs/prefill.md, "Holders, eighth round"): the article states a fact in its own
voice, as the rules' background mention does, and the sentence's subject took no position.
The shipped starter is the classifier; its answers are stood in for (``answering``)."""

from __future__ import annotations

import pytest

from gui.core.schema import load_schema
from gui.core.store import Project
from gui.nlp.prefill import Prefiller
from gui.nlp.stance_model import NONE, StanceModel
from tests.unit.test_train import answering

EMBARGO = "US embargo on Cuba"


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Prefiller, StanceModel]:
    path = tmp_path_factory.mktemp("background") / "news.marginalia"
    with Project.create(path, load_schema()) as project:
        prefiller = Prefiller(project)
    if prefiller.trained is None or prefiller.loaded.rules_only:
        pytest.skip("no starter for the installed pipeline")
    return prefiller, prefiller.trained


def holder_of(starter, monkeypatch: pytest.MonkeyPatch, text: str,
              polarity: str) -> str | None:
    """The holder of the one stance the classifier is made sure of: ``polarity`` on the
    embargo in the text's last sentence."""
    from gui.nlp.stance_model import sentences

    prefiller, model = starter
    doc = prefiller.loaded.nlp(text)
    sure = {p: 0.0 for p in (*model.polarities, NONE)} | {polarity: 0.9, NONE: 0.1}
    unsure = {p: 1 / len(sure) for p in sure}
    *before, (last, previous) = sentences(doc)
    monkeypatch.setattr(model, "threshold", 0.6)
    monkeypatch.setattr(model, "_scored", answering(model, [
        *((sent, was, {t: dict(unsure) for t in model.targets}) for sent, was in before),
        (last, previous, {t: dict(sure if t == EMBARGO else unsure) for t in model.targets})]))
    [found] = model.combine(doc, 0, [])
    assert (found.target, found.polarity) == (EMBARGO, polarity)
    return doc.text[slice(*found.holder)] if found.holder else None


BACKGROUND = "The United States has kept an embargo on Cuba since 1962."


@pytest.mark.parametrize(("text", "polarity", "holder"), [
    (BACKGROUND, "neutral", None),
    # the same subject takes a side when it is said to, or when the classifier finds one
    ("The United States said it would keep the embargo on Cuba.", "neutral", "United States"),
    (BACKGROUND, "favor", "United States"),
])
def test_a_neutral_background_statement_has_no_holder(starter, monkeypatch, text: str,
                                                      polarity: str,
                                                      holder: str | None) -> None:
    assert holder_of(starter, monkeypatch, text, polarity) == holder


def test_a_signed_opinion_piece_keeps_the_holder_its_own_voice_had(starter,
                                                                    monkeypatch) -> None:
    """An opinion piece's facts are chosen to argue: not the rule's business (its subject
    stays the holder, as before)."""
    text = f"Opinion: Time to talk\n\nBy Maria Gonzalez\n\nI lived in Havana. {BACKGROUND}"
    assert holder_of(starter, monkeypatch, text, "neutral") == "United States"
