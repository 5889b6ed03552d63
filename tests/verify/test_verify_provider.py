"""verify_provider against a real provider on 127.0.0.1 with the real Pact verifier.

The pact is the one `generate` makes from the bundled `contracts/crm-lookup-by-phone.json`
and its spec: a known caller, a caller with no account manager, and an unknown caller (404).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from verify_crm_provider import (
    ACTION,
    KNOWN_PHONE,
    NOBODY,
    OWNS,
    REPO,
    TOKEN,
    UNKNOWN_PHONE,
    CrmProvider,
)

from actionpact.core.errors import ConfigError, PactFileError
from actionpact.verify import (
    CustomHeader,
    InteractionOutcome,
    VerificationReport,
    parse_header,
    render_junit,
    render_text,
    verify_provider,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

pytestmark = pytest.mark.e2e

DEFINITIONS = [REPO / "contracts"]
EXAMPLES = ["caller with no account manager", "known caller", "unknown caller"]


def auth() -> list[CustomHeader]:
    return [parse_header("Authorization: Bearer $CRM_TOKEN", environ={"CRM_TOKEN": TOKEN})]


def example(report: VerificationReport, name: str) -> InteractionOutcome:
    (found,) = [o for o in report.outcomes if o.example == name]
    return found


def run(crm: CrmProvider, pact: Path, **options: Any) -> VerificationReport:
    options.setdefault("state_handler", crm.apply_state)
    options.setdefault("headers", auth())
    options.setdefault("definitions", DEFINITIONS)
    return verify_provider("example-crm", crm.url, pacts=[pact], **options)


def test_a_provider_that_keeps_the_contract_passes(crm: CrmProvider, crm_pact: Path) -> None:
    report = run(crm, crm_pact)

    assert report.success, render_text(report)
    assert report.exit_code == 0
    assert [(o.action, o.example, o.status) for o in report.outcomes] == [
        (ACTION, name, "passed") for name in EXAMPLES
    ]
    text = render_text(report)
    assert f"{ACTION}\n  passed: caller with no account manager" in text
    assert text.endswith("3 passed, 0 failed\nVerification passed\n")


def test_a_renamed_field_fails_with_its_genesys_impact(crm: CrmProvider, crm_pact: Path) -> None:
    crm.rename = True

    report = run(crm, crm_pact)

    assert not report.success
    assert report.exit_code == 1
    assert example(report, "unknown caller").passed
    known = example(report, "known caller")
    assert known.status == "failed"
    assert known.problems() == [
        "`customerId` is missing from the response ($.customers[0].customerId); a new key "
        "`customer_id` looks like its rename"
    ]
    impact = known.impact
    assert impact is not None
    assert impact.assessed
    assert impact.failure is None
    assert [(o.output, o.change, o.expected, o.actual) for o in impact.outputs] == [
        ("customerId", "default", "C-1001", ""),
        ("found", "changed", True, False),
    ]
    assert [(v.key, v.change, v.default) for v in impact.variables] == [
        ("customerId", "default", '""')
    ]
    text = render_text(report)
    assert "FAILED: known caller" in text
    assert (
        f'genesys impact: {ACTION}\'s output `customerId` would fall back to its default ("")'
    ) in text
    assert f"{ACTION}'s output `found` would be false instead of true" in text
    assert text.endswith("Verification FAILED\n")


def test_provider_states_reach_the_python_handler(crm: CrmProvider, crm_pact: Path) -> None:
    seen: list[tuple[str, str, dict[str, object]]] = []

    def handler(state: str, action: str, params: Mapping[str, Any]) -> None:
        seen.append((state, action, dict(params)))
        crm.apply_state(state, action, params)

    report = run(crm, crm_pact, state_handler=handler)

    assert report.success, render_text(report)
    known = {"phone": KNOWN_PHONE, "customerId": "C-1001"}
    assert (OWNS, "setup", known) in seen
    assert (OWNS, "teardown", known) in seen
    assert (NOBODY, "setup", {"phone": UNKNOWN_PHONE}) in seen
    assert len(seen) == 6


def test_provider_states_reach_the_providers_own_state_change_url(
    crm: CrmProvider, crm_pact: Path
) -> None:
    report = run(crm, crm_pact, state_handler=f"{crm.url}/_states")

    assert report.success, render_text(report)
    assert (OWNS, "setup", {"phone": KNOWN_PHONE, "customerId": "C-1001"}) in crm.states


def test_without_states_the_failure_says_so(crm: CrmProvider, crm_pact: Path) -> None:
    report = run(crm, crm_pact, state_handler=None)

    known = example(report, "known caller")
    assert known.status == "failed"
    assert "the provider answered HTTP 404 where the contract expects 200" in known.problems()
    assert known.impact is not None
    assert known.impact.failure is not None
    assert known.impact.failure.step == 8
    assert f"{ACTION} would fail at step 8 (Execute)" in render_text(report)


def test_a_failing_state_handler_is_reported(crm: CrmProvider, crm_pact: Path) -> None:
    def broken(state: str, action: str, params: Mapping[str, Any]) -> None:
        raise RuntimeError("database is down")

    report = run(crm, crm_pact, state_handler=broken)

    assert not report.success
    assert [o.status for o in report.outcomes] == ["failed", "failed", "failed"]
    problems = example(report, "known caller").problems()
    assert problems[0].startswith("the provider state could not be set up")
    text = render_text(report)
    assert f"error: provider state '{OWNS}' (setup) failed: database is down" in text
    assert text.count(f"provider state '{OWNS}' (setup) failed") == 1


def test_custom_headers_reach_the_provider_and_are_never_shown(
    crm: CrmProvider, crm_pact: Path
) -> None:
    crm.rename = True  # a failure, so that every part of the report is produced

    report = run(crm, crm_pact)

    sent = [h.get("authorization") for h in crm.headers]
    assert sent
    assert all(value == f"Bearer {TOKEN}" for value in sent)
    everything = (
        render_text(report)
        + json.dumps(report.to_json())
        + render_junit(report)
        + report.output
        + repr(report)
    )
    assert TOKEN not in everything


def test_without_the_real_credentials_the_provider_refuses(
    crm: CrmProvider, crm_pact: Path
) -> None:
    report = run(crm, crm_pact, headers=())

    assert not report.success
    assert "the provider answered HTTP 401 where the contract expects 200" in render_text(report)
    assert crm.headers[0]["authorization"] == "Bearer <credentials.apiToken>"


def test_a_definition_that_cannot_be_found_is_named(
    crm: CrmProvider, crm_pact: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm.rename = True
    monkeypatch.chdir(tmp_path)

    report = run(crm, crm_pact, definitions=())

    known = example(report, "known caller")
    assert known.impact is None
    assert "a new key `customer_id` looks like its rename" in known.problems()[0]
    assert known.note is not None
    assert f"the definition of `{ACTION}`" in known.note
    assert "cannot be found" in known.note


def test_a_provider_that_cannot_be_reached_fails(crm_pact: Path) -> None:
    report = verify_provider("example-crm", "http://127.0.0.1:9", pacts=[crm_pact], timeout=2)

    assert not report.success
    assert "could not be reached" in render_text(report)


def test_bad_usage_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        verify_provider("example-crm", "http://127.0.0.1:9")
    with pytest.raises(PactFileError):
        verify_provider("example-crm", "http://127.0.0.1:9", pacts=[tmp_path / "nope.json"])
    with pytest.raises(ConfigError, match="provider version"):
        verify_provider("example-crm", "http://127.0.0.1:9", pacts=[tmp_path], publish=True)


def test_secrets_are_masked_in_the_engines_debug_logs(
    crm: CrmProvider, crm_pact: Path, tmp_path: Path
) -> None:
    """At debug level the engine and the HTTP client log the headers they receive: a
    provider that echoes a header sent with a secret would put it in the log."""
    crm.rename = True  # failures: actionpact replays the requests too
    log = tmp_path / "debug.log"
    script = f"""
