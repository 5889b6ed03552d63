"""What real files contain loads: odd encodings, missing parts, placeholders, Terraform markers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from actionpact.definition import ActionDefinition, load_definition, parse_definitions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "definitions"


def _one(raw: Any) -> ActionDefinition:
    (definition,) = parse_definitions(raw)
    return definition


def _set(raw: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    holder = raw
    for key in parents:
        holder = holder[key]
    holder[last] = value
    return raw


# --------------------------------------------------------------------------- files


def test_crlf_file_with_crlf_in_strings_and_no_defaults() -> None:
    definition = load_definition(FIXTURES / "crlf.json")

    assert definition.request.request_template == '{\r\n  "orderId": "${input.orderId}"\r\n}'
    assert definition.response.success_template == '{\r\n  "status": ${status}\r\n}'
    assert definition.request.method == "POST"
    assert definition.response.translation_map_defaults == {}
    assert definition.simulatable
    assert definition.warnings == ()


def test_utf8_byte_order_mark_is_accepted() -> None:
    assert load_definition(FIXTURES / "bom.json").name == "With BOM"


# --------------------------------------------------------------------------- missing parts


def test_custom_auth_without_contract_is_simulatable() -> None:
    definition = load_definition(FIXTURES / "custom-auth-no-contract.json")

    assert definition.action_type == "customAuth"
    assert definition.input_schema is None
    assert definition.output_schema is None
    assert definition.simulatable
    assert definition.warnings == ()


def test_custom_auth_with_null_schemas_is_quiet(make_export: Any) -> None:
    raw = make_export(actionType="customAuth")
    raw["contract"] = {"input": {"inputSchema": None}, "output": {"successSchema": None}}

    definition = _one(raw)

    assert (definition.input_schema, definition.output_schema) == (None, None)
    assert definition.warnings == ()


def test_custom_action_without_contract_warns(make_export: Any) -> None:
    raw = make_export()
    del raw["contract"]

    definition = _one(raw)

    assert definition.simulatable
    assert definition.warnings == ("contract is missing: inputs and outputs will not be validated",)


def test_api_object_without_contract_hints_at_expand(make_api: Any) -> None:
    raw = make_api()
    del raw["contract"]

    (warning,) = _one(raw).warnings

    assert "expand=contract" in warning


def test_custom_action_with_null_schema_warns(make_export: Any) -> None:
    raw = _set(make_export(), "contract.output.successSchema", None)

    definition = _one(raw)

    assert definition.output_schema is None
    assert definition.warnings == (
        "contract.output.successSchema is missing: outputs will not be validated",
    )


def test_missing_templates_take_the_genesys_defaults(make_export: Any) -> None:
    raw = make_export()
    del raw["config"]["request"]["requestTemplate"]
    del raw["config"]["response"]["successTemplate"]
    del raw["config"]["response"]["translationMap"]
    del raw["config"]["response"]["translationMapDefaults"]
    raw["config"]["request"]["headers"] = None

    definition = _one(raw)

    assert definition.request.request_template == "${input.rawRequest}"
    assert not definition.request.request_template_given
    assert definition.response.success_template == "${rawResult}"
    assert not definition.response.success_template_given
    assert definition.response.translation_map == {}
    assert definition.request.headers == {}
    assert definition.simulatable
    assert definition.warnings == ()


def test_missing_secure_and_null_optionals(make_export: Any) -> None:
    raw = make_export(secure=None, integrationType=None)
    del raw["actionType"]

    definition = _one(raw)

    assert definition.secure is False
    assert definition.integration_type is None
    assert definition.action_type == "custom"
    assert definition.shape == "export"


def test_secure_flag_is_kept(make_export: Any) -> None:
    assert _one(make_export(secure=True)).secure is True


def test_output_schema_without_properties(make_export: Any) -> None:
    raw = _set(make_export(), "contract.output.successSchema", {"type": "object"})
    raw["config"]["response"] = {"translationMap": {}, "successTemplate": "${rawResult}"}

    definition = _one(raw)

    assert definition.output_schema == {"type": "object"}
    assert definition.simulatable
    assert definition.warnings == ()


# --------------------------------------------------------------------------- action types


def test_static_action(make_export: Any) -> None:
    definition = _one(make_export(actionType="static"))

    assert definition.action_type == "static"
    assert definition.simulatable
    assert definition.warnings == ()


def test_unknown_action_type_warns(make_export: Any) -> None:
    definition = _one(make_export(actionType="function"))

    assert definition.action_type == "function"
    assert definition.simulatable
    (warning,) = definition.warnings
    assert warning.startswith("actionType 'function' is not one Genesys exports")


def test_timeout_on_custom_auth_warns(make_export: Any) -> None:
    raw = make_export(actionType="customAuth")
    raw["config"]["timeoutSeconds"] = 10

    definition = _one(raw)

    assert definition.timeout_seconds == 10
    assert definition.warnings == (
        "config.timeoutSeconds is set, but Genesys does not allow a timeout on custom-auth actions",
    )


# --------------------------------------------------------------------------- placeholders


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "your-lambda-function-arn",
            "config.request.requestUrlTemplate is a placeholder ('your-lambda-function-arn')",
        ),
        (
            "[YOUR SMTP SERVER]",
            "config.request.requestUrlTemplate is a placeholder ('[YOUR SMTP SERVER]')",
        ),
        (
            "https://<tenant>.example.com/api/x",
            "config.request.requestUrlTemplate contains a placeholder ('<tenant>')",
        ),
        (
            "{{baseUrl}}/customers/${input.id}",
            "config.request.requestUrlTemplate contains a placeholder ('{{baseUrl}}')",
        ),
        (
            "https://your-domain.example.com/api",
            "config.request.requestUrlTemplate contains a placeholder ('your-domain')",
        ),
        (
            "<<tf:var.lambda_arn>>",
            "config.request.requestUrlTemplate is a Terraform reference ('<<tf:var.lambda_arn>>')",
        ),
    ],
)
def test_placeholder_url_is_not_simulatable(make_export: Any, url: str, reason: str) -> None:
    definition = _one(_set(make_export(), "config.request.requestUrlTemplate", url))

    assert not definition.simulatable
    assert definition.unsupported == (reason,)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/users/${input.userId}/presences/purecloud",
        "${credentials.loginUrl}",
        "${input.webhookUrl}",
        "https://crm.example.com/api/v1/customers/search?phone=$esc.url(${input.phone})",
        "/api/v2/users/${input.Key.replace(' ','%20')}",
    ],
)
def test_real_urls_are_not_placeholders(make_export: Any, url: str) -> None:
    definition = _one(_set(make_export(), "config.request.requestUrlTemplate", url))

    assert definition.simulatable
    assert definition.warnings == ()


def test_placeholder_category_and_integration_id_only_warn(make_api: Any) -> None:
    definition = _one(make_api(category="<integrationName>", integrationId="<integrationId>"))

    assert definition.simulatable
    assert definition.warnings == (
        "category is a placeholder ('<integrationName>')",
        "integrationId is a placeholder ('<integrationId>')",
    )


def test_placeholder_inside_a_body_only_warns(make_export: Any) -> None:
    raw = make_export()
    raw["config"]["request"]["requestTemplate"] = '{"APIKey": "[YOUR API KEY]"}'

    definition = _one(raw)

    assert definition.simulatable
    assert definition.warnings == (
        "config.request.requestTemplate contains a placeholder ('[YOUR API KEY]')",
    )


def test_placeholder_warning_quotes_only_the_placeholder(make_export: Any) -> None:
    raw = make_export()
    raw["config"]["request"]["headers"] = {
        "Authorization": "Bearer YOUR_API_TOKEN",
        "X-Key": "s3cr3t-123-abc",
    }

    definition = _one(raw)

    assert definition.warnings == (
        "config.request.headers.Authorization contains a placeholder ('YOUR_API_TOKEN')",
    )
    assert "s3cr3t" not in " ".join(definition.warnings)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("config.request.headers.X-API-Key", "<<tf:var.api_key>>"),
        ("config.request.requestTemplate", '{"key": "<<tf:var.api_key>>"}'),
        ("config.response.successTemplate", '{"region": "<<tf:var.region>>"}'),
        ("config.response.translationMap.customerName", "<<tf:var.name_path>>"),
    ],
)
def test_terraform_marker_in_a_template_or_path_is_not_simulatable(
    make_export: Any, path: str, value: str
) -> None:
    definition = _one(_set(make_export(), path, value))

    assert not definition.simulatable
    (reason,) = definition.unsupported
    assert reason.startswith(f"{path} ")
    assert "Terraform reference ('<<tf:var." in reason


def test_terraform_contract_strings_are_not_simulatable(make_export: Any) -> None:
    raw = make_export()
    raw["contract"] = {
        "input": {"inputSchema": "<<tf:var.data_action_input>>"},
        "output": {"successSchema": "<<tf:var.data_action_output>>"},
    }

    definition = _one(raw)

    assert (definition.input_schema, definition.output_schema) == (None, None)
    assert definition.unsupported == (
        "contract.input.inputSchema is a Terraform reference ('<<tf:var.data_action_input>>')",
        "contract.output.successSchema is a Terraform reference ('<<tf:var.data_action_output>>')",
    )


def test_terraform_marker_in_a_schema_keyword_is_not_simulatable(make_export: Any) -> None:
    schema = {
        "type": "object",
        "properties": {"description": {"type": "string", "enum": ["<<tf:var.allowed>>"]}},
    }

    definition = _one(_set(make_export(), "contract.input.inputSchema", schema))

    assert definition.unsupported == (
        "contract.input.inputSchema.properties.description.enum[0] is a Terraform reference "
        "('<<tf:var.allowed>>')",
    )


def test_terraform_marker_in_a_schema_annotation_only_warns(make_export: Any) -> None:
    schema = {
        "type": "object",
        "properties": {"from": {"type": "string", "default": "<<tf:var.sender>>"}},
    }

    definition = _one(_set(make_export(), "contract.input.inputSchema", schema))

    assert definition.simulatable
    assert definition.warnings == (
        "contract.input.inputSchema.properties.from.default is a Terraform reference "
        "('<<tf:var.sender>>')",
    )


def test_schema_given_as_json_text_is_read(make_export: Any) -> None:
    schema = {"type": "object", "properties": {"customerName": {"type": "string"}}}
    raw = _set(make_export(), "contract.output.successSchema", json.dumps(schema))

    definition = _one(raw)

    assert definition.output_schema == schema
    assert definition.simulatable
    assert definition.warnings == (
        "contract.output.successSchema is a JSON string, not an object; read as JSON",
    )


def test_placeholder_paths_carry_the_location(make_export: Any) -> None:
    bad = _set(make_export(), "config.request.requestUrlTemplate", "your-lambda-function-arn")

    definitions = parse_definitions({"entities": [make_export(), bad]})

    assert definitions[0].simulatable
    assert definitions[1].unsupported == (
        "entities[1].config.request.requestUrlTemplate is a placeholder "
        "('your-lambda-function-arn')",
    )


# --------------------------------------------------------------------------- API template URIs


def test_api_object_with_template_uris_is_not_simulatable() -> None:
    definition = load_definition(FIXTURES / "api-template-uris.json")

    assert definition.shape == "api"
    assert definition.request.request_template_uri is not None
    assert definition.request.request_template_uri.endswith("/requesttemplate.vm")
    assert definition.response.success_template_uri is not None
    assert not definition.request.request_template_given
    assert not definition.simulatable
    assert len(definition.unsupported) == 2
    assert definition.unsupported[0].startswith(
        "config.request.requestTemplate is only given as a URI (requestTemplateUri '/api/v2/"
    )
    assert definition.unsupported[1].startswith(
        "config.response.successTemplate is only given as a URI (successTemplateUri"
    )


def test_template_next_to_its_uri_is_used(make_api: Any) -> None:
    raw = make_api()
    raw["config"]["request"]["requestTemplateUri"] = "/templates/requesttemplate.vm"

    definition = _one(raw)

    assert definition.simulatable
    assert definition.request.request_template == "${input.rawRequest}"


# --------------------------------------------------------------------------- likely typos


def test_unknown_config_key_warns(make_export: Any) -> None:
    raw = make_export()
    defaults = raw["config"]["response"].pop("translationMapDefaults")
    raw["config"]["response"]["translationMapDefault"] = defaults

    definition = _one(raw)

    assert definition.warnings == (
        "config.response.translationMapDefault is not a known field; ignored",
    )


def test_default_without_a_translation_map_entry_warns(make_export: Any) -> None:
    raw = make_export()
    raw["config"]["response"]["translationMapDefaults"]["customerTier"] = '"bronze"'

    definition = _one(raw)

    assert definition.simulatable
    assert definition.warnings == (
        "config.response.translationMapDefaults.customerTier has no translationMap entry, "
        "so it is never used",
    )
