"""The client against a scripted HAL broker on 127.0.0.1: what a real broker will not do on
demand (429, 502/503/504, refused connections, dropped connections, validation bodies, 401)
and a broker too old for ``pb:publish-contracts``.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from actionpact.broker import BrokerClient, RetryPolicy, read_pact_files
from actionpact.core.errors import BrokerError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeBroker:
    """A tiny HAL broker: answers from a script, records every request."""

    def __init__(self, *, publish_contracts: bool = True) -> None:
        self.script: dict[tuple[str, str], list[Reply]] = {}
        self.seen: list[Seen] = []
        self.publish_contracts = publish_contracts
        self.index_reply: Reply | None = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else delayed ACKs add 40 ms per keep-alive request

            def log_message(self, *args: object) -> None:
                """No access log: the tests read responses, not logs."""

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                fake.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                reply = fake.reply_for(self.command, self.path)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = (
                    b""
                    if reply.body is None
                    else (
                        reply.body.encode()
                        if isinstance(reply.body, str)
                        else json.dumps(reply.body).encode()
                    )
                )
                self.send_response(reply.status)
                ctype = "text/html" if isinstance(reply.body, str) else "application/hal+json"
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def index(self) -> dict[str, Any]:
        base = self.url
        links = {
            "self": {"href": base},
            "pb:publish-pact": {
                "href": base + "/pacts/provider/{provider}/consumer/{consumer}"
                "/version/{consumerApplicationVersion}",
                "templated": True,
            },
            "pb:pacticipant-version": {
                "href": base + "/pacticipants/{pacticipant}/versions/{version}",
                "templated": True,
            },
            "pb:pacticipant-version-tag": {
                "href": base + "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
                "templated": True,
            },
            "pb:pacticipant-branch-version": {
                "href": base + "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
                "templated": True,
            },
            "pb:can-i-deploy-pacticipant-version-to-environment": {
                "href": base + "/can-i-deploy?pacticipant={pacticipant}&version={version}"
                "&environment={environment}",
                "templated": True,
            },
            "pb:environments": {"href": base + "/environments"},
        }
        if self.publish_contracts:
            links["pb:publish-contracts"] = {"href": base + "/contracts/publish"}
        return {"_links": links}

    def on(self, method: str, path: str, *replies: Reply) -> None:
        self.script[(method, path)] = list(replies)

    def reply_for(self, method: str, path: str) -> Reply:
        if method == "GET" and path == "/":
            return self.index_reply or Reply(body=self.index())
        replies = self.script.get((method, path))
        if not replies:
            return Reply(404, {"error": "not scripted"})
        return replies.pop(0) if len(replies) > 1 else replies[0]

    def requests(self, method: str, path: str) -> list[Seen]:
        return [s for s in self.seen if s.method == method and s.path == path]


@pytest.fixture
def fake() -> Iterator[FakeBroker]:
    broker = FakeBroker()
    thread = threading.Thread(target=broker.server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield broker
    broker.server.shutdown()
    broker.server.server_close()
    thread.join(5)


@pytest.fixture
def old_fake() -> Iterator[FakeBroker]:
    broker = FakeBroker(publish_contracts=False)
    thread = threading.Thread(target=broker.server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield broker
    broker.server.shutdown()
    broker.server.server_close()
    thread.join(5)


class Clock:
    """Fake time: sleeping advances it; the sleeps are recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


def policy(clock: Clock, **kwargs: Any) -> RetryPolicy:
    return RetryPolicy(
        sleep=clock.sleep,
        clock=clock.monotonic,
        wall_clock=lambda: 1_700_000_000.0,
        random=lambda: 0.5,
        **kwargs,
    )


VERSION_PATH = "/pacticipants/App/versions/1.0.0"
VERSION = {"number": "1.0.0", "_links": {"self": {"href": "x"}}}


