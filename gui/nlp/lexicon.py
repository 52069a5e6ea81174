"""The stance lexicon: cue words and phrases kept as data (resources/stance/*.toml).

Why data: the words that signal a stance differ between domains and languages of coverage, and
a research team should be able to add "denounce" or "economic war" without touching code. A
project names its own extension file in the setting ``stance_lexicon``; its cues are added to
the defaults, and its threshold, when it has one, replaces the default.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from gui.core.errors import MarginaliaError

ROLES = ("object", "subject", "sentence", "deed")


class LexiconError(MarginaliaError):
    """A stance lexicon file that cannot be read or has a bad entry."""


@dataclass(frozen=True)
class Cue:
    """One word (a lemma) or phrase that signals a polarity toward what it is about."""

    text: str
    polarity: str
    weight: float
    role: str
    phrase: bool


@dataclass
class Lexicon:
    cues: list[Cue] = field(default_factory=list)
    negation_words: set[str] = field(default_factory=set)
    negation_verbs: set[str] = field(default_factory=set)
    # Verbs that deny the clause or claim they govern ("denied that it would send troops",
    # "rejected claims that…"): what the clause says is nobody's stance.
    denial_verbs: set[str] = field(default_factory=set)
    removal: set[str] = field(default_factory=set)
    reporting_verbs: set[str] = field(default_factory=set)
    attribution: list[str] = field(default_factory=list)
    # Extra cues for the schema's stance targets, by target name.
    target_cues: dict[str, list[str]] = field(default_factory=dict)
    # The parties a relation target is between (words naming each side), by target name.
    target_sides: dict[str, list[set[str]]] = field(default_factory=dict)
    # Words for a relation that do not say between whom ("ties", "cooperation").
    relation_cues: list[str] = field(default_factory=list)
    # Relation words that name a body both parties keep ("the intergovernmental commission"):
    # its meetings and plans are the relation at work, never a neutral mention.
    relation_bodies: set[str] = field(default_factory=set)
    # What a relation is made of ("embassy", "flights", "remittances"), by target name, and the
    # verbs that open it up or close it down: "reopened the embassy", "capped remittances".
    target_measures: dict[str, set[str]] = field(default_factory=dict)
    opening: dict[str, set[str]] = field(default_factory=dict)
    closing: dict[str, set[str]] = field(default_factory=dict)
    # Groups named by what they are for or against ("supporters of the embargo say…",
    # "critics say…"): word -> the polarity they speak for.
    advocates: dict[str, str] = field(default_factory=dict)
    # Relation words that judge the relation they name ("brotherly Russia", "a forward base"):
    # word -> the polarity its speaker takes; they are relation words too (``relation_cues``).
    relation_judged: dict[str, str] = field(default_factory=dict)
    # Relation words for the other party ("friends", "partners"): "our friends" claims it.
    relation_claimed: set[str] = field(default_factory=set)
    # Relation targets that deeds and goods never support (``deeds = false``): the coverage
    # reports one side's acts toward the other as the frame of another target (a US licence or
    # aid offer is about the embargo, not support for normalization).
    no_deeds: set[str] = field(default_factory=set)
    # A target's names that take a side by themselves ("the blockade" is what Havana and its
    # friends call the embargo), by target name: word -> the polarity its speaker takes.
    target_judged: dict[str, dict[str, str]] = field(default_factory=dict)
    # Subject nouns that stand for a person named earlier ("the minister") or for a
    # government or organisation ("the Russian side").
    person_nouns: set[str] = field(default_factory=set)
    group_nouns: set[str] = field(default_factory=set)
    # Deeds read from one side's words alone: thanking (the thanked is one side, the one who
    # thanks the other) and goods carrying a side's name ("Russian wheat", "Moscow's oil").
    thanks: set[str] = field(default_factory=set)
    goods: set[str] = field(default_factory=set)
    # What goods must be doing to be a shipment, beside the deed words ("Russian wheat
    # reached…", "financed by a Russian credit"); goods in a list or an image are not.
    carriers: set[str] = field(default_factory=set)
    # Standing beside the other side ("stand by Havana", "stood with Cuba"): a deed only
    # through its "by" or "with".
    standing: set[str] = field(default_factory=set)
    # Known positions of a side's officials and governments, by side (a relation target's
    # name and 0 or 1): target name -> polarity ("Russia's side is for the partnership").
    camps: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)
    # Nouns that point back to the target named before them after "the", "this", "such"
    # ("welcomed the decision", "condemns the move"): pointers.py.
    pointers: set[str] = field(default_factory=set)
    threshold: float = 0.5
    fingerprint: str = ""

    def lemma_cues(self, role: str) -> dict[str, Cue]:
        """Single-word cues of one role by lemma; a later file's entry wins over an earlier."""
        return {c.text: c for c in self.cues if not c.phrase and c.role == role}

    def phrase_cues(self) -> list[Cue]:
        return [c for c in self.cues if c.phrase]


