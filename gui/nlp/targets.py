"""Which stance targets a sentence is about: named by a cue, or by a relation word and its sides.

Why two kinds of mention: news names a target by its own words ("the embargo", "strategic
partnership"), but just as often by a word for a relation that does not say between whom
("bilateral ties", "friendship", "cooperation", "our countries are allies"). For those the
parties named around the word decide: a relation target of the lexicon lists the words for each
of its two sides (Russia, Moscow, the Kremlin / Cuba, Havana), and the target whose *own* side
(the one no other target shares) is named closest to the word wins: first in the word's own
phrase ("relations between Havana and Washington"), then in the sentence, then in the whole
document (an article about Moscow and Havana speaks of "the two countries").
People take the side named in their title ("Russian Foreign Minister Sergei Lavrov"), and keep
it for the rest of the document ("Lavrov", "Putin").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from gui.core.schema import Schema
from gui.nlp.context import DocContext
from gui.nlp.lexicon import Lexicon
from gui.nlp.words import inflections

# Words of a title before a name: "Russian Deputy Foreign Minister Sergei Ryabkov".
_TITLE_POS = {"PROPN", "NOUN", "ADJ", "DET", "PUNCT", "PART"}
_TITLE_WINDOW = 7
_TITLE_DEPS = {"poss", "amod", "compound", "nmod"}  # a title's words around its noun
_PARTIES = {"NORP", "GPE", "ORG"}  # entities that are sanctioned
# the imposer before the word: "Western", "European", "Canadian" (an organisation there is as
# often a misparse: "tells TASS sanctions … are doomed")
_IMPOSERS = {"NORP", "GPE"}

Side = tuple[str, int]  # (target name, 0 or 1)
SUPPORT_WEIGHT = 0.85  # object cues this strong are support when one side does it to the other
ADVOCATE, TURN = "advocate", "turn"  # keys of the words other rules look at where they occur


@dataclass(frozen=True)
class Mention:
    target: str
    span: Span
    generic: bool  # named by a relation word, its target chosen by the sides around it
    carried: bool = False  # a word pointing back to it ("the decision", "it"): pointers.py
    near: bool = False  # a relation word whose own phrase names the side that decided it


# The kinds of words the finder's matchers look for; a match's key is "kind\tname".
CUE, SIDE, DEED, GOODS, RELATION = "cue", "side", "deed", "goods", "relation"
KINDS = (CUE, SIDE, DEED, GOODS, RELATION)
# kind -> (name, start token, end token) of each match, from ``TargetFinder.matches``
Matches = dict[str, list[tuple[str, int, int]]]


class TargetFinder:
    """PhraseMatchers for target cues, relation words, side words, deed and goods words; built
    once. Every kind of word is in the same two matchers (by form and by lemma), so a Doc is
    matched twice, not once per kind (``matches``)."""

    def __init__(self, nlp: Language, schema: Schema, lexicon: Lexicon):
        self.use_lemmas = "lemmatizer" in nlp.pipe_names
        vocab = nlp.vocab
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.lemma = PhraseMatcher(vocab, attr="LEMMA")
        # match id -> (kind, name), kept as each key is added: not its string read back and
        # split at every match of every Doc
        self.keys: dict[int, tuple[str, str]] = {}
        self.entities: dict[str, str] = {}
        for target in schema.targets:
            for cue in (*target.cues, *lexicon.target_cues.get(target.name, ())):
                self._add(nlp, CUE, target.name, cue)
            for text in target.entities:
                self.entities[text.lower()] = target.name
        names = set(schema.target_names)
        self.sides: dict[str, list[set[str]]] = {
            name: sides for name, sides in lexicon.target_sides.items()
            if name in names and all(sides)
        }
        shared = Counter(word for sides in self.sides.values() for side in sides for word in side)
        # A side is a target's own when none of its words belongs to another target.
        self.own_side: dict[str, int] = {}
        for name, sides in self.sides.items():
            own = [n for n, side in enumerate(sides) if all(shared[w] == 1 for w in side)]
            if len(own) == 1:
                self.own_side[name] = own[0]
        # the same words without their dots: "U.S." is one token, "u.s." as a pattern is two
        self.side_names = {w.replace(".", "") for sides in self.sides.values() for side in sides
                           for w in side}
        for name, sides in self.sides.items():
            for number, side in enumerate(sides):
                key = f"{SIDE}\t{name}\t{number}"
                self.keys[vocab.strings.add(key)] = (SIDE, f"{name}\t{number}")
                self.lower.add(key, [nlp.make_doc(w) for w in sorted(side)])
        # Deed words, found by the matchers (a hash lookup per token) rather than a loop.
        for cue in (*lexicon.lemma_cues("deed"), *lexicon.standing):
            self._add(nlp, DEED, "deed", cue)
        for word in lexicon.goods:
            self._add(nlp, GOODS, "goods", word)
        # Strong support verbs count as deeds when one side supports the other ("Moscow will
        # continue to support Havana"): the relation is what is supported.
        for cue in lexicon.lemma_cues("object").values():
            if cue.polarity == "favor" and cue.weight >= SUPPORT_WEIGHT:
                self._add(nlp, DEED, "support", cue.text)
        # Words that other rules look at only where they occur, found by the same two matcher
        # calls: advocates ("critics", "supporters") and the verbs that open up or close down a
        # relation's measures ("reopened", "capped").
        for word in lexicon.advocates:
            self._add(nlp, DEED, ADVOCATE, word)
        for verbs in (*lexicon.opening.values(), *lexicon.closing.values()):
            for word in verbs:
                self._add(nlp, DEED, TURN, word)
        if self.sides:
            for cue in lexicon.relation_cues:
                self._add(nlp, RELATION, "relation", cue)

    def _add(self, nlp: Language, kind: str, name: str, cue: str) -> None:
        key = f"{kind}\t{name}"
        self.keys[nlp.vocab.strings.add(key)] = (kind, name)
        lower, lemma = self.lower, self.lemma
        words = cue.split()
        if len(words) == 1 and "-" not in cue:
            text = cue.lower()
            plural = text.endswith("s") and not text.endswith("ss")
            root = text[:-1] if plural else text
            lower.add(key, [nlp.make_doc(f) for f in sorted(inflections(root) | {text})])
            if self.use_lemmas:
                lemma.add(key, [Doc(nlp.vocab, words=[root], lemmas=[root])])
        else:
            lower.add(key, [nlp.make_doc(cue)])
            if self.use_lemmas:
                lemma.add(key, [nlp(cue)])

    def matches(self, doc: Doc) -> Matches:
        """Every word of every kind in the Doc: kind -> (name, start, end), those by form
        first, then those by lemma."""
        keys = self.keys
        found: Matches = {kind: [] for kind in KINDS}
        for matcher in (self.lower, self.lemma):
            if len(matcher):  # a schema without stance targets, or without phrases
                for match_id, start, end in matcher(doc):
                    kind, name = keys[match_id]
                    found[kind].append((name, start, end))
        return found

    # ---- sides ----------------------------------------------------------------------------

    def side_map(self, doc: Doc, ents: Sequence[Span], matches: Matches) -> dict[int, set[Side]]:
        """Token -> the sides it names: side words, and people by the side in their title.
        ``ents``: the Doc's entities, read once (``DocContext.ents``); ``matches``: its
        words (``matches``)."""
        if not self.sides:
            return {}
        found: dict[int, set[Side]] = {}
        entity_start: dict[int, int] = {}  # token -> where its entity opens, past a "the":
        for ent in ents:  # "the Russian Federation" opens with its side word all the same
            opening = ent.start + (len(ent) > 1 and ent[0].lower_ == "the")
            entity_start.update(dict.fromkeys(range(ent.start, ent.end), opening))
        for key, start, end in matches[SIDE]:
            if entity_start.get(start, start) != start:
                continue  # "Latin American" is not American: a side word opens its entity
            if end - start == 1 and doc[start].pos_ == "PRON":
                continue  # "count on us" names no United States
            name, number = key.split("\t")
            for i in range(start, end):
                found.setdefault(i, set()).add((name, int(number)))
        people: dict[str, set[Side]] = {}
        for ent in ents:
            if ent.label_ != "PERSON":
                continue
            surname = ent[-1].lower_
            title = self.title(ent)
            sides = set().union(*(found.get(t.i, set()) for t in title)) if title else set()
            if sides:
                people.setdefault(surname, set()).update(sides)
            for i in range(ent.start, ent.end):
                found.setdefault(i, set()).update(people.get(surname, set()))
        return {i: s for i, s in found.items() if s}

    @staticmethod
    def title(ent: Span) -> list[Token]:
        """The words of a title just before a name, and its appositions ("Cuba's leader")."""
        doc = ent.doc
        title = []
        for i in range(ent.start - 1, max(0, ent.start - _TITLE_WINDOW) - 1, -1):
            token = doc[i]
            if token.pos_ not in _TITLE_POS or token.text in {",", "(", ")"}:
                break
            title.append(token)
            if token.is_sent_start:
                break
        if ent.doc.has_annotation("DEP"):  # Token.subtree without a parse can crash spaCy
            title += [t for t in ent.root.subtree if t.i < ent.start or t.i >= ent.end]
            head = ent.root.head
            if ent.root.dep_ == "appos":  # "Russia's deputy representative, Dmitry Sokolov,"
                title += [head, *(t for c in head.children if c.dep_ in _TITLE_DEPS
                                  for t in c.subtree)]
            if ent.root.dep_ == "nsubj" and head.lemma_ == "be":  # "X is Russia's ambassador"
                title += [t for c in head.children if c.dep_ == "attr" for t in c.subtree]
        return title

    # ---- mentions -------------------------------------------------------------------------

    def mentions(
        self, doc: Doc, sides: dict[int, set[Side]], context: DocContext, matches: Matches,
    ) -> list[Mention]:
        found: dict[tuple[int, int, str], Span] = {}
        for name, start, end in matches[CUE]:
            found.setdefault((start, end, name), doc[start:end])
        text = context.text  # Span.text would join the entity's tokens again
        for ent in context.ents:
            target = self.entities.get(text[ent.start_char : ent.end_char].lower())
            if target:
                found.setdefault((ent.start, ent.end, target), ent)
        # "allies" inside "strategic allies": keep the longer mention of the same target.
        spans_of: dict[str, list[tuple[int, int]]] = {}
        for start, end, name in found:
            spans_of.setdefault(name, []).append((start, end))
        mentions = [
            Mention(name, span, False)
            for (start, end, name), span in sorted(found.items())
            if not any(s <= start and end <= e and (s, e) != (start, end)
                       for s, e in spans_of[name])
        ]
        named = {i for m in mentions for i in range(m.span.start, m.span.end)}
        document = Counter(side for found in sides.values() for side in found)
        mentions += self._relations(doc, sides, document, named, context, matches)
        return [m for m in mentions if self._between_its_sides(m, document)
                and not (context.parsed and self._someone_elses(m, sides))]

    def _someone_elses(self, mention: Mention, sides: dict[int, set[Side]]) -> bool:
        """Whether a target without sides (the embargo: "sanctions", "restrictions") is named
        as another party's measure or one on another party: "Western sanctions", "European
        sanctions", "sanctions on Russia". The imposer named must be a party of a relation
        target ("US sanctions"), and the one it is imposed on a party every relation shares
        ("sanctions on Havana")."""
        if mention.target in self.sides or mention.generic:
            return False
        for child in mention.span.root.children:
            if child.i >= mention.span.start and child.i < mention.span.end:
                continue
            if (child.dep_ in _TITLE_DEPS and child.ent_type_ in _IMPOSERS and child.i not in sides
                    and child.lower_.replace(".", "") not in self.side_names):
                return True  # "Western sanctions": an imposer no relation target names
            if child.dep_ == "prep" and child.lower_ in ("on", "against"):
                for party in child.children:
                    if party.dep_ == "pobj" and party.ent_type_ in _PARTIES and not any(
                        side[1] != self.own_side.get(side[0]) for side in sides.get(party.i, ())
                    ):
                        return True  # "sanctions on Russia", "against Venezuela"
        return False

    def _between_its_sides(self, mention: Mention, document: Counter[Side]) -> bool:
        """Whether the document names the parties a relation target is between: a relation
        word needs both ("the Kremlin's ties with Beijing" is no Russia–Cuba tie), a cue at
        least one ("cooperation with his Senate colleagues" in an article about neither)."""
        if mention.target not in self.sides:
            return True
        named = [document[(mention.target, side)] > 0 for side in (0, 1)]
        return all(named) if mention.generic else any(named)

    def _relations(
        self, doc: Doc, sides: dict[int, set[Side]], document: Counter[Side], named: set[int],
        context: DocContext, matches: Matches,
    ) -> list[Mention]:
        spans = {(start, end) for _name, start, end in matches[RELATION]}
        if not spans:
            return []
        # "Soviet Union" is no union
        in_entity = {i for ent in context.ents for i in range(ent.start, ent.end)}
        mentions = []
        for start, end in sorted(spans):
            span = doc[start:end]
            sent = context.sentence(start)
            if sent is None or start in in_entity or span.root.pos_ == "VERB" or self._part_of(
                span.root, named, context.parsed
            ):
                continue  # "companies linked to the army" name no links between anyone
            target, near = self.resolve(span, sent, sides, document, context.parsed)
            if target is not None:
                mentions.append(Mention(target, span, True, near=near))
        return mentions

    def is_party(self, holder: Span, target: str, sides: dict[int, set[Side]]) -> bool:
        """Whether a holder is one of the two sides of a relation target."""
        return target in self.sides and any(
            side[0] == target for i in range(holder.start, holder.end)
            for side in sides.get(i, ())
        )

    @staticmethod
    def deeds(
        doc: Doc, matches: Matches,
    ) -> tuple[list[tuple[Token, bool]], dict[str, list[Token]]]:
        """The tokens that are deed words or support verbs (True), in order; and the tokens
        that are advocates (``ADVOCATE``) or verbs of opening or closing (``TURN``)."""
        found: dict[int, bool] = {}
        spotted: dict[str, set[int]] = {ADVOCATE: set(), TURN: set()}
        for name, start, _end in matches[DEED]:
            if name in spotted:
                spotted[name].add(start)
            else:
                found[start] = found.get(start, True) and name == "support"
        return ([(doc[i], found[i]) for i in sorted(found)],
                {key: [doc[i] for i in sorted(at)] for key, at in spotted.items()})

    @staticmethod
    def goods(doc: Doc, matches: Matches) -> list[Token]:
        """The tokens that name goods one side may send the other, in order."""
        return [doc[i] for i in sorted({start for _name, start, _end in matches[GOODS]})]

    @staticmethod
    def _part_of(token: Token, named: set[int], parsed: bool) -> bool:
        """Whether a relation word belongs to a named target's phrase ("normalization of
        relations", "the relations' normalization", "strategic partnership")."""
        near = [token, token.head, token.head.head, *token.children] if parsed else [token]
        return any(t.i in named for t in near)

    def resolve(
        self, span: Span, sent: Span, sides: dict[int, set[Side]], document: Counter[Side],
        parsed: bool,
    ) -> tuple[str | None, bool]:
        """The relation target whose own side is named nearest the relation word, and whether
        its own phrase named it (an adjective's is the noun it qualifies: "brotherly
        Russia")."""
        own: list[Token] = []
        phrase: list[Token] = []
        root = span.root
        if parsed:  # without a parse, the sentence and the document decide
            # "dialogue between Havana and Washington", "the brotherly Russian people"
            own = list((root.head if _modifier(root) else root).subtree)
        if parsed and root.head.i != root.i:  # "ties with Moscow", "Russia seeks closer ties"
            phrase = own + [t for c in root.head.children
                            if c.dep_ in ("prep", "agent", "nsubj", "nsubjpass")
                            for t in c.subtree]
        # by token index: the sentence's words are read from its bounds, not a Token each
        for tokens, at in ((own, [t.i for t in own]), (phrase, [t.i for t in phrase]),
                           (sent, range(sent.start, sent.end))):
            chosen = self._choose(_named(at, sides))
            if chosen is not _UNDECIDED:
                return chosen, tokens is own
        chosen = self._choose(document)
        return (None if chosen is _UNDECIDED else chosen), False

    def _choose(self, counts: Counter[Side]) -> str | None:
        """The target whose own side is named most; ``_UNDECIDED`` when none is named, None
        when two are named as often ("ties with Russia and the United States" says nothing
        of which relation: a wider look would only guess)."""
        scores = {
            name: counts[(name, own)] for name, own in self.own_side.items()
            if counts[(name, own)]
        }
        if not scores:
            return _UNDECIDED
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return None
        return ranked[0][0]


_UNDECIDED = ""  # no own side named: look wider


def _modifier(word: Token) -> bool:
    """A relation word that qualifies a noun ("brotherly Russia", "Brotherly" tagged a name,
    "brotherly" tagged an adverb of "Russian people"): its own phrase is that word's."""
    return word.pos_ != "NOUN" and word.dep_ in ("amod", "compound", "advmod")


def _named(indices: Iterable[int], sides: dict[int, set[Side]]) -> Counter[Side]:
    """How often each side is named among the tokens (their indices, a token listed twice
    counted twice), once per name however many words it has: "the United States" is one
    naming, as "Russia" is, not three."""
    counts: Counter[Side] = Counter()
    last: tuple[int, set[Side]] = (-2, set())
    for i in sorted(indices):
        found = sides.get(i, set())
        counts.update(found - last[1] if last[0] == i - 1 else found)
        last = (i, found)
    return counts
