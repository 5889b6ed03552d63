"""SQLite access for the local broker: one connection per thread, WAL, explicit transactions.

Every request runs in one transaction: reads in a deferred one (a consistent snapshot under
WAL), writes in ``BEGIN IMMEDIATE`` so that concurrent writers queue on the database lock
(``busy_timeout``) instead of failing half-way. A killed server leaves the last committed
state: SQLite's journal rolls back whatever was in flight.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from actionpact.core.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Database", "Migration", "load_migrations", "now"]

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000


def now() -> str:
    """The current UTC time as stored: ISO-8601 with microseconds, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered schema change, applied once and recorded in ``schema_migrations``."""

    version: int
    name: str
    sql: str


def load_migrations() -> tuple[Migration, ...]:
    """The migrations shipped in ``migrations/NNNN_name.sql``, in order."""
    found: list[Migration] = []
    folder = resources.files("actionpact.broker.server") / "migrations"
    for entry in folder.iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        number, _, rest = name.partition("_")
        found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration numbers: {versions}")
    return tuple(found)


def _statements(sql: str) -> Iterator[str]:
    # executescript() would COMMIT first; splitting keeps each migration in one transaction.
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            buffer = ""
            if statement and statement != ";":
                yield statement
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise RuntimeError(f"incomplete SQL statement in migration: {buffer.strip()[:80]!r}")


def _enable_wal(conn: sqlite3.Connection) -> None:
    # Switching a new file to WAL takes an exclusive lock that the busy handler does not
    # wait for, so two processes opening a fresh database at once must retry here.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class Database:
    """The broker's SQLite file: migrations on open, a connection per thread, transactions.

    Args:
        path: the database file (created with its folder when missing).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        # Writers of this process queue here rather than in SQLite's busy handler, which
        # sleeps in growing steps (up to 100 ms) and would turn contention into latency.
        self._write_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.migrate()
        except sqlite3.DatabaseError as error:
            raise ConfigError(f"cannot open the broker database: {error}", file=self.path) from None
        except OSError as error:
            raise ConfigError(
                f"cannot create the broker database: {error.strerror or error}", file=self.path
            ) from None

    # ------------------------------------------------------------------ connections

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (autocommit mode: transactions are explicit)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _enable_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection opened by any thread."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same snapshot."""
        conn = self.connection()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken with ``BEGIN IMMEDIATE``: all or nothing."""
        conn = self.connection()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # ------------------------------------------------------------------ migrations

    def applied_migrations(self) -> list[int]:
        """The migration numbers recorded in ``schema_migrations``."""
        with self.read() as conn:
            return [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]

    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied, each in its own transaction.

        Idempotent: running it again (or from two processes at once) applies nothing twice.

        Returns:
            The numbers of the migrations applied now.

        Raises:
            ConfigError: the database was written by a newer actionpact.
        """
        conn = self.connection()
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        migrations = load_migrations()
        known = {m.version for m in migrations}
        applied_now: list[int] = []
        for migration in migrations:
            with self.write() as tx:
                done = {row[0] for row in tx.execute("SELECT version FROM schema_migrations")}
                unknown = sorted(done - known)
                if unknown:
                    raise ConfigError(
                        f"the database has schema migrations {unknown} that this actionpact "
                        "does not know: it was written by a newer version",
                        file=self.path,
                    )
                if migration.version in done:
                    continue
                for statement in _statements(migration.sql):
                    tx.execute(statement)
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, now()),
                )
                applied_now.append(migration.version)
        if applied_now:
            logger.info("broker database %s: applied migrations %s", self.path, applied_now)
        return applied_now
