"""Every definition in the shared corpus gets a contract, or a clear and specific reason."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from actionpact.contracts import ProjectConfig, generate

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# file -> (status, failing step, words the reason must contain)
NO_CONTRACT: dict[str, tuple[str, int | None, str]] = {
    # `$${convEnd}`: a Terraform escape left in the JSON; Genesys renders `$"..."`.
    "AgnesCorpuz__public-api-get-conversationEnd-data-action-module__Get-Conversation-End.json": (
        "failed",
        10,
        "not valid JSON",
    ),
    # `$Input.x` / `$INPUT.x`: Velocity is case-sensitive, the input is `$input`.
    "GenesysCloudBlueprints__automated-callback-blueprint__api-Add-contact-to-contact-list.json": (
        "failed",
        5,
        "Variable $Input has not been set",
    ),
    "GenesysCloudBlueprints__negative-sentiment-callback__Update-External-Tag.json": (
        "failed",
        5,
        "Variable $INPUT has not been set",
    ),
    "GenesysCloudBlueprints__process-automation-trigger-with-salesforce__get-summary.json": (
        "failed",
        5,
        "Variable $Input has not been set",
    ),
    "GenesysCloudBlueprints__process-automation-trigger-with-salesforce__tf-get-summary.json": (
        "failed",
        5,
        "Variable $Input has not been set",
    ),
    # Terraform references and author placeholders stand where a URL should be.
    "GenesysCloudBlueprints__cx-as-code-cicd-gitactions-blueprint__tf-LookupQueueName.json": (
        "unsupported",
        None,
        "Terraform reference",
    ),
    "GenesysCloudBlueprints__limitless-flows-blueprint__Limitless-Send-Email-Reply-v1-20210722145321.json": (  # noqa: E501
        "unsupported",
        None,
        "placeholder",
    ),
    "GenesysCloudBlueprints__scheduling-bot-blueprint__CreateBookingDataAction.json": (
        "unsupported",
        None,
        "placeholder",
    ),
    "GenesysCloudBlueprints__scheduling-bot-blueprint__GetBookableSlotsDataAction.json": (
        "unsupported",
        None,
        "placeholder",
    ),
    "GenesysCloudBlueprints__scheduling-bot-blueprint__tf-create-booking.json": (
        "unsupported",
        None,
        "Terraform reference",
    ),
    "GenesysCloudDevOps__data-action-lambda-module__tf-LambdaDataAction.json": (
        "unsupported",
        None,
        "Terraform reference",
    ),
    # `{rawResult}` without `$`: the output is not JSON.
    "GenesysCloudBlueprints__genesys-cloud-call-park__tf-replace-participant-with-ani.json": (
        "failed",
        10,
        "not valid JSON",
    ),
    # `$$.id`: HCL's escape reached the API; Jayway rejects it.
    "GenesysCloudBlueprints__survey-sms-delivery-blueprint__tf-action.json": (
        "invalid",
        None,
        "invalid JSONPath '$$.id'",
    ),
    # Custom-auth actions whose URL is a credential field: no fixed endpoint.
    "GenesysCloudBlueprints__update-zoom-presence-from-inbound-interaction-trigger-blueprint__ZoomServerToServerOAuthUserPresenceUpdates.json": (  # noqa: E501
        "failed",
        5,
        "comes from the integration's credentials",
    ),
    "MyPureCloud__terraform-provider-genesyscloud__tf-example-custom-auth-action.json": (
        "failed",
        5,
        "comes from the integration's credentials",
    ),
    # The output contract requires `status`, the template never produces it.
    "MyPureCloud__terraform-provider-genesyscloud__tf-example-action.json": (
        "failed",
        10,
        "missing required properties",
    ),
}


def test_every_corpus_definition_gets_a_contract_or_a_reason(
    tmp_path: Path, corpus_dir: Path
) -> None:
    out = tmp_path / "pacts"
    result = generate([corpus_dir], out=out, config=ProjectConfig(), strict=False)

    assert len(result.actions) == 150
    contracts = [a for a in result.actions if a.ok]
    assert len(contracts) == 134
    missing = {a.source.name: a for a in result.actions if not a.ok and a.source is not None}
    assert set(missing) == set(NO_CONTRACT)
    for name, (status, step, words) in NO_CONTRACT.items():
        action = missing[name]
        assert action.status == status, (name, action.reason)
        assert action.step == step, (name, action.reason)
        assert words in (action.reason or ""), (name, action.reason)

    # Every action with a contract is in its pair's pact, once.
    written = 0
    for pair in result.pairs:
        assert pair.file is not None
        pact = json.loads(pair.file.read_text())
        written += len(pact["interactions"])
        assert len(pact["interactions"]) == pair.interactions
    assert written == sum(a.interactions for a in contracts) == 134
