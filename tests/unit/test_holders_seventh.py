"""Holders, seventh round: the kinds of wrong or missing holder left on the development sets
(docs/prefill.md, "Holders, seventh round").

Each kind has a sentence, written for this file, that must find its holder, beside one of the
same shape that must keep what it had (no holder, or another one), so a rule that grows too
wide fails. The statistical pipeline is loaded once for the module (test_stance_rules.py).
"""

from __future__ import annotations

import pytest

from tests.unit.test_stance_rules import EMBARGO, PARTNERSHIP, suggest

ARGUED = "We tried engagement once. The embargo is the only leverage left."
RECOMMENDS = ("I lived in Havana for three years. The administration should tighten the embargo, "
              "restore Cuba to the list of state sponsors of terrorism, and tell Moscow plainly "
              "that its warships are unacceptable.")
REPORTS = ("I lived in Havana for three years. The administration tightened the embargo, "
           "restored Cuba to the list of state sponsors of terrorism, and told Moscow plainly "
           "that its warships are unacceptable.")
# the parse hangs the name on the body, not on the title that is the subject
LONG_TITLE = ("The President of the National Assembly of People's Power of Cuba, Pedro Luis "
              "Ramos, arrived in Moscow on Thursday. ")
TRIP = ('On arrival, the Cuban leader laid out the meaning of the trip on his account{mark} "We '
        'come to reaffirm the unbreakable friendship between Cuba and Russia."')

KINDS = {
    # a signed piece that argues as "we" is an opinion piece: its own voice is its author's;
    # without the byline's "By", or with "we" only in a quotation, it is not
    "a signed piece that argues as 'we'": [
        (f"Hold the line\n\nBy Mark Tolliver\n\n{ARGUED}", (EMBARGO, "favor", "Mark Tolliver")),
        (f"Hold the line\n\nMark Tolliver\n\n{ARGUED}", (EMBARGO, "favor", None)),
        ('Hold the line\n\nBy Mark Tolliver\n\n"We tried engagement once," a diplomat said. '
         "The embargo is the only leverage left.", (EMBARGO, "favor", None)),
    ],
    # the headline above a signed piece's byline is its thesis, whoever it names; a news
    # story's headline is still held by its first name
    "a signed piece's headline": [
        ("Keep the pressure on Havana's generals\n\nBy Mark Tolliver\n\nI lived in Havana for "
         "three years. The embargo works.", (EMBARGO, "favor", "Mark Tolliver"), 0),
        ("Keep the pressure on Havana's generals\n\nHAVANA (Reuters) - The embargo works, "
         "officials said.", (EMBARGO, "favor", "Havana"), 0),
    ],
    # what the writer says someone should tell is the writer's line, not a report of speech
    # ("state sponsors" is no speech either); what someone told is reported
    "a speech verb the writer recommends": [
        (f"Opinion: Stop the charade\n\nBy Mark Tolliver\n\n{RECOMMENDS}",
         (EMBARGO, "favor", "Mark Tolliver")),
        (f"Opinion: Stop the charade\n\nBy Mark Tolliver\n\n{REPORTS}", (EMBARGO, "favor", None)),
    ],
    # a quotation a colon opens is spoken by the verb's subject, whatever the verb; after a
    # full stop the same words name no speaker
    "a quotation opened by a colon": [
        (LONG_TITLE + TRIP.format(mark=":"), (PARTNERSHIP, "favor", "Pedro Luis Ramos")),
        (LONG_TITLE + TRIP.format(mark="."), (PARTNERSHIP, "favor", None)),
    ],
    # a person named by a long title as a subject is whom a later "he" stands for (for "it",
    # see below)
    "a long title's person as a subject for later references": [
        (LONG_TITLE + "He condemned the blockade.", (EMBARGO, "against", "Pedro Luis Ramos")),
    ],
    # one side's goods a person tells of are that person's support; a body's report of them
    # keeps the goods' side
    "goods a person tells of": [
        ("Cuba and Russia signed a trade deal. According to Ivan Petrov, the two sides are "
         "finalising documents on deliveries of Russian trucks and buses to the island.",
         (PARTNERSHIP, "favor", "Ivan Petrov")),
        ("Cuba and Russia signed a trade deal. According to the ministry, the two sides are "
         "finalising documents on deliveries of Russian trucks and buses to the island.",
         (PARTNERSHIP, "favor", "Russian")),
    ],
    # titles the lexicon's person nouns lacked (chairman, consul, governor, mayor, guest,
    # host): "the consul" is the person named before; "a consul" is someone unnamed
    "a title the table lacked": [
        ("Russian Consul General Dmitri Orlov arrived in Santiago on Monday. Reporters asked "
         "him about trade. The consul condemned the blockade.",
         (EMBARGO, "against", "Dmitri Orlov")),
        ("Russian Consul General Dmitri Orlov arrived in Santiago on Monday. Reporters asked "
         "him about trade. A consul condemned the blockade.", (EMBARGO, "against", None)),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected", "which"),
    [pytest.param(text, expected, rest[0] if rest else -1, id=f"{kind}: {text[:40]}")
     for kind, cases in KINDS.items() for text, expected, *rest in cases],
)
def test_holder_kind(statistical, text: str, expected: tuple, which: int) -> None:
    """The suggestion the kind is about: the last (its sentence comes last), or the first (a
    headline)."""
    assert suggest(statistical, text)[which] == expected


def test_it_still_stands_for_the_body_a_long_title_belongs_to(statistical) -> None:
    """The person a long title names is added for "he" and "the leader", never for "it"."""
    target, polarity, holder = suggest(statistical, LONG_TITLE + "It condemned the blockade.")[-1]
    assert (target, polarity) == (EMBARGO, "against")
    assert holder is not None and holder.startswith("the National Assembly")
