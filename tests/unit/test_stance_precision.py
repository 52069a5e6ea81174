"""The fifth round's guards: sentences whose words look like a stance on a target but are not.

Each group is one kind of false suggestion found on the development sets (docs/prefill.md,
"Fifth round: precision"); every sentence is written for this file. Beside each guard stands a
sentence of the same shape that must keep its suggestion, so a guard that grows too wide fails.
"""

from __future__ import annotations

import pytest

from tests.unit.test_stance_rules import EMBARGO, NORMALIZATION, PARTNERSHIP, suggest


def targets(found: list[tuple[str, str, str | None]]) -> set[tuple[str, str]]:
    return {(target, polarity) for target, polarity, _holder in found}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # someone else's sanctions are not the embargo: another imposer, another target
        ("Russia and Cuba, both under Western sanctions, say their ties have grown closer.",
         {(PARTNERSHIP, "favor")}),
        ("Havana has backed Moscow since European sanctions hit Russian banks.",
         {(PARTNERSHIP, "favor")}),
        ("Brussels extended its sanctions on Russia for another year.", set()),
        # … but the United States' sanctions on Cuba are, with or without dots
        ("The United States tightened its sanctions on Havana.", {(EMBARGO, "favor")}),
        ("Russia reiterated its rejection of the U.S. blockade against Cuba.",
         {(EMBARGO, "against")}),
    ],
)
def test_someone_elses_sanctions(statistical, text, expected) -> None:
    assert targets(suggest(statistical, text)) == expected


def test_a_fixed_phrase_speaks_only_of_its_own_clause(statistical) -> None:
    # the phrase is about the decision; the embargo is named in a clause of its own
    found = suggest(statistical, "Cuba welcomed the decision as a step in the right direction, "
                                 "while noting that the embargo still forbids most tourism.")
    assert (EMBARGO, "favor") not in targets(found)
    # "will stay" is the engineers', not the union's (a trade union is no relation)
    assert suggest(statistical, "The engineers will stay in Havana until the plant is "
                                "finished, the union said.") == []
    # in its clause the phrase still speaks
    assert targets(suggest(statistical, "Washington said the embargo will stay in place.")) == {
        (EMBARGO, "favor")}


def test_a_carried_over_adjective_must_judge_the_topic(statistical) -> None:
    before = "Critics say the embargo failed. "
    # "a perfect excuse": the adjective qualifies the excuse, not the embargo
    found = suggest(statistical, before + "It gave Havana a perfect excuse for every shortage.")
    assert (EMBARGO, "favor") not in targets(found)
    # nor when the sentence names the target itself, or a word pointing back stands for it
    found = suggest(statistical, "The embargo gave Havana a perfect excuse for every shortage.")
    assert (EMBARGO, "favor") not in targets(found)
    # an adjective on the predicate judges what the sentence carries on
    found = suggest(statistical, before + "It is a cruel policy.")
    assert found.count((EMBARGO, "against", None)) == 2


def test_a_passive_that_names_no_doer_is_a_state(statistical) -> None:
    assert (EMBARGO, "favor") not in targets(
        suggest(statistical, "The trade embargo itself was never lifted."))
    # a doer named, or a plan someone reports, is still a removal
    assert targets(suggest(statistical, "Flights were curtailed under President Trump.")) == {
        (NORMALIZATION, "against")}
    assert suggest(statistical, "Obama said the embargo would be eased.") == [
        (EMBARGO, "against", "Obama")]


def test_a_number_of_people_visiting_is_tourism(statistical) -> None:
    assert suggest(statistical, "More than 200,000 Russians visited Cuba last year.") == []
    # a government's visit, and counted things a side sends, remain deeds
    assert targets(suggest(statistical, "Russia visited Cuba with a large delegation.")) == {
        (PARTNERSHIP, "favor")}
    assert targets(suggest(statistical, "Two Russian cargo planes landed in Havana with aid "
                                        "for Cuba.")) == {(PARTNERSHIP, "favor")}


@pytest.mark.parametrize(
    "text",
    [
        # someone acts on the target: a deed we cannot read, not a neutral fact
        "In Washington, someone is preparing new sanctions against Cuba.",
        # the target inside a relative clause about something else
        "He runs a shipping firm that has sold rice to Cuba under an exemption to the embargo "
        "since 2005.",
    ],
)
def test_no_background_mention_where_the_sentence_is_about_something_else(statistical, text):
    assert suggest(statistical, text) == []


def test_a_plain_fact_about_the_target_is_still_background(statistical) -> None:
    assert suggest(statistical, "The embargo has been in place since 1962.") == [
        (EMBARGO, "neutral", None)]


def test_a_cue_does_not_reach_into_a_relative_clause(statistical) -> None:
    # "imposed" is the restrictions', and "back" is the particle of "rolled back"
    found = suggest(statistical, "The new rules reverse restrictions imposed by President "
                                 "Trump, who had rolled back the détente.")
    assert (NORMALIZATION, "favor") not in targets(found)


def test_a_speaker_reporting_what_a_thing_does(statistical) -> None:
    assert suggest(statistical, "The minister said the decision reinforces the embargo "
                                "against Cuba.") == []
    # a party doing it holds it, also named by a group noun
    assert suggest(statistical, "The minister said Washington reinforces the embargo.") == [
        (EMBARGO, "favor", "Washington")]
    assert targets(suggest(statistical, "Obama and Castro announced that their countries would "
                                        "restore diplomatic relations.")) == {
        (NORMALIZATION, "favor")}


def test_a_relation_word_between_both_rivals_decides_nothing(statistical) -> None:
    assert suggest(statistical, "The economist spoke about the island's ties with Russia and "
                                "the United States.") == []
    assert targets(suggest(statistical, "Moscow wants closer ties with Havana.")) == {
        (PARTNERSHIP, "favor")}


def test_a_breadcrumb_repeating_the_headline_is_page_chrome(statistical) -> None:
    headline = "Russia and Cuba pledge to deepen their strategic partnership"
    text = f"HomeNewsWorld News{headline}\n{headline}\n\nMOSCOW -- Officials met on Monday."
    assert suggest(statistical, text) == [(PARTNERSHIP, "favor", "Russia")]


@pytest.mark.parametrize(
    "text",
    [
        # conditions: nobody's position yet
        "If Washington lifted the embargo, Cuban farmers would export more.",
        "Unless Congress repeals the embargo, nothing will change.",
        "Should the embargo be lifted, prices would fall.",
        # a "whether" question about a deed
        "Analysts asked whether Russia would support Havana.",
        # a clause or a claim someone denies
        "The Kremlin denied that it would send troops to Cuba.",
        "Peskov denied reports that Russia planned to strengthen its military ties with Cuba.",
        "Rubio dismissed the idea that the embargo has failed.",
    ],
)
def test_nobody_asserts_a_condition_a_question_or_a_denied_claim(statistical, text) -> None:
    assert suggest(statistical, text) == []


def test_asserted_clauses_beside_them_keep_their_stance(statistical) -> None:
    # a rejection of the target itself, and a "whether" debate the governing cue calls neutral
    assert suggest(statistical, "Moscow rejected the embargo.") == [
        (EMBARGO, "against", "Moscow")]
    assert suggest(statistical, "Congress debated whether to tighten the embargo.") == [
        (EMBARGO, "neutral", "Congress")]
    assert targets(suggest(statistical, "Russian officials reject that reading and describe "
                                        "Cuba as a partner of long standing.")) == {
        (PARTNERSHIP, "favor")}
