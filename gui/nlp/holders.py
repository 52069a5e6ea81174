"""Who holds a stance: the entity that takes it, found in the parse and in the sentences before.

In order (the first that gives an entity wins):
1. the subject of the cue's clause, or the possessor of a stance noun ("Russia's calls for");
   a subject that is the target itself ("the US embargo failed") is never its holder;
2. the speaker: the subject of a speech or opinion verb above or beside the clause ("…, Lavrov
   said", "Russia believes that …"), else "according to X";
3. a quotation's speaker, for the sentences of a quotation that names its speaker in another
   sentence ("“… We confirmed …,” Lavrov added.");
and a subject that is not a name is resolved: a title or a pronoun for a person ("the minister
said", "he told") is the nearest person named as a subject before it; "it", or a group noun
alone ("the ministry said"), the nearest government or organisation named as a subject before
it; a group noun with a nationality or a country in it ("the Russian side believes", "the Cuban
government") is that nationality or country. "They" is left unresolved (it is often two
parties at once).

Kinds of sentence the fourth round added (docs/prefill.md, "Holders, fourth round"): a name a
relative clause hangs on ("Washington, which has kept the embargo"); people named by their side
in the plural ("Cuban economists"); a title repeated from the mention it introduced ("Ambassador
Julio Ferrer … the ambassador"); a party inside a quotation is its speaker's, and a quotation
going on after its speaker's sentence too; whom a recommendation is addressed to ("Congress
should…") holds nothing; a passive's agent; a headline's first name; title-case datelines. The
holder given is the nearest named mention of its entity (``Named.latest``).

The fifth round (docs/prefill.md, "Holders, fifth round"): "it" and a bare group noun stand for
a body (a government, an organisation, a side's group noun), never for people named by their
nationality; an unnamed speaker's words are nobody's; a body's envoys or members ("planes from
Russia's Emergencies Ministry", "hawks in Congress"); a party a speaker introduces in the
speaker's quoted words is the speaker's; someone unnamed of a side in the singular ("a Russian
foreign ministry spokesman") is the side, and lower-case words the recognizer took for a name
are none; a long title's own name; an administration's deed is its head's ("his
administration", "under President X"); a noun's own name before the name modifying it ("the
Communist Party newspaper Granma"); a comma pair before its verb ("Lavrov, Rodríguez
discuss…"); whom a "by" names, on a noun too ("a decision by the Commerce Department").

The seventh round (docs/prefill.md, "Holders, seventh round"): a quotation a colon opens is
spoken by the subject of the verb before the colon, whatever the verb ("the Cuban leader laid
out the meaning of the trip: \"We come…\""); a person a long title names as a subject ("The
President of the National Assembly …, NAME, arrived") is whom a later "he" or "the leader"
stands for, while "it" keeps the body. (Opinion pieces and one side's goods: stance_voice.py,
stance.py and stance_deeds.py.)

The tenth round (docs/prefill.md, "Holders, tenth round"): a party a leading speech verb
reports in its own complement ("NAME said Moscow did not support…") is the speaker's, unless the
stance is a deed, which stays its doer's (``_reporter``, ``_reported``); a relative clause's
"who" speaks for the name it hangs on (``_relative``); for the classifier's stances, a speaker
in a relative clause (``relative_speaker``) and the named doer unnamed speakers report
(``reported_doer``).

The ninth round (docs/prefill.md, "Holders, ninth round"): a quotation's speaker is also read
from the words outside its marks, where the parse hangs a trailing '…," he said' under the
quoted clause and no sentence of the quotation had a speaker (``_attributed``); a quotation
going on after its speaker's sentence is the speaker's also where it ends its paragraph.
(Transcripts' labelled turns: context.py and ``StanceFinder.voice_holder``.)

The eleventh round (docs/prefill.md, "Holders, eleventh round"): a party's position before a
trailing speech verb is the speaker's paraphrase too, deeds aside (``_trailing``); speakers named
as a body's members speak for it ("some in Congress say"); for the classifier's stances, the
doer of a conjoined or cleft clause where the main clause names nobody (``clause_doer``); a
mention's key ignores its article; "he" and "she" may stand for the one person a subject's
phrase names ("a man who gave his name only as Pepe", ``Named.person_before``). (A statement's
issuer: ``DocContext.issuer``; a party an opinion piece judges: ``StanceFinder.writer_judges``;
a letters page: ``context._letters``.)

The twelfth round (docs/prefill.md, "Holders, twelfth round"): "he" and "she" stand for the
nearest person whose name does not tell the other gender (``Named.gender``, ``_gender``); "the
embassy said" after a quotation is no body the quoted words name (``Named.body_before``). (A
body an opinion piece calls "it": ``StanceFinder.writer_judges``; an interviewee the
introduction spoke to: ``stance_voice.interviewee``.)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from spacy import symbols
from spacy.attrs import DEP, HEAD
from spacy.tokens import Doc, Span, Token

from gui.core.schema import Schema
from gui.nlp.context import OPENING, STRAIGHT, DocContext
from gui.nlp.lexicon import Lexicon
from gui.nlp.words import WordTable

# Entity labels that can take a stance (a date or a law cannot), as the pipeline names them, in
# the fixed order of the trained holder scorer's features (gui/nlp/holder.py), which stored
# versions' holder.json names.
HOLDER_LABEL_ORDER = ("PERSON", "ORG", "GPE", "NORP")
HOLDER_LABELS = frozenset(HOLDER_LABEL_ORDER)
GROUP_LABELS = {"ORG", "GPE", "NORP"}
BODY_LABELS = {"ORG", "GPE"}  # what "it" can be on its own; a nationality needs a group noun
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
# What tells a person's gender in the name alone, where "he" or "she" must choose between two
# people: a title before it, a first name's ending in Spanish, Portuguese, Italian and Russian
# ("Marisela", "Iraida", "Alla" / "Julio", "Pedro"), a Russian surname's ending ("Kostyleva",
# "Zhukovskaya" / "Tarkhanov", "Dementyev"). Anything else tells nothing, and the nearest
# person stays whom the pronoun stands for. Only endings no common English or Spanish surname
# shares: "-in", "-ina", "-aya" and "-ueva" are left out ("Karen Baldwin", "Tom Medina",
# "Juan Anaya", "Rosa Villanueva").
_TITLE_GENDER = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
                 "miss": "f", "señor": "m", "señora": "f", "sr.": "m", "sra.": "f"}
_MALE_IN_A = {"nikita", "ilya", "luca", "joshua", "foma", "kuzma", "sasha", "andrea", "misha",
              "jota", "garcia", "borja"}  # first names in -a that are men's (or either)
_FEMALE_IN_O = {"rosario", "rocío", "rocio", "consuelo", "amparo", "socorro", "milagro"}
_FEMALE_SURNAME = ("ova", "eva", "skaya")
_MALE_SURNAME = ("ov", "ev", "sky", "skiy", "skii")
GROUP_PRONOUNS = {"it"}
SPEAKER_PRONOUNS = {"i", "we", "me", "us", "my", "our"}  # inside a quotation: its speaker
RELATIVES = {"that", "which", "who", "whom"}
VERBS = frozenset({"VERB", "AUX"})
MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
          "dec", "january", "february", "march", "april", "june", "july", "august",
          "september", "october", "november", "december"}  # a dateline's date: "Jun 20"
RECOMMENDING = {"should", "must", "ought"}
# The parts of a title's noun phrase that can hold the name of whoever has the title
TITLE_PHRASE = {"prep", "pobj", "conj", "cc", "appos", "compound", "nmod", "punct", "det", "amod"}
QUOTE_MARKS = {STRAIGHT, *OPENING}  # what opens a quotation, as the context reads them
CLOSING_MARKS = set(OPENING.values())
MAX_DEPTH = 40  # a parse is a tree, but a bound costs nothing
LINEAR_WINDOW = 8
# What an attribution may name instead of its speaker: "according to a statement by the ministry"
SAYINGS = {"statement", "report", "communique", "communiqué", "declaration", "remark", "note"}


@dataclass
class Named:
    """Entities named as subjects in a document, in order, for resolving later references; and
    every holder entity, for the nearest mention of one. One per document
    (HolderFinder.prepare); what few documents need is built the first time it is."""

    positions: list[int] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    # whether each named subject is a body "it" or "the ministry" can stand for: a government
    # or an organisation, or a side named by a group noun ("the Russian side"), not people
    # named by their nationality ("Cubans", "American companies")
    bodies: list[bool] = field(default_factory=list)
    entities: list[Span] = field(default_factory=list)  # the holder entities, in order
    starts: list[int] = field(default_factory=list)  # where each of them starts
    holders: dict[int, Span] = field(default_factory=dict)  # token -> holder entity
    # a title's word -> (where, whom) it introduced: "Ambassador Julio Ferrer", built the first
    # time a description is resolved in the document (most documents never ask)
    titles: dict[str, list[tuple[int, Span]]] | None = None
    # (clause, root) -> the speaker found above the clause (``HolderFinder._speaker``): a
    # sentence's speaker is asked for it, for the quotation it is part of, for the sentence
    # after it and for each of its findings
    speakers: dict[tuple[int, int], tuple[Span | None] | None] = field(default_factory=dict)
    # (subject, person) for subjects that are no name but whose phrase names one person ("a
    # man who gave his name only as Pepe"), in order: for "he" and "she" only
    phrased: list[tuple[int, Span]] = field(default_factory=list)
    # a person's last name -> the gender a mention of it tells (``gender``)
    genders: dict[str, str] | None = None

    def before(self, i: int, labels: set[str]) -> Span | None:
        k = self._nearest(i, lambda k: self.spans[k].label_ in labels)
        return self.spans[k] if k is not None else None

    def _nearest(self, i: int, accept: Callable[[int], bool]) -> int | None:
        """The index of the nearest subject before token ``i`` that ``accept`` takes."""
        return next((k for k in range(bisect_left(self.positions, i) - 1, -1, -1)
                     if accept(k)), None)

    def person_before(self, i: int, pronoun: str = "") -> Span | None:
        """Whom "he" or "she" at token ``i`` stands for: the nearest person named as a
        subject before it, or named in the phrase of a subject that is no name itself; of
        the people whose names tell their gender (``_gender``), only those of the pronoun's
        ("Father Alexei Vetrov blessed the walls … Marisela Campos thanked the builders.
        '…,' he said": Vetrov, though she was named last)."""
        wanted = PRONOUN_GENDER.get(pronoun)
        fits = (lambda span: True) if wanted is None else (
            lambda span: self.gender(span) in (wanted, None))
        k = self._nearest(i, lambda k: self.spans[k].label_ == "PERSON" and fits(self.spans[k]))
        subject = (self.positions[k], self.spans[k]) if k is not None else None
        k = bisect_left(self.phrased, i, key=lambda entry: entry[0])
        phrased = next((self.phrased[j] for j in range(k - 1, -1, -1)
                        if fits(self.phrased[j][1])), None)
        if phrased is None or (subject is not None and subject[0] > phrased[0]):
            return subject[1] if subject is not None else None
        return phrased[1]

    def gender(self, person: Span) -> str | None:
        """A person's gender as the name tells it, else None (``_gender``): a surname alone
        ("Vetrov said") takes the first name of the fuller mention of the same person
        ("Father Alexei Vetrov"). Built the first time a pronoun asks (most documents with a
        "he" or "she" name a handful of people)."""
        if self.genders is None:
            self.genders = {}
            for ent in self.entities:
                if ent.label_ == "PERSON" and (told := _gender(ent)) is not None:
                    self.genders.setdefault(mention_key(ent), told)
        if len(person) > 1:
            return _gender(person) or self.genders.get(mention_key(person))
        return self.genders.get(mention_key(person)) or _gender(person)

    def body_before(self, i: int, sentence: int | None = None) -> Span | None:
        """The nearest body named as a subject before token ``i``: what "it said" or "the
        ministry said" refers to. ``sentence``: where the sentence of ``i`` starts, to pass
        over the bodies a quotation in it names before its speaker ('"The American side is
        trying…," the embassy said')."""
        k = self._nearest(i, lambda k: self.bodies[k] and not (
            sentence is not None and self.positions[k] >= sentence
            and _quote_between(self.spans[k].doc, self.positions[k], i)))
        return self.spans[k] if k is not None else None

    def latest(self, entity: Span, i: int) -> Span:
        """The mention of ``entity`` nearest before token ``i``: the guidelines' "nearest
        preceding named mention", the full name or the short name, whichever comes last
        ("Deputy Minister Igor Valentinov said … TASS quoted Valentinov … The deputy minister
        noted": Valentinov, the second). Most holders are named in their sentence: no search."""
        if entity.start >= i:
            return entity
        key, words = mention_key(entity), _words(entity)
        for k in range(bisect_left(self.starts, i) - 1, -1, -1):
            mention = self.entities[k]
            if mention.start <= entity.start:
                break
            # the same words under another label too: a letterhead's "Centinela Rights
            # Monitor" the recognizer called a person, then an organisation in the text
            if mention_key(mention) == key or _words(mention) == words:
                return mention
        return entity


def schema_holder_labels(schema: Schema) -> frozenset[str]:
    """The pipeline labels among HOLDER_LABELS whose project label the schema lets hold a
    stance (a label's ``holder``, the one set the holder popup offers too): a schema may
    narrow the rules' holders, never widen them past what the rules were written for."""
    return frozenset(label for label in HOLDER_LABELS
                     if (mapped := schema.map_label(label)) and schema.can_hold(mapped))


class HolderFinder:
    def __init__(self, lexicon: Lexicon, use_lemmas: bool, make_doc,
                 labels: frozenset[str] = frozenset(HOLDER_LABELS)):
        self.labels = labels
        self.reporting = WordTable.of(lexicon.reporting_verbs, use_lemmas, VERBS)
        self.person_nouns = WordTable.of(lexicon.person_nouns, use_lemmas)
        self.group_nouns = WordTable.of(lexicon.group_nouns, use_lemmas)
        self.attribution = [[t.lower_ for t in make_doc(p)] for p in lexicon.attribution]

    def prepare(self, doc: Doc, ents: Sequence[Span]) -> tuple[dict[int, Span], Named]:
        """Per document: token -> holder entity, and the entities named as subjects.
        ``ents``: the Doc's entities, read once (``DocContext.ents``)."""
        named = Named()
        holders = named.holders
        for ent in ents:
            if ent.label_ in self.labels and not _dateline(ent) and not _lowercase(ent):
                named.entities.append(ent)
                named.starts.append(ent.start)
                for i in range(ent.start, ent.end):
                    holders[i] = ent
        if doc.has_annotation("DEP"):
            # each token's dependency and head from one array, not a Token object per word:
            # only the subjects and the named words' heads are looked at
            table = doc.to_array([DEP, HEAD]).astype("int64")
            heads = (np.arange(len(doc)) + table[:, 1]).tolist()
            kids: dict[int, list[Token]] = {}  # token -> its children that are named
            for i in sorted(holders):
                if heads[i] != i:
                    kids.setdefault(heads[i], []).append(doc[i])
            deps = table[:, 0]
            subjects = (deps == symbols.nsubj) | (deps == symbols.nsubjpass) | (
                deps == symbols.csubj)
            for i in np.flatnonzero(subjects).tolist():
                token = doc[i]
                found = self._entity(token, holders, kids.get(i, []))
                if found is not None:
                    named.positions.append(i)
                    named.spans.append(found)
                    named.bodies.append(self._body(token, found))
                titled = self._titled(token, holders) if found is None or (
                    found.label_ != "PERSON") else None
                if titled is not None:
                    # "The First Secretary of the Central Committee …, Miguel Díaz-Canel,
                    # arrived … the Cuban leader said": the person is who "he" and "the
                    # leader" are; the body stays the subject "it" and "the ministry" are
                    named.positions.append(i)
                    named.spans.append(titled)
                    named.bodies.append(False)
                elif found is None and titled is None:
                    person = _person_in_phrase(token, holders)
                    if person is not None:
                        # "A man who gave his name only as Pepe … interrupted", "The
                        # opposition, led by Kseniya Vorobyova, …": whom a later "he" or "she"
                        # stands for (not "officials", who are others)
                        named.phrased.append((i, person))
        return holders, named

    def _body(self, subject: Token, found: Span) -> bool:
        """A subject that names a body: a government or an organisation, or a nationality
        through a group noun in the singular ("the Russian side", "the Cuban government"),
        not people or things named by their side ("the Cuban people", "Cuban officials",
        "American companies", "Russians")."""
        if found.label_ in BODY_LABELS:
            return True
        return found.label_ in GROUP_LABELS and subject.i not in found and (
            subject in self.group_nouns and subject not in self.person_nouns
            and subject.tag_ != "NNS" and subject.lemma_.lower() != "people")

    def find(
        self, anchor: Token | None, sent: Span, target: Token, holders: dict[int, Span],
        named: Named, context: DocContext, deed: bool = False,
    ) -> Span | None:
        """Who takes the stance: the cue's own subject if that is an entity, else the speaker.
        ``deed``: the stance is a deed's (stance.DEEDS), which its doer holds wherever it is
        told (``_reporter``)."""
        if not context.parsed:
            return self._linear(anchor, sent, holders)
        node = anchor if anchor is not None else sent.root
        clause = node
        institution = None  # "the administration supports": unless someone is reported saying so
        for _ in range(MAX_DEPTH):
            if node.dep_ != "poss" and node.i != target.i:  # "Cuba's ally" is no holder
                owner = next((c for c in node.children if c.dep_ == "poss"), None)
                if owner is not None and owner.i in holders:  # "Russia's rejection of"
                    return holders[owner.i]
                if node.pos_ == "NOUN":  # "a decision by the Commerce Department to allow…"
                    owner = _by(node)
                    if owner is not None and owner.i in holders:
                        return holders[owner.i]
            subject = self.subject(node)
            if subject is not None and subject.dep_ == "nsubjpass" and (
                self._entity(subject, holders) is None
            ):  # "the equipment was donated by the Russian government": the giver
                subject = _agent(node) or subject
            if subject is not None and subject.lower_ in RELATIVES and node.dep_ == "relcl":
                named_by = self._antecedent(node.head, target, holders)
                if named_by is not None:
                    return named_by  # "Washington, which has kept the embargo": Washington
                node = node.head  # "talks that confirmed ...": whoever holds the talks
                continue
            if subject is not None and _addressed(node):
                # "Congress should begin by…", "It is time for Congress to repeal…": whom a
                # recommendation is addressed to does not hold it; whoever makes it does (the
                # speaker, a verb above: "Russia called for the US to lift…", or the author)
                if node.dep_ in ("ccomp", "parataxis") or node.head.i == node.i:
                    break
                node = node.head
                clause = node
                continue
            if subject is not None:
                if subject.i == target.i or target in subject.subtree:
                    break  # "the US embargo failed": the target is not its own holder
                if subject.lower_ == "it" and node.lemma_ == "be":
                    break  # "It is an instrument of punishment": what is described
                found = (self._titled(subject, holders) or self._entity(subject, holders)
                         or self.resolve(subject, named) or _member(subject, holders))
                if found is None and self._bare_group(subject):
                    institution = named.body_before(subject.i)
                    break
                if found is not None and (
                    found.label_ in GROUP_LABELS or any(c.dep_ == "conj" for c in subject.children)
                ):
                    return self._reporter(
                        node, subject, anchor, sent, holders, named, context, deed) or found
                if found is not None:
                    return found
                break  # "the report says", "we": a subject, but not one we can point at
            if node.dep_ in ("ccomp", "parataxis") or node.head.i == node.i:
                break  # a reported clause without its own subject: the speaker's
            node = node.head
            clause = node
        speaker = self._speaker(clause, sent.root, holders, named)
        if speaker is not None:  # "analysts said the administration has no interest": theirs
            return speaker[0]
        if institution is not None:
            return institution
        found = self.according_to(sent, holders)
        if found is not None:
            return found
        found = self._quote_speaker(sent, holders, named, context)
        if found is None and context.headline(context.number(sent)):
            # "Cuba thanks Russia for 300 generators", "Lavrov in Havana pledges to deepen…":
            # a headline's parse is often broken (no verb, "thanks" a noun), and the one it is
            # about comes first
            found = next((holders[t.i] for t in sent if t.i in holders), None)
        return found

    def speaker(
        self, sent: Span, holders: dict[int, Span], named: Named, context: DocContext
    ) -> Span | None:
        """Who is reported as saying the sentence, not merely its subject: the subject of its
        speech verb ("…, the diplomat said") or the speaker a quotation names in another of its
        sentences; not "according to X", which gives a fact's source, not X's position."""
        if not context.parsed:
            return None
        found = self._speaker(sent.root, sent.root, holders, named)
        if found is not None:
            return found[0]
        return self._quoted(sent, holders, named, context)

    def _quote_speaker(
        self, sent: Span, holders: dict[int, Span], named: Named, context: DocContext
    ) -> Span | None:
        """A quotation's speaker: named in another of its sentences, else, for a quotation of
        its own right after a sentence whose speaker is named, in the same paragraph, that
        speaker going on ('"Relations are good," Lavrov said. "We will keep helping."'); the
        speaker the words outside the marks name (``_attributed``) in either."""
        found = self._quoted(sent, holders, named, context)
        number = context.number(sent)
        if found is None and number in context.quotation:
            found = self._attributed(
                sorted(context.quotation[number], key=lambda m: abs(m - number)),
                holders, named, context)
        if found is not None or not context.wholly_quoted(number) or (
            context.paragraph_start(number)
        ):
            return found
        root = context.sents[number - 1].root
        speaker = self._speaker(root, root, holders, named)
        if speaker is None or speaker[0] is None:
            return self._attributed([number - 1], holders, named, context)
        return speaker[0]

    def _quoted(
        self, sent: Span, holders: dict[int, Span], named: Named, context: DocContext
    ) -> Span | None:
        """The speaker a quotation names in another of its sentences, the nearest first."""
        number = context.number(sent)
        others = sorted(context.quotation.get(number, ()), key=lambda m: abs(m - number))
        for other in others:
            if other == number:
                continue
            root = context.sents[other].root
            speaker = self._speaker(root, root, holders, named)
            if speaker is not None:
                return speaker[0]
        return None

    def _attributed(
        self, numbers: Sequence[int], holders: dict[int, Span], named: Named,
        context: DocContext,
    ) -> Span | None:
        """The speaker the words outside a quotation's marks name, in any of its sentences,
        the sentence itself included: the subject of a speech verb there ('"… Cubans do not
        forget that," he said.'; "he" being the person named before it). Asked where the
        parse does not put that verb above or beside the sentence's root: it often hangs a
        trailing "…," he said' under the quotation's last clause ("forget … said"), and the
        sentences before it then have no speaker at all, each giving its stance to a party
        named in its quoted words (the Soviet Union, Russia, Cubans) instead of the one
        quoting them. For the holder only: the speakers' lines (``StanceFinder.find``) add
        stances from who is reported speaking, and there only the parse's speaker is sure
        enough (a line read so added a stance to a quoted sentence without a target word)."""
        for number in numbers:
            for token in context.sents[number]:
                if token not in self.reporting or context.quoted(token.idx):
                    continue
                subject = self.subject(token)
                if subject is None or context.quoted(subject.idx):
                    continue
                found = self._entity(subject, holders) or self.resolve(subject, named)
                if found is not None:
                    return found
        return None

    def _antecedent(
        self, noun: Token, target: Token, holders: dict[int, Span]
    ) -> Span | None:
        """The entity a relative pronoun stands for: the name the clause hangs on, or the name
        a description is in apposition to ("Cuba Puentes, a Miami group that favours…"); never
        the target itself ("the embargo, which…")."""
        nouns = [noun.head, noun] if noun.dep_ == "appos" else [noun]
        for candidate in nouns:
            found = self._entity(candidate, holders) if candidate.i != target.i else None
            if found is not None:
                return found
        return None

    def _reporter(
        self, clause: Token, subject: Token, anchor: Token | None, sent: Span,
        holders: dict[int, Span], named: Named, context: DocContext, deed: bool = False,
    ) -> Span | None:
        """Who holds what a party (or both) is said to do or think: the speaker, when the words
        are quoted ('"Cuba is our reliable partner," TASS quoted Valentinov'; a quotation's
        speaker in another sentence too), when a speech verb introduces both parties ("He
        added that Russia and Cuba passed the test"), or when it introduces one party and the
        stance's own words are quoted, the speaker's wording ('Putin recalled that Russia does
        not accept "the inhuman blockade"'); the words, and so the stance, are the speaker's.
        Not when both lead and a speech verb follows outside quotes ("Lavrov and his
        counterpart held talks, the ministry said"): the first named does it. One party a
        speaker introduces in the speaker's paraphrase, as the speech verb's own complement,
        is the speaker's too ("Peskov said Moscow did not support…", ``_reported``; also with
        the speech verb after it, "Spain will continue to oppose the embargo, Foreign Minister
        NAME said", ``_trailing``: of such lead sentences on the development sets that are not
        deeds, the gold gives the speaker; of the deeds, the speaker seven times and the doer
        three, which measured as no gain, so they stay the doer's), unless
        the stance is a ``deed`` ("Petrov said Russia would send generators": the doer's, as
        the guidelines' "author of a deed"; of the deeds so told on the development sets the
        gold gives five to the doer and four to the speaker; the sample corpus's older gold
        holds the party in both)."""
        quoted = context.quoted(subject.idx)
        introduced = any(
            verb.i < subject.i and verb in self.reporting for verb in clause.ancestors)
        both = any(c.dep_ == "conj" for c in subject.children)
        worded = anchor is not None and context.quoted(anchor.idx)
        reported = not deed and _reported(clause, self.reporting) and (
            introduced or _trailing(clause, subject))
        if not quoted and not reported and not (introduced and (both or worded)):
            return None
        speaker = self._speaker(clause, sent.root, holders, named)
        if speaker is not None and speaker[0] is not None:
            return speaker[0]
        return self._quote_speaker(sent, holders, named, context) if quoted else None

    @staticmethod
    def subject(node: Token) -> Token | None:
        """A clause's subject; a passive's agent ("was quoted by Granma")."""
        subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
        if subjects:  # the nearest: a dateline parsed as a second subject is further away
            subject = min(subjects, key=lambda c: abs(c.i - node.i))
            listed = [c for c in subjects if c.i + 2 == subject.i and c.nbor().text == ","]
            if listed:  # "Lavrov, Rodríguez discuss…": a headline's pair, the first named
                subject = listed[0]
            while subject.dep_ in ("conj", "appos") and subject.head.i < subject.i:
                subject = subject.head  # "Russia and Cuba": the first named
            return subject
        for child in node.children:
            if child.dep_ == "agent":
                return next((g for g in child.children if g.dep_ == "pobj"), None)
        return None

    def _entity(self, token: Token, holders: dict[int, Span],
                named_children: list[Token] | None = None) -> Span | None:
        """The entity a subject stands for: itself, its name ("spokesman Peskov", "the envoy,
        Vassily Nebenzia"), what it is made of ("a majority of Cuban Americans"), or, for a
        group noun, its nationality or country ("the Russian side", "Cuba's government").

        ``named_children``: the token's children in ``holders``, when the caller indexed them
        for the whole Doc (``prepare`` asks this of every subject, and walking each one's
        children was most of what indexing holders cost)."""
        if token.i in holders:
            return holders[token.i]
        if named_children is None:
            named_children = [c for c in token.children if c.i in holders]
        if token.ent_type_ in self.labels:  # a dateline's place parsed as the subject: "Havana,
            for child in named_children:  # Mar 19 (Prensa Latina) Cuba and Russia signed…"
                if child.dep_ == "conj":
                    return holders[child.i]
        # its own name before a name it is modified by: "the Communist Party newspaper
        # Granma" is Granma
        for dep in ("appos", "compound"):
            for child in named_children:
                if child.dep_ == dep:
                    return holders[child.i]
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.i in holders:
                        return holders[pobj.i]
                    if pobj.dep_ == "pobj" and pobj.tag_ == "NNS":  # "a group of Cuban owners"
                        return self._people_of(pobj, holders)
        if not named_children:
            return None  # what follows reads a named modifier: most subjects stop here
        if token.tag_ == "NNS":
            found = self._people_of(token, holders)  # "Cuban economists", "Russian companies"
            if found is not None:
                return found
        if token in self.person_nouns:  # "the European Union's representative said"
            owner = next((c for c in named_children if c.dep_ == "poss"), None)
            if owner is not None:
                return holders[owner.i]
            if any(c.lower_ in ("a", "an") for c in token.children):
                # "a Russian foreign ministry spokesman said": someone unnamed of that side, as
                # "Russian officials" are ("the Cuban diplomat" is one person named before)
                side = next((c for c in named_children if c.dep_ in ("amod", "compound")), None)
                if side is not None:
                    return holders[side.i]
        if token in self.group_nouns and not self._title(token):
            for child in named_children:
                if child.dep_ in ("amod", "poss", "nmod"):
                    return holders[child.i]
        return None

    def _titled(self, title: Token, holders: dict[int, Span]) -> Span | None:
        """The person a title's own phrase names, however the parse hangs the name ("The First
        Secretary of the Central Committee … and President of the Republic, Miguel
        Díaz-Canel, arrived"): the person, not the body the title belongs to; never a name in
        a clause of its own ("the minister who met Putin")."""
        if title.pos_ != "PROPN" or title not in self.person_nouns:
            return None
        return _person_in(title, holders)

    @staticmethod
    def _people_of(noun: Token, holders: dict[int, Span]) -> Span | None:
        """People named by their side ("Cuban economists", "Russian companies", "Republican
        senators"): the side, as the guidelines' group phrases are held by their entity."""
        for child in noun.children:
            if child.dep_ in ("amod", "compound", "nmod", "poss") and child.i in holders:
                return holders[child.i]
        return None

    def _title(self, token: Token) -> bool:
        """"The Cuban diplomat said": one person described by title (resolved to the person
        named before), not the side in it, as "the Cuban government" is."""
        return (token in self.person_nouns and token.tag_ == "NN"
                and any(c.lower_ == "the" for c in token.children))

    def resolve(self, subject: Token, named: Named) -> Span | None:
        """A pronoun or a title: the nearest entity of its kind named as a subject before it."""
        word = subject.lower_
        definite = not any(c.lower_ in ("a", "an") for c in subject.children)  # "a minister"
        if word in PERSON_PRONOUNS:
            return named.person_before(subject.i, word)
        if subject in self.person_nouns and definite:
            one = subject.tag_ != "NNS" and any(c.lower_ == "the" for c in subject.children)
            return (one and self._introduced(subject, named)) or named.before(
                subject.i, {"PERSON"})  # "both ministers": the first of them, named before
        if word in GROUP_PRONOUNS:
            return named.body_before(subject.i)
        if subject in self.group_nouns and any(
            c.dep_ == "poss" and c.lower_ in ("his", "her") for c in subject.children
        ):  # "his administration capped remittances": the one it belongs to, named before
            return named.before(subject.i, {"PERSON"})
        return None

    def _introduced(self, title: Token, named: Named) -> Span | None:
        """"The ambassador thanked…", "the spokesperson told…": the one an earlier mention
        introduced with the same title ("Cuban Ambassador Julio Ferrer Pena", "a State
        Department spokesperson"), when there was one, rather than whoever was last a
        subject. The titles are gathered once per document, on the first description."""
        if named.titles is None:
            holders = named.holders
            whom: dict[int, tuple[Token, Span]] = {}  # a title token -> the first it names
            for ent in named.entities:
                # "Ambassador Julio Ferrer Pena" (the title a compound of the name or beside
                # it), "a State Department spokesperson", "the envoy, Vassily Nebenzia"
                root = ent.root
                near = [root.head] if root.dep_ in ("compound", "appos") else []
                if ent.start and ent.doc[ent.start - 1].dep_ == "compound":
                    near.append(ent.doc[ent.start - 1])
                for token in near:
                    if token.i not in holders and token.i not in whom and (
                        token in self.person_nouns
                    ):
                        whom[token.i] = (token, ent)
            named.titles = {}
            for i in sorted(whom):
                token, ent = whom[i]
                named.titles.setdefault(_title_key(token), []).append((i, ent))
        found = named.titles.get(_title_key(title), ())
        k = bisect_left(found, title.i, key=lambda entry: entry[0])
        return found[k - 1][1] if k else None

    def _bare_group(self, subject: Token) -> bool:
        """"The ministry said": one institution named before ("both sides", "our peoples",
        "the Russian side" are not)."""
        return (
            subject in self.group_nouns
            and subject.tag_ in ("NN", "")
            and [c.lower_ for c in subject.children] == ["the"]
        )

    def _speaker(
        self, node: Token, root: Token, holders: dict[int, Span], named: Named
    ) -> tuple[Span | None] | None:
        """The subject of the nearest reporting verb above ``node`` or beside it ("..., he
        said"), following "and said" back to the first verb's subject. ``(None,)`` when there is
        a speaker but not one we can name (so "according to" a newspaper does not replace it).
        Found once per Doc for each clause and root (``Named.speakers``)."""
        key = (node.i, root.i)
        if key not in named.speakers:
            named.speakers[key] = self._find_speaker(node, root, holders, named)
        return named.speakers[key]

    def _find_speaker(
        self, node: Token, root: Token, holders: dict[int, Span], named: Named
    ) -> tuple[Span | None] | None:
        verbs: list[Token] = []
        for verb in [node, *node.ancestors]:
            introducing = verb if verb in self.reporting else _introduces_quote(verb)
            if introducing is not None:
                verbs.append(introducing)
        if root not in self.reporting:
            verbs += [c for c in root.children if c.dep_ in ("parataxis", "advcl", "conj")
                      and c in self.reporting]
        speaker = None
        for verb in verbs:
            current = verb
            for _ in range(MAX_DEPTH):
                subject = self.subject(current)
                if subject is not None:
                    found = (self._entity(subject, holders) or self.resolve(subject, named)
                             or self._relative(current, subject, holders)
                             or _member(subject, holders))  # "some in Congress say"
                    if found is None and self._bare_group(subject):
                        # "the ministry said": a body named before, not one its own quoted
                        # words name ('"The American side is trying to silence…," the
                        # embassy said': not the Americans)
                        found = named.body_before(subject.i, subject.sent.start)
                    if found is not None:
                        return (found,)
                    speaker = (None,)  # "they believe": perhaps a named speaker further up
                    break
                if current.dep_ not in ("conj", "xcomp", "advcl") or current.head.i == current.i:
                    break
                current = current.head
        return speaker

    def _relative(self, verb: Token, subject: Token, holders: dict[int, Span]) -> Span | None:
        """The speaker a relative clause's "who" stands for: the name the clause hangs on
        ("protests from Republicans in Congress, who say Moscow is testing…", "a retired
        admiral, Gennady Korobov, who said the navy should…"): a named speaker, whose words
        the clause reports; "critics, who say…" name nobody."""
        if subject.lower_ not in ("who", "which", "that") or verb.dep_ != "relcl":
            return None
        return self._antecedent(verb.head, subject, holders)

    def relative_speaker(self, sent: Span, holders: dict[int, Span],
                         context: DocContext) -> Span | None:
        """The named speaker of a speech verb in a relative clause of the sentence, outside
        quotation marks ("The visits have drawn protests from Republicans in Congress, who say
        Moscow is testing…"): asked for a stance the classifier found where the sentence's
        main clause names no holder (stance_facts.py), as the words it reports are the
        speaker's."""
        for token in sent:
            if token.dep_ != "relcl" or token not in self.reporting or context.quoted(token.idx):
                continue
            subject = self.subject(token)
            if subject is not None:
                found = self._relative(token, subject, holders)
                if found is not None:
                    return found
        return None

    def clause_doer(self, sent: Span, holders: dict[int, Span]) -> Span | None:
        """The named subject of a clause the main clause carries, where the main clause's
        own subject names nobody: a second clause joined to it ("The island kept relations
        with nearly every country, and every year the UN General Assembly votes against the
        embargo") or the clause a cleft's "it is" frames ("It is the second year Argentina has
        voted with Washington"). Asked for a stance the classifier found where the sentence's
        main clause names no holder (stance_facts.py), as the rules' cue would have found
        that clause's subject from inside it."""
        root = sent.root
        subject = self.subject(root)
        if subject is not None and (self._entity(subject, holders)
                                    or subject.lower_ in PERSON_PRONOUNS | SPEAKER_PRONOUNS):
            return None  # the main clause's own doer, or a person it resolves to
        clauses = [c for c in root.children if c.dep_ == "conj" and c.pos_ in VERBS]
        if subject is not None and subject.lower_ == "it" and root.lemma_ == "be":
            clauses += [r for a in root.children if a.dep_ == "attr"
                        for r in a.children if r.dep_ == "relcl"]
        for clause in clauses:
            said = self.subject(clause)
            found = self._entity(said, holders) if said is not None else None
            if found is not None:
                return found
        return None

    def reported_doer(self, sent: Span, holders: dict[int, Span], named: Named) -> Span | None:
        """The named subject of the clause an unnamed speaker reports ("Canada hosted a
        meeting between American and Cuban officials, three people familiar with the talks
        said"): the speakers name nobody and hold nothing, the one whose deed or position
        they report does, as it would with no speech verb. Asked for a stance the classifier
        found where the sentence's main clause names no holder (stance_facts.py); a speaker
        who is named, or a pronoun for one, keeps it."""
        root = sent.root
        if root not in self.reporting:
            return None
        subject = self.subject(root)
        if subject is None or subject.lower_ in PERSON_PRONOUNS | SPEAKER_PRONOUNS or (
            self._entity(subject, holders) or self.resolve(subject, named)
        ):
            return None
        clause = next((c for c in root.children if c.dep_ == "ccomp"), None)
        said = self.subject(clause) if clause is not None else None
        return self._entity(said, holders) if said is not None else None

    def according_to(self, sent: Span, holders: dict[int, Span]) -> Span | None:
        """The entity after an attribution phrase of the lexicon ("according to Granma")."""
        words = [t.lower_ for t in sent]
        for phrase in self.attribution:
            size = len(phrase)
            for i in range(len(words) - size):
                if words[i : i + size] == phrase:
                    named = next((c for c in sent[i + size - 1].children if c.dep_ == "pobj"),
                                 sent[i + size])  # "according to Kremlin spokesman Peskov"
                    found = self._entity(named, holders)
                    speaks = named.pos_ != "NOUN" or named in self.person_nouns or (
                        named in self.group_nouns or named.lemma_.lower() in SAYINGS)
                    if found is not None or not speaks:
                        return found  # "according to Cuban data" names no speaker
                    return next((holders[t.i] for t in named.subtree if t.i in holders), None)
        return None

    def _linear(self, anchor: Token | None, sent: Span, holders: dict[int, Span]) -> Span | None:
        """Without a parse: the last entity before the cue, else one next to a speech verb."""
        if anchor is not None:
            for i in range(anchor.i - 1, max(sent.start, anchor.i - LINEAR_WINDOW) - 1, -1):
                if i in holders:
                    return holders[i]
        for token in sent:
            if token in self.reporting:
                for i in (token.i - 1, token.i + 1):
                    if sent.start <= i < sent.end and i in holders:
                        return holders[i]
        return None


def _introduces_quote(verb: Token) -> Token | None:
    """The verb whose colon opens a quotation, whatever the verb: it speaks the quotation ("the
    Cuban leader laid out the meaning of the trip on his account: \"We come to honour…\"",
    "the embassy wrote: \"…\""), and its subject is the speaker. The parse hangs the colon
    on the verb before it, or on the quotation's own verb with the one before it as a clause
    of its own; ``verb`` is either, the verb before the colon is returned."""
    colon = next((c for c in verb.children if c.dep_ == "punct" and c.text == ":"
                  and c.i + 1 < len(c.doc) and c.doc[c.i + 1].text in QUOTE_MARKS), None)
    if colon is None:
        return None
    if verb.i < colon.i:
        return verb
    return next((c for c in verb.children
                 if c.dep_ in ("ccomp", "parataxis") and c.i < colon.i), None)


def _reported(clause: Token, reporting: WordTable) -> bool:
    """A clause a speech verb reports as its own complement ("NAME said Moscow did
    not support the sanctions", "NAME added that Cuba remained willing to continue the
    dialogue"): what the party is said to want is the speaker's paraphrase, the speaker's
    position. Not a clause further down ("NAME explained that tankers cancelled their voyages
    after their owners were warned by US authorities": the warning is a deed told of, its
    doer's)."""
    head = clause.head
    return (clause.dep_ == "ccomp" and head.i != clause.i and head in reporting)


def _trailing(clause: Token, subject: Token) -> bool:
    """The speech verb reporting the clause comes after it ("Spain will continue to oppose
    the embargo, Foreign Minister NAME said"): the speaker's paraphrase as much as with the
    verb before it ("NAME said Spain will…")."""
    return clause.head.i > subject.i


def _agent(verb: Token) -> Token | None:
    """Who does a passive's deed ("was donated by the Russian government", "was condemned by
    Russia"): its agent, rather than a subject that names nobody (what was given or
    condemned). A named subject stays ("a delegation of the State Duma was received by …": the
    guests' visit)."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    # "was signed at the headquarters of the ministry by the deputy minister": an agent the
    # parse hung on a noun of the verb's own phrases
    places = [p for c in verb.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    while places:
        place = places.pop(0)
        doer = _by(place)
        if doer is not None:
            return doer
        places += [p for c in place.children if c.dep_ == "prep" and c.lower_ != "by"
                   for p in c.children if p.dep_ == "pobj"]
    for child in verb.children:  # "were curtailed under President Donald Trump": his deed
        if child.dep_ == "prep" and child.lower_ == "under":
            ruler = next((g for g in child.children if g.dep_ == "pobj"), None)
            if ruler is not None and ruler.ent_type_ == "PERSON":
                return ruler
    return None


def _person_in(title: Token, holders: dict[int, Span]) -> Span | None:
    """A PERSON in a title's noun phrase, not in a clause of its own."""
    todo = list(title.children)
    while todo:
        token = todo.pop(0)
        if token.dep_ not in TITLE_PHRASE:
            continue
        found = holders.get(token.i)
        if found is not None and found.label_ == "PERSON":
            return found
        todo.extend(token.children)
    return None


def _person_in_phrase(subject: Token, holders: dict[int, Span]) -> Span | None:
    """The one person a subject's phrase names, in a clause or a phrase of its own ("a man
    who gave his name only as Pepe", "the opposition, led by Kseniya Vorobyova"); none where
    it names two or more."""
    people = {holders[j] for j in range(subject.left_edge.i, subject.right_edge.i + 1)
              if j in holders and holders[j].label_ == "PERSON"}
    return people.pop() if len(people) == 1 else None


def _gender(person: Span) -> str | None:
    """"m" or "f" where a person's name tells it (``_TITLE_GENDER``, a first name in -a or
    -o, a Russian surname), else None. The first name may be the capitalised word before
    the entity, where the recognizer left it out ("Teresa" of "Teresa Alfonso Rey")."""
    doc = person.doc
    before = doc[person.start - 1].lower_ if person.start else ""
    words = [t.lower_ for t in person if t.is_alpha]
    if not words:
        return None
    told = _TITLE_GENDER.get(words[0]) or _TITLE_GENDER.get(before)
    if told is not None:
        return told
    # "Teresa [Alfonso Rey]": a capitalised name of no entity before it ("Ambassador to
    # Russia Julio …" is a place's)
    cut = before.isalpha() and doc[person.start - 1].is_title and (
        doc[person.start - 1].pos_ == "PROPN" and not doc[person.start - 1].ent_type_)
    if len(words) > 1 or cut:
        first = before if cut else words[0]
        if first.endswith("a") and first not in _MALE_IN_A:
            return "f"
        if first.endswith("o") and first not in _FEMALE_IN_O:
            return "m"
    last = words[-1]
    if last.endswith(_FEMALE_SURNAME) and not last.endswith("ueva"):
        return "f"
    if last.endswith(_MALE_SURNAME):
        return "m"
    return None


def _quote_between(doc: Doc, start: int, end: int) -> bool:
    """Whether a quotation mark stands between two tokens of a sentence."""
    return any(doc[j].text in QUOTE_MARKS or doc[j].text in CLOSING_MARKS
               for j in range(start, end))


def _member(subject: Token, holders: dict[int, Span]) -> Span | None:
    """Whose envoys or members the subject is: "planes from Russia's Emergencies Ministry
    landed", "hawks in Congress cite…"; "in" only an organisation ("some in Miami" are
    nobody's). The deed or the words are that body's."""
    for child in subject.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "in"):
            for pobj in child.children:
                found = holders.get(pobj.i) if pobj.dep_ == "pobj" else None
                if found is not None and (child.lower_ == "from" or found.label_ == "ORG"):
                    return found
    return None


