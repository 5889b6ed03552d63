"""Benchmark the local broker (`actionpact broker serve`) at a realistic size.

Seeds a database directly through the broker's own storage layer (2,000 consumer versions,
5,000 verifications, deployments), then measures over HTTP on 127.0.0.1: publications per
second and their latency, pacts-for-verification and can-i-deploy latency. Prints figures;
asserts nothing. Targets: can-i-deploy p95 < 50 ms, publish p95 < 20 ms.

    .venv/bin/python bench/bench_broker.py [--consumers 10] [--versions 200]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from actionpact.broker.server import _pacticipants as store
from actionpact.broker.server import serve_in_thread
from actionpact.broker.server._content import pact_version_sha
from actionpact.broker.server._deployments import environment_by_name, record_deployment
from actionpact.broker.server._pacts import publish_pact
from actionpact.broker.server._verifications import create_verification
from actionpact.broker.server.db import Database

PROVIDER = "BenchProvider"


def pact(consumer: str, rev: int, interactions: int = 10) -> dict[str, Any]:
    """A V4 pact of ``interactions`` interactions; ``rev`` changes the content."""
    return {
        "consumer": {"name": consumer},
        "provider": {"name": PROVIDER},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": f"call {i} rev {rev}",
                "request": {"method": "GET", "path": f"/things/{i}"},
                "response": {
                    "status": 200,
                    "body": {"content": {"id": i, "rev": rev}, "contentType": "application/json"},
                },
            }
            for i in range(interactions)
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def seed(path: Path, consumers: int, versions: int, verifications: int) -> dict[str, Any]:
    """Fill the database: every consumer version publishes a pact (content changes every
    fifth version), provider versions verify the contents, the latest ones are deployed."""
    db = Database(path)
    rng = random.Random(7)
    started = time.perf_counter()
    with db.write() as conn:
        provider = store.find_or_create_pacticipant(conn, PROVIDER)
        production = environment_by_name(conn, "production")
        assert production is not None
        pact_ids = []
        for c in range(consumers):
            name = f"BenchConsumer{c}"
            consumer = store.find_or_create_pacticipant(conn, name)
            for v in range(versions):
                version, _ = store.find_or_create_version(conn, consumer["id"], f"1.{v}.0")
                store.add_branch(conn, version, "main")
                content = pact(name, v // 5)
                result = publish_pact(
                    conn,
                    consumer=consumer,
                    provider=provider,
                    version=version,
                    sha=pact_version_sha(content),
                    content=content,
                )
                pact_ids.append(result.pact)
                if v == versions - 1:
                    record_deployment(conn, version, production, None)
        provider_versions = max(1, verifications // 10)
        for n in range(verifications):
            target = pact_ids[rng.randrange(len(pact_ids))]
            create_verification(
                conn,
                target,
                {
                    "success": rng.random() > 0.1,
                    "providerApplicationVersion": f"p{n % provider_versions}",
                    "providerVersionBranch": "main",
                },
            )
        latest_provider, _ = store.find_or_create_version(
            conn, provider["id"], f"p{provider_versions - 1}"
        )
        record_deployment(conn, latest_provider, production, None)
    db.close()
    return {"seconds": time.perf_counter() - started, "pacts": len(pact_ids)}


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {p50 * 1000:6.2f} ms   p95 {p95 * 1000:6.2f} ms   max {ordered[-1] * 1000:6.2f} ms"


def timed(client: httpx.Client, method: str, url: str, **kwargs: Any) -> float:
    started = time.perf_counter()
    response = client.request(method, url, **kwargs)
    elapsed = time.perf_counter() - started
    assert response.status_code < 300, (url, response.status_code, response.text[:300])
    return elapsed


def publish_body(consumer: str, version: str, rev: int) -> dict[str, Any]:
    content = base64.b64encode(json.dumps(pact(consumer, rev)).encode()).decode()
    return {
        "pacticipantName": consumer,
        "pacticipantVersionNumber": version,
        "branch": "main",
        "contracts": [
            {
                "consumerName": consumer,
                "providerName": PROVIDER,
                "specification": "pact",
                "contentType": "application/json",
                "content": content,
            }
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consumers", type=int, default=10)
    parser.add_argument("--versions", type=int, default=200, help="versions per consumer")
    parser.add_argument("--verifications", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200, help="requests per measurement")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        seeded = seed(db_path, args.consumers, args.versions, args.verifications)
        size = db_path.stat().st_size / 1e6
        print(
            f"seeded {args.consumers * args.versions} consumer versions, "
            f"{args.verifications} verifications in {seeded['seconds']:.1f} s ({size:.1f} MB)"
        )
        rng = random.Random(11)
        with serve_in_thread(db_path) as url, httpx.Client(base_url=url, timeout=60) as client:
            client.get("/")  # warm up the connection
            samples = []
            for _ in range(args.requests):
                c = rng.randrange(args.consumers)
                v = rng.randrange(args.versions)
                samples.append(
                    timed(
                        client,
                        "GET",
                        "/can-i-deploy",
                        params={
                            "pacticipant": f"BenchConsumer{c}",
                            "version": f"1.{v}.0",
                            "environment": "production",
                        },
                    )
                )
            print(f"can-i-deploy (consumer version -> production)   {percentiles(samples)}")

            provider_versions = max(1, args.verifications // 10)
            samples = [
                timed(
                    client,
                    "GET",
                    "/can-i-deploy",
                    params={
                        "pacticipant": PROVIDER,
                        "version": f"p{rng.randrange(provider_versions)}",
                        "environment": "production",
                    },
                )
                for _ in range(args.requests)
            ]
            print(f"can-i-deploy (provider version -> production)   {percentiles(samples)}")

            samples = [
                timed(
                    client,
                    "GET",
                    "/matrix",
                    params=[
                        ("q[][pacticipant]", f"BenchConsumer{rng.randrange(args.consumers)}"),
                        ("q[][version]", f"1.{rng.randrange(args.versions)}.0"),
                        ("latestby", "cvpv"),
                        ("environment", "production"),
                    ],
                )
                for _ in range(args.requests)
            ]
            print(f"matrix (pact broker CLI's can-i-deploy query)   {percentiles(samples)}")

            body = {
                "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}],
                "providerVersionBranch": "main",
                "includePendingStatus": True,
                "includeWipPactsSince": "2020-01-01",
            }
            samples = [
                timed(client, "POST", f"/pacts/provider/{PROVIDER}/for-verification", json=body)
                for _ in range(args.requests)
            ]
            print(f"for-verification (main + deployed, pending+WIP) {percentiles(samples)}")

            bodies = [
                publish_body(f"BenchConsumer{i % args.consumers}", f"9.{i}.0", 10_000 + i)
                for i in range(args.requests)
            ]
            started = time.perf_counter()
            samples = [timed(client, "POST", "/contracts/publish", json=b) for b in bodies]
            rate = len(bodies) / (time.perf_counter() - started)
            print(
                f"publish, one client                             {percentiles(samples)}"
                f"   {rate:6.0f} publications/s"
            )

            bodies = [
                publish_body(f"BenchConsumer{i % args.consumers}", f"8.{i}.0", 20_000 + i)
                for i in range(args.requests)
            ]
            lock = threading.Lock()
            concurrent: list[float] = []

            def worker(chunk: list[dict[str, Any]]) -> None:
                with httpx.Client(base_url=url, timeout=60) as own:
                    for item in chunk:
                        elapsed = timed(own, "POST", "/contracts/publish", json=item)
                        with lock:
                            concurrent.append(elapsed)

            threads = [threading.Thread(target=worker, args=(bodies[i::8],)) for i in range(8)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            rate = len(bodies) / (time.perf_counter() - started)
            print(
                f"publish, 8 concurrent clients                   {percentiles(concurrent)}"
                f"   {rate:6.0f} publications/s"
            )


if __name__ == "__main__":
    main()
