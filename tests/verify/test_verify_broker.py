"""Verification against pacts from the real local broker (SQLite, served on 127.0.0.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from verify_crm_provider import CONSUMER, PROVIDER, REPO, TOKEN, CrmProvider

from actionpact.broker import (
    BrokerClient,
    CanIDeployQuery,
    Selector,
    read_pact_files,
    resolve_broker_settings,
)
from actionpact.verify import parse_header, render_junit, render_text, verify_provider

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from actionpact.broker import BrokerSettings
    from actionpact.verify import VerificationReport

pytestmark = pytest.mark.e2e

DEFINITIONS = [REPO / "contracts"]


@pytest.fixture
def broker_url(tmp_path: Path) -> Iterator[str]:
    from actionpact.broker.server import serve_in_thread

    with serve_in_thread(tmp_path / "broker.db") as url:
        yield url


@pytest.fixture
def published(broker_url: str, crm_pact: Path) -> str:
    """The CRM pact published for consumer version c1 on branch main."""
    with BrokerClient(broker_url) as client:
        client.publish(read_pact_files([crm_pact]), version="c1", branch="main")
    return broker_url


def settings(url: str) -> BrokerSettings:
    return resolve_broker_settings(base_url=url, environ={}, config_file=None)


def verify(crm: CrmProvider, url: str, **options: Any) -> VerificationReport:
    return verify_provider(
        PROVIDER,
        crm.url,
        broker=settings(url),
        state_handler=crm.apply_state,
        headers=[parse_header("Authorization: Bearer $T", environ={"T": TOKEN})],
        definitions=DEFINITIONS,
        **options,
    )


def matrix_success(url: str, provider_version: str) -> list[bool | None]:
    with BrokerClient(url) as client:
        matrix = client.matrix(CanIDeployQuery((Selector(CONSUMER, version="c1"),)))
    return [row.success for row in matrix.rows if row.provider_version == provider_version]


def test_results_are_published_and_reach_the_matrix(crm: CrmProvider, published: str) -> None:
    report = verify(
        crm,
        published,
        provider_version="p1",
        provider_branch="main",
        publish=True,
    )

    assert report.success, render_text(report)
    assert [o.example for o in report.outcomes] == [
        "caller with no account manager",
        "known caller",
        "unknown caller",
    ]
    assert "results published for example-crm p1" in render_text(report)
    assert matrix_success(published, "p1") == [True]


def test_a_failure_is_published_as_a_failure(crm: CrmProvider, published: str) -> None:
    # A first successful verification on main makes the pact no longer pending.
    assert verify(crm, published, provider_version="p1", provider_branch="main", publish=True)
    crm.rename = True

    report = verify(
        crm,
        published,
        provider_version="p2",
        provider_branch="main",
        publish=True,
        enable_pending=True,
    )

    assert not report.success
    assert [o.status for o in report.outcomes] == ["failed", "failed", "passed"]
    assert matrix_success(published, "p2") == [False]


def test_a_pending_pact_failure_does_not_fail_the_build(crm: CrmProvider, published: str) -> None:
    crm.rename = True

    report = verify(
        crm,
        published,
        provider_version="p1",
        provider_branch="main",
        publish=True,
        enable_pending=True,
    )

    text = render_text(report)
    assert report.success, text
    assert report.exit_code == 0
    known = report.outcomes[1]
    assert (known.example, known.status, known.pending) == ("known caller", "pending", True)
    assert "FAILED (pending: does not fail the build): known caller" in text
    assert "a new key `customer_id` looks like its rename" in text
    assert "would fall back to its default" in text
    assert "1 passed, 0 failed, 2 failed in pending pacts (not failing the build)" in text
    assert '<skipped message="pending pact failed: `customerId` is missing' in render_junit(report)
    # Still published as a failure, as the broker expects of pending pacts.
    assert matrix_success(published, "p1") == [False]


def test_without_pending_the_same_failure_fails_the_build(crm: CrmProvider, published: str) -> None:
    crm.rename = True

    report = verify(crm, published, provider_branch="main")

    assert not report.success
    assert [o.status for o in report.outcomes] == ["failed", "failed", "passed"]


def test_selectors_choose_the_pacts(crm: CrmProvider, published: str) -> None:
    report = verify(crm, published, selectors=[{"branch": "no-such-branch"}])

    assert not report.success
    assert report.outcomes == ()
    assert report.errors


def test_work_in_progress_pacts_are_verified_without_failing_the_build(
    crm: CrmProvider, broker_url: str, crm_pact: Path
) -> None:
    # Published on a feature branch only: no default selector picks it; WIP does.
    with BrokerClient(broker_url) as client:
        client.publish(read_pact_files([crm_pact]), version="c2", branch="feat-new-lookup")
    crm.rename = True

    without = verify(crm, broker_url, provider_branch="main", enable_pending=True)
    report = verify(
        crm,
        broker_url,
        provider_branch="main",
        enable_pending=True,
        include_wip_since="2000-01-01",
    )

    assert without.outcomes == ()
    text = render_text(report)
    assert report.success, text
    assert [o.status for o in report.outcomes] == ["pending", "pending", "passed"]
    assert any("'work in progress' pact" in notice for notice in report.notices)
    assert not any("no longer in pending state" in notice for notice in report.notices)
