"""The twentieth round: stances found on the right sentence and target with the wrong polarity
(docs/prefill.md, "Twentieth round"). Every sentence is written for this file; beside each rule
stands a sentence of the same words that must keep its old reading.
"""

from __future__ import annotations

from tests.unit.test_stance_precision import targets
from tests.unit.test_stance_rules import EMBARGO, NORMALIZATION, PARTNERSHIP, suggest


def test_a_measure_kept_since_a_year_is_a_background_fact(statistical) -> None:
    found = suggest(statistical, "Washington has maintained an embargo on the island since 1961.")
    assert (EMBARGO, "neutral", None) in found
    assert (EMBARGO, "favor") not in targets(found)
    # the same verb of the day is the doer's act
    today = "The United States has kept the trade embargo on Cuba, the Treasury said."
    assert (EMBARGO, "neutral") not in targets(suggest(statistical, today))
    # and a party's own act with a year stays its stance
    tightened = "The administration has tightened the embargo on Cuba since 2017."
    assert (EMBARGO, "favor") in targets(suggest(statistical, tightened))


def test_what_both_parties_did_in_a_year_is_a_background_fact(statistical) -> None:
    text = "Washington and Havana restored diplomatic relations in 2015, and trade grew slowly."
    found = suggest(statistical, text)
    assert (NORMALIZATION, "neutral", None) in found
    assert (NORMALIZATION, "favor") not in targets(found)
    # on a day with no year: their act, for it
    today = "Washington and Havana restored diplomatic relations on Monday."
    assert (NORMALIZATION, "favor") in targets(suggest(statistical, today))
    # a clause that hangs on another is about its subject
    aside = ("Washington, which has kept an embargo on Cuba since 1962, said the new rules "
             "would stay.")
    assert (EMBARGO, "neutral") not in targets(suggest(statistical, aside))


def test_concern_about_a_target_is_against_it(statistical) -> None:
    text = "Norway expressed serious concern about Cuba's growing military cooperation with Russia."
    assert (PARTNERSHIP, "against", "Norway") in suggest(statistical, text)
    adjective = "We are deeply worried by the growing military ties between Cuba and Russia."
    assert (PARTNERSHIP, "against") in targets(suggest(statistical, adjective))
    # a neutral verb done with concern: watching, monitoring
    manner = "Ottawa said it was watching Cuba's military ties with Russia with concern."
    assert (PARTNERSHIP, "against") in targets(suggest(statistical, manner))
    assert (PARTNERSHIP, "neutral") in targets(suggest(statistical, manner.replace(
        " with concern", "")))


def test_concern_that_names_a_topic_is_no_stance(statistical) -> None:
    for text in ("Talks concerning the embargo on Cuba ended without a statement.",
                 "As far as the embargo on Cuba is concerned, nothing has changed."):
        assert (EMBARGO, "against") not in targets(suggest(statistical, text)), text


def test_voting_is_no_cue_by_itself(statistical) -> None:
    # what is voted speaks: the end of the embargo, condemning it
    for text in ("Norway votes every year at the United Nations for the end of the embargo.",
                 "The Storting has voted several times to condemn the embargo's reach."):
        found = targets(suggest(statistical, text))
        assert (EMBARGO, "against") in found and (EMBARGO, "favor") not in found, text
    # voting on it says nothing of either side
    assert (EMBARGO, "against") not in targets(
        suggest(statistical, "The General Assembly votes on the Cuba embargo resolution."))
    # voting against it still is against it
    assert (EMBARGO, "against") in targets(
        suggest(statistical, "Norway voted against the embargo again."))


def test_wanting_the_target_lifted_is_against_it(statistical) -> None:
    text = "Most Cuban Americans in Florida now want the embargo lifted."
    found = targets(suggest(statistical, text))
    assert (EMBARGO, "against") in found and (EMBARGO, "favor") not in found
    # wanting it kept is still for it
    assert (EMBARGO, "favor") in targets(
        suggest(statistical, "Most Cuban Americans in Florida now want to keep the embargo."))
