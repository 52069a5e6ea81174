"""The sixth round: stances the rules should already catch (docs/prefill.md, "Sixth round").

Each group is one kind of missed stance found on the development sets; every sentence is
written for this file. Beside each rule stands a sentence of the same shape that must stay
without the suggestion, so a rule that grows too wide fails.
"""

from __future__ import annotations

from gui.nlp.context import build_context
from tests.unit.test_stance_precision import targets
from tests.unit.test_stance_rules import EMBARGO, NORMALIZATION, PARTNERSHIP, suggest

INTERVIEW = (
    "A Havana farmer on fuel and the blockade\n\n"
    "Ana Beltrán grows tobacco near Pinar del Río. We asked her about the harvest.\n\n"
    "How hard is the blockade on farmers?\n"
    "It is cruel. We cannot buy a single American tractor part.\n\n"
    "Russia sends diesel now.\n"
    "Yes, and we are grateful. Russian diesel keeps our pumps running.\n\n"
    "What comes next?\n"
    "I hope for rain.\n"
)


def test_an_interview_without_marks_is_read_from_its_layout(statistical) -> None:
    doc = statistical.nlp(INTERVIEW)
    context = build_context(doc)
    lines = {context.sents[n].text.strip() for n in context.answers}
    assert "It is cruel." in lines and "I hope for rain." in lines
    # a block's first line is the interviewer's, with or without a question mark
    asked = {context.sents[n].text.strip() for n in context.questions}
    assert {"How hard is the blockade on farmers?", "Russia sends diesel now."} <= asked
    found = suggest(statistical, INTERVIEW)
    assert any(target == EMBARGO and polarity == "against" and holder.endswith("Beltrán")
               for target, polarity, holder in found if holder)


def test_an_interview_with_bold_or_dashed_marks(statistical) -> None:
    text = ("Interview with Pedro Ruiz, a Cuban trader\n\n**Q:** What about the embargo?\n\n"
            "**A:** It is cruel and it has failed.\n")
    assert (EMBARGO, "against", "Pedro Ruiz") in suggest(statistical, text)


def test_an_explainer_in_questions_is_no_interview(statistical) -> None:
    text = ("Explainer: the embargo in five questions\n\n"
            "What is the embargo?\nA set of US trade restrictions on Cuba since 1962.\n\n"
            "Who can lift it?\nOnly Congress can lift it.\n")
    assert build_context(statistical.nlp(text)).answers == set()


def test_a_relation_word_that_judges_the_relation(statistical) -> None:
    found = suggest(statistical, 'Cuban Foreign Minister Ana Gil said: "Brotherly Russia has '
                                 'never left us alone."')
    assert (PARTNERSHIP, "favor", "Ana Gil") in found
    found = suggest(statistical, "Moscow treats Cuba as a forward base off Florida, "
                                 "Senator Paul Reed said.")
    assert (PARTNERSHIP, "against", "Paul Reed") in found
    found = suggest(statistical, "Russian warships and Russian credit in Cuba are no gift; "
                                 "they are a beachhead near Florida.")
    assert (PARTNERSHIP, "against") in targets(found)


def test_a_judging_word_needs_the_side_it_judges(statistical) -> None:
    # the brotherly party is no side of the relation: nothing from the word
    text = ("Russia and Cuba signed a deal. The Cuban minister then praised brotherly "
            "Venezuela in a speech.")
    assert not any(t == PARTNERSHIP and p == "favor" for t, p, _ in suggest(
        statistical, text)[1:])
    # a foothold somebody wants is their aim, not what anyone calls the relation
    found = suggest(statistical, "Russia and Cuba talk often. Russia wants a foothold.")
    assert (PARTNERSHIP, "against") not in targets(found)


def test_a_speaker_claims_the_other_side_as_their_own(statistical) -> None:
    text = ("HAVANA (Wire) - Russian Deputy Minister Oleg Nikitin spoke in Havana. "
            '"Our Cuban friends will find us beside them for the long term," he said.')
    assert (PARTNERSHIP, "favor", "Oleg Nikitin") in suggest(statistical, text)


def test_a_predicate_speaks_through_its_clause_or_its_kind(statistical) -> None:
    assert (EMBARGO, "against") in targets(suggest(
        statistical, "The embargo is a policy that has outlived every purpose."))
    assert (EMBARGO, "against", "Lena Park") in suggest(
        statistical, "Senator Lena Park called the sanctions a form of cruelty.")


def test_what_a_relation_rests_on_and_its_state(statistical) -> None:
    found = suggest(statistical, "Russian envoy Oleg Nikitin said the ties between Moscow "
                                 "and Havana rest on mutual trust.")
    assert (PARTNERSHIP, "favor", "Oleg Nikitin") in found
    found = suggest(statistical, "Cuban leader Ana Gil and Russian envoy Oleg Nikitin "
                                 "hailed the excellent state of the dialogue between "
                                 "Havana and Moscow.")
    assert (PARTNERSHIP, "favor") in targets(found)


def test_lexicon_words_of_the_round(statistical) -> None:
    found = suggest(statistical, "Cuban and Russian lawmakers met in Moscow, and the Cuban "
                                 "delegation signed a protocol renewing the friendship "
                                 "group of the two parliaments.")
    assert (PARTNERSHIP, "favor") in targets(found)
    found = suggest(statistical, "Havana wants normal relations with Washington, Cuban "
                                 "Foreign Minister Ana Gil said.")
    assert (NORMALIZATION, "favor") in targets(found)


def test_a_measure_kept_until_the_other_side_changes(statistical) -> None:
    # a pointer keeps the phrase of its own clause
    text = ("WASHINGTON (Wire) - The Treasury added ten Cuban hotels to its sanctions list. "
            '"These measures will remain in place until Havana frees its prisoners," said '
            "Treasury official Jane Roe.")
    assert (EMBARGO, "favor", "Jane Roe") in suggest(statistical, text)
    found = suggest(statistical, "The White House said the restrictions on Cuba would stay "
                                 "until Havana holds free elections.")
    assert (EMBARGO, "favor") in targets(found)


def test_the_target_naming_a_regime_or_a_pressure(statistical) -> None:
    found = suggest(statistical, "Senator Lena Park urged Congress to end the sanctions "
                                 "regime.")
    assert (EMBARGO, "against", "Lena Park") in found
    found = suggest(statistical, "The Russian envoy, Oleg Nikitin, rejected all unilateral "
                                 "coercive measures against Havana.")
    assert (EMBARGO, "against") in targets(found)
    found = suggest(statistical, "Republican senators urged the White House to keep the "
                                 "pressure on Havana.")
    assert (EMBARGO, "favor") in targets(found)


def test_standing_by_the_other_side(statistical) -> None:
    found = suggest(statistical, "Russian envoy Ivan Petrov said Moscow would always stand "
                                 "by Havana.")
    assert (PARTNERSHIP, "favor") in targets(found)
    # standing somewhere, or to lose something, is no support
    assert suggest(statistical, "The Russian reporter stood in a Havana hospital ward for "
                                "an hour.") == []
    assert suggest(statistical, "Cuba stands to lose the Russian market.") == []


def test_a_judging_word_the_tagger_read_as_an_adverb(statistical) -> None:
    text = ('HAVANA (Wire) - Cuban Deputy Minister Ana Gil met the Russian crews. "In the worst '
            'week, the brotherly Russian people came at once," she said.')
    assert (PARTNERSHIP, "favor", "Ana Gil") in suggest(statistical, text)
