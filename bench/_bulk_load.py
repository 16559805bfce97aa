"""Write generated rows straight into a migrated database: COPY on PostgreSQL, executemany
in one transaction on SQLite. For benchmarks that need a million rows in seconds.

The rows skip the application's code on purpose (bench/dashboard_data.py makes
them as the application would have left them). Before writing, the column
lists are checked against the models, so a column added later with no default
stops the load with its name rather than failing halfway. As bulk loaders do,
the tables' secondary indexes are dropped while the rows go in and built again
after (one sort each rather than a million random insertions), and on
PostgreSQL so are the foreign keys, checked in one pass each when added back;
the primary keys and unique constraints stay, and check every row as it goes in.
"""

import sqlite3
import time
from collections import Counter
from datetime import date, datetime
from datetime import time as dt_time

from sqlalchemy.engine import make_url

# SQLAlchemy keeps SQLite dates and times as text in these forms; rows written
# here must compare with what it writes and reads.
sqlite3.register_adapter(datetime, lambda value: value.isoformat(" ", "microseconds"))
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_adapter(dt_time, lambda value: value.isoformat("microseconds"))


def check_columns(columns: dict[str, tuple[str, ...]]) -> None:
    """Refuse to load when a table has a required column the rows do not fill."""
    from webapp.models.base import Base

    for table, names in columns.items():
        model = Base.metadata.tables[table]
        unknown = set(names) - set(model.columns.keys())
        missing = [column.name for column in model.columns if column.name not in names
                   and not column.nullable and column.server_default is None]  # fmt: skip
        if unknown or missing:
            raise RuntimeError(f"{table}: the generator's columns do not match the model "
                               f"(unknown {sorted(unknown)}, missing {missing})")  # fmt: skip


def load(database_url: str, columns: dict[str, tuple[str, ...]], batches) -> tuple[float, Counter]:
    """Write every batch (a dict of table -> rows) in one transaction; return the seconds
    taken (ANALYZE included, as a loaded database would have its statistics) and the counts."""
    check_columns(columns)
    writer = _Postgres(database_url) if database_url.startswith("postgresql") else \
        _Sqlite(database_url)  # fmt: skip
    counts: Counter = Counter()
    started = time.perf_counter()
    try:
        indexes = writer.drop_indexes(list(columns))
        for batch in batches:
            for table, rows in batch.items():
                writer.write(table, columns[table], rows)
                counts[table] += len(rows)
        writer.finish(columns, indexes)
    finally:
        writer.close()
    return time.perf_counter() - started, counts


class _Postgres:
    """COPY through psycopg 3, sequences moved past the ids written, then ANALYZE."""

    def __init__(self, database_url: str):
        import psycopg

        url = make_url(database_url).set(drivername="postgresql")
        self.connection = psycopg.connect(url.render_as_string(hide_password=False))

    def drop_indexes(self, tables: list[str]) -> list[str]:
        """Drop the foreign keys and the indexes that back no constraint; return the
        statements that make them again. As pg_restore does: each foreign key is then
        checked in one pass over the table rather than row by row."""
        foreign_keys = self.connection.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            (tables,),
        ).fetchall()
        indexes = self.connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND "
            "indexname NOT IN (SELECT conname FROM pg_constraint)", (tables,)
        ).fetchall()
        for table, name, _ in foreign_keys:
            self.connection.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            self.connection.execute(f'DROP INDEX "{name}"')
        return [definition for _, definition in indexes] + [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, definition in foreign_keys
        ]

    def write(self, table: str, names: tuple[str, ...], rows: list[tuple]) -> None:
        with self.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def finish(self, columns, indexes: list[str]) -> None:
        with self.connection.cursor() as cursor:
            for definition in indexes:
                cursor.execute(definition)
            for table in columns:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
        self.connection.commit()
        self.connection.autocommit = True
        self.connection.execute("ANALYZE")

    def close(self) -> None:
        self.connection.close()


class _Sqlite:
    """executemany in one transaction, with the journal in memory and no fsync while loading."""

    def __init__(self, database_url: str):
        self.connection = sqlite3.connect(make_url(database_url).database, isolation_level=None)
        for pragma in ("journal_mode = MEMORY", "synchronous = OFF", "cache_size = -200000",
                       "temp_store = MEMORY"):  # fmt: skip
            self.connection.execute(f"PRAGMA {pragma}")
        self.connection.execute("BEGIN")

    def drop_indexes(self, tables: list[str]) -> list[str]:
        """Drop the named indexes (not those of UNIQUE constraints); return their CREATE."""
        marks = ", ".join("?" for _ in tables)
        found = self.connection.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})", tables
        ).fetchall()
        for name, _ in found:
            self.connection.execute(f'DROP INDEX "{name}"')
        return [definition for _, definition in found]

    def write(self, table: str, names: tuple[str, ...], rows: list[tuple]) -> None:
        marks = ", ".join("?" for _ in names)
        self.connection.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                                    rows)  # fmt: skip

    def finish(self, columns, indexes: list[str]) -> None:
        for definition in indexes:
            self.connection.execute(definition)
        self.connection.execute("COMMIT")
        self.connection.execute("ANALYZE")

    def close(self) -> None:
        self.connection.close()
