"""What the stance rules find, and how a finding wins its sentence and target.

Every rule (stance_cues.py, stance_deeds.py, stance_carried.py) reports a ``Finding`` for a
(sentence, target) key into one shared table; ``keep`` decides which evidence stands, so the
rules need not know about each other. The scores of the rules without a cue word of their own
sit here together, where they can be weighed against each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

NEUTRAL = "neutral"
_OPPOSITE = {"against": "favor", "favor": "against"}
# How much of a cue's weight each weaker kind of evidence keeps, and the fixed scores of the
# rules that have no cue word of their own.
DEED_FACTOR = 0.85
CARRIED_FACTOR = 0.75
BACKGROUND_SCORE = 0.55
REMOVAL_WEIGHT = 0.65
PARTY_SCORE = 0.6
JUDGING_SCORE = 0.6  # a relation word that judges it: "brotherly Russia", "a forward base"
GOODS_SCORE = 0.6
CAMP_SCORE = 0.5
ADVOCATE_SCORE = 0.6
MEASURE_SCORE = 0.6
WRITER_SCORE = 0.55
MAX_DEPTH = 40  # a parse is a tree, but a bound costs nothing


@dataclass(frozen=True)
class Finding:
    polarity: str
    score: float
    anchor: Token | None  # the cue word the holder is looked up from
    rule: str  # which rule found it, for the reader (docs/prefill.md names them)


@dataclass
class Best:
    finding: Finding
    sent: Span
    target_root: Token
    background: bool = False  # no cue: a neutral mention if nobody takes a position
    generic: bool = False  # named by a relation word
    quoted: bool = False  # in a quotation
    holder: Span | None = None  # known from the rule itself (the side whose goods they are)
    carried: bool = False  # named by a word pointing back ("it", "the decision"): pointers.py


# (sentence number, target name) -> the strongest evidence found for it so far
BestTable = dict[tuple[int, str], Best]


def flip(polarity: str) -> str:
    return _OPPOSITE.get(polarity, polarity)


def keep(best: BestTable, key: tuple[int, str], candidate: Best) -> None:
    """One suggestion per sentence and target: the strongest evidence wins."""
    held = best.get(key)
    if held is None or held.background or held.finding.score < candidate.finding.score:
        best[key] = candidate
