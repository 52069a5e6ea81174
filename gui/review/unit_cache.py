"""Each document's sentences and tokens, computed once and kept in the project.

Texts never change, so their sentence and token offsets (gui/review/units.py) never do
either: the first agreement run that compares a document stores them in ``document_units``
(one row per document: int32 ``start, end`` pairs as bytes), and every later run reads them
back: 10,000 documents in a tenth of a second instead of splitting 3.5 million words.

A row records the spaCy version and the splitting rules' version that made it (``VERSION``);
a row of another version is made again. Storing is best effort: a read-only project, or one
another process holds locked past the busy timeout, just computes the units without keeping
them, since a cache must never stop the figures.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import spacy

from gui.core.errors import MarginaliaError
from gui.core.store import Project
from gui.review.bootstrap import Cancelled, Progress
from gui.review.units import sentence_spans, word_tokens

RULES = 1  # raise when units.py changes what it returns
VERSION = f"spacy {spacy.about.__version__}, rules {RULES}"
_WORD = re.compile(r"\S+")
_CHUNK = 500


@dataclass
class DocumentUnits:
    """Every sentence and every token of the compared documents as global offsets (document
    index x stride + offset), sorted."""

    sentence_start: np.ndarray
    sentence_end: np.ndarray
    token_start: np.ndarray
    token_end: np.ndarray


def text_tokens(text: str) -> list[tuple[int, int]]:
    """spaCy's tokens of a text, whitespace tokens left out (as ``tokens_within`` gives
    them): each whitespace-free word tokenized on its own, which is what spaCy does."""
    found = []
    for word in _WORD.finditer(text):
        offset = word.start()
        found += [(offset + start, offset + end)
                  for start, end, _punct, _final in word_tokens(word.group())]
    return found


def document_units(project: Project, document_ids: np.ndarray, texts: list[str],
                   stride: int, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None, *,
                   with_tokens: bool = True) -> DocumentUnits:
    """Sentences and tokens of the documents ``document_ids`` (texts in the same order),
    read from the cache, the missing ones computed and stored: the one slow step of a first
    run, so it reports progress and raises ``Cancelled`` when ``cancelled()`` turns true.
    With ``with_tokens=False`` the tokens are not read back (they come out empty): the stance
    units need the sentences alone, and the entity side the tokens of changed documents."""
    stored = _read(project, document_ids, with_tokens)
    missing = []
    total = len(document_ids)
    for index, doc_id in enumerate(document_ids.tolist()):
        if progress is not None and index % 100 == 0:
            progress(index, total)
        if cancelled is not None and index % 100 == 0 and cancelled():
            raise Cancelled()
        if doc_id not in stored:
            sentences = np.array(sentence_spans(texts[index]), dtype=np.int32).reshape(-1, 2)
            tokens = np.array(text_tokens(texts[index]), dtype=np.int32).reshape(-1, 2)
            stored[doc_id] = (sentences.tobytes(), tokens.tobytes())
            missing.append((doc_id, VERSION, *stored[doc_id]))
    if missing:
        _store(project, missing)
    if progress is not None:
        progress(total, total)
    # every document's bytes joined and read as one array: 10,000 small arrays cost more
    rows = [stored[doc_id] for doc_id in document_ids.tolist()]
    return DocumentUnits(*_global(rows, 0, stride),
                         *(_global(rows, 1, stride) if with_tokens else _global([], 1, stride)))


def _global(rows: list[tuple[bytes, bytes]], column: int, stride: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """One column of every document's rows as global starts and ends."""
    pairs = _pairs(b"".join(row[column] for row in rows)).astype(np.int64)
    place = np.repeat(np.arange(len(rows), dtype=np.int64) * stride,
                      [len(row[column]) // 8 for row in rows])
    return pairs[:, 0] + place, pairs[:, 1] + place


def _pairs(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.int32).reshape(-1, 2)


def _read(project: Project, document_ids: np.ndarray, with_tokens: bool
          ) -> dict[int, tuple[bytes, bytes]]:
    found: dict[int, tuple[bytes, bytes]] = {}
    ids = document_ids.tolist()
    columns = "sentences, tokens" if with_tokens else "sentences"
    for first in range(0, len(ids), _CHUNK):
        chunk = ids[first:first + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for doc_id, sentences, *token_bytes in project.conn.execute(
            f"SELECT document_id, {columns} FROM document_units "
            f"WHERE version = ? AND document_id IN ({marks})", (VERSION, *chunk)
        ):
            found[doc_id] = (sentences, token_bytes[0] if with_tokens else b"")
    return found


def _store(project: Project, rows: list[tuple[int, str, bytes, bytes]]) -> None:
    if project.readonly or project.conn.in_transaction:
        return
    # a cache: the figures are right without it, only slower next time
    with contextlib.suppress(MarginaliaError, sqlite3.Error), project.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO document_units(document_id, version, sentences, tokens) "
            "VALUES (?, ?, ?, ?)", rows)
