"""50 concurrent publishers and verifiers: nothing lost, nothing twice."""

from __future__ import annotations

import base64
import json
import sqlite3
import threading
from contextlib import closing
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WORKERS = 50
ROUNDS = 2
CONSUMERS = 5


def test_concurrent_publishers_and_verifiers(
    broker_url: str, broker_db: Path, pact_factory: Any
) -> None:
    start = threading.Barrier(WORKERS, timeout=30)
    failures: list[str] = []
    done: list[tuple[str, str, str]] = []
    lock = threading.Lock()

    def work(worker: int) -> None:
        consumer = f"LoadC{worker % CONSUMERS}"
        with httpx.Client(base_url=broker_url, timeout=60) as client:
            start.wait()
            for round_ in range(ROUNDS):
                version = f"{worker}.{round_}"
                pact = pact_factory(consumer, "LoadP", rev=worker * ROUNDS + round_, interactions=3)
                published = client.post(
                    "/contracts/publish",
                    json={
                        "pacticipantName": consumer,
                        "pacticipantVersionNumber": version,
                        "branch": "main",
                        "contracts": [
                            {
                                "consumerName": consumer,
                                "providerName": "LoadP",
                                "specification": "pact",
                                "contentType": "application/json",
                                "content": base64.b64encode(json.dumps(pact).encode()).decode(),
                            }
                        ],
                    },
                )
                if published.status_code != 200:
                    failures.append(f"publish {version}: {published.status_code} {published.text}")
                    continue
                pact_url = published.json()["_links"]["pb:contracts"][0]["href"]
                href = client.get(pact_url).json()["_links"]["pb:publish-verification-results"][
                    "href"
                ]
                provider_version = f"p{worker}.{round_}"
                verified = client.post(
                    href, json={"success": True, "providerApplicationVersion": provider_version}
                )
                if verified.status_code != 201:
                    failures.append(f"verify {version}: {verified.status_code} {verified.text}")
                    continue
                with lock:
                    done.append((consumer, version, provider_version))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert len(done) == WORKERS * ROUNDS

    with closing(sqlite3.connect(broker_db)) as conn:
        assert (
            conn.execute("SELECT count(*) FROM pact_publications").fetchone()[0] == WORKERS * ROUNDS
        )
        assert conn.execute("SELECT count(*) FROM pact_versions").fetchone()[0] == WORKERS * ROUNDS
        assert conn.execute("SELECT count(*) FROM verifications").fetchone()[0] == WORKERS * ROUNDS
        numbers = [r[0] for r in conn.execute("SELECT number FROM verifications ORDER BY number")]
        assert numbers == list(range(1, WORKERS * ROUNDS + 1))
        duplicates = conn.execute(
            "SELECT count(*) FROM (SELECT consumer_version_id, provider_id, count(*) AS n"
            " FROM pact_publications GROUP BY 1, 2 HAVING n > 1)"
        ).fetchone()[0]
        assert duplicates == 0
    with httpx.Client(base_url=broker_url, timeout=60) as client:
        for consumer, version, provider_version in done:
            rows = client.get(
                f"/matrix?q[][pacticipant]={consumer}&q[][version]={version}&latestby=cvpv"
            ).json()["matrix"]
            assert [
                (r["provider"]["version"]["number"], r["verificationResult"]["success"])
                for r in rows
            ] == [(provider_version, True)]
