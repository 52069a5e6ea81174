"""The trained classifier scores a sentence's words without a spaCy Doc, and pre-fill's
suggestions stay what they were: the same n-gram keys as spaCy's ``extract_ngrams`` gives the
Doc of those words, and the same probabilities to the last bit as each textcat's own model.

Why: pre-fill made a Doc per sentence only for the classifier to read its words' ids back;
building the keys from the words is what gives pre-fill with a trained version its speed
(benchmarks/bench_prefill.py), and a classifier that answered even slightly differently would
change which suggestions a reviewer sees.
"""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.ml.extract_ngrams import extract_ngrams
from spacy.tokens import Doc
from spacy.training import Example
from thinc.api import NumpyOps, fix_random_seed

from gui.nlp.stance_model import BOW, NONE, Scorer, build_classifier, label, ngram_keys

TARGETS = ["US embargo on Cuba", "Russia–Cuba partnership"]
POLARITIES = ["against", "neutral", "favor"]
# Words as sentence_words gives them: lemmas, kept place names, entity labels (which spaCy
# gives fixed symbol ids, not hashes), numbers, verb-argument pairs, the previous sentence's
# words and the rules' marks.
VOCABULARY = [
    "russia", "cuba", "havana", "moscow", "embargo", "lift", "support", "condemn", "oil",
    "ship", "the", "a", "of", ".", ",", "#", "PERSON", "ORG", "DATE", "nsubj", "lift>embargo",
    "not>support", "^embargo", "^russia", "rules:0:against", "^rules:1:favor", "topic:0",
    "mention:1", "side:1:0", "line:0:against", "pos:headline", "pos:quote", "rule:deed",
]
TRAINING = [
    ("the embargo is a relic . lift>embargo rules:0:against topic:0", 0, "against"),
    ("russia ship oil to cuba side:1:0 mention:1 rule:deed", 1, "favor"),
    ("cuba has been under the embargo since # topic:0", 0, "neutral"),
    ("PERSON praise the partnership with havana ^russia", 1, "favor"),
    ("the ministry condemn the blockade nsubj not>support", 0, "against"),
    ("DATE . moscow", 1, NONE),
]


@pytest.fixture(scope="module")
def classifier() -> Language:
    """A classifier of the shape training builds, trained a few steps on a few sentences."""
    fix_random_seed(0)
    nlp = build_classifier(TARGETS, POLARITIES)
    examples: list[list[Example]] = [[] for _ in TARGETS]
    for text, number, truth in TRAINING:
        doc = Doc(nlp.vocab, words=text.split())
        for n, target in enumerate(TARGETS):
            cats = {label(target, p): float(n == number and p == truth)
                    for p in (*POLARITIES, NONE)}
            if n != number:
                cats[label(target, NONE)] = 1.0
            examples[n].append(Example.from_dict(doc, {"cats": cats}))
    optimizer = nlp.initialize(lambda: [e for found in examples for e in found])
    for _ in range(5):
        for (name, _component), found in zip(nlp.pipeline, examples, strict=True):
            nlp.update(found, sgd=optimizer, drop=0.0, annotates=[], exclude=[
                other for other in nlp.pipe_names if other != name])
    return nlp


BLANK = spacy.blank("en")
words = st.one_of(st.sampled_from(VOCABULARY), st.text(min_size=1, max_size=12))
sentence_lists = st.lists(st.lists(words, min_size=1, max_size=25), min_size=1, max_size=8)


def _docs(nlp: Language, sentences: list[list[str]]) -> list[Doc]:
    return [Doc(nlp.vocab, words=words) for words in sentences]


@settings(max_examples=150, deadline=None)
@given(sentences=sentence_lists, size=st.integers(min_value=1, max_value=3))
def test_keys_are_extract_ngrams_of_the_docs(sentences: list[list[str]], size: int) -> None:
    """Keys, counts and lengths, values and types, as extract_ngrams gives them for Docs of
    the same words: repeated words and n-grams, symbols such as PERSON, any text."""
    expected = extract_ngrams(size, attr=ORTH).predict(_docs(BLANK, sentences))
    found = ngram_keys(sentences, size, NumpyOps(), {})
    for ours, theirs in zip(found, expected, strict=True):
        assert ours.dtype == theirs.dtype
        assert np.array_equal(ours, theirs)


@settings(max_examples=100, deadline=None)
@given(sentences=sentence_lists)
def test_scores_without_docs_are_the_models_own_to_the_last_bit(
    classifier: Language, sentences: list[list[str]],
) -> None:
    scorer = Scorer(classifier)
    assert scorer.parts is not None  # the shape training builds takes the Doc-free path
    docs = _docs(classifier, sentences)
    for ours, (_name, component) in zip(scorer(sentences), classifier.pipeline, strict=True):
        theirs = component.model.ops.to_numpy(component.model.predict(docs))
        assert ours.dtype == theirs.dtype
        assert np.array_equal(ours, theirs)


def test_the_trained_classifier_is_not_indifferent(classifier: Language) -> None:
    """The equality above means something only if the weights tell sentences apart."""
    scores = Scorer(classifier)([text.split() for text, _n, _t in TRAINING])
    assert all(len({tuple(row) for row in target.tolist()}) > 1 for target in scores)


def test_another_model_shape_is_asked_whole_with_docs() -> None:
    """Components whose n-gram sizes differ share no keys: each model reads its own Docs."""
    fix_random_seed(0)
    nlp = spacy.blank("en")
    for number, size in enumerate((2, 1)):
        textcat = nlp.add_pipe("textcat", name=f"stance_{number}",
                               config={"model": {**BOW, "ngram_size": size}})
        for polarity in (*POLARITIES, NONE):
            textcat.add_label(label(TARGETS[number], polarity))
    nlp.initialize()
    for _name, component in nlp.pipeline:
        linear = component.model.get_ref("output_layer")
        linear.set_param("W", np.random.default_rng(0).normal(
            size=linear.get_param("W").shape).astype("f"))
    sentences = [text.split() for text, _n, _t in TRAINING]
    scorer = Scorer(nlp)
    assert scorer.parts is None
    docs = _docs(nlp, sentences)
    for ours, (_name, component) in zip(scorer(sentences), nlp.pipeline, strict=True):
        assert np.array_equal(ours, component.model.ops.to_numpy(component.model.predict(docs)))


@settings(max_examples=100, deadline=None)
@given(groups=st.lists(sentence_lists, min_size=1, max_size=5))
def test_a_sentence_scores_the_same_whatever_is_scored_with_it(
    classifier: Language, groups: list[list[list[str]]],
) -> None:
    """Pre-fill scores a batch of documents' sentences in one call (``combine_many``): each
    sentence's probabilities must be those it gets with its own document's alone."""
    scorer = Scorer(classifier)
    together = scorer([words for group in groups for words in group])
    alone = [scorer(group) for group in groups]
    for number, table in enumerate(together):
        expected = np.concatenate([found[number] for found in alone])
        assert table.dtype == expected.dtype
        assert np.array_equal(table, expected)
