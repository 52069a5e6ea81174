"""Signed opinion pieces whose byline the rules missed (docs/prefill.md, "Holders, eighth
round"): a byline name the recognizer labels as something else than a person, a section label
on its own line above the headline ("Policy Forum | Commentary"), and a byline further down
under a two-sentence headline. Beside each, a text of the same shape that must keep no author.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from gui.nlp.context import build_context
from gui.nlp.stance_voice import byline_author
from tests.unit.test_stance_rules import EMBARGO, suggest

LINE = "The embargo is the only leverage left."
HEADLINE = "Moscow's port calls are theatre. Watch the trade talks instead"


@pytest.mark.parametrize(("text", "holder"), [
    (f"Policy Forum | Commentary\n\n{HEADLINE}\n\nBy Mark Tolliver\n\n{LINE}", "Mark Tolliver"),
    # a site's menu names its opinion section among others: news copy under it
    (f"Home | World | Opinion | Video\n\n{HEADLINE}\n\nBy Mark Tolliver\n\n{LINE}", None),
    (f"Policy Forum\n\n{HEADLINE}\n\nBy Mark Tolliver\n\n{LINE}", None),
])
def test_a_label_line_above_the_headline_makes_the_piece_its_authors(
        statistical, text: str, holder: str | None) -> None:
    assert suggest(statistical, text)[-1] == (EMBARGO, "favor", holder)


def _relabelled(statistical, text: str, name: str, label: str) -> Span | None:
    """The byline author of ``text`` when the recognizer calls ``name`` a ``label``."""
    doc = statistical.nlp(text)
    start = text.index(name)
    found = doc.char_span(start, start + len(name), label=label)
    assert found is not None
    doc.ents = [e for e in doc.ents if e.end <= found.start or e.start >= found.end] + [found]
    return byline_author(doc, build_context(doc))


@pytest.mark.parametrize("label", ["GPE", "WORK_OF_ART", "ORG"])
def test_a_byline_name_the_recognizer_mislabels_is_still_the_author(statistical,
                                                                   label: str) -> None:
    text = f"Opinion: Hold the line\n\nBy Helen Okafor\n\n{LINE}"
    author = _relabelled(statistical, text, "Helen Okafor", label)
    assert author is not None and (author.text, author.label_) == ("Helen Okafor", "PERSON")


def test_lower_case_words_after_by_name_no_author(statistical) -> None:
    text = f"Opinion: Hold the line\n\nBy rail and sea\n\n{LINE}"
    assert _relabelled(statistical, text, "rail and sea", "ORG") is None
