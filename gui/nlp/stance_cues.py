"""Judging a target mention by the cue words around it: the rules for sentences that say it.

From the target, walk up the dependency tree to the first cue that governs it ("rejects the
blockade"), turned by removal words and negations on the way or above; failing that, a cue
that describes it ("the illegal blockade", "the embargo has failed"), a fixed phrase anywhere
in the sentence, and (weakest, and the only way without a parser) the nearest cue before it.
With none of these, removing the target ("will ease the embargo") or imposing it ("sanctions
Havana") is a stance too. The strongest cue anywhere in a sentence (``Cues.any_cue``) is what
a sentence without a target says of the topic it carries on (stance_carried.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from spacy import symbols
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.parts_of_speech import IDS
from spacy.tokens import Doc, Span, Token

from gui.nlp.context import ANAPHORA, DocContext
from gui.nlp.holders import SUBJECT_DEPS
from gui.nlp.lexicon import Cue, Lexicon
from gui.nlp.stance_findings import (
    CARRIED_FACTOR,
    JUDGING_SCORE,
    MAX_DEPTH,
    NEUTRAL,
    REMOVAL_WEIGHT,
    Best,
    BestTable,
    Finding,
    flip,
    keep,
)
from gui.nlp.targets import Mention
from gui.nlp.words import WordTable

# How a clause hangs on the speech verb that reports it ("said the blockade was illegal"); the
# speech verb's own subject or object ("when the thaw was announced") is no reported clause.
_REPORTED = {"ccomp", "parataxis", "xcomp", "advcl", "conj"}
_PREDICATE_DEPS = {"attr", "acomp", "oprd", "xcomp", "dobj"}
_LINEAR_WINDOW = 8
# Edges from a cue up to the words that can still turn it: "refused to support", "warned
# against deepening" (but not across a reported clause's speech verb).
_OUTER_DEPS = {"xcomp", "ccomp", "conj", "pcomp", "pobj", "prep"}
# Words a carried-over sentence may take its stance from: evaluations, not actions.
_EVALUATIVE_POS = {"NOUN", "ADJ"}
_ACTION_POS = {"VERB", "NOUN"}  # "condemned", "rejection"; not the preposition "against"
_EVALUATIVE_POS_IDS = frozenset(IDS[tag] for tag in _EVALUATIVE_POS)
_ACTION_POS_IDS = frozenset(IDS[tag] for tag in _ACTION_POS)
_STRONG_CUE = 0.85
_COMPARATIVE = {"JJR", "RBR"}
_ABILITY = {"can", "could", "may", "might"}
_OPEN_QUESTION = {"whether", "if"}  # "debated whether to ease or tighten the embargo"
_HYPOTHETICAL = {"if", "unless"}  # "if Washington lifted the embargo, …"
_INVERTING = {"should", "were", "had"}  # "should the embargo be lifted, …"
_CONTENT = {"ccomp", "acl"}  # the clause a verb or a claim noun says: "denied that …"
_NAMING = {"call", "name", "dub", "label", "brand"}  # "called X Y": naming, not calling for
_CLAUSE_EDGES = {"advcl", "relcl", "parataxis"}
_PREDICATIVE = {"attr", "oprd", "acomp", "appos", "ROOT"}
# Nouns for an aspect of what their "of" phrase names: "the excellent state of relations".
_ASPECTS = {"state", "level", "nature", "logic", "character", "spirit", "quality", "climate"}
# Verbs whose "on" phrase says what a relation rests on: "based on mutual trust".
_FOUNDED = {"base", "rest", "build", "found"}
_CLAIMING = {"our", "my"}  # "our Russian partners": the speaker's own
_PARTICLE = {"prt", "advmod"}  # "rolled back": a verb's particle, however the parser tags it
# The dependency labels the walks up the tree test on every child, by id: ``Token.dep_``
# makes a new string on each read (the labels are spaCy symbols: their ids are fixed)
_MARK, _NEG = symbols.mark, symbols.neg
_NEGATING_IDS = frozenset((symbols.det, symbols.advmod, symbols.preconj))


class Cues:
    """The lexicon's cue words, looked up by lemma where the pipeline has a lemmatizer; built
    once per pipeline (the phrase matcher is the slow part)."""

    def __init__(self, nlp: Language, lexicon: Lexicon, lemmas: bool, reporting: WordTable):
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrase_cues: dict[str, Cue] = {}
        for number, cue in enumerate(lexicon.phrase_cues()):
            key = f"cue{number}"
            self.phrase_cues[key] = cue
            self.phrases.add(key, [nlp.make_doc(cue.text)])
        self.object_cues = WordTable(lexicon.lemma_cues("object"), lemmas)
        self.subject_cues = WordTable(lexicon.lemma_cues("subject"), lemmas)
        self.negation_words = lexicon.negation_words
        self.negation_verbs = WordTable.of(lexicon.negation_verbs, lemmas)
        self.removal = WordTable.of(lexicon.removal, lemmas)
        self.denial = WordTable.of(lexicon.denial_verbs, lemmas)
        self.reporting = reporting
        # relation words that judge the relation by themselves, by their root (last) word
        self.judging = WordTable({w.split()[-1]: polarity
                                  for w, polarity in lexicon.relation_judged.items()}, lemmas)
        self.claimed = WordTable.of(lexicon.relation_claimed, lemmas)
        # a target's names that take a side ("the blockade"), by target and root (last) word
        self.named = {name: WordTable({w.split()[-1]: polarity for w, polarity in words.items()},
                                      lemmas)
                      for name, words in lexicon.target_judged.items() if words}
        # people and bodies a subject noun may stand for ("their countries would restore…")
        self.actors = WordTable.of((*lexicon.person_nouns, *lexicon.group_nouns), lemmas)

    def phrase_hits(self, doc: Doc) -> list[tuple[int, int, Cue]]:
        """The fixed phrases of a Doc as (start token, end token, cue), found once per Doc."""
        strings = doc.vocab.strings
        return [
            (start, end, self.phrase_cues[strings[m]]) for m, start, end in self.phrases(doc)
        ] if len(self.phrases) else []

    def judge(
        self, mention: Mention, parsed: bool, phrase_hits: list[tuple[int, int, Cue]],
        best: BestTable, context: DocContext, imposable: bool,
    ) -> None:
        """The polarity of one mention from the cues around it (strongest evidence wins);
        ``imposable`` when the target's own word as a verb imposes it (a relation is not
        imposed on anyone)."""
        span = mention.span
        sent = context.sentence(span.start)
        if sent is None:
            return  # the spaces between paragraphs
        inside = set(range(span.start, span.end))
        if mention.generic and self.judging.get(span.root) is not None:
            # a judging word speaks for itself, or (where it judges no side) not at all
            judged = self._judging(mention, parsed)
            if judged is not None:
                keep(best, (context.number(sent), mention.target), Best(judged, sent, span.root))
            return
        candidates = []
        if parsed:
            candidates.append(self._governing(span.root, inside))
            candidates.append(self._described(span.root, inside))
        candidates.append(_phrase(sent, phrase_hits, parsed, span.root))
        candidates.append(self._linear(span, sent, inside, 0.75 if parsed else 0.9, parsed))
        findings = [c for c in candidates if c is not None]
        if not findings and mention.generic:
            findings = [f for f in (self._judging(mention, parsed),) if f is not None]
        if not findings and parsed:
            act = self._removed(span.root) or (self._imposed(span.root) if imposable else None)
            findings = [act] if act is not None else []
        if not findings and parsed and imposable and _claimed_measure(span.root):
            # "evade our sanctions", "our Cuba sanctions program": the speaker's own measure
            findings = [Finding("favor", JUDGING_SCORE, None, "one's own measure")]
        named = self.named.get(mention.target)
        polarity = named.get(span.root) if named is not None and not mention.carried else None
        if polarity is not None:
            # the target's own name takes its speaker's side ("the blockade" is Havana's and
            # its friends' word for the embargo), whatever a cue says someone did to it
            # ("they tightened the blockade"): a cue of the same side stands, with its holder
            findings = [f for f in findings if f.polarity == polarity] or [
                Finding(polarity, JUDGING_SCORE, None, "a judging name")]
        key = (context.number(sent), mention.target)
        if mention.carried:  # a pointer: only a cue on it speaks of the target it stands for,
            if key in best and not best[key].background:  # and only where nothing else did
                return
            # a fixed phrase in its own clause speaks of it ("these measures will remain in
            # place"); the nearest cue before it may be about anything
            findings = [replace(f, rule=f"{f.rule}, target carried over") for f in findings
                        if f.rule != "nearest cue"]
        if not findings:
            if key not in best:
                nothing = Finding(NEUTRAL, 0.0, None, "")
                quoted = any(context.quoted(t.idx) for t in span)
                best[key] = Best(nothing, sent, span.root, True, mention.generic, quoted,
                                 carried=mention.carried)
            return
        finding = max(findings, key=lambda f: f.score)
        rival = max((f.score for f in findings if f.polarity != finding.polarity), default=0.0)
        finding = replace(finding, score=finding.score - rival / 2)
        keep(best, key, Best(finding, sent, span.root))

    def any_cue(self, sent: Span, headline: bool = False) -> Finding | None:
        """The strongest stance word anywhere in a sentence, turned by its own negation."""
        found = None
        for token in sent:
            # the word tables first: the parse is looked at only around a cue word
            pos = token.pos  # an id: the tag's name would be a new string on each read
            cue = self.subject_cues.get(token) if pos in _EVALUATIVE_POS_IDS else None
            if cue is not None and not headline and _attributive(token):
                cue = None
            if cue is None and pos in _ACTION_POS_IDS:
                cue = self.object_cues.get(token)
                cue = cue if cue is not None and cue.weight >= _STRONG_CUE else None
                if cue is not None and not headline and _own_object(token):
                    cue = None
            if cue is None or cue.polarity == NEUTRAL:
                continue
            score = cue.weight * CARRIED_FACTOR
            if found is None or score > found.score:
                polarity = flip(cue.polarity) if self.negated(token) else cue.polarity
                found = Finding(polarity, score, token, "topic carried over")
        return found

    def unasserted(self, token: Token, asked: bool = True) -> bool:
        """Whether a word stands in a clause nobody asserts: a condition ("if Washington
        lifted the embargo", "should the embargo be lifted", "unless Congress repeals it"),
        a clause or claim someone denies ("denied that it would send troops", "dismissed the
        idea that the embargo has failed") and, when ``asked``, a "whether" question (which
        the governing cue reads as neutral instead)."""
        marks = _HYPOTHETICAL | (_OPEN_QUESTION if asked else set())
        node = token
        for _ in range(MAX_DEPTH):
            if _inverted(node) or any(c.dep == _MARK and c.lower_ in marks
                                      for c in node.children):
                return True
            head = node.head
            if head.i == node.i:
                return False
            if node.dep_ in _CONTENT and (
                (self.denial.get(head) is not None  # a clause has its subject
                 and any(c.dep_ in SUBJECT_DEPS for c in node.children))
                or (head.pos_ == "NOUN" and head.dep_ == "dobj"  # "rejected claims that…"
                    and self.denial.get(head.head) is not None
                    and any(c.dep_ == "mark" and c.lower_ == "that" for c in node.children))
            ):
                return True
            node = head
        return False

    def negated(self, token: Token) -> bool:
        """A negation on the word itself ("not", "no", "never", "neither")."""
        return any(
            c.dep == _NEG or (c.dep in _NEGATING_IDS and c.lower_ in self.negation_words)
            for c in token.children
        )

    def _governing(self, target: Token, inside: set[int]) -> Finding | None:
        """The first cue above the target in the tree, flipped by removals and negations."""
        sign, negated, steps, node = 1, False, 0, target
        while node.head.i != node.i and steps < MAX_DEPTH:
            if _coordinated(node):
                return None  # "reject that view and describe Cuba as a partner": its own clause
            if node.dep_ == "relcl":
                return None  # "restrictions imposed by Trump, who rolled back the détente"
            below, node = node, node.head
            steps += 1
            if node.i in inside:
                continue
            if self.reporting.get(node) is not None and below.dep_ in _REPORTED:
                return None  # reported speech: the stance is in the clause below the speech verb
            if any(c.dep_ == "oprd" for c in node.children):
                return None  # "called the sanctions a failed policy" names them, acts on nothing
            if self.negated(node):
                sign, negated = -sign, True
            if self.removal.get(node) is not None:
                # "help our friends overcome it": friends remove nothing; but "want the
                # embargo lifted" says the embargo is to be lifted (a participle's subject)
                if below.dep_ != "nsubj" or _small_clause(node):
                    sign = -sign
                continue
            cue = self.object_cues.get(node) if not _prepositional(node) else None
            if cue is None:
                continue
            if node.dep_ == "advcl" and node.head.lower_ == "far":
                return None  # "as far as the embargo is concerned" names a topic
            if below.dep_ in ("nsubj", "csubj"):
                return None  # "US restrictions have kept banks out": the target does it
            cue = self._manner(node, below, cue)
            if below.dep_ == "dobj" and node.lemma_.lower() in _NAMING:
                return None  # "called the restrictions an act of aggression" names them
            if self._reported_doing(node):
                return None  # "said the decision reinforces the economic war": whose stance?
            up, hops = node, 0
            while up.dep_ in _OUTER_DEPS and up.head.i != up.i:
                if _coordinated(up):
                    break  # "rejects the criticism and condemns the blockade": a sibling verb
                up, hops = up.head, hops + 1
                if self.reporting.get(up) is not None:
                    break
                if self.negated(up) or self.negation_verbs.get(up) is not None:
                    sign, negated = -sign, True
                # the preposition "against" is itself the cue of "voted against the embargo":
                # its verb carries it, and must not turn it a second time
                carrier = hops == 1 and node.pos_ == "ADP"
                outer = self.object_cues.get(up) if hops <= 2 and not carrier else None
                if outer is not None and outer.polarity == "against":
                    sign = -sign  # "warned against deepening ties", "rejected strengthening"
            polarity = cue.polarity if sign > 0 else flip(cue.polarity)
            if _open_question(node):
                polarity = NEUTRAL
            distance = 1.0 if steps <= 3 else 0.85 if steps <= 5 else 0.7
            score = cue.weight * distance * (0.9 if negated else 1.0)
            return Finding(polarity, score, node, "governing cue")
        return None

    def _manner(self, verb: Token, below: Token, cue: Cue) -> Cue:
        """A neutral cue done "with" a word against ("watching the ties with concern",
        "monitors the talks with alarm") is against what it governs: the manner says how
        its doer sees it. The "with" may hang on the verb or on its object ``below``."""
        if cue.polarity != NEUTRAL:
            return cue
        for prep in (*verb.children, *below.children):
            if prep.dep_ == "prep" and prep.lower_ == "with":
                for noun in prep.children:
                    said = self.object_cues.get(noun) if noun.dep_ == "pobj" else None
                    if said is not None and said.polarity == "against":
                        return said
        return cue

    def _judging(self, mention: Mention, parsed: bool) -> Finding | None:
        """A relation word that judges the relation by itself ("brotherly Russia never fails
        us", "using Cuba as a forward base"), or a word for the other party that the speaker
        claims as theirs ("our Russian partners", "my friends"), turned by its own negation or
        its copula's ("they are not a foothold"). No anchor: its holder is the clause's speaker
        or subject, found from the sentence as for a joint body. The party called brotherly
        or claimed must be the side named in the word's own phrase ("brotherly Russia", "our
        Cuban friends"; not "brotherly Venezuela" in a story about Russia and Cuba, nor a bare
        "our friends", which says not whose)."""
        word = mention.span.root
        polarity = self.judging.get(word)
        if polarity is not None and parsed and word.pos_ == "NOUN" and not _predicated(word):
            return None  # "Russia wants a foothold": its aim, not what anyone calls it
        if polarity is not None and word.pos_ != "NOUN" and not mention.near:
            return None  # a modifier: the party it qualifies must be a side
        if polarity is None and mention.near and word in self.claimed and any(
            c.dep_ == "poss" and c.lower_ in _CLAIMING for c in word.children
        ) and not (word.dep_ in SUBJECT_DEPS and self.negated(word.head)):
            polarity = "favor"  # not "our Russian friends will not save us": a doubt
        if polarity is None:
            return None
        verb = word.head if parsed and word.dep_ in ("attr", "acomp") else word
        if self.negated(word) or (verb.i != word.i and self.negated(verb)):
            polarity = flip(polarity)
        return Finding(polarity, JUDGING_SCORE, None, "a judging word")

    def _reported_doing(self, verb: Token) -> bool:
        """A speaker reports what a thing does to the target ("the minister said the decision
        reinforces the economic war"): the thing is no holder, and the speaker's own stance
        is not the verb's (they condemn the reinforcing). People and bodies do hold what
        they do ("announced that their countries would restore relations")."""
        if verb.pos_ != "VERB" or verb.dep_ not in _REPORTED or self.reporting.get(
            verb.head
        ) is None:
            return False
        return any(c.dep_ == "nsubj" and c.pos_ == "NOUN" and self.actors.get(c) is None
                   and not any(g.ent_type_ for g in c.subtree) for c in verb.children)

    def _imposed(self, target: Token) -> Finding | None:
        """The target's own word as a verb is the act of imposing it: "Washington sanctions
        Havana", "the US blockaded the island" (favor, held by whoever does it)."""
        if target.pos_ != "VERB":
            return None
        polarity = "against" if self.negated(target) else "favor"
        return Finding(polarity, REMOVAL_WEIGHT, target, "imposing it")

    def _removed(self, target: Token) -> Finding | None:
        """Removing the target is a stance against it: "Washington will ease the embargo",
        "the embargo would be mitigated" (tightening it is a favor cue of the lexicon)."""
        if target.dep_ == "compound" and target.head.pos_ == "NOUN":
            target = target.head  # "end the sanctions regime": the regime is the sanctions
        verb = target.head.head if target.dep_ == "pobj" else target.head
        if target.dep_ not in ("dobj", "pobj", "nsubjpass") or verb not in self.removal:
            return None
        if any(c.dep_ == "aux" and c.lower_ in _ABILITY for c in verb.children):
            return None  # "only Congress can lift the embargo" says who could, not who wants
        if target.dep_ == "nsubjpass" and doerless(verb):
            return None  # "the embargo was never lifted": its state, a background mention
        polarity = "favor" if self.negated(verb) else "against"
        return Finding(polarity, REMOVAL_WEIGHT, verb, "removal")

    def _described(self, target: Token, inside: set[int]) -> Finding | None:
        """A cue that says something about the target: its modifier, or its predicate."""
        removed = False
        head = target.head.head if target.dep_ == "pobj" else target.head
        if target.dep_ in ("dobj", "pobj") and self.removal.get(head) is not None:
            target, removed = head, True  # "lifting the embargo would reward repression"
        words: list[tuple[Token, Token]] = []  # (cue word, the verb whose negation counts)
        words += [(c, c) for c in target.children if c.dep_ in ("amod", "appos", "acl", "relcl")]
        verb = target.head
        if target.dep_ == "pobj" and verb.lower_ == "of" and verb.head.lemma_ in _ASPECTS:
            # "the excellent state of the dialogue", "the cruel logic of the blockade"
            words += [(c, c) for c in verb.head.children if c.dep_ == "amod"]
        if target.dep_ == "pobj" and verb.dep_ == "agent":  # "was slowed by the embargo"
            words.append((verb.head, verb.head))
        if target.dep_ in SUBJECT_DEPS and verb.i != target.i:
            words.append((verb, verb))
            for child in verb.children:
                if child.dep_ in _PREDICATE_DEPS:
                    words.append((child, verb))
                    # "gave Havana a perfect excuse": the adjective judges the excuse
                    words += [(g, verb) for g in child.children
                              if g.dep_ in ("amod", "acomp") and not _attributive(g)]
                    words += _kind_of(child)  # "is a policy that has outlived every reason"
                if (child.dep_ == "prep" and child.lower_ == "on"
                        and verb.lemma_ in _FOUNDED):  # "ties rest on mutual respect"
                    words += [(a, verb) for g in child.children if g.dep_ == "pobj"
                              for a in g.children if a.dep_ == "amod"]
        if target.dep_ == "dobj":  # "described the sanctions as a relic"
            for prep in (*verb.children, *target.children):  # "as" hangs on either
                if prep.dep_ == "prep" and prep.lower_ == "as":
                    words += [(p, verb) for p in prep.children if p.dep_ == "pobj"]
                if prep.dep_ in ("oprd", "xcomp"):
                    words.append((prep, verb))
                    words += [w for w in _kind_of(prep) if w[0].dep_ != "relcl"]
                    # "called the sanctions a policy that has failed"
                    words += [(c, c if c.dep_ != "amod" else verb) for c in prep.children
                              if c.dep_ in ("relcl", "acl", "amod")]
        for word, verb in words:
            if word.i in inside:
                continue
            cue = self.subject_cues.get(word)
            if cue is None:
                continue
            negated = self.negated(word) or (verb.i != word.i and self.negated(verb))
            if word.tag_ in _COMPARATIVE:
                negated = False  # "has never been stronger" is as strong as it gets
            polarity = flip(cue.polarity) if negated != removed else cue.polarity
            return Finding(polarity, cue.weight * 0.95, verb, "describing cue")
        return None

    def _linear(
        self, span: Span, sent: Span, inside: set[int], factor: float, parsed: bool
    ) -> Finding | None:
        """The nearest cue before the target in the same sentence: the rule without a parse."""
        sign = 1
        start = max(sent.start, span.start - _LINEAR_WINDOW)
        for i in range(span.start - 1, start - 1, -1):
            token = span.doc[i]
            if i in inside:
                continue
            if self.removal.get(token) is not None:
                sign = -sign
                continue
            cue = self.object_cues.get(token) if token.dep_ not in _PARTICLE \
                and not _prepositional(token) else None
            if cue is None:
                continue  # "rolled back the détente": "back" is the verb's particle here
            if parsed and self._reported_doing(token):
                return None  # "said the decision reinforces the economic war"
            if parsed and any(c.dep_ == "oprd" or (c.dep_ == "dobj" and token.lemma_.lower()
                                                     in _NAMING) for c in token.children):
                return None  # "called the sanctions a failed policy": naming, not calling for
            if parsed and any(_coordinated(t) for t in span.doc[i + 1 : span.start]):
                return None  # "reject that view and describe Cuba as a partner"
            before = span.doc[max(sent.start, i - 3) : i]
            if any(t.lower_ in self.negation_words for t in before) or any(
                self.negation_verbs.get(t) is not None for t in before
            ):
                sign = -sign
            polarity = cue.polarity if sign > 0 else flip(cue.polarity)
            distance = 1.0 if span.start - i <= 4 else 0.85
            return Finding(polarity, cue.weight * factor * distance, token, "nearest cue")
        return None


def _kind_of(predicate: Token) -> list[tuple[Token, Token]]:
    """What a predicate noun says through its own clause or its "of" phrase: "a policy
    **that has outlived** every reason", "an act **of aggression**", "more **of the same
    cruelty**" (the word, and the word whose negation counts)."""
    found = [(c, c) for c in predicate.children if c.dep_ == "relcl"]
    found += [(g, predicate) for c in predicate.children if c.dep_ == "prep" and c.lower_ == "of"
              for g in c.children if g.dep_ == "pobj"]
    return found


def _predicated(noun: Token) -> bool:
    """A noun said of something: a predicate ("they are a foothold"), what something is used
    or seen as ("using Cuba as a forward base"), an apposition or a naming verb's object
    predicate; also as the first word of a predicate the parser took for a compound ("they
    are a foothold ninety miles from Florida")."""
    if noun.dep_ == "compound" and noun.head.pos_ == "NOUN":
        noun = noun.head
    return noun.dep_ in ("attr", "oprd", "appos") or (
        noun.dep_ == "pobj" and noun.head.lower_ == "as")


def _inverted(verb: Token) -> bool:
    """A condition said by inversion: "Should the embargo be lifted, …", "Were Russia to
    build a base, …" (the auxiliary before the subject, in an adverbial clause)."""
    if verb.dep_ not in ("advcl", "ccomp") or verb.i > verb.head.i:
        return False
    first = min(verb.children, key=lambda c: c.i, default=None)
    return (first is not None and first.i < verb.i and first.dep_ in ("aux", "auxpass")
            and first.lower_ in _INVERTING and first.i == verb.left_edge.i)


def _open_question(cue: Token) -> bool:
    """A cue in a "whether" clause (or joined to one) is a question, not a position."""
    clause = cue.head if cue.dep_ == "conj" else cue
    return any(c.dep == _MARK and c.lower_ in _OPEN_QUESTION
               for c in (*cue.children, *clause.children))


def _phrase(
    sent: Span, hits: Iterable[tuple[int, int, Cue]], parsed: bool, target: Token
) -> Finding | None:
    """The heaviest fixed phrase inside the sentence, wherever the target stands in it, but
    in its clause: "welcomed the decision as a step in the right direction, while noting that
    the embargo still forbids…" says nothing of the embargo, nor "the engineers will stay…,
    the union said" of a union."""
    here = [(start, end, cue) for start, end, cue in hits
            if sent.start <= start and end <= sent.end]
    if not here:
        return None  # most sentences have no phrase: no clause to walk
    mine = _clause(target) if parsed else set()
    chosen = [cue for start, end, cue in here
              if not parsed or not mine.isdisjoint(_clause(sent.doc[start:end].root))]
    if not chosen:
        return None
    cue = max(chosen, key=lambda c: c.weight)
    anchor = sent.root if parsed else None
    return Finding(cue.polarity, cue.weight * 0.8, anchor, "phrase")


def _clause(token: Token) -> set[int]:
    """The token and the words above it up to the edge of its clause: a clause that hangs on
    another as its adverbial, relative or loose clause ("while noting that…", "…, the union
    said") is one of its own; a reported clause ("said that…") is not."""
    found = {token.i}
    steps = 0
    while token.head.i != token.i and token.dep_ not in _CLAUSE_EDGES and steps < MAX_DEPTH:
        token, steps = token.head, steps + 1
        found.add(token.i)
    return found


def doerless(verb: Token) -> bool:
    """A passive that names nobody doing it ("flights were restored in 2022", "the embargo
    was never lifted"): the state of a measure, told by the sentence itself, not somebody's
    deed ("curtailed under the new administration", "lifted by Congress" name one), nor a plan
    someone reports ("said the embargo would be mitigated")."""
    if verb.dep_ not in ("ROOT", "conj") or any(c.tag_ == "MD" for c in verb.children):
        return False
    return not any(c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "under")
                   for c in verb.children)


def _attributive(word: Token) -> bool:
    """An adjective that only qualifies a noun of its own ("crude oil", "handed Havana a
    perfect excuse"): it judges that noun, not the topic a sentence carries on. An adjective
    on a predicate ("it is a cruel policy") does judge the topic."""
    return (word.dep_ == "amod" and word.head.pos_ in ("NOUN", "PROPN")
            and word.head.dep_ not in _PREDICATIVE)


def _small_clause(verb: Token) -> bool:
    """A removal verb as another verb's complement whose subject undergoes it: a past
    participle ("want the embargo lifted", "would like sanctions eased": the parser's clause
    for an object and its predicate) or a verb with no object ("kept asking when the embargo
    would end"); not "help our friends overcome it", where the friends do the removing."""
    if verb.dep_ not in ("ccomp", "xcomp", "oprd"):
        return False
    if verb.tag_ == "VBN":
        return not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    return not any(c.dep_ in ("dobj", "pobj") for c in verb.children)


def _prepositional(word: Token) -> bool:
    """A participle used as a preposition ("talks concerning the embargo"): no cue."""
    return word.dep_ == "prep" and word.pos_ == "VERB"


def _claimed_measure(target: Token) -> bool:
    """A measure its speaker calls their own: "our sanctions", "our Cuba sanctions program"
    (the possessive on the compound's head). Who imposes a measure speaks of it so; nobody
    against it does."""
    node = target.head if target.dep_ == "compound" else target
    return any(c.dep_ == "poss" and c.lower_ in _CLAIMING for c in node.children)


def _coordinated(token: Token) -> bool:
    """A verb joined to the verb before it ("rejects the criticism and condemns the blockade"):
    a clause of its own, which the first verb does not govern."""
    return token.dep_ == "conj" and token.pos_ == "VERB" and token.head.pos_ == "VERB"


def _own_object(verb: Token) -> bool:
    """A stance verb with an object of its own that does not point back ("will support the
    Cuban resolution", "declined to condemn Russia"): a stance on that, not on the topic."""
    return any(
        c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN") and c.lower_ not in ANAPHORA
        and not any(d.lower_ in ANAPHORA for d in c.children)
        for c in verb.children
    )
