"""The store's own tests, run again on a server: every test of these modules that takes its
project through the ``project`` fixture runs here with that project on the test server, so
the file's behaviour is the server's behaviour, test for test."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest

from gui.core.store import Project
from tests.unit import (
    test_agreement_cache,
    test_assignment,
    test_effort,
    test_fault_fuzz,
    test_merge,
    test_prefill,
    test_store,
    test_unit_cache,
)

MODULES = (test_store, test_fault_fuzz, test_merge, test_prefill, test_assignment, test_effort,
           test_unit_cache, test_agreement_cache)
# The modules' fixtures that are the ``project`` fixture with content added.
ON_PROJECT = {"project", "counted", "three"}
# Fixtures that mean "a file": a test asking for one stays a file test.
FILE_ONLY = {"project_path", "tmp_path", "monkeypatch"}
# Tests of what only a file has (its PRAGMAs, its journal).
SQLITE_ONLY = {"test_a_new_project_is_marked_versioned_and_in_wal_mode",
               "test_a_project_locked_by_another_writer_is_compared_without_storing",
               # a file's stamps (a server's revisions are its transactions' ids)
               "test_stamps_only_grow_and_name_one_content",
               # a server has no read-only look
               "test_a_read_only_project_computes_without_storing"}


@pytest.fixture
def project(pg_project: str) -> Iterator[Project]:
    with Project.open(pg_project) as opened:
        yield opened


def _on_server(test: object) -> bool:
    parameters = set(inspect.signature(test).parameters)
    return (
        parameters & ON_PROJECT
        and not parameters & FILE_ONLY
        and test.__name__ not in SQLITE_ONLY
    )


def _is_fixture(value: object) -> bool:
    return hasattr(value, "_pytestfixturefunction") or type(value).__name__ == (
        "FixtureFunctionDefinition"
    )


for _module in MODULES:
    for _name, _value in vars(_module).items():
        if _name.startswith("test_") and callable(_value) and _on_server(_value):
            globals()[f"{_name}__{_module.__name__.rsplit('.', 1)[1]}"] = _value
        elif _is_fixture(_value) and _name != "project":  # the modules' own fixtures, as theirs
            globals()[_name] = _value
