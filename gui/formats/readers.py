"""Read input files into records: plain text, native/Prodigy/doccano JSONL, and CSV.

A reader yields ``Record`` objects and raises ``InputError`` naming the file, the line and the
reason for anything it cannot take. Readers know nothing about projects: validation against a
schema happens in the importer, which also decides what a bad record does to the import.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from gui.core.errors import InputError

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".csv")
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_TITLE_MARKUP = re.compile(r"^[#*_>\s-]+|[*_\s]+$")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
META_FIELDS = ("title", "source", "date", "url")
# Prodigy's answer to our status.
PRODIGY_STATUS = {"accept": "done", "reject": "flagged", "ignore": "skipped"}


@dataclass
class Record:
    """One document as read, with the annotations it carries (offsets in code points)."""

    text: str
    path: str
    line: int | None
    title: str = ""
    source: str = ""
    date: str = ""
    url: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    annotator: str | None = None
    status: str | None = None
    spans: list[dict[str, Any]] | None = None  # {start, end, label}
    stances: list[dict[str, Any]] | None = None  # {start, end, target, polarity, holder}
    notes: list[str] = field(default_factory=list)  # things worth telling the user (encoding)

    @property
    def carries_annotations(self) -> bool:
        return self.spans is not None or self.stances is not None or self.status is not None

    def error(self, reason: str) -> InputError:
        return InputError(reason, path=self.path, line=self.line)


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files to read, in order: folders give their supported files, sorted, recursively."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputError(
                    f"has no {', '.join(SUPPORTED_SUFFIXES)} files to import", path=path
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputError("no such file or folder", path=path)
    return files


def decode(data: bytes, path: Path) -> tuple[str, str | None]:
    """Text of a file, and a note naming the encoding when it was not UTF-8."""
    if not data.strip():
        raise InputError("is empty", path=path)
    if b"\x00" in data[:65536]:
        raise InputError("is a binary file, not text", path=path)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError("is not text in any encoding we recognise", path=path)
    return str(best), f"{path}: read as {best.encoding} (not UTF-8)"


def shown_name(name: str) -> str:
    """A file name as text SQLite can store: bytes that were not UTF-8 become U+FFFD.

    Python keeps such bytes as lone surrogates (\\udce9 for a Latin-1 "é"), which cannot be
    encoded to UTF-8, so storing the name as it is would fail deep inside the import.
    """
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return name.encode("utf-8", "replace").decode("utf-8")


def read_file(path: Path, skipped: list[str] | None = None) -> Iterator[Record]:
    """Records of one file. With a ``skipped`` list, a bad record is reported there and
    reading goes on; without one, the first bad record raises."""
    try:
        data = path.read_bytes()
    except PermissionError:
        raise InputError("cannot be read (permission denied)", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder", path=path) from None
    text, note = decode(data, path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl" or suffix == ".json":
        records = read_jsonl(text, path, skipped)
    elif suffix == ".csv":
        records = read_csv(text, path, skipped)
    else:
        records = iter([read_txt(text, path)])
    first = True
    for record in records:
        if first and note:
            record.notes.append(note)
        first = False
        yield record


def read_txt(text: str, path: Path) -> Record:
    """A whole file is one article: its first line is the title, its name the source."""
    title = next((line for line in text.splitlines() if line.strip()), "")
    title = _TITLE_MARKUP.sub("", title)[:300]
    date = _DATE_IN_NAME.search(path.name)
    name = shown_name(path.name)
    return Record(
        text=text,
        path=shown_name(str(path)),
        line=None,
        title=title,
        source=name,
        date=date.group(1) if date else "",
        meta={"file": name},
    )


def read_jsonl(text: str, path: Path, skipped: list[str] | None = None) -> Iterator[Record]:
    # Split on "\n" only: a JSON string may hold U+2028 and friends, which splitlines() breaks on.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield _json_line(line, path, number)
        except InputError as exc:
            if skipped is None:
                raise
            skipped.append(str(exc))


def _json_line(line: str, path: Path, number: int) -> Record:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"is not valid JSON ({exc.msg} at column {exc.colno})", path=path, line=number
        ) from None
    if not isinstance(obj, dict):
        raise InputError("must be a JSON object", path=path, line=number)
    if _SURROGATE_ESCAPE.search(line):
        try:  # a pair (an astral character) is fine; a lone half cannot be stored
            json.dumps(obj, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(
                "holds an unpaired surrogate escape (\\ud800-\\udfff), which is not a "
                "Unicode character", path=path, line=number,
            ) from None
    return record_from_json(obj, shown_name(str(path)), number)


def _int(value: Any, what: str, record: Record) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise record.error(f"{what} must be a whole number, got {value!r}")
    return value


def _span(obj: Any, record: Record, start_key: str = "start", end_key: str = "end") -> dict:
    if isinstance(obj, list | tuple) and len(obj) == 3:  # doccano [start, end, label]
        obj = {"start": obj[0], "end": obj[1], "label": obj[2]}
        start_key, end_key = "start", "end"
    if not isinstance(obj, dict):
        raise record.error(f"a span must be an object, got {obj!r}")
    label = obj.get("label")
    if not isinstance(label, str) or not label:
        raise record.error(f"a span has no label: {obj!r}")
    return {
        "start": _int(obj.get(start_key), "span start", record),
        "end": _int(obj.get(end_key), "span end", record),
        "label": label,
    }


def record_from_json(obj: dict[str, Any], path: str, line: int | None) -> Record:
    """Native, Prodigy and doccano records, told apart by their fields."""
    text = obj.get("text", obj.get("data"))
    record = Record(text="", path=path, line=line)
    if not isinstance(text, str) or not text.strip():
        raise record.error("has no text (a non-empty 'text' field)")
    record.text = text
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    meta = dict(meta)
    consumed = {
        "text",
        "data",
        "meta",
        "annotator",
        "status",
        "spans",
        "stances",
        "answer",
        "label",
        "entities",
        "tokens",
        "_input_hash",
        "_task_hash",
        "_annotator_id",
        "_session_id",
        "_view_id",
        "_timestamp",
        *META_FIELDS,
    }
    for key in META_FIELDS:
        value = obj.get(key, meta.pop(key, ""))
        setattr(record, key, "" if value is None else str(value))
    meta.update({k: v for k, v in obj.items() if k not in consumed})
    record.meta = meta
    annotator = obj.get("annotator")
    if annotator is not None:
        if not isinstance(annotator, str) or not annotator.strip():
            raise record.error(f"annotator must be a name, got {annotator!r}")
        record.annotator = annotator.strip()
    status = obj.get("status")
    if "answer" in obj and status is None:
        status = PRODIGY_STATUS.get(obj["answer"])
        if status is None:
            raise record.error(f"unknown Prodigy answer {obj['answer']!r}")
    record.status = status
    if isinstance(obj.get("spans"), list):
        record.spans = [_span(s, record) for s in obj["spans"]]
    elif isinstance(obj.get("label"), list):
        record.spans = [_span(s, record) for s in obj["label"]]
    elif isinstance(obj.get("entities"), list):
        record.spans = [_span(s, record, "start_offset", "end_offset") for s in obj["entities"]]
    elif obj.get("spans") is not None:
        raise record.error("'spans' must be a list")
    if obj.get("stances") is not None:
        if not isinstance(obj["stances"], list):
            raise record.error("'stances' must be a list")
        record.stances = [_stance(s, record) for s in obj["stances"]]
    if record.status is None and (record.spans is not None or record.stances is not None):
        record.status = "done"
    return record


def _stance(obj: Any, record: Record) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise record.error(f"a stance must be an object, got {obj!r}")
    for key in ("target", "polarity"):
        if not isinstance(obj.get(key), str) or not obj[key]:
            raise record.error(f"a stance has no {key}: {obj!r}")
    holder = obj.get("holder")
    if holder is not None:
        if not isinstance(holder, dict):
            raise record.error(f"a stance holder must be an object with start and end: {holder!r}")
        holder = (
            _int(holder.get("start"), "holder start", record),
            _int(holder.get("end"), "holder end", record),
        )
    return {
        "start": _int(obj.get("start"), "stance start", record),
        "end": _int(obj.get("end"), "stance end", record),
        "target": obj["target"],
        "polarity": obj["polarity"],
        "holder": holder,
    }


def read_csv(text: str, path: Path, skipped: list[str] | None = None) -> Iterator[Record]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or "text" not in reader.fieldnames:
        raise InputError("has no 'text' column in its header", path=path, line=1)
    for row in reader:
        try:
            yield _csv_row(row, path, reader.line_num)
        except InputError as exc:
            if skipped is None:
                raise
            skipped.append(str(exc))


def _csv_row(row: dict[str | None, Any], path: Path, line: int) -> Record:
    if None in row:
        raise InputError("has more fields than the header", path=path, line=line)
    text = row.pop("text") or ""
    record = Record(text=text, path=shown_name(str(path)), line=line)
    if not text.strip():
        raise record.error("has an empty text")
    for key in META_FIELDS:
        setattr(record, key, row.pop(key, "") or "")
    record.meta = {k: v for k, v in row.items() if k}
    return record
