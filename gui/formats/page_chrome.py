"""Page chrome in scraped plain text: the headline among mastheads, dates and menus, and what
``import --clean`` drops.

A scraper that saves a page's visible text keeps its chrome: a section link or a date above the
headline, a breadcrumb trail glued into one line, the site's name and tagline, image credits,
"Also read" links, follow counters, newsletter forms, disclaimers, author boxes, "Most popular"
lists. The rules below recognise *kinds* of chrome, line by line, and are careful inside the
article: there only a line that matches a chrome pattern goes. Above the headline and below the
last paragraph, where mastheads and footers live, any line that is not a sentence goes too.

Everything here is plain string work on one article (no Qt, no models), fast enough to run on
every imported ``.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# How far down a headline may be: mastheads, dates and menus come first, rarely more lines.
HEAD_LINES = 15
# How much of the article a headline is compared with: its words recur early, and a long text
# must not make every import slow.
BODY_LINES = 60

_WORD = re.compile(r"[^\W_][\w'’-]*")
_MARKUP = re.compile(r"^[#*_>\s-]+|[*_\s]+$")
_SENTENCE_END = re.compile(r"(?<!\.\.)[.!?:;][\"”’»)\]]*$")
_URL_LINE = re.compile(r"^<?(https?://\S+?)>?$")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_SEPARATOR = re.compile(r"^[\W_]+$")

# Month names in the languages news is scraped in most (English, French, Spanish, Portuguese,
# Italian, German), with the abbreviations sites print in datelines.
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "january jan janvier janv enero ene janeiro gennaio gen januar",
            "february feb février fevrier févr fev febrero fevereiro febbraio februar",
            "march mar mars marzo março marco märz maerz",
            "april apr avril avr abril aprile",
            "may mai mayo maio maggio",
            "june jun juin junio junho giugno juni",
            "july jul juillet juil julio julho luglio lug juli",
            "august aug août aout agosto ago",
            "september sep sept septembre septiembre setembro settembre set",
            "october oct octobre octubre outubro ottobre ott oktober okt",
            "november nov novembre noviembre novembro",
            "december dec décembre decembre déc diciembre dic dezembro dez dicembre dezember",
        ],
        start=1,
    )
    for name in names.split()
}


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


_DATE_WORDS = set(_MONTHS) | _vocabulary(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri "
    "sat sun lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves "
    "viernes sábado domingo published updated posted modified last on at am pm gmt utc est "
    "edt cet cest bst th st nd rd le el de del am um h"
)
# Words a menu, a share bar or a section link is made of; a short line of nothing else is one.
_NAV_WORDS = _vocabulary(
    "all news home menu latest top stories story more search share shares subscribe sign in up "
    "log login logout register skip to content main navigation back section sections follow us "
    "print email e-mail comments comment tweet facebook twitter x linkedin whatsapp telegram "
    "reddit pinterest instagram youtube tiktok copy link links next previous prev article "
    "articles post posts related popular most read trending advertisement ad ads sponsored "
    "close open toggle listen save like this on via page world video videos photos gallery "
    "newsletter newsletters contact about the and of"
)
_STOPWORDS = _vocabulary(
    "the a an and or but of to in on at for with by from as is are was were be been has have "
    "had it its this that these those we our you your he she they his her their not no after "
    "over into than then also who what when why how"
)

_CHROME = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # a breadcrumb trail: "Home > World > …", or its items glued together ("HomeNewsWorld")
        r"^home\s*(?:[>›»/|•·]|(?-i:(?=[A-Z])))",
        r"^(?:[^>›»|]{1,30}\s[>›»|]\s){2,}",
        # follow and share counters: "12,345 followers", "1.2K Likes", glued to their button
        r"^\d[\d.,]*\s*[km]?\s*(?:fans|followers|subscribers|likes|shares|comments|views|members)",
        # links to other articles
        r"^(?:also read|read also|read more|see also|more on this|read next|further reading|"
        r"related(?: articles| stories| posts| content| coverage)?|recommended(?: for you)?|"
        r"you (?:may|might) also (?:like|be interested in)|more (?:from|on) [^:]{1,40})"
        r"\s*(?::|\.\.\.|…|$)",
        # images: credits, captions that end on their credit, placeholders
        r"^(?:image|photo|picture|graphic|video)s?(?:\s+(?:source|credit|courtesy))?\s*[:|]",
        r"^(?:image|photo|video) (?:not found|unavailable|missing|could not be loaded)",
        r"\b(?:photo|file photo|getty images|afp|reuters|ap photo)\)?$",
        # cookie notices
        r"\b(?:we|this (?:web)?site|our (?:web)?site)\s+uses?\s+cookies\b",
        r"^(?:accept|reject|allow|manage)(?: all)? cookies\b|^cookie (?:policy|settings)$",
        # newsletter and comment forms
        r"^(?:subscribe|sign up)\b.{0,100}\b(?:newsletter|updates|alerts|inbox|digest)\b",
        r"indicates required(?: fields?)?\.?$|^(?:your )?e-?mail(?: address)?\s*\*?$",
        # disclaimers and the legal footer
        r"^the views (?:and opinions )?expressed\b.{0,120}\b(?:are|do not|does not)\b",
        r"^(?:copyright|©|\(c\))\s|\ball rights reserved\b|^(?:privacy policy|terms of use)\b",
        r"^about (?:the )?author\b",
    )
]
# Kinds of chrome that only a page's edges hold: inside an article they could be prose.
_EDGE = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^the (?:writer|author|reporter|columnist) (?:is|was|has|works|teaches|writes)\b",
    )
]


@dataclass
class Headline:
    title: str = ""
    date: str = ""  # ISO, when a date line above the article could be read
    url: str = ""  # a line that is only a URL (scrapers often keep the page's address)
    line: int | None = None  # index of the headline among the text's lines (None: a guess)


def _plain(line: str) -> str:
    return _MARKUP.sub("", line.strip())


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _is_paragraph(line: str) -> bool:
    """Running text: long, or a sentence of some length (a headline is rarely either)."""
    words = len(_words(line))
    return words >= 20 or (words >= 8 and bool(_SENTENCE_END.search(line)))


def _is_sentence(line: str) -> bool:
    return len(_words(line)) >= 5 and bool(_SENTENCE_END.search(line))


def _date_of(line: str) -> str | None:
    """The date a line is made of ("24 November 2024", "Tue, Feb 6, 2024 10:15", "2024-02-06"),
    ISO when it can be read, "" when it cannot; None when the line is more than a date."""
    tokens = re.findall(r"[^\W\d_]+|\d+", line.lower())
    if not tokens or len(tokens) > 9 or not any(t.isdigit() for t in tokens):
        return None
    if not all(t.isdigit() or t in _DATE_WORDS for t in tokens):
        return None
    iso = _ISO_DATE.search(line)
    if iso:
        return iso.group(0)
    years = [t for t in tokens if t.isdigit() and len(t) == 4]
    months = [_MONTHS[t] for t in tokens if t in _MONTHS]
    if not years and not months:
        return None  # numbers alone: a time or a count, not surely a date
    days = [int(t) for t in tokens if t.isdigit() and len(t) <= 2 and 1 <= int(t) <= 31]
    if years and months and days:
        return f"{years[0]}-{months[0]:02d}-{days[0]:02d}"
    return ""


def _is_nav(line: str) -> bool:
    words = [w.lower() for w in _words(line)]
    return 0 < len(words) <= 5 and all(w in _NAV_WORDS for w in words)


def is_chrome(line: str) -> bool:
    """A line that is page chrome wherever it stands: a menu, a share bar, a credit…"""
    stripped = line.strip()
    if not stripped:
        return False
    plain = _plain(stripped)
    if not plain or _SEPARATOR.match(stripped) or _URL_LINE.match(plain) or _is_nav(plain):
        return True
    return any(p.search(plain) for p in _CHROME)


def _is_edge_chrome(line: str) -> bool:
    """Chrome above a headline or below the last paragraph: anything that is not a sentence."""
    plain = _plain(line)
    if is_chrome(plain) or _date_of(plain) is not None or any(p.search(plain) for p in _EDGE):
        return True
    return not _is_sentence(plain) and len(_words(plain)) <= 15


def _content_words(line: str) -> set[str]:
    """Words that carry meaning, cut to five letters so "Cuba's" meets "Cuban" and
    "normalisation" meets "normalization"."""
    return {
        w.lower()[:5]
        for w in _words(line)
        if len(w) > 2 and w.lower() not in _STOPWORDS
    }


def _names_the_article(line: str, body: str) -> bool:
    """A headline is about the article: at least two of its words, and a third of them, recur
    in the text below it. A site's name or tagline ("An independent daily") does not."""
    words = _content_words(line)
    found = words & _content_words(body)
    return len(found) >= 2 and 3 * len(found) >= len(words)


