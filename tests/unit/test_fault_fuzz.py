"""Fuzzing: whatever a user feeds the importer or ``init --schema``, the answer is a project
that changed as asked or one ``MarginaliaError`` sentence with the project unchanged; never a
traceback. Hypothesis writes JSONL records (native, Prodigy, doccano shapes with wrong types
and out-of-range offsets), raw bytes as .txt/.jsonl/.csv, arbitrary Unicode texts (astral
characters, combining marks, lone surrogates as JSON escapes) and TOML schemas.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gui.core.errors import MarginaliaError
from gui.core.schema import Schema, load_schema
from gui.core.store import Project
from gui.formats.importer import import_files

# Examples per property: a quick pass in `make test`, a long one with --slow.
EXAMPLES = [60, pytest.param(1500, marks=pytest.mark.slow)]


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SCHEMA = load_schema()
TABLES = ("documents", "annotators", "annotation_sets", "entities", "stances", "history")

# ---- strategies ------------------------------------------------------------------------

json_scalars = (st.none() | st.booleans() | st.integers(-2**70, 2**70)
                | st.floats(allow_nan=False) | st.text(max_size=8))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=8,
)
# Any code point, lone surrogates included: JSON can carry them as \ud800 escapes.
tricky = st.sampled_from(["\ud800", "\udfff", "\U0001f1e8\U0001f1fa", "e\u0301", "\r\n", "\x00",
                          "\u2028", "\ufeff", "\t"])
any_text = st.lists(st.characters(codec=None, exclude_categories=()) | tricky,
                    max_size=40).map("".join)
small_ints = st.integers(-3, 80) | json_values
labels = st.sampled_from(SCHEMA.labels) | st.text(max_size=6) | json_values
span = st.fixed_dictionaries(
    {"start": small_ints, "end": small_ints, "label": labels},
    optional={"text": st.text(max_size=5)},
) | st.tuples(small_ints, small_ints, labels).map(list) | json_values
stance = st.fixed_dictionaries(
    {"start": small_ints, "end": small_ints,
     "target": st.sampled_from(SCHEMA.target_names) | json_values,
     "polarity": st.sampled_from(SCHEMA.polarities) | json_values},
    optional={"holder": st.none() | st.fixed_dictionaries({"start": small_ints,
                                                           "end": small_ints}) | json_values},
)
record = st.fixed_dictionaries(
    {"text": any_text | json_values},
    optional={
        "meta": st.dictionaries(st.sampled_from(["title", "source", "date", "url", "x"]),
                                json_values, max_size=3) | json_values,
        "title": json_values,
        "annotator": st.sampled_from(["ana", "#gold", " ", "a\nb", "#x"]) | json_values,
        "status": st.sampled_from(["done", "todo", "flagged", "maybe"]) | json_values,
        "spans": st.lists(span, max_size=3) | json_values,
        "stances": st.lists(stance, max_size=2) | json_values,
        "answer": st.sampled_from(["accept", "reject", "ignore", "dunno"]),
        "label": st.lists(span, max_size=2) | json_values,
        "entities": st.lists(st.fixed_dictionaries({"start_offset": small_ints,
                                                    "end_offset": small_ints,
                                                    "label": labels}), max_size=2),
        "data": any_text,
    },
)


# Records that are right but for what their strings hold, so the text reaches the store.
plain_record = st.fixed_dictionaries(
    {"text": any_text},
    optional={"meta": st.dictionaries(st.sampled_from(["title", "source", "note"]), any_text,
                                      max_size=2),
              "annotator": st.just("ana"),
              "spans": st.just([{"start": 0, "end": 1, "label": "GPE"}])},
)


def as_line(obj: Any, ascii_only: bool) -> str:
    return json.dumps(obj, ensure_ascii=ascii_only)


jsonl_lines = st.lists(
    st.one_of(
        st.builds(as_line, record, st.booleans()),
        st.builds(as_line, plain_record, st.booleans()),
        st.builds(as_line, json_values, st.just(True)),
        st.text(max_size=20),  # not JSON at all
    ),
    min_size=1, max_size=6,
)

# ---- helpers ---------------------------------------------------------------------------


def counts(project: Project) -> tuple[int, ...]:
    return tuple(project.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)


def check_import(project: Project, write: Callable[[Path], Path], **options: Any) -> None:
    """Import what ``write`` makes: success, or a MarginaliaError and nothing changed."""
    before = counts(project)
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp))
        try:
            report = import_files(project, [path], **options)
        except MarginaliaError as exc:
            message = str(exc)
            assert message and "\n" not in message.strip() and "Traceback" not in message
            assert counts(project) == before, f"a refused import changed the project: {exc}"
            return
    after = counts(project)
    assert after[0] - before[0] == report.documents_added
    assert not project.conn.in_transaction


def with_project(test: Callable[[Project], None]) -> None:
    """Run a hypothesis body against one project (made once: projects cost a few ms)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.marginalia"
        Project.create(path, SCHEMA).close()
        with Project.open(path) as project:
            test(project)
            assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert project.conn.execute("PRAGMA foreign_key_check").fetchall() == []


