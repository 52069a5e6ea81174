"""Stance suggestions: per sentence, which target, which polarity, who holds it, how sure.

How a suggestion is made (the lexicon, resources/stance/lexicon.toml, holds the words):
1. Targets: the schema's cues (and the lexicon's extra ones) matched with PhraseMatchers, on
   lemmas and on lower-cased inflected forms, plus the entities the schema links to a target.
   (PhraseMatcher, not Matcher with IN lists: a hash lookup per token, not a predicate per cue.)
2. Polarity: from the target, walk up the dependency tree to the first cue that governs it
   ("rejects the blockade", "its rejection of the blockade"). Removal words on the way flip it
   ("calls for the elimination of the blockade" is against the blockade), and so does a
   negation on the way or on a verb above the cue ("did not support", "refused to back").
   Failing that, cues that say something about the target ("the illegal blockade", "sanctions
   are a relic", "the embargo has failed"), then fixed phrases anywhere in the sentence, then
   (weakest, and the only way without a parser) the nearest cue before the target.
3. Holder: the grammatical subject of the cue's verb when it is an entity; else the speaker of
   the reporting verb above it ("..., Peskov said"), "according to X", or a possessor.
4. Confidence: the cue's weight, lowered with distance and for weaker evidence; below the
   threshold nothing is suggested. Reported speech does not flip a stance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from gui.core.schema import Schema
from gui.nlp.lexicon import Cue, Lexicon

# Entity labels that can take a stance (a date or a law cannot).
HOLDER_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
_OPPOSITE = {"against": "favor", "favor": "against"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_PREDICATE_DEPS = {"attr", "acomp", "oprd", "xcomp", "dobj"}
_LINEAR_WINDOW = 8
_MAX_DEPTH = 40  # a parse is a tree, but a bound costs nothing
# Edges from a cue up to the words that can still turn it: "refused to support", "warned
# against deepening" (but not across a reported clause's speech verb).
_OUTER_DEPS = {"xcomp", "ccomp", "conj", "pcomp", "pobj", "prep"}


@dataclass(frozen=True)
class StanceSuggestion:
    start: int
    end: int
    target: str
    polarity: str
    holder: tuple[int, int] | None
    confidence: float


@dataclass(frozen=True)
class _Finding:
    polarity: str
    score: float
    anchor: Token | None  # the cue word the holder is looked up from


def inflections(word: str) -> set[str]:
    """Inflected forms of an English lemma, for matching where there is no lemmatizer."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "ed"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    short_vowel = len(word) > 2 and word[-2] in "aeiou" and word[-3] not in "aeiou"
    if short_vowel and word[-1] not in "aeiouwxy":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def _flip(polarity: str) -> str:
    return _OPPOSITE.get(polarity, polarity)


