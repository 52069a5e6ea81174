"""Fixtures the stance and holder tests share: each installed pipeline loaded once per module,
so every sentence test reads what pre-fill would suggest with the real parser."""

from __future__ import annotations

import pytest

from gui.core.schema import load_schema
from gui.nlp.pipeline import RULES_ONLY, LoadedPipeline, collect_patterns, load_pipeline


def _load(requested: str | None) -> LoadedPipeline:
    schema = load_schema()
    return load_pipeline(schema, requested=requested, patterns=collect_patterns(schema, None))


@pytest.fixture(scope="module")
def statistical() -> LoadedPipeline:
    """The statistical English pipeline; the test is skipped where none is installed."""
    loaded = _load(None)
    if loaded.rules_only:
        pytest.skip("no statistical English pipeline installed")
    return loaded


@pytest.fixture(scope="module")
def rules() -> LoadedPipeline:
    """The rules-only pipeline (a blank English one with the patterns)."""
    return _load(RULES_ONLY)
