"""The shortcuts that keep a 100,000-document project quick count exactly what the general
query counts: the document list's total and the progress figure must never drift from the
rows the list shows."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gui.core.edits import SetStatus
from gui.core.migrations import STATUSES
from gui.core.schema import load_schema
from gui.core.store import Project


@settings(max_examples=40, deadline=None)
@given(
    marks=st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["ana", "ben"]),
                              st.sampled_from(STATUSES)), max_size=12),
    who=st.sampled_from(["ana", "ben", "nobody", None]),
    chosen=st.none() | st.sets(st.sampled_from(STATUSES)),
    text=st.sampled_from(["", "Havana", "Moscow"]),
)
def test_counts_match_the_listed_rows(marks, who, chosen, text) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "counts.marginalia"
        with Project.create(path, load_schema()) as project:
            ids = [doc for doc, _ in project.add_documents(
                {"text": f"Article {i} from {'Havana' if i % 2 else 'Moscow'}."}
                for i in range(8)
            )]
            for index, annotator, status in marks:
                SetStatus(ids[index], annotator, status).apply(project)
            statuses = None if chosen is None else sorted(chosen)
            listed = project.list_documents(who, statuses=statuses, text=text, limit=100)
            assert project.count_listed(who, statuses=statuses, text=text) == len(listed)
