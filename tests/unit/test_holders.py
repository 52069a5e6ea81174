"""Holders by the kinds of error the fourth and fifth rounds fixed (docs/prefill.md, "Holders,
fourth round" and "Holders, fifth round"): each sentence was written for this test, and each
got the wrong holder before.

The statistical pipeline is loaded once for the module (test_stance_rules.py's fixture).
"""

from __future__ import annotations

import pytest

from tests.unit.test_stance_rules import EMBARGO, NORMALIZATION, PARTNERSHIP, suggest

KINDS = {
    "the nearest named mention of the one a title or pronoun stands for": [
        ("Deputy Minister Ivan Petrov spoke in Havana on Monday. Reporters asked Petrov about "
         "trade. The deputy minister condemned the blockade.", [(EMBARGO, "against", "Petrov")]),
    ],
    "a name a relative clause hangs on": [
        ("Washington, which has kept its embargo on Cuba for decades, answered coolly.",
         [(EMBARGO, "favor", "Washington")]),
        ("The Brazilian Farm Federation, which has lobbied against the embargo for years, "
         "endorsed the bill.", [(EMBARGO, "against", "The Brazilian Farm Federation")]),
        ("Puentes Unidos, a Miami group that supports normalization with Havana, criticised "
         "the vote.", [(NORMALIZATION, "favor", "Puentes Unidos")]),
    ],
    "a title repeated from the mention it introduced": [
        ("Cuban Ambassador Julio Ferrer Pena met Deputy Minister Andrei Vasilenko in Moscow. "
         "Vasilenko said trade was growing. The ambassador condemned the blockade.",
         [(EMBARGO, "against", "Julio Ferrer")]),
        ("A State Department spokesperson, Vicente Ortega, spoke first. Senator Mark Hale "
         'spoke later. "Our sanctions will remain in place," the spokesperson told reporters.',
         [(EMBARGO, "favor", "State Department")]),
        # several people under one title ("both ministers"): the first of them named
        ("Russian Foreign Minister Sergei Lavrov met Cuban Foreign Minister Bruno Rodríguez in "
         "Moscow. Both ministers condemned the blockade.", [(EMBARGO, "against", "Sergei Lavrov")]),
        # an unnamed representative of a named body: the body (the entity as spaCy marks it)
        ("The European Union's representative said the bloc opposed the embargo.",
         [(EMBARGO, "against", "The European Union's")]),
    ],
    "people named by their side": [
        ("Russian companies condemned the blockade.", [(EMBARGO, "against", "Russian")]),
        ("A group of Cuban farmers condemned the blockade.", [(EMBARGO, "against", "Cuban")]),
        ("Cuban economists noted that the blockade punishes small firms.",
         [(EMBARGO, "against", "Cuban")]),
    ],
    "a title with a side is a person, not the side": [
        ("Cuban Foreign Minister Bruno Rodríguez arrived in Kampala on Monday. The Cuban "
         "diplomat condemned the blockade.", [(EMBARGO, "against", "Bruno Rodríguez")]),
    ],
    "doers named before the speech verb that reports them": [
        ("Russian Foreign Minister Sergei Lavrov and Cuban Foreign Minister Bruno Rodríguez "
         "held talks in Moscow on Monday, the Russian Foreign Ministry said.",
         [(PARTNERSHIP, "favor", "Sergei Lavrov")]),
        ("Russia and Cuba are switching their trade settlements to rubles and pesos, Deputy "
         "Minister Ivan Petrov said on Wednesday.", [(PARTNERSHIP, "favor", "Russia")]),
    ],
    "a party inside a quotation is what its speaker speaks of": [
        ('"Russia rejects the blockade," Lavrov said.', [(EMBARGO, "against", "Lavrov")]),
        # the quotation goes on in a sentence of its own: the same speaker
        ('"Our friendship with Cuba is strong," Lavrov told reporters. "We will keep helping '
         'our Cuban friends against the illegal blockade."',
         # "our Cuban friends" is the partnership said without its word (fourth round)
         [(PARTNERSHIP, "favor", "Lavrov"), (PARTNERSHIP, "favor", "Lavrov"),
          (EMBARGO, "against", "Lavrov")]),
    ],
    "whom a recommendation is addressed to does not hold it": [
        ("Senator Ana Ruiz spoke on Monday. She said Congress should repeal the embargo.",
         [(EMBARGO, "against", "Ana Ruiz")]),
        ("Opinion: Time to talk\n\nBy Laura Bennett\n\nI have seen the shortages myself. It is "
         "time for Congress to repeal the embargo.", [(EMBARGO, "against", "Laura Bennett")]),
        ("Opinion: Time to talk\n\nBy Laura Bennett\n\nI have seen the shortages myself. "
         "Congress should repeal the embargo.", [(EMBARGO, "against", "Laura Bennett")]),
        ("Russia called for the United States to lift the embargo.",
         [(EMBARGO, "against", "Russia")]),
    ],
    "a passive's doer is its agent": [
        ("The blockade was condemned by Russia on Monday.", [(EMBARGO, "against", "Russia")]),
        ("Cuba received 300 generators. The equipment was donated to Cuba by the Russian "
         "government.", [(PARTNERSHIP, "favor", "Russian")]),
    ],
    "a headline's first name, where its parse names nobody": [
        ("Cuba thanks Russia for 300 generators\n\nThe generators arrived in Santiago on Monday.",
         [(PARTNERSHIP, "favor", "Cuba")]),
        ("Lavrov in Havana pledges to deepen strategic partnership with Cuba\n\nThe visit began "
         "on Monday.", [(PARTNERSHIP, "favor", "Lavrov")]),
    ],
    "a dateline's place in title case": [
        ("Kampala, Jun 20 (Prensa Latina) Cuban Foreign Minister Bruno Rodríguez condemned the "
         "blockade.", [(EMBARGO, "against", "Bruno Rodríguez")]),
    ],
    # fifth round
    "'it' and 'the administration' stand for a body, never for people named by nationality": [
        ("The Russian side condemned the blockade. Cuban farmers lose their harvests. It called "
         "the sanctions illegal.",
         [(EMBARGO, "against", "Russian"), (EMBARGO, "against", "Russian")]),
        ("American companies trade with Havana. The administration wants to keep the embargo.",
         [(EMBARGO, "favor", None)]),
    ],
    "an unnamed speaker's words are nobody's, even about a body": [
        ("Russia's Foreign Ministry issued a statement on Monday. Analysts said the "
         "administration had no interest in lifting the embargo.", [(EMBARGO, "favor", None)]),
    ],
    "a body's envoys or members: the body": [
        ("Three cargo planes from Russia's Emergencies Ministry landed in Havana with 40 tonnes "
         "of aid for Cuba.", [(PARTNERSHIP, "favor", "Emergencies Ministry")]),
        ("Hawks in Congress want to tighten the embargo.", [(EMBARGO, "favor", "Congress")]),
        # a place is not a body: people there are nobody in particular
        ("Some in Miami want to tighten the embargo.", [(EMBARGO, "favor", None)]),
    ],
    "a party a speaker introduces in the speaker's quoted words is the speaker's": [
        ('Deputy Minister Ivan Petrov recalled that Russia does not accept "the cruel blockade '
         'of Cuba."', [(EMBARGO, "against", "Ivan Petrov")]),
        ('Ivan Petrov said Moscow "firmly rejects the illegal blockade."',
         [(EMBARGO, "against", "Ivan Petrov")]),
        # and in the speaker's paraphrase too (the tenth round: test_holders_tenth.py)
        ("Dmitry Peskov said Moscow did not support the sanctions on Cuba.",
         [(EMBARGO, "against", "Dmitry Peskov")]),
    ],
    "someone unnamed of a side, in the singular: the side": [
        ("A Russian foreign ministry spokesman condemned the blockade.",
         [(EMBARGO, "against", "Russian")]),
        # the recognizer's lower-case "foreign ministry" is no name to point at
        ('In Moscow, a Russian foreign ministry spokesman said the blockade was "a relic of the '
         'Cold War."', [(EMBARGO, "against", "Russian")]),
    ],
    "a long title's own name, not the body the title belongs to": [
        ("The First Secretary of the Party Committee in Havana and Vice President of the Council "
         "of State, Roberto Morales Ojeda, thanked Russia for the donated generators.",
         [(PARTNERSHIP, "favor", "Roberto Morales")]),
    ],
    "an administration's deed is its head's": [
        ("Barack Obama restored relations with Havana in 2015. Donald Trump took office in 2017. "
         "His administration later tightened the embargo.", [(EMBARGO, "favor", "Donald Trump")]),
        ("Remittances to Cuba were capped under President Donald Trump, ending part of the thaw.",
         [(NORMALIZATION, "against", "Donald Trump")]),
    ],
    "a noun's own name before the name it is modified by": [
        ("The blockade hurts Cuban families most, the Communist Party newspaper Granma wrote on "
         "Tuesday.", [(EMBARGO, "against", "Granma")]),
    ],
    "whom a 'by' names is the doer, on a noun too": [
        ("The approval follows a decision by the Commerce Department to restore flights to "
         "Cuban cities, reversing the 2019 limits on travel.",
         [(NORMALIZATION, "favor", "the Commerce Department")]),
        # a passive's agent the parse hangs on a noun of the verb's phrases
        ("A new aid package for Cuba was signed at the headquarters of the Russian embassy by "
         "Ambassador Ivan Sokolov.", [(PARTNERSHIP, "favor", "Ivan Sokolov")]),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(text, expected, id=f"{kind}: {text[:40]}")
     for kind, cases in KINDS.items() for text, expected in cases],
)
def test_holder_kind(statistical, text: str, expected: list) -> None:
    assert suggest(statistical, text) == expected


