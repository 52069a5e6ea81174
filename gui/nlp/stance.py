"""Stance suggestions: per sentence, which target, which polarity, who holds it, how sure.

How a suggestion is made (the lexicon, resources/stance/lexicon.toml, holds the words; see
docs/prefill.md for each rule with the kind of sentence it is for):
1. Targets (targets.py): the schema's and the lexicon's cues, the entities the schema links to
   a target, and relation words ("ties", "friendship") given the target whose side is named
   around them. A sentence without a mention that continues the one before it (context.py:
   same paragraph, a pronoun or "this" at its start, a quotation, the lead under a headline)
   takes that sentence's targets when it has a stance word of its own. A word that points
   back ("the decision", "the move", "it": pointers.py) is read as the target it stands for.
2. Polarity (stance_cues.py): from the target, walk up the dependency tree to the first cue
   that governs it ("rejects the blockade", "its rejection of the blockade"). Removal words on
   the way flip it ("calls for the elimination of the blockade" is against the blockade), and
   so does a negation on the way or on a verb above the cue ("did not support", "refused to
   back"). Failing that, cues that say something about the target ("the illegal blockade",
   "sanctions are a relic", "the embargo has failed"), then fixed phrases anywhere in the
   sentence, then (weakest, and the only way without a parser) the nearest cue before the
   target. A target named by a word only one camp uses ("the blockade") takes that camp's
   side, and a measure its speaker calls their own ("our sanctions") is favor of it.
   Deeds (stance_deeds.py: aid, shipments, visits, thanks, credits) done by one side of a
   relation target to the other are support for it ("Russia sent 90,000 tonnes of oil to
   Cuba"). Goods that carry one side's name ("Russian wheat") are that side's support, and
   thanking one side is the other side's. Both parties of a relation acting together are for
   it ("Russia and Cuba agree to …"). The relation's own side's deed counts with the other
   side named only elsewhere in the story ("A team from Moscow will train local crews").
   News copy's history told with a year ("has maintained an embargo since 1962", "the two
   countries restored relations in 2015") is a neutral background fact, not the doer's stance.
   A mention with none of these, in the article's own voice (stance_voice.py: no speaker, no
   quotation, no entity taking a position, no first person, negation or modal), is a neutral
   background mention without a holder. Questions take no side; interview answers take the
   question's topic. A sentence with a stance word and no target takes the one it carries on
   (stance_carried.py), and a side's official reported speaking with no stance word keeps the
   side's line (camps.py: "'Our Cuban friends can count on us,' the Russian envoy said"): on a
   target the sentence names, on the topic it carries on, on the relation when it names the
   other side, and anywhere in a story about one target.
3. Holder (holders.py): the subject of the cue's clause, the speaker, a quotation's speaker,
   with pronouns and titles resolved to the entity named before them; every interview answer
   is the interviewee's, and a signed opinion piece's own voice its byline author's.
4. Confidence: the cue's weight, lowered with distance and for weaker evidence; below the
   threshold nothing is suggested. Reported speech does not flip a stance.

This module reads a Doc, runs the rules (kept in the modules named above) over it, and turns
the strongest finding per sentence and target (stance_findings.py) into a suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from gui.core.schema import Schema
from gui.nlp import stance_carried, stance_voice
from gui.nlp.camps import Camps
from gui.nlp.context import DocContext, build_context
from gui.nlp.evidence import evidence_span
from gui.nlp.holders import HolderFinder, Named, schema_holder_labels
from gui.nlp.lexicon import Lexicon
from gui.nlp.pointers import Pointers
from gui.nlp.stance_cues import Cues
from gui.nlp.stance_deeds import DeedRules
from gui.nlp.stance_findings import (
    BACKGROUND_SCORE,
    CAMP_SCORE,
    NEUTRAL,
    PARTY_SCORE,
    WRITER_SCORE,
    Best,
    BestTable,
    Finding,
)
from gui.nlp.stance_voice import Voice
from gui.nlp.targets import ADVOCATE, TURN, Matches, Mention, Side, TargetFinder
from gui.nlp.words import WordTable

# The rules that find a doer's deed: in a transcript's turn the doer keeps it (voice_holder).
DEEDS = {"deed", "joint action", "opening or closing it"}
# The rules whose cue verb a year can make a fact of history (stance_voice.dated_fact).
DATED = {"governing cue", "opening or closing it"}


@dataclass(frozen=True)
class StanceSuggestion:
    start: int
    end: int
    target: str
    polarity: str
    holder: tuple[int, int] | None
    confidence: float
    rule: str = ""  # which rule made it (not stored): for explaining and tuning


@dataclass
class Reading:
    """A Doc's sentences and quotations, the sides its words name, its target mentions; and its
    holder index once someone asks (``StanceFinder.holder_index``)."""

    context: DocContext
    sides: dict[int, set[Side]]
    mentions: list[Mention]
    matches: Matches  # the words of each kind the target finder looks for
    holder_index: tuple[dict[int, Span], Named] | None = None
    voices: tuple[Span | None, Span | None] | None = None  # (byline author, interviewee)
    # home side -> token -> the camps it speaks for (``StanceFinder.members``)
    members: dict[frozenset[Side], dict[int, set[Side]]] = field(default_factory=dict)


class StanceFinder:
    """Built once per pipeline and lexicon; ``find`` runs per Doc (cheap next to the model)."""

    def __init__(self, nlp: Language, schema: Schema, lexicon: Lexicon, threshold: float):
        self.lexicon = lexicon
        self.threshold = threshold
        self.polarities = set(schema.polarities)
        lemmas = "lemmatizer" in nlp.pipe_names
        self.targets = TargetFinder(nlp, schema, lexicon)
        self.holders = HolderFinder(lexicon, lemmas, nlp.make_doc, schema_holder_labels(schema))
        self.cues = Cues(nlp, lexicon, lemmas, self.holders.reporting)
        self.deed_rules = DeedRules(lexicon, lemmas, self.cues, self.holders, self.targets)
        self.voice = Voice(self.holders.reporting, WordTable.of(lexicon.reporting_verbs, lemmas))
        self.bodies = WordTable.of(lexicon.relation_bodies, lemmas)
        self.camps = Camps(lexicon, self.targets, lemmas)
        self.pointers = Pointers(nlp.vocab, lexicon, lemmas)

    # ---- the public entry point -----------------------------------------------------------

    def read(self, doc: Doc, text: str | None = None) -> Reading:
        """What ``find`` reads of a Doc before any rule runs; the trained classifier reads
        it too (stance_facts.py), so pre-fill asks for it once. ``text``: the Doc's text, when
        the caller has it (``build_context``)."""
        context = build_context(doc, text)
        matches = self.targets.matches(doc)
        sides = self.targets.side_map(doc, context.ents, matches)
        return Reading(context, sides, self.targets.mentions(doc, sides, context, matches),
                       matches)

    def holder_index(self, doc: Doc, reading: Reading) -> tuple[dict[int, Span], Named]:
        """The Doc's holder entities and named subjects (``HolderFinder.prepare``), built once
        per reading: the rules' holders and the classifier's own (stance_facts.py) need the
        same index, and pre-fill hands both the same reading."""
        if reading.holder_index is None:
            reading.holder_index = self.holders.prepare(doc, reading.context.ents)
        return reading.holder_index

    def members(self, reading: Reading, home: set[Side] | frozenset[Side] = frozenset(),
                ) -> dict[int, set[Side]]:
        """The camps each token speaks for (``Camps.members``), found once per reading and
        home side: the rules ask with the dateline's side, the classifier's facts
        (stance_facts.py) without one, and most documents have no dateline of a side."""
        key = frozenset(home)
        if key not in reading.members:
            reading.members[key] = self.camps.members(reading.context.ents, reading.sides, key)
        return reading.members[key]

    def voices(self, doc: Doc, reading: Reading) -> tuple[Span | None, Span | None]:
        """The signed opinion piece's byline author and the interview's interviewee, if any,
        found once per reading."""
        if reading.voices is None:
            reading.voices = (stance_voice.byline_author(doc, reading.context),
                              stance_voice.interviewee(reading.context))
        return reading.voices

    def voice_holder(self, sent: Span, found: Span | None, reading: Reading,
                     background: bool = False, deed: bool = False) -> Span | None:
        """Who holds a stance the document's kind decides, whatever the sentence says: every
        interview answer is the interviewee's, and a signed opinion piece's own voice (no
        holder found, no quotation, no speech verb) its author's, and so is its headline above
        the byline, whoever it names ("Keep the pressure on Havana's generals" / "By Richard
        Halloway": the piece's thesis in a line); else ``found``. Asked for the rules'
        suggestions and the trained classifier's alike (stance_facts.py). A transcript's
        labelled turn is its speaker's, unless the speaker reports someone else's position
        ("DANA WHITCOMBE: Some in Congress say the answer is to tighten the embargo": the
        guidelines give it to Congress, and "Critics say…" to nobody) or tells of a named
        doer's ``deed`` ("Kennedy had signed it in February": Kennedy's, as a deed is its
        doer's wherever it is told). A transcript's lines outside its turns (the introduction,
        a closing note) are nobody's answers."""
        context = reading.context
        author, interviewee = self.voices(sent.doc, reading)
        turn = context.turns.get(context.number(sent))
        if turn is not None:
            keep = (deed and found is not None) or self.voice.reports_another(sent, context)
            return found if keep else turn
        if context.interviewee_answers(context.number(sent)):
            return interviewee or found
        if author is not None and sent.end <= author.start:
            return author
        if (found is None and author is not None and not background
                and self.voice.own_voice(sent, context)):
            return author
        if (found is None and author is None and not background
                and context.issuer_speaks(context.number(sent))):
            return context.issuer()  # a statement's "we", its "should": its issuer's
        return found

    def writer_judges(self, sent: Span, found: Span | None, target: str, polarity: str,
                      reading: Reading) -> Span | None:
        """In a signed opinion piece's own voice, a stance against the line of the side the
        holder found speaks for is the author's: the party is what the writer judges, not
        who judges ("The Kremlin wants a foothold near the United States…", "Havana pays for
        it with political loyalty": against the partnership, the author's; "Moscow has poured
        fuel into Havana": for it, Moscow's). Over the development sets' opinion pieces, where
        the finder named a party in the piece's own voice, the gold gave the author every
        stance against the party's side's line (camps.py), and the party 33 stances along it
        or where it has none. A party with no line the sentence does not name, carried from a
        sentence before ("it"), is the writer's judgement too ("Washington put its money where its
        principles were. It has, however, denied the Cuban military billions…": the author's;
        the development sets' fold gained one holder, lost none). ``found`` otherwise; the
        author's nearest mention (``Named.latest``), as the classifier's holders are given."""
        if found is None or polarity == NEUTRAL:
            return found
        author = self.voices(sent.doc, reading)[0]
        if author is None or found.start == author.start or sent.start < author.start:
            return found
        line = self.camps.position(found, target, self.members(reading))
        # a party with no line the sentence does not name, carried from a sentence before
        # (by "it": "For the first time since 2014, Washington put its money where its
        # principles were. It has, however, denied the Cuban military billions"): the
        # writer's judgement of it
        carried = found.end <= sent.start and found.label_ != "PERSON" and line is None
        if (line is None or line in (NEUTRAL, polarity)) and not carried:
            return found
        if not self.voice.own_voice(sent, reading.context):
            return found
        return self.holder_index(sent.doc, reading)[1].latest(author, sent.start)

    def find(self, doc: Doc, offset: int = 0,
             reading: Reading | None = None) -> list[StanceSuggestion]:
        """Suggestions for one Doc; character offsets are shifted by ``offset`` (chunks)."""
        reading = reading or self.read(doc)
        context, sides, mentions = reading.context, reading.sides, reading.mentions
        parsed = context.parsed
        matches = reading.matches
        deeds, spotted = self.targets.deeds(doc, matches) if sides or mentions else ([], {})
        goods = self.targets.goods(doc, matches) if sides and parsed else []
        if not mentions and not sides:
            return []  # no target named, and no side whose deeds or officials could speak
        phrase_hits = self.cues.phrase_hits(doc)
        best: BestTable = {}
        relations = self.targets.own_side  # a relation is not imposed on anyone
        for mention in mentions:
            self.cues.judge(mention, parsed, phrase_hits, best, context,
                            imposable=mention.target not in relations)
        holders, named = self.holder_index(doc, reading)
        author, interviewee = self.voices(doc, reading)
        home = stance_voice.home_sides(context, sides, self.camps)  # its dateline's side
        members = self.members(reading, home)
        speakers: dict[int, Span | None] = {}

        def speaker(sent: Span) -> Span | None:
            """Who is reported as saying the sentence (the interviewee in an answer), asked
            once per sentence."""
            number = context.number(sent)
            if number not in speakers:
                turn = context.turns.get(number)
                if turn is not None:  # a transcript's turn: its speaker, or whom it reports
                    speakers[number] = self.holders.speaker(
                        sent, holders, named, context) or turn
                else:
                    speakers[number] = interviewee if context.interviewee_answers(number) \
                        else self.holders.speaker(sent, holders, named, context)
            return speakers[number]

        def line(sent: Span, name: str) -> Best | None:
            """The position the sentence's speaker's camp takes on the target."""
            if not members:
                return None
            who = speaker(sent)
            found = self.camps.position(who, name, members)
            if found is None:
                return None
            finding = Finding(found, CAMP_SCORE, None, "the speaker's side")
            return Best(finding, sent, sent.root, holder=who)

        held: dict[int, tuple[Best, Span | None]] = {}  # id -> (finding, its holder)

        def holder_of(chosen: Best) -> Span | None:
            """Who holds a finding: the rule's own holder, else the holder finder's; every
            interview answer is the interviewee's, a signed opinion piece's own voice its
            author's. Asked once per finding (the speakers' lines ask before the suggestions
            do; a finding is never changed, only replaced, and kept here it keeps its id)."""
            if id(chosen) in held:
                return held[id(chosen)][1]
            deed = chosen.finding.rule in DEEDS
            found = chosen.holder or self.holders.find(
                chosen.finding.anchor, chosen.sent, chosen.target_root, holders, named, context,
                deed)
            found = self.voice_holder(chosen.sent, found, reading, chosen.background, deed)
            held[id(chosen)] = (chosen, found)
            return found

        spoken: dict[tuple[str, str], list[str]] = {}

        def own_line(sent: Span, name: str) -> Best | None:
            """The line the sentence's speaker took on the target in sentences of their own
            (a person holds one position on a target through a story): the camp's where the
            speaker has one, else the speaker's own found stances when they agree."""
            camp = line(sent, name)
            if camp is not None:
                return camp
            who = speaker(sent)
            if who is None:
                return None
            if not spoken:
                spoken.update(stance_carried.spoken_lines(best, holder_of))
            found = spoken.get((who[-1].lower_, name), [])
            if len(found) < 2 or len(set(found)) != 1:
                return None  # one finding is no line; two positions are none
            finding = Finding(found[0], CAMP_SCORE, None, "the speaker's own line")
            return Best(finding, sent, sent.root, holder=who)

        if parsed:
            # "the US blockade" names the embargo, not a party to a deed
            in_targets = {t.i for m in mentions if not m.generic for t in m.span}
            everywhere = {s for found in sides.values() for s in found}
            for deed, support in deeds:
                self.deed_rules.deed(deed, support, sides, everywhere, in_targets, named, best,
                                     context, speaker, members)
            for good in goods:
                if good.i not in in_targets:
                    self.deed_rules.goods(good, sides, everywhere, holders, best, context,
                                          speaker, members)
            if sides:
                self.deed_rules.joint(context, sides, holders, best)
            if spotted.get(TURN) and sides:
                self.deed_rules.measures(context, sides, spotted[TURN], best)
            acts: dict[int, set[str]] = {}  # what was done, for "the decision" to point at
            for (number, name), chosen in best.items():
                if not chosen.background:
                    acts.setdefault(number, set()).add(name)
            for pointer in self.pointers.mentions(doc, context, mentions, acts):
                self.cues.judge(pointer, parsed, phrase_hits, best, context,
                                imposable=pointer.target not in relations)
            stance_carried.carry(context, best, own_line, self.cues)
            if members:
                stance_carried.sides_speak(context, sides, members, speaker, best,
                                           self.targets.own_side, self.camps)
                stance_carried.main_topic(context, mentions, line, best)
            if spotted.get(ADVOCATE) and mentions:
                self.deed_rules.advocates(context, mentions, spotted[ADVOCATE], best)
        opinion = any(chosen.background for chosen in best.values()) and (
            stance_voice.is_opinion(context, author))  # asked only where a line could be kept
        lines = self.voice.writer_lines(best, context) if opinion else {}
        suggestions = []
        for (number, name), chosen in sorted(best.items()):
            finding, sent = chosen.finding, chosen.sent
            if number in context.navigation:
                continue  # "Related: Cuba and Russia discuss a new oil deal" links elsewhere
            if number in context.questions and not any(
                self.voice.speaks(t, parsed) for t in sent
            ):
                continue  # an interviewer's or a headline's question asks, it takes no side
            # the finding's holder is looked for only where it is kept: a background mention's
            # or a line's holder is another one
            if (not chosen.background and finding.rule in DATED and parsed
                    and stance_voice.dated_fact(chosen.target_root if finding.anchor is None
                                                else finding.anchor)
                    and self.voice.background(sent, context)):
                holder_span = None  # "The United States has kept an embargo since 1962"
                finding = Finding(NEUTRAL, BACKGROUND_SCORE, None, "a dated fact")
            elif not chosen.background:
                holder_span = holder_of(chosen)
            elif (name in lines and number not in context.answers
                    and self.voice.own_voice(sent, context)):
                # an opinion piece's own mention of the target is its writer's line
                finding, holder_span = Finding(lines[name], WRITER_SCORE, None,
                                               "the writer's line"), author
            elif chosen.carried:  # a pointer with no cue: only a line speaks of it
                said = line(sent, name)
                if said is None:
                    continue
                finding, holder_span = said.finding, said.holder
            elif chosen.generic and chosen.target_root in self.bodies:
                holder_span = holder_of(chosen)
                finding = Finding("favor", PARTY_SCORE, None, "a joint body")
            elif (self.voice.background(sent, context)
                  and not stance_voice.acted_on(chosen.target_root)
                  and not stance_voice.aside(chosen.target_root)):
                holder_span = None  # the article's own statement: nobody's position
                finding = Finding(NEUTRAL, BACKGROUND_SCORE, None, "background mention")
            elif ((holder_span := holder_of(chosen)) is not None
                  and (chosen.generic or chosen.quoted)
                  and self.targets.is_party(holder_span, name, sides)):
                finding = Finding("favor", PARTY_SCORE, None, "a party speaks of it")
            elif (said := line(sent, name)) is not None:
                finding, holder_span = said.finding, said.holder
            else:
                continue
            if finding.polarity not in self.polarities:
                continue
            if parsed and any(self.cues.unasserted(t, finding.polarity != NEUTRAL)
                              for t in (finding.anchor, chosen.target_root) if t is not None):
                continue  # a condition, a denied claim or a question: nobody's position
            score = min(0.99, finding.score + (0.05 if holder_span is not None else 0.0))
            if score < self.threshold:
                continue
            before = context.sents[number - 1] if number else None
            start, end = evidence_span(
                context.text, sent.start_char, sent.end_char,
                (before.start_char, before.end_char) if before is not None else None)
            if holder_span is not None:  # the mention a reader points at: the nearest
                holder_span = named.latest(
                    self.writer_judges(sent, holder_span, name, finding.polarity, reading),
                    sent.start)
            holder = (
                (holder_span.start_char + offset, holder_span.end_char + offset)
                if holder_span is not None else None
            )
            suggestions.append(
                StanceSuggestion(start + offset, end + offset, name, finding.polarity, holder,
                                 round(score, 3), finding.rule)
            )
        return suggestions
