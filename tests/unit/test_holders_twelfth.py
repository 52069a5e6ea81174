"""Holders, twelfth round (docs/prefill.md): "he" and "she" stand for the nearest person of
their gender where the names tell it ("Marisela …", "Father Alexei Vetrov"), and the nearest
person where they do not."""

from __future__ import annotations

import pytest
from spacy.lang.en import English
from spacy.tokens import Span

from gui.nlp.holders import Named
from tests.unit.test_stance_rules import _FINDERS, EMBARGO, suggest


def resolved(statistical, text: str, word: str) -> str | None:
    """Whom the last ``word`` ("he", "she") of the text stands for."""
    suggest(statistical, "Moscow.")  # the finder for this pipeline, built once
    finder = _FINDERS[id(statistical)]
    doc = statistical.nlp(text)
    _holders, named = finder.holder_index(doc, finder.read(doc, text))
    pronoun = [t for t in doc if t.lower_ == word][-1]
    found = finder.holders.resolve(pronoun, named)
    return found.text if found is not None else None


@pytest.mark.parametrize(("text", "word", "holder"), [
    # a woman named last, "he" stands for the man named before her
    ("Ivan Petrov blessed the new school in Havana on Sunday. Maria Lopez thanked the "
     "builders. \"No sanctions can be justified,\" he said.", "he", "Ivan Petrov"),
    ("Elena Ruiz answered the reporters in Moscow. Pedro Alvarez spoke next. \"The consulate "
     "is for people,\" she said.", "she", "Elena Ruiz"),
    # the first name the recognizer left out of the entity ("Teresa [Alfonso Rey]")
    ("Ivan Petrov spoke in Havana. The deputy minister, Teresa Alfonso Rey, called it a "
     "pretext. \"We remain ready,\" she told reporters.", "she", "Alfonso Rey"),
    # names that tell nothing: the nearest person, as before
    ("Maria Lopez spoke in Havana. Chris Park answered the reporters. \"Trade is growing,\" "
     "he said.", "he", "Chris Park"),
    ("Ivan Petrov spoke in Havana. Maria Lopez answered the reporters. \"Trade is growing,\" "
     "she said.", "she", "Maria Lopez"),
])
def test_he_or_she_stands_for_the_nearest_person_of_that_gender(
        statistical, text: str, word: str, holder: str) -> None:
    assert resolved(statistical, text, word) == holder


def test_a_surname_alone_takes_the_gender_its_fuller_mention_told() -> None:
    """"Montalvo said" is a woman where the document named "Iraida Montalvo" before; a name
    that tells nothing tells nothing."""
    doc = English()("Iraida Montalvo met Yevgeny Tarkhanov and Kim Lee . Montalvo spoke , "
                    "then Tarkhanov and Lee .")
    people = [Span(doc, start, end, label="PERSON") for start, end in
              ((0, 2), (3, 5), (6, 8), (9, 10), (13, 14), (15, 16))]
    named = Named(entities=people, starts=[p.start for p in people])
    assert [named.gender(p) for p in people] == ["f", "m", None, "f", "m", None]


def test_surnames_english_or_spanish_names_share_tell_no_gender() -> None:
    """A Russian surname's ending tells a gender only where no common English or Spanish
    surname ends so: "Karen Baldwin" and "Tom Medina" must not stop "she" and "he" from
    finding them."""
    doc = English()("Karen Baldwin met Tom Medina , Luis Anaya , Rosa Villanueva and "
                    "Anna Petrova .")
    people = [Span(doc, start, end, label="PERSON") for start, end in
              ((0, 2), (3, 5), (6, 8), (9, 11), (12, 14))]
    named = Named(entities=people, starts=[p.start for p in people])
    assert [named.gender(p) for p in people] == [None, None, None, "f", "f"]


OPINION = "Opinion: Keep the pressure on\n\nBy Helen Okafor\n\n"
NAMED = "For years Washington kept the embargo on Cuba in place. "
CARRIED = "It has denied the regime billions of dollars."


@pytest.mark.parametrize(("text", "holder"), [
    (OPINION + NAMED + CARRIED, "Helen Okafor"),  # "it": the writer judges Washington
    ("HAVANA, May 3 (Reuters) - " + NAMED + CARRIED, "Washington"),  # news copy
    (OPINION + NAMED + "Washington denied the regime billions of dollars.", "Washington"),
])
def test_a_party_with_no_line_an_opinion_piece_calls_it_is_judged_by_the_author(
        statistical, text: str, holder: str) -> None:
    """In a signed opinion piece's own voice, a party with no side's line (Washington) that
    the sentence names only as "it" is what the writer judges; named in the sentence, or in
    news copy, it keeps the stance."""
    suggest(statistical, "Moscow.")  # the finder for this pipeline, built once
    finder = _FINDERS[id(statistical)]
    doc = statistical.nlp(text)
    reading = finder.read(doc, text)
    sent = reading.context.sents[-1]
    washington = [e for e in doc.ents if e.text == "Washington"][-1]
    found = finder.writer_judges(sent, washington, EMBARGO, "favor", reading)
    assert found is not None and found.text == holder


@pytest.mark.parametrize(("text", "holder"), [
    ("Cuba's embassy in Moscow held a reception on Monday. \"The American side is trying to "
     "silence the truth about the blockade,\" the embassy said in a statement.", "Cuba"),
    # a body the sentence names outside the quotation is still whom "the ministry" is
    ("The meeting was short. Cuba's Foreign Ministry on Monday launched a platform for "
     "citizens abroad, the ministry said.", "Foreign Ministry"),
])
def test_the_ministry_said_is_no_body_its_quoted_words_name(statistical, text: str,
                                                           holder: str) -> None:
    """"The embassy said" stands for a body named before, not one the quotation it speaks
    names before it."""
    suggest(statistical, "Moscow.")  # the finder for this pipeline, built once
    finder = _FINDERS[id(statistical)]
    doc = statistical.nlp(text)
    reading = finder.read(doc, text)
    holders, named = finder.holder_index(doc, reading)
    sent = reading.context.sents[-1]
    found = finder.holders.speaker(sent, holders, named, reading.context)
    assert found is not None and found.text == holder


INTERVIEW = ("Q: Who buys your sugar?\n\nA: Russia takes a part. Our Russian partners pay in "
             "oil, and we value them.\n")


@pytest.mark.parametrize(("introduction", "holder"), [
    # the recognizer calls the interviewee a company: whom the introduction spoke to
    ("Sugar Monthly spoke to Iraida Montalvo, sales director of a Cuban exporter, about the "
     "harvest.\n\n", "Iraida Montalvo"),
    ("Sugar Monthly interviewed Iraida Montalvo in Havana.\n\n", "Iraida Montalvo"),
    # a person named in it stays the interviewee
    ("Sugar Monthly spoke to Iraida Montalvo and to Pedro Alvarez about the harvest.\n\n",
     "Pedro Alvarez"),
])
def test_an_interviewee_the_introduction_spoke_to(statistical, introduction: str,
                                                  holder: str) -> None:
    """An interview's answers are held by whom its introduction spoke to or interviewed,
    where the recognizer labelled no person there."""
    text = introduction + INTERVIEW
    suggest(statistical, "Moscow.")  # the finder for this pipeline, built once
    finder = _FINDERS[id(statistical)]
    doc = statistical.nlp(text)
    found = finder.voices(doc, finder.read(doc, text))[1]
    assert found is not None and found.text == holder
