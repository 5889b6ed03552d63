"""`record` against a real vendor on 127.0.0.1: every kind of answer is stored, never raised."""

from __future__ import annotations

import json
import logging
import socket
import time
from typing import TYPE_CHECKING, Any

import pytest
from drift_vendor import (
    SECRET_KEY,
    SECRET_TOKEN,
    FakeClock,
    Vendor,
    burst,
    html_page,
    json_answer,
    server_error,
)

from actionpact.drift import (
    Outcome,
    RecordOptions,
    RedactionRules,
    join_url,
    load_recordings,
    plan_targets,
    previous_dir,
    record,
)

if TYPE_CHECKING:
    from pathlib import Path

    from actionpact.drift import Plan, RecordResult

pytestmark = pytest.mark.e2e

KNOWN = "vendor-crm-lookup-by-phone/known-caller.json"
CREATE = "vendor-crm-create-case/derived-example.json"


def run(
    project: Path, vendor: Vendor, clock: FakeClock | None = None, **options: Any
) -> RecordResult:
    plan = plan_targets(["contracts"])
    return record(
        plan.targets,
        project / "recordings",
        base_url=vendor.url,
        options=RecordOptions(**options),
        clock=clock,
    )


def read(project: Path, name: str, folder: str = "recordings") -> dict[str, Any]:
    return json.loads((project / folder / name).read_text(encoding="utf-8"))


def test_plan_names_one_file_per_action_and_example(project: Path) -> None:
    plan: Plan = plan_targets(["contracts"])
    assert sorted(t.name for t in plan.targets) == [
        CREATE,
        KNOWN,
        "vendor-crm-lookup-by-phone/silver-caller.json",
        "vendor-crm-lookup-by-phone/unknown-caller.json",
    ]
    target = plan.by_name()[CREATE]
    assert target.example.derived
    assert target.provider == "vendor-crm"
    assert target.consumer == "ivr-flows"
    assert dict(target.credential_env) == {
        "apiToken": "VENDOR_CRM_TOKEN",
        "apiKey": "VENDOR_CRM_KEY",
    }


def test_records_each_exchange_with_its_origin(project: Path, vendor: Vendor) -> None:
    result = run(project, vendor)
    assert result.complete
    assert dict(result.run.outcomes) == {"ok": 3, "http-error": 1}
    data = read(project, KNOWN)
    assert data["format"] == "actionpact-recording/1"
    assert data["action"]["name"] == "Vendor CRM - Lookup By Phone"
    assert len(data["action"]["definitionHash"]) == 64
    assert data["action"]["source"] == "contracts/lookup.json"
    assert data["example"]["name"] == "known caller"
    assert data["example"]["given"] == [
        {"state": "a customer owns the phone number", "params": {"phone": "+13175550123"}}
    ]
    assert data["request"]["method"] == "GET"
    assert data["request"]["path"] == "/api/v1/customers/search"
    # The stored request is the contract's: credentials stay placeholders.
    assert data["request"]["query"] == "phone=%2B13175550123&key=%3Ccredentials.apiKey%3E"
    assert data["response"]["status"] == 200
    assert data["response"]["bodyKind"] == "json"
    assert data["response"]["body"]["customers"][0]["customerId"] == "C-1001"
    assert data["outcome"] == "ok"
    assert data["attempts"] == 1
    assert data["when"] == data["when"][:19] + "Z"
    # The file is pretty, sorted JSON: diff-friendly.
    text = (project / "recordings" / KNOWN).read_text(encoding="utf-8")
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    run_info = json.loads((project / "recordings" / "run.json").read_text(encoding="utf-8"))
    assert run_info["baseUrl"] == vendor.url
    assert run_info["recordings"] == 4


def test_real_credentials_are_sent_and_never_stored(project: Path, vendor: Vendor) -> None:
    run(project, vendor)
    lookup = next(r for r in vendor.requests if r["path"] == "/api/v1/customers/search")
    assert lookup["headers"]["authorization"] == f"Bearer {SECRET_TOKEN}"
    assert lookup["query"]["key"] == [SECRET_KEY]
    create = next(r for r in vendor.requests if r["method"] == "POST")
    assert create["headers"]["x-api-key"] == SECRET_KEY
    data = read(project, KNOWN)
    assert "authorization" not in data["request"]["headers"]
    assert data["redacted"]["headers"] == ["set-cookie"]
    assert "set-cookie" not in data["response"]["headers"]


def test_base_url_replaces_scheme_and_host_and_keeps_its_path() -> None:
    assert (
        join_url("http://127.0.0.1:9/staging/", "https://crm.example.com/api/x?a=%2B1")
        == "http://127.0.0.1:9/staging/api/x?a=%2B1"
    )
    assert join_url("http://h:1", "/api/v2/users/me") == "http://h:1/api/v2/users/me"
    assert join_url("http://h:1/p", "api/v2/x#frag") == "http://h:1/p/api/v2/x"


