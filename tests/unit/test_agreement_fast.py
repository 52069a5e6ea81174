"""The column-wise agreement gives exactly the figures of the straightforward reference (the
first, document-by-document implementation, kept in tests/unit/agreement_reference.py), on
generated projects with the awkward cases a real one holds: four annotators who finished
different documents, overlapping and nested entities, the same span labelled twice, entity
boundaries inside a word, stances without a holder, and non-ASCII text."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from gui.core.store import Project
from gui.formats.importer import import_files
from gui.review import disputes
from gui.review.agreement import NONE, AgreementReport, compute_agreement, document_disputes
from gui.review.columns import compared_sets, entity_columns, stance_rows
from gui.review.sets import load_done_sets
from tests.unit.agreement_reference import dispute_counts, reference_agreement
from tests.unit.estimates_reference import reference_estimates

NAMES = ("ana", "ben", "cy", "dee")
WORDS = ("Havana", "Moscow", "the", "embargo", "U.S.", "talks", "Díaz-Canel", "said", "on",
         "Monday", "Cuba's", "oil", "\u201cnever\u201d", "(Rosneft)", "don't", "cannot", "..",
         "\U0001f1e8\U0001f1fa", "a\u00a0b", "\u3000Lavrov")


def _text(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(1, 6)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(2, 12))]
        sentences.append(" ".join(words) + rng.choice([".", "!", "?", "", " ."]))
    return rng.choice([" ", "  ", "\n", "\n\n"]).join(sentences)


def _spans(rng: random.Random, text: str, count: int) -> list[tuple[int, int]]:
    """Spans on word boundaries mostly, some starting or ending inside a word."""
    words = [(i, i + len(w)) for i, w in _word_offsets(text)]
    spans = []
    for _ in range(count):
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.choice([0, 0, 0, 1, 2]))
        start, end = words[first][0], words[last][1]
        if rng.random() < 0.1 and end - start > 2:
            start += 1
        if rng.random() < 0.1 and end - start > 2:
            end -= 1
        spans.append((start, end))
    return spans


def listed_units(project: Project, report: AgreementReport) -> list[tuple]:
    """The fast report's sentence units as the reference lists them: (document id, sentence,
    target, {annotator who finished the document: polarity or "none"})."""
    units = report.sentence_units
    assert units is not None and report.schema is not None
    ids = compared_sets(project).document_ids[units.document].tolist()
    names = [*report.schema.polarities, NONE]
    return [
        (doc_id, (start, end), target,
         {name: names[int(code)] for name, code in zip(report.annotators, column, strict=True)
          if not math.isnan(code)})
        for doc_id, start, end, target, column in zip(
            ids, units.start.tolist(), units.end.tolist(), units.target.tolist(),
            units.matrix.T.tolist(), strict=True)
    ]


def _word_offsets(text: str) -> list[tuple[int, str]]:
    found, position = [], 0
    for word in text.split():
        position = text.index(word, position)
        found.append((position, word))
        position += len(word)
    return found


def _records(seed: int, documents: int, labels: list[str], targets: list[str],
             polarities: list[str]) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for i in range(documents):
        text = _text(rng)
        shared = [(s, e, rng.choice(labels)) for s, e in _spans(rng, text, rng.randint(0, 6))]
        for name in NAMES:
            if rng.random() < 0.25:
                continue
            spans = [item for item in shared if rng.random() < 0.8]
            spans += [(s, e, rng.choice(labels)) for s, e in _spans(rng, text, rng.randint(0, 2))]
            spans = [(s, e, rng.choice(labels)) if rng.random() < 0.1 else (s, e, lab)
                     for s, e, lab in spans]
            stances = []
            for s, e in _spans(rng, text, rng.randint(0, 3)):
                stance = {"start": s, "end": e, "target": rng.choice(targets),
                          "polarity": rng.choice(polarities)}
                if rng.random() < 0.5:
                    holder = _spans(rng, text, 1)[0]
                    stance["holder"] = {"start": holder[0], "end": holder[1]}
                stances.append(stance)
            records.append({
                "text": text, "meta": {"title": f"doc {i}"}, "annotator": name,
                "status": "done" if rng.random() < 0.85 else "in_progress",
                "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
                "stances": stances,
            })
    return records


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_agreement_equals_the_reference(project: Project, tmp_path: Path, seed: int):
    schema = project.schema
    records = _records(seed, 80, list(schema.labels), list(schema.target_names),
                       list(schema.polarities))
    source = tmp_path / "generated.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                      encoding="utf-8")
    import_files(project, [source])
    fast = compute_agreement(project)
    reference = reference_agreement(project)
    fast_json = fast.to_json()
    assert_same_figures({k: v for k, v in fast_json.items() if k in LEGACY},
                        reference.to_json())
    expected = reference_estimates(project)
    found = flatten(fast_json)
    assert set(expected) <= set(found)
    for path, value in expected.items():
        tolerance = 1e-5 if path.startswith("multi_rater.") else 1e-9  # irrCAC rounds
        assert found[path] == (None if value is None else pytest.approx(value, abs=tolerance)), \
            path
    assert listed_units(project, fast) == \
        [(u.document_id, u.sentence, u.target, u.values) for u in reference.units]
    assert fast.stance.units > 0 and fast.entity_f1.ok and fast.alpha_token.ok
    counts = document_dispute_counts(project)
    for doc_id, sets in load_done_sets(project).items():
        found = disputes.clusters(sets)
        assert counts[doc_id] == (sum(not c.agreed for c in found), len(found)) == \
            dispute_counts(sets)


LEGACY = {"documents", "annotators", "stance", "entities", "disputed", "confusion", "reason"}
RELATIVE = 1e-9  # sums per document add floats in another order than the reference


def assert_same_figures(found: object, expected: object, path: str = "") -> None:
    """The same JSON, floats equal to a relative 1e-9: the token alpha and alpha_u are sums
    of per-document sums (the cache's), which round differently from one sum over every unit
    in their last bits; everything else (counts, F1, the stance figures) is exactly equal."""
    if isinstance(expected, dict):
        assert isinstance(found, dict) and found.keys() == expected.keys(), path
        for key in expected:
            assert_same_figures(found[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(found, list) and len(found) == len(expected), path
        for i, (mine, theirs) in enumerate(zip(found, expected, strict=True)):
            assert_same_figures(mine, theirs, f"{path}[{i}]")
    elif isinstance(expected, float) and not isinstance(found, bool):
        assert found == pytest.approx(expected, rel=RELATIVE, abs=1e-12), path
    else:
        assert found == expected, path


def flatten(data: dict) -> dict[str, object]:
    """The new keys' figures as {"stance_frames.per_pair.ana|ben.frame_f1": value}."""
    found: dict[str, object] = {}

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict) and "value" in node and "ci" in node:
            found[path] = node["value"]
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{path}.{key}" if path else key)
        elif isinstance(node, int | float):
            found[path] = node

    for section in ("stance_frames", "entity_partial", "multi_rater"):
        walk(data[section], section)
    return found


def document_dispute_counts(project: Project) -> dict[int, tuple[int, int]]:
    """Document id -> (disagreements, clusters), as compute_agreement counts them."""
    sets = compared_sets(project)
    disputed, clusters = document_disputes(
        sets, entity_columns(project, sets, project.schema), stance_rows(project, sets))
    return {int(doc_id): (int(d), int(c))
            for doc_id, d, c in zip(sets.document_ids, disputed, clusters, strict=True)}
