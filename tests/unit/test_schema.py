"""Schema files: the default loads, and every mistake in a hand-written one is named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui.core.errors import SchemaError
from gui.core.schema import Schema, load_schema, parse_schema


def test_the_default_schema_fits_the_sample_domain() -> None:
    schema = load_schema()
    assert {"PERSON", "GPE", "ORG", "NORP"} <= set(schema.labels)
    assert schema.target_names == [
        "US embargo on Cuba",
        "Russia–Cuba partnership",
        "US–Cuba normalization",
    ]
    assert schema.polarities == ("against", "neutral", "favor")
    assert schema.label("GPE").color == "#feca74"  # displaCy's colour
    assert schema.polarity_color("against") == "#d62728"
    assert schema.map_label("PRODUCT") == "ORG" and schema.map_label("MONEY") is None
    assert Schema.from_dict(__import__("json").loads(schema.to_json())) == schema


@pytest.mark.parametrize(
    ("toml", "reason"),
    [
        ('name = "x"', "at least one [[entity]]"),
        ('[[entity]]\nlabel = "A"\n[[entity]]\nlabel = "A"', "appears twice"),
        ('[[entity]]\nlabel = "A"\nkey = "12"', "single character"),
        ('[[entity]]\nlabel = "A"\ncolor = "red"', "#rrggbb"),
        ('[[entity]]\nlabel = "A"\n[stance]\npolarities = ["x"]', "at least two"),
        ('[[entity]]\nlabel = "A"\n[stance]\nscale = "interval"', "nominal' or 'ordinal"),
        ('[[entity]]\nlabel = "A"\n[label_map]\nGPE = "LOC"', "not in the schema"),
        ('[[entity]]\nlabel = " A"', "non-empty string"),
    ],
)
def test_schema_mistakes_are_named(tmp_path: Path, toml: str, reason: str) -> None:
    path = tmp_path / "schema.toml"
    path.write_text(toml, "utf-8")
    with pytest.raises(SchemaError, match=re.escape(reason)) as exc:
        load_schema(path)
    assert str(exc.value).startswith(f"{path}: ")


def test_a_schema_that_is_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "schema.toml"
    path.write_text("[[entity]\n", "utf-8")
    with pytest.raises(SchemaError, match="is not valid TOML"):
        load_schema(path)


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)


@given(st.dictionaries(st.sampled_from(["name", "entity", "stance", "label_map", "x"]), values))
def test_any_parsed_toml_is_accepted_or_refused_with_a_reason(raw: dict) -> None:
    try:
        parse_schema(raw)
    except SchemaError as exc:
        assert exc.reason