def test_a_headline_pair_before_its_verb_is_held_by_the_first_named() -> None:
    """"Lavrov, Rodríguez discuss…" parsed as two subjects of one verb: the first named holds
    it (the guidelines' "first named"), as "Lavrov and Rodríguez" would; a dateline parsed as
    a subject, further away and not a bare comma away, stays out."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from gui.nlp.holders import HolderFinder

    pair = Doc(Vocab(), words=["Lavrov", ",", "Rodríguez", "discuss", "ties"],
               heads=[3, 3, 3, 3, 3], deps=["nsubj", "punct", "nsubj", "ROOT", "dobj"])
    assert HolderFinder.subject(pair[3]).text == "Lavrov"
    dated = Doc(Vocab(), words=["MOSCOW", ",", "May", "2", "-", "Lavrov", "discussed", "ties"],
                heads=[6, 0, 0, 2, 6, 6, 6, 6],
                deps=["nsubj", "punct", "npadvmod", "nummod", "punct", "nsubj", "ROOT", "dobj"])
    assert HolderFinder.subject(dated[6]).text == "Lavrov"


SENTENCE_HOLDERS = [
    # "the Russian company" is a group phrase with its side in it, as "the Russian embassy" is
    ("The Russian company will pay for the spare parts, according to the Cuban Electric Union.",
     "Russian"),
    # a passive's agent the parse hangs on a noun of the verb's phrases
    ("The protocol was signed at the headquarters of the ministry by Deputy Minister Ana Ruiz "
     "and the head of the Russian trade mission.", "Ana Ruiz"),
    # a signed opinion piece's own voice is its author's, as the rules' suggestions are
    ("Opinion: Stop the charade\n\nBy Mark Tolliver\n\nI lived in Havana for three years. "
     "This is not friendship; it is a foothold.", "Mark Tolliver"),
    # an interview's answer is the interviewee's
    ("Interview: the envoy speaks\n\nAmbassador Ivan Sokolov has served in Havana since 2021."
     "\n\nQ: What about the blockade?\n\nA: It is a cruel instrument.", "Ivan Sokolov"),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCE_HOLDERS)
def test_sentence_holder_for_the_trained_classifier(statistical, text: str, expected) -> None:
    """Where only the trained classifier finds a stance, its holder is the one the rules give
    the whole sentence (``DocFacts.holder``): asked with no cue word to start from."""
    from gui.nlp.lexicon import load_lexicon
    from gui.nlp.stance import StanceFinder
    from gui.nlp.stance_facts import DocFacts
    from tests.unit.test_stance_rules import SCHEMA

    finder = StanceFinder(statistical.nlp, SCHEMA, load_lexicon(), 0.5)
    doc = statistical.nlp(text)
    facts = DocFacts.of(finder, doc, list(SCHEMA.target_names))
    found = facts.holder(list(doc.sents)[-1])
    assert (found.text if found is not None else None) == expected
