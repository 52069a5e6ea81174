"""How unsure the stance classifier is, from its tables of probabilities.

One measure for both places that rank documents for "most to gain first": the trained
version's scoring after training (uncertainty.py) and the starter's, recorded as pre-fill asks
it (prefill.py), so the two orders mean the same thing by "unsure".

- a sentence's doubt: one minus the margin between the two likeliest classes, for the target
  it is least sure about (0 sure, 1 a coin toss; Prodigy's ``teach`` recipes ask about the
  examples nearest 0.5 for the same reason);
- a document's: the mean of its ``TOP_SENTENCES`` least certain sentences, so a long article
  is not made to look certain by its many plain sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

TOP_SENTENCES = 5


def sentence_doubts(tables: Sequence[np.ndarray]) -> list[float]:
    """Per row of the tables (a sentence; one table per target, a column per class), its
    doubt for the target it is least sure about."""
    if not tables or not len(tables[0]):
        return []
    margins = [np.diff(np.sort(table, axis=1)[:, -2:], axis=1)[:, 0] for table in tables]
    return (1 - np.min(margins, axis=0)).tolist()


def document_doubt(doubts: Iterable[float]) -> float:
    """The mean of the ``TOP_SENTENCES`` largest doubts; 0 for a document with none."""
    top = sorted(doubts, reverse=True)[:TOP_SENTENCES]
    return sum(top) / len(top) if top else 0.0
