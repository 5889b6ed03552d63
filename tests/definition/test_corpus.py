"""All 150 public definitions in the shared corpus load; the unsimulatable ones say why."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from actionpact.definition import ActionDefinition, load_definition, load_definitions

CORPUS_FILES = 150

# The reasons, without the quoted placeholder: "<JSON path> is a placeholder".
UNSUPPORTED = {
    "config.request.requestUrlTemplate is a placeholder": 3,
    "config.request.requestUrlTemplate is a Terraform reference": 3,
    "config.request.headers.X-API-Key is a Terraform reference": 1,
    "contract.input.inputSchema is a Terraform reference": 1,
    "contract.output.successSchema is a Terraform reference": 1,
}
UNSIMULATABLE_FILES = {
    "GenesysCloudBlueprints__cx-as-code-cicd-gitactions-blueprint__tf-LookupQueueName.json",
    "GenesysCloudBlueprints__limitless-flows-blueprint__"
    "Limitless-Send-Email-Reply-v1-20210722145321.json",
    "GenesysCloudBlueprints__scheduling-bot-blueprint__CreateBookingDataAction.json",
    "GenesysCloudBlueprints__scheduling-bot-blueprint__GetBookableSlotsDataAction.json",
    "GenesysCloudBlueprints__scheduling-bot-blueprint__tf-create-booking.json",
    "GenesysCloudDevOps__data-action-lambda-module__tf-LambdaDataAction.json",
}
WARNINGS = {
    "category is a placeholder": 2,
    "integrationId is a placeholder": 2,
    "config.request.requestTemplate contains a placeholder": 1,
    "contract.input.inputSchema.properties.fromAddress_email.default is a Terraform reference": 1,
    "contract.input.inputSchema.properties.replyToAddress_email.default is a Terraform "
    "reference": 1,
}


def _kind(reason: str) -> str:
    return re.sub(r" \('.*'\)$", "", reason)


@pytest.fixture(scope="module")
def corpus() -> list[ActionDefinition]:
    path = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
    assert path.is_dir(), f"the shared corpus is missing at {path}"
    return load_definitions(path)


def test_every_corpus_file_loads(corpus: list[ActionDefinition]) -> None:
    assert len(corpus) == CORPUS_FILES
    assert len({d.source for d in corpus}) == CORPUS_FILES
    assert all(d.location == "" for d in corpus)


def test_corpus_simulatable_count_and_reasons(corpus: list[ActionDefinition]) -> None:
    unsimulatable = [d for d in corpus if not d.simulatable]

    assert len(corpus) - len(unsimulatable) == 144
    assert {d.source.name for d in unsimulatable if d.source} == UNSIMULATABLE_FILES
    reasons = Counter(_kind(reason) for d in corpus for reason in d.unsupported)
    assert reasons == UNSUPPORTED


def test_corpus_warnings(corpus: list[ActionDefinition]) -> None:
    warnings = Counter(_kind(warning) for d in corpus for warning in d.warnings)

    assert warnings == WARNINGS


def test_corpus_shapes_and_types(corpus: list[ActionDefinition]) -> None:
    assert Counter(d.shape for d in corpus) == {"export": 148, "api": 2}
    assert Counter(d.action_type for d in corpus) == {"custom": 145, "customAuth": 3, "static": 2}
    assert Counter(d.request.method for d in corpus) == {
        "GET": 66,
        "POST": 63,
        "PUT": 14,
        "PATCH": 7,
    }
    assert sum(d.timeout_seconds is not None for d in corpus) == 1
    assert sum(d.secure for d in corpus) == 2
    assert sum(not d.request.request_template_given for d in corpus) == 1


def test_corpus_content_hashes_are_distinct(corpus: list[ActionDefinition]) -> None:
    assert len({d.content_hash for d in corpus}) == CORPUS_FILES


def test_named_odd_files(corpus: list[ActionDefinition]) -> None:
    by_file = {d.source.name: d for d in corpus if d.source}

    lambda_tf = by_file["GenesysCloudDevOps__data-action-lambda-module__tf-LambdaDataAction.json"]
    assert (lambda_tf.input_schema, lambda_tf.output_schema) == (None, None)
    assert lambda_tf.request.request_template == "${input.rawRequest}"

    auth = by_file[
        "MyPureCloud__terraform-provider-genesyscloud__tf-example-custom-auth-action.json"
    ]
    assert auth.action_type == "customAuth"
    assert auth.simulatable
    assert auth.warnings == ()

    no_defaults = by_file[
        "AgnesCorpuz__public-api-get-conversationEnd-data-action-module__Get-Conversation-End.json"
    ]
    assert no_defaults.response.translation_map_defaults == {}
    assert no_defaults.simulatable


def test_load_definition_reads_one_corpus_file(corpus: list[ActionDefinition]) -> None:
    first = corpus[0]
    assert first.source is not None

    assert load_definition(first.source) == first
