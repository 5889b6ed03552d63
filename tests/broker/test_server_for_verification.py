"""``/pacts/provider/{p}/for-verification``: selectors, pending and WIP pacts, response shape."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import pytest

if TYPE_CHECKING:
    import httpx

    from conftest import Driver

pytestmark = pytest.mark.e2e

URL = "/pacts/provider/Bar/for-verification"


def _ask(http: httpx.Client, **body: Any) -> list[dict[str, Any]]:
    response = http.post(URL, json=body)
    assert response.status_code == 200, response.text
    return list(response.json()["_embedded"]["pacts"])


def _versions(pacts: list[dict[str, Any]]) -> list[str]:
    return [p["_links"]["self"]["name"].split("(")[1].split(")")[0] for p in pacts]


def _metadata(pact: dict[str, Any]) -> dict[str, list[str]]:
    segment = pact["_links"]["self"]["href"].split("/metadata/")[1]
    return parse_qs(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode())


@pytest.fixture
def history(driver: Driver) -> Driver:
    """Foo: 1 (main, deployed to production), 2 (main, released to test), 3 (feat-x);
    Baz: 7 (main, same provider)."""
    driver.publish("Foo", "1", "Bar", rev=1)
    driver.deploy("Foo", "1")
    driver.publish("Foo", "2", "Bar", rev=2)
    driver.release("Foo", "2", "test")
    driver.publish("Foo", "3", "Bar", rev=3, branch="feat-x", tags=["feat-x"])
    driver.publish("Baz", "7", "Bar", rev=7)
    return driver


def test_response_shape(history: Driver, http: httpx.Client, broker_url: str) -> None:
    pacts = _ask(
        http,
        consumerVersionSelectors=[{"mainBranch": True}],
        providerVersionBranch="main",
        includePendingStatus=True,
    )
    assert _versions(pacts) == ["7", "2"]
    pact = pacts[1]
    assert pact["shortDescription"] == "latest from main branch"
    assert pact["verificationProperties"]["pending"] is True
    notices = pact["verificationProperties"]["notices"]
    assert notices[0]["when"] == "before_verification"
    assert notices[0]["text"].endswith(
        "matching the following criterion:\n    * latest version from the main branch 'main' (2)"
    )
    assert [n["when"] for n in notices[1:]] == [
        "before_verification",
        "after_verification:success_true_published_false",
        "after_verification:success_false_published_false",
        "after_verification:success_true_published_true",
        "after_verification:success_false_published_true",
    ]
    assert pact["_links"]["self"]["name"] == "Pact between Foo (2) and Bar"
    assert pact["_links"]["self"]["href"].startswith(
        f"{broker_url}/pacts/provider/Bar/consumer/Foo/pact-version/"
    )
    assert _metadata(pact)["p"] == ["true"]


def test_pact_url_serves_the_pact_with_publish_and_provider_links(
    history: Driver, http: httpx.Client
) -> None:
    pact = _ask(http, consumerVersionSelectors=[{"branch": "feat-x"}])[0]
    body = http.get(pact["_links"]["self"]["href"]).json()
    assert body["consumer"]["name"] == "Foo"
    assert body["_links"]["pb:provider"]["name"] == "Bar"
    publish = body["_links"]["pb:publish-verification-results"]["href"]
    assert "/metadata/" in publish
    result = http.post(publish, json={"success": True, "providerApplicationVersion": "b1"})
    assert result.status_code == 201
    assert result.json()["_links"]["pb:pact-version"]["name"] == "Pact between Foo (3) and Bar"


@pytest.mark.parametrize(
    ("selectors", "versions"),
    [
        ([{"mainBranch": True}], ["7", "2"]),
        ([{"mainBranch": True, "consumer": "Foo"}], ["2"]),
        ([{"branch": "feat-x"}], ["3"]),
        ([{"deployed": True}], ["1"]),
        ([{"released": True}], ["2"]),
        ([{"deployedOrReleased": True}], ["1", "2"]),
        ([{"deployed": True, "environment": "test"}], []),
        ([{"environment": "test"}], ["2"]),
        ([{"latest": True}], ["7", "3"]),
        ([{"tag": "main", "latest": True}], ["7", "2"]),
        ([{"tag": "main"}], ["7", "1", "2"]),
        ([{"tag": "nope", "fallbackTag": "feat-x", "latest": True}], ["3"]),
        ([{"branch": "nope", "fallbackBranch": "feat-x"}], ["3"]),
        ([{"mainBranch": True}, {"deployedOrReleased": True}], ["7", "1", "2"]),
    ],
)
def test_selectors(
    history: Driver, http: httpx.Client, selectors: list[dict[str, Any]], versions: list[str]
) -> None:
    assert _versions(_ask(http, consumerVersionSelectors=selectors)) == versions


def test_matching_branch_uses_the_provider_branch(history: Driver, http: httpx.Client) -> None:
    pacts = _ask(
        http, consumerVersionSelectors=[{"matchingBranch": True}], providerVersionBranch="feat-x"
    )
    assert _versions(pacts) == ["3"]
    assert pacts[0]["shortDescription"] == "latest from branch feat-x"


def test_same_content_is_verified_once_with_all_its_selectors(
    driver: Driver, http: httpx.Client
) -> None:
    driver.publish("Foo", "1", "Bar", rev=1)
    driver.deploy("Foo", "1")
    driver.publish("Foo", "2", "Bar", rev=1)
    pacts = _ask(http, consumerVersionSelectors=[{"mainBranch": True}, {"deployed": True}])
    assert _versions(pacts) == ["2"]
    # the broker orders deployed selectors before branch ones (Selector#<=>)
    assert pacts[0]["shortDescription"] == "deployed to production, latest from main branch"
    text = pacts[0]["verificationProperties"]["notices"][0]["text"]
    assert "the consumer versions matching the following criteria:" in text
    assert "    * consumer version(s) currently deployed to production (1)" in text


def test_pending_until_the_provider_branch_verifies(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar")
    query = {
        "consumerVersionSelectors": [{"mainBranch": True}],
        "providerVersionBranch": "main",
        "includePendingStatus": True,
    }
    assert _ask(http, **query)[0]["verificationProperties"]["pending"] is True
    driver.verify("Foo", "1", "Bar", "b1", success=False)
    assert _ask(http, **query)[0]["verificationProperties"]["pending"] is True
    driver.verify("Foo", "1", "Bar", "b2", success=True, branch="main")
    pact = _ask(http, **query)[0]
    assert pact["verificationProperties"]["pending"] is False
    assert pact["verificationProperties"]["notices"][1]["text"].startswith(
        "This pact has previously been successfully verified by a version of Bar from branch "
        "'main'."
    )
    assert len(pact["verificationProperties"]["notices"]) == 2


def test_no_pending_status_when_not_asked(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar")
    pact = _ask(http, consumerVersionSelectors=[{"mainBranch": True}], includePendingStatus=False)[
        0
    ]
    assert "pending" not in pact["verificationProperties"]
    assert len(pact["verificationProperties"]["notices"]) == 1
    assert "p" not in _metadata(pact)


def test_pending_by_provider_tag(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar")
    driver.verify("Foo", "1", "Bar", "b1", branch=None)
    http.put("/pacticipants/Bar/versions/b1/tags/dev", json={})
    query = {
        "consumerVersionSelectors": [{"mainBranch": True}],
        "providerVersionTags": ["dev"],
        "includePendingStatus": True,
    }
    assert _ask(http, **query)[0]["verificationProperties"]["pending"] is False
    driver.publish("Foo", "2", "Bar", rev=2)
    pact = _ask(http, **query)[0]
    assert pact["verificationProperties"]["pending"] is True
    assert (
        "a version of Bar with tag 'dev' has not yet been published"
        in (pact["verificationProperties"]["notices"][1]["text"])
    )


def test_wip_pacts(history: Driver, http: httpx.Client) -> None:
    pacts = _ask(
        http,
        consumerVersionSelectors=[{"mainBranch": True}],
        providerVersionBranch="main",
        includePendingStatus=True,
        includeWipPactsSince="2020-01-01",
    )
    assert _versions(pacts) == ["7", "2", "3"]
    wip = pacts[2]
    assert wip["verificationProperties"]["wip"] is True
    assert wip["verificationProperties"]["pending"] is True
    assert "is a 'work in progress' pact" in wip["verificationProperties"]["notices"][0]["text"]
    assert _metadata(wip) == {"w": ["true"]}
    assert "wip" not in pacts[0]["verificationProperties"]


def test_wip_excludes_pacts_verified_by_the_branch_and_old_pacts(
    history: Driver, http: httpx.Client
) -> None:
    history.verify("Foo", "3", "Bar", "b1", success=True, branch="main")
    query = {
        "consumerVersionSelectors": [{"mainBranch": True}],
        "providerVersionBranch": "main",
        "includeWipPactsSince": "2020-01-01",
    }
    assert _versions(_ask(http, **query)) == ["7", "2"]
    query["includeWipPactsSince"] = "2999-01-01"
    query["providerVersionBranch"] = "other"
    assert _versions(_ask(http, **query)) == ["7", "2"]


def test_default_selectors_and_deprecated_get(history: Driver, http: httpx.Client) -> None:
    response = http.get(URL)
    assert response.status_code == 200
    pacts = response.json()["_embedded"]["pacts"]
    assert _versions(pacts) == ["7", "1", "2"]
    assert pacts[0]["verificationProperties"]["notices"][0]["text"].startswith("WARNING")


def test_unknown_provider_is_404(http: httpx.Client) -> None:
    assert http.post("/pacts/provider/Nobody/for-verification", json={}).status_code == 404


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        (
            {},
            "must specify a value for environment or tag or branch, or specify mainBranch=true, "
            "matchingBranch=true, latest=true, deployed=true, released=true or "
            "deployedOrReleased=true (at index 0)",
        ),
        ({"tag": "a", "branch": "b"}, "cannot specify both a tag and a branch (at index 0)"),
        (
            {"mainBranch": True, "tag": "x"},
            "cannot specify mainBranch=true with any other criteria apart from consumer "
            "(at index 0)",
        ),
        (
            {"matchingBranch": True},
            "the providerVersionBranch must be specified when the selector matchingBranch=true is "
            "used (at index 0)",
        ),
        (
            {"branch": "b", "deployed": True},
            "cannot specify the field branch with the field deployed (at index 0)",
        ),
        ({"environment": "mars"}, "environment with name 'mars' does not exist (at index 0)"),
        (
            {"deployed": True, "released": True},
            "cannot specify both deployed=true and released=true (at index 0)",
        ),
    ],
)
def test_selector_validation(
    driver: Driver, http: httpx.Client, selector: dict[str, Any], message: str
) -> None:
    driver.publish("Foo", "1", "Bar")
    response = http.post(URL, json={"consumerVersionSelectors": [selector]})
    assert response.status_code == 400
    assert message in response.json()["errors"]["consumerVersionSelectors"]


def test_blank_provider_branch_with_pending_is_rejected(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar")
    response = http.post(URL, json={"providerVersionBranch": "", "includePendingStatus": True})
    assert response.status_code == 400
    assert "providerVersionBranch" in response.json()["errors"]


def test_post_needs_a_json_content_type(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar")
    response = http.post(URL, content=b"{}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
