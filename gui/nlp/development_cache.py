"""The starter's development articles as training reads them, kept between trainings.

Why: a project's training learns from the starter's development articles too
(starter_data.py), and parsing them with the pipeline and the stance rules (``collect``,
train_stance.py) took 33-43 s of each ~100 s training, the same answer every time for the
same articles, pipeline, rules and feature code. So the answer is kept in this user's cache
folder, ``$XDG_CACHE_HOME/marginalia/development/<key>.json``, and a later training reads it
instead of parsing again (docs/training.md, "Training on top of the starter").

What is kept: what ``collect`` makes of the articles, as JSON (never unpickled): each
sentence's words as the classifier reads them, its fold, and per target its gold class and
the rules' answer; and the holder scorer's rows and truths. The Examples are made again from
those (``sentence_example``, as ``collect`` makes them).

Never stale: the key is a hash of everything that answer depends on (``key``): the articles
themselves as they are given (text, stances, ids; after the project's own are left out), the
pipeline (name, version, components, the schema's entity patterns, spaCy's version), the
pre-fill's version (the rules' code and lexicon, the starter's fingerprint), Marginalia's
own version, the rules' threshold, the project's schema (targets, polarities, cues), the
chunk size, and the source of every module in gui/nlp, so a change of the feature code is a
new key without a version to remember to bump. Any change is a miss: the articles are parsed
again and a new file is written.

A cache is only a shortcut: a file that is missing, unreadable, corrupt or of another shape
is a miss, never an error, and one that cannot be written is not kept. The newest KEEP files
stay; older keys (another pipeline, an upgrade) are deleted when a new one is written.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

import gui
from gui.core.location import cache_home
from gui.nlp.prefill import Prefiller
from gui.nlp.stance_model import NONE
from gui.nlp.train_data import TrainingDocument
from gui.nlp.train_stance import StanceData, sentence_example

# The shape of a file; a file of another shape is a miss.
FORMAT = 1
# How many keys' files stay: a project or two on the shipped starter need one.
KEEP = 4


def cache_folder() -> Path:
    return cache_home() / "development"


@functools.cache
def _code_digest() -> str:
    """Every module of gui/nlp: what turns a parse into words, folds and holder rows is spread
    over several, and a stale cache is worse than a parse."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(here.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(prefiller: Prefiller, documents: Sequence[TrainingDocument]) -> str:
    """The hash of everything ``collect`` reads besides the classifier's (empty) vocab."""
    nlp = prefiller.loaded.nlp
    ruler = nlp.get_pipe("marginalia_ruler") if "marginalia_ruler" in nlp.pipe_names else None
    parts: dict[str, Any] = {
        "format": FORMAT,
        "code": _code_digest(),
        # a bundle (docs/packaging.md) may carry no source to hash: its version stands for it
        "app": gui.__version__,
        "spacy": spacy.__version__,
        "pipeline": [prefiller.loaded.name, prefiller.loaded.version, nlp.pipe_names],
        "patterns": ruler.patterns if ruler is not None else [],
        "prefill": prefiller.version,
        "threshold": prefiller.stance.threshold,
        "schema": prefiller.schema.to_json(),
        "chunk": prefiller.chunk_chars,
        "documents": [[d.doc_id, d.text, [[s.start, s.end, s.target, s.polarity, s.holder]
                                          for s in d.stances]] for d in documents],
    }
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _path(key: str) -> Path:
    return cache_folder() / f"{key}.json"


def read(key: str, vocab: Vocab, targets: Sequence[str], polarities: Sequence[str]
         ) -> StanceData | None:
    """The StanceData kept under ``key``, its Examples made in ``vocab``; None when there is
    none or it cannot be read whole (the caller parses again)."""
    path = _path(key)
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        data = _data(kept, key, vocab, list(targets), list(polarities))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: the last to be let go (``_tidy``)
    return data


def _data(kept: dict[str, Any], key: str, vocab: Vocab, targets: list[str],
          polarities: list[str]) -> StanceData:
    if kept["format"] != FORMAT or kept["key"] != key or kept["targets"] != targets:
        raise ValueError("another cache's file")
    words, folds = kept["words"], kept["folds"]
    truths, rules = kept["truths"], kept["rules"]
    rows, holder_truths = kept["holder_rows"], kept["holder_truths"]
    shapes_agree = (
        len(folds) == len(words) and len(truths) == len(rules) == len(targets)
        and all(len(t) == len(r) == len(words) for t, r in zip(truths, rules, strict=True))
        and len(rows) == len(holder_truths)
        and all(isinstance(sentence, list) and sentence for sentence in words)
        and all(isinstance(w, str) for sentence in words for w in sentence)
        and all(isinstance(f, int) for f in [*folds, *holder_truths])
        and all(isinstance(per_target, list) for per_target in [*truths, *rules])
        and all(c in (*polarities, NONE) for per_target in [*truths, *rules] for c in per_target)
        and all(isinstance(row, list) for row in rows)
        and all(isinstance(x, float | int) for row in rows for x in row)
    )
    if not shapes_agree:
        raise ValueError("a damaged cache file")
    views = [Doc(vocab, words=sentence) for sentence in words]
    examples = [[sentence_example(view, target, truth, polarities)
                 for view, truth in zip(views, truths[number], strict=True)]
                for number, target in enumerate(targets)]
    return StanceData(examples, folds=folds, truths=truths, rules=rules,
                      holder_rows=[[float(x) for x in row] for row in rows],
                      holder_truths=holder_truths)


def write(key: str, data: StanceData, targets: Sequence[str]) -> None:
    """Keep ``data`` under ``key`` (a temporary file renamed into place, so a reader never
    sees half of it); without a writable cache folder, nothing is kept."""
    if not targets:
        return  # no Examples to read the words from, and nothing worth keeping
    kept = {
        "format": FORMAT, "key": key, "targets": list(targets),
        # every target's Example of a sentence holds the same words (``collect``)
        "words": [[token.text for token in example.predicted] for example in data.examples[0]],
        "folds": data.folds, "truths": data.truths, "rules": data.rules,
        "holder_rows": data.holder_rows, "holder_truths": data.holder_truths,
    }
    folder = cache_folder()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(kept, out, ensure_ascii=False)
            os.replace(tmp, _path(key))
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # left only when the rename failed
        _tidy(folder)


def _tidy(folder: Path) -> None:
    """The newest KEEP files stay (by use: a read touches its file); the rest go."""
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
