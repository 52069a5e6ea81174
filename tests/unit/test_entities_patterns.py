"""Entity pre-fill: the domain's names from the patterns, labels mapped through the schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.core.schema import load_schema, parse_schema
from gui.core.store import Project
from gui.nlp.pipeline import RULES_ONLY, PipelineError, collect_patterns, load_pipeline
from gui.nlp.prefill import prefill_project

SCHEMA = load_schema()


@pytest.fixture(scope="module")
def rules():
    return load_pipeline(SCHEMA, requested=RULES_ONLY, patterns=collect_patterns(SCHEMA, None))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Miguel Díaz-Canel spoke.", ("Miguel Díaz-Canel", "PERSON")),
        ("Miguel Diaz-Canel spoke.", ("Miguel Diaz-Canel", "PERSON")),
        ("President Díaz-Canel Bermúdez spoke.", ("Díaz-Canel Bermúdez", "PERSON")),
        ("It was in Granma.", ("Granma", "ORG")),
        ("Shares of Rosneft rose.", ("Rosneft", "ORG")),
        ("Prensa Latina reported.", ("Prensa Latina", "ORG")),
        ("A source in the Kremlin.", ("Kremlin", "ORG")),
        ("Under the Helms-Burton Act the rules hold.", ("Helms-Burton Act", "LAW")),
    ],
)
def test_domain_names_are_found_without_a_model(rules, text: str, expected) -> None:
    assert expected in [(e.text, e.label_) for e in rules.nlp(text).ents]


def test_a_statistical_pipeline_keeps_the_patterns_first() -> None:
    loaded = load_pipeline(SCHEMA, requested=None, patterns=collect_patterns(SCHEMA, None))
    if loaded.rules_only:
        pytest.skip("no statistical English pipeline installed")
    assert loaded.nlp.pipe_names.index("marginalia_ruler") < loaded.nlp.pipe_names.index("ner")
    found = [(e.text, e.label_) for e in loaded.nlp("Rosneft and Cupet signed in Havana.").ents]
    assert ("Rosneft", "ORG") in found and ("Cupet", "ORG") in found


def test_labels_map_through_the_schema(tmp_path: Path) -> None:
    """A project with PERSON and ORG, mapping GPE to ORG, stores mapped labels only."""
    schema = parse_schema({
        "name": "tiny", "entity": [{"label": "PERSON"}, {"label": "ORG"}],
        "label_map": {"GPE": "ORG"},
    })
    path = tmp_path / "tiny.marginalia"
    with Project.create(path, schema) as project:
        [(doc_id, _)] = project.add_documents([{"text": "Lavrov flew to Havana on Monday."}])
        prefill_project(project, model=RULES_ONLY)
        found = [(e.label, e.start) for e in project.prefill_entities(doc_id)]
    assert found == [("PERSON", 0), ("ORG", 15)]  # Havana (GPE) became ORG; no DATE label


def test_project_patterns_and_schema_patterns_are_added(tmp_path: Path) -> None:
    patterns = tmp_path / "mine.jsonl"
    patterns.write_text('{"label": "ORG", "pattern": "Cubadebate"}\n', encoding="utf-8")
    schema = parse_schema({
        "name": "s", "entity": [{"label": "ORG"}, {"label": "PERSON"}],
        "pattern": [{"label": "PERSON", "pattern": [{"LOWER": "fidel"}]}],
    })
    loaded = load_pipeline(schema, requested=RULES_ONLY,
                           patterns=collect_patterns(schema, patterns))
    assert [(e.text, e.label_) for e in loaded.nlp("Fidel read Cubadebate.").ents] == [
        ("Fidel", "PERSON"), ("Cubadebate", "ORG")
    ]


@pytest.mark.parametrize(
    ("content", "line"),
    [('{"label": "ORG", "pattern": "A"}\nnot json\n', 2), ('{"pattern": "A"}\n', 1),
     ('{"label": "ORG", "pattern": []}\n', 1)],
)
def test_a_bad_patterns_file_names_file_and_line(tmp_path: Path, content: str, line: int) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        collect_patterns(SCHEMA, bad)
    assert str(caught.value).startswith(f"{bad}:{line}: ")
