"""The stance rules sentence by sentence: what an annotator would see suggested for each.

The statistical pipeline is loaded once for the module; the rules-only pipeline once too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.core.schema import load_schema
from gui.nlp.lexicon import LexiconError, load_lexicon
from gui.nlp.pipeline import RULES_ONLY, LoadedPipeline, collect_patterns, load_pipeline
from gui.nlp.stance import StanceFinder

EMBARGO = "US embargo on Cuba"
PARTNERSHIP = "Russia–Cuba partnership"
NORMALIZATION = "US–Cuba normalization"
SCHEMA = load_schema()


def _load(requested: str | None) -> LoadedPipeline:
    return load_pipeline(SCHEMA, requested=requested, patterns=collect_patterns(SCHEMA, None))


@pytest.fixture(scope="module")
def statistical() -> LoadedPipeline:
    loaded = _load(None)
    if loaded.rules_only:
        pytest.skip("no statistical English pipeline installed")
    return loaded


@pytest.fixture(scope="module")
def rules() -> LoadedPipeline:
    return _load(RULES_ONLY)


_FINDERS: dict[int, StanceFinder] = {}


def suggest(loaded: LoadedPipeline, text: str, threshold: float = 0.5, lexicon=None):
    if lexicon is not None:
        finder = StanceFinder(loaded.nlp, SCHEMA, lexicon, threshold)
    else:  # building the matchers is the slow part: once per pipeline
        finder = _FINDERS.setdefault(
            id(loaded), StanceFinder(loaded.nlp, SCHEMA, load_lexicon(), threshold)
        )
        finder.threshold = threshold
    return [
        (s.target, s.polarity, text[s.holder[0] : s.holder[1]] if s.holder else None)
        for s in finder.find(loaded.nlp(text))
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a stance verb with an entity subject: the subject holds it
        ("Russia rejects the blockade.", (EMBARGO, "against", "Russia")),
        ("Putin praised the strategic partnership with Cuba.", (PARTNERSHIP, "favor", "Putin")),
        # a stance noun under a reporting-neutral verb: "reiterated its rejection of"
        ("Russia reiterated its rejection of the U.S. blockade against Cuba.",
         (EMBARGO, "against", "Russia")),
        # calling for the removal of something is a stance against it
        ("Moscow calls for the immediate elimination of the blockade.",
         (EMBARGO, "against", "Moscow")),
        # negation flips: "did not support", "never support", "refused to back"
        ("The United States supports the embargo.", (EMBARGO, "favor", "United States")),
        ("The United States does not support the embargo.",
         (EMBARGO, "against", "United States")),
        ("Lavrov said Russia would never support the sanctions.", (EMBARGO, "against", "Russia")),
        ("Moscow refused to back the sanctions.", (EMBARGO, "against", "Moscow")),
        # removal under a stance against it: opposing the lifting is favouring the embargo
        ("Washington opposed lifting the embargo.", (EMBARGO, "favor", "Washington")),
        # reported speech does not flip, and the speaker holds a stance with no entity subject
        ('"The blockade is illegal," Lavrov said.', (EMBARGO, "against", "Lavrov")),
        ("Peskov said the sanctions were a relic of the Cold War.",
         (EMBARGO, "against", "Peskov")),
        ("According to Granma, the blockade is illegal.", (EMBARGO, "against", "Granma")),
        # the subject of the stance verb wins over the speaker when it is an entity
        ("Peskov said Moscow did not support the sanctions.", (EMBARGO, "against", "Moscow")),
        ("Havana welcomed the normalization of relations with Washington.",
         (NORMALIZATION, "favor", "Havana")),
        # the target is not its own holder: "the US embargo" is not held by the US
        ('He said the US embargo was "the main obstacle to our development".',
         (EMBARGO, "against", None)),
    ],
)
def test_sentence(statistical: LoadedPipeline, sentence: str, expected: tuple) -> None:
    assert suggest(statistical, sentence) == [expected]


def test_a_target_without_a_cue_suggests_nothing(statistical: LoadedPipeline) -> None:
    assert suggest(statistical, "The embargo was discussed on Monday.") == []


def test_no_target_no_suggestion(statistical: LoadedPipeline) -> None:
    assert suggest(statistical, "Russia strongly rejects the proposal.") == []


def test_below_the_threshold_nothing_is_suggested(statistical: LoadedPipeline) -> None:
    sentence = "Moscow calls for the immediate elimination of the blockade."
    assert suggest(statistical, sentence, threshold=0.5)
    assert suggest(statistical, sentence, threshold=0.99) == []


def test_evidence_is_the_sentence_and_offsets_shift(statistical: LoadedPipeline) -> None:
    text = "Lavrov arrived on Monday.\n\nRussia rejects the blockade.  "
    finder = StanceFinder(statistical.nlp, SCHEMA, load_lexicon(), 0.5)
    [found] = finder.find(statistical.nlp(text), offset=100)
    assert text[found.start - 100 : found.end - 100] == "Russia rejects the blockade."
    assert 0 < found.confidence < 1


def test_one_suggestion_per_sentence_and_target(statistical: LoadedPipeline) -> None:
    found = suggest(statistical, "Russia rejects the blockade and condemns the sanctions.")
    assert found == [(EMBARGO, "against", "Russia")]


def test_rules_only_still_finds_stance(rules: LoadedPipeline) -> None:
    assert suggest(rules, "Russia rejects the blockade.") == [(EMBARGO, "against", "Russia")]
    assert suggest(rules, "Moscow refused to back the sanctions.") == [
        (EMBARGO, "against", "Moscow")
    ]


def test_a_project_lexicon_adds_cues(statistical: LoadedPipeline, tmp_path: Path) -> None:
    sentence = "Russia lambasted the blockade."
    assert suggest(statistical, sentence) == []
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[[cue]]\npolarity = "against"\nweight = 0.9\nlemmas = ["lambast"]\n'
        '[[target]]\nname = "US embargo on Cuba"\ncues = ["bloqueo"]\n',
        encoding="utf-8",
    )
    lexicon = load_lexicon(extra, SCHEMA.polarities)
    assert suggest(statistical, sentence, lexicon=lexicon) == [(EMBARGO, "against", "Russia")]
    assert suggest(statistical, "Russia condemns the bloqueo.", lexicon=lexicon) == [
        (EMBARGO, "against", "Russia")
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[[cue]]\npolarity = 'hostile'\nlemmas = ['x']\n", "polarity 'hostile'"),
        ("[[cue]]\npolarity = 'favor'\nweight = 2\nlemmas = ['x']\n", "weight"),
        ("[[cue]]\npolarity = 'favor'\n", "neither lemmas nor phrases"),
        ("threshold = 'high'\n", "threshold"),
        ("[[cue]\n", "not valid TOML"),
    ],
)
def test_a_bad_lexicon_is_one_clear_line(tmp_path: Path, content: str, reason: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicon(bad, SCHEMA.polarities)
    assert str(bad) in str(caught.value) and reason in str(caught.value)
    assert "\n" not in str(caught.value)
