"""Looking a token up in a word table by its lemma or, without a lemmatizer, by its form."""

from __future__ import annotations

from typing import Any

from spacy.parts_of_speech import IDS
from spacy.strings import get_string_id
from spacy.tokens import Token


def inflections(word: str) -> set[str]:
    """Inflected forms of an English lemma, for matching where there is no lemmatizer."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "ed"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    short_vowel = len(word) > 2 and word[-2] in "aeiou" and word[-3] not in "aeiou"
    if short_vowel and word[-1] not in "aeiouwxy":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


class WordTable:
    """Lemma -> value, plus every inflected form, so a token is found by lemma or by form."""

    def __init__(
        self, by_lemma: dict[str, Any], use_lemmas: bool, pos: frozenset[str] = frozenset()
    ):
        self.use_lemmas = use_lemmas
        self.pos = pos  # when given, only tokens tagged so match ("stated", not "the state")
        self.table: dict[str, Any] = {}
        for lemma, value in by_lemma.items():
            for form in inflections(lemma):
                self.table.setdefault(form, value)
        self.table.update(by_lemma)
        # the same by string id and part-of-speech id: a token's ids are read without making
        # a Python string of each (``get``)
        self.ids = {get_string_id(form): value for form, value in self.table.items()}
        self.pos_ids = frozenset(IDS[tag] for tag in pos)
        # lemma id -> what its lower-case string finds (None too): a lemma other than the
        # word's form ("say" of "said") is made a string and lowered once per table, not per
        # token asked
        self.by_lemma: dict[int, Any] = {}

    @classmethod
    def of(
        cls, words: set[str] | list[str], use_lemmas: bool, pos: frozenset[str] = frozenset()
    ) -> WordTable:
        return cls({w: w for w in words}, use_lemmas, pos)

    def get(self, token: Token) -> Any:
        """By lemma, else by form. Every rule asks this of many tokens, so it reads ids
        where it can: a lemma that is the token's lower-case form ("sanctions" of
        "sanctions", most words) is looked up once by id, with no string made; another
        lemma ("say" of "said", "Russia" of "Russia") by its lower-case string first."""
        if self.pos:
            pos = token.pos
            if pos and pos not in self.pos_ids:
                return None
        lower = token.lower
        if self.use_lemmas:
            lemma = token.lemma
            if lemma and lemma != lower:
                if lemma in self.by_lemma:
                    found = self.by_lemma[lemma]
                else:
                    found = self.by_lemma[lemma] = self.table.get(token.lemma_.lower())
                if found is not None:
                    return found
        return self.ids.get(lower)

    def __contains__(self, token: Token) -> bool:
        return self.get(token) is not None
