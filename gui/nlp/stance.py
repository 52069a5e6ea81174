"""Stance suggestions: per sentence, which target, which polarity, who holds it, how sure.

How a suggestion is made (the lexicon, resources/stance/lexicon.toml, holds the words; see
docs/prefill.md for each rule with the kind of sentence it is for):
1. Targets (targets.py): the schema's and the lexicon's cues, the entities the schema links to
   a target, and relation words ("ties", "friendship") given the target whose side is named
   around them. A sentence without a mention that continues the one before it (context.py:
   same paragraph, a pronoun or "this" at its start, a quotation, the lead under a headline)
   takes that sentence's targets when it has a stance word of its own.
2. Polarity: from the target, walk up the dependency tree to the first cue that governs it
   ("rejects the blockade", "its rejection of the blockade"). Removal words on the way flip it
   ("calls for the elimination of the blockade" is against the blockade), and so does a
   negation on the way or on a verb above the cue ("did not support", "refused to back").
   Failing that, cues that say something about the target ("the illegal blockade", "sanctions
   are a relic", "the embargo has failed"), then fixed phrases anywhere in the sentence, then
   (weakest, and the only way without a parser) the nearest cue before the target.
   Deeds (aid, shipments, visits, thanks, credits) done by one side of a relation target to the
   other are support for it ("Russia sent 90,000 tonnes of oil to Cuba").
   Goods that carry one side's name ("Russian wheat") are that side's support, and thanking
   one side is the other side's. A mention with none of these, in the article's own voice (no
   speaker, no quotation, no entity taking a position, no first person, negation or modal), is
   a neutral background mention without a holder. Questions take no side; interview answers
   take the question's topic. Both parties of a relation acting together are for it ("Russia
   and Cuba agree to …"). A side's official reported speaking with no stance word keeps the
   side's line (camps.py: "'Our Cuban friends can count on us,' the Russian envoy said"): on a
   target the sentence names, on the topic it carries on, on the relation when it names the
   other side, and anywhere in a story about one target.
3. Holder (holders.py): the subject of the cue's clause, the speaker, a quotation's speaker,
   with pronouns and titles resolved to the entity named before them; every interview answer
   is the interviewee's, and a signed opinion piece's own voice its byline author's.
4. Confidence: the cue's weight, lowered with distance and for weaker evidence; below the
   threshold nothing is suggested. Reported speech does not flip a stance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from gui.core.schema import Schema
from gui.nlp.camps import Camps
from gui.nlp.context import ANAPHORA, DocContext, build_context
from gui.nlp.evidence import evidence_span
from gui.nlp.holders import SUBJECT_DEPS, HolderFinder, Named, schema_holder_labels
from gui.nlp.lexicon import Cue, Lexicon
from gui.nlp.targets import ADVOCATE, TURN, Mention, Side, TargetFinder
from gui.nlp.words import WordTable

_OPPOSITE = {"against": "favor", "favor": "against"}
# How a clause hangs on the speech verb that reports it ("said the blockade was illegal"); the
# speech verb's own subject or object ("when the thaw was announced") is no reported clause.
_REPORTED = {"ccomp", "parataxis", "xcomp", "advcl", "conj"}
_PREDICATE_DEPS = {"attr", "acomp", "oprd", "xcomp", "dobj"}
_LINEAR_WINDOW = 8
_MAX_DEPTH = 40  # a parse is a tree, but a bound costs nothing
# Edges from a cue up to the words that can still turn it: "refused to support", "warned
# against deepening" (but not across a reported clause's speech verb).
_OUTER_DEPS = {"xcomp", "ccomp", "conj", "pcomp", "pobj", "prep"}
# Edges from a deed up to the clause whose subject does it.
_ACTOR_PATH = {"xcomp", "acomp", "dobj", "conj", "pobj", "prep", "aux", "attr"}
_LIGHT_VERBS = {"make", "pay", "give", "provide", "lead", "offer", "conclude", "reach",
                "hold", "receive", "approve", "announce", "deliver", "extend", "open"}
# Words a carried-over sentence may take its stance from: evaluations, not actions.
_EVALUATIVE_POS = {"NOUN", "ADJ"}
_ACTION_POS = {"VERB", "NOUN"}  # "condemned", "rejection"; not the preposition "against"
_STRONG_CUE = 0.85
_COMPARATIVE = {"JJR", "RBR"}
_ABILITY = {"can", "could", "may", "might"}
_OPEN_QUESTION = {"whether", "if"}  # "debated whether to ease or tighten the embargo"
# Words no neutral background statement uses: the first person (an op-ed's or an
# interviewee's own voice; matched as written, as "US" is the country), and negations and
# modals that weigh the target.
_FIRST_PERSON = {"I", "we", "We", "our", "Our", "us", "my", "My", "me"}
_JUDGING = {"not", "n't", "never", "should", "must", "ought", "perhaps"}
# How much of a cue's weight each weaker kind of evidence keeps, and the fixed scores of the
# rules that have no cue word of their own.
DEED_FACTOR = 0.85
CARRIED_FACTOR = 0.75
BACKGROUND_SCORE = 0.55
REMOVAL_WEIGHT = 0.65
PARTY_SCORE = 0.6
GOODS_SCORE = 0.6
CAMP_SCORE = 0.5
ADVOCATE_SCORE = 0.6
MEASURE_SCORE = 0.6
WRITER_SCORE = 0.55
_MAIN_TOPIC = 3  # times as many mentions as the next target: what the story is about
_BYLINE_WINDOW = 4  # sentences: a byline sits under the headline
_OPINION = ("opinion", "op-ed", "commentary", "column", "viewpoint", "editorial")
_OPINION_LABELS = set(_OPINION)
# The rules whose findings judge the target (what it is, not what someone did to it): the ones
# an opinion piece's line is read from.
_JUDGEMENTS = {"describing cue", "phrase"}
_LABEL_WORDS = 8  # "Granma | Editorial" under a headline
_LINE_WORDS = 12  # tokens: "BRUSSELS/OTTAWA, Nov 5 (Reuters) -"
_DATELINE = 8  # tokens: "Havana, May 14 (EFE).-"
_LEAD_SKIP = 3  # lines between a headline and its lead: dateline, byline, outlet
_GROUP_HOLDERS = {"ORG", "NORP", "PERSON"}  # "Supporters in Congress", not "critics in Miami"
_NAMING = {"call", "name", "dub", "label", "brand"}  # "called X Y": naming, not calling for
_PLACE_PREPS = {"in", "at", "to", "into", "near"}
_PLACES = {"GPE", "LOC", "FAC"}
_GOODS_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "ROOT", "conj", "appos", ""}
NEUTRAL = "neutral"


@dataclass(frozen=True)
class StanceSuggestion:
    start: int
    end: int
    target: str
    polarity: str
    holder: tuple[int, int] | None
    confidence: float
    rule: str = ""  # which rule made it (not stored): for explaining and tuning


@dataclass(frozen=True)
class _Finding:
    polarity: str
    score: float
    anchor: Token | None  # the cue word the holder is looked up from
    rule: str  # which rule found it, for the reader (docs/prefill.md names them)


@dataclass
class _Best:
    finding: _Finding
    sent: Span
    target_root: Token
    background: bool = False  # no cue: a neutral mention if nobody takes a position
    generic: bool = False  # named by a relation word
    quoted: bool = False  # in a quotation
    holder: Span | None = None  # known from the rule itself (the side whose goods they are)


def _flip(polarity: str) -> str:
    return _OPPOSITE.get(polarity, polarity)


@dataclass(frozen=True)
class Reading:
    """A Doc's sentences and quotations, the sides its words name, its target mentions."""

    context: DocContext
    sides: dict[int, set[Side]]
    mentions: list[Mention]


