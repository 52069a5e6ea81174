"""Saved web pages (``.html``, ``.htm``) as articles: main text and metadata, by trafilatura.

trafilatura finds the article among menus, share bars, comments and footers, and reads the
title, author, date, site name and address from the page's metadata. What is stored is the
text it extracts, one paragraph per block with a blank line between blocks (so the window shows
paragraphs); offsets count on that text. The page itself is not kept: its SHA-256 is, in the
document's metadata, so the text can be traced back to the file it came from.

Tables and readers' comments are left out: they read badly as running text and are not the
article. trafilatura (and lxml under it) is imported only when a page is read.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from gui.core.errors import InputError
from gui.formats.readers import Record, shown_name, sniff_encoding

# trafilatura's own limit (MAX_FILE_SIZE); above it, it gives up without saying why.
MAX_PAGE_BYTES = 20_000_000
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Browsers read a page that declares Latin-1 or ASCII as windows-1252 (the WHATWG Encoding
# standard), and so do pages: their curly quotes are 0x93/0x94.
_AS_BROWSERS_READ = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                     "us-ascii": "cp1252", "ascii": "cp1252"}


def page_text(data: bytes, path: Path) -> tuple[str, str | None]:
    """The page as text, and a note naming its encoding when it was not UTF-8.

    UTF-8 first; then the charset the page declares; then charset-normalizer's guess.
    """
    if not data.strip():
        raise InputError("is empty", path=path)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:8192])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = _AS_BROWSERS_READ.get(name, name)
        try:
            return data.decode(name), f"{path}: read as {name}, as the page declares (not UTF-8)"
        except (LookupError, UnicodeDecodeError):
            pass
    encoding, note = sniff_encoding(data, path, whole=True)
    return data.decode(encoding), note


def read_web_page(data: bytes, path: Path) -> Record:
    """One saved page as one record, or ``InputError`` saying why it cannot be one."""
    if len(data) > MAX_PAGE_BYTES:
        raise InputError(
            f"is {len(data) / 1e6:.0f} MB; a saved web page over {MAX_PAGE_BYTES / 1e6:.0f} MB "
            "is not read (is it really a page?)",
            path=path,
        )
    html, note = page_text(data, path)
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
        )
    except ValueError as exc:  # lxml's refusals of what is not HTML at all
        raise InputError(f"is not an HTML page ({exc})", path=path) from None
    paragraphs = [
        line.strip() for line in (document.text or "").split("\n") if line.strip()
    ] if document is not None else []
    if not paragraphs:
        raise InputError(
            "has no article text that trafilatura can find (a front page, a log-in wall, or a "
            "page whose text is built by scripts?)",
            path=path,
        )
    name = shown_name(path.name)
    meta: dict[str, str] = {
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "extracted_with": f"trafilatura {trafilatura.__version__}",
    }
    for key, value in (("author", document.author), ("site", document.sitename),
                       ("hostname", document.hostname), ("description", document.description)):
        if value:
            meta[key] = value
    record = Record(
        text="\n\n".join(paragraphs),
        path=shown_name(str(path)),
        line=None,
        title=(document.title or path.stem)[:300],
        source=document.sitename or document.hostname or name,
        date=document.date or "",
        url=document.url or "",
        meta=meta,
    )
    if note:
        record.notes.append(note)
    return record
