"""Holders of quotations over several sentences and of transcripts' labelled turns.

A quotation that runs over several sentences is its speaker's in each of them, also where the
parse joins the trailing '…," he said' to the quotation's last clause; a transcript that labels
each turn with its speaker ("IRINA SOKOLOVA: …") gives every sentence of the turn to that
speaker, not to the host or a party named in it, unless the turn reports someone else's
position. The statistical pipeline is loaded once for the module (test_stance_rules.py).
"""

from __future__ import annotations

import pytest

from tests.unit.test_stance_rules import EMBARGO, PARTNERSHIP, SCHEMA, suggest

TRAILING = ("Economists meet in Havana\n\nPedro Alvarez, a Cuban economist, spoke at the forum "
            "on Tuesday. \"The Soviet Union built our power plants. The blockade is cruel. "
            "Cubans do not forget that,\" he said.")
SAID_AFTER = ("Forum in Havana\n\n\"Russia sends us oil. The blockade is cruel. We will not "
              "forget it,\" said Marta Ruiz, a Cuban deputy.")
PANEL = (
    "Panel: Russia and Cuba\n\n"
    "The Atlantic Forum held a panel on Monday. The moderator was Laura Benson; the panellists "
    "were Igor Petrenko, a former Russian diplomat, and Rosa Delgado, a Cuban economist.\n\n"
    "LAURA BENSON: Igor, is Moscow serious about Cuba?\n\n"
    "IGOR PETRENKO: Serious, yes. Russia is a reliable partner of Cuba.\n\n"
    "LAURA BENSON: Rosa, what do you see?\n\n"
    "ROSA DELGADO: Mostly ceremonies. The Russian hotels are empty. The blockade is cruel.\n\n"
    "LAURA BENSON: Critics say the blockade is cruel.\n\n"
    "IGOR PETRENKO: I agree with her. The embargo has failed.\n\n"
    "The full recording is on the forum's website. The blockade is cruel."
)
# the host is never introduced by name, and the guest's name is taken for a company
BRIEFING = (
    "Transcript: Morning Line\n\n"
    "MARK HOLLIS: Welcome. My guest is Irina Sokolova, a Russian diplomat.\n\n"
    "IRINA SOKOLOVA: Thank you. Russia is a reliable partner of Cuba. The blockade is cruel.\n\n"
    "MARK HOLLIS: Some say the blockade is cruel.\n\n"
    "MS SOKOLOVA: We are friends of Cuba. The embargo has failed."
)
FACT_CHECK = ("Fact check: the embargo\n\nCLAIM: The blockade is cruel and costs Cuba "
              "billions.\n\nVERDICT: Mostly true. The blockade is cruel, say economists.")


def _holders(loaded, text: str) -> list[tuple[str, str, str | None, str]]:
    """Each suggestion's target, polarity, holder and the sentence it starts with."""
    from gui.nlp.lexicon import load_lexicon
    from gui.nlp.stance import StanceFinder

    finder = StanceFinder(loaded.nlp, SCHEMA, load_lexicon(), 0.5)
    return [(s.target, s.polarity, text[s.holder[0] : s.holder[1]] if s.holder else None,
             text[s.start : s.end]) for s in finder.find(loaded.nlp(text))]


def _sentence_holders(loaded, text: str) -> dict[str, str | None]:
    """The holder the rules give each sentence for the trained classifier's stances."""
    from gui.nlp.lexicon import load_lexicon
    from gui.nlp.stance import StanceFinder
    from gui.nlp.stance_facts import DocFacts

    finder = StanceFinder(loaded.nlp, SCHEMA, load_lexicon(), 0.5)
    doc = loaded.nlp(text)
    facts = DocFacts.of(finder, doc, list(SCHEMA.target_names))
    return {sent.text.strip(): (found.text if (found := facts.holder(sent)) is not None
                                else None) for sent in doc.sents if sent.text.strip()}


@pytest.mark.parametrize("text", [TRAILING, SAID_AFTER], ids=["he said", "said NAME"])
def test_every_sentence_of_a_quotation_is_its_speakers(statistical, text: str) -> None:
    """The parties named inside the quoted sentences ("The Soviet Union", "Cubans") hold
    nothing: the one quoting them does, whoever is named after the closing mark."""
    speaker = "Pedro Alvarez" if text is TRAILING else "Marta Ruiz"
    held = _sentence_holders(statistical, text)
    quoted = [s for s in held if s != text.split("\n\n")[0] and not s.startswith("Pedro")]
    assert quoted and all(held[s] == speaker for s in quoted)
    assert (EMBARGO, "against", speaker) in suggest(statistical, text)


def test_a_sentence_after_the_quotation_keeps_its_own_subject(statistical) -> None:
    text = TRAILING + "\n\nRussia rejects the blockade."
    assert suggest(statistical, text)[-1] == (EMBARGO, "against", "Russia")


def test_each_labelled_turn_is_its_speakers(statistical) -> None:
    """The guest's turn holds what it says of Russia and of the blockade, not the host named
    first in the introduction nor the party the sentence names; a host's line reporting
    unnamed critics is nobody's; the closing note under the last turn is the page's own."""
    found = [(target, polarity, holder, sentence.split(": ")[-1])
             for target, polarity, holder, sentence in _holders(statistical, PANEL)]
    assert found == [
        (PARTNERSHIP, "favor", "IGOR PETRENKO", "Russia is a reliable partner of Cuba."),
        (EMBARGO, "against", "ROSA DELGADO", "The blockade is cruel."),
        (EMBARGO, "against", None, "Critics say the blockade is cruel."),
        (EMBARGO, "against", "IGOR PETRENKO", "The embargo has failed."),
        (EMBARGO, "against", None, "The blockade is cruel."),
    ]
    held = _sentence_holders(statistical, PANEL)
    assert held["The Russian hotels are empty."] == "ROSA DELGADO"
    assert held["The full recording is on the forum's website."] is None


def test_a_label_names_its_speaker_without_the_title(statistical) -> None:
    """"MS SOKOLOVA" is the speaker Sokolova, whom the introduction named; a host the text
    never names holds nothing, and his line ends the guest's turn."""
    held = _sentence_holders(statistical, BRIEFING)
    assert held["Russia is a reliable partner of Cuba."] == "IRINA SOKOLOVA"
    assert held["The embargo has failed."] == "SOKOLOVA"
    assert held["Some say the blockade is cruel."] is None


def test_labels_that_name_nobody_make_no_turns(statistical) -> None:
    """A fact check's "CLAIM:" and "VERDICT:" are no speakers."""
    held = _sentence_holders(statistical, FACT_CHECK)
    assert held["CLAIM: The blockade is cruel and costs Cuba billions."] is None


def test_a_quotation_going_on_after_its_speakers_sentence_is_the_speakers(statistical) -> None:
    """'"…," NAME said. "Our Cuban friends welcomed it."': the second quotation, in the same
    paragraph, goes on in the speaker's voice, the party it names holding nothing; also where
    it ends its paragraph (the sentence then holds the line break after the closing mark)."""
    text = ("Russia to open a consulate in Santiago\n\nMOSCOW - Russia will open a consulate "
            "in Santiago de Cuba, spokeswoman Alla Vereshchagina told journalists on Sunday.\n\n"
            "\"The decision reflects the development of relations in all areas,\" Vereshchagina "
            "said. \"Our Cuban friends welcomed it, and we are grateful for their support.\""
            "\n\nThe consulate will open next year.")
    held = _sentence_holders(statistical, text)
    assert held["\"Our Cuban friends welcomed it, and we are grateful for their support.\""] == (
        "Vereshchagina")
