"""The trained stance classifier and how its answers combine with the rules.

What it is: a small spaCy pipeline (a blank English one) with one ``textcat`` per stance target,
each with exclusive classes, the schema's polarities and ``none``, over one sentence with its
context: the sentence's lemmas (people's and organisations' names replaced by their entity
label, places and peoples kept) and its verb-argument pairs, the previous sentence's words
marked ``^`` (a topic carried over: "We see in this a victory…"), and what the rules said for
each target on this sentence, on the one before and anywhere in the text (``rules:0:favor``,
``^rules:0:favor``, ``topic:0``), so the classifier learns where to trust them, and (versions
of ``INPUTS`` 2) what the rules' helpers found on the way: target mentions, sides, a speaker's
camp, the sentence's place (stance_facts.py). One text per sentence feeds every target's
component: the (sentence + context, target) pair is the component's input.

Why bag-of-words (``spacy.TextCatBOW.v3``): it trains in seconds on a few hundred articles,
and at pre-fill time it costs a fraction of what the parser costs, so a trained pipeline keeps
pre-fill's throughput (benchmarks/bench_prefill.py). The words are built from the tokens the
pipeline already made, never tokenized again. (A softmax over the installed pipeline's own
token vectors, ``Doc.tensor`` pooled per sentence, alone or stacked on the bag of words, was
tried: on three folds of real-style articles it was worse than the bag of words alone (F1
per sentence and target 0.38-0.44 against 0.45-0.49); with no pretrained vectors, 96
dimensions learned for tagging and parsing say little about stance.)

Combining: where the classifier is sure of a polarity (probability at or above the version's
threshold) it decides, but it replaces a rule's suggestion of another polarity only when it is
surer still (the version's overrule, ``OVERRULE``); it removes a rule's suggestion only when it
is very sure there is no stance (at or above the version's veto); otherwise it abstains and the
rules' suggestion for that sentence and target stands. All three are stored in training.json;
the threshold is chosen at training time by cross-validation (train_stance.py), and the veto
is "never" (above 1) in every version trained now; earlier versions may name one, and it is
still honoured. A stance
only the classifier found takes the holder the rules' holder finder gives its sentence (a
subject, "…, he said", a quotation's speaker), else the trained holder scorer's choice, else
a signed opinion piece's author.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain, pairwise
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.attrs import (
    DEP,
    ENT_TYPE,
    HEAD,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LIKE_NUM,
    LOWER,
    ORTH,
)
from spacy.language import Language
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Span
from thinc.api import NumpyOps

from gui.nlp.holder import HOLDER_LABELS, HolderScorer
from gui.nlp.stance import Reading, StanceFinder, StanceSuggestion
from gui.nlp.stance_facts import DocFacts
from gui.nlp.stance_findings import NEUTRAL

NONE = "none"
# For a training.json without thresholds. Silencing a rule takes more certainty than adding a
# suggestion: most sentences hold no stance, so a classifier trained on a few documents says
# "none" with middling confidence nearly everywhere.
THRESHOLD = 0.6
VETO = 0.9
# How sure the classifier must be to replace a rule's suggestion of another polarity on the
# same sentence and target (at least its threshold). Where the two disagree the rules were
# right more often than a leading polarity: over the nine development sets, leave one set
# out, a relabel only at 0.8 or above raised rules + starter's F1 at every threshold (0.515 ->
# 0.520 wherever a polarity leads) and precision with it (docs/training.md, "Where the rules
# and the classifier disagree"). A training.json without it: its threshold, as before.
OVERRULE = 0.8
# What a version's classifier was trained to read, as training.json names it ("inputs"):
# 1 (or absent), the words and the rules' verdicts; 2, also what the rules' helpers found
# (stance_facts.py). A version is always asked with the inputs it learned from.
INPUTS = 2
# Single words: with the nine development sets (191 articles) pairs of neighbouring words
# lost to single ones, leave one set out (F1 per sentence and target 0.477 against 0.502;
# triples 0.456), and pairs in a table four times longer did as well as single words (0.503):
# the pairs' hashes collide in 65,536 rows once the data grows. Single words keep the model's
# size and its cost at pre-fill (docs/training.md). A version's own config says its size.
BOW = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 1,
       "no_output_layer": False, "length": 65536}


def overrule_bar(threshold: float, overrule: float | None) -> float:
    """How sure the classifier must be to replace a rule's suggestion of another polarity:
    the overrule, never below the threshold (None, versions trained before it: the
    threshold). One function for pre-fill and for the cross-validation that chose them."""
    return max(threshold, threshold if overrule is None else overrule)


def label(target: str, polarity: str) -> str:
    return f"{target}|{polarity}"


def build_classifier(targets: Sequence[str], polarities: Sequence[str]) -> Language:
    nlp = spacy.blank("en")
    for number, target in enumerate(targets):
        textcat = nlp.add_pipe("textcat", name=f"stance_{number}", config={"model": BOW})
        for polarity in (*polarities, NONE):
            textcat.add_label(label(target, polarity))
    return nlp


@dataclass
class DocWords:
    """Every token's word for the classifier, read once per Doc: a sentence is read as
    itself and again as the next one's context, and a Token object made on each reading
    was most of what the classifier cost beside the parser."""

    words: list[str]
    space: list[bool]
    punct: list[bool]
    plain: list[bool]  # a word that is not a name or a number (is_fragment)
    pairs: list[str | None]  # the verb-argument pair a token closes ("lift>embargo")
    negations: list[str | None]  # "not>support" at the negation

    @classmethod
    def of(cls, doc: Doc) -> DocWords:
        """From one ``Doc.to_array``: each token's word (``_word_of``, asked once per distinct
        kind of token and kept for the next Docs), without a Token object each."""
        if not len(doc):
            return cls([], [], [], [], [], [])
        strings = doc.vocab.strings
        table = doc.to_array([LOWER, LEMMA, ENT_TYPE, LIKE_NUM, IS_SPACE, IS_PUNCT, IS_ALPHA, DEP,
                              HEAD])
        names, flags = table[:, :4], table[:, 4:]
        if len(_SPELLED) > SPELLED_KEPT:
            _SPELLED.clear()
        spelled = _SPELLED.get  # a dict lookup per token; the strings only for kinds not seen
        words = [spelled(kind) or _spell(kind, strings)
                 for kind in map(tuple, names.tolist())]
        heads = np.arange(len(doc)) + flags[:, 4].astype("int64")
        deps = flags[:, 3]
        pairs: list[str | None] = [None] * len(words)
        negations: list[str | None] = [None] * len(words)
        for i, head in _where(deps, _ARGUMENT_IDS, heads):
            pairs[i] = f"{words[head]}>{words[i]}"
        for i, head in _where(deps, _NEGATION_IDS, heads):
            negations[i] = f"not>{words[head]}"
        plain = (flags[:, 2] != 0) & (names[:, 2] == 0)
        return cls(words, (flags[:, 0] != 0).tolist(), (flags[:, 1] != 0).tolist(),
                   plain.tolist(), pairs, negations)


def _where(deps: np.ndarray, wanted: np.ndarray, heads: np.ndarray) -> zip[tuple[int, int]]:
    """(token, its head) for the tokens whose dependency is one of ``wanted``."""
    at = np.flatnonzero((deps[:, None] == wanted).any(axis=1))
    return zip(at.tolist(), heads[at].tolist(), strict=True)


# Each (lower, lemma, entity type, like a number) seen, as ``_word_of`` spells it: the ids are
# string hashes, the same in every Vocab, and most of an article's words were in the last one.
_SPELLED: dict[tuple[int, ...], str] = {}
SPELLED_KEPT = 1 << 17


def _spell(kind: tuple[int, ...], strings: StringStore) -> str:
    """``_word_of`` for a kind of token not seen before, kept in ``_SPELLED``."""
    lower, lemma, ent_type, like_num = kind
    return _SPELLED.setdefault(kind, _word_of(
        strings[lower], strings[lemma], strings[ent_type] if ent_type else "", bool(like_num)))


def sentence_words(
    sent: Span, previous: Span | None, marks: Iterable[str], read: DocWords | None = None,
) -> list[str]:
    """The classifier's view of one sentence: its words, the context's, and ``marks``: the
    rules' verdicts (``RulesSaid``) and what their helpers found (stance_facts.py).

    People's and organisations' names become their entity label and numbers ``#`` (see
    ``_word_of``): "Lavrov" or "700,000 barrels" say which article a sentence came from, not
    which way it leans, and a classifier that learns names does well on the articles it saw
    and badly on the next ones. ``read`` is the Doc's words, read once (``DocWords``).
    """
    read = read or DocWords.of(sent.doc)
    here = range(sent.start, sent.end)
    words = [read.words[i] for i in here if not read.space[i]]
    words += [p for i in here if (p := read.pairs[i]) is not None]
    words += [n for i in here if (n := read.negations[i]) is not None]
    if previous is not None:
        words += ["^" + read.words[i] for i in range(previous.start, previous.end)
                  if not read.space[i] and not read.punct[i]]
    words += list(marks)
    return words


def sentence_input(
    vocab: spacy.vocab.Vocab, sent: Span, previous: Span | None, marks: Iterable[str],
    read: DocWords | None = None,
) -> Doc:
    """``sentence_words`` as the Doc a textcat learns from (training's Examples)."""
    return Doc(vocab, words=sentence_words(sent, previous, marks, read) or [""])


# Places and peoples stay words: "Havana", "Washington", "Russian" say which target a sentence
# is about (the partnership, the embargo, normalization) in every article, not only the ones
# trained on; a person's or an organisation's name says little beyond its own article.
KEPT_NAMES = frozenset({"GPE", "NORP", "LOC"})


# A verb and what it acts on ("lift>embargo", "condemn>blockade", "sign>agreement"): the
# deed or the judgement, read from the parse the rules already asked for, whatever lies
# between the two words.
ARGUMENTS = frozenset({"dobj", "pobj", "nsubj", "nsubjpass", "attr", "xcomp"})
# their ids (a dependency label's id is its string's, the same in every Vocab)
_ARGUMENT_IDS = np.array(sorted(get_string_id(label) for label in ARGUMENTS), dtype=np.uint64)
_NEGATION_IDS = np.array([get_string_id("neg")], dtype=np.uint64)


def _word_of(lower: str, lemma: str, ent_type: str, like_num: bool) -> str:
    if ent_type in KEPT_NAMES:
        return lower
    if ent_type:
        return ent_type
    if like_num:
        return "#"
    # The lemma, so "donated", "donates" and "donation's" teach one word: with a few dozen
    # corrected articles, most inflections are seen once or never.
    return lemma.lower() or lower


def is_fragment(sent: Span, read: DocWords | None = None) -> bool:
    """A dateline, a byline, a copyright line, an interview's "A:": fewer than three words that
    are not names or numbers. Such a line states no stance of its own, and a bag of words
    learns nothing from it but the article's topic, so the classifier is neither trained nor
    asked there (the rules' suggestion, if any, stands)."""
    read = read or DocWords.of(sent.doc)
    return sum(read.plain[sent.start : sent.end]) < 3


def sentences(
    doc: Doc, sents: Sequence[Span] | None = None, text: str | None = None,
) -> list[tuple[Span, Span | None]]:
    """Each sentence with the one before it in the same paragraph (none after a blank line).
    ``sents`` and ``text``: the Doc's sentences without those of spaces alone, and its text,
    when the caller has them (``DocContext``).

    Without ``text``, read from the tokens, not ``doc.text``, which spaCy builds anew from
    every token on each access (a whole-document join per call was a third of the
    classifier's cost).
    """
    if sents is None:
        sents = [sent for sent in doc.sents if not all(t.is_space for t in sent)]
    found: list[tuple[Span, Span | None]] = []
    previous: Span | None = None
    for sent in sents:
        if previous is not None:
            first = next(t for t in sent if not t.is_space)
            # from the previous sentence's last word to this one's first
            if text is not None:
                gap = text[doc[previous.end - 1].idx : first.idx]
            else:
                gap = "".join(t.text_with_ws for t in doc[previous.end - 1 : first.i])
            if "\n\n" in gap:
                previous = None
        found.append((sent, previous))
        previous = sent
    return found


def _rules_by_sentence(
    pairs: Sequence[tuple[Span, Span | None]], offset: int, rules: Sequence[StanceSuggestion],
) -> list[list[StanceSuggestion]]:
    """Per sentence, the rules' suggestions that lie within it, in the rules' order. The
    sentences come in order without overlapping, so those holding a suggestion are the ones
    from the first that ends at or after its end to the last that starts at or before its
    start (found by bisection, not by asking every sentence about every suggestion)."""
    starts = [sent.start_char + offset for sent, _previous in pairs]
    ends = [sent.end_char + offset for sent, _previous in pairs]
    found: list[list[StanceSuggestion]] = [[] for _ in pairs]
    for suggestion in rules:
        for i in range(bisect_left(ends, suggestion.end),
                       bisect_right(starts, suggestion.start)):
            found[i].append(suggestion)
    return found


def trimmed(sent: Span, text: str | None = None) -> tuple[int, int]:
    """A sentence's character span without the spaces and line breaks around it (as the
    rules' evidence is). ``text``: the Doc's, when the caller has it (``Span.text`` joins
    the sentence's tokens anew)."""
    text = sent.text if text is None else text[sent.start_char : sent.end_char]
    return (sent.start_char + len(text) - len(text.lstrip()),
            sent.end_char - (len(text) - len(text.rstrip())))


class RulesSaid:
    """The classifier's marks of what the rules said in one Doc, indexed once by where each
    suggestion starts: a scan of every suggestion of the document for each sentence and the
    one before it grew with the square of the document's length."""

    def __init__(self, targets: Sequence[str], offset: int,
                 rules: Sequence[StanceSuggestion]):
        self.targets, self.offset = targets, offset
        kept = sorted(((s.start, n) for n, s in enumerate(rules) if s.target in targets))
        self.starts = [start for start, _n in kept]
        self.order = [n for _start, n in kept]
        self.rules = rules
        self.topic = [f"topic:{n}" for n in sorted({targets.index(rules[i].target)
                                                    for i in self.order})]

    def said(self, span: Span) -> list[str]:
        """``rules:N:polarity`` and ``rule:NAME`` for the suggestions inside ``span``, in
        the order the rules gave them."""
        lo, hi = span.start_char + self.offset, span.end_char + self.offset
        inside = sorted(self.order[bisect_left(self.starts, lo):bisect_right(self.starts, hi)])
        here = [s for n in inside if (s := self.rules[n]).end <= hi]
        return [f"rules:{self.targets.index(s.target)}:{s.polarity}" for s in here] + [
            f"rule:{s.rule}" for s in here if s.rule]

    def tokens(self, sent: Span, previous: Span | None = None) -> list[str]:
        """What the rules said, and which of them said it (``rule:deed``): for this sentence
        (``rules:0:favor``), for the previous one in the paragraph (``^rules:0:favor``: a
        quote after its introduction, "We see in this a victory…" after a sentence about
        normalization), and which targets they found anywhere in the text (``topic:0``: an
        article about the embargo carries it into sentences that never name it)."""
        found = self.said(sent)
        if previous is not None:
            found += ["^" + token for token in self.said(previous)]
        return found + self.topic


# How many words' ids a Scorer keeps (a few MB): an article's words recur in the next, and the
# rules' marks in every sentence.
ORTHS_KEPT = 1 << 17


class Scorer:
    """Each component's class probabilities for sentences given as word lists (numpy arrays).

    Every target's bag-of-words model starts by extracting the same n-grams from the same
    words, half of its cost: where the models have the shape ``TextCatBOW.v3`` builds
    (``with_cpu(extract_ngrams >> resizable(sparse_linear)) >> with_cpu(softmax)``), the
    n-grams are extracted once (``ngram_keys``), straight from the words: a spaCy Doc made per
    sentence only to be read back as its words' ids was a third of the classifier's cost. Each
    model's own layers do the rest. Any other shape is asked whole, with a Doc per sentence.
    """

    def __init__(self, nlp: Language):
        self.vocab = nlp.vocab
        self.components = [component for _name, component in nlp.pipeline]
        self.parts = _bag_of_words_parts(self.components)
        self.orths: dict[str, int] = {}  # each word's ORTH id, asked once

    def __call__(self, sentences: Sequence[Sequence[str]]) -> list[Any]:
        if self.parts is None:
            docs = [Doc(self.vocab, words=list(words) or [""]) for words in sentences]
            return [c.model.ops.to_numpy(c.model.predict(docs)) for c in self.components]
        extract = self.parts[0][0]
        if len(self.orths) > ORTHS_KEPT:
            self.orths.clear()
        keys = ngram_keys(sentences, extract.attrs["ngram_size"], extract.ops, self.orths)
        return [output.ops.to_numpy(output.predict(linear.predict(keys)))
                for _extract, linear, output in self.parts]


def _bag_of_words_parts(components: Sequence[Any]) -> list[tuple[Any, Any, Any]] | None:
    """Each component's (extract_ngrams, sparse linear, softmax) layers, when every one has
    the shape ``TextCatBOW.v3`` builds over ORTH on the CPU with the same n-gram size; else
    None."""
    parts = []
    for component in components:
        model = component.model
        try:
            inner, output = model.layers[0].layers[0], model.layers[1].layers[0]
            extract, linear = inner.layers
        except (IndexError, ValueError):
            return None
        if extract.name != "extract_ngrams" or output.name != "softmax_activation":
            return None
        parts.append((extract, linear, output))
    if not parts or len({(p[0].attrs["ngram_size"], p[0].attrs["attr"]) for p in parts}) != 1:
        return None
    extract = parts[0][0]
    if extract.attrs["attr"] != ORTH or not isinstance(extract.ops, NumpyOps):
        return None
    return parts


def ngram_keys(
    sentences: Sequence[Sequence[str]], size: int, ops: NumpyOps, orths: dict[str, int],
) -> tuple[Any, Any, Any]:
    """What spaCy's ``extract_ngrams(size, ORTH)`` gives for Docs of these words, built from
    the words: (keys, counts, lengths), the keys of each sentence's distinct n-grams of 1 to
    ``size`` words in ascending order (uint64), how often each occurs (float32), and how many
    each sentence has (int32), the sentences one after the other.

    A word's ORTH id is the one spaCy gives it (``get_string_id``: its string's hash, or a
    symbol's fixed id for words such as ``PERSON``), and the n-grams are hashed by the same
    ``ops.ngrams``, over all the sentences' words at once; an n-gram that would run across a
    sentence's end is dropped. The order of the keys matters: the linear layer adds up the
    weights in that order, so the probabilities are the same to the last bit only when it is
    the same (tests/unit/test_stance_keys.py).
    """
    counts = np.fromiter((len(words) for words in sentences), dtype=np.int64,
                         count=len(sentences))
    if not counts.sum():
        return (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.float32),
                np.zeros(len(sentences), dtype=np.int32))
    words = list(chain.from_iterable(sentences))
    try:
        ids = np.fromiter(map(orths.__getitem__, words), dtype=np.uint64, count=len(words))
    except KeyError:  # words not seen before: their ids once, then every word's
        orths.update((w, get_string_id(w)) for w in words if w not in orths)
        ids = np.fromiter(map(orths.__getitem__, words), dtype=np.uint64, count=len(words))
    ends = np.cumsum(counts)
    owner = np.repeat(np.arange(len(sentences)), counts)  # each word's sentence
    keys, owners = [ids], [owner]
    for n in range(2, size + 1):
        grams = ops.ngrams(n, ids)  # grams[i] hashes ids[i : i + n]
        inside = np.flatnonzero(np.arange(n, len(grams) + n) <= ends[owner[: len(grams)]])
        keys.append(grams[inside])
        owners.append(owner[inside])
    # Each sentence's distinct keys in ascending order, as np.unique gives them per Doc: the
    # keys ranked once, then (sentence, rank) pairs made unique in one sort.
    distinct, rank = np.unique(np.concatenate(keys), return_inverse=True)
    pairs, occurrences = np.unique(np.concatenate(owners) * len(distinct) + rank.reshape(-1),
                                   return_counts=True)
    lengths = np.bincount(pairs // len(distinct), minlength=len(sentences))
    return (distinct[pairs % len(distinct)], occurrences.astype(np.float32),
            lengths.astype(np.int32))


@dataclass
class _Asked:
    """What ``combine_many`` reads of one Doc before its sentences are scored."""

    pairs: list[tuple[Span, Span | None]]
    fragment: list[bool]
    asked: list[int]  # the pairs the classifier is asked about (not fragments)
    facts: DocFacts | None
    read: DocWords


@dataclass
class StanceModel:
    """The classifier, the holder weights and the threshold of one trained version."""

    nlp: Language
    targets: list[str]
    polarities: list[str]
    holder: HolderScorer
    speech_verbs: set[str]
    threshold: float = THRESHOLD
    veto: float = VETO
    holder_labels: frozenset[str] = frozenset(HOLDER_LABELS)
    finder: StanceFinder | None = None  # the rules' helpers, for inputs 2 and holders
    inputs: int = INPUTS
    overrule: float | None = None  # None: the threshold (versions trained before it)

    @classmethod
    def load(cls, folder: Path, speech_verbs: set[str],
             holder_labels: frozenset[str] = frozenset(HOLDER_LABELS),
             finder: StanceFinder | None = None) -> StanceModel:
        meta = json.loads((folder / "training.json").read_text(encoding="utf-8"))
        return cls(
            spacy.load(folder / "stance"), list(meta["targets"]), list(meta["polarities"]),
            HolderScorer.load(folder / "holder.json"), speech_verbs,
            float(meta.get("threshold", THRESHOLD)), float(meta.get("veto", VETO)),
            holder_labels, finder, int(meta.get("inputs", 1)),
            float(meta["overrule"]) if "overrule" in meta else None,
        )

    @property
    def overruling(self) -> float:
        return overrule_bar(self.threshold, self.overrule)

    @cached_property
    def scorer(self) -> Scorer:
        return Scorer(self.nlp)

    def facts(self, doc: Doc, reading: Reading | None = None) -> DocFacts | None:
        """What the rules' helpers know about ``doc``, for a version trained to read it."""
        if self.finder is None or self.inputs < 2:
            return None
        return DocFacts.of(self.finder, doc, self.targets, reading)

    def probabilities(
        self, doc: Doc, offset: int, rules: Sequence[StanceSuggestion],
        facts: DocFacts | None = None, read: DocWords | None = None,
    ) -> list[tuple[Span, Span | None, dict[str, dict[str, float]]]]:
        """Per sentence (with the one before it in its paragraph), per target: the
        probability of each polarity and of ``none``."""
        pairs = sentences(doc)
        if not pairs:
            return []
        facts = facts or self.facts(doc)
        tables = self._scored([(pairs, offset, rules, facts, read or DocWords.of(doc))])[0]
        classes = (*self.polarities, NONE)
        rows = [table.tolist() for table in tables]
        return [
            (sent, previous, {target: dict(zip(classes, found[i], strict=True))
                              for target, found in zip(self.targets, rows, strict=True)})
            for i, (sent, previous) in enumerate(pairs)
        ]

    def _scored(
        self, asked: Sequence[tuple[Sequence[tuple[Span, Span | None]], int,
                                    Sequence[StanceSuggestion], DocFacts | None, DocWords]],
    ) -> list[list[np.ndarray]]:
        """Per Doc's (pairs, offset, the rules' suggestions, facts, words), per target, a
        table of the probabilities of its pairs (sentences with the one before,
        ``sentences``): a row per sentence, a column per polarity and ``none``."""
        return self._tables([self._inputs(*one) for one in asked])

    def _inputs(
        self, pairs: Sequence[tuple[Span, Span | None]], offset: int,
        rules: Sequence[StanceSuggestion], facts: DocFacts | None, read: DocWords,
    ) -> list[list[str]]:
        """The classifier's words for each of ``pairs`` (``sentence_words``)."""
        said = RulesSaid(self.targets, offset, rules)
        return [
            sentence_words(sent, previous, said.tokens(sent, previous)
                           + (facts.words(sent, previous) if facts else []), read)
            for sent, previous in pairs
        ]

    def _tables(self, inputs: Sequence[list[list[str]]]) -> list[list[np.ndarray]]:
        """Per Doc's inputs (``_inputs``), per target, its table of probabilities.

        The components' models are asked directly (``Scorer``): their answers are needed
        here, not written into each Doc's ``cats``. Several Docs' sentences (a batch of
        pre-fill's, ``combine_many``) are asked together where the models are bags of words:
        each layer's cost per call is paid once, and a sentence's row does not depend on the
        others asked with it, to the last bit (tests/unit/test_stance_keys.py).
        """
        scorer = self.scorer
        no_rows = [np.zeros((0, len(columns)), dtype=np.float32) for columns in self.columns]
        if scorer.parts is None:  # a Doc per sentence: nothing is shared between Docs
            return [[scores[:, columns] for columns, scores
                     in zip(self.columns, scorer(words), strict=True)] if words else no_rows
                    for words in inputs]
        if not any(inputs):
            return [no_rows for _words in inputs]
        together = scorer(list(chain.from_iterable(inputs)))
        bounds = np.cumsum([0, *map(len, inputs)]).tolist()
        return [[scores[lo:hi, columns] for columns, scores in zip(self.columns, together,
                                                                   strict=True)]
                for lo, hi in pairwise(bounds)]

    @cached_property
    def columns(self) -> list[list[int]]:
        """Per target, where its component puts each polarity and ``none``, in that order."""
        classes = (*self.polarities, NONE)
        return [[component.labels.index(label(target, p)) for p in classes]
                for target, component in zip(self.targets, self.scorer.components,
                                             strict=True)]

    def combine(
        self, doc: Doc, offset: int, rules: list[StanceSuggestion],
        reading: Reading | None = None,
    ) -> list[StanceSuggestion]:
        """The classifier's suggestions where it is sure, the rules' where it abstains
        (``combine_many`` for one Doc)."""
        return self.combine_many([(doc, offset, rules, reading)])[0]

    def combine_many(
        self, items: Sequence[tuple[Doc, int, list[StanceSuggestion], Reading | None]],
    ) -> list[list[StanceSuggestion]]:
        """Per (Doc, offset, the rules' suggestions, their reading): the classifier's
        suggestions where it is sure, the rules' where it abstains.

        The classifier is asked about every sentence but fragments (``is_fragment``), where
        the rules' suggestions stand whatever it would say; and only the sentences that hold
        a rule's suggestion or where it is sure of a polarity are gone through: elsewhere
        nothing is suggested either way, and most sentences hold neither. The Docs'
        sentences are scored together (``_scored``): pre-fill hands in a batch at a time.
        """
        return [stances for stances, _tables in self.decide_many(items)]

    def decide_many(
        self, items: Sequence[tuple[Doc, int, list[StanceSuggestion], Reading | None]],
    ) -> list[tuple[list[StanceSuggestion], list[np.ndarray]]]:
        """``combine_many``, with each Doc's tables of probabilities beside its suggestions
        (per target, a row per sentence asked; none where the classifier is not asked): what
        pre-fill records the starter's doubt from (doubt.py) without asking it again."""
        if self.threshold > 1 and self.veto > 1:
            # cross-validation found it no better than the rules: not asked
            return [(rules, []) for _doc, _offset, rules, _reading in items]
        asked = [self._asked(doc, reading) for doc, _offset, _rules, reading in items]
        tables = self._scored([
            ([found.pairs[i] for i in found.asked], offset, rules, found.facts, found.read)
            for (_doc, offset, rules, _reading), found in zip(items, asked, strict=True)])
        return [(self._decide(offset, rules, reading, found, found_tables), found_tables)
                for (_doc, offset, rules, reading), found, found_tables
                in zip(items, asked, tables, strict=True)]

    def _asked(self, doc: Doc, reading: Reading | None) -> _Asked:
        """A Doc's sentences and which of them the classifier is asked about."""
        read = DocWords.of(doc)
        pairs = sentences(doc, reading.context.sents, reading.context.text) \
            if reading is not None else sentences(doc)
        fragment = [is_fragment(sent, read) for sent, _previous in pairs]
        return _Asked(pairs, fragment, [i for i, left in enumerate(fragment) if not left],
                      self.facts(doc, reading), read)

    def _decide(self, offset: int, rules: list[StanceSuggestion],
                reading: Reading | None, found: _Asked,
                tables: list[np.ndarray]) -> list[StanceSuggestion]:
        """One Doc's suggestions from its probability tables (``combine_many``)."""
        pairs, fragment, asked, facts = found.pairs, found.fragment, found.asked, found.facts
        result: list[StanceSuggestion] = []
        classes = (*self.polarities, NONE)
        # Per target, per sentence asked: its likeliest class (the first of equals, as max()
        # over the classes in order gives it) and that class's probability.
        best = [dict(zip(asked, table.argmax(axis=1).tolist(), strict=True))
                for table in tables]
        top = [dict(zip(asked, table.max(axis=1).tolist(), strict=True)) for table in tables]
        rules_in = _rules_by_sentence(pairs, offset, rules)
        chosen_by: dict[tuple[int, tuple[int, int] | None], Span | None] = {}
        context = reading.context if reading is not None else None

        def choose(sent: Span, rules_holder: tuple[int, int] | None) -> Span | None:
            """The holder scorer's choice in a sentence, made once for all its targets."""
            key = (sent.start, rules_holder)
            if key not in chosen_by:
                chosen_by[key] = self.holder.choose(
                    sent, self.speech_verbs, rules_holder, self.holder_labels,
                    context.ents_within(sent) if context is not None else None)
            return chosen_by[key]
        sure_of_one = {i for found, p in zip(best, top, strict=True) for i, k in found.items()
                       if classes[k] != NONE and p[i] >= self.threshold}
        for i in sorted(sure_of_one | {i for i, here in enumerate(rules_in) if here}):
            sent, previous = pairs[i]
            here = rules_in[i]
            for number, target in enumerate(self.targets):
                ruled = [s for s in here if s.target == target]
                if fragment[i]:
                    result += ruled
                    continue
                chosen_class, probability = classes[best[number][i]], top[number][i]
                sure = self.veto if chosen_class == NONE else self.threshold
                if probability < sure:
                    result += ruled  # the model abstains
                    continue
                if chosen_class == NONE:
                    continue  # the model is sure there is no stance here: a rule's guess goes
                if ruled and probability < self.overruling and not any(
                        s.polarity == chosen_class for s in ruled):
                    result += ruled  # disagreeing, not sure enough to overrule them
                    continue
                if any(s.polarity == chosen_class for s in ruled):
                    # Agreeing with the rules: their suggestion stands, with its evidence and
                    # its holder, which they may have found outside the sentence (a quote's
                    # introduction, the speaker a pronoun names).
                    result += [replace(s, confidence=round(probability, 3))
                               for s in ruled if s.polarity == chosen_class]
                    continue
                rules_holder = (ruled[0].holder[0] - offset, ruled[0].holder[1] - offset) \
                    if ruled and ruled[0].holder else None
                chosen = self._holder(sent, previous, rules_holder, facts, choose,
                                      neutral=chosen_class == NEUTRAL)
                if facts is not None:  # a party an opinion piece judges: its author's
                    chosen = facts.finder.writer_judges(sent, chosen, target, chosen_class,
                                                        facts.reading)
                start, end = trimmed(sent, context.text if context is not None else None)
                result.append(StanceSuggestion(
                    start + offset, end + offset, target, chosen_class,
                    (chosen.start_char + offset, chosen.end_char + offset) if chosen else None,
                    round(probability, 3),
                ))
        return result

    @staticmethod
    def _holder(sent: Span, previous: Span | None, rules_holder: tuple[int, int] | None,
                facts: DocFacts | None,
                choose: Callable[[Span, tuple[int, int] | None], Span | None],
                neutral: bool = False) -> Span | None:
        """The holder of a stance only the classifier found in ``sent``.

        Where no rule spoke on this sentence and target, the rules' holder finder is asked as
        it would be for a rule of theirs (it resolves "he said", a quotation's speaker, "the
        Russian side"); the scorer chooses otherwise, then among the sentence before (a quote
        or a continuation whose speaker it names: "…, the minister said. 'We see in this a
        victory…'"). Where no one is found either way, a signed opinion piece's stance is its
        author's: its headline, its arguments with others' words quoted ("someone discovers
        that the embargo 'has not worked'"), what it was told ("a distributor told me"), which
        the rules' own-voice test leaves without a holder. ``choose`` is the holder scorer's
        choice in a sentence, made once per sentence for all its targets (``combine``).

        A ``neutral`` stance in a background sentence of news copy (the article's own voice
        stating a fact: "The United States has kept an embargo on Cuba since 1962") is
        nobody's, as the rules' background mention is: its subject did something, it took no
        position. The sentence's subject is what the finder and the scorer would give: on the
        development sets the gold had no holder for 33 such stances and one for 11, of which
        the subject was right for 4.
        """
        if (neutral and facts is not None and rules_holder is None
                and facts.author(sent.doc) is None
                and facts.finder.voice.background(sent, facts.reading.context)):
            return None
        chosen = facts.holder(sent) if facts and rules_holder is None else None
        if chosen is None:
            chosen = choose(sent, rules_holder)
        if chosen is None and previous is not None:
            chosen = choose(previous, None)
        if chosen is None and facts is not None:
            chosen = facts.author(sent.doc)
        return chosen
