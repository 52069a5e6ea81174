"""Holders, tenth round (docs/prefill.md): a party a speaker's paraphrase names.

"NAME said Moscow welcomed…": the party's position is told in the speaker's words, so the
speaker holds it (the development sets' guidelines: the holder is who takes the stance, a
speaker first). A deed told of in the same shape ("NAME said Russia would send…") stays its
doer's, as the guidelines' "author of a deed" (the development sets' gold is split on those).
Each sentence was written for this test. The statistical pipeline is loaded once for the module
(test_stance_rules.py's fixture).
"""

from __future__ import annotations

import pytest

from tests.unit.test_stance_rules import EMBARGO, NORMALIZATION, PARTNERSHIP, suggest

PARAPHRASED = [
    # a position a speech verb reports as its complement: the speaker's
    ("Deputy Minister Ivan Petrov said Moscow did not support the sanctions on Cuba.",
     (EMBARGO, "against", "Ivan Petrov")),
    ("Ambassador Laura Mendes added that Brazil welcomed the normalization of relations "
     "between Havana and Washington.", (NORMALIZATION, "favor", "Laura Mendes")),
    # a pronoun speaker: the person named before it
    ("Senator Mark Hale spoke in Miami on Monday. He said Washington opposed lifting the "
     "embargo.", (EMBARGO, "favor", "Mark Hale")),
    # the speech verb after the paraphrase (eleventh round): the speaker's all the same
    ("Moscow did not support the sanctions on Cuba, Deputy Minister Ivan Petrov said.",
     (EMBARGO, "against", "Ivan Petrov")),
]

KEPT = [
    # a deed told of before the speech verb is its doer's too
    ("Russia will send 50 generators to Cuba, Deputy Minister Ivan Petrov said.",
     (PARTNERSHIP, "favor", "Russia")),
    # a deed told of in the paraphrase is its doer's
    ("Deputy Minister Ivan Petrov said Russia would send 50 generators to Cuba.",
     (PARTNERSHIP, "favor", "Russia")),
    # an unnamed speaker's paraphrase keeps the party
    ("Officials said Moscow did not support the sanctions on Cuba.",
     (EMBARGO, "against", "Moscow")),
]


@pytest.mark.parametrize(("text", "expected"), PARAPHRASED + KEPT,
                         ids=[t[:40] for t, _ in PARAPHRASED + KEPT])
def test_a_party_in_a_speakers_paraphrase(statistical, text: str, expected: tuple) -> None:
    assert expected in suggest(statistical, text)


RELATIVE = ("Navy ships in Havana\n\nA Russian frigate docked in Havana on Monday. The visits have "
            "drawn protests from Republicans in Congress, who say Moscow is testing the patience "
            "of Washington. The visit also drew criticism from analysts, who say Moscow is "
            "testing Washington.")


def test_a_named_speaker_of_a_relative_clause_holds_its_words(statistical) -> None:
    """A stance the classifier finds in "…protests from Republicans in Congress, who say…" is
    the Republicans': the main clause's subject ("the visits") names nobody, and the words
    are theirs. "Analysts, who say…" name nobody, and hold nothing."""
    from tests.unit.test_holders_speakers import _sentence_holders

    held = _sentence_holders(statistical, RELATIVE)
    assert held["The visits have drawn protests from Republicans in Congress, who say Moscow "
                "is testing the patience of Washington."] == "Republicans"
    assert held["The visit also drew criticism from analysts, who say Moscow is testing "
                "Washington."] is None


UNNAMED = ("Talks in Ottawa\n\nCanada hosted a closed-door meeting between American and Cuban "
           "officials last week, three people familiar with the talks said. Senator Mark Hale "
           "spoke in Miami. He said Havana wanted a deal.")


def test_a_deed_unnamed_speakers_report_is_its_doers(statistical) -> None:
    """For a stance the classifier finds: "three people … said" name nobody, so the named
    subject of what they report holds it (Canada hosted the talks); a named speaker, or a
    pronoun standing for one, keeps what the speaker reports."""
    from tests.unit.test_holders_speakers import _sentence_holders

    held = _sentence_holders(statistical, UNNAMED)
    assert held["Canada hosted a closed-door meeting between American and Cuban officials last "
                "week, three people familiar with the talks said."] == "Canada"
    assert held["He said Havana wanted a deal."] == "Mark Hale"
