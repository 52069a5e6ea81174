"""Whose voice a sentence is in: the article's own, a speaker's, an interviewee's, an author's.

A target mention with no stance word is a neutral background fact only in the article's own
voice; an interview's answers are the interviewee's, a transcript's labelled turns their
speaker's (context.py), a signed opinion piece's own voice is its author's, and an opinion
piece's plain mentions of a target keep the line its own judgements take. The dateline says
which side a story is filed from, so its untitled officials can be read as that side's.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from spacy.attrs import ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from gui.nlp.camps import Camps
from gui.nlp.context import DocContext, introduced
from gui.nlp.holders import RECOMMENDING, SPEAKER_PRONOUNS, SUBJECT_DEPS, HolderFinder
from gui.nlp.stance_findings import MAX_DEPTH, NEUTRAL, BestTable
from gui.nlp.targets import Side
from gui.nlp.words import WordTable

# Words no neutral background statement uses: the first person (an op-ed's or an
# interviewee's own voice; matched as written, as "US" is the country), and negations and
# modals that weigh the target.
_FIRST_PERSON = {"I", "we", "We", "our", "Our", "us", "my", "My", "me"}
_JUDGING = {"not", "n't", "never", "should", "must", "ought", "perhaps"}
_BYLINE_WINDOW = 4  # sentences: a byline sits under the headline
# where a byline is looked for: a headline's label line and a two-sentence headline above it
_BYLINE_SENTS = 6
_OPINION = ("opinion", "op-ed", "commentary", "column", "viewpoint", "editorial")
_OPINION_LABELS = set(_OPINION)
# the first person of a piece's own voice: "I", or the plural a columnist argues in ("We tried
# that", "our embassy"), which news copy's own voice never uses
_OWN_VOICE = np.array([get_string_id(w) for w in ("I", "we", "We", "our", "Our")], dtype=np.uint64)
# The rules whose findings judge the target (what it is, not what someone did to it): the ones
# an opinion piece's line is read from.
_JUDGEMENTS = {"describing cue", "phrase"}
_LABEL_WORDS = 8  # "Granma | Editorial" under a headline
_WORDS = re.compile(r"[\w-]+")  # a label line's words: "op-ed" is one
_DATELINE = 8  # tokens: "Havana, May 14 (EFE).-"
_DOER_HOPS = 3  # verbs up from an object to the one whose subject does it
_SPEAKING = {"speak", "talk"}  # "… spoke to NAME about…": an interview's introduction


class Voice:
    """Telling a sentence in the article's own voice from reported speech, by the lexicon's
    speech words; built once per pipeline."""

    def __init__(self, reporting: WordTable, speech: WordTable):
        self.reporting = reporting
        self.speech = speech  # whatever the tag

    def writer_lines(self, best: BestTable, context: DocContext) -> dict[str, str]:
        """What an opinion piece's own voice says of each target, where it says one thing more
        often than the other: the line its other mentions of the target keep."""
        counts: dict[str, Counter[str]] = {}
        for (number, name), chosen in best.items():
            polarity = chosen.finding.polarity
            if (chosen.finding.rule not in _JUDGEMENTS or polarity == NEUTRAL
                    or number in context.answers or not self.own_voice(chosen.sent, context)):
                continue
            counts.setdefault(name, Counter())[polarity] += 1
        lines = {}
        for name, count in counts.items():
            (polarity, most), *rest = count.most_common()
            if not rest or rest[0][1] < most:
                lines[name] = polarity
        return lines

    def own_voice(self, sent: Span, context: DocContext) -> bool:
        """The article speaking for itself: no quotation, no speech verb, not a headline nor
        a transcript's labelled turn ("VALERY DYOMIN: Moscow sees Havana as a partner." is no
        background fact but the speaker's view). A speech verb the writer recommends is no
        report ("The administration should tighten enforcement … and tell Moscow plainly
        that…", "Washington should … ask Congress to end…"): what someone should say is the
        writer's own line."""
        number = context.number(sent)
        return (
            number not in context.quotation
            and number not in context.turns  # a transcript's speaker's words
            and not context.headline(number)
            and not any(self.speaks(t, context.parsed) and not _recommended(t) for t in sent)
        )

    def background(self, sent: Span, context: DocContext) -> bool:
        """A fact in the article's own voice, not its judgement: no interview answer, no first
        person (an op-ed's author, "I trust engagement"), no negation or modal that weighs the
        target ("the embargo did not bring down…", "…should end")."""
        if context.number(sent) in context.answers or not self.own_voice(sent, context):
            return False
        return not any(
            t.text in _FIRST_PERSON or t.lower_ in _JUDGING or t.dep_ == "neg" for t in sent
        )

    def reports_another(self, sent: Span, context: DocContext) -> bool:
        """Whether the sentence reports what someone other than its speaker says: a speech
        verb outside quotation marks whose subject is not the first person ("Some in Congress
        say…", "Castro felt betrayed, and he said so"; not "I'd say", "We have always said"),
        the sentence's own verb or one beside it, not one a clause of it hangs on ("Moscow
        sends oil it says is a gift" is the speaker's own account). Asked of a transcript's
        turns, which are their speaker's otherwise."""
        root = sent.root
        for token in sent:
            if not self.speaks(token, context.parsed) or context.quoted(token.idx):
                continue
            if token.i != root.i and not (
                token.head.i == root.i and token.dep_ in ("parataxis", "conj", "advcl")
            ):
                continue
            subject = HolderFinder.subject(token)
            if subject is not None and subject.lower_ not in SPEAKER_PRONOUNS:
                return True
        return False

    def speaks(self, token: Token, parsed: bool) -> bool:
        """A word of speech, also where the tagger missed the verb ("opening say normalization"),
        but not a noun with its determiner ("a one-party state") nor one modifying another
        ("the list of state sponsors of terrorism")."""
        if token in self.reporting:
            return True
        if token not in self.speech:
            return False
        return not parsed or (token.dep_ != "compound" and not any(
            c.dep_ in ("det", "amod", "poss", "compound") for c in token.children
        ))


def interviewee(context: DocContext) -> Span | None:
    """The person the introduction of an interview names, before its first answer; else
    the one it says it spoke to or interviewed, else the name the introduction is about (its
    subject), whatever the recognizer called either."""
    if not context.answers:
        return None
    first_answer = context.sents[min(context.answers)].start
    ents = [e for e in context.ents if e.start < first_answer]
    if not any(e.label_ == "PERSON" for e in ents):
        spoken_to = next((e for e in ents if _spoken_to(e)), None)
        if spoken_to is not None:
            return spoken_to
    return introduced(ents)


def _spoken_to(ent: Span) -> bool:
    """Whether the introduction names ``ent`` as whom it spoke to or interviewed
    ("Commodities Week spoke to Mirta Cabrales, commercial director of…"): the interviewee,
    whatever the recognizer called the name (it takes many a name for a company)."""
    root = ent.root
    if root.dep_ == "dobj":
        return root.head.lemma_ == "interview"
    return (root.dep_ == "pobj" and root.head.lower_ in ("to", "with")
            and root.head.head.lemma_ in _SPEAKING)


def byline_author(doc: Doc, context: DocContext) -> Span | None:
    """The byline's person of a signed opinion piece ("By Ana Ruiz" under a headline that
    says "Opinion:", or under a short line that labels it so, "Policy Forum | Commentary", or
    a piece whose own voice says "I", or argues as "we": "We tried that. Between 2014 and
    2016 the United States reopened its embassy…"); wire copy's bylines report, its own voice
    says neither outside quotations and interview answers, and unsigned editorials have no
    author to name."""
    first = context.sents[:_BYLINE_SENTS]
    by, byline = next(((by, name) for sent in first if (by := _byline_start(sent)) is not None
                       and (name := _byline_name(sent, by, context)) is not None), (None, None))
    if by is None:
        return None
    # the lines above the byline only ("By Editorial staff" signs nobody's opinion), each
    # line of them (the parser may join a short label line to the headline under it), where
    # a label ends its line: "Policy Forum | Commentary", not a menu's "Opinion | Video"
    opinion = first[0].text.lstrip().lower().startswith(_OPINION) or any(
        len(words) <= _LABEL_WORDS and words[-1] in _OPINION_LABELS
        for above in doc[: by.i].text.splitlines()
        if (words := _WORDS.findall(above.lower())))
    speaks = opinion or any(  # the words "I", "we", found in the Doc's array of forms
        not context.quoted(doc[i].idx) and not _answered(doc[i], context)
        for i in np.flatnonzero(np.isin(doc.to_array(ORTH), _OWN_VOICE)).tolist())
    return byline if speaks else None


def _byline_start(sent: Span) -> Token | None:
    """The "By" a line of ``sent`` starts with ("By Ana Ruiz"; the parser may join the line
    to the headline above it)."""
    for token in sent:
        if token.text == "By" and (token.i == sent.start or "\n" in sent.doc[token.i - 1].text):
            return token
    return None


def _byline_name(sent: Span, by: Token, context: DocContext) -> Span | None:
    """The person a "By …" line names: its first PERSON, else the name right after "By"
    whatever label the recognizer gave it (a byline's name is one it has often never seen,
    and it calls "Helen Okafor" a place or "Teresa Alvarado" a title), when its words are
    capitalised names ("By letter, like a parking fine" names no one)."""
    ents = [e for e in context.ents_within(sent) if e.start > by.i]
    person = next((e for e in ents if e.label_ == "PERSON"), None)
    if person is not None:
        return person
    found = next((e for e in ents if e.start == by.i + 1), None)
    if found is None:
        return None
    words = [t for t in found if not t.is_space]
    if not words or not all(t.is_alpha and t.text[0].isupper() for t in words):
        return None
    return Span(sent.doc, words[0].i, words[-1].i + 1, label="PERSON")


def _recommended(verb: Token) -> bool:
    """A verb under "should", "must" or "ought", its own or that of the verb it is listed
    after ("should tighten …, and tell …")."""
    for _ in range(MAX_DEPTH):
        if any(c.dep_ == "aux" and c.lower_ in RECOMMENDING for c in verb.children):
            return True
        if verb.dep_ != "conj" or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _answered(token: Token, context: DocContext) -> bool:
    """Whether a word is in an interview's answer or a transcript's labelled turn (the
    interviewee's or the speaker's "we", not the piece's)."""
    sent = context.sentence(token.i)
    return sent is not None and (
        context.number(sent) in context.answers or context.number(sent) in context.turns)


def home_sides(context: DocContext, sides: dict[int, set[Side]], camps: Camps) -> set[Side]:
    """The side whose place the story is filed from: its dateline ("Havana, May 14
    (EFE).-", "MOSCOW (Reuters) -") among the first lines; none for other places."""
    for sent in context.sents[:_BYLINE_WINDOW]:
        place = sent[0]
        if (place.i in sides and len(sent) > 2 and sent[1].text in (",", "(")
                and any(t.ent_type_ == "DATE" or t.text == "(" for t in sent[1:_DATELINE])):
            return {s for s in sides[place.i] if s in camps.positions}
    return set()


def is_opinion(context: DocContext, author: Span | None) -> bool:
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


def aside(target: Token) -> bool:
    """The target is named inside a relative clause about something else ("runs a company
    that has shipped chicken under the exception to the embargo"): the sentence's point is
    that something else, not a fact about the target."""
    node = target
    for _ in range(MAX_DEPTH):
        if node.dep_ == "relcl":
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def acted_on(target: Token) -> bool:
    """Someone does something to the target with a verb we cannot read ("Russia lambasted
    the blockade"): a position, just not one to guess, so no neutral suggestion either.
    The doer need not be a name ("someone is preparing new sanctions", "the measures reverse
    some of the restrictions"), and the target may be what the object is of or its modifier
    ("signed a protocol renewing the friendship group"): a fact with a doer is a deed."""
    if target.dep_ == "compound":
        target = target.head
    if target.dep_ == "pobj" and target.head.lower_ == "of" and target.head.head.dep_ == "dobj":
        target = target.head.head  # "some of the restrictions"
    if target.dep_ != "dobj":
        return False
    verb = target.head
    for _ in range(_DOER_HOPS):
        if any(c.dep_ in SUBJECT_DEPS for c in verb.children):
            return True
        if verb.dep_ != "acl" or verb.head.dep_ != "dobj":
            return False
        verb = verb.head.head  # "a protocol renewing …" that someone signed
    return False


# A year, as news copy dates its history: "since 1962", "in 2015", "since the early 1960s".
_YEAR = re.compile(r"(1[89]|20)\d\d'?s?")
_DATING = {"prep", "npadvmod"}  # "since 1962", "in 2015"; "last year" names no year
_KEEPING = {"maintain", "keep"}  # a measure kept in place: its state, not a new act
_BOTH = {"two", "both"}  # "the two countries", "both governments"


def dated_fact(verb: Token) -> bool:
    """A main clause of news copy's history, told with a year: a measure kept since then
    ("The United States has maintained an embargo on Cuba since 1962") or what both parties
    did then ("The two countries restored diplomatic relations in 2015"). Over the
    development sets the gold reads these as neutral background facts, and a party's own act
    with a year as its stance ("Kennedy extended the restrictions into a near-total embargo
    in February 1962", "has tightened sanctions since January 2025", "has demanded an end to
    the blockade since the 1990s"), so only these two kinds. A clause that hangs on another
    ("Washington, which has kept an embargo since 1962, reacted coolly") is about its
    subject, and a modal or a day with no year is no history."""
    if verb.pos_ != "VERB" or not (verb.dep_ == "ROOT" or (
            verb.dep_ == "conj" and verb.head.dep_ == "ROOT")):
        return False
    perfect = verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have"
                                         for c in verb.children)
    if (verb.tag_ != "VBD" and not perfect) or any(c.tag_ == "MD" for c in verb.children):
        return False
    years = [c for c in verb.children if c.dep_ in _DATING and _dated(c)]
    if perfect and verb.lemma_ in _KEEPING:
        years += [g for c in verb.children if c.dep_ == "dobj" for g in c.children
                  if g.dep_ == "prep" and _dated(g)]  # "an embargo on Cuba since 1962"
        return any(c.lower_ == "since" for c in years)
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    both = any(any(g.dep_ == "conj" or g.lower_ in _BOTH for g in c.children)
               for c in subjects)
    return both and bool(years)


def _dated(phrase: Token) -> bool:
    """A phrase that names a year ("since 1962", "in July 2015")."""
    return any(t.ent_type_ == "DATE" and _YEAR.fullmatch(t.text) for t in phrase.subtree)
