"""Headlines and ``import --clean`` on scraped plain text.

The articles here are written for these tests, with the kinds of chrome scrapers keep (section
links, datelines, glued breadcrumbs, mastheads, image credits, "Also read" links, follow
counters, newsletter forms, disclaimers, author boxes, "Most popular" lists). The real scraped
corpus beside the checkout is checked too, when it is there, without copying its text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui.formats.page_chrome import clean, guess_headline
from tests.conftest import CORPUS
from tests.unit.test_cli_import import run

FIRST = (
    "The harbour authority of Valletta said on Tuesday that it would reopen the northern "
    "quay to cargo ships after three weeks of repairs, ending delays for importers."
)
SECOND = (
    "Officials told reporters that the storm damage had been worse than first thought, and "
    "that divers had found cracks in two of the older pilings."
)
THIRD = "The quay handles about a third of the island's imported food, the authority said."

SCRAPED = f"""Latest news

Thursday, 14 March 2024

The Island Courier

Your trusted local paper

Valletta harbour to reopen northern quay after repairs

-

{FIRST}

Photo: Island Courier archive

{SECOND}

Read more: Ferry timetable changes for the summer

Divers at work

{THIRD}

Maria Borg
The author is a reporter covering the harbour and transport.

Share this article

Follow us

12,480 Followers
3.1K Likes

Sign up for our morning newsletter

* indicates required

The views expressed in this article are those of the author and do not reflect the paper.

Most read

