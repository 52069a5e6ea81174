"""Export then import into a fresh project gives back the same annotations.

Property-based: hypothesis generates documents (astral characters, flags, combining marks,
CRLF, tabs, U+2028, any code point but surrogates) with random entities, stances, holders,
statuses and annotators. Native JSONL must come back exactly; Prodigy and doccano carry the
entities; the CoNLL file must parse back into the text's tokens and the entities IOB can hold.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gui.core.schema import load_schema
from gui.core.store import GOLD, Project
from gui.formats.export import export_project
from gui.formats.export.writer import longest_first
from gui.formats.importer import import_files

SCHEMA = load_schema()
LABELS = SCHEMA.labels
TARGETS = SCHEMA.target_names
POLARITIES = list(SCHEMA.polarities)
STATUSES = ["todo", "in_progress", "done", "skipped", "flagged"]
FRAGMENTS = [
    "Cuba", "Россия", "Díaz-Canel", "U.S.", " ", "  ", "\t", "\r\n", "\n", ".", ",", "—",
    "🇨🇺", "😀", "𝔘𝔖", "e\u0301", "a\u0308\u0323", "\u2028", "\u00a0", "ß", "'", '"', "\\",
    "中国", "-DOCSTART-", "O",
]
texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30).map("".join),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60),
).filter(lambda t: t.strip())
RUNS = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@st.composite
def spans(draw: st.DrawFn, length: int) -> tuple[int, int]:
    start = draw(st.integers(0, length - 1))
    return start, draw(st.integers(start + 1, length))


@st.composite
def annotation_sets(draw: st.DrawFn, length: int) -> dict[str, Any]:
    entities = [(*draw(spans(length)), draw(st.sampled_from(LABELS)))
                for _ in range(draw(st.integers(0, 5)))]
    stances = []
    for _ in range(draw(st.integers(0, 3))):
        holder = draw(st.none() | spans(length))
        stances.append((*draw(spans(length)), draw(st.sampled_from(TARGETS)),
                        draw(st.sampled_from(POLARITIES)), *(holder or (None, None))))
    return {"status": draw(st.sampled_from(STATUSES)), "entities": entities, "stances": stances}


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    text = draw(texts)
    who = draw(st.lists(st.sampled_from(["ana", "bo", "Zoë K.", GOLD]), unique=True, max_size=3))
    return {
        "text": text,
        "title": draw(st.text(max_size=12).filter(lambda t: "\x00" not in t)),
        "date": draw(st.sampled_from(["", "2024-02-20"])),
        "url": draw(st.sampled_from(["", "https://example.org/a?b=ü"])),
        "meta": draw(st.dictionaries(st.sampled_from(["desk", "wörds", "tags"]),
                                     st.integers() | st.text(max_size=5), max_size=2)),
        "sets": {name: draw(annotation_sets(len(text))) for name in who},
    }


corpora = st.lists(documents(), min_size=1, max_size=4, unique_by=lambda d: d["text"])


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty project made once; each example copies it (creating one costs many fsyncs)."""
    path = tmp_path_factory.mktemp("template") / "empty.mrg"
    Project.create(path, SCHEMA).close()
    return path