def _by(noun: Token) -> Token | None:
    """Whom a noun's "by" names: the doer of what the noun names ("a decision by the Commerce
    Department", "a visit by Lavrov"), or a passive's agent the parse hung on a noun."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _addressed(clause: Token) -> bool:
    """A clause that tells its subject what to do: "should", "must" or "ought to" ("Congress
    should restore…"), or "for X to" ("It is time for Congress to repeal…")."""
    return any(
        (c.dep_ == "aux" and c.lower_ in RECOMMENDING) or (c.dep_ == "mark" and c.lower_ == "for")
        for c in clause.children
    )


def _title_key(token: Token) -> str:
    return (token.lemma_ or token.text).lower()


def mention_key(ent: Span) -> str:
    """What two mentions of one entity share: a person's last name ("Igor Valentinov",
    "Valentinov"), else the whole name, with or without its article ("the Ministry of
    Foreign Affairs", "Ministry of Foreign Affairs")."""
    return ent[-1].lower_ if ent.label_ == "PERSON" else _words(ent)


def _words(ent: Span) -> str:
    """A mention's words in lower case, without an article or the line break after a
    letterhead's name."""
    words = ent.text.strip().lower()
    return words[4:] if words.startswith("the ") else words


def _lowercase(ent: Span) -> bool:
    """Words in lower case the recognizer took for a name ("a Russian foreign ministry
    spokesman", "Cuba's energy ministry said", "no embargo from us"): no name to point at; the
    side beside them, when there is one, is the holder."""
    return all(t.is_lower for t in ent if t.is_alpha)


def _dateline(ent: Span) -> bool:
    """A wire dateline's place ("HAVANA, May 17 -", "WASHINGTON (Reuters)", "Havana, Mar 19
    (Prensa Latina)"): where the story was filed, not who takes a stance in it."""
    doc = ent.doc
    if not (ent.start == 0 or "\n" in doc[ent.start - 1].text):
        return False  # asked first: most entities stand inside a line
    after = doc[ent.end] if ent.end < len(doc) else None
    if after is None:
        return False
    if ent.text.isupper() and len(ent.text) > 3:
        return after.text in {",", "(", "/", "-", "—", "–"}
    # "Kampala, Jun 20 (Prensa Latina)", "Havana, May 14 (EFE).-": a place and a date open it
    dated = doc[ent.end + 1] if ent.end + 1 < len(doc) else None
    return after.text == "," and dated is not None and (
        dated.ent_type_ == "DATE" or dated.lower_.rstrip(".") in MONTHS)