def guess_headline(text: str) -> Headline:
    """The headline of a scraped article, skipping dates, breadcrumbs and menu lines.

    A markdown heading above the first paragraph wins; then the first line there that names
    the article (see ``_names_the_article``); then the first line that is not chrome; then the
    first line at all.
    """
    lines = text.split("\n")
    result = Headline()
    for line in lines:
        found = _URL_LINE.match(_plain(line))
        if found:
            result.url = found.group(1)
            break
    head: list[int] = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if _is_paragraph(_plain(line)) or len(head) >= HEAD_LINES:
            break
        head.append(index)
    for index in head:
        date = _date_of(_plain(lines[index]))
        if date:
            result.date = date
            break
    candidates = [
        i
        for i in head
        if not is_chrome(lines[i]) and _date_of(_plain(lines[i])) is None and _plain(lines[i])
    ]
    chosen = next((i for i in candidates if lines[i].lstrip().startswith("#")), None)
    if chosen is None:
        # The article's opening below, without chrome: a masthead's name recurs in credits.
        below = head[-1] + 1 if head else 0
        opening = range(below, min(len(lines), below + BODY_LINES))
        text_lines = [j for j in [*head, *opening] if not is_chrome(lines[j])]
        chosen = next(
            (
                i
                for i in candidates
                if _names_the_article(lines[i], "\n".join(lines[j] for j in text_lines if j > i))
            ),
            None,
        )
    if chosen is not None:
        result.line = chosen
    elif candidates:
        chosen = candidates[0]
    else:
        chosen = next((i for i, line in enumerate(lines) if line.strip()), None)
    if chosen is not None:
        result.title = _plain(lines[chosen])[:300]
    return result


