"""``marginalia import`` of saved web pages, on real pages (tests/data/html/README.md says whose).

What a user notices: the right title, date, author and site; the article's first paragraph is
there and the page's menus, share buttons and footers are not; paragraphs stay apart; a page
that cannot be read is one line on stderr and changes nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from gui.core.store import Project
from gui.formats import web_pages
from tests.conftest import DATA
from tests.unit.test_cli_import import digest, run

PAGES = DATA / "html"
NEWS = PAGES / "fivethirtyeight-manchin.html"
PRODUCT = PAGES / "mozilla-firefox-developer.html"
FIRST_PARAGRAPH = (
    "Sen. Joe Manchin told reporters Wednesday that suggestions he would leave the Democratic "
    "Party were “bullshit” with a “capital B.”"
)
NEWS_CHROME = [
    "Skip to main content",  # the skip link
    "Share on Facebook",  # share buttons
    "Filed under",  # the tag line above the article
    "Getty Images",  # the photo credit
    "Podcasts",  # the site's menu
    "{",  # nothing of the scripts and styles
]


def documents(path: Path) -> list:
    with Project.open(path) as project:
        return [project.document(d) for d in project.document_ids()]


def test_a_saved_news_page_keeps_its_article_and_metadata_and_drops_the_page(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run("import", str(project_path), str(NEWS), capsys=capsys)
    assert code == 0 and "1 documents added" in out
    [doc] = documents(project_path)
    assert doc.title == "Could Manchin Actually Leave The Democratic Party?"
    assert doc.date == "2021-10-25"
    assert doc.source == "FiveThirtyEight"
    assert doc.url.startswith("https://fivethirtyeight.com/features/could-manchin-actually-leave")
    assert doc.meta["author"] == "Geoffrey Skelley"
    assert doc.meta["sha256"] == hashlib.sha256(NEWS.read_bytes()).hexdigest()
    assert doc.text.startswith(FIRST_PARAGRAPH)
    for chrome in NEWS_CHROME:
        assert chrome not in doc.text, chrome
    # paragraphs are blocks with a blank line between them, as the window shows them
    assert "\n\nBut what if Manchin did leave the Democratic Party?\n\n" in doc.text
    assert "\n\n\n" not in doc.text


def test_a_folder_of_pages_and_text_imports_each_kind_its_way(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "manchin.HTM").write_bytes(NEWS.read_bytes())
    (folder / "firefox.html").write_bytes(PRODUCT.read_bytes())
    (folder / "note.txt").write_text("Lavrov in Havana\n\nThe minister met his counterpart.\n")
    code, out, _ = run("import", str(project_path), str(folder), capsys=capsys)
    assert code == 0 and "imported 3 files: 3 documents added" in out
    by_title = {d.title: d for d in documents(project_path)}
    firefox = by_title["Welcome to Firefox Developer Edition"]
    assert firefox.source == "Mozilla"
    assert "Get to know the features that make it the most complete browser" in firefox.text
    for footer in ("Report Trademark Abuse", "Partner with Us", "Asturianu"):
        assert footer not in firefox.text
    assert by_title["Lavrov in Havana"].text.startswith("Lavrov in Havana")
    assert "Could Manchin Actually Leave The Democratic Party?" in by_title


def test_a_page_in_a_legacy_encoding_reads_as_the_page_declares(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real page saved as windows-1252, as older sites serve it (curly quotes 0x93/0x94)."""
    html = NEWS.read_text("utf-8").replace('charset="UTF-8"', 'charset="windows-1252"')
    assert 'charset="windows-1252"' in html
    legacy = tmp_path / "manchin-1252.html"
    legacy.write_bytes(html.encode("cp1252", "xmlcharrefreplace"))
    code, _, err = run("import", str(project_path), str(legacy), capsys=capsys)
    assert code == 0
    assert "manchin-1252.html: read as windows-1252, as the page declares" in err
    [doc] = documents(project_path)
    assert doc.text.startswith(FIRST_PARAGRAPH)  # “ and ” came through as themselves
    assert doc.title == "Could Manchin Actually Leave The Democratic Party?"


def unreadable_pages(tmp_path: Path) -> list[tuple[Path, str]]:
    """Real pages made unreadable the ways pages are: saved before their body loaded (a page
    built by scripts), too big to be a page, or not a page at all."""
    page = NEWS.read_text("utf-8")
    head_only = tmp_path / "loading.html"
    head_only.write_text(page[: page.index("<body")] + "<body></body></html>", "utf-8")
    huge = tmp_path / "huge.html"
    padding = "<!-- " + "x" * (web_pages.MAX_PAGE_BYTES + 1) + " -->"
    huge.write_text(page.replace("</body>", padding + "</body>"), "utf-8")
    picture = tmp_path / "picture.html"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    return [
        (head_only, "loading.html: has no article text that trafilatura can find"),
        (huge, "huge.html: is 20 MB; a saved web page over 20 MB is not read"),
        (picture, "picture.html: is a binary file, not text"),
    ]


def test_an_unreadable_page_is_one_line_and_changes_nothing(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for bad, reason in unreadable_pages(tmp_path):
        before = digest(project_path)
        code, _, err = run("import", str(project_path), str(NEWS), str(bad), capsys=capsys)
        assert code == 1
        assert err.count("\n") == 1 and reason in err, err
        assert digest(project_path) == before


def test_skip_invalid_skips_an_unreadable_page_and_imports_the_rest(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = [path for path, _reason in unreadable_pages(tmp_path)]
    code, out, err = run(
        "import", str(project_path), str(NEWS), *map(str, bad), "--skip-invalid", capsys=capsys
    )
    assert code == 0
    assert "1 documents added" in out and "3 invalid records skipped" in out
    assert err.count("skipped: ") == 3 and "loading.html: has no article text" in err
    assert [d.title for d in documents(project_path)] == [
        "Could Manchin Actually Leave The Democratic Party?"
    ]


def test_importing_the_same_page_twice_adds_it_once(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("import", str(project_path), str(NEWS), capsys=capsys)[0] == 0
    before = digest(project_path)
    code, out, _ = run("import", str(project_path), str(NEWS), capsys=capsys)
    assert code == 0 and "0 documents added, 1 already in the project" in out
    assert digest(project_path) == before
