"""The local broker's API, resource by resource, over a real socket."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

import pytest

from actionpact.broker.server._content import pact_version_sha

if TYPE_CHECKING:
    import httpx

    from conftest import Driver

pytestmark = pytest.mark.e2e

INDEX_RELATIONS = {
    "pb:publish-contracts": ("/contracts/publish", False),
    "pb:publish-pact": (
        "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}",
        True,
    ),
    "pb:pacticipant": ("/pacticipants/{pacticipant}", True),
    "pb:pacticipant-version": ("/pacticipants/{pacticipant}/versions/{version}", True),
    "pb:pacticipant-version-tag": (
        "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
        True,
    ),
    "pb:pacticipant-branch": ("/pacticipants/{pacticipant}/branches/{branch}", True),
    "pb:pacticipant-branch-version": (
        "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
        True,
    ),
    "pb:provider-pacts-for-verification": ("/pacts/provider/{provider}/for-verification", True),
    "pb:environments": ("/environments", False),
    "pb:environment": ("/environments/{uuid}", True),
    "pb:can-i-deploy-pacticipant-version-to-environment": (
        "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}",
        True,
    ),
    "pb:latest-provider-pacts": ("/pacts/provider/{provider}/latest", True),
    "pb:webhooks": ("/webhooks", False),
}


def test_index_has_every_relation_with_templated_hrefs(http: httpx.Client, broker_url: str) -> None:
    response = http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/hal+json")
    links = response.json()["_links"]
    for rel, (path, templated) in INDEX_RELATIONS.items():
        assert links[rel]["href"] == broker_url + path, rel
        assert links[rel]["templated"] is templated, rel
    assert links["self"]["href"] == broker_url


def test_heartbeat(http: httpx.Client) -> None:
    assert http.get("/diagnostic/status/heartbeat").json()["ok"] is True


def test_unknown_path_is_404_and_wrong_method_is_405(http: httpx.Client) -> None:
    assert http.get("/nothing/here").status_code == 404
    response = http.delete("/contracts/publish")
    assert response.status_code == 405
    assert "POST" in response.headers["allow"]


# --------------------------------------------------------------------------- publish


def _content(pact: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(pact).encode()).decode()


def test_publish_contracts_response(driver: Driver, broker_url: str) -> None:
    response = driver.publish("Foo", "1.0.0", ["Bar", "Baz"], tags=["main", "dev"])
    assert response.status_code == 200
    body = response.json()
    assert body["notices"][0] == {
        "type": "debug",
        "text": "Created Foo version 1.0.0 with branch main and tags main, dev",
    }
    texts = [n["text"] for n in body["notices"]]
    assert "Pact successfully published for Foo version 1.0.0 and provider Bar." in texts
    assert (
        f"  View the published pact at {broker_url}/pacts/provider/Baz/consumer/Foo/version/1.0.0"
        in texts
    )
    assert body["logs"][0]["level"] == "debug"
    assert body["_embedded"]["version"]["number"] == "1.0.0"
    assert body["_embedded"]["pacticipant"]["name"] == "Foo"
    links = body["_links"]
    assert [c["name"] for c in links["pb:contracts"]] == [
        "Pact between Foo (1.0.0) and Bar",
        "Pact between Foo (1.0.0) and Baz",
    ]
    assert [t["name"] for t in links["pb:pacticipant-version-tags"]] == ["main", "dev"]
    assert (
        links["pb:pacticipant-version"]["href"] == f"{broker_url}/pacticipants/Foo/versions/1.0.0"
    )


def test_republishing_identical_content_is_fine(driver: Driver) -> None:
    driver.publish("Foo", "1.0.0", "Bar")
    again = driver.publish("Foo", "1.0.0", "Bar")
    assert again.status_code == 200
    assert any(
        "republished" in n["text"] and "no content changes" in n["text"]
        for n in again.json()["notices"]
    )
    assert again.json()["notices"][0]["text"].startswith("Updated Foo version 1.0.0")


def test_different_content_under_the_same_version_is_409(driver: Driver) -> None:
    driver.publish("Foo", "1.0.0", "Bar", rev=0)
    conflict = driver.publish("Foo", "1.0.0", "Bar", rev=1)
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["errors"]["contracts"][0].startswith(
        "Cannot change the content of the pact for Foo version 1.0.0 and provider Bar"
    )
    assert [n["type"] for n in body["notices"]] == ["error", "info"]
    assert "rev 1" in body["notices"][1]["text"]


def test_interaction_order_and_metadata_do_not_change_the_pact_version(pact_factory: Any) -> None:
    make_pact = pact_factory
    pact = make_pact("A", "B")
    shuffled = dict(
        pact,
        interactions=list(reversed(pact["interactions"])),
        metadata={"pactSpecification": {"version": "4.0"}, "pactRust": {"ffi": "x"}},
    )
    assert pact_version_sha(pact) == pact_version_sha(shuffled)
    assert pact_version_sha(pact) != pact_version_sha(make_pact("A", "B", rev=1))


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {
                "pacticipantName": ["is missing"],
                "pacticipantVersionNumber": ["is missing"],
                "contracts": ["is missing"],
            },
        ),
        (
            {"pacticipantName": "", "pacticipantVersionNumber": "1", "contracts": []},
            {"pacticipantName": ["must be filled"]},
        ),
        (
            {
                "pacticipantName": "Foo",
                "pacticipantVersionNumber": "1",
                "contracts": [
                    {
                        "consumerName": "Foo",
                        "providerName": "Bar",
                        "specification": "pact",
                        "contentType": "application/xml",
                        "content": "e30=",
                    }
                ],
            },
            {"contracts": ["contentType must be one of: application/json (at index 0)"]},
        ),
        (
            {
                "pacticipantName": "Foo",
                "pacticipantVersionNumber": "1",
                "contracts": [
                    {
                        "consumerName": "Foo",
                        "providerName": "Bar",
                        "specification": "pact",
                        "contentType": "application/json",
                        "content": "not base64!",
                    }
                ],
            },
            {
                "contracts": [
                    "is not valid Base64 (at index 0)",
                    "content could not be parsed as application/json (at index 0)",
                ]
            },
        ),
        (
            {
                "pacticipantName": "Foo",
                "pacticipantVersionNumber": "1",
                "contracts": [
                    {
                        "consumerName": "Other",
                        "providerName": "Bar",
                        "specification": "pact",
                        "contentType": "application/json",
                        "content": "e30=",
                    }
                ],
            },
            {
                "contracts": [
                    "consumerName ('Other') must match pacticipantName ('Foo') (at index 0)"
                ]
            },
        ),
    ],
)
def test_publish_validation_errors(
    http: httpx.Client, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    response = http.post("/contracts/publish", json=body)
    assert response.status_code == 400
    assert response.json() == {"errors": errors}


def test_publish_rejects_content_naming_another_provider(
    http: httpx.Client, pact_factory: Any
) -> None:
    make_pact = pact_factory
    response = http.post(
        "/contracts/publish",
        json={
            "pacticipantName": "Foo",
            "pacticipantVersionNumber": "1",
            "contracts": [
                {
                    "consumerName": "Foo",
                    "providerName": "Bar",
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": _content(make_pact("Foo", "Baz")),
                }
            ],
        },
    )
    assert response.json()["errors"]["contracts"] == [
        "provider name in contract content ('Baz') must match providerName in contract params "
        "('Bar') (at index 0)"
    ]


def test_similar_new_pacticipant_name_is_409(driver: Driver) -> None:
    driver.publish("Foo", "1", "BarService")
    conflict = driver.publish("Foo", "2", "bar-services")
    assert conflict.status_code == 409
    assert 'The name "bar-services" is very similar' in conflict.json()["errors"]["contracts"][0]


# --------------------------------------------------------------------------- pacts


def test_legacy_put_and_get_pact(http: httpx.Client, broker_url: str, pact_factory: Any) -> None:
    make_pact = pact_factory
    url = "/pacts/provider/Bar/consumer/Foo/version/1.0.0"
    created = http.put(url, json=make_pact("Foo", "Bar"))
    assert created.status_code == 201
    assert http.put(url, json=make_pact("Foo", "Bar")).status_code == 200
    conflict = http.put(url, json=make_pact("Foo", "Bar", rev=2))
    assert conflict.status_code == 409
    assert conflict.json()["error"].startswith("Cannot change the content")
    mismatch = http.put(
        "/pacts/provider/Bar/consumer/Other/version/1", json=make_pact("Foo", "Bar")
    )
    assert mismatch.status_code == 400
    assert mismatch.json()["errors"]["consumer.name"] == [
        "name in pact 'Foo' does not match name in URL path 'Other'."
    ]
    pact = http.get(url).json()
    assert pact["consumer"] == {"name": "Foo"}
    assert len(pact["interactions"]) == 10
    assert all(len(i["_id"]) == 40 for i in pact["interactions"])
    links = pact["_links"]
    sha = links["pb:pact-version"]["name"]
    assert links["pb:publish-verification-results"]["href"] == (
        f"{broker_url}/pacts/provider/Bar/consumer/Foo/pact-version/{sha}/verification-results"
    )
    assert links["pb:provider"] == {
        "title": "Provider",
        "name": "Bar",
        "href": f"{broker_url}/pacticipants/Bar",
    }
    latest = http.get("/pacts/provider/Bar/consumer/Foo/latest")
    assert latest.headers["x-pact-consumer-version"] == "1.0.0"
    assert "/metadata/" in latest.json()["_links"]["pb:publish-verification-results"]["href"]
    assert http.get("/pacts/provider/Bar/consumer/Foo/latest/nope").status_code == 404
    assert http.get(f"/pacts/provider/Bar/consumer/Foo/pact-version/{sha}").status_code == 200


def test_latest_pact_by_tag_and_untagged(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar", tags=["prod"])
    driver.publish("Foo", "2", "Bar", tags=[], rev=2)
    assert (
        http.get("/pacts/provider/Bar/consumer/Foo/latest/prod").json()["_links"][
            "pb:consumer-version"
        ]["name"]
        == "1"
    )
    assert (
        http.get("/pacts/provider/Bar/consumer/Foo/latest-untagged").json()["_links"][
            "pb:consumer-version"
        ]["name"]
        == "2"
    )
    assert (
        http.get("/pacts/provider/Bar/consumer/Foo/latest").json()["_links"]["pb:consumer-version"][
            "name"
        ]
        == "2"
    )
    latest = http.get("/pacts/provider/Bar/latest").json()["_links"]["pb:pacts"]
    assert [(p["title"], p["name"]) for p in latest] == [("Pact between Foo (2) and Bar", "Foo")]
    tagged = http.get("/pacts/provider/Bar/latest/prod").json()["_links"]["pb:pacts"]
    assert [p["title"] for p in tagged] == ["Pact between Foo (1) and Bar"]
    every = http.get("/pacts/provider/Bar").json()["_links"]["pb:pacts"]
    assert [p["title"] for p in every] == [
        "Pact between Foo (1) and Bar",
        "Pact between Foo (2) and Bar",
    ]


def test_verification_results(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar")
    response = driver.verify("Foo", "1", "Bar", "b1", success=True)
    assert response.status_code == 201
    body = response.json()
    assert body["success"] is True
    assert body["providerApplicationVersion"] == "b1"
    assert response.headers["location"] == body["_links"]["self"]["href"]
    assert http.get(response.headers["location"]).json()["success"] is True
    sha = http.get("/pacts/provider/Bar/consumer/Foo/version/1").json()["_links"][
        "pb:pact-version"
    ]["name"]
    bad = http.post(
        f"/pacts/provider/Bar/consumer/Foo/pact-version/{sha}/verification-results",
        json={"success": "yes"},
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "errors": {"success": ["must be boolean"], "providerApplicationVersion": ["is missing"]}
    }
    missing = http.post(
        "/pacts/provider/Bar/consumer/Foo/pact-version/0000/verification-results",
        json={"success": True, "providerApplicationVersion": "1"},
    )
    assert missing.status_code == 404


# --------------------------------------------------------------------------- pacticipants


def test_pacticipant_create_patch_put(http: httpx.Client, broker_url: str) -> None:
    created = http.post("/pacticipants", json={"name": "my-app", "mainBranch": "trunk"})
    assert created.status_code == 201
    assert created.json()["displayName"] == "My App"
    assert created.json()["mainBranch"] == "trunk"
    links = created.json()["_links"]
    assert links["pb:branch-version"]["href"] == (
        f"{broker_url}/pacticipants/my-app/branches/{{branch}}/versions/{{version}}"
    )
    assert links["pb:version-tag"]["templated"] is True
    patched = http.patch("/pacticipants/my-app", json={"repositoryUrl": "https://git/x"})
    assert patched.json()["mainBranch"] == "trunk"
    assert patched.json()["repositoryUrl"] == "https://git/x"
    replaced = http.put("/pacticipants/my-app", json={"displayName": "Mine"})
    assert "mainBranch" not in replaced.json()
    assert http.put("/pacticipants/nobody", json={}).status_code == 404
    assert http.patch("/pacticipants/new-one", json={}).status_code == 201
    assert http.post("/pacticipants", json={}).json() == {"errors": {"name": ["is missing"]}}
    assert http.patch("/pacticipants/my-app", json={"mainBranch": "a b"}).json() == {
        "errors": {"mainBranch": ["cannot contain spaces"]}
    }
    names = [p["name"] for p in http.get("/pacticipants").json()["_embedded"]["pacticipants"]]
    assert names == ["my-app", "new-one"]
    assert http.delete("/pacticipants/new-one").status_code == 204
    assert http.get("/pacticipants/new-one").status_code == 404


def test_main_branch_is_detected_from_the_first_main_branch(
    driver: Driver, http: httpx.Client
) -> None:
    driver.publish("Foo", "1", "Bar", branch="feat-x", tags=[])
    assert "mainBranch" not in http.get("/pacticipants/Foo").json()
    driver.publish("Foo", "2", "Bar", branch="main", tags=[])
    assert http.get("/pacticipants/Foo").json()["mainBranch"] == "main"


def test_versions_branches_and_tags(http: httpx.Client, broker_url: str) -> None:
    put = http.put("/pacticipants/Foo/versions/1.0.0", json={"buildUrl": "http://ci/1"})
    assert put.status_code == 201
    assert http.put("/pacticipants/Foo/versions/1.0.0", json={}).status_code == 200
    branch = http.put("/pacticipants/Foo/branches/main/versions/1.0.0", json={})
    assert branch.status_code == 201
    assert branch.json()["_links"]["pb:version"]["name"] == "1.0.0"
    assert http.put("/pacticipants/Foo/branches/main/versions/1.0.0", json={}).status_code == 200
    tag = http.put("/pacticipants/Foo/versions/1.0.0/tags/prod", json={})
    assert tag.status_code == 201
    assert tag.json()["_links"]["version"]["name"] == "1.0.0"
    assert http.put("/pacticipants/Foo/versions/1.0.0/tags/prod", json={}).status_code == 200
    version = http.get("/pacticipants/Foo/versions/1.0.0").json()
    assert version["_embedded"]["branchVersions"][0]["name"] == "main"
    assert version["_embedded"]["branchVersions"][0]["latest"] is True
    assert [t["name"] for t in version["_embedded"]["tags"]] == ["prod"]
    record = {link["name"]: link["href"] for link in version["_links"]["pb:record-deployment"]}
    assert set(record) == {"production", "test"}
    assert record["test"].startswith(
        f"{broker_url}/pacticipants/Foo/versions/1.0.0/deployed-versions/environment/"
    )
    assert {link["name"] for link in version["_links"]["pb:record-release"]} == {
        "production",
        "test",
    }
    assert http.get("/pacticipants/Foo/latest-version").json()["number"] == "1.0.0"
    assert http.get("/pacticipants/Foo/latest-version/prod").json()["number"] == "1.0.0"
    assert http.get("/pacticipants/Foo/branches/main/latest-version").json()["number"] == "1.0.0"
    assert http.get("/pacticipants/Foo/branches/main").json()["name"] == "main"
    assert http.delete("/pacticipants/Foo/versions/1.0.0/tags/prod").status_code == 204
    assert http.get("/pacticipants/Foo/versions/1.0.0/tags/prod").status_code == 404
    assert http.delete("/pacticipants/Foo/branches/main/versions/1.0.0").status_code == 204
    assert http.get("/pacticipants/Foo/branches/main/latest-version").status_code == 404
    assert http.delete("/pacticipants/Foo/versions/1.0.0").status_code == 204
    assert http.get("/pacticipants/Foo/versions/1.0.0").status_code == 404


def test_first_tag_becomes_the_branch_and_names_in_paths_are_encoded(http: httpx.Client) -> None:
    http.put("/pacticipants/My%20App/versions/1/tags/main", json={})
    version = http.get("/pacticipants/My%20App/versions/1").json()
    assert version["_embedded"]["branchVersions"][0]["name"] == "main"
    assert http.get("/pacticipants/My%20App").json()["mainBranch"] == "main"
    assert (
        http.get("/pacticipants/My%20App")
        .json()["_links"]["self"]["href"]
        .endswith("/pacticipants/My%20App")
    )


# --------------------------------------------------------------------------- environments


def test_test_and_production_are_seeded(http: httpx.Client) -> None:
    envs = http.get("/environments").json()["_embedded"]["environments"]
    assert [(e["name"], e["displayName"], e["production"]) for e in envs] == [
        ("production", "Production", True),
        ("test", "Test", False),
    ]


def test_environment_crud(http: httpx.Client, broker_url: str) -> None:
    created = http.post(
        "/environments", json={"name": "uat", "production": False, "contacts": [{"name": "Team A"}]}
    )
    assert created.status_code == 201
    env = created.json()
    assert env["displayName"] == "Uat"
    assert created.headers["location"] == f"{broker_url}/environments/{env['uuid']}"
    assert http.get(f"/environments/{env['uuid']}").json()["contacts"] == [{"name": "Team A"}]
    duplicate = http.post("/environments", json={"name": "uat", "production": False})
    assert duplicate.json() == {
        "errors": {"name": ["name 'uat' is already used by an existing environment."]}
    }
    invalid = http.post("/environments", json={"name": "u a t"})
    assert invalid.json() == {
        "errors": {"name": ["cannot contain spaces"], "production": ["is missing"]}
    }
    updated = http.put(
        f"/environments/{env['uuid']}",
        json={"name": "uat", "displayName": "UAT", "production": True},
    )
    assert updated.json()["displayName"] == "UAT"
    assert updated.json()["production"] is True
    assert (
        http.get("/environments", params={"name": "uat"}).json()["_embedded"]["environments"][0][
            "uuid"
        ]
        == env["uuid"]
    )
    assert http.delete(f"/environments/{env['uuid']}").status_code == 204
    assert http.get(f"/environments/{env['uuid']}").status_code == 404


def test_deployments_and_undeployment(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar")
    driver.publish("Foo", "2", "Bar", rev=2)
    first = driver.deploy("Foo", "1", "test", {"applicationInstance": "blue"})
    assert first.status_code == 201
    assert first.json()["applicationInstance"] == "blue"
    assert first.json()["currentlyDeployed"] is True
    other_instance = driver.deploy("Foo", "1", "test", {"applicationInstance": "green"})
    replaced = driver.deploy("Foo", "2", "test", {"applicationInstance": "blue"})
    assert replaced.status_code == 201
    assert http.get(first.headers["location"]).json()["currentlyDeployed"] is False
    assert http.get(other_instance.headers["location"]).json()["currentlyDeployed"] is True
    url = replaced.headers["location"]
    wrong_type = http.patch(url, json={"currentlyDeployed": False})
    assert wrong_type.status_code == 415
    headers = {"Content-Type": "application/merge-patch+json"}
    undeployed = http.patch(url, content=json.dumps({"currentlyDeployed": False}), headers=headers)
    assert undeployed.json()["currentlyDeployed"] is False
    assert "undeployedAt" in undeployed.json()
    back = http.patch(url, content=json.dumps({"currentlyDeployed": True}), headers=headers)
    assert back.status_code == 422
    env = driver.environment_uuid("test")
    current = http.get(f"/environments/{env}/deployed-versions/currently-deployed").json()
    assert [d["applicationInstance"] for d in current["_embedded"]["deployedVersions"]] == ["green"]


def test_releases_and_support_ended(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar")
    created = driver.release("Foo", "1")
    assert created.status_code == 201
    assert created.json()["currentlySupported"] is True
    assert driver.release("Foo", "1").status_code == 200
    ended = http.patch(
        created.headers["location"],
        content=json.dumps({"currentlySupported": False}),
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert ended.json()["currentlySupported"] is False
    assert "supportEndedAt" in ended.json()


def test_record_deployment_404s(driver: Driver, http: httpx.Client) -> None:
    assert driver.deploy("Nobody", "1").status_code == 404
    http.put("/pacticipants/Foo/versions/1", json={})
    assert (
        http.post(
            "/pacticipants/Foo/versions/1/deployed-versions/environment/nope", json={}
        ).status_code
        == 404
    )


# --------------------------------------------------------------------------- matrix


def test_matrix_validation(http: httpx.Client) -> None:
    assert http.get("/matrix").json() == {"errors": ["Please provide 1 or more version selectors."]}
    assert http.get("/matrix?q[][pacticipant]=Nope").json() == {
        "errors": ["Pacticipant Nope not found"]
    }
    response = http.get("/can-i-deploy?pacticipant=Nope&version=1")
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "pacticipant": ["does not match an existing pacticipant"],
            "": ["Must specify either an environment or a 'to' tag."],
        }
    }


def test_matrix_without_environment_warns(driver: Driver) -> None:
    driver.publish("Foo", "1", "Bar")
    driver.verify("Foo", "1", "Bar", "b1")
    answer = driver.matrix("q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&latest=true").json()
    assert answer["notices"][0]["type"] == "warning"
    assert answer["notices"][0]["text"].startswith(
        "WARN: It is recommended to specify the environment"
    )
    assert answer["summary"]["deployable"] is True


def test_matrix_row_shape(driver: Driver, broker_url: str) -> None:
    driver.publish("Foo", "1", "Bar")
    driver.verify("Foo", "1", "Bar", "b1")
    driver.deploy("Bar", "b1")
    row = driver.can_i_deploy("Foo", "1")["matrix"][0]
    assert set(row) == {"consumer", "provider", "pact", "verificationResult"}
    assert row["provider"]["version"]["environments"][0]["name"] == "production"
    assert row["provider"]["version"]["branch"] == "main"
    assert row["consumer"]["version"]["tags"][0] == {
        "name": "main",
        "latest": True,
        "_links": {"self": {"href": f"{broker_url}/pacticipants/Foo/versions/1/tags/main"}},
    }
    assert (
        row["pact"]["_links"]["self"]["href"]
        == f"{broker_url}/pacts/provider/Bar/consumer/Foo/version/1"
    )
    assert "/verification-results/1" in row["verificationResult"]["_links"]["self"]["href"]


def test_specified_version_that_does_not_exist(driver: Driver) -> None:
    driver.publish("Foo", "1", "Bar")
    answer = driver.can_i_deploy("Foo", "404")
    assert answer["summary"] == {
        "deployable": False,
        "reason": "No pacts or verifications have been published for version 404 of Foo",
        "success": 0,
        "failed": 0,
        "unknown": 0,
    }


def test_can_i_deploy_to_a_tag(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar")
    driver.verify("Foo", "1", "Bar", "b1")
    http.put("/pacticipants/Bar/versions/b1/tags/prod", json={})
    answer = http.get("/can-i-deploy?pacticipant=Foo&version=1&to=prod").json()
    assert answer["summary"]["deployable"] is True
    assert answer["summary"]["success"] == 1


def test_can_i_deploy_branch_to_environment(driver: Driver, http: httpx.Client) -> None:
    driver.publish("Foo", "1", "Bar")
    driver.verify("Foo", "1", "Bar", "b1")
    driver.deploy("Bar", "b1")
    answer = http.get(
        "/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/production"
    )
    assert answer.status_code == 200
    assert answer.json()["summary"]["deployable"] is True
    missing = http.get(
        "/pacticipants/Foo/branches/nope/latest-version/can-i-deploy/to-environment/production"
    )
    assert missing.status_code == 404


def test_a_tag_named_like_an_environment_records_a_deployment(
    driver: Driver, http: httpx.Client
) -> None:
    driver.publish("Foo", "1", "Bar")
    driver.verify("Foo", "1", "Bar", "b1")
    http.put("/pacticipants/Bar/versions/b1/tags/production", json={})
    assert driver.can_i_deploy("Foo", "1")["summary"]["deployable"] is True


@pytest.mark.parametrize(
    ("query", "deployable", "rows"),
    [
        (
            "q[][pacticipant]=Foo&q[][version]=2&q[][pacticipant]=Bar&q[][latest]=true"
            "&latestby=cvpv",
            False,
            [("2", "b2", False)],
        ),
        (
            "q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][tag]=prod&latestby=cvpv",
            True,
            [("1", "b1", True)],
        ),
        ("q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&tag=prod", True, [("1", "b1", True)]),
        (
            "q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&mainBranch=true",
            True,
            [("1", "b1", True)],
        ),
        (
            "q[][pacticipant]=Foo&q[][pacticipant]=Bar",
            False,
            [("2", "b2", False), ("1", "b1", True)],
        ),
        ("q[][pacticipant]=Foo&q[][pacticipant]=Bar&success[]=true", True, [("1", "b1", True)]),
        (
            "q[][pacticipant]=Foo&q[][branch]=main&q[][latest]=true&latestby=cvp&latest=true",
            False,
            [("2", "b2", False)],
        ),
        ("q[][pacticipant]=Foo&q[][pacticipant]=Bar&limit=1", False, [("2", "b2", False)]),
    ],
)
def test_matrix_query_forms(
    driver: Driver,
    http: httpx.Client,
    query: str,
    deployable: bool,
    rows: list[tuple[str, str, bool]],
) -> None:
    driver.publish("Foo", "1", "Bar")
    driver.verify("Foo", "1", "Bar", "b1")
    driver.publish("Foo", "2", "Bar", rev=2)
    driver.verify("Foo", "2", "Bar", "b2", success=False)
    http.put("/pacticipants/Bar/versions/b1/tags/prod", json={})
    answer = http.get(f"/matrix?{query}").json()
    assert answer["summary"]["deployable"] is deployable
    assert [
        (
            m["consumer"]["version"]["number"],
            m["provider"]["version"]["number"],
            m["verificationResult"]["success"],
        )
        for m in answer["matrix"]
    ] == rows
