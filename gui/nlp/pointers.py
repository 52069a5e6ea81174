"""Words that point back to a target named before them: "the decision", "such measures", "it".

Why: news names its topic once and then refers to it. "Washington eased the caps on
remittances. Havana welcomed **the decision**." — "Russia firmly condemns **the move**" after a
paragraph on new sanctions — "I would lift **them** tomorrow" after a question on the
sanctions. The second sentence's stance is plain, but its target's word is in the sentence
before. A pointer is a pronoun ("it", "this", "they", "them") or a noun of the lexicon's
``[context] pointers`` ("decision", "move", "step", "measures", "policy", "path") after "the",
"this", "that", "these", "those" or "such".

A pointer noun stands for the targets named last before it: earlier in its own sentence, else
in up to four sentences before it (a reaction often opens a paragraph of its own in wire copy),
never above a headline; where none is named there, for what was done there (a deed, a measure
opened or closed). A pronoun stands for a noun before it that agrees in number ("it" for "the
embargo", "them" for "the sanctions"): a subject pronoun for the subjects of the sentence
before, else the nearest noun; a target only when that noun is the target's word, and never
across a paragraph that does not continue the one before (context.py).

A pointer is then read as the target itself by the cue rules (stance_cues.py): only a cue that
governs or describes it gives a stance ("welcomed the decision", "condemns the move", "lift
them", "it is cruel"), never a cue elsewhere in the sentence, and only where nothing else in
its sentence spoke of the target; with no cue it is no background mention: only a side's
official's line or an opinion piece's line may still speak of it (stance.py).
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from gui.nlp.context import DocContext
from gui.nlp.lexicon import Lexicon
from gui.nlp.targets import Mention
from gui.nlp.words import WordTable

SINGULAR = {"it", "this", "that"}
PLURAL = {"them", "they", "these", "those"}
_DETERMINERS = {"the", "this", "that", "these", "those", "such"}
# A pronoun stands for a target where the cue rules can read it: an argument of a verb or a
# preposition, never a determiner ("this year") nor an expletive ("it is time to…").
_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "attr"}
_PLURAL_TAGS = {"NNS", "NNPS"}
_NOUNS = {"NOUN", "PROPN"}
PLURAL_WORDS = {"sanctions", "relations", "ties", "restrictions", "measures"}
_CLAUSES = {"xcomp", "ccomp", "acl"}  # "time to lift", "important that"
_LOOK_BACK = 4  # sentences: a reaction a paragraph or two after the act ("the move")


class Pointers:
    """The lexicon's pointer nouns; built once per pipeline."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon, lemmas: bool):
        self.nouns = WordTable.of(lexicon.pointers, lemmas, frozenset({"NOUN"}))
        # the words worth a closer look, as string ids: one array test for the whole Doc
        self.spotted = np.array(sorted({vocab.strings.add(word)
                                        for word in (*SINGULAR, *PLURAL, *self.nouns.table)}),
                                dtype=np.uint64)

    def mentions(
        self, doc: Doc, context: DocContext, mentions: list[Mention],
        acts: dict[int, set[str]],
    ) -> list[Mention]:
        """The pointers of a Doc as mentions of the targets they stand for (``carried``).
        ``acts``: sentence number -> the targets of what was done in it (a deed has no word
        of its target, but "the decision" may point at it); a pointer resolved is one more
        act for the pointers after it ("the measures" … "the move")."""
        if not (mentions or acts) or not context.parsed:
            return []
        named: dict[int, list[Mention]] = {}  # sentence number -> its mentions, in order
        taken = set()
        for mention in mentions:
            sent = context.sentence(mention.span.start)
            if sent is not None:
                named.setdefault(context.number(sent), []).append(mention)
                taken.update(range(mention.span.start, mention.span.end))
        acts = {number: set(names) for number, names in acts.items()}
        found = []
        # the tokens whose form or lemma is a pointer's, found in the Doc's arrays without a
        # Token object per word
        forms = doc.to_array([LOWER, LEMMA])
        at = np.minimum(np.searchsorted(self.spotted, forms), len(self.spotted) - 1)
        for i in np.flatnonzero((self.spotted[at] == forms).any(axis=1)).tolist():
            if i in taken:
                continue
            token = doc[i]
            plural = self._pointer(token)
            if plural is None or any(t.i in taken for t in token.subtree):
                continue  # "the decision to lift the embargo" names what it points at
            sent = context.sentence(token.i)
            if sent is None:
                continue
            number = context.number(sent)
            if token.pos_ == "PRON":
                names = _pronoun_antecedents(token, number, plural, named, context)
                named.setdefault(number, []).extend(  # a pronoun resolved is one more mention
                    Mention(name, doc[token.i : token.i + 1], False, carried=True)
                    for name in names)
            else:
                names = _noun_antecedents(token, number, named, acts, context)
                acts.setdefault(number, set()).update(names)
            found += [Mention(name, doc[token.i : token.i + 1], False, carried=True)
                      for name in names]
        return found

    def _pointer(self, token: Token) -> bool | None:
        """Whether the token points back, and then whether it is plural (None: no pointer;
        False: singular; True: plural; a noun pointer agrees with any target)."""
        lower = token.lower_
        if token.pos_ == "PRON" and token.dep_ in _ARGUMENT_DEPS and token.tag_ != "WDT":
            if lower in SINGULAR and not _expletive(token):
                return False
            if lower in PLURAL:
                return True
            return None
        if token.pos_ == "NOUN" and token.dep_ != "compound" and token in self.nouns and any(
            c.dep_ in ("det", "predet", "amod") and c.lower_ in _DETERMINERS
            for c in token.children
        ):
            return token.tag_ in _PLURAL_TAGS
        return None