# ---- import ----------------------------------------------------------------------------


@pytest.mark.parametrize("examples", EXAMPLES)
def test_fuzzed_jsonl_is_imported_or_refused_in_one_sentence(examples: int) -> None:
    def body(project: Project) -> None:
        @fuzz(examples)
        @given(lines=jsonl_lines, skip=st.booleans(), annotator=st.sampled_from([None, "ben"]))
        def one(lines: list[str], skip: bool, annotator: str | None) -> None:
            def write(folder: Path) -> Path:
                path = folder / "records.jsonl"
                path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
                return path

            check_import(project, write, skip_invalid=skip, annotator=annotator)

        one()

    with_project(body)


@pytest.mark.parametrize("examples", EXAMPLES)
def test_fuzzed_bytes_in_any_input_format_are_imported_or_refused(examples: int) -> None:
    def body(project: Project) -> None:
        @fuzz(examples)
        @given(data=st.binary(max_size=200) | any_text.map(
                   lambda t: t.encode("utf-8", "surrogatepass")),
               suffix=st.sampled_from([".txt", ".html", ".jsonl", ".csv"]), skip=st.booleans())
        def one(data: bytes, suffix: str, skip: bool) -> None:
            def write(folder: Path) -> Path:
                path = folder / f"input{suffix}"
                path.write_bytes(data)
                return path

            check_import(project, write, skip_invalid=skip)

        one()

    with_project(body)


@pytest.mark.parametrize("examples", EXAMPLES)
def test_any_valid_unicode_text_is_stored_exactly(examples: int) -> None:
    """Astral characters, combining marks, CRLF, NUL: the stored text is the text given."""
    valid = st.text(st.characters(codec="utf-8"), min_size=1, max_size=80).filter(str.strip)

    def body(project: Project) -> None:
        @fuzz(examples)
        @given(text=valid, ascii_only=st.booleans())
        def one(text: str, ascii_only: bool) -> None:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "one.jsonl"
                path.write_text(as_line({"text": text}, ascii_only), encoding="utf-8")
                import_files(project, [path])
            [(doc_id, _created)] = project.add_documents([{"text": text}])
            assert project.document(doc_id).text == text

        one()

    with_project(body)


# ---- schemas ---------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """A tiny TOML writer (inline tables and arrays), enough to say anything a schema can."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | dt.date | dt.time):
        return value.isoformat() if not isinstance(value, int) else str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(
            value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


toml_scalars = (st.booleans() | st.integers(-2**63, 2**63 - 1) | st.floats() | st.text(max_size=6)
                | st.dates() | st.datetimes() | st.times())
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6,
)
names = st.sampled_from(["PERSON", "GPE", "A", " B", "", "ORG", "É", "🇨🇺"]) | toml_values
keys = st.sampled_from(["1", "2", "a", "A", "", "  ", "12"]) | toml_values
colors = st.sampled_from(["#aa9cfc", "#FFFFFF", "red", "#12345"]) | toml_values
entity_table = st.fixed_dictionaries(
    {"label": names}, optional={"key": keys, "color": colors, "description": toml_values}
)
target_table = st.fixed_dictionaries(
    {"name": names},
    optional={"key": keys, "cues": st.lists(names, max_size=3) | toml_values,
              "entities": st.lists(names, max_size=2), "description": toml_values},
)
stance_table = st.fixed_dictionaries(
    {},
    optional={
        "polarities": st.lists(st.sampled_from(["against", "neutral", "favor", "x"]),
                               max_size=4) | toml_values,
        "scale": st.sampled_from(["nominal", "ordinal", "interval"]) | toml_values,
        "target": st.lists(target_table, max_size=3) | toml_values,
        "colors": st.dictionaries(st.sampled_from(["against", "favor", "y"]), colors,
                                  max_size=2) | toml_values,
        "keys": st.dictionaries(st.sampled_from(["against", "favor", "y"]), keys,
                                max_size=2) | toml_values,
    },
)
schema_document = st.fixed_dictionaries(
    {"entity": st.lists(entity_table, max_size=4) | toml_values},
    optional={"name": names, "stance": stance_table,
              "label_map": st.dictionaries(st.text(max_size=4), names, max_size=2),
              "version": toml_values, "notes": toml_values},
)


