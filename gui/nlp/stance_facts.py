"""What the stance rules' helpers know about a document, as words the classifier can weigh.

Why: the rules' verdicts (``rules:0:favor``) speak only where a rule went all the way to a
polarity, yet much of what they find on the way is evidence too: a sentence that names a target
by its cue ("the embargo") or by a relation word between its sides ("bilateral ties"), the sides
it names (Moscow, Havana), whose line a speaker keeps (a Cuban minister is against the embargo,
a Russian diplomat for the partnership: camps.py), and where the sentence stands (a headline,
inside a quotation, a paragraph's first sentence). Given as words (``mention:0``, ``rel:0``,
``side:0:1``, ``line:1:against``, ``pos:headline``), a linear classifier learns per target how
far to trust each one, from a few dozen corrected articles, by kind rather than by sentence.
The same helpers give the classifier's own suggestions a holder the way the rules find one
(the subject, the speaker of "…, he said", a quotation's speaker named in another sentence).

Everything is asked once per Doc, from the finder pre-fill already built; nothing is parsed
again, and the holders' index is the one the rules built for the same reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from gui.nlp.stance import Reading, StanceFinder


@dataclass
class DocFacts:
    """One Doc's marks per token, and the rules' reading of it (for their holder finder)."""

    reading: Reading
    marks: dict[int, set[str]]  # token -> the words it gives the sentence holding it
    finder: StanceFinder
    gathered: dict[tuple[int, int], set[str]] = field(default_factory=dict)  # ``_marks_in``
    holders_found: dict[int, Span | None] = field(default_factory=dict)  # ``holder``

    @classmethod
    def of(cls, finder: StanceFinder, doc: Doc, targets: Sequence[str],
           reading: Reading | None = None) -> DocFacts:
        """``reading``: what the rules read of ``doc`` for its suggestions, if they did."""
        reading = reading or finder.read(doc)
        sides = reading.sides
        number = {name: n for n, name in enumerate(targets)}
        marks: dict[int, set[str]] = {}
        for mention in reading.mentions:
            if mention.target in number:
                kind = "rel" if mention.generic else "mention"
                for i in range(mention.span.start, mention.span.end):
                    marks.setdefault(i, set()).add(f"{kind}:{number[mention.target]}")
        for i, named_sides in sides.items():
            for name, side in named_sides:
                if name in number:
                    marks.setdefault(i, set()).add(f"side:{number[name]}:{side}")
        camps = finder.camps
        for i, members in finder.members(reading).items():
            for camp in members:
                for name, polarity in camps.positions.get(camp, {}).items():
                    if name in number:
                        marks.setdefault(i, set()).add(f"line:{number[name]}:{polarity}")
        return cls(reading, marks, finder)

    def words(self, sent: Span, previous: Span | None) -> list[str]:
        """The marks of the sentence's tokens, those of the previous sentence (``^``; not its
        sides, which say little once the topic has moved on), and the sentence's place."""
        found = sorted(self._marks_in(sent))
        if previous is not None:
            found += sorted({"^" + m for m in self._marks_in(previous)
                             if not m.startswith("side:")})
        context = self.reading.context
        number = context.number(sent)
        opening = context.paragraph_start(number)
        if opening and context.headline(number):
            found.append("pos:headline")
        if number in context.inside_quote:
            found.append("pos:quote")
        if opening:
            found.append("pos:opening")
        return found

    def _marks_in(self, span: Span) -> set[str]:
        """The marks of a span's tokens, gathered once per span: each sentence is read as
        itself and again as the next one's context."""
        key = (span.start, span.end)
        if key not in self.gathered:
            marks = self.marks
            self.gathered[key] = {m for i in range(span.start, span.end)
                                  for m in marks.get(i, ())}
        return self.gathered[key]

    def holder(self, sent: Span) -> Span | None:
        """Who the rules would say takes a stance in ``sent``: its main clause's subject, else
        its speaker ("…, he said", a quotation's speaker named in another sentence), else a
        named speaker of a relative clause ("Republicans, who say…") or the named doer unnamed
        speakers report ("Canada hosted…, three people said"); in an interview's answer the
        interviewee, in a signed opinion piece's own voice its author.
        Found once per sentence, whichever of its targets asks."""
        if sent.start not in self.holders_found:
            self.holders_found[sent.start] = self._holder(sent)
        return self.holders_found[sent.start]

    def _holder(self, sent: Span) -> Span | None:
        holders, named = self.finder.holder_index(sent.doc, self.reading)
        finder, context = self.finder.holders, self.reading.context
        found = finder.find(None, sent, sent.root, holders, named, context)
        if found is None:  # "protests from Republicans in Congress, who say…": theirs
            found = finder.relative_speaker(sent, holders, context)
        if found is None:  # "Canada hosted talks, three people said": Canada's deed
            found = finder.reported_doer(sent, holders, named)
        if found is None:  # "…, and every year the UN General Assembly votes against it"
            found = finder.clause_doer(sent, holders)
        found = self.finder.voice_holder(sent, found, self.reading)
        # the mention a reader points at, as the rules' own suggestions give it
        return named.latest(found, sent.start) if found is not None else None

    def author(self, doc: Doc) -> Span | None:
        """The byline's person of a signed opinion piece (stance_voice.byline_author), else
        None: news copy's bylines report, and its own voice holds no stance."""
        return self.finder.voices(doc, self.reading)[0]