def test_503_twice_then_200_is_retried_with_jittered_backoff(fake: FakeBroker) -> None:
    fake.on("GET", VERSION_PATH, Reply(503), Reply(503), Reply(200, VERSION))
    clock = Clock()
    with BrokerClient(fake.url, retry=policy(clock, base_delay=1.0)) as client:
        found = client.describe_version("App", "1.0.0")
    assert found.data["number"] == "1.0.0"
    assert len(fake.requests("GET", VERSION_PATH)) == 3
    # full jitter: random() * min(max_delay, base * 2**(n-1)), with random() fixed at 0.5
    assert clock.sleeps == [0.5, 1.0]


def test_429_honours_retry_after_seconds_and_dates_capped(fake: FakeBroker) -> None:
    fake.on(
        "GET",
        VERSION_PATH,
        Reply(429, headers={"Retry-After": "3"}),
        # 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT: this date is 7 s later
        Reply(429, headers={"Retry-After": "Tue, 14 Nov 2023 22:13:27 GMT"}),
        Reply(429, headers={"Retry-After": "3600"}),
        Reply(200, VERSION),
    )
    clock = Clock()
    with BrokerClient(fake.url, retry=policy(clock, max_retry_after=20.0)) as client:
        client.describe_version("App", "1.0.0")
    assert clock.sleeps == [3.0, 7.0, 20.0]


@pytest.mark.parametrize("status", [502, 504])
def test_gives_up_after_max_attempts_naming_url_and_status(fake: FakeBroker, status: int) -> None:
    fake.on("GET", VERSION_PATH, Reply(status, "<html>gateway</html>"))
    clock = Clock()
    with (
        BrokerClient(fake.url, retry=policy(clock, max_attempts=3)) as client,
        pytest.raises(BrokerError) as caught,
    ):
        client.describe_version("App", "1.0.0")
    assert len(fake.requests("GET", VERSION_PATH)) == 3
    assert len(clock.sleeps) == 2
    error = caught.value
    assert error.status == status
    assert error.url == fake.url + VERSION_PATH
    assert f"GET {fake.url}{VERSION_PATH} failed: {status}" in str(error)
    assert "after 3 attempts" in str(error)


def test_total_time_budget_stops_retries_early(fake: FakeBroker) -> None:
    fake.on("GET", VERSION_PATH, Reply(503, headers={"Retry-After": "10"}))
    clock = Clock()
    with (
        BrokerClient(fake.url, retry=policy(clock, max_attempts=10, max_total=25.0)) as client,
        pytest.raises(BrokerError),
    ):
        client.describe_version("App", "1.0.0")
    assert clock.sleeps == [10.0, 10.0]  # a third wait would pass 25 s
    assert len(fake.requests("GET", VERSION_PATH)) == 3


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    clock = Clock()
    with (
        BrokerClient(f"http://127.0.0.1:{port}", retry=policy(clock, max_attempts=3)) as client,
        pytest.raises(BrokerError) as caught,
    ):
        client.index()
    assert len(clock.sleeps) == 2
    assert caught.value.status is None
    assert f"cannot reach the Pact Broker: GET http://127.0.0.1:{port}" in str(caught.value)
    assert "after 3 attempts" in str(caught.value)


def test_dropped_connection_retries_get_but_never_post(fake: FakeBroker) -> None:
    fake.on("GET", VERSION_PATH, Reply(drop=True), Reply(200, VERSION))
    fake.on("POST", "/environments", Reply(drop=True))
    clock = Clock()
    with BrokerClient(fake.url, retry=policy(clock)) as client:
        client.describe_version("App", "1.0.0")
        with pytest.raises(BrokerError, match="cannot reach the Pact Broker: POST"):
            client.create_environment("test")
    assert len(fake.requests("GET", VERSION_PATH)) == 2
    assert len(fake.requests("POST", "/environments")) == 1


def test_400_validation_messages_are_in_the_error(fake: FakeBroker) -> None:
    body = {"errors": {"name": ["name must not contain spaces"], "production": ["is missing"]}}
    fake.on("POST", "/environments", Reply(400, body))
    with (
        BrokerClient(fake.url, retry=policy(Clock())) as client,
        pytest.raises(BrokerError) as caught,
    ):
        client.create_environment("my env")
    error = caught.value
    assert error.status == 400
    assert error.errors == ("name: name must not contain spaces", "production: is missing")
    assert "name: name must not contain spaces" in str(error)
    assert error.body == body
    assert len(fake.requests("POST", "/environments")) == 1  # 400 is an answer, not retried