def test_personal_data_is_pseudonymised_keeping_its_format(project: Path, vendor: Vendor) -> None:
    run(project, vendor)
    first = read(project, KNOWN)["response"]["body"]["customers"][0]
    assert first["email"] != "ada.lovelace@example.org"
    assert first["email"].endswith(".org")
    assert first["email"].count("@") == 1
    assert first["phone"] != "+13175550123"
    assert first["phone"].startswith("+1")
    assert len(first["phone"]) == len("+13175550123")
    assert first["phone"][1:].isdigit()
    assert first["name"] == "Ada Lovelace"  # no rule names it
    # The same value gives the same pseudonym in the next run: diffs stay quiet.
    run(project, vendor)
    again = read(project, KNOWN)["response"]["body"]["customers"][0]
    assert again == first


def test_configured_paths_are_pseudonymised_whole(project: Path, vendor: Vendor) -> None:
    plan = plan_targets(["contracts"])
    rules = RedactionRules.build(paths=["$.customers[*].name", "$..caseId"])
    record(plan.targets, project / "recordings", base_url=vendor.url, rules=rules)
    first = read(project, KNOWN)["response"]["body"]["customers"][0]
    assert first["name"] != "Ada Lovelace"
    assert [len(part) for part in first["name"].split(" ")] == [3, 8]
    case_ids = [case["caseId"] for case in first["openCases"]]
    assert case_ids != ["CS-1", "CS-2"]
    assert all(len(c) == 4 and c[2] == "-" and c[:2].isupper() and c[3].isdigit() for c in case_ids)
    assert first["tier"] == "gold"


def test_missing_credential_renders_a_placeholder_with_a_warning(
    project: Path, vendor: Vendor, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="actionpact.drift")
    monkeypatch.delenv("VENDOR_CRM_TOKEN")
    result = run(project, vendor)
    assert result.complete
    assert any("apiToken" in w and "VENDOR_CRM_TOKEN" in w for w in result.warnings)
    assert any("VENDOR_CRM_TOKEN is not set" in r.getMessage() for r in caplog.records)
    lookup = next(r for r in vendor.requests if r["path"] == "/api/v1/customers/search")
    assert lookup["headers"]["authorization"] == "Bearer <credentials.apiToken>"


def test_429_burst_waits_as_retry_after_asks(
    project: Path, vendor: Vendor, clock: FakeClock
) -> None:
    vendor.mode = burst(3, retry_after="2")
    result = run(project, vendor, clock=clock, concurrency=1)
    assert result.complete
    assert {r.outcome for r in result.recordings} == {Outcome.ok, Outcome.http_error}
    assert sum(r.attempts for r in result.recordings) == len(result.recordings) + 3
    assert clock.sleeps.count(2.0) == 3
    assert vendor.count() == 7


def test_429_that_never_ends_is_recorded_after_the_last_attempt(
    project: Path, vendor: Vendor, clock: FakeClock
) -> None:
    vendor.mode = burst(1000, retry_after="1")
    result = run(project, vendor, clock=clock, concurrency=1, max_attempts=3)
    assert all(r.outcome is Outcome.http_error for r in result.recordings)
    assert all(r.response is not None and r.response.status == 429 for r in result.recordings)
    assert all(r.attempts == 3 for r in result.recordings)


def test_retry_after_longer_than_allowed_is_not_waited_for(
    project: Path, vendor: Vendor, clock: FakeClock
) -> None:
    vendor.mode = burst(1000, retry_after="3600")
    result = run(project, vendor, clock=clock, max_retry_after=60)
    assert clock.sleeps == []
    assert all(
        r.attempts == 1 and "Retry-After 3600 s" in (r.problem or "") for r in result.recordings
    )


def test_5xx_and_html_are_recorded_as_such(project: Path, vendor: Vendor) -> None:
    vendor.mode = server_error
    run(project, vendor)
    data = read(project, KNOWN)
    assert (data["outcome"], data["response"]["status"]) == ("http-error", 500)
    assert data["problem"] == "HTTP 500"
    vendor.mode = html_page
    run(project, vendor)
    data = read(project, KNOWN)
    assert data["outcome"] == "not-json"
    assert data["response"]["bodyKind"] == "text"
    assert "<h1>Maintenance</h1>" in data["response"]["body"]
    assert data["problem"].startswith("an HTML page (text/html)")