Copyright 2024 The Island Courier. All rights reserved.
"""

CHROME_LINES = [
    "Latest news",
    "Thursday, 14 March 2024",
    "The Island Courier",
    "Your trusted local paper",
    "-",
    "Photo: Island Courier archive",
    "Read more: Ferry timetable changes for the summer",
    "Maria Borg",
    "The author is a reporter covering the harbour and transport.",
    "Share this article",
    "Follow us",
    "12,480 Followers",
    "3.1K Likes",
    "Sign up for our morning newsletter",
    "* indicates required",
    "The views expressed in this article are those of the author and do not reflect the paper.",
    "Most read",
    "Copyright 2024 The Island Courier. All rights reserved.",
]


def test_the_headline_skips_menus_dates_and_the_masthead() -> None:
    guess = guess_headline(SCRAPED)
    assert guess.title == "Valletta harbour to reopen northern quay after repairs"
    assert guess.date == "2024-03-14"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (f"HomeNewsMaltaHarbour quay to reopen\n\nHarbour quay to reopen\n\n{FIRST}\n",
         "Harbour quay to reopen"),
        (f"Home › News › Malta\n\nHarbour quay to reopen\n\n{FIRST}\n", "Harbour quay to reopen"),
        (f"12/03/2024\n\n2024-03-12 09:41\n\nQuay reopens for cargo\n\n{FIRST}\n",
         "Quay reopens for cargo"),
        (f"All stories\n\n# *Harbour quay reopens*\n\n{FIRST}\n", "Harbour quay reopens"),
        ("Short note without a body", "Short note without a body"),
        (f"{FIRST}\n\n{SECOND}\n", FIRST),  # no headline at all: the first line, as before
    ],
)
def test_headline_kinds(text: str, title: str) -> None:
    assert guess_headline(text).title == title


def test_a_url_line_becomes_the_url() -> None:
    text = f"Quay reopens\n\n{FIRST}\n\n<https://courier.example/harbour/quay-reopens>\n"
    assert guess_headline(text).url == "https://courier.example/harbour/quay-reopens"


def test_clean_drops_every_kind_of_chrome_and_keeps_the_article() -> None:
    cleaned = clean(SCRAPED)
    lines = cleaned.split("\n")
    for chrome in CHROME_LINES:
        assert chrome not in lines, chrome
    assert cleaned.startswith("Valletta harbour to reopen northern quay after repairs\n\n")
    for paragraph in (FIRST, SECOND, THIRD, "Divers at work"):  # a subheading stays
        assert paragraph in lines
    assert cleaned.endswith(THIRD + "\n")
    assert "\n\n\n" not in cleaned  # paragraphs are still one blank line apart


def test_clean_leaves_a_plain_article_alone() -> None:
    article = f"Quay reopens\n\n{FIRST}\n\n{SECOND}\n\n{THIRD}\n"
    assert clean(article) == article


lines = st.lists(
    st.sampled_from([FIRST, SECOND, THIRD, "", *CHROME_LINES]) | st.text(max_size=40),
    max_size=30,
)


@given(lines=lines)
def test_clean_only_removes_lines_and_the_title_is_one_of_them(lines: list[str]) -> None:
    text = "\n".join(lines)
    cleaned = clean(text)
    remaining = iter(text.split("\n"))
    for line in cleaned.split("\n"):
        if line:  # each kept line is an original line, in order
            assert any(line == original for original in remaining)
    title = guess_headline(text).title
    assert not title or any(title in line for line in text.split("\n"))


def test_import_clean_from_the_command_line(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gui.core.store import Project

    source = tmp_path / "harbour.txt"
    source.write_text(SCRAPED, "utf-8")
    assert run("import", str(project_path), str(source), "--clean", capsys=capsys)[0] == 0
    with Project.open(project_path) as project:
        [doc] = [project.document(d) for d in project.document_ids()]
    assert doc.title == "Valletta harbour to reopen northern quay after repairs"
    assert doc.date == "2024-03-14"
    assert "Follow us" not in doc.text and FIRST in doc.text
    nothing = tmp_path / "menu.txt"
    nothing.write_text("Latest news\n\nShare this article\n\nFollow us\n", "utf-8")
    code, _, err = run("import", str(project_path), str(nothing), "--clean", capsys=capsys)
    assert code == 1 and "menu.txt: has nothing left but page chrome after --clean" in err


# Kinds of chrome, as patterns; the real corpus must have none of them left after --clean.
CHROME_KINDS = {
    "a section link": re.compile(r"^(all|latest) (news|posts|stories)$", re.I),
    "a glued breadcrumb": re.compile(r"^Home(?=[A-Z])"),
    "a follow counter": re.compile(r"^\d[\d,.]*\s*(fans|followers|subscribers)", re.I),
    "an 'also read' link": re.compile(r"^(also read|read more|related)\b", re.I),
    "an image credit": re.compile(r"^image (source|not found)", re.I),
    "a share or follow button": re.compile(r"^(follow us|share)$", re.I),
    "a related-articles list": re.compile(r"^(most popular|latest posts|you may also like)", re.I),
    "a disclaimer": re.compile(r"^the views (and opinions )?expressed", re.I),
    "a newsletter form": re.compile(r"indicates required$", re.I),
}
DATE_TITLE = re.compile(r"^\W*\d{1,2}\s+\w+\s+\d{4}\W*$|^\d{4}-\d{2}-\d{2}$")


@pytest.mark.skipif(not CORPUS.exists(), reason="the shared corpus is not beside the checkout")
def test_the_real_scraped_corpus_gets_headlines_and_loses_its_chrome() -> None:
    files = sorted(CORPUS.glob("*.txt"))
    assert files
    for path in files:
        text = path.read_text("utf-8")
        title = guess_headline(text).title
        assert not DATE_TITLE.match(title), (path.name, title)
        assert not re.match(r"^(all news|home)", title, re.I), (path.name, title)
        assert 4 <= len(title.split()) <= 15, (path.name, title)  # a headline, not a standfirst
        cleaned = clean(text)
        for line in cleaned.split("\n"):
            for kind, pattern in CHROME_KINDS.items():
                assert not pattern.search(line.strip()), (path.name, kind)
        # the article itself stays: its longest paragraph, and most of its words
        longest = max(text.split("\n"), key=len)
        assert longest in cleaned
        assert len(cleaned.split()) >= 0.8 * len(text.split())


def test_clean_keeps_windows_line_endings() -> None:
    text = SCRAPED.replace("\n", "\r\n")
    cleaned = clean(text)
    assert cleaned == clean(SCRAPED).replace("\n", "\r\n")