def _noun_antecedents(
    token: Token, number: int, named: dict[int, list[Mention]], acts: dict[int, set[str]],
    context: DocContext,
) -> list[str]:
    """The targets named last before a pointer noun, or else acted on, in its own sentence or
    up to ``_LOOK_BACK`` sentences before it, not above a headline."""
    for back in range(number, max(-1, number - _LOOK_BACK - 1), -1):
        names = {m.target for m in named.get(back, ()) if back < number or m.span.end <= token.i}
        if not names and back < number:  # a target named is what "the measures" points at,
            names = acts.get(back, set())  # else what was done ("welcomed the decision")
        if names:
            return sorted(names)
        if back < number and context.headline(back):
            break  # nothing above a headline is this story's
    return []


def _pronoun_antecedents(
    token: Token, number: int, plural: bool, named: dict[int, list[Mention]],
    context: DocContext,
) -> list[str]:
    """The target a pronoun stands for, in its own sentence or the ones it continues."""
    for back in range(number, max(-1, number - _LOOK_BACK - 1), -1):
        if back < number and not context.continues(back + 1):
            return []  # "it" in a new paragraph on another subject
        before = [m for m in named.get(back, ()) if back < number or m.span.end <= token.i]
        found = _pronoun_antecedent(token, context.sents[back], plural, before)
        if found is not None:
            return found
    return []


def _pronoun_antecedent(
    token: Token, sent: Span, plural: bool, before: list[Mention]
) -> list[str] | None:
    """A pronoun stands for a noun before it that agrees in number: a subject for the subjects
    of the sentence before, else the nearest noun or one of those subjects; a target only
    when that noun is the target's word ("the embargo … it", not "with the Cubans …
    congratulate them" nor "Both sides condemned the sanctions. They also…"). None when the
    sentence has no such noun: look further back."""
    end = token.i if sent.start <= token.i < sent.end else sent.end
    resolved = {m.span.start for m in before if m.carried}  # "It is … It is …"
    nouns = [t for t in sent.doc[sent.start : end]
             if (t.i in resolved or (t.pos_ in _NOUNS and t.dep_ not in ("compound", "poss")))
             and _plural(t) == plural]
    if not nouns:
        return None
    subjects = [t for t in nouns if t.dep_ in ("nsubj", "nsubjpass")]
    if token.dep_ in ("nsubj", "nsubjpass") and subjects and end == sent.end:
        chosen = subjects  # a subject goes on with the subject before ("Both sides … They")
    else:
        chosen = [nouns[-1], *(subjects if end == sent.end else ())]
    return sorted({m.target for m in before for t in chosen
                   if m.span.start <= t.i < m.span.end})


def _plural(token: Token) -> bool:
    """A plural noun or pronoun ("sanctions" is plural whatever the tagger says)."""
    return (token.tag_ in _PLURAL_TAGS or token.lower_ in PLURAL_WORDS
            or token.lower_ in PLURAL)


def _expletive(token: Token) -> bool:
    """"It is clear that…", "it seems that…", "it is time to…": an "it" that stands for
    nothing but the clause after it ("it is designed to punish" stands for something)."""
    head = token.head
    if token.lower_ != "it" or head.i == token.i:
        return False
    if any(c.dep_ == "ccomp" for c in head.children):
        return True
    return head.lemma_ == "be" and any(
        c.dep_ in ("attr", "acomp") and any(g.dep_ in _CLAUSES for g in c.children)
        for c in head.children
    )
