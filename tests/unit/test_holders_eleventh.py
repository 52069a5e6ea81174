"""Holders, eleventh round (docs/prefill.md): in a signed opinion piece's own voice, a stance
against the line of the side its named party speaks for is the author's, who judges the party
("The Kremlin wants a foothold…": against the partnership, the writer's); a stance along the
line stays the party's, and so does the same sentence in news copy or in a quotation. A
statement's own "we" and its "should" are its issuer's, the organisation its label line or
letterhead names. A speaker named as a body's members ("some in Congress say…") speaks for the
body. For the classifier's stances, a clause's own doer where the main clause names nobody
("It is the second year Argentina has voted…"). A letters page's letters are their
signers'. "He" and "she" for a person a subject's phrase names ("a man who gave his name only
as …")."""

from __future__ import annotations

import pytest

from gui.nlp.context import build_context
from gui.nlp.stance_findings import NEUTRAL
from gui.nlp.stance_model import NONE, sentences
from tests.unit.test_holder_background import starter
from tests.unit.test_stance_rules import _FINDERS, EMBARGO, PARTNERSHIP, suggest
from tests.unit.test_train import answering

__all__ = ["starter"]  # the fixture, imported for pytest

OPINION = "Opinion: Stop feeding the regime\n\nBy Helen Okafor\n\n"
NEWS = "HAVANA, May 3 (Reuters) - Officials met on Tuesday.\n\n"
JUDGED = "The Kremlin wants a foothold ninety miles from Florida."


def judged(statistical, text: str, polarity: str) -> str | None:
    """Who holds ``polarity`` on the partnership in the text's last sentence, where the
    holder finder named the Kremlin."""
    suggest(statistical, "Moscow.")  # the finder for this pipeline, built once
    finder = _FINDERS[id(statistical)]
    doc = statistical.nlp(text)
    reading = finder.read(doc, text)
    sent = reading.context.sents[-1]
    kremlin = next(e for e in doc.ents if e.text == "Kremlin")
    found = finder.writer_judges(sent, kremlin, PARTNERSHIP, polarity, reading)
    return found.text if found is not None else None


@pytest.mark.parametrize(("text", "polarity", "holder"), [
    (OPINION + JUDGED, "against", "Helen Okafor"),
    (OPINION + JUDGED, "favor", "Kremlin"),  # along Russia's line: the party's own
    (OPINION + JUDGED, NEUTRAL, "Kremlin"),
    (NEWS + JUDGED, "against", "Kremlin"),  # news copy's own voice judges nobody
    (OPINION + f'"{JUDGED[:-1]}," a senator said.', "against", "Kremlin"),  # someone's words
])
def test_a_party_an_opinion_piece_judges_gives_the_author_the_stance(
        statistical, text: str, polarity: str, holder: str) -> None:
    assert judged(statistical, text, polarity) == holder


