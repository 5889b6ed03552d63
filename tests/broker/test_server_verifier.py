"""pact-python's Verifier fetches pacts from the local broker, verifies a real provider on
127.0.0.1 and publishes the results back; the matrix then shows the verification."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    import httpx

    from conftest import Driver

pytestmark = pytest.mark.e2e


def _pact(rev: int) -> dict[str, Any]:
    return {
        "consumer": {"name": "VerC"},
        "provider": {"name": "VerP"},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": f"get item {i}",
                "request": {"method": "GET", "path": f"/items/{i}"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {
                        "content": {"id": i, "rev": rev},
                        "contentType": "application/json",
                        "encoded": False,
                    },
                },
            }
            for i in range(3)
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


class _Provider(BaseHTTPRequestHandler):
    rev = 0

    def do_GET(self) -> None:
        item = int(self.path.rsplit("/", 1)[-1])
        body = json.dumps({"id": item, "rev": self.rev}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """No access log: the tests read responses, not logs."""


@pytest.fixture
def provider_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _publish(http: httpx.Client, version: str, rev: int) -> None:
    import base64

    content = base64.b64encode(json.dumps(_pact(rev)).encode()).decode()
    response = http.post(
        "/contracts/publish",
        json={
            "pacticipantName": "VerC",
            "pacticipantVersionNumber": version,
            "branch": "main",
            "contracts": [
                {
                    "consumerName": "VerC",
                    "providerName": "VerP",
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": content,
                }
            ],
        },
    )
    assert response.status_code == 200, response.text


def _verify(broker_url: str, provider_url: str, provider_version: str) -> bool:
    from pact import Verifier

    verifier = (
        Verifier("VerP", host="127.0.0.1")
        .add_transport(url=provider_url)
        .broker_source(broker_url, selector=True)
        .consumer_version(main_branch=True)
        .include_pending()
        .provider_branch("main")
        .build()
    )
    verifier.set_publish_options(version=provider_version, branch="main")
    try:
        verifier.verify()
    except RuntimeError:
        return False
    return True


def test_verifier_round_trip(
    broker_url: str, provider_url: str, http: httpx.Client, driver: Driver
) -> None:
    _publish(http, "1.0.0", rev=0)

    assert _verify(broker_url, provider_url, "p1") is True

    matrix = http.get("/matrix?q[][pacticipant]=VerC&q[][version]=1.0.0&latestby=cvpv").json()
    row = matrix["matrix"][0]
    assert row["provider"]["version"]["number"] == "p1"
    assert row["provider"]["version"]["branch"] == "main"
    assert row["verificationResult"]["success"] is True
    verification = http.get(row["verificationResult"]["_links"]["self"]["href"]).json()
    assert verification["verifiedBy"]["implementation"] == "Pact-Rust"

    driver.deploy("VerP", "p1")
    assert driver.can_i_deploy("VerC", "1.0.0")["summary"]["deployable"] is True


def test_failed_verification_is_published_and_blocks(
    broker_url: str, provider_url: str, http: httpx.Client, driver: Driver
) -> None:
    _publish(http, "2.0.0", rev=1)  # the provider answers rev 0: the pact fails
    _verify(broker_url, provider_url, "p2")
    driver.deploy("VerP", "p2")

    answer = driver.can_i_deploy("VerC", "2.0.0")

    assert answer["summary"]["deployable"] is False
    assert answer["summary"]["failed"] == 1
    pacts = http.post(
        "/pacts/provider/VerP/for-verification",
        json={
            "consumerVersionSelectors": [{"mainBranch": True}],
            "providerVersionBranch": "main",
            "includePendingStatus": True,
        },
    ).json()["_embedded"]["pacts"]
    assert pacts[0]["verificationProperties"]["pending"] is True
