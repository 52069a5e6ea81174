"""The version a pre-fill run records names the stance rules that made its suggestions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gui.nlp import prefill


def test_changed_rule_code_gives_another_stance_version(tmp_path: Path, monkeypatch) -> None:
    before = prefill.stance_version("lexicon-fingerprint")
    assert prefill.stance_version("lexicon-fingerprint") == before  # stable between runs
    assert prefill.stance_version("another-lexicon") != before
    copied = tmp_path / "nlp"
    copied.mkdir()
    here = Path(prefill.__file__).parent
    for name in prefill.STANCE_RULE_MODULES:
        (copied / f"{name}.py").write_bytes((here / f"{name}.py").read_bytes())
    (copied / "stance.py").write_bytes((here / "stance.py").read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(prefill, "__file__", str(copied / "prefill.py"))
    prefill._rules_digest.cache_clear()
    try:
        assert prefill.stance_version("lexicon-fingerprint") != before
    finally:
        prefill._rules_digest.cache_clear()


@pytest.mark.parametrize("name", prefill.STANCE_RULE_MODULES)
def test_every_rule_module_named_exists(name: str) -> None:
    assert (Path(prefill.__file__).parent / f"{name}.py").is_file()


def _nlp_imports(name: str) -> set[str]:
    """The gui.nlp modules a gui.nlp module imports, by its source."""
    tree = ast.parse((Path(prefill.__file__).parent / f"{name}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "gui.nlp":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gui.nlp."):
            found.add(node.module.removeprefix("gui.nlp."))
    return found


def test_every_module_the_rules_import_is_in_the_version() -> None:
    """A rule moved to a module of its own still changes the version when it changes."""
    seen, todo = set(), ["stance"]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_nlp_imports(name))
    assert seen <= set(prefill.STANCE_RULE_MODULES)