def test_invalid_json_timeout_and_huge_body(project: Path, vendor: Vendor) -> None:
    def mode(v: Vendor, method: str, path: str, query: Any, headers: Any, body: bytes) -> Any:
        phone = query.get("phone", [""])[0]
        if phone == "+13175550123":
            return 200, {"Content-Type": "application/json"}, b'{"customers": [tru'
        if phone == "+13175550124":
            time.sleep(1.0)
        if method == "POST":
            return json_answer(200, {"blob": "x" * 4096})
        return None

    vendor.mode = mode
    result = run(project, vendor, timeout=0.3, max_body_bytes=2048)
    by_name = {r.name: r for r in result.recordings}
    broken = by_name[KNOWN]
    assert broken.outcome is Outcome.not_json
    assert broken.problem is not None
    assert "not valid JSON" in broken.problem
    slow = by_name["vendor-crm-lookup-by-phone/silver-caller.json"]
    assert slow.outcome is Outcome.timeout
    assert slow.response is None
    huge = by_name[CREATE]
    assert huge.outcome is Outcome.too_large
    assert huge.response is not None
    assert huge.response.body is None
    assert huge.response.size > 2048
    assert result.complete


def test_connection_refused_is_recorded(project: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    plan = plan_targets(["contracts"])
    result = record(plan.targets, project / "recordings", base_url=f"http://127.0.0.1:{port}")
    assert {r.outcome for r in result.recordings} == {Outcome.connection_error}
    assert all(r.problem and "ConnectError" in r.problem for r in result.recordings)


def test_time_budget_skips_what_is_left(project: Path, vendor: Vendor, clock: FakeClock) -> None:
    result = run(project, vendor, clock=clock, concurrency=1, max_rate=60, max_time=1.5)
    outcomes = [r.outcome for r in sorted(result.recordings, key=lambda r: r.name)]
    assert outcomes.count(Outcome.skipped) == 2
    assert not result.complete
    assert any("time budget" in w for w in result.warnings)
    skipped = next(r for r in result.recordings if r.outcome is Outcome.skipped)
    assert skipped.response is None
    assert skipped.attempts == 0
    assert "time budget of 1.5 s" in (skipped.problem or "")


def test_rate_is_paced_by_the_clock(project: Path, vendor: Vendor, clock: FakeClock) -> None:
    run(project, vendor, clock=clock, concurrency=2, max_rate=30)
    # Four requests at 30 a minute: three waits of two seconds after the first.
    assert sum(clock.sleeps) == pytest.approx(6.0)


def test_previous_run_is_kept_beside(project: Path, vendor: Vendor) -> None:
    run(project, vendor)
    first = (project / "recordings" / KNOWN).read_bytes()
    vendor.mode = server_error
    run(project, vendor)
    assert (previous_dir(project / "recordings") / KNOWN).read_bytes() == first
    assert read(project, KNOWN)["response"]["status"] == 500
    assert len(load_recordings(project / "recordings")) == 4


def test_interrupted_run_leaves_the_previous_recordings_intact(
    project: Path, vendor: Vendor
) -> None:
    run(project, vendor)
    before = {p.relative_to(project): p.read_bytes() for p in project.rglob("*.json")}
    vendor.mode = server_error
    plan = plan_targets(["contracts"])

    def interrupt(recording: object, done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        record(plan.targets, project / "recordings", base_url=vendor.url, on_recording=interrupt)
    after = {p.relative_to(project): p.read_bytes() for p in project.rglob("*.json")}
    assert after == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".recordings")] == []


def test_a_target_that_cannot_render_is_recorded_as_such(project: Path, vendor: Vendor) -> None:
    spec = project / "contracts" / "create-case.spec.yaml"
    spec.write_text("examples:\n  - name: no subject\n    input: {priority: 1}\n", encoding="utf-8")
    result = run(project, vendor)
    failed = next(r for r in result.recordings if r.name.startswith("vendor-crm-create-case/"))
    assert failed.outcome is Outcome.render_failed
    assert failed.request is None
    assert failed.problem is not None
    assert failed.problem.startswith("step 3")
    assert not result.complete


def test_bad_base_url_is_a_value_error(project: Path) -> None:
    with pytest.raises(ValueError, match="http"):
        record(plan_targets(["contracts"]).targets, project / "r", base_url="ftp://x")


def test_a_header_that_cannot_be_sent_spoils_only_its_example(
    project: Path, vendor: Vendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VENDOR_CRM_TOKEN", "caf\u00e9\u2603-token")
    result = run(project, vendor)
    outcomes = {r.name: r.outcome for r in result.recordings}
    assert outcomes[KNOWN] is Outcome.render_failed
    assert outcomes[CREATE] is Outcome.ok
    known = next(r for r in result.recordings if r.name == KNOWN)
    assert known.problem is not None
    assert known.problem.startswith("the rendered request cannot be sent: UnicodeEncodeError")
    assert "\u2603" not in known.problem