def default_lexicon_path() -> Path:
    return Path(str(files("gui.resources").joinpath("stance/lexicon.toml")))


def load_lexicon(extra: str | Path | None = None, polarities: tuple[str, ...] = ()) -> Lexicon:
    """The default lexicon, extended by ``extra`` (a project's file) when given.

    ``polarities`` are the schema's: a project's file must use only those.
    """
    lexicon = Lexicon()
    digest = hashlib.sha256()
    paths = [(default_lexicon_path(), ())]
    if extra:
        paths.append((Path(extra), polarities))
    for path, checked in paths:
        raw_bytes = _read(path)
        digest.update(raw_bytes)
        _merge(lexicon, _parse(path, raw_bytes), path, checked)
    if polarities:  # the defaults' polarities a project's schema does not have are left out
        lexicon.cues = [c for c in lexicon.cues if c.polarity in polarities]
    lexicon.fingerprint = digest.hexdigest()[:10]
    return lexicon


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LexiconError("no such stance lexicon file", path=path) from None
    except OSError as exc:
        raise LexiconError(f"cannot be read ({exc.strerror})", path=path) from None


def _parse(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise LexiconError("is not UTF-8 text", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"is not valid TOML ({exc})", path=path) from None


def _words(value: Any, what: str, path: Path) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"{what} must be a list of non-empty strings", path=path)
    return [v.strip().lower() for v in value]


