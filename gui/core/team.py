"""Who may do what on a server, enforced by PostgreSQL itself: roles, grants, row-level security.

Each person logs in as their own PostgreSQL role, and their Marginalia annotator name is that
role's name. Two group roles per project database, ``<db>_annotator`` and ``<db>_reviewer``:

- everyone in them reads the whole project (agreement and review need everyone's sets);
- an annotator writes only their own annotation sets, entities, stances and history rows;
- a reviewer also writes the gold set (``#gold``), the versions a merge kept and the
  assignments;
- anyone fills agreement's caches of sentences and tokens (``document_units``) and of each
  document's sums (``agreement_sums``);
- only the owner (the role that ran ``init``, owner of the tables, to whom row-level security
  does not apply) imports documents, pre-fills, changes roles or the schema, and stores,
  switches or removes trained versions (``marginalia train``): the version in use decides
  every later pre-fill, which is the owner's too. Everyone reads the versions, so each
  member's client loads the one in use (gui/core/trained_versions.py). Their tables have
  row-level security with a reading policy only: a write granted to a group by mistake
  would still store nothing.

Grants and policies are PostgreSQL's, so a script connecting as ``ana`` is held to the same
rules as the window. No password is ever created or stored here: a new role logs in however
the server's administrator lets it (``\\password`` in psql, the cloud console, certificates).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gui.core.errors import ProjectError
from gui.core.store import GOLD, check_annotator_name

if TYPE_CHECKING:
    from gui.core.store import Project

GROUPS = ("annotator", "reviewer")
# Tables a person writes through the edit commands; every other table is read-only to them.
WRITTEN = {
    "annotators": "INSERT",
    "annotation_sets": "INSERT, UPDATE, DELETE",
    "entities": "INSERT, UPDATE, DELETE",
    "stances": "INSERT, UPDATE, DELETE",
    "history": "INSERT",
    "kept_versions": "INSERT, UPDATE, DELETE",
    "assignments": "INSERT, UPDATE, DELETE",
    "document_units": "INSERT, UPDATE",
    "agreement_sums": "INSERT, UPDATE, DELETE",
}
# Tables only the owner writes, whose rows everyone reads under row-level security with no
# policy for writing (see the module's docstring). The scores behind "most to gain first" are
# written by pre-fill and training, which are the owner's.
OWNER_WRITES = ("trained_versions", "trained_version_files", "document_scores")
# Which column names the person whose row it is, per table (entities and stances through
# their set).
_OWNED_BY = {
    # a reviewer names the people they assign documents to
    "annotators": "marginalia_may_write(name) OR marginalia_is_reviewer()",
    "annotation_sets": "marginalia_may_write(annotator)",
    # a reviewer's project-wide entries (an assignment) name no annotator
    "history": ("marginalia_may_write(annotator) "
                "OR (annotator IS NULL AND marginalia_is_reviewer())"),
    "entities": "marginalia_may_write_set(set_id)",
    "stances": "marginalia_may_write_set(set_id)",
    # what a merge kept and who does which document: the reviewers' (and the owner's) to change
    "kept_versions": "marginalia_is_reviewer()",
    "assignments": "marginalia_is_reviewer()",
    # agreement's cache of sentence and token offsets, computed from texts nobody can change:
    # whoever runs agreement first fills it
    "document_units": "true",
    # its cache of sums per document, keyed by the sets' revisions (a stale row is never read); a
    # deleted set's trigger clears its document's row, whoever deletes it
    "agreement_sums": "true",
}


def _server(project: Project) -> None:
    if project.dialect.name != "postgresql":
        raise ProjectError("is a file; teams need a project on a PostgreSQL server "
                           "(see 'marginalia copy')", path=project.path)


def group_role(project: Project, group: str) -> str:
    """The group role's name: per database, since roles belong to the whole server."""
    dbname = project.conn.execute("SELECT current_database()").fetchone()[0]
    return f"{dbname}_{group}"[:63]


def _quote(project: Project, name: str) -> str:
    return project.conn.execute("SELECT quote_ident(?)", (name,)).fetchone()[0]