def test_the_classifiers_stance_against_the_partys_line_is_the_authors(
        starter, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for a stance only the classifier found, whose answers are stood in for."""
    prefiller, model = starter
    doc = prefiller.loaded.nlp(OPINION + JUDGED)
    sure = {p: 0.0 for p in (*model.polarities, NONE)} | {"against": 0.9, NONE: 0.1}
    unsure = {p: 1 / len(sure) for p in sure}
    *before, (last, previous) = sentences(doc)
    monkeypatch.setattr(model, "threshold", 0.6)
    monkeypatch.setattr(model, "_scored", answering(model, [
        *((sent, was, {t: dict(unsure) for t in model.targets}) for sent, was in before),
        (last, previous, {t: dict(sure if t == PARTNERSHIP else unsure)
                          for t in model.targets})]))
    found = [s for s in model.combine(doc, 0, []) if s.target == PARTNERSHIP]
    assert [(s.polarity, doc.text[slice(*s.holder)]) for s in found] == [
        ("against", "Helen Okafor")]


STATEMENT = ("Caribbean Council of Churches\nStatement | Madrid, 12 November 2026\n\n"
             "Cuba: Free those detained\n\n"
             "The Caribbean Council of Churches has documented 64 arrests.\n\n"
             "Trade with the island fell by a third this year.\n\n"
             "We urge the United States to lift the embargo on Cuba.")


def test_a_statements_own_voice_is_its_issuers(statistical) -> None:
    """A statement's "we" holds what it urges, given as its issuer's nearest mention; a fact
    it reports has no voice of the issuer's, nor a headline."""
    doc = statistical.nlp(STATEMENT)
    context = build_context(doc, STATEMENT)
    assert context.issuer() is not None
    assert context.issuer().text.strip() == "Caribbean Council of Churches"
    speaking = [n for n in range(len(context.sents)) if context.issuer_speaks(n)]
    assert [context.sents[n].text for n in speaking] == [
        "We urge the United States to lift the embargo on Cuba."]
    [(_target, polarity, holder)] = [s for s in suggest(statistical, STATEMENT)
                                    if s[0] == EMBARGO]
    assert (polarity, holder) == ("against", "The Caribbean Council of Churches")


@pytest.mark.parametrize("text", [
    # news copy that mentions a statement: the wire's, nobody issues it
    "BEIJING, Sept. 4 (Xinhua) -- China and Cuba on Thursday issued a joint statement.\n\n"
    "We urge the United States to lift the embargo on Cuba.",
    # a label far down the page is no letterhead's
    "Talks in Havana\n\nOfficials met.\n\nThey talked.\n\nThey left.\n\n"
    "Statement by the Caribbean Council of Churches\n\nWe urge an end to the embargo.",
])
def test_no_issuer_without_a_statements_label_on_top(statistical, text: str) -> None:
    assert build_context(statistical.nlp(text), text).issuer() is None


@pytest.mark.parametrize("text", [
    "Some in Congress say the answer is to tighten the embargo on Cuba.",
    # a transcript's host reporting them: theirs, not the host's
    "PANEL\n\nDANA WHITE: Welcome back.\n\nPAUL REYES: Thank you.\n\n"
    "DANA WHITE: Some in Congress say the answer is to tighten the embargo on Cuba.",
])
def test_speakers_of_a_body_speak_for_it(statistical, text: str) -> None:
    """Speakers named as members of a body ("some in Congress say…") hold what they say for
    the body, where the stance is in the clause they report."""
    assert (EMBARGO, "favor", "Congress") in suggest(statistical, text)


@pytest.mark.parametrize(("text", "holder"), [
    ("It is the second year Argentina has voted with Washington.", "Argentina"),
    ("The island kept its ties with every country, and Mexico sent oil to it.", "Mexico"),
    # the main clause names its own doer: the classifier's stance is found there
    ("Cuba kept its ties with every country, and Mexico sent oil to it.", None),
])
def test_the_doer_of_a_clause_the_main_clause_carries(statistical, text: str,
                                                      holder: str | None) -> None:
    """For a stance the classifier found, where the main clause's subject names nobody: the
    named subject of a clause joined to it, or of the clause a cleft's "it is" frames."""
    suggest(statistical, "Moscow.")  # the finder for this pipeline, built once
    finder = _FINDERS[id(statistical)]
    doc = statistical.nlp(text)
    holders, _named = finder.holder_index(doc, finder.read(doc, text))
    found = finder.holders.clause_doer(doc[:], holders)
    assert (found.text if found is not None else None) == holder


LETTERS = ("Letters: Cuba and the embargo\n\n"
           "Your editorial drew many letters. A selection follows.\n\n"
           "Sir, I grew up in Havana. The embargo has failed and should be lifted.\n"
           "Maria Lopez, Tampa\n\n"
           "Sir, your editorial is naive. Keep the embargo on Cuba until there are elections.\n"
           "Professor John Carter, Department of History, Lakeshore College\n\n")


def test_a_letters_sentences_are_its_signers(statistical) -> None:
    """A letters page: each letter, from its "Sir," to its signature line, is its signer's,
    though the name comes after the words."""
    context = build_context(statistical.nlp(LETTERS), LETTERS)
    signers = {context.sents[n].text.strip(): speaker.text for n, speaker in
               context.turns.items()}
    assert signers["The embargo has failed and should be lifted."] == "Maria Lopez"
    assert "John Carter" in signers["Keep the embargo on Cuba until there are elections."]
    assert not any("selection" in sentence for sentence in signers)
    assert (EMBARGO, "against", "Maria Lopez") in suggest(statistical, LETTERS)


def test_one_letter_quoted_in_a_story_is_no_letters_page(statistical) -> None:
    text = ("Officials read out an old letter.\n\n"
            "Sir, the embargo has failed and should be lifted.\nMaria Lopez, Tampa\n\n"
            "The ministry did not comment.")
    assert build_context(statistical.nlp(text), text).turns == {}


@pytest.mark.parametrize(("text", "holder"), [
    ("Residents queued in Miami on Monday. A man who gave his name only as Pedro Alvarez "
     "interrupted. He said Washington should keep the embargo on Cuba.", "Pedro Alvarez"),
    ("Students debated in Moscow. The opposition, led by Maria Ivanova, questioned the "
     "arithmetic. She said Russia should stop the aid to Cuba.", "Maria Ivanova"),
    # a person named as a subject after it is the nearer one
    ("A man who gave his name only as Pedro Alvarez interrupted. Carlos Ruiz listened. He "
     "said Washington should keep the embargo on Cuba.", "Carlos Ruiz"),
])
def test_he_or_she_after_a_person_a_subjects_phrase_names(statistical, text: str,
                                                          holder: str) -> None:
    """"He" and "she" stand for the nearest person named as a subject or in the phrase of a
    subject that is no name itself ("a man who gave his name only as …")."""
    suggest(statistical, "Moscow.")  # the finder for this pipeline, built once
    finder = _FINDERS[id(statistical)]
    doc = statistical.nlp(text)
    _holders, named = finder.holder_index(doc, finder.read(doc, text))
    pronoun = next(t for t in doc if t.lower_ in ("he", "she"))
    found = finder.holders.resolve(pronoun, named)
    assert found is not None and found.text == holder
