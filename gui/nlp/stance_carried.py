"""The rules for sentences that take their target from around them.

A sentence often says something of a target it does not name: it continues the sentence before
it ("It called the agreement a victory"), goes on with a quotation ("This is what friends
do," she said), stands as a headline over its lead, or is a side's official speaking in a story
about the side's relation or about one target. These rules run after the ones that read the
sentence's own words (stance_cues.py, stance_deeds.py) and fill only what those left open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from spacy.tokens import Span

from gui.nlp.camps import Camps
from gui.nlp.context import DocContext
from gui.nlp.stance_cues import Cues
from gui.nlp.stance_findings import CAMP_SCORE, CARRIED_FACTOR, Best, BestTable, Finding, keep
from gui.nlp.targets import Mention, Side

_MAIN_TOPIC = 3  # times as many mentions as the next target: what the story is about
_LINE_WORDS = 12  # tokens: "BRUSSELS/OTTAWA, Nov 5 (Reuters) -"
_LEAD_SKIP = 3  # lines between a headline and its lead: dateline, byline, outlet

# The position a sentence's speaker's camp takes on a target, if the speaker speaks for one.
Line = Callable[[Span, str], Best | None]


def carry(context: DocContext, best: BestTable, line: Line, cues: Cues) -> None:
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
    said: dict[str, tuple[int, Finding]] = {}  # target -> the last stance taken on it
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
            # a sentence telling a deed is about the deed: its stance words are not the topic's
            finding = cues.any_cue(sent) if number not in done else None
            for name in topic:
                carried = finding or _quoted_on(number, name, said, context)
                if carried is not None:
                    keep(best, (number, name), Best(carried, sent, sent.root))
                    silent = False
                elif silent and (kept := line(sent, name)) is not None:
                    keep(best, (number, name), kept)
        if silent:
            for name in done.get(number - 1, set()):
                if (kept := line(sent, name)) is not None:
                    keep(best, (number, name), kept)
        # a paragraph keeps its topic through sentences without a stance word
        topic = topic | mentioned.get(number, set())
    _headlines(context, best, named, mentioned, cues)


# The rules whose evidence is the sentence's own words: what a speaker said in so many words.
_OWN_EVIDENCE = {"governing cue", "describing cue", "removal", "imposing it", "phrase",
                 "nearest cue", "deed", "joint action", "one side's goods", "advocates"}


def spoken_lines(
    best: BestTable, holder_of: Callable[[Best], Span | None]
) -> dict[tuple[str, str], list[str]]:
    """(holder's last word, target) -> the polarities its holder took on the target in
    sentences with evidence of their own: a person keeps one line through a story (in the
    development sets a holder's stances on one target agree 95 times in 100)."""
    lines: dict[tuple[str, str], list[str]] = {}
    for (_, name), chosen in best.items():
        if chosen.background or chosen.finding.rule.split(",")[0] not in _OWN_EVIDENCE:
            continue
        holder = holder_of(chosen)
        if holder is not None:
            lines.setdefault((holder[-1].lower_, name), []).append(chosen.finding.polarity)
    return lines


def main_topic(context: DocContext, mentions: list[Mention], line: Line, best: BestTable) -> None:
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


def sides_speak(
    context: DocContext, sides: dict[int, set[Side]], members: dict[int, set[Side]],
    speaker: Callable[[Span], Span | None], best: BestTable, own_side: Iterable[str],
    camps: Camps,
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
        own = {s for i in range(who.start, who.end) for s in sides.get(i, ())}
        others = {s for i in range(sent.start, sent.end) if i < who.start or i >= who.end
                  for s in sides.get(i, ())}
        for name in own_side:
            if (number, name) in best:
                continue
            found = camps.position(who, name, members)
            if found is None:
                continue
            mine = [n for n in (0, 1) if (name, n) in own]
            if not any((name, 1 - n) in others for n in mine):
                continue
            finding = Finding(found, CAMP_SCORE, None, "the speaker's side")
            best[(number, name)] = Best(finding, sent, sent.root, holder=who)


def _quoted_on(
    number: int, name: str, said: dict[str, tuple[int, Finding]], context: DocContext
) -> Finding | None:
    """A sentence of a quotation whose other sentence took a stance on the target goes on
    saying it ("“Russia has been there for us. This is what friends do,” she said.")."""
    source = said.get(name)
    if source is None or source[0] not in context.quotation.get(number, ()):
        return None
    finding = source[1]
    return Finding(finding.polarity, finding.score * CARRIED_FACTOR, None,
                    "quotation carried over")


def _headlines(
    context: DocContext, best: BestTable, named: dict[int, set[str]],
    mentioned: dict[int, set[str]], cues: Cues,
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
        finding = cues.any_cue(sent, headline=True) if lead else None
        if finding is not None:
            for name in lead:
                keep(best, (number, name), Best(finding, sent, sent.root))


def _lead(context: DocContext, headline: int) -> int:
    """The sentence a headline stands over: the first below it that says something, past a
    dateline, a byline or an outlet's label ("BRUSSELS, Nov 5 (Reuters) -", "By Ana Ruiz")."""
    number = headline + 1
    while (number < len(context.sents) - 1 and number <= headline + _LEAD_SKIP
           and len(context.sents[number]) <= _LINE_WORDS
           and not any(t.pos_ in ("VERB", "AUX") for t in context.sents[number])):
        number += 1
    return number