def init_team(project: Project) -> list[str]:
    """Create the group roles, grants and row-level security policies; returns the groups."""
    _server(project)
    groups = {g: group_role(project, g) for g in GROUPS}
    quoted = {g: _quote(project, name) for g, name in groups.items()}
    both = ", ".join(quoted.values())
    reviewer_literal = groups["reviewer"].replace("'", "''")
    with project.transaction() as conn:
        for group, name in groups.items():
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (name,)).fetchone() is None:
                conn.execute(f"CREATE ROLE {quoted[group]} NOLOGIN")
        conn.execute(f"""
            CREATE OR REPLACE FUNCTION marginalia_is_reviewer() RETURNS boolean
                LANGUAGE sql STABLE AS $$
                SELECT pg_has_role(current_user, '{reviewer_literal}', 'MEMBER')
            $$;
            CREATE OR REPLACE FUNCTION marginalia_may_write(person text) RETURNS boolean
                LANGUAGE sql STABLE AS $$
                SELECT person = current_user OR (person = '{GOLD}'
                    AND marginalia_is_reviewer())
            $$;
            CREATE OR REPLACE FUNCTION marginalia_may_write_set(chosen bigint) RETURNS boolean
                LANGUAGE sql STABLE AS $$
                SELECT EXISTS (SELECT 1 FROM annotation_sets
                               WHERE id = chosen AND marginalia_may_write(annotator))
            $$;
            GRANT USAGE ON SCHEMA {_current_schema(project)} TO {both};
            GRANT SELECT ON ALL TABLES IN SCHEMA {_current_schema(project)} TO {both};
        """)
        for table in OWNER_WRITES:
            share_for_reading(conn, table)
        for table, verbs in WRITTEN.items():
            conn.execute(f"GRANT {verbs} ON {table} TO {both}")
            share_for_reading(conn, table)
            owned = _OWNED_BY[table]
            for verb in ("INSERT", "UPDATE", "DELETE"):
                if verb not in verbs:
                    continue
                policy = f"own_{verb.lower()}"
                conn.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
                using = f"USING ({owned}) " if verb != "INSERT" else ""
                check = f"WITH CHECK ({owned})" if verb != "DELETE" else ""
                conn.execute(f"CREATE POLICY {policy} ON {table} FOR {verb} {using}{check}")
    return list(groups.values())


def share_for_reading(conn: Any, table: str) -> None:
    """Row-level security on ``table`` with one policy: every member reads every row. Where
    the database has a team already, its groups are granted reading the table too (a table a
    migration adds after ``team init`` would otherwise be closed to them)."""
    conn.execute(f"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS everyone_reads ON {table};
        CREATE POLICY everyone_reads ON {table} FOR SELECT USING (true);
        DO $$
        DECLARE grp text;
        BEGIN
            FOREACH grp IN ARRAY ARRAY[{", ".join(
                f"left(current_database() || '_{g}', 63)" for g in GROUPS)}] LOOP
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = grp) THEN
                    EXECUTE format('GRANT SELECT ON {table} TO %I', grp);
                END IF;
            END LOOP;
        END $$;
    """)


def _current_schema(project: Project) -> str:
    return project.conn.execute("SELECT quote_ident(current_schema())").fetchone()[0]


def add_member(project: Project, name: str, role: str = "annotator") -> str:
    """Let the PostgreSQL role ``name`` (created, without a password, when it does not exist)
    work on the project as an annotator or a reviewer."""
    _server(project)
    if role not in GROUPS:
        raise ProjectError(f"unknown role {role!r}; choose annotator or reviewer")
    name = check_annotator_name(name)
    group = group_role(project, role)
    other = group_role(project, GROUPS[1 - GROUPS.index(role)])
    if project.conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (group,)).fetchone() \
            is None:
        raise ProjectError("has no team yet (run 'marginalia team init' first)",
                           path=project.path)
    person = _quote(project, name)
    with project.transaction() as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (name,)).fetchone() is None:
            conn.execute(f"CREATE ROLE {person} LOGIN")
        conn.execute(f"GRANT CONNECT ON DATABASE {_quote(project, _dbname(project))} "
                     f"TO {person}")
        conn.execute(f"GRANT {_quote(project, group)} TO {person}")
        conn.execute(f"REVOKE {_quote(project, other)} FROM {person}")
        project.ensure_annotator(name, role)
        project.set_role(name, role)
    return name


def remove_member(project: Project, name: str) -> None:
    """Take ``name`` out of the project's groups; their role and their annotations stay."""
    _server(project)
    person = _quote(project, name)
    with project.transaction() as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (name,)).fetchone() is None:
            raise ProjectError(f"has no PostgreSQL role {name!r}", path=project.path)
        for group in GROUPS:
            conn.execute(f"REVOKE {_quote(project, group_role(project, group))} FROM {person}")


def _dbname(project: Project) -> str:
    return project.conn.execute("SELECT current_database()").fetchone()[0]