class StanceFinder:
    """Built once per pipeline and lexicon; ``find`` runs per Doc (cheap next to the model)."""

    def __init__(self, nlp: Language, schema: Schema, lexicon: Lexicon, threshold: float):
        self.lexicon = lexicon
        self.threshold = threshold
        self.polarities = set(schema.polarities)
        self.use_lemmas = "lemmatizer" in nlp.pipe_names
        self.targets = TargetFinder(nlp, schema, lexicon)
        self.holders = HolderFinder(lexicon, self.use_lemmas, nlp.make_doc,
                                    schema_holder_labels(schema))
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrase_cues: dict[str, Cue] = {}
        for number, cue in enumerate(lexicon.phrase_cues()):
            key = f"cue{number}"
            self.phrase_cues[key] = cue
            self.phrases.add(key, [nlp.make_doc(cue.text)])
        lemmas = self.use_lemmas
        self.object_cues = WordTable(lexicon.lemma_cues("object"), lemmas)
        self.subject_cues = WordTable(lexicon.lemma_cues("subject"), lemmas)
        self.deeds = WordTable(lexicon.lemma_cues("deed"), lemmas)
        self.thanks = WordTable.of(lexicon.thanks, lemmas)
        self.carriers = WordTable.of(lexicon.carriers, lemmas)
        self.bodies = WordTable.of(lexicon.relation_bodies, lemmas)
        self.advocates = WordTable(lexicon.advocates, lemmas, frozenset({"NOUN"}))
        self.measures = [
            (name, WordTable.of(words, lemmas), WordTable.of(lexicon.opening.get(name, ()), lemmas),
             WordTable.of(lexicon.closing.get(name, ()), lemmas))
            for name, words in lexicon.target_measures.items() if words
        ]
        self.negation_words = lexicon.negation_words
        self.negation_verbs = WordTable.of(lexicon.negation_verbs, lemmas)
        self.removal = WordTable.of(lexicon.removal, lemmas)
        self.reporting = self.holders.reporting
        self.speech = WordTable.of(lexicon.reporting_verbs, lemmas)  # whatever the tag
        self.camps = Camps(lexicon, self.targets, lemmas)

    # ---- the public entry point -----------------------------------------------------------

    def read(self, doc: Doc) -> Reading:
        """What ``find`` reads of a Doc before any rule runs; the trained classifier reads
        it too (stance_facts.py), so pre-fill asks for it once."""
        context = build_context(doc)
        sides = self.targets.side_map(doc)
        return Reading(context, sides, self.targets.mentions(doc, sides, context))

    def find(self, doc: Doc, offset: int = 0,
             reading: Reading | None = None) -> list[StanceSuggestion]:
        """Suggestions for one Doc; character offsets are shifted by ``offset`` (chunks)."""
        reading = reading or self.read(doc)
        context, sides, mentions = reading.context, reading.sides, reading.mentions
        parsed = context.parsed
        deeds, spotted = self.targets.deeds(doc) if sides or mentions else ([], {})
        goods = self.targets.goods(doc) if sides and parsed else []
        if not mentions and not sides:
            return []  # no target named, and no side whose deeds or officials could speak
        strings = doc.vocab.strings
        phrase_hits = [
            (start, end, self.phrase_cues[strings[m]]) for m, start, end in self.phrases(doc)
        ] if len(self.phrases) else []
        best: dict[tuple[int, str], _Best] = {}
        for mention in mentions:
            self._judge(mention, parsed, phrase_hits, best, context)
        holders, named = self.holders.prepare(doc)
        author = self._author(doc, context)
        interviewee = self._interviewee(doc, context)
        members = self.camps.members(doc, sides, self._home(context, sides))
        speakers: dict[int, Span | None] = {}

        def speaker(sent: Span) -> Span | None:
            """Who is reported as saying the sentence (the interviewee in an answer), asked
            once per sentence."""
            number = context.number(sent)
            if number not in speakers:
                speakers[number] = interviewee if number in context.answers else (
                    self.holders.speaker(sent, holders, named, context))
            return speakers[number]

        def line(sent: Span, name: str) -> _Best | None:
            """The position the sentence's speaker's camp takes on the target."""
            if not members:
                return None
            who = speaker(sent)
            found = self.camps.position(who, name, members)
            if found is None:
                return None
            finding = _Finding(found, CAMP_SCORE, None, "the speaker's side")
            return _Best(finding, sent, sent.root, holder=who)

        if parsed:
            # "the US blockade" names the embargo, not a party to a deed
            in_targets = {t.i for m in mentions if not m.generic for t in m.span}
            everywhere = {s for found in sides.values() for s in found}
            for deed, support in deeds:
                self._deed(deed, support, sides, everywhere, in_targets, named, best, context)
            for good in goods:
                if good.i not in in_targets:
                    self._goods(good, sides, everywhere, holders, best, context, speaker, members)
            if sides:
                self._joint(context, sides, holders, best)
            self._carry(context, best, line)
            if members:
                self._sides_speak(context, sides, members, speaker, best)
                self._main_topic(context, mentions, line, best)
            if spotted.get(ADVOCATE) and mentions:
                self._advocates(context, mentions, spotted[ADVOCATE], best)
            if spotted.get(TURN) and sides:
                self._measures(context, sides, spotted[TURN], best)
        opinion = any(chosen.background for chosen in best.values()) and self._opinion(
            context, author)  # asked only where a mention could keep a writer's line
        lines = self._writer_lines(best, context) if opinion else {}
        suggestions = []
        for (number, name), chosen in sorted(best.items()):
            finding, sent = chosen.finding, chosen.sent
            if number in context.navigation:
                continue  # "Related: Cuba and Russia discuss a new oil deal" links elsewhere
            if number in context.questions and not any(
                self._speaks(t, parsed) for t in sent
            ):
                continue  # an interviewer's or a headline's question asks, it takes no side
            holder_span = chosen.holder or self.holders.find(
                finding.anchor, sent, chosen.target_root, holders, named, context
            )
            if number in context.answers:  # every answer is the interviewee's
                holder_span = interviewee or holder_span
            elif (holder_span is None and author is not None and not chosen.background
                  and self._own_voice(sent, context)):
                holder_span = author  # a signed opinion piece speaks for its author
            if chosen.background:
                if (name in lines and number not in context.answers
                        and self._own_voice(sent, context)):
                    # an opinion piece's own mention of the target is its writer's line
                    finding, holder_span = _Finding(lines[name], WRITER_SCORE, None,
                                                    "the writer's line"), author
                elif chosen.generic and chosen.target_root in self.bodies:
                    finding = _Finding("favor", PARTY_SCORE, None, "a joint body")
                elif self._background(sent, context) and not self._acted_on(chosen.target_root):
                    holder_span = None  # the article's own statement: nobody's position
                    finding = _Finding(NEUTRAL, BACKGROUND_SCORE, None, "background mention")
                elif (holder_span is not None and (chosen.generic or chosen.quoted)
                      and self.targets.is_party(holder_span, name, sides)):
                    finding = _Finding("favor", PARTY_SCORE, None, "a party speaks of it")
                elif (said := line(sent, name)) is not None:
                    finding, holder_span = said.finding, said.holder
                else:
                    continue
            if finding.polarity not in self.polarities:
                continue
            score = min(0.99, finding.score + (0.05 if holder_span is not None else 0.0))
            if score < self.threshold:
                continue
            before = context.sents[number - 1] if number else None
            start, end = evidence_span(
                context.text, sent.start_char, sent.end_char,
                (before.start_char, before.end_char) if before is not None else None)
            if holder_span is not None:  # the mention a reader points at: the nearest
                holder_span = named.latest(holder_span, sent.start)
            holder = (
                (holder_span.start_char + offset, holder_span.end_char + offset)
                if holder_span is not None else None
            )
            suggestions.append(
                StanceSuggestion(start + offset, end + offset, name, finding.polarity, holder,
                                 round(score, 3), finding.rule)
            )
        return suggestions

    def _judge(
        self, mention: Mention, parsed: bool, phrase_hits: list[tuple[int, int, Cue]],
        best: dict[tuple[int, str], _Best], context: DocContext,
    ) -> None:
        """The polarity of one mention from the cues around it (strongest evidence wins)."""
        span = mention.span
        sent = context.sentence(span.start)
        if sent is None:
            return  # the spaces between paragraphs
        inside = set(range(span.start, span.end))
        candidates = []
        if parsed:
            candidates.append(self._governing(span.root, inside))
            candidates.append(self._described(span.root, inside))
        candidates.append(self._phrases(sent, phrase_hits, parsed))
        candidates.append(self._linear(span, sent, inside, 0.75 if parsed else 0.9, parsed))
        findings = [c for c in candidates if c is not None]
        if not findings and parsed:
            act = self._removed(span.root) or (  # a relation is not imposed on anyone
                self._imposed(span.root) if mention.target not in self.targets.own_side else None)
            findings = [act] if act is not None else []
        key = (context.number(sent), mention.target)
        if not findings:
            if key not in best:
                nothing = _Finding(NEUTRAL, 0.0, None, "")
                quoted = any(context.quoted(t.idx) for t in span)
                best[key] = _Best(nothing, sent, span.root, True, mention.generic, quoted)
            return
        finding = max(findings, key=lambda f: f.score)
        rival = max((f.score for f in findings if f.polarity != finding.polarity), default=0.0)
        finding = replace(finding, score=finding.score - rival / 2)
        _keep(best, key, _Best(finding, sent, span.root))

    @staticmethod
    def _interviewee(doc: Doc, context: DocContext) -> Span | None:
        """The person the introduction of an interview names, before its first answer; else
        the name the introduction is about (its subject), whatever the recognizer called it."""
        if not context.answers:
            return None
        first_answer = context.sents[min(context.answers)].start
        before = [e for e in doc.ents if e.start < first_answer]
        return next((e for e in before if e.label_ == "PERSON"), None) or next(
            (e for e in before if e.label_ == "ORG" and e.root.dep_ == "nsubj"), None)

    @staticmethod
    def _author(doc: Doc, context: DocContext) -> Span | None:
        """The byline's person of a signed opinion piece ("By Ana Ruiz" under a headline that
        says "Opinion:", or a piece whose own voice says "I"); wire copy's bylines report, and
        unsigned editorials have no author to name."""
        first = context.sents[:_BYLINE_WINDOW]
        byline = next((
            ent for sent in first if sent.text.lstrip().startswith("By ")
            for ent in sent.ents if ent.label_ == "PERSON"
        ), None)
        if byline is None:
            return None
        opinion = first[0].text.lstrip().lower().startswith(_OPINION)
        speaks = any(
            t.text == "I" and not context.quoted(t.idx) for t in doc
        ) if not opinion else True
        return byline if speaks else None

    def _home(self, context: DocContext, sides: dict[int, set[Side]]) -> set[Side]:
        """The side whose place the story is filed from: its dateline ("Havana, May 14
        (EFE).-", "MOSCOW (Reuters) -") among the first lines; none for other places."""
        for sent in context.sents[:_BYLINE_WINDOW]:
            place = sent[0]
            if (place.i in sides and len(sent) > 2 and sent[1].text in (",", "(")
                    and any(t.ent_type_ == "DATE" or t.text == "(" for t in sent[1:_DATELINE])):
                return {s for s in sides[place.i] if s in self.camps.positions}
        return set()

    @staticmethod
    def _opinion(context: DocContext, author: Span | None) -> bool:
        """An opinion piece: signed by its author, or labelled so in its headline ("Op-ed:",
        "EDITORIAL:") or on a short line under it ("Granma | Editorial")."""
        if author is not None:
            return True
        for number, sent in enumerate(context.sents[:_BYLINE_WINDOW]):
            if (number == 0 and sent.text.lstrip().lower().startswith(_OPINION)) or (
                len(sent) <= _LABEL_WORDS and any(t.lower_ in _OPINION_LABELS for t in sent)
            ):
                return True
        return False

    def _writer_lines(
        self, best: dict[tuple[int, str], _Best], context: DocContext
    ) -> dict[str, str]:
        """What an opinion piece's own voice says of each target, where it says one thing more
        often than the other: the line its other mentions of the target keep."""
        counts: dict[str, Counter[str]] = {}
        for (number, name), chosen in best.items():
            polarity = chosen.finding.polarity
            if (chosen.finding.rule not in _JUDGEMENTS or polarity == NEUTRAL
                    or number in context.answers or not self._own_voice(chosen.sent, context)):
                continue
            counts.setdefault(name, Counter())[polarity] += 1
        lines = {}
        for name, count in counts.items():
            (polarity, most), *rest = count.most_common()
            if not rest or rest[0][1] < most:
                lines[name] = polarity
        return lines

    def _own_voice(self, sent: Span, context: DocContext) -> bool:
        """The article speaking for itself: no quotation, no speech verb, not a headline."""
        number = context.number(sent)
        return (
            number not in context.quotation
            and not context.headline(number)
            and not any(self._speaks(t, context.parsed) for t in sent)
        )

    def _background(self, sent: Span, context: DocContext) -> bool:
        """A fact in the article's own voice, not its judgement: no interview answer, no first
        person (an op-ed's author, "I trust engagement"), no negation or modal that weighs the
        target ("the embargo did not bring down…", "…should end")."""
        if context.number(sent) in context.answers or not self._own_voice(sent, context):
            return False
        return not any(
            t.text in _FIRST_PERSON or t.lower_ in _JUDGING or t.dep_ == "neg" for t in sent
        )

    @staticmethod
    def _acted_on(target: Token) -> bool:
        """Someone does something to the target with a verb we cannot read ("Russia lambasted
        the blockade"): a position, just not one to guess, so no neutral suggestion either."""
        if target.dep_ != "dobj":
            return False
        return any(c.dep_ in SUBJECT_DEPS and c.ent_type_ for c in target.head.children)

    def _speaks(self, token: Token, parsed: bool) -> bool:
        """A word of speech, also where the tagger missed the verb ("opening say normalization"),
        but not a noun with its determiner ("a one-party state")."""
        if token in self.reporting:
            return True
        if token not in self.speech:
            return False
        return not parsed or not any(
            c.dep_ in ("det", "amod", "poss", "compound") for c in token.children
        )

    # ---- deeds ----------------------------------------------------------------------------

    def _deed(
        self, deed: Token, support: bool, sides: dict[int, set[Side]], everywhere: set[Side],
        in_targets: set[int], named: Named, best: dict[tuple[int, str], _Best],
        context: DocContext,
    ) -> None:
        """A deed done by one side of a relation target to the other supports the relation;
        so does a support verb ("Moscow will support Havana") whose object is the other side."""
        sent = context.sentence(deed.i)
        if sent is None:
            return
        cue: Cue | None = (self.object_cues if support else self.deeds).get(deed)
        if cue is None:  # matched by an inflected form the lemma table does not know
            return
        actor = self._actor(deed)
        if actor is not None and actor.dep_ == "agent" and not any(
            t.i in sides for t in actor.subtree
        ):  # "the delegation was received by the Assembly's president": the guest's side
            actor = next((c for c in deed.children if c.dep_ == "nsubjpass"), actor)
        acting = set(actor.subtree) if actor is not None else set()
        actor_sides = {s for t in acting for s in sides.get(t.i, ())}
        if actor is not None and not actor_sides:  # "it was ready to help", "the minister"
            meant = self.holders.resolve(actor, named)
            actor_sides = {s for t in meant or () for s in sides.get(t.i, ())}
        receiving = [*sent, *context.dateline(sent)] if not support else self._supported(deed)
        rest = {
            s for t in receiving if t not in acting and t.head.i not in in_targets
            for s in sides.get(t.i, ())
        }
        if not support and actor_sides and self._to_a_place(deed, sides):
            # "Russian engineers arrive in Matanzas": a place of no side, in a story that names
            # the other side, is the other side's
            rest |= {(name, 1 - n) for name, n in actor_sides if (name, 1 - n) in everywhere}
        described = actor is not None and not any(t.i in sides for t in acting)
        thanked = {  # "thanked Russia for…", "thanked them for the help of Russian crews"
            s for t in deed.subtree if t not in acting for s in sides.get(t.i, ())
        } if deed in self.thanks and (actor is None or described) else set()
        for name, own in self.targets.own_side.items():
            if name in self.lexicon.no_deeds:
                continue
            mine = [n for n in (0, 1) if (name, n) in actor_sides]
            joint = len(mine) == 2 and not support  # "Russia and Cuba signed an agreement"
            if (name, own) in thanked:  # "the ambassador thanked Russia": the giver is thanked
                mine = [1 - own]  # by the other side, whoever the description stands for
            if not joint and not any((name, 1 - n) in rest for n in mine):
                continue  # a deed needs a doer of one side and the other side named
            polarity = _flip(cue.polarity) if self._negated(deed) else cue.polarity
            finding = _Finding(polarity, cue.weight * DEED_FACTOR, deed, "deed")
            _keep(best, (context.number(sent), name), _Best(finding, sent, deed))

    def _joint(
        self, context: DocContext, sides: dict[int, set[Side]], holders: dict[int, Span],
        best: dict[tuple[int, str], _Best],
    ) -> None:
        """Both parties of a relation acting together are for it, whatever they do: "Russia
        and Cuba agree to convene the commission", "Lavrov and Rodríguez discuss the
        bilateral agenda", "Cuban and Russian lawmakers renew their friendship group"; not
        when the verb is against something or negated ("Russia and Cuba condemn…"). The holder
        is found as for a cue: the first party, or the speaker who reports them."""
        for subject in _subjects_of(sides, context):
            sent = context.sentence(subject.i)
            if sent is None:
                continue
            number = context.number(sent)
            verb = subject.head
            cue = self.object_cues.get(verb)
            if (cue is not None and cue.polarity != "favor") or self._negated(verb):
                continue
            # the coordinated names themselves ("Russia and Cuba", "Cuban and Russian
            # lawmakers"), not what they modify ("trade between Russia and Cuba")
            heads = (subject, *subject.conjuncts)
            modifiers = [m for h in heads for c in h.children if c.dep_ == "amod"
                         for m in (c, *c.conjuncts)]
            named: dict[int, set[Side]] = {}  # party (a name counts once) -> its sides
            for t in (*heads, *modifiers):
                party = holders[t.i].start if t.i in holders else t.i
                if t.dep_ == "amod" and t.head.i in sides and t.i == t.head.i - 1:
                    party = t.head.i  # "Cuban Americans" are one people, not two
                named.setdefault(party, set()).update(sides.get(t.i, ()))
            for name in self.targets.own_side:
                if not any((name, 0) in named[a] and (name, 1) in named[b]
                           for a in named for b in named if a != b):
                    continue
                finding = _Finding("favor", PARTY_SCORE, verb, "joint action")
                _keep(best, (number, name), _Best(finding, sent, verb))

    def _goods(
        self, good: Token, sides: dict[int, set[Side]], everywhere: set[Side],
        holders: dict[int, Span], best: dict[tuple[int, str], _Best], context: DocContext,
        speaker: Callable[[Span], Span | None], members: dict[int, set[Side]],
    ) -> None:
        """Goods that carry one side's name, in a document that names the other side, are that
        side's support ("Russian wheat reached our bakeries", "a Russian tanker docks"),
        unless someone who speaks for no side is reported saying so."""
        sent = context.sentence(good.i)
        if sent is None or good.dep_ not in _GOODS_DEPS:
            return  # "a Russian oil company" is a company
        if not self._carried(good):
            return  # goods in a list, an image or a complaint: "Russian tankers fill the space"
        who = speaker(sent)
        if who is not None and not any(t.i in members for t in who):
            return  # "'Russian oil buys weeks, not years,' said an economist": his view
        for owner in good.children:
            if owner.dep_ not in ("amod", "compound", "poss", "nmod"):
                continue
            for name, number in sides.get(owner.i, ()):
                if (name in self.lexicon.no_deeds or self.targets.own_side.get(name) is None
                        or (name, 1 - number) not in everywhere):
                    continue
                finding = _Finding("favor", GOODS_SCORE, owner, "one side's goods")
                _keep(best, (context.number(sent), name),
                      _Best(finding, sent, good, holder=holders.get(owner.i)))

    @staticmethod
    def _to_a_place(deed: Token, sides: dict[int, set[Side]]) -> bool:
        """The deed goes to or happens at a named place that is no side's ("arrive in
        Matanzas", "docked at Cienfuegos", "opens a station near the capital's port")."""
        return any(
            p.dep_ == "prep" and p.lower_ in _PLACE_PREPS and g.dep_ == "pobj"
            and g.ent_type_ in _PLACES and not any(t.i in sides for t in g.subtree)
            for p in deed.children for g in p.children
        )

    def _carried(self, good: Token) -> bool:
        """Goods that move or work: the subject or object of a deed or a carrier word, also
        through a measure ("a team of Russian electricians will help", "barrels of Russian
        oil docked")."""
        node = good
        for _ in range(3):
            carrier = node.head.head if node.dep_ == "pobj" else node.head
            if carrier in self.deeds or carrier in self.carriers:
                return True
            if carrier.i == node.i or carrier.pos_ != "NOUN":
                return False
            node = carrier
        return False

    @staticmethod
    def _supported(verb: Token) -> list[Token]:
        """Who a support verb supports: its object itself, with its own modifiers ("support
        Havana", "backed the Cuban people", "stand by Cuba"), not whatever the object mentions
        ("hails normalisation as Cuba's victory")."""
        if verb.pos_ not in ("VERB", ""):
            return []
        heads = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
        heads += [g for c in verb.children if c.dep_ == "prep" for g in c.children
                  if g.dep_ == "pobj"]
        return [t for h in heads for t in (h, *h.children)
                if t.i == h.i or t.dep_ in ("amod", "compound")]

    def _actor(self, deed: Token) -> Token | None:
        """Who does the deed: the subject of its clause ("was ready to increase deliveries"),
        or a deed noun's possessor or agent; never across a clause boundary ("companies
        shipping oil", "tourists visiting Cuba" have no actor of a side's)."""
        node = deed
        for _ in range(_MAX_DEPTH):
            owner = next((c for c in node.children if c.dep_ in ("poss", "agent")), None)
            if owner is not None:
                return owner
            subject = self.holders.subject(node)
            if subject is not None:
                return subject
            if node.head.i == node.i or node.dep_ not in _ACTOR_PATH or node in self.reporting:
                return None
            if node.dep_ == "dobj" and not self._doing(node.head):
                return None  # "it called the agreement a victory": calling is not signing
            node = node.head
        return None

    def _doing(self, verb: Token) -> bool:
        """A verb whose subject does the deed named by its object: a deed itself ("signed an
        agreement"), a light verb ("led a delegation", "made a visit") or a favor cue
        ("increase deliveries")."""
        if any(c.dep_ == "oprd" for c in verb.children):
            return False  # "called the agreement a victory" names it, does not do it
        if verb.lemma_.lower() in _LIGHT_VERBS or verb in self.deeds:
            return True
        cue = self.object_cues.get(verb)
        return cue is not None and cue.polarity == "favor"

    # ---- the topic carried over from the sentence before ------------------------------------

    def _carry(
        self, context: DocContext, best: dict[tuple[int, str], _Best],
        line: Callable[[Span, str], _Best | None],
    ) -> None:
        """A sentence with a stance word but no target of its own, continuing the sentence
        before it, is about that sentence's targets ("We see in this a victory …"); without a
        stance word, a side's official speaking in it keeps the side's line on them (``line``),
        also on what a deed in the sentence before was for."""
        named: dict[int, set[str]] = {}  # sentence -> targets with a stance found in it
        mentioned: dict[int, set[str]] = {}
        done: dict[int, set[str]] = {}  # sentence -> targets of the deeds in it
        for (number, name), chosen in best.items():
            if chosen.finding.rule == "deed":
                # a deed names no target for the next sentence's stance words to be about,
                # but its side's official goes on speaking of it ("Without this fuel …")
                done.setdefault(number, set()).add(name)
                continue
            (mentioned if chosen.background else named).setdefault(number, set()).add(name)
        topic: set[str] = set()
        said: dict[str, tuple[int, _Finding]] = {}  # target -> the last stance taken on it
        # sentences that already say something: the speaker's line fills only silent ones
        saying = {number for (number, _name), chosen in best.items() if not chosen.background}
        for number, sent in enumerate(context.sents):
            own = named.get(number)
            if own:
                topic = own | mentioned.get(number, set())
                said.update((name, (number, best[(number, name)].finding)) for name in own)
                continue
            if not context.continues(number):
                topic = mentioned.get(number, set())
                continue
            silent = number not in saying
            if topic:
                finding = self._any_cue(sent)
                for name in topic:
                    carried = finding or self._quoted_on(number, name, said, context)
                    if carried is not None:
                        _keep(best, (number, name), _Best(carried, sent, sent.root))
                        silent = False
                    elif silent and (kept := line(sent, name)) is not None:
                        _keep(best, (number, name), kept)
            if silent:
                for name in done.get(number - 1, set()):
                    if (kept := line(sent, name)) is not None:
                        _keep(best, (number, name), kept)
            # a paragraph keeps its topic through sentences without a stance word
            topic = topic | mentioned.get(number, set())
        self._headlines(context, best, named, mentioned)

    @staticmethod
    def _main_topic(
        context: DocContext, mentions: list[Mention],
        line: Callable[[Span, str], _Best | None], best: dict[tuple[int, str], _Best],
    ) -> None:
        """A story about one target: a side's official quoted anywhere in it with no target of
        their own keeps the side's line on that target ("We will not negotiate under
        pressure," the Cuban foreign minister said, in a story about new sanctions). The
        story's target is the one named at least three times as often as any other."""
        counts = Counter(m.target for m in mentions).most_common(2)
        if not counts or (len(counts) == 2 and counts[0][1] < _MAIN_TOPIC * counts[1][1]):
            return
        main = counts[0][0]
        taken = {number for number, _name in best}
        for number, sent in enumerate(context.sents):
            if number not in taken and (kept := line(sent, main)) is not None:
                best[(number, main)] = kept

    def _sides_speak(
        self, context: DocContext, sides: dict[int, set[Side]], members: dict[int, set[Side]],
        speaker: Callable[[Span], Span | None], best: dict[tuple[int, str], _Best],
    ) -> None:
        """A side's official speaking of the other side speaks of their relation, and keeps
        the side's line on it ("Our Cuban friends can count on us," the Russian diplomat said).
        """
        taken = {number for number, _name in best}
        naming = sorted({  # the sentences that name a side (not every token is asked)
            context.number(sent) for i in sides if (sent := context.sentence(i)) is not None
        })
        for number in naming:
            if number in taken:
                continue
            sent = context.sents[number]
            who = speaker(sent)
            if who is None:
                continue
            own = {s for t in who for s in sides.get(t.i, ())}
            others = {s for t in sent if t.i < who.start or t.i >= who.end
                      for s in sides.get(t.i, ())}
            for name in self.targets.own_side:
                if (number, name) in best:
                    continue
                found = self.camps.position(who, name, members)
                if found is None:
                    continue
                mine = [n for n in (0, 1) if (name, n) in own]
                if not any((name, 1 - n) in others for n in mine):
                    continue
                finding = _Finding(found, CAMP_SCORE, None, "the speaker's side")
                best[(number, name)] = _Best(finding, sent, sent.root, holder=who)

    def _advocates(
        self, context: DocContext, mentions: list[Mention], groups: list[Token],
        best: dict[tuple[int, str], _Best],
    ) -> None:
        """People named by what they are for or against speak for it: "Supporters of the
        opening argue…" (the target of their "of" phrase), "Critics say the embargo…" (the
        targets the sentence names), "Critics in Washington see a security risk" (the topic
        of the sentence before it, else of the one after it)."""
        at = {t.i: m.target for m in mentions for t in m.span}
        for group in groups:
            polarity = self.advocates.get(group) if group.dep_ == "nsubj" else None
            sent = context.sentence(group.i)
            if polarity is None or sent is None:
                continue
            number = context.number(sent)
            whose = {at[t.i] for t in group.subtree if t.i in at}
            holder = next((e for e in sent.ents if e.start >= group.i
                           and e.end <= group.right_edge.i + 1
                           and e.label_ in _GROUP_HOLDERS), None)
            finding = _Finding(polarity, ADVOCATE_SCORE, None, "advocates")
            # what they say is about the sentence's other target, when it names one
            # ("defenders of engagement say the embargo has failed"), else about what
            # they are named for, else about the topic the sentence carries on
            names = {name for n, name in best if n == number} - whose or whose
            if not names:  # "Critics disagree." between two sentences on the topic
                names = ({name for n, name in best if n == number - 1}
                         or {name for n, name in best if n == number + 1})
            for name in names:
                if name in whose:
                    best[(number, name)] = _Best(finding, sent, group, holder=holder)
                else:
                    _keep(best, (number, name), _Best(finding, sent, group, holder=holder))

    def _measures(
        self, context: DocContext, sides: dict[int, set[Side]], verbs: list[Token],
        best: dict[tuple[int, str], _Best],
    ) -> None:
        """Opening up or closing down what a relation is made of is a stance on it:
        "Washington reopened its embassy", "the administration capped remittances",
        "flights were curtailed", "reversed much of the opening". Not where another relation
        target's side acts or is named ("Aeroflot flights from Moscow")."""
        for name, measures, opening, closing in self.measures:
            # the sides no other target shares: Russia for the partnership
            others = {(t, own) for t, own in self.targets.own_side.items() if t != name}
            for verb in verbs:
                opens = verb in opening
                sent = context.sentence(verb.i)
                if verb.pos_ != "VERB" or sent is None or (not opens and verb not in closing):
                    continue
                objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
                if verb.dep_ in ("amod", "acl") and verb.head in measures:
                    objects.append(verb.head)  # "remittances capped by Washington"
                doer: Token | None = verb
                if not objects:  # "embassies reopened in 2015": nobody named doing it
                    objects, doer = [c for c in verb.children if c.dep_ == "nsubj"], None
                if not any(self._measured(o, measures) for o in objects):
                    continue
                if any(s in others for t in sent for s in sides.get(t.i, ())):
                    continue  # Moscow's flights to Havana are the partnership's
                polarity = "favor" if opens != self._negated(verb) else "against"
                finding = _Finding(polarity, MEASURE_SCORE, doer, "opening or closing it")
                _keep(best, (context.number(sent), name), _Best(finding, sent, verb))

    @staticmethod
    def _measured(thing: Token, measures: WordTable) -> bool:
        """The thing, or what it is of or on, is one of the relation's measures ("travel
        rules", "caps on remittances", "much of the opening", "immigrant visa processing")."""
        heads = [thing, *thing.conjuncts]
        heads += [g for h in heads for p in h.children if p.dep_ == "prep"
                  and p.lower_ in ("of", "on") for g in p.children if g.dep_ == "pobj"]
        heads += [g for h in list(heads) for g in h.conjuncts]
        return any(w in measures for h in heads for w in (h, *(
            c for c in h.subtree
            if c.dep_ == "compound" or (c.dep_ == "amod" and c.head.i == h.i))))

    @staticmethod
    def _quoted_on(
        number: int, name: str, said: dict[str, tuple[int, _Finding]], context: DocContext
    ) -> _Finding | None:
        """A sentence of a quotation whose other sentence took a stance on the target goes on
        saying it ("“Russia has been there for us. This is what friends do,” she said.")."""
        source = said.get(name)
        if source is None or source[0] not in context.quotation.get(number, ()):
            return None
        finding = source[1]
        return _Finding(finding.polarity, finding.score * CARRIED_FACTOR, None,
                        "quotation carried over")

    def _headlines(
        self, context: DocContext, best: dict[tuple[int, str], _Best],
        named: dict[int, set[str]], mentioned: dict[int, set[str]],
    ) -> None:
        """A headline with a stance word and no target of its own is about the targets of the
        lead below it ("Havana and Moscow condemn" over a lead about new sanctions)."""
        taken = {number for number, _name in best}
        for number, sent in enumerate(context.sents[:-1]):
            if number in taken or not context.headline(number):
                continue
            below = _lead(context, number)
            lead = named.get(below, set()) | mentioned.get(below, set())
            # a headline's verb with an object of its own ("condemn U.S. lawsuit") still
            # speaks of the lead's target: the headline names it in fewer words
            finding = self._any_cue(sent, headline=True) if lead else None
            if finding is not None:
                for name in lead:
                    _keep(best, (number, name), _Best(finding, sent, sent.root))

    def _any_cue(self, sent: Span, headline: bool = False) -> _Finding | None:
        """The strongest stance word anywhere in a sentence, turned by its own negation."""
        found = None
        for token in sent:
            cue = self.subject_cues.get(token) if token.pos_ in _EVALUATIVE_POS else None
            if cue is None and token.pos_ in _ACTION_POS and (headline or not _own_object(token)):
                cue = self.object_cues.get(token)
                cue = cue if cue is not None and cue.weight >= _STRONG_CUE else None
            if cue is None or cue.polarity == NEUTRAL:
                continue
            score = cue.weight * CARRIED_FACTOR
            if found is None or score > found.score:
                polarity = _flip(cue.polarity) if self._negated(token) else cue.polarity
                found = _Finding(polarity, score, token, "topic carried over")
        return found

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
            if _coordinated(node):
                return None  # "reject that view and describe Cuba as a partner": its own clause
            below, node = node, node.head
            steps += 1
            if node.i in inside:
                continue
            if self.reporting.get(node) is not None and below.dep_ in _REPORTED:
                return None  # reported speech: the stance is in the clause below the speech verb
            if any(c.dep_ == "oprd" for c in node.children):
                return None  # "called the sanctions a failed policy" names them, acts on nothing
            if self._negated(node):
                sign, negated = -sign, True
            if self.removal.get(node) is not None:
                if below.dep_ != "nsubj":  # "help our friends overcome it": friends remove nothing
                    sign = -sign
                continue
            cue = self.object_cues.get(node)
            if cue is None:
                continue
            if below.dep_ in ("nsubj", "csubj"):
                return None  # "US restrictions have kept banks out": the target does it
            if below.dep_ == "dobj" and node.lemma_.lower() in _NAMING:
                return None  # "called the restrictions an act of aggression" names them
            up, hops = node, 0
            while up.dep_ in _OUTER_DEPS and up.head.i != up.i:
                if _coordinated(up):
                    break  # "rejects the criticism and condemns the blockade": a sibling verb
                up, hops = up.head, hops + 1
                if self.reporting.get(up) is not None:
                    break
                if self._negated(up) or self.negation_verbs.get(up) is not None:
                    sign, negated = -sign, True
                # the preposition "against" is itself the cue of "voted against the embargo":
                # its verb carries it, and must not turn it a second time
                carrier = hops == 1 and node.pos_ == "ADP"
                outer = self.object_cues.get(up) if hops <= 2 and not carrier else None
                if outer is not None and outer.polarity == "against":
                    sign = -sign  # "warned against deepening ties", "rejected strengthening"
            polarity = cue.polarity if sign > 0 else _flip(cue.polarity)
            if self._open_question(node):
                polarity = NEUTRAL
            distance = 1.0 if steps <= 3 else 0.85 if steps <= 5 else 0.7
            score = cue.weight * distance * (0.9 if negated else 1.0)
            return _Finding(polarity, score, node, "governing cue")
        return None

    @staticmethod
    def _open_question(cue: Token) -> bool:
        """A cue in a "whether" clause (or joined to one) is a question, not a position."""
        clause = cue.head if cue.dep_ == "conj" else cue
        return any(c.dep_ == "mark" and c.lower_ in _OPEN_QUESTION
                   for c in (*cue.children, *clause.children))

    def _imposed(self, target: Token) -> _Finding | None:
        """The target's own word as a verb is the act of imposing it: "Washington sanctions
        Havana", "the US blockaded the island" (favor, held by whoever does it)."""
        if target.pos_ != "VERB":
            return None
        polarity = "against" if self._negated(target) else "favor"
        return _Finding(polarity, REMOVAL_WEIGHT, target, "imposing it")

    def _removed(self, target: Token) -> _Finding | None:
        """Removing the target is a stance against it: "Washington will ease the embargo",
        "the embargo would be mitigated" (tightening it is a favor cue of the lexicon)."""
        verb = target.head.head if target.dep_ == "pobj" else target.head
        if target.dep_ not in ("dobj", "pobj", "nsubjpass") or verb not in self.removal:
            return None
        if any(c.dep_ == "aux" and c.lower_ in _ABILITY for c in verb.children):
            return None  # "only Congress can lift the embargo" says who could, not who wants
        polarity = "favor" if self._negated(verb) else "against"
        return _Finding(polarity, REMOVAL_WEIGHT, verb, "removal")

    def _described(self, target: Token, inside: set[int]) -> _Finding | None:
        """A cue that says something about the target: its modifier, or its predicate."""
        flip = False
        head = target.head.head if target.dep_ == "pobj" else target.head
        if target.dep_ in ("dobj", "pobj") and self.removal.get(head) is not None:
            target, flip = head, True  # "lifting the embargo would reward repression"
        words: list[tuple[Token, Token]] = []  # (cue word, the verb whose negation counts)
        words += [(c, c) for c in target.children if c.dep_ in ("amod", "appos", "acl", "relcl")]
        verb = target.head
        if target.dep_ == "pobj" and verb.dep_ == "agent":  # "was slowed by the embargo"
            words.append((verb.head, verb.head))
        if target.dep_ in SUBJECT_DEPS and verb.i != target.i:
            words.append((verb, verb))
            for child in verb.children:
                if child.dep_ in _PREDICATE_DEPS:
                    words.append((child, verb))
                    words += [(g, verb) for g in child.children if g.dep_ in ("amod", "acomp")]
        if target.dep_ == "dobj":  # "described the sanctions as a relic"
            for prep in (*verb.children, *target.children):  # "as" hangs on either
                if prep.dep_ == "prep" and prep.lower_ == "as":
                    words += [(p, verb) for p in prep.children if p.dep_ == "pobj"]
                if prep.dep_ in ("oprd", "xcomp"):
                    words.append((prep, verb))
                    # "called the sanctions a policy that has failed"
                    words += [(c, c if c.dep_ != "amod" else verb) for c in prep.children
                              if c.dep_ in ("relcl", "acl", "amod")]
        for word, verb in words:
            if word.i in inside:
                continue
            cue = self.subject_cues.get(word)
            if cue is None:
                continue
            negated = self._negated(word) or (verb.i != word.i and self._negated(verb))
            if word.tag_ in _COMPARATIVE:
                negated = False  # "has never been stronger" is as strong as it gets
            polarity = _flip(cue.polarity) if negated != flip else cue.polarity
            return _Finding(polarity, cue.weight * 0.95, verb, "describing cue")
        return None

    @staticmethod
    def _phrases(
        sent: Span, hits: Iterable[tuple[int, int, Cue]], parsed: bool
    ) -> _Finding | None:
        chosen = [cue for start, end, cue in hits if sent.start <= start and end <= sent.end]
        if not chosen:
            return None
        cue = max(chosen, key=lambda c: c.weight)
        anchor = sent.root if parsed else None
        return _Finding(cue.polarity, cue.weight * 0.8, anchor, "phrase")

    def _linear(
        self, span: Span, sent: Span, inside: set[int], factor: float, parsed: bool
    ) -> _Finding | None:
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
            cue = self.object_cues.get(token)
            if cue is None:
                continue
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
            polarity = cue.polarity if sign > 0 else _flip(cue.polarity)
            distance = 1.0 if span.start - i <= 4 else 0.85
            return _Finding(polarity, cue.weight * factor * distance, token, "nearest cue")
        return None

