"""A document's sentences with their neighbours: paragraphs, headlines and quotations.

Why: a news sentence often takes its topic or its speaker from the sentences around it. A
quotation runs over several sentences and names its speaker once, at its start or end
("“Not long ago, we made decisions … We confirmed …,” Lavrov added."); a sentence that opens
with a pronoun or a demonstrative ("We see in this a victory …", "It further stated …")
continues the topic of the sentence before it, across a paragraph break too, as wire copy puts
every sentence in its own paragraph; a headline (a line without a full stop) sets the topic of
the lead below it. A transcript labels each turn with its speaker ("ANA RUIZ: They pushed
Havana toward Moscow. I don't doubt the goodwill."): every sentence of the turn is the
speaker's (``DocContext.turns``), and so is every sentence of a letters page's letter its
signer's ("Sir, … Lift it. / Caridad Mesa Hollins, Tampa"). A statement's own voice is its
issuer's (``DocContext.issuer``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

from spacy.tokens import Doc, Span

OPENING = {"“": "”", "«": "»", "„": "“"}
STRAIGHT = '"'
_MARKS = re.compile('["\n“”«»„]')
_ENDS = (".", "!", "?", ".\"", ".”", "?”", "!”", ".»")
# Words that point back to what was said before: the sentence continues its topic.
ANAPHORA = {"this", "that", "these", "those", "it", "its", "they", "their", "them", "he", "she",
            "his", "her", "we", "our", "such", "both"}
# A scraped page's navigation lines: the label opens the line.
_NAVIGATION = re.compile(
    r"^[ \t]*(?:related|tags|most read|read more|see also|also read|share this)\b[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER = 8  # sentences: where a page's breadcrumb and title sit
_REPEATED = 20  # characters: a headline, not a word that ends another line
# A menu line: three or more short items between bars ("Email | Print | Copy link",
# "Home | News | Economy | Opinion").
_MENU = re.compile(r"^[ \t]*[^|\n]{1,30}(?:\|[^|\n]{1,30}){2,}$", re.MULTILINE)
_LONGEST_QUOTE = 2000  # characters: an opening mark with no close this far is a stray one
_OPENING_WINDOW = 3  # an anaphor among a sentence's first words continues the topic
_DATELINE_WORDS = 12  # tokens: "HAVANA, Nov. 8 —", "MOSCOW, February 11. /TASS/."
# Interview markers: "Q: What about the embargo?" / "A: It is an instrument of punishment."
QUESTION_MARK, ANSWER_MARK = "q:", "a:"
_MARKUP = "*_#>\u2014\u2013- \t"  # before a marker: "**A:**", "— A:"
_GAP = 40  # characters before a line where a blank line above it shows
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|my|My|us)\b")  # an answer's own voice
# A transcript's speaker label opening a paragraph: a name (in capitals or not) and a colon,
# also in bold ("**ANA RUIZ:**", "MR TOLLEFSEN:", "Ana Ruiz:"); at most five words.
_LABEL = re.compile(r"[*_]*((?:[^\W\d_][\w.'’-]*[ \t]){0,4}[^\W\d_][\w.'’-]*)[*_]*:[*_]*\s")
_LABEL_TITLES = {"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gen", "capt", "amb", "sir"}
_SPEAKER_LABELS = {"PERSON", "ORG"}  # a label the recognizer names: a person, a broadcaster
# A statement's label opening one of the first lines: "Statement by the Council…", "STATEMENT:
# …", "Press release | European External Action Service", "Centinela Rights Monitor" above
# "Statement | Madrid, 12 November", "Summary of a policy brief by the Nordic Centre…"; not a
# news sentence that mentions one ("China and Cuba issued a joint statement").
_ISSUED = re.compile(
    r"[*_#\s]*(?:[^|\n]{1,40}\|\s*)?(?:summary of (?:a|the) )?(?:special |joint |official )?"
    r"(?:statement|press release|declaration|communiqu[eé]|policy brief)\b", re.IGNORECASE)
_ISSUER_LINES = 4  # the first lines of a document, where a statement's label sits
# A letter to the editor's salutation, opening its paragraph ("Sir, your editorial…")
_SALUTATION = re.compile(r"[ \t]*(?:Sir|Madam|Dear (?:Sir|Madam|Editor)|To the [Ee]ditor)[,:]")
_SIGNATURE_WORDS = 10  # "Professor Alan Kirkby, Department of Government, Lakeshore College"
# What makes a sentence of a statement its issuer's own words: its "we" ("We call on the
# authorities…") or what it says should be done ("Restrictions … should be lifted")
# (matched as written: "US" is the country)
_ISSUER_VOICE = {"we", "We", "our", "Our", "us", "should", "must", "ought"}


@dataclass
class DocContext:
    sents: list[Span]
    parsed: bool = False  # a dependency parse (asked once: Doc.has_annotation reads every token)
    # sentence number -> the numbers of the sentences of the same quotation (itself included)
    quotation: dict[int, list[int]] = field(default_factory=dict)
    # sentence numbers that lie wholly inside a quotation (no words of the reporter's)
    inside_quote: set[int] = field(default_factory=set)
    position: dict[int, int] = field(default_factory=dict)  # sentence start token -> number
    quotes: list[tuple[int, int]] = field(default_factory=list)  # character ranges
    starts: list[int] = field(default_factory=list)  # each sentence's first token
    text: str = ""
    # sentence numbers of interview answers: the paragraphs opening with "A:" (the marker
    # itself may be a sentence of its own); they take the question's topic
    answers: set[int] = field(default_factory=set)
    questions: set[int] = field(default_factory=set)  # "Q:" lines and sentences ending in "?"
    navigation: set[int] = field(default_factory=set)  # "Related: …", "Tags: …" lines
    # the Doc's entities, read once: Doc.ents (and Span.ents, which walks it) makes a Span per
    # entity from every token on each access, and the rules ask for them a dozen times a Doc
    ents: tuple[Span, ...] = ()
    ent_starts: list[int] = field(default_factory=list)
    char_starts: list[int] = field(default_factory=list)  # each sentence's first character
    char_ends: list[int] = field(default_factory=list)  # and the end of its last
    paragraphs: dict[int, bool] = field(default_factory=dict)  # ``paragraph_start``'s answers
    headlines: dict[int, bool] = field(default_factory=dict)  # ``headline``'s
    # sentence number -> the speaker whose labelled turn of a transcript it is in
    # (``_turns``): the name in the label ("ANA RUIZ: …", "MR TOLLEFSEN: …")
    turns: dict[int, Span] = field(default_factory=dict)
    # the organisation the document is a statement of (``issuer``), found the first time
    # it is asked: () until then
    issued: Span | tuple[()] | None = ()

    def quoted(self, char: int) -> bool:
        """Whether a character offset lies inside a quotation."""
        return any(start < char < end for start, end in self.quotes)

    def wholly_quoted(self, number: int) -> bool:
        """Whether the sentence's words lie inside one quotation, its trailing line break
        aside: a paragraph's last sentence holds the break after it ('…support."' and the blank
        line), which ``inside_quote`` counts as words outside the marks (kept so: the trained
        classifier's ``pos:quote`` was learnt from it)."""
        if number in self.inside_quote:
            return True
        first, last = self.char_starts[number], self.char_ends[number]
        last = first + len(self.text[first:last].rstrip())
        return any(start <= first and last <= end + 1 for start, end in self.quotes)

    def interviewee_answers(self, number: int) -> bool:
        """Whether the sentence is an interview's answer, which its interviewee holds: not in
        a transcript, whose lines outside the labelled turns (an introduction, a closing
        note) are nobody's answers and whose turns are their speakers'."""
        return number in self.answers and not self.turns

    def issuer(self) -> Span | None:
        """The organisation a statement, a press release, a declaration or a policy brief is
        issued by: labelled so in one of its first lines, the organisation that line names
        ("Statement by the US-Cuba Agricultural Trade Council…", "Press release | European
        External Action Service"), else the first one named above it (a letterhead:
        "Centinela Rights Monitor" over "Statement | Madrid", which the recognizer may call a
        person). Its own voice is the
        organisation's, as a signed opinion piece's is its author's (``issuer_speaks``)."""
        if self.issued == ():
            self.issued = self._issuer()
        return self.issued  # type: ignore[return-value]

    def _issuer(self) -> Span | None:
        lines = list(islice(_lines(self.text), _ISSUER_LINES))
        for number, (start, end) in enumerate(lines):
            if _ISSUED.match(self.text, start, end) is None:
                continue
            here = next((e for e in self.ents if e.label_ == "ORG"
                         and start <= e.start_char < end), None)
            # a letterhead's name, whatever the recognizer called it: it is a line's only words
            above = next((e for e in self.ents if e.label_ in _SPEAKER_LABELS
                          and e.end_char <= start), None)
            return here or (above if number else None)
        return None

    def issuer_speaks(self, number: int) -> bool:
        """Whether a sentence of a statement is in its issuer's voice: its own "we" or what
        it says should be done, outside quotation marks and the headline ("We urge the
        United States government to review…", "Restrictions on remittances should be
        lifted"); a fact it reports ("Trade remains below a billion dollars") is nobody's."""
        if number in self.quotation or self.headline(number) or number in self.turns:
            return False
        return any(t.text in _ISSUER_VOICE for t in self.sents[number])

    def number(self, sent: Span) -> int:
        return self.position[sent.start]

    def sentence(self, i: int) -> Span | None:
        """The sentence holding token ``i`` (None for the spaces between paragraphs); a
        bisection, where Span.sent would ask the whole Doc whether it is parsed each time."""
        number = bisect_right(self.starts, i) - 1
        if number < 0 or i >= self.sents[number].end:
            return None
        return self.sents[number]

    def overlapping(self, start: int, end: int) -> range:
        """The numbers of the sentences that share a character with ``start``..``end``: the
        sentences come in order without overlapping, so a bisection at each end finds them."""
        return range(bisect_right(self.char_ends, start), bisect_left(self.char_starts, end))

    def ents_within(self, span: Span) -> list[Span]:
        """``span.ents`` from the entities read once: those wholly inside the span."""
        found = []
        for k in range(bisect_left(self.ent_starts, span.start), len(self.ents)):
            ent = self.ents[k]
            if ent.end > span.end:
                break
            found.append(ent)
        return found

    def paragraph_start(self, number: int) -> bool:
        """Whether the sentence opens a paragraph (a line break before it); found once per
        sentence (the rules ask it about a hundred times a Doc, a Token object each)."""
        found = self.paragraphs.get(number)
        if found is None:
            sent = self.sents[number]
            before = sent.doc[sent.start - 1] if number and sent.start else None
            found = self.paragraphs[number] = number == 0 or (
                before is not None and before.is_space and "\n" in before.text)
        return found

    def headline(self, number: int) -> bool:
        """A line of its own without a full stop at the end: a headline or a title; found once
        per sentence (the carried topic, pointers and holders each ask)."""
        found = self.headlines.get(number)
        if found is None:
            found = self.headlines[number] = self._headline(number)
        return found

    def _headline(self, number: int) -> bool:
        if not self.paragraph_start(number) or not (
            number + 1 >= len(self.sents) or self.paragraph_start(number + 1)
        ):
            return False  # asked first: Span.text joins every token of the sentence
        text = self.sents[number].text.strip().rstrip("*#_ ")
        return bool(text) and not text.endswith(_ENDS)

    def dateline(self, sent: Span) -> Span | tuple[()]:
        """The wire dateline a sentence opens after ("Havana, November 20." before "A
        delegation … was received"), where the story happens; else nothing."""
        number = self.number(sent)
        if not number or self.paragraph_start(number):
            return ()
        before = self.sents[number - 1]
        short = len(before) <= _DATELINE_WORDS and self.paragraph_start(number - 1)
        dated = short and any(e.label_ == "DATE" for e in self.ents_within(before))
        return before if dated else ()

    def continues(self, number: int) -> bool:
        """Whether the sentence carries on the topic of the one before it."""
        if number == 0:
            return False
        if not self.paragraph_start(number) or number in self.inside_quote:
            return True
        if self.headline(number - 1) or number in self.answers:
            return True
        opening = islice((t for t in self.sents[number] if not (t.is_punct or t.is_space)),
                         _OPENING_WINDOW)  # the first words only, not the whole sentence
        return any(t.lower_ in ANAPHORA for t in opening)


def build_context(doc: Doc, text: str | None = None) -> DocContext:
    """``text``: the Doc's text when the caller has it (``Doc.text`` joins every token anew
    on each call: at most once)."""
    text = doc.text if text is None else text
    sents = [
        s for s in doc.sents if text[s.start_char : s.end_char].strip()
    ] if doc.has_annotation("SENT_START") else [doc[:]]
    context = DocContext(sents, doc.has_annotation("DEP"),
                         position={s.start: n for n, s in enumerate(sents)})
    context.starts = [s.start for s in sents]
    context.text = text
    context.ents = doc.ents
    context.ent_starts = [ent.start for ent in context.ents]
    context.char_starts = [s.start_char for s in sents]
    context.char_ends = [s.end_char for s in sents]
    quotes = context.quotes = _quotations(context.text)
    _interview(context)
    _turns(context)
    _letters(context)
    _navigation(context)
    for first_char, last_char in quotes:
        members = list(context.overlapping(first_char, last_char))
        for n in members:
            context.quotation[n] = members
            if (first_char <= context.char_starts[n]
                    and context.char_ends[n] <= last_char + 1):
                context.inside_quote.add(n)
    return context


def _interview(context: DocContext) -> None:
    """Mark questions and interview answers: an answer runs from its "A:" (also in bold,
    "**A:**") to the end of its paragraph, and every sentence of it continues the topic its
    question set. An interview without the marks is read from its layout instead
    (``_unmarked_interview``)."""
    answering = False
    for number, sent in enumerate(context.sents):
        words = context.text[sent.start_char : sent.end_char].strip()
        opening = words.lstrip(_MARKUP)[:2].lower()
        if context.paragraph_start(number):
            answering = opening == ANSWER_MARK
        if opening == QUESTION_MARK or (words.endswith("?") and not answering):
            context.questions.add(number)
        if answering:
            context.answers.add(number)
    if not context.answers:
        _unmarked_interview(context)


def _unmarked_interview(context: DocContext) -> None:
    """An interview printed without "Q:"/"A:": the interviewer's question on a line of its
    own (bare, after a dash, or after a name in bold: "— Why now?", "**TASS:** Why now?"), the
    interviewee's answer on the lines under it. It is one only when the layout recurs (two
    questions or more, each with an answer under it), the introduction above the first
    question names a person, and the answers speak in the first person: a Q&A explainer
    ("What does Russia want? / Mostly symbolism…") is the article's own voice. Where every
    question opens a block of its own with its answer under it, a block's first line is the
    question even without a question mark ("The government calls it strategic." / "Politically,
    it is.")."""
    sents, text = context.sents, context.text
    lines: list[list[int]] = []  # the sentence numbers of each line
    for number in range(len(sents)):
        if context.paragraph_start(number) or not lines:
            lines.append([number])
        else:
            lines[-1].append(number)

    def words(line: list[int]) -> str:
        return text[sents[line[0]].start_char : sents[line[-1]].end_char].strip()

    def opens_block(line: list[int]) -> bool:  # a blank line above it
        before = text[max(0, sents[line[0]].start_char - _GAP) : sents[line[0]].start_char]
        space = before[len(before.rstrip()):]
        return line[0] == 0 or space.count("\n") >= 2

    asked = {n for n, line in enumerate(lines) if words(line).endswith("?")}
    pairs = [n for n in asked if n + 1 < len(lines) and n + 1 not in asked]
    if len(pairs) < 2:
        return
    first = min(asked)
    top = sents[lines[first][0]].start
    if introduced(e for e in context.ents if e.end <= top) is None:
        return  # no one introduced: an explainer's own questions and answers
    blocks = all(opens_block(lines[n]) and not opens_block(lines[n + 1]) for n in pairs)
    questions: set[int] = set()
    answers: set[int] = set()
    for n in range(first, len(lines)):
        if n in asked or (blocks and opens_block(lines[n])):
            questions.update(lines[n])
        else:
            answers.update(lines[n])
    if not any(_FIRST_PERSON.search(sents[n].text) for n in answers):
        return
    context.questions |= questions
    context.answers = answers


def _turns(context: DocContext) -> None:
    """A transcript's turns: a paragraph that opens with a speaker's label ("ANA RUIZ:",
    "MR TOLLEFSEN:", "Ana Ruiz:") starts the speaker's turn, which runs until the next label
    ("Q:" too, whose turn is nobody's); a panel or a briefing printed so has several speakers,
    and each sentence of a turn is the labelled one's, not the host's nor the first person the
    introduction names (as an interview's answers are its interviewee's). A label is a
    speaker's only where it names someone: the recognizer calls it a person or a body, or its
    last word is a name the text gives someone ("MR TOLLEFSEN" after "Graham Tollefsen");
    "CLAIM:" and "VERDICT:" name nobody (their paragraphs are nobody's turn, as a host's whom
    the text never names). It takes two such labels to make a transcript (one
    "Lavrov:" heads a quotation), and the unlabelled paragraphs after the last turn are the
    page's own (a closing note), so the last turn ends with its paragraph."""
    text, sents = context.text, context.sents
    people = {w.lower() for e in context.ents if e.label_ == "PERSON"
              for w in e.text.split()}
    labels: dict[int, Span | None] = {}  # paragraph-opening sentence -> its label's speaker
    for number, sent in enumerate(sents):
        if not context.paragraph_start(number) or context.headline(number):
            continue  # "Lavrov: Russia stands with Cuba" above a story is its headline
        match = _LABEL.match(text, sent.start_char)
        if match is None:
            continue
        words = match.group(1).split()
        if len(words) == 1 and len(words[0]) == 1:  # "Q:", "A:": the interview's marks
            labels[number] = None
            continue
        if not all(w[0].isupper() for w in words):
            continue  # "Critics say: …" is a sentence, not a label
        start, end = match.start(1), match.end(1)
        doc = sent.doc
        inside = [e for e in context.ents_within(doc[sent.start : sent.end])
                  if start <= e.start_char and e.end_char <= end]
        named = next((e for e in inside if e.label_ in _SPEAKER_LABELS), None)
        if named is None and _named_elsewhere(words[-1], text, people):
            while words[0].lower().rstrip(".") in _LABEL_TITLES and len(words) > 1:
                start = text.index(words[1], start + len(words[0]))
                words = words[1:]
            named = doc.char_span(start, end, label="PERSON", alignment_mode="expand")
        labels[number] = named  # a label naming nobody still ends the turn before it
    if sum(1 for speaker in labels.values() if speaker is not None) < 2:
        return
    speaker: Span | None = None
    last = max(labels)
    for number in range(min(labels), len(sents)):
        if number in labels:
            speaker = labels[number]
        elif number > last and context.paragraph_start(number):
            speaker = None  # the closing note under the last turn
        if speaker is not None:
            context.turns[number] = speaker


def _letters(context: DocContext) -> None:
    """A letters page: each letter opens a paragraph with its salutation ("Sir, your
    editorial mourns…", "Dear Editor,") and ends with its writer's signature on a line of its
    own ("Ronald Pfeiffer, Sarasota", "Professor Alan Kirkby, Department of Government"): every
    sentence of a letter is its signer's, as a transcript's turn is its speaker's (``turns``),
    though the name comes after the words. It takes two signed letters to make a page (one
    "Sir," opens a quoted letter in a story), and a transcript's turns are left as they are."""
    if context.turns or not context.sents:  # an empty document has no Doc to read names in
        return
    text, doc = context.text, context.sents[0].doc
    letters: list[tuple[int, int, Span]] = []  # (first character, signature's end, signer)
    opened: int | None = None
    for start, end in _lines(text):
        if _SALUTATION.match(text, start, end):
            opened = start
            continue
        if opened is None:
            continue
        signer = _signature(context, doc, start, end)
        if signer is not None:
            letters.append((opened, end, signer))
            opened = None
    if len(letters) < 2:
        return
    for first, last, signer in letters:
        for number in context.overlapping(first, last):
            context.turns[number] = signer


def _signature(context: DocContext, doc: Doc, start: int, end: int) -> Span | None:
    """The signer a letter's signature line names: a short line without a full stop, its
    name before the first comma ("Caridad Mesa Hollins, Tampa"), the person the recognizer
    found there, else the words themselves taken for one."""
    line = context.text[start:end].strip()
    words = line.split()
    if not words or len(words) > _SIGNATURE_WORDS or line.endswith(_ENDS) or "," not in line:
        return None
    name_end = start + context.text[start:end].index(",")
    found = next((e for e in context.ents if e.label_ == "PERSON"
                  and start <= e.start_char and e.end_char <= name_end), None)
    if found is not None:
        return found
    if not all(w[:1].isupper() for w in context.text[start:name_end].split()):
        return None
    return doc.char_span(start, name_end, label="PERSON", alignment_mode="expand")


def _lines(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) character offsets of the text's lines that hold words."""
    start = 0
    for line in text.split("\n"):
        if line.strip():
            yield start, start + len(line)
        start += len(line) + 1


def _named_elsewhere(word: str, text: str, people: set[str]) -> bool:
    """Whether a label's last word is a name the text gives someone: a word of a person the
    recognizer found, or a surname after a capitalised word ("Irina Sokolova", "Captain
    Farrand"), whatever the recognizer called it (it takes many a name for a company)."""
    if word.lower() in people:
        return True
    surname = word[:1].upper() + word[1:].lower()
    return re.search(rf"[A-Z][\w.]* {re.escape(surname)}\b", text) is not None


def introduced(ents: Iterable[Span]) -> Span | None:
    """The one an interview's introduction names: a person, else the name it is about (its
    subject), whatever the recognizer called it. Asked of the entities above the first answer
    (``stance_voice.interviewee``) and above the first question (``_unmarked_interview``)."""
    ents = list(ents)
    return next((e for e in ents if e.label_ == "PERSON"), None) or next(
        (e for e in ents if e.label_ == "ORG" and e.root.dep_ == "nsubj"), None)


def _navigation(context: DocContext) -> None:
    """Mark the lines of a scraped page's navigation ("Related: Cuba and Russia discuss new
    oil deal", "Tags: Russia, Cuba", "Most read: …"): links to other stories, not this one's
    words; and menu lines of short items between bars ("Email | Print | Copy link")."""
    for line in (*_NAVIGATION.finditer(context.text), *_MENU.finditer(context.text)):
        context.navigation.update(context.overlapping(*line.span()))
    # a breadcrumb glued to the headline it repeats ("HomeNewsDiplomatic NewsRussia, Cuba
    # commit to…" above "Russia, Cuba commit to…"): the page's chrome, said once more
    top = [context.text[s.start_char : s.end_char].strip() for s in context.sents[:_HEADER]]
    context.navigation.update(
        n for n, text in enumerate(top)
        if any(len(other) >= _REPEATED and len(other) < len(text) and text.endswith(other)
               for other in top)
    )


def _quotations(text: str) -> list[tuple[int, int]]:
    """(opening, closing) character offsets of quotations. Curly quotes and guillemets may run
    over paragraphs (a speaker's several paragraphs); a straight quote ends with its line."""
    found = []
    closing: str | None = None
    start = 0
    for mark in _MARKS.finditer(text):  # only the marks and line breaks, not every character
        char, i = mark.group(), mark.start()
        if closing is None:
            if char in OPENING:
                closing, start = OPENING[char], i
            elif char == STRAIGHT:
                closing, start = STRAIGHT, i
        elif char == closing:
            found.append((start, i))
            closing = None
        elif (char == "\n" and closing == STRAIGHT) or i - start > _LONGEST_QUOTE:
            closing = None  # a stray mark, not a quotation: ignore it
    return found
