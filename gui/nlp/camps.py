"""Whose line a holder speaks: the known positions of a side's officials and governments.

Why: news reports a side's officials far more often than it quotes them taking a stance in so
many words. "Our Cuban friends can count on us," says a Russian diplomat; "The measures were
another act of aggression," says Cuba's foreign minister; a Russian consul "recalled that the
donation was agreed during the visit". A reader knows where each of them stands from who they
are: a government and the people who speak for it keep their side's line. The lexicon's
``[[camp]]`` tables give each side's positions (Russia's and Cuba's: for the partnership,
against the embargo); this module says which holders speak for a side. Only offices count: a
side's government, ministry or nationality ("the Russian side", "Cuba's Foreign Ministry"), a
person whose title has a side word and an office ("Cuba's Deputy Foreign Minister Josefina
Arencibia", "Russian Consul General Dmitri Vorobyov") or whose name is itself a side word (the
lexicon lists leaders there). "A Cuban economist" or "an American scholar" speaks for no side.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span

from gui.nlp.holders import HOLDER_LABELS
from gui.nlp.lexicon import Lexicon
from gui.nlp.targets import Side, TargetFinder
from gui.nlp.words import WordTable


class Camps:
    def __init__(self, lexicon: Lexicon, targets: TargetFinder, use_lemmas: bool):
        self.positions = {
            side: positions for side, positions in lexicon.camps.items()
            if side[0] in targets.sides
        }
        self.offices = WordTable.of(lexicon.person_nouns, use_lemmas)

    def members(
        self, ents: Sequence[Span], sides: dict[int, set[Side]],
        home: set[Side] | frozenset[Side] = frozenset(),
    ) -> dict[int, set[Side]]:
        """Token -> the camps it speaks for: entities named by a side word, and people whose
        title holds an office (they keep it for the rest of the document, by surname); an
        office with no side word ("Deputy Economy Minister Ana Gil") is the ``home`` side's,
        the side whose capital the story is filed from. ``ents``: the Doc's entities."""
        if not self.positions or not sides:
            return {}
        found: dict[int, set[Side]] = {}
        people: dict[str, set[Side]] = {}  # surname -> the camps of an office, none for others
        for ent in ents:
            if ent.label_ not in HOLDER_LABELS:
                continue
            camps = self._camps(ent.start, ent.end, sides)
            if len({side[0] for side in camps}) > 1:
                continue  # "the Cuban American National Foundation" speaks for neither
            if ent.label_ == "PERSON":
                surname = ent[-1].lower_
                if surname not in people:  # the first titled mention decides
                    title = TargetFinder.title(ent)
                    office = any(t in self.offices for t in title)
                    if any(t.i in sides for t in title):
                        people[surname] = camps if office else set()
                    elif office and home:
                        people[surname] = set(home)
                camps = people.get(surname, camps)  # else a leader's name is a side word
            for i in range(ent.start, ent.end) if camps else ():
                found[i] = camps
        return found

    def _camps(self, start: int, end: int, sides: dict[int, set[Side]]) -> set[Side]:
        """By token index, not Token: asked for every entity of every Doc, a Token object per
        word was most of what finding the camps cost."""
        return {s for i in range(start, end) for s in sides.get(i, ()) if s in self.positions}

    def position(
        self, holder: Span | None, target: str, members: dict[int, set[Side]]
    ) -> str | None:
        """The polarity the holder's camp takes on the target; None when the holder speaks
        for no camp or for camps that disagree."""
        if holder is None:
            return None
        camps = {c for i in range(holder.start, holder.end) for c in members.get(i, ())}
        said = {self.positions[c].get(target) for c in camps} - {None}
        return said.pop() if len(said) == 1 else None