class StanceFinder:
    """Built once per pipeline and lexicon; ``find`` runs per Doc (cheap next to the model)."""

    def __init__(self, nlp: Language, schema: Schema, lexicon: Lexicon, threshold: float):
        self.lexicon = lexicon
        self.threshold = threshold
        self.use_lemmas = "lemmatizer" in nlp.pipe_names
        vocab = nlp.vocab
        self.target_phrases = PhraseMatcher(vocab, attr="LOWER")
        self.target_lemma_phrases = PhraseMatcher(vocab, attr="LEMMA")
        self.target_entities: dict[str, str] = {}
        for target in schema.targets:
            for cue in (*target.cues, *lexicon.target_cues.get(target.name, ())):
                words = cue.split()
                if len(words) == 1 and "-" not in cue:
                    lower = cue.lower()
                    plural = lower.endswith("s") and not lower.endswith("ss")
                    lemma = lower[:-1] if plural else lower
                    forms = sorted(inflections(lemma) | {lower})
                    self.target_phrases.add(target.name, [nlp.make_doc(f) for f in forms])
                    if self.use_lemmas:
                        self.target_lemma_phrases.add(
                            target.name, [Doc(vocab, words=[lemma], lemmas=[lemma])]
                        )
                else:
                    self.target_phrases.add(target.name, [nlp.make_doc(cue)])
                    if self.use_lemmas:
                        self.target_lemma_phrases.add(target.name, [nlp(cue)])
            for text in target.entities:
                self.target_entities[text.lower()] = target.name
        self.phrases = PhraseMatcher(vocab, attr="LOWER")
        self.phrase_cues: dict[str, Cue] = {}
        for number, cue in enumerate(lexicon.phrase_cues()):
            key = f"cue{number}"
            self.phrase_cues[key] = cue
            self.phrases.add(key, [nlp.make_doc(cue.text)])
        self.object_cues = self._forms(lexicon.lemma_cues("object"))
        self.subject_cues = self._forms(lexicon.lemma_cues("subject"))
        self.negation_words = lexicon.negation_words
        self.negation_verbs = self._forms({w: w for w in lexicon.negation_verbs})
        self.removal = self._forms({w: w for w in lexicon.removal})
        self.reporting = self._forms({w: w for w in lexicon.reporting_verbs})
        self.attribution = [[t.lower_ for t in nlp.make_doc(p)] for p in lexicon.attribution]

    @staticmethod
    def _forms(by_lemma: dict[str, Any]) -> dict[str, Any]:
        """Lemma -> value, plus every inflected form, so a token is found by lemma or form."""
        table: dict[str, Any] = {}
        for lemma, value in by_lemma.items():
            for form in inflections(lemma):
                table.setdefault(form, value)
        table.update(by_lemma)
        return table

    def _key(self, token: Token) -> str:
        return token.lemma_.lower() if self.use_lemmas and token.lemma_ else token.lower_

    def _lookup(self, table: dict[str, Any], token: Token) -> Any:
        found = table.get(self._key(token))
        return found if found is not None else table.get(token.lower_)

    # ---- finding targets ------------------------------------------------------------------

    def _mentions(self, doc: Doc) -> list[tuple[str, Span]]:
        strings = doc.vocab.strings
        found: dict[tuple[int, int, str], Span] = {}
        for matcher in (self.target_phrases, self.target_lemma_phrases):
            if len(matcher) == 0:  # a schema without stance targets, or without phrases
                continue
            for match_id, start, end in matcher(doc):
                found.setdefault((start, end, strings[match_id]), doc[start:end])
        for ent in doc.ents:
            target = self.target_entities.get(ent.text.lower())
            if target:
                found.setdefault((ent.start, ent.end, target), ent)
        # "allies" inside "strategic allies": keep the longer mention of the same target.
        return [
            (name, span)
            for (start, end, name), span in sorted(found.items())
            if not any(
                other_name == name and s <= start and end <= e and (s, e) != (start, end)
                for (s, e, other_name) in found
            )
        ]

    # ---- the public entry point -----------------------------------------------------------

    def find(self, doc: Doc, offset: int = 0) -> list[StanceSuggestion]:
        """Suggestions for one Doc; character offsets are shifted by ``offset`` (chunks)."""
        mentions = self._mentions(doc)
        if not mentions:
            return []
        parsed = doc.has_annotation("DEP")
        strings = doc.vocab.strings
        phrase_hits = [
            (start, end, self.phrase_cues[strings[m]]) for m, start, end in self.phrases(doc)
        ] if len(self.phrases) else []
        holders = {
            token.i: ent for ent in doc.ents if ent.label_ in HOLDER_LABELS for token in ent
        }
        best: dict[tuple[int, str], tuple[_Finding, Span]] = {}
        target_root: dict[tuple[int, str], Token] = {}
        for name, span in mentions:
            sent = span.sent if parsed or doc.has_annotation("SENT_START") else doc[:]
            inside = set(range(span.start, span.end))
            candidates = []
            if parsed:
                candidates.append(self._governing(span.root, inside))
                candidates.append(self._described(span.root, inside))
            candidates.append(self._phrases(sent, phrase_hits))
            candidates.append(self._linear(span, sent, inside, 0.75 if parsed else 0.9))
            findings = [c for c in candidates if c is not None]
            if not findings:
                continue
            finding = max(findings, key=lambda f: f.score)
            rival = max(
                (f.score for f in findings if f.polarity != finding.polarity), default=0.0
            )
            finding = _Finding(finding.polarity, finding.score - rival / 2, finding.anchor)
            key = (sent.start, name)
            if key not in best or best[key][0].score < finding.score:
                best[key] = (finding, sent)
                target_root[key] = span.root
        suggestions = []
        for (_sent_start, name), (finding, sent) in sorted(best.items()):
            holder_span = self._holder(finding.anchor, sent, holders, parsed, target_root[key])
            score = min(0.99, finding.score + (0.05 if holder_span is not None else 0.0))
            if score < self.threshold:
                continue
            start, end = _trimmed(doc.text, sent.start_char, sent.end_char)
            holder = (
                (holder_span.start_char + offset, holder_span.end_char + offset)
                if holder_span is not None else None
            )
            suggestions.append(
                StanceSuggestion(start + offset, end + offset, name, finding.polarity, holder,
                                 round(score, 3))
            )
        return suggestions

    # ---- polarity -------------------------------------------------------------------------

    def _negated(self, token: Token) -> bool:
        return any(
            c.dep_ == "neg"
            or (c.dep_ in ("det", "advmod", "preconj") and c.lower_ in self.negation_words)
            for c in token.children
        )

    def _governing(self, target: Token, inside: set[int]) -> _Finding | None:
        """The first cue above the target in the tree, flipped by removals and negations."""
        sign, negated, steps, node = 1, False, 0, target
        while node.head.i != node.i and steps < _MAX_DEPTH:
            node = node.head
            steps += 1
            if node.i in inside:
                continue
            if self._lookup(self.reporting, node) is not None:
                return None  # reported speech: the stance is in the clause below the speech verb
            if self._negated(node):
                sign, negated = -sign, True
            if self._lookup(self.removal, node) is not None:
                sign = -sign
                continue
            cue = self._lookup(self.object_cues, node)
            if cue is None:
                continue
            up, hops = node, 0
            while up.dep_ in _OUTER_DEPS and up.head.i != up.i:
                up, hops = up.head, hops + 1
                if self._lookup(self.reporting, up) is not None:
                    break
                if self._negated(up) or self._lookup(self.negation_verbs, up) is not None:
                    sign, negated = -sign, True
                outer = self._lookup(self.object_cues, up) if hops <= 2 else None
                if outer is not None and outer.polarity == "against":
                    sign = -sign  # "warned against deepening ties", "rejected strengthening"
            polarity = cue.polarity if sign > 0 else _flip(cue.polarity)
            distance = 1.0 if steps <= 3 else 0.85 if steps <= 5 else 0.7
            return _Finding(polarity, cue.weight * distance * (0.9 if negated else 1.0), node)
        return None

    def _described(self, target: Token, inside: set[int]) -> _Finding | None:
        """A cue that says something about the target: its modifier, or its predicate."""
        flip = False
        head = target.head.head if target.dep_ == "pobj" else target.head
        if target.dep_ in ("dobj", "pobj") and self._lookup(self.removal, head) is not None:
            target, flip = head, True  # "lifting the embargo would reward repression"
        words: list[tuple[Token, Token]] = []  # (cue word, the verb whose negation counts)
        words += [(c, c) for c in target.children if c.dep_ in ("amod", "appos", "acl", "relcl")]
        verb = target.head
        if target.dep_ in _SUBJECT_DEPS and verb.i != target.i:
            words.append((verb, verb))
            for child in verb.children:
                if child.dep_ in _PREDICATE_DEPS:
                    words.append((child, verb))
                    words += [(g, verb) for g in child.children if g.dep_ in ("amod", "acomp")]
        if target.dep_ == "dobj":  # "described the sanctions as a relic"
            for prep in verb.children:
                if prep.dep_ == "prep" and prep.lower_ == "as":
                    words += [(p, verb) for p in prep.children if p.dep_ == "pobj"]
                if prep.dep_ in ("oprd", "xcomp"):
                    words.append((prep, verb))
        for word, verb in words:
            if word.i in inside:
                continue
            cue = self._lookup(self.subject_cues, word)
            if cue is None:
                continue
            negated = self._negated(word) or (verb.i != word.i and self._negated(verb))
            polarity = _flip(cue.polarity) if negated != flip else cue.polarity
            return _Finding(polarity, cue.weight * 0.95, verb)
        return None

    @staticmethod
    def _phrases(sent: Span, hits: Iterable[tuple[int, int, Cue]]) -> _Finding | None:
        chosen = [cue for start, end, cue in hits if sent.start <= start and end <= sent.end]
        if not chosen:
            return None
        cue = max(chosen, key=lambda c: c.weight)
        anchor = sent.root if sent.doc.has_annotation("DEP") else None
        return _Finding(cue.polarity, cue.weight * 0.8, anchor)

    def _linear(self, span: Span, sent: Span, inside: set[int], factor: float) -> _Finding | None:
        """The nearest cue before the target in the same sentence: the rule without a parse."""
        sign = 1
        start = max(sent.start, span.start - _LINEAR_WINDOW)
        for i in range(span.start - 1, start - 1, -1):
            token = span.doc[i]
            if i in inside:
                continue
            if self._lookup(self.removal, token) is not None:
                sign = -sign
                continue
            cue = self._lookup(self.object_cues, token)
            if cue is None:
                continue
            before = span.doc[max(sent.start, i - 3) : i]
            if any(t.lower_ in self.negation_words for t in before) or any(
                self._lookup(self.negation_verbs, t) is not None for t in before
            ):
                sign = -sign
            polarity = cue.polarity if sign > 0 else _flip(cue.polarity)
            distance = 1.0 if span.start - i <= 4 else 0.85
            return _Finding(polarity, cue.weight * factor * distance, token)
        return None

    # ---- holder ---------------------------------------------------------------------------

    def _holder(
        self, anchor: Token | None, sent: Span, holders: dict[int, Span], parsed: bool,
        target: Token,
    ) -> Span | None:
        """Who takes the stance: the cue's own subject if that is an entity, else the speaker."""
        if not parsed:
            return self._holder_linear(anchor, sent, holders)
        node = anchor if anchor is not None else sent.root
        clause = node
        for _ in range(_MAX_DEPTH):
            if node.dep_ != "poss":
                owner = next((c for c in node.children if c.dep_ == "poss"), None)
                if owner is not None and owner.i in holders:  # "Russia's rejection of"
                    return holders[owner.i]
            subject = self._subject(node)
            if subject is not None:
                if subject.i == target.i or target in subject.subtree:
                    break  # "the US embargo failed": the target is not its own holder
                found = self._entity(subject, holders)
                if found is not None:
                    return found
                break  # "the minister condemned": a subject, but not one we can point at
            if node.dep_ in ("ccomp", "parataxis") or node.head.i == node.i:
                break  # a reported clause without its own subject: the speaker's
            node = node.head
            clause = node
        speaker = self._speaker(clause, holders)
        if speaker is not None:
            return speaker[0]
        return self._according_to(sent, holders)

    @staticmethod
    def _subject(node: Token) -> Token | None:
        """A clause's subject; a passive's agent ("was quoted by Granma")."""
        subjects = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:  # the nearest: a dateline parsed as a second subject is further away
            return min(subjects, key=lambda c: abs(c.i - node.i))
        for child in node.children:
            if child.dep_ == "agent":
                return next((g for g in child.children if g.dep_ == "pobj"), None)
        return None

    def _entity(self, token: Token, holders: dict[int, Span]) -> Span | None:
        """The entity a subject stands for: itself, its name ("spokesman Peskov", "the envoy,
        Vassily Nebenzia") or what it is made of ("a majority of Cuban Americans")."""
        if token.i in holders:
            return holders[token.i]
        for child in token.children:
            if child.dep_ in ("appos", "compound") and child.i in holders:
                return holders[child.i]
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.i in holders:
                        return holders[pobj.i]
        return None

    def _speaker(self, node: Token, holders: dict[int, Span]) -> tuple[Span | None] | None:
        """The subject of the nearest reporting verb above ``node`` or beside it ("..., he
        said"), following "and said" back to the first verb's subject. ``(None,)`` when there is
        a speaker but not an entity (so "according to" a newspaper does not replace "he")."""
        verbs: list[Token] = [a for a in [node, *node.ancestors]
                              if self._lookup(self.reporting, a) is not None]
        root = node.sent.root
        if self._lookup(self.reporting, root) is None:
            verbs += [c for c in root.children if c.dep_ in ("parataxis", "advcl", "conj")
                      and self._lookup(self.reporting, c) is not None]
        for verb in verbs:
            current = verb
            for _ in range(_MAX_DEPTH):
                subject = self._subject(current)
                if subject is not None:
                    return (self._entity(subject, holders),)
                if current.dep_ not in ("conj", "xcomp", "advcl") or current.head.i == current.i:
                    break
                current = current.head
        return None

    def _according_to(self, sent: Span, holders: dict[int, Span]) -> Span | None:
        """The entity after an attribution phrase of the lexicon ("according to Granma")."""
        words = [t.lower_ for t in sent]
        for phrase in self.attribution:
            size = len(phrase)
            for i in range(len(words) - size):
                if words[i : i + size] == phrase:
                    following = sent[i + size]
                    return holders.get(following.i) or next(
                        (holders[t.i] for t in following.subtree if t.i in holders), None
                    )
        return None

    def _holder_linear(
        self, anchor: Token | None, sent: Span, holders: dict[int, Span]
    ) -> Span | None:
        """Without a parse: the last entity before the cue, else one next to a speech verb."""
        if anchor is not None:
            for i in range(anchor.i - 1, max(sent.start, anchor.i - _LINEAR_WINDOW) - 1, -1):
                if i in holders:
                    return holders[i]
        for token in sent:
            if self._lookup(self.reporting, token) is not None:
                for i in (token.i - 1, token.i + 1):
                    if sent.start <= i < sent.end and i in holders:
                        return holders[i]
        return None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence's span without the spaces and line breaks around it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