def _subjects_of(sides: dict[int, set[Side]], context: DocContext) -> list[Token]:
    """The clause subjects a side word belongs to, itself or through the words it is
    coordinated with or modifies ("Russia and Cuba", "Cuban and Russian lawmakers"), in text
    order: the only subjects that can name both parties of a relation."""
    if not sides or not context.sents:
        return []
    doc = context.sents[0].doc
    found: set[int] = set()
    for i in sides:
        token = doc[i]
        for _ in range(_MAX_DEPTH):
            if token.dep_ == "nsubj":
                found.add(token.i)
                break
            if token.dep_ not in ("conj", "amod", "compound") or token.head.i == token.i:
                break
            token = token.head
    return [doc[i] for i in sorted(found)]


def _lead(context: DocContext, headline: int) -> int:
    """The sentence a headline stands over: the first below it that says something, past a
    dateline, a byline or an outlet's label ("BRUSSELS, Nov 5 (Reuters) -", "By Ana Ruiz")."""
    number = headline + 1
    while (number < len(context.sents) - 1 and number <= headline + _LEAD_SKIP
           and len(context.sents[number]) <= _LINE_WORDS
           and not any(t.pos_ in ("VERB", "AUX") for t in context.sents[number])):
        number += 1
    return number


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


def _keep(best: dict[tuple[int, str], _Best], key: tuple[int, str], candidate: _Best) -> None:
    """One suggestion per sentence and target: the strongest evidence wins."""
    held = best.get(key)
    if held is None or held.background or held.finding.score < candidate.finding.score:
        best[key] = candidate