def _merge(lexicon: Lexicon, raw: dict[str, Any], path: Path, polarities: tuple[str, ...]) -> None:
    if "threshold" in raw:
        threshold = raw["threshold"]
        if not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
            raise LexiconError("threshold must be a number from 0 to 1", path=path)
        lexicon.threshold = float(threshold)
    negation = raw.get("negation", {})
    shift = raw.get("shift", {})
    reporting = raw.get("reporting", {})
    lexicon.negation_words |= set(_words(negation.get("words"), "negation.words", path))
    lexicon.negation_verbs |= set(_words(negation.get("verbs"), "negation.verbs", path))
    lexicon.denial_verbs |= set(_words(negation.get("denial"), "negation.denial", path))
    lexicon.removal |= set(_words(shift.get("removal"), "shift.removal", path))
    lexicon.reporting_verbs |= set(_words(reporting.get("verbs"), "reporting.verbs", path))
    lexicon.attribution += _words(reporting.get("attribution"), "reporting.attribution", path)
    relations = raw.get("relations", {})
    lexicon.relation_cues += _words(relations.get("cues"), "relations.cues", path)
    lexicon.relation_bodies |= set(_words(relations.get("bodies"), "relations.bodies", path))
    lexicon.relation_claimed |= set(_words(relations.get("claimed"), "relations.claimed", path))
    judged = _polarity_table(relations.get("judged", {}), "relations.judged", path, polarities)
    lexicon.relation_judged.update(judged)
    lexicon.relation_cues += list(judged)
    holders = raw.get("holders", {})
    lexicon.person_nouns |= set(_words(holders.get("person_nouns"), "holders.person_nouns", path))
    lexicon.group_nouns |= set(_words(holders.get("group_nouns"), "holders.group_nouns", path))
    context = raw.get("context", {})
    if not isinstance(context, dict):
        raise LexiconError("[context] must be a table of words", path=path)
    lexicon.pointers |= set(_words(context.get("pointers"), "context.pointers", path))
    deeds = raw.get("deeds", {})
    lexicon.thanks |= set(_words(deeds.get("thanks"), "deeds.thanks", path))
    lexicon.goods |= set(_words(deeds.get("goods"), "deeds.goods", path))
    lexicon.carriers |= set(_words(deeds.get("carriers"), "deeds.carriers", path))
    lexicon.standing |= set(_words(deeds.get("standing"), "deeds.standing", path))
    targets = raw.get("target", [])
    if not isinstance(targets, list):
        raise LexiconError("[[target]] must be an array of tables", path=path)
    for number, row in enumerate(targets, start=1):
        name = row.get("name") if isinstance(row, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise LexiconError(f"target {number} needs a name", path=path)
        cues = row.get("cues", [])
        if not isinstance(cues, list) or not all(isinstance(c, str) and c.strip() for c in cues):
            raise LexiconError(f"target {name!r}: cues must be a list of strings", path=path)
        lexicon.target_cues.setdefault(name, []).extend(c.strip() for c in cues)
        sides = row.get("sides", [])
        if not isinstance(sides, list) or len(sides) not in (0, 2):
            raise LexiconError(f"target {name!r}: sides must be two lists of words", path=path)
        known = lexicon.target_sides.setdefault(name, [set(), set()])
        for number, side in enumerate(sides):
            known[number] |= set(_words(side, f"target {name!r} sides", path))
        for key, table in (("measures", lexicon.target_measures), ("opening", lexicon.opening),
                           ("closing", lexicon.closing)):
            table.setdefault(name, set()).update(
                _words(row.get(key), f"target {name!r} {key}", path))
        deeds_count = row.get("deeds", True)
        if not isinstance(deeds_count, bool):
            raise LexiconError(f"target {name!r}: deeds must be true or false", path=path)
        if not deeds_count:
            lexicon.no_deeds.add(name)
        judged_names = _polarity_table(row.get("judged", {}), f"target {name!r} judged", path,
                                       polarities)
        lexicon.target_judged.setdefault(name, {}).update(judged_names)
        lexicon.target_cues[name].extend(judged_names)  # a name of the target, too
    _merge_camps(lexicon, raw.get("camp", []), path, polarities)
    lexicon.advocates.update(
        _polarity_table(raw.get("advocates", {}), "advocates", path, polarities))
    groups = raw.get("cue", [])
    if not isinstance(groups, list):
        raise LexiconError("[[cue]] must be an array of tables", path=path)
    for number, group in enumerate(groups, start=1):
        what = f"cue group {number}"
        if not isinstance(group, dict):
            raise LexiconError(f"{what} must be a table", path=path)
        polarity = group.get("polarity")
        if not isinstance(polarity, str) or (polarities and polarity not in polarities):
            raise LexiconError(
                f"{what}: polarity {polarity!r} is not one of {list(polarities)}", path=path
            )
        weight = group.get("weight", 0.7)
        if not isinstance(weight, int | float) or not 0 < weight <= 1:
            raise LexiconError(f"{what}: weight must be a number above 0 and at most 1", path=path)
        role = group.get("role", "object")
        if role not in ROLES:
            raise LexiconError(f"{what}: role must be one of {list(ROLES)}", path=path)
        lemmas = _words(group.get("lemmas"), f"{what} lemmas", path)
        phrases = _words(group.get("phrases"), f"{what} phrases", path)
        if not lemmas and not phrases:
            raise LexiconError(f"{what} has neither lemmas nor phrases", path=path)
        lexicon.cues += [Cue(w, polarity, float(weight), role, " " in w) for w in lemmas]
        lexicon.cues += [Cue(p, polarity, float(weight), "sentence", True) for p in phrases]


def _polarity_table(
    table: Any, what: str, path: Path, polarities: tuple[str, ...]
) -> dict[str, str]:
    """A table of word lists by polarity (``favor = ["supporter"]``): word -> polarity."""
    if not isinstance(table, dict):
        raise LexiconError(f"[{what}] must be a table of polarities", path=path)
    found = {}
    for polarity, words in table.items():
        if polarities and polarity not in polarities:
            raise LexiconError(f"{what}: {polarity!r} is not one of {list(polarities)}", path=path)
        found.update((w, polarity) for w in _words(words, what, path))
    return found


def _merge_camps(
    lexicon: Lexicon, camps: Any, path: Path, polarities: tuple[str, ...]
) -> None:
    """``[[camp]]`` tables: a side of a relation target (``target``, ``side`` 0 or 1) and the
    ``positions`` its officials take (target name -> polarity); a later file adds to them."""
    if not isinstance(camps, list):
        raise LexiconError("[[camp]] must be an array of tables", path=path)
    for number, row in enumerate(camps, start=1):
        what = f"camp {number}"
        if not isinstance(row, dict) or not isinstance(row.get("target"), str):
            raise LexiconError(f"{what} needs a target", path=path)
        side = row.get("side")
        if side not in (0, 1) or isinstance(side, bool):
            raise LexiconError(f"{what}: side must be 0 or 1", path=path)
        positions = row.get("positions", {})
        if not isinstance(positions, dict) or not all(
            isinstance(v, str) and (not polarities or v in polarities) for v in positions.values()
        ):
            raise LexiconError(
                f"{what}: positions must map target names to polarities", path=path
            )
        lexicon.camps.setdefault((row["target"], side), {}).update(positions)