def test_409_conflict_carries_errors_and_error_notices(fake: FakeBroker, tmp_path: Path) -> None:
    pact = tmp_path / "pact.json"
    pact.write_text(json.dumps({"consumer": {"name": "Flow"}, "provider": {"name": "CRM"}}))
    fake.on(
        "POST",
        "/contracts/publish",
        Reply(
            409,
            {
                "errors": {"contracts": [{"content": ["Cannot change the content of the pact"]}]},
                "notices": [
                    {"type": "error", "text": "Each pact must be published with a unique version"},
                    {"type": "error", "text": "Cannot change the content of the pact"},
                    {"type": "info", "text": "--- existing\n+++ new"},
                    {"type": "debug", "text": "not for people"},
                ],
            },
        ),
    )
    with (
        BrokerClient(fake.url, retry=policy(Clock())) as client,
        pytest.raises(BrokerError) as caught,
    ):
        client.publish(read_pact_files([pact]), version="1")
    message = str(caught.value)
    assert "409 Conflict" in message
    assert "contracts: content: Cannot change the content of the pact" in message
    assert "Each pact must be published with a unique version" in message
    assert message.count("Each pact must be published") == 1
    assert message.endswith("\n    --- existing\n    +++ new")  # the diff, indented
    assert caught.value.errors == (
        "contracts: content: Cannot change the content of the pact",
        "Each pact must be published with a unique version",
    )


def test_401_says_authentication_failed_without_the_token(
    fake: FakeBroker, caplog: pytest.LogCaptureFixture
) -> None:
    token = "s3cr3t-token-value"
    fake.index_reply = Reply(401, {"error": "bad token"})
    caplog.set_level(logging.DEBUG, logger="actionpact.broker")
    with (
        BrokerClient(fake.url, token=token, retry=policy(Clock())) as client,
        pytest.raises(BrokerError) as caught,
    ):
        client.index()
    assert caught.value.status == 401
    assert str(caught.value).startswith(f"authentication failed at {fake.url}")
    assert fake.seen[0].headers["Authorization"] == f"Bearer {token}"
    assert token not in str(caught.value)
    assert token not in caplog.text
    assert f"GET {fake.url} -> 401" in caplog.text


def test_credentials_in_the_url_become_basic_auth_and_are_never_shown(
    fake: FakeBroker, caplog: pytest.LogCaptureFixture
) -> None:
    fake.on("GET", VERSION_PATH, Reply(503))
    url = fake.url.replace("http://", "http://alice:pa55word@")
    caplog.set_level(logging.DEBUG, logger="actionpact.broker")
    with BrokerClient(url, retry=policy(Clock(), max_attempts=2)) as client:
        assert "pa55word" not in repr(client)
        assert "alice" not in client.base_url
        with pytest.raises(BrokerError) as caught:
            client.describe_version("App", "1.0.0")
    assert fake.seen[0].headers["Authorization"].startswith("Basic ")
    for text in (str(caught.value), caught.value.url or "", caplog.text):
        assert "pa55word" not in text
        assert "alice" not in text


def test_not_a_broker(fake: FakeBroker) -> None:
    fake.index_reply = Reply(200, "<html>welcome</html>")
    with (
        BrokerClient(fake.url, retry=policy(Clock())) as client,
        pytest.raises(BrokerError, match=r"is .* a Pact Broker"),
    ):
        client.index()


def test_injected_http_client_is_used_and_left_open(fake: FakeBroker) -> None:
    fake.on("GET", VERSION_PATH, Reply(200, VERSION))
    with httpx.Client(headers={"X-Trace": "t1"}) as http:
        with BrokerClient(fake.url, http=http, retry=policy(Clock())) as client:
            client.describe_version("App", "1.0.0")
        assert not http.is_closed
    assert fake.seen[-1].headers["X-Trace"] == "t1"