# A schema that is right at its core, with anything TOML can say in the keys it does not know.
sound_schema = st.fixed_dictionaries(
    {"entity": st.lists(st.sampled_from(["PERSON", "GPE", "ORG"]), min_size=1, max_size=3,
                        unique=True).map(lambda ls: [{"label": label} for label in ls])},
    optional={"name": st.just("Fuzzed"), "version": toml_values, "notes": toml_values,
              "stance": st.fixed_dictionaries({}, optional={"extra": toml_values})},
)


def toml_document(doc: dict[str, Any]) -> str:
    return "\n".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in doc.items())


@pytest.mark.parametrize("examples", EXAMPLES)
def test_fuzzed_toml_schemas_load_and_make_projects_or_are_refused(examples: int) -> None:
    @fuzz(examples)
    @given(doc=schema_document | sound_schema
           | st.dictionaries(st.text(max_size=6), toml_values, max_size=4))
    def one(doc: dict[str, Any]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "schema.toml"
            path.write_text(toml_document(doc), encoding="utf-8", errors="surrogatepass")
            try:
                schema = load_schema(path)
            except MarginaliaError as exc:
                assert str(exc).startswith(f"{path}: ")
                return
            project_path = Path(tmp) / "p.marginalia"
            with Project.create(project_path, schema) as project:
                stored = project.schema
            assert isinstance(stored, Schema)
            assert stored.labels == schema.labels
            assert stored.target_names == schema.target_names
            assert stored.polarities == schema.polarities

    one()


@pytest.mark.parametrize("examples", EXAMPLES)
def test_any_file_given_as_a_schema_is_loaded_or_refused(examples: int) -> None:
    @fuzz(examples)
    @given(text=st.text(max_size=200) | st.binary(max_size=200))
    def one(text: str | bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "schema.toml"
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
            try:
                load_schema(path)
            except MarginaliaError as exc:
                assert str(exc).startswith(f"{path}: ")

    one()


# ---- what the fuzzing found, pinned down ------------------------------------------------


def test_a_lone_surrogate_escape_in_jsonl_is_refused_with_its_line(project: Project,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text('{"text": "Cuba \\ud83c\\udde8\\ud83c\\uddfa"}\n'
                    '{"text": "Havana \\ud800 Moscow"}\n', encoding="utf-8")
    try:
        import_files(project, [path])
    except MarginaliaError as exc:
        assert str(exc) == (f"{path}:2: holds an unpaired surrogate escape (\\ud800-\\udfff), "
                            "which is not a Unicode character")
    else:
        raise AssertionError("a lone surrogate was imported")
    assert project.count_documents() == 0
    report = import_files(project, [path], skip_invalid=True)
    assert report.documents_added == 1 and len(report.skipped) == 1
    assert project.document(1).text == "Cuba 🇨🇺"


def test_a_text_file_of_a_lone_bom_byte_is_read_or_refused_in_one_sentence(
        project: Project, tmp_path: Path) -> None:
    """b"\xef" (the first byte of a UTF-8 BOM) passed as UTF-8 and then failed to decode: a
    traceback instead of a sentence."""
    path = tmp_path / "short.txt"
    path.write_bytes(b"\xef")
    try:
        import_files(project, [path])
    except MarginaliaError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
    else:
        assert project.count_documents() == 1


def test_a_file_name_that_is_not_utf8_is_imported(project: Project, tmp_path: Path) -> None:
    """An old archive's Latin-1 "café.txt": the name is kept with U+FFFD for the bad byte."""
    folder = tmp_path / "archive"
    folder.mkdir()
    raw = bytes(folder) + b"/caf\xe9.txt"
    with open(raw, "wb") as out:
        out.write(b"Moscow and Havana signed an energy deal.\n")
    report = import_files(project, [folder])
    assert report.documents_added == 1
    assert project.document(1).source == "caf\ufffd.txt"


def test_an_annotator_name_that_is_not_utf8_is_refused(project: Project) -> None:
    from gui.core.store import check_annotator_name

    name = b"\xffana".decode("utf-8", "surrogateescape")  # as sys.argv would hold it
    try:
        check_annotator_name(name)
    except MarginaliaError as exc:
        assert "is not valid UTF-8 text" in str(exc)
    else:
        raise AssertionError("an undecodable annotator name was accepted")


def test_a_schema_with_dates_makes_a_project(tmp_path: Path) -> None:
    path = tmp_path / "schema.toml"
    path.write_text('created = 2024-01-01\n[[entity]]\nlabel = "GPE"\n', encoding="utf-8")
    with Project.create(tmp_path / "p.marginalia", load_schema(path)) as project:
        assert project.schema.extra == {"created": "2024-01-01"}
