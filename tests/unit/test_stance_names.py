"""A target's name that takes a side by itself (docs/prefill.md, "a name that takes a side").

"The blockade" is what Havana, Moscow and their friends call the US embargo: whoever names it
so is against it, whatever else the sentence says was done to it. Every sentence is written
for this file; beside each rule stands the same sentence with the plain name, which must keep
its old reading.
"""

from __future__ import annotations

import textwrap

from gui.nlp.lexicon import load_lexicon
from tests.unit.test_stance_precision import targets
from tests.unit.test_stance_rules import EMBARGO, suggest


def test_the_blockade_with_no_cue_is_against_it(statistical) -> None:
    text = ('"Every sack of cement costs us twice what it costs our neighbours, because of '
            'the blockade," said Marta Ruiz.')
    assert (EMBARGO, "against", "Marta Ruiz") in suggest(statistical, text)
    # the plain name says nothing by itself
    plain = text.replace("the blockade", "the embargo")
    assert (EMBARGO, "against") not in targets(suggest(statistical, plain))


def test_the_blockade_in_the_articles_own_voice_is_no_neutral_fact(statistical) -> None:
    found = targets(suggest(statistical, "For six decades the blockade has pursued ships, "
                                         "banks and insurers around the world."))
    assert (EMBARGO, "against") in found and (EMBARGO, "neutral") not in found
    plain = targets(suggest(statistical, "For six decades the embargo has pursued ships, "
                                         "banks and insurers around the world."))
    assert (EMBARGO, "against") not in plain


def test_tightening_the_blockade_is_the_speakers_complaint(statistical) -> None:
    # tightening the embargo is favor of it (the doer's); tightening "the blockade" is told by
    # someone against it
    text = '"They tightened the blockade precisely when we were weakest," Ana Gil said.'
    found = targets(suggest(statistical, text))
    assert (EMBARGO, "against") in found and (EMBARGO, "favor") not in found
    plain = "Washington tightened the embargo in May."
    assert (EMBARGO, "favor") in targets(suggest(statistical, plain))


def test_a_cue_of_the_same_side_keeps_its_holder(statistical) -> None:
    assert (EMBARGO, "against", "Russia") in suggest(statistical, "Russia rejects the blockade.")


def test_the_economic_war_is_a_name_that_takes_a_side(statistical) -> None:
    # what a thing does to the target says nothing of the speaker (stance_cues._reported_doing),
    # but the speaker's name for the target does
    text = "The minister said the decision reinforces the economic war against Cuba."
    assert targets(suggest(statistical, text)) == {(EMBARGO, "against")}


def test_a_project_names_its_own(statistical, tmp_path) -> None:
    extra = tmp_path / "lexicon.toml"
    extra.write_text(textwrap.dedent("""
        [[target]]
        name = "US embargo on Cuba"
        judged = { against = ["economic strangulation"] }
    """), encoding="utf-8")
    lexicon = load_lexicon(extra, ("favor", "against", "neutral"))
    assert lexicon.target_judged[EMBARGO]["economic strangulation"] == "against"
    assert lexicon.target_judged[EMBARGO]["blockade"] == "against"  # the shipped names stay
    text = "Farmers in Pinar del Río have lived with the economic strangulation for decades."
    assert (EMBARGO, "against") in targets(suggest(statistical, text, lexicon=lexicon))


def test_a_measure_claimed_as_ones_own(statistical) -> None:
    text = ('"Any bank that helps the regime evade our sanctions will pay for it," said Ann Lee, '
            "a Treasury official.")
    assert (EMBARGO, "favor", "Ann Lee") in suggest(statistical, text)
    # the same words about someone else's sanctions say nothing of the speaker's side
    other = text.replace("our sanctions", "the sanctions")
    assert (EMBARGO, "favor") not in targets(suggest(statistical, other))
    # a cue still decides first: lifting one's own sanctions is against them
    assert (EMBARGO, "against") in targets(suggest(
        statistical, "We will lift our sanctions on Cuba, the senator said."))