def clean(text: str) -> str:
    """The article without its page chrome, paragraphs still separated by blank lines.

    Above a recognised headline every line goes (masthead, dates, menus); below the last
    paragraph every line that is not a sentence goes (footer, author box, follow buttons,
    "Most popular"); in between, only lines that ``is_chrome`` recognises.
    """
    lines = text.split("\n")
    keep = [bool(line.strip()) for line in lines]
    headline = guess_headline(text)
    body_start = headline.line if headline.line is not None else 0
    for index in range(body_start):
        keep[index] = False
    if headline.line is None:  # no sure headline: only what is surely chrome goes at the top
        for index, line in enumerate(lines):
            if not line.strip():
                continue
            if not (is_chrome(line) or _date_of(_plain(line)) is not None):
                break
            keep[index] = False
    last = len(lines) - 1
    while last > body_start and (not lines[last].strip() or _is_edge_chrome(lines[last])):
        keep[last] = False
        last -= 1
    for index in range(body_start, last + 1):
        if keep[index] and index != headline.line and is_chrome(lines[index]):
            keep[index] = False
    kept: list[str] = []
    for index, line in enumerate(lines):
        if keep[index]:
            kept.append(line)
        elif not line.strip() and kept and kept[-1].strip():
            kept.append(line)  # a blank line still separates the paragraphs around it
    while kept and not kept[-1].strip():
        kept.pop()
    ending = "\n" if text.endswith("\n") else ""
    return "\n".join(kept) + ending
