"""can-i-deploy answers exactly what the official broker (2.119.0) answered in S1-S8.

The expected JSON comes from ../shared/reference/can-i-deploy-scenarios.md: the summary
(deployable, reason, counts), the notices and the matrix rows, for ``/can-i-deploy`` and the
same summary from ``/matrix?...&latestby=cvp&environment=production``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Driver

pytestmark = pytest.mark.e2e

SUCCESS = "All required verification results are published and successful"


def _setup_s1(d: Driver) -> tuple[str, str]:
    d.publish("S1C", "1.0.0", "S1P")
    d.verify("S1C", "1.0.0", "S1P", "p1", success=True)
    d.deploy("S1P", "p1")
    return "S1C", "1.0.0"


def _setup_s2(d: Driver) -> tuple[str, str]:
    d.publish("S2C", "1.0.0", "S2P")
    d.verify("S2C", "1.0.0", "S2P", "p1", success=False)
    d.deploy("S2P", "p1")
    return "S2C", "1.0.0"


def _setup_s3(d: Driver) -> tuple[str, str]:
    d.publish("S3C", "1.0.0", "S3P", rev=0)
    d.verify("S3C", "1.0.0", "S3P", "p1")
    d.deploy("S3P", "p1")
    d.publish("S3C", "1.0.1", "S3P", rev=1)
    return "S3C", "1.0.1"


def _setup_s4(d: Driver) -> tuple[str, str]:
    d.publish("S4C", "1.0.0", "S4P", rev=0)
    d.verify("S4C", "1.0.0", "S4P", "p1")
    d.deploy("S4P", "p1")
    d.publish("S4C", "1.0.1", "S4P", rev=0)
    return "S4C", "1.0.1"


def _setup_s5(d: Driver) -> tuple[str, str]:
    d.publish("S5C", "1.0.0", "S5P")
    return "S5C", "1.0.0"


def _setup_s6(d: Driver) -> tuple[str, str]:
    d.publish("S6C", "1.0.0", "S6P")
    d.deploy("S6C", "1.0.0")
    d.verify("S6C", "1.0.0", "S6P", "p2", success=True)
    return "S6P", "p2"


def _setup_s7(d: Driver) -> tuple[str, str]:
    d.publish("S7C", "1.0.0", "S7P")
    d.deploy("S7C", "1.0.0")
    d.verify("S7C", "1.0.0", "S7P", "p2", success=False)
    return "S7P", "p2"


def _setup_s8(d: Driver) -> tuple[str, str]:
    d.publish("S8C", "1.0.0", "S8P", rev=0)
    d.deploy("S8C", "1.0.0")
    d.verify("S8C", "1.0.0", "S8P", "p1")
    d.publish("S8C", "2.0.0", "S8P", rev=1)
    d.verify("S8C", "2.0.0", "S8P", "p3")
    return "S8P", "p3"


def _summary(
    deployable: bool | None, reason: str, success: int, failed: int, unknown: int
) -> dict[str, Any]:
    return {
        "deployable": deployable,
        "reason": reason,
        "success": success,
        "failed": failed,
        "unknown": unknown,
    }


SCENARIOS: dict[str, tuple[Callable[[Driver], tuple[str, str]], dict[str, Any], list[Any]]] = {
    "S1": (_setup_s1, _summary(True, SUCCESS, 1, 0, 0), ["S1C", "1.0.0", "S1P", "p1", True]),
    "S2": (
        _setup_s2,
        _summary(
            False,
            "The verification for the pact between version 1.0.0 of S2C and the "
            "version of S2P currently in production (p1) failed",
            0,
            1,
            0,
        ),
        ["S2C", "1.0.0", "S2P", "p1", False],
    ),
    "S3": (
        _setup_s3,
        _summary(
            None,
            "There is no verified pact between version 1.0.1 of S3C and the version "
            "of S3P currently in production (p1)",
            0,
            0,
            1,
        ),
        ["S3C", "1.0.1", "S3P", None, None],
    ),
    "S4": (_setup_s4, _summary(True, SUCCESS, 1, 0, 0), ["S4C", "1.0.1", "S4P", "p1", True]),
    "S5": (
        _setup_s5,
        _summary(
            None,
            "There is no verified pact between version 1.0.0 of S5C and a version of "
            "S5P currently in production (no version is currently recorded as "
            "deployed/released in this environment)",
            0,
            0,
            1,
        ),
        ["S5C", "1.0.0", "S5P", None, None],
    ),
    "S6": (_setup_s6, _summary(True, SUCCESS, 1, 0, 0), ["S6C", "1.0.0", "S6P", "p2", True]),
    "S7": (
        _setup_s7,
        _summary(
            False,
            "The verification for the pact between the version of S7C currently in "
            "production (1.0.0) and version p2 of S7P failed",
            0,
            1,
            0,
        ),
        ["S7C", "1.0.0", "S7P", "p2", False],
    ),
    "S8": (
        _setup_s8,
        _summary(
            None,
            "There is no verified pact between the version of S8C currently in "
            "production (1.0.0) and version p3 of S8P",
            0,
            0,
            1,
        ),
        ["S8C", "1.0.0", "S8P", None, None],
    ),
}


def _rows(answer: dict[str, Any]) -> list[list[Any]]:
    return [
        [
            row["consumer"]["name"],
            row["consumer"]["version"]["number"],
            row["provider"]["name"],
            (row["provider"]["version"] or {}).get("number"),
            (row["verificationResult"] or {}).get("success"),
        ]
        for row in answer["matrix"]
    ]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_matches_the_official_broker(driver: Driver, name: str) -> None:
    setup, summary, row = SCENARIOS[name]
    pacticipant, version = setup(driver)

    answer = driver.can_i_deploy(pacticipant, version)

    assert answer["summary"] == summary
    assert [notice["text"] for notice in answer["notices"]] == [summary["reason"]]
    expected_type = {True: "success", False: "error", None: "error"}[summary["deployable"]]
    assert [notice["type"] for notice in answer["notices"]] == [expected_type]
    assert _rows(answer) == [row]
    matrix = driver.matrix(
        f"q[][pacticipant]={pacticipant}&q[][version]={version}&latestby=cvp&environment=production"
    )
    assert matrix.status_code == 200
    assert matrix.json()["summary"] == summary


def test_all_scenarios_share_one_broker_without_interference(driver: Driver) -> None:
    """Each scenario uses its own pacticipants: running them together changes nothing."""
    asked = {name: setup(driver) for name, (setup, _, _) in sorted(SCENARIOS.items())}
    for name, (pacticipant, version) in asked.items():
        assert driver.can_i_deploy(pacticipant, version)["summary"] == SCENARIOS[name][1], name


def test_the_cli_matrix_query_gives_the_same_summary(driver: Driver) -> None:
    """The official `pact broker can-i-deploy` asks /matrix with latestby=cvpv."""
    pacticipant, version = _setup_s3(driver)
    matrix = driver.matrix(
        f"q[][pacticipant]={pacticipant}&q[][version]={version}&latestby=cvpv"
        "&environment=production"
    )
    assert matrix.json()["summary"] == SCENARIOS["S3"][1]


# --------------------------------------------------------------------------- ignore


def test_ignoring_the_missing_provider_makes_s5_deployable(driver: Driver) -> None:
    pacticipant, version = _setup_s5(driver)

    answer = driver.can_i_deploy(pacticipant, version, extra=[("ignore[]", "S5P")])

    assert answer["summary"] == {
        "deployable": True,
        "reason": "There are no missing dependencies",
        "success": 0,
        "failed": 0,
        "unknown": 0,
        "ignored": 1,
    }
    assert answer["matrix"][0]["ignored"] is True
    assert answer["notices"] == [{"type": "success", "text": "There are no missing dependencies"}]


def test_ignoring_a_failed_provider_version_by_number(driver: Driver) -> None:
    pacticipant, version = _setup_s2(driver)

    answer = driver.can_i_deploy(
        pacticipant, version, extra=[("ignore[][pacticipant]", "S2P"), ("ignore[][version]", "p1")]
    )

    assert answer["summary"]["deployable"] is True
    assert answer["summary"]["ignored"] == 1
    assert answer["summary"]["failed"] == 0


def test_ignoring_another_version_does_not_hide_the_failure(driver: Driver) -> None:
    pacticipant, version = _setup_s2(driver)
    driver.publish("Other", "9", "S2P")

    answer = driver.can_i_deploy(
        pacticipant, version, extra=[("ignore[][pacticipant]", "S2P"), ("ignore[][version]", "p9")]
    )

    assert answer["summary"]["deployable"] is False
    assert answer["summary"]["failed"] == 1
    assert answer["summary"]["ignored"] == 0
    assert answer["notices"][0] == {
        "type": "warning",
        "text": "WARN: Cannot ignore version p9 of S2P (no such version exists)",
    }


def test_matrix_ignore_parameter(driver: Driver) -> None:
    pacticipant, version = _setup_s5(driver)
    matrix = driver.matrix(
        f"q[][pacticipant]={pacticipant}&q[][version]={version}&latestby=cvp"
        "&environment=production&ignore[][pacticipant]=S5P"
    )
    assert matrix.json()["summary"]["deployable"] is True
    assert matrix.json()["summary"]["ignored"] == 1


def test_summary_has_no_ignored_count_without_ignore(driver: Driver) -> None:
    pacticipant, version = _setup_s1(driver)
    assert "ignored" not in driver.can_i_deploy(pacticipant, version)["summary"]