import logging, os
logging.basicConfig(level=logging.DEBUG, filename={str(log)!r})
logging.getLogger("pact.ffi").setLevel(logging.DEBUG)
from pathlib import Path
from actionpact.verify import parse_header, verify_provider
report = verify_provider(
    "example-crm", {crm.url!r}, pacts=[Path({str(crm_pact)!r})],
    state_handler={crm.url + "/_states"!r},
    headers=[
        parse_header("Authorization: Bearer $CRM_TOKEN"),
        parse_header("X-Correlation-Token: $CRM_TOKEN-corr"),
    ],
)
assert not report.success
assert report.outcomes[1].impact is not None
"""
    env = {**os.environ, "CRM_TOKEN": TOKEN, "PACT_DO_NOT_TRACK": "true"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert "pact" in text
    # The engine and httpcore both logged the provider's answer headers.
    assert "pact.ffi.pact_verifier.provider_client" in text
    assert "httpcore" in text
    assert text.lower().count("x-correlation-token") >= 2
    assert TOKEN not in text + done.stdout + done.stderr


def test_a_base_url_with_a_host_name_and_a_trailing_slash(crm: CrmProvider, crm_pact: Path) -> None:
    # pact-python needs the verifier host to equal the transport's ("Host mismatch").
    url = crm.url.replace("127.0.0.1", "localhost")

    report = verify_provider(
        "example-crm",
        url + "/",
        pacts=[crm_pact],
        state_handler=crm.apply_state,
        headers=auth(),
    )

    assert report.success, render_text(report)
    assert report.base_url == url + "/"
