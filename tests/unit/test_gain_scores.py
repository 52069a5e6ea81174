"""Whether "most to gain first" has scores to order by, on a file and on the server."""

from __future__ import annotations

from pathlib import Path

from gui.core.store import Project


def test_scores_count_only_for_the_trained_model_in_use(any_project: Path | str) -> None:
    with Project.open(any_project) as project:
        project.add_documents([{"text": "One article.", "title": "One"}])
        assert not project.has_gain_scores()
        with project.transaction() as conn:
            conn.execute("INSERT INTO document_scores(document_id, model, score, computed_at) "
                         "VALUES (1, '\"x.models/v1\"', 0.5, '')")
        assert not project.has_gain_scores()  # no model in use: the scores are an old one's
        project.set_setting("trained_model", "x.models/v1")
        assert project.has_gain_scores()
        project.set_setting("trained_model", "x.models/v2")
        assert not project.has_gain_scores()