def test_legacy_publish_sends_branch_and_tags_before_the_pacts(
    old_fake: FakeBroker, tmp_path: Path
) -> None:
    for name, provider in (("a", "CRM"), ("b", "Billing")):
        content = {"consumer": {"name": "Flow"}, "provider": {"name": provider}, "interactions": []}
        (tmp_path / f"{name}.json").write_text(json.dumps(content))
    for path in (
        "/pacticipants/Flow/branches/main/versions/1.0.0",
        "/pacticipants/Flow/versions/1.0.0/tags/main",
        "/pacticipants/Flow/versions/1.0.0/tags/rc%201",
        "/pacts/provider/CRM/consumer/Flow/version/1.0.0",
        "/pacts/provider/Billing/consumer/Flow/version/1.0.0",
    ):
        old_fake.on("PUT", path, Reply(201, {}))
    with BrokerClient(old_fake.url, retry=policy(Clock())) as client:
        (result,) = client.publish(
            read_pact_files([tmp_path]), version="1.0.0", branch="main", tags=["main", "rc 1"]
        )
    order = [(s.method, s.path) for s in old_fake.seen if s.path != "/"]
    assert order == [
        ("PUT", "/pacticipants/Flow/branches/main/versions/1.0.0"),
        ("PUT", "/pacticipants/Flow/versions/1.0.0/tags/main"),
        ("PUT", "/pacticipants/Flow/versions/1.0.0/tags/rc%201"),
        ("PUT", "/pacts/provider/CRM/consumer/Flow/version/1.0.0"),
        ("PUT", "/pacts/provider/Billing/consumer/Flow/version/1.0.0"),
    ]
    assert old_fake.seen[-1].body["provider"] == {"name": "Billing"}
    assert result.legacy
    assert [n.type for n in result.notices].count("success") == 2
    assert not old_fake.requests("POST", "/contracts/publish")


def test_publish_posts_one_request_per_consumer(fake: FakeBroker, tmp_path: Path) -> None:
    import base64

    for consumer, provider in (("Flow", "CRM"), ("Flow", "Billing"), ("Bot", "CRM")):
        content = {"consumer": {"name": consumer}, "provider": {"name": provider}}
        (tmp_path / f"{consumer}-{provider}.json").write_text(json.dumps(content))
    fake.on(
        "POST", "/contracts/publish", Reply(200, {"notices": [{"type": "success", "text": "ok"}]})
    )
    with BrokerClient(fake.url, retry=policy(Clock())) as client:
        results = client.publish(
            read_pact_files([tmp_path]), version="abc", branch="main", tags=["t"], build_url="u"
        )
    bodies = [s.body for s in fake.requests("POST", "/contracts/publish")]
    assert sorted(b["pacticipantName"] for b in bodies) == ["Bot", "Flow"]
    flow = next(b for b in bodies if b["pacticipantName"] == "Flow")
    assert flow["pacticipantVersionNumber"] == "abc"
    assert (flow["branch"], flow["tags"], flow["buildUrl"]) == ("main", ["t"], "u")
    assert sorted(c["providerName"] for c in flow["contracts"]) == ["Billing", "CRM"]
    contract = flow["contracts"][0]
    assert (contract["specification"], contract["contentType"]) == ("pact", "application/json")
    assert json.loads(base64.b64decode(contract["content"]))["consumer"] == {"name": "Flow"}
    assert "onConflict" not in contract
    assert [r.notices[0].text for r in results] == ["ok", "ok"]


def test_can_i_deploy_uses_the_index_relation(fake: FakeBroker) -> None:
    from actionpact.broker import CanIDeployQuery, Selector

    summary = {"deployable": True, "reason": "ok", "success": 1, "failed": 0, "unknown": 0}
    path = "/can-i-deploy?pacticipant=My%20Flow&version=1.0.0&environment=production"
    fake.on("GET", path, Reply(200, {"summary": summary, "matrix": []}))
    query = CanIDeployQuery((Selector("My Flow", version="1.0.0"),), to_environment="production")
    with BrokerClient(fake.url, retry=policy(Clock())) as client:
        matrix = client.can_i_deploy(query)
    assert matrix.deployable is True
    assert len(fake.requests("GET", path)) == 1
