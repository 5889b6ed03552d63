"""The broker's SQLite file: versioned migrations, upgrades that keep data, crash safety."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from actionpact.broker.server.db import Database, _statements, load_migrations
from actionpact.core.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path


def _applied(path: Path) -> list[tuple[int, str]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(
            "SELECT version, name FROM schema_migrations ORDER BY version"
        ).fetchall()


def test_migrations_are_numbered_and_recorded(broker_db: Path) -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    Database(broker_db).close()
    assert _applied(broker_db) == [(m.version, m.name) for m in migrations]


def test_migrating_again_is_a_no_op(broker_db: Path) -> None:
    first = Database(broker_db)
    assert first.migrate() == []
    first.close()
    second = Database(broker_db)
    assert second.migrate() == []
    with second.read() as conn:
        assert conn.execute("SELECT count(*) FROM environments").fetchone()[0] == 2
    second.close()


def test_concurrent_opens_apply_each_migration_once(broker_db: Path) -> None:
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            Database(broker_db).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(_applied(broker_db)) == len(load_migrations())


def test_upgrade_from_the_first_schema_keeps_the_data(broker_db: Path) -> None:
    first = load_migrations()[0]
    with closing(sqlite3.connect(broker_db, isolation_level=None)) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT"
            " NULL, applied_at TEXT NOT NULL)"
        )
        for statement in _statements(first.sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (1, 'initial', 'then')")
        conn.execute(
            "INSERT INTO pacticipants (name, created_at, updated_at) VALUES ('Old', 't', 't')"
        )
    db = Database(broker_db)
    with db.read() as conn:
        assert conn.execute("SELECT name FROM pacticipants").fetchall()[0][0] == "Old"
        assert conn.execute("SELECT count(*) FROM environments").fetchone()[0] == 2
    db.close()
    assert [v for v, _ in _applied(broker_db)] == [m.version for m in load_migrations()]


def test_a_database_from_a_newer_version_is_refused(broker_db: Path) -> None:
    Database(broker_db).close()
    with closing(sqlite3.connect(broker_db)) as conn, conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'later')")
    with pytest.raises(ConfigError, match=r"migrations \[999\]"):
        Database(broker_db)


def test_wal_and_busy_timeout(broker_db: Path) -> None:
    db = Database(broker_db)
    conn = db.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_a_failed_write_leaves_nothing_behind(broker_db: Path) -> None:
    db = Database(broker_db)

    def failing_write() -> None:
        with db.write() as conn:
            conn.execute(
                "INSERT INTO pacticipants (name, created_at, updated_at) VALUES ('X', 't', 't')"
            )
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_write()
    with db.read() as conn:
        assert conn.execute("SELECT count(*) FROM pacticipants").fetchone()[0] == 0
    db.close()


def test_an_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "broker.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigError, match="cannot open the broker database"):
        Database(path)


# --------------------------------------------------------------------------- crash safety


def _start(db: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "actionpact",
            "broker",
            "serve",
            "--port",
            "0",
            "--db",
            str(db),
            "--log-level",
            "warning",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
    assert match, line
    url = match.group(1)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/diagnostic/status/heartbeat", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("broker did not start")


@pytest.mark.e2e
@pytest.mark.slow
def test_a_killed_server_restarts_with_every_acknowledged_write(
    broker_db: Path, pact_factory: Any
) -> None:
    import base64
    import json

    process, url = _start(broker_db)
    acknowledged: list[str] = []
    stop = threading.Event()

    def publish(worker: int) -> None:
        with httpx.Client(base_url=url, timeout=10) as client:
            for n in range(200):
                if stop.is_set():
                    return
                version = f"{worker}.{n}"
                content = base64.b64encode(
                    json.dumps(pact_factory(f"C{worker}", "P", rev=n)).encode()
                ).decode()
                try:
                    response = client.post(
                        "/contracts/publish",
                        json={
                            "pacticipantName": f"C{worker}",
                            "pacticipantVersionNumber": version,
                            "branch": "main",
                            "contracts": [
                                {
                                    "consumerName": f"C{worker}",
                                    "providerName": "P",
                                    "specification": "pact",
                                    "contentType": "application/json",
                                    "content": content,
                                }
                            ],
                        },
                    )
                except httpx.TransportError:
                    return
                if response.status_code == 200:
                    acknowledged.append(version)

    threads = [threading.Thread(target=publish, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while len(acknowledged) < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    assert process.stderr is not None
    process.stderr.close()
    stop.set()
    for thread in threads:
        thread.join(15)
    assert acknowledged, "no publication went through before the kill"

    with closing(sqlite3.connect(broker_db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    process, url = _start(broker_db)
    try:
        for version in acknowledged:
            consumer = "C" + version.split(".")[0]
            response = httpx.get(f"{url}/pacts/provider/P/consumer/{consumer}/version/{version}")
            assert response.status_code == 200, version
    finally:
        process.terminate()
        process.wait(10)
        assert process.stderr is not None
        process.stderr.close()
