"""Read input files into records: plain text, saved web pages, native/Prodigy/doccano JSONL, CSV.

A reader yields ``Record`` objects and raises ``InputError`` naming the file, the line and the
reason for anything it cannot take. Readers know nothing about projects: validation against a
schema happens in the importer, which also decides what a bad record does to the import.

JSONL and CSV are streamed line by line from the open file, so memory follows the importer's
batch, not the file (a 255 MB JSONL once took 826 MB). Their encoding is decided on a prefix:
UTF-8 when the prefix is UTF-8, else what charset-normalizer finds there. A text file or a web
page is one article and is read whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from charset_normalizer import from_bytes

from gui.core.errors import InputError

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv")
WEB_PAGE_SUFFIXES = (".html", ".htm")
# Enough to tell UTF-8 from a legacy encoding; the rest of a long file is streamed.
PREFIX_BYTES = 1 << 20
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
META_FIELDS = ("title", "source", "date", "url")
# Prodigy's answer to our status.
PRODIGY_STATUS = {"accept": "done", "reject": "flagged", "ignore": "skipped"}
# The JSON fields that carry annotations (native, Prodigy and doccano spellings).
_ANNOTATION_FIELDS = frozenset({"annotator", "status", "answer", "spans", "label", "entities",
                                "stances"})
# The JSON fields a record is made of; any other field is kept in its metadata.
_CONSUMED = frozenset({
    "text", "data", "meta", "annotator", "status", "spans", "stances", "answer", "label",
    "entities", "tokens", "_input_hash", "_task_hash", "_annotator_id", "_session_id",
    "_view_id", "_timestamp", *META_FIELDS,
})


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
    """Text of a whole file, and a note naming the encoding when it was not UTF-8."""
    encoding, note = sniff_encoding(data, path, whole=True)
    return data.decode(encoding), note


def sniff_encoding(data: bytes, path: Path, *, whole: bool) -> tuple[str, str | None]:
    """The codec of a file from its bytes (all of them, or a prefix when not ``whole``), and a
    note naming it when it is not UTF-8. Refuses empty and binary files."""
    if whole and not data.strip():
        raise InputError("is empty", path=path)
    if b"\x00" in data[:65536]:
        raise InputError("is a binary file, not text", path=path)
    try:
        # A prefix may end inside a character: the incremental decoder keeps that tail back.
        # A whole file is decoded as it will be read: the incremental decoder holds back a
        # file of one or two bytes that begin a BOM (b"\xef") even when told it is final.
        if whole:
            data.decode("utf-8-sig")
        else:
            codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=False)
        return "utf-8-sig", None
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError("is not text in any encoding we recognise", path=path)
    return best.encoding, f"{path}: read as {best.encoding} (not UTF-8)"


def shown_name(name: str) -> str:
    """A file name as text SQLite can store: bytes that were not UTF-8 become U+FFFD.

    Python keeps such bytes as lone surrogates (\\udce9 for a Latin-1 "é"), which cannot be
    encoded to UTF-8, so storing the name as it is would fail deep inside the import.
    """
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return name.encode("utf-8", "replace").decode("utf-8")


class FileReading:
    """The records of one file, read as they are asked for; ``position`` is how many of its
    bytes have been read so far (for progress within a long file).

    With a ``skipped`` list, a bad record is reported there and reading goes on; without one,
    the first bad record raises. ``clean`` drops page chrome from plain text (page_chrome.py).
    """

    def __init__(self, path: Path, skipped: list[str] | None = None, clean: bool = False):
        self.path = path
        self.skipped = skipped
        self.clean = clean
        self._stream: IO[bytes] | None = None

    @property
    def position(self) -> int:
        stream = self._stream
        return stream.tell() if stream is not None and not stream.closed else 0

    def __iter__(self) -> Iterator[Record]:
        path = self.path
        suffix = path.suffix.lower()
        try:
            stream = path.open("rb")
        except PermissionError:
            raise InputError("cannot be read (permission denied)", path=path) from None
        except IsADirectoryError:
            raise InputError("is a folder", path=path) from None
        with stream:
            self._stream = stream
            if suffix in WEB_PAGE_SUFFIXES:
                from gui.formats.web_pages import read_web_page

                yield read_web_page(stream.read(), path)
                return
            if suffix not in (".jsonl", ".json", ".csv"):
                text, note = decode(stream.read(), path)
                record = read_txt(text, path, clean=self.clean)
                if note:
                    record.notes.append(note)
                yield record
                return
            prefix = stream.read(PREFIX_BYTES)
            whole = len(prefix) < PREFIX_BYTES
            encoding, note = sniff_encoding(prefix, path, whole=whole)
            stream.seek(0)
            newline = "" if suffix == ".csv" else "\n"  # csv wants "", JSON lines end at \n only
            lines = _Lines(stream, encoding, newline, path)
            records = (
                read_csv(lines, path, self.skipped)
                if suffix == ".csv"
                else read_jsonl(lines, path, self.skipped)
            )
            first = True
            for record in records:
                if first and note:
                    record.notes.append(note)
                first = False
                yield record
            if first and not lines.any_text:
                raise InputError("is empty", path=path)


class _Lines:
    """Lines of an open binary file, each decoded as it is read, so a byte that is not in the
    file's encoding is refused with the line it is on. Lines end at b"\n" (split before
    decoding, which is safe in UTF-8 and the ASCII-based encodings); an encoding whose "\n" is
    another byte (the EBCDIC code pages charset-normalizer may name) is decoded by
    ``io.TextIOWrapper`` instead. (UTF-16 and UTF-32 hold NUL bytes and are refused as binary
    before this.)"""

    def __init__(self, stream: IO[bytes], encoding: str, newline: str, path: Path):
        self._stream = stream
        self._encoding = encoding
        self._newline = newline
        self._path = path
        self.number = 0
        self.any_text = False

    def __iter__(self) -> Iterator[str]:
        if "\n".encode(self._encoding.removesuffix("-sig")) == b"\n":
            yield from self._counted(self._decoded())
            return
        text = io.TextIOWrapper(self._stream, encoding=self._encoding, newline=self._newline)
        yield from self._counted(text)
        text.detach()  # the caller closes the binary stream

    def _decoded(self) -> Iterator[str]:
        encoding = self._encoding
        for raw in self._stream:
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"is not {encoding.removesuffix('-sig')} text (byte "
                    f"0x{raw[exc.start]:02x} at column {exc.start + 1}: {exc.reason})",
                    path=self._path,
                    line=self.number + 1,
                ) from None
            encoding = encoding.removesuffix("-sig")  # a BOM can only open the file
            yield line

    def _counted(self, lines: Iterator[str]) -> Iterator[str]:
        for line in lines:
            self.number += 1
            if not self.any_text and line and not line.isspace():
                self.any_text = True
            yield line


def read_txt(text: str, path: Path, clean: bool = False) -> Record:
    """A whole file is one article: its headline the title (page_chrome.guess_headline), its
    name the source; with ``clean``, recognisable page chrome is dropped from the text."""
    from gui.formats import page_chrome

    guess = page_chrome.guess_headline(text)  # before cleaning, which drops the date line
    if clean:
        text = page_chrome.clean(text)
        if not text.strip():
            raise InputError("has nothing left but page chrome after --clean", path=path)
    date = _DATE_IN_NAME.search(path.name)
    name = shown_name(path.name)
    return Record(
        text=text,
        path=shown_name(str(path)),
        line=None,
        title=guess.title,
        source=name,
        date=date.group(1) if date else guess.date,
        url=guess.url,
        meta={"file": name},
    )


def read_jsonl(
    lines: Iterator[str] | _Lines, path: Path, skipped: list[str] | None = None
) -> Iterator[Record]:
    """One record per line. Lines end at "\n" only: a JSON string may hold U+2028 and
    friends, which ``str.splitlines`` would break on."""
    shown = shown_name(str(path))
    for number, line in enumerate(lines, start=1):
        if not line or line.isspace():  # not strip(), which copies every line
            continue
        try:
            yield _json_line(line, path, shown, number)
        except InputError as exc:
            if skipped is None:
                raise
            skipped.append(str(exc))


def _json_line(line: str, path: Path, shown: str, number: int) -> Record:
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
    return record_from_json(obj, shown, number)


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
    if not isinstance(text, str) or not text or text.isspace():  # not strip(): no copy
        raise record.error("has no text (a non-empty 'text' field)")
    record.text = text
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    meta = dict(meta)
    for key in META_FIELDS:
        value = obj.get(key, meta.pop(key, ""))
        setattr(record, key, "" if value is None else str(value))
    meta.update({k: v for k, v in obj.items() if k not in _CONSUMED})
    record.meta = meta
    if obj.keys().isdisjoint(_ANNOTATION_FIELDS):
        return record  # a text alone, as most records of a large file are
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


def read_csv(
    lines: Iterator[str] | _Lines, path: Path, skipped: list[str] | None = None
) -> Iterator[Record]:
    # A long article is one field: allow far more than csv's default 128 KB.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    reader = csv.DictReader(lines)
    try:
        fieldnames = reader.fieldnames
        if fieldnames is None or "text" not in fieldnames:
            raise InputError("has no 'text' column in its header", path=path, line=1)
        for row in reader:
            try:
                yield _csv_row(row, path, reader.line_num)
            except InputError as exc:
                if skipped is None:
                    raise
                skipped.append(str(exc))
    except csv.Error as exc:
        raise InputError(f"is not valid CSV ({exc})", path=path, line=reader.line_num) from None


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
