"""The server adapter's translations of SQLite's spellings, one by one (no server needed)."""

from __future__ import annotations

from gui.core.backend import ServerAddress, is_server_address
from gui.core.postgres import translate


def test_placeholders_outside_quotes_and_percent_signs() -> None:
    # psycopg reads a % inside a quoted literal as a placeholder too (merge's LIKE 'merge%')
    assert translate("SELECT '?', \"a?\" FROM t WHERE x = ? AND y LIKE '%a'") == (
        "SELECT '?', \"a?\" FROM t WHERE x = %s AND y LIKE '%%a'"
    )
    assert translate("SELECT format('%d', x) FROM t WHERE y = ?") == (
        "SELECT format('%%s', x) FROM t WHERE y = %s"
    )
    assert translate("SELECT 5 % ?") == "SELECT 5 %% %s"
    assert translate("SELECT 5 % 2", params=False) == "SELECT 5 % 2"


def test_insert_or_ignore_and_replace() -> None:
    assert translate("INSERT OR IGNORE INTO annotators(name, role) VALUES (?, ?)") == (
        "INSERT INTO annotators(name, role) VALUES (%s, %s) ON CONFLICT DO NOTHING"
    )
    assert translate("INSERT OR REPLACE INTO settings(key, value) VALUES ('schema', ?)") == (
        "INSERT INTO settings(key, value) VALUES ('schema', %s) "
        'ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"'
    )
    # training on a server stores its "most to gain first" scores this way (it raised KeyError)
    assert translate("INSERT OR REPLACE INTO document_scores(document_id, score) "
                     "VALUES (?, ?)").endswith(
        'ON CONFLICT ("document_id") DO UPDATE SET "score" = EXCLUDED."score"')


def test_inserts_into_tables_with_ids_return_them() -> None:
    assert translate('INSERT INTO entities(set_id, "end") VALUES (?, ?)').endswith("RETURNING id")
    assert "RETURNING" not in translate("INSERT INTO labels(name) VALUES (?)")
    assert "RETURNING" not in translate("INSERT INTO entities(set_id) SELECT id FROM t")
    assert "RETURNING" not in translate("INSERT INTO entities(id) VALUES (?)", returning=False)


def test_sqlite_only_functions_and_begin_immediate() -> None:
    assert translate("BEGIN IMMEDIATE", params=False) == "BEGIN"
    assert translate(
        "SELECT group_concat(format('%d %d', a, b), ' ') FROM t", params=False
    ) == "SELECT string_agg(format('%s %s', a, b), ' ') FROM t"


def test_addresses_are_told_from_files_and_shown_without_passwords() -> None:
    for address in ("postgresql://ana@db/news", "postgres://db/news", "service=team",
                    "host=db.example.org dbname=news"):
        assert is_server_address(address)
    for path in ("news.marginalia", "./service=team.marginalia", "/home/ana/news.marginalia"):
        assert not is_server_address(path)
    shown = ServerAddress("postgresql://ana:s3cret@db/news")
    assert str(shown) == "postgresql://ana:***@db/news"
    assert shown.conninfo == "postgresql://ana:s3cret@db/news"
    assert shown.name == "news"
    assert "s3cret" not in ServerAddress("host=db password=s3cret dbname=news")
    assert ServerAddress("service=team").name == "team"