@contextmanager
def fresh_projects(template: Path) -> Iterator[tuple[Project, Project, Path]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("a.mrg", "b.mrg"):
            shutil.copyfile(template, root / name)
        with Project.open(root / "a.mrg") as a, Project.open(root / "b.mrg") as b:
            yield a, b, root


def fill(project: Project, corpus: list[dict[str, Any]]) -> None:
    with project.transaction() as conn:
        ids = project.add_documents(corpus)
        for doc, (doc_id, _) in zip(corpus, ids, strict=True):
            for name, chosen in doc["sets"].items():
                project.ensure_annotator(name)
                set_id = project.ensure_set(doc_id, name, copy_prefill=False)
                conn.execute("UPDATE annotation_sets SET status = ? WHERE id = ?",
                             (chosen["status"], set_id))
                conn.executemany(
                    'INSERT INTO entities(set_id, start, "end", label, origin) '
                    "VALUES (?, ?, ?, ?, 'manual')",
                    [(set_id, *e) for e in chosen["entities"]],
                )
                conn.executemany(
                    'INSERT INTO stances(set_id, start, "end", target, polarity, holder_start, '
                    "holder_end, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 'manual')",
                    [(set_id, *s) for s in chosen["stances"]],
                )


def contents(project: Project) -> dict[str, Any]:
    """Everything a user would compare, keyed by text (ids differ between projects)."""
    conn = project.conn
    result: dict[str, Any] = {}
    for doc_id, text, title, source, date, url, meta in conn.execute(
        "SELECT id, text, title, source, date, url, meta FROM documents"
    ):
        sets = {}
        for set_id, name, status in conn.execute(
            "SELECT id, annotator, status FROM annotation_sets WHERE document_id = ?", (doc_id,)
        ):
            entities = sorted(conn.execute(
                'SELECT start, "end", label FROM entities WHERE set_id = ?', (set_id,)))
            stances = sorted(conn.execute(
                'SELECT start, "end", target, polarity, coalesce(holder_start, -1), '
                "coalesce(holder_end, -1) FROM stances WHERE set_id = ?", (set_id,)))
            sets[name] = (status, entities, stances)
        result[text] = {"doc": (title, source, date, url, meta), "sets": sets}
    return result


@RUNS
@given(corpora)
def test_native_jsonl_round_trips_exactly(template, corpus):
    with fresh_projects(template) as (a, b, root):
        fill(a, corpus)
        files = [root / "all.jsonl"]
        export_project(a, files[0], include_empty=True)
        if any(GOLD in d["sets"] for d in corpus):
            files.append(root / "gold.jsonl")
            export_project(a, files[1], gold=True)
        report = import_files(b, files)
        assert not report.skipped
        assert contents(b) == contents(a)


def entity_sets(project: Project, annotator: str) -> dict[str, tuple[str, list]]:
    return {
        text: (found["sets"][annotator][0], found["sets"][annotator][1])
        for text, found in contents(project).items() if annotator in found["sets"]
    }


@RUNS
@given(corpora, st.sampled_from(["prodigy", "doccano"]))
def test_prodigy_and_doccano_carry_the_entities_back(template, corpus, fmt):
    with fresh_projects(template) as (a, b, root):
        fill(a, corpus)
        if any("ana" in d["sets"] for d in corpus):
            out = root / f"ana.{fmt}.jsonl"
            export_project(a, out, fmt=fmt, annotator="ana")
            import_files(b, [out], annotator="ana")
        status = {"done": "done", "flagged": "flagged"}
        expected = {
            text: (status.get(got[0], "skipped") if fmt == "prodigy" else "done", got[1])
            for text, got in entity_sets(a, "ana").items()
        }
        assert entity_sets(b, "ana") == expected


def parse_conll(content: str) -> list[list[tuple[str, str]]]:
    blocks = content.split("-DOCSTART- -X- O O\n")[1:]
    return [[tuple(line.split()) for line in block.splitlines() if line] for block in blocks]


def decode(text: str, tokens: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Character spans from IOB tags, finding each token in the text as a reader would."""
    found: list[list[Any]] = []
    at = 0
    for token, tag in tokens:
        while text[at].isspace():
            at += 1
        assert text.startswith(token, at)
        if tag.startswith("B-"):
            found.append([at, at + len(token), tag[2:]])
        elif tag.startswith("I-"):
            assert found and found[-1][2] == tag[2:]
            found[-1][1] = at + len(token)
        at += len(token)
    assert not text[at:].strip()
    return [tuple(f) for f in found]


def trimmed(text: str, entities: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    result = []
    for start, end, label in longest_first(entities):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            result.append((start, end, label))
    return result


@RUNS
@given(corpora)
def test_conll_parses_back_into_tokens_and_entities(template, corpus):
    with fresh_projects(template) as (a, _b, root):
        fill(a, corpus)
        out = root / "all.conll"
        export_project(a, out, fmt="conll", include_empty=True)
        blocks = parse_conll(out.read_text("utf-8"))
        expected = [
            (d["text"], d["sets"].get(name, {"entities": []})["entities"])
            for d in corpus for name in (sorted(n for n in d["sets"] if n != GOLD) or [None])
        ]
        assert len(blocks) == len(expected)
        for (text, entities), tokens in zip(expected, blocks, strict=True):
            assert all(len(pair) == 2 for pair in tokens)
            assert "".join(token for token, _tag in tokens) == "".join(text.split())
            assert decode(text, tokens) == trimmed(text, entities)
