"""One definition object (export or Platform API shape) to an :class:`ActionDefinition`.

Only structure and types are checked here; templates and JSONPaths are parsed later by the
``genesys`` stage. What real files contain but Genesys would not run as-is (placeholders,
Terraform markers, template URIs) is recorded as warnings or reasons it cannot be simulated.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, NoReturn

from actionpact.core import DefinitionError, content_hash
from actionpact.definition._model import (
    ActionDefinition,
    DefinitionShape,
    RequestConfig,
    ResponseConfig,
    join_path,
    prefix_path,
)
from actionpact.definition._placeholders import find_placeholder, iter_schema_markers

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["parse_definition"]

METHODS = ("GET", "PUT", "POST", "PATCH", "DELETE")
ACTION_TYPES = ("custom", "customAuth", "static")
RAW_REQUEST = "${input.rawRequest}"
RAW_RESULT = "${rawResult}"

_REQUEST_KEYS = frozenset(
    {"requestUrlTemplate", "requestType", "headers", "requestTemplate", "requestTemplateUri"}
)
_RESPONSE_KEYS = frozenset(
    {"translationMap", "translationMapDefaults", "successTemplate", "successTemplateUri"}
)
# Keys only the Platform API shape has; the export carries `integrationType`/`actionType`.
_API_KEYS = ("category", "integrationId", "version", "selfUri")


def describe_type(value: Any) -> str:
    """``a string``, ``a number``, ``null``... as a JSON person would say it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


class _Reader:
    """Reads one definition, collecting warnings and raising with file and JSON path."""

    def __init__(self, raw: dict[str, Any], source: Path | None, location: str) -> None:
        self.raw = raw
        self.source = source
        self.location = location
        self.warnings: list[str] = []
        self.unsupported: list[str] = []

    def where(self, path: str) -> str:
        return prefix_path(self.location, path)

    def fail(self, path: str, reason: str) -> NoReturn:
        raise DefinitionError(reason, file=self.source, path=self.where(path))

    # -- typed getters: `None` (JSON null) counts as absent for optional fields

    def obj(self, parent: dict[str, Any], key: str, path: str, *, required: bool) -> dict[str, Any]:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(path, "required field is missing")
            return {}
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {describe_type(value)}")
        return value

    def text(self, parent: dict[str, Any], key: str, path: str) -> str | None:
        value = parent.get(key)
        if value is not None and not isinstance(value, str):
            self.fail(path, f"must be a string, not {describe_type(value)}")
        return value

    def required_text(self, parent: dict[str, Any], key: str, path: str) -> str:
        value = self.text(parent, key, path)
        if value is None:
            self.fail(path, "required field is missing")
        if not value.strip():
            self.fail(path, "must not be empty")
        return value

    def string_map(self, parent: dict[str, Any], key: str, path: str, what: str) -> dict[str, str]:
        mapping = self.obj(parent, key, path, required=False)
        for name, value in mapping.items():
            if not isinstance(value, str):
                self.fail(join_path(path, name), f"must be {what}, not {describe_type(value)}")
        return mapping

    def check_placeholder(self, value: str | None, path: str, *, blocking: bool) -> None:
        """Record a placeholder in ``value``; ``blocking`` for fields the emulator needs."""
        if value is None:
            return
        found = find_placeholder(value, loose=blocking)
        if found is None:
            return
        message = found.describe(self.where(path))
        # A Terraform marker hides a whole expression, so no template or path holding one can
        # be run; other placeholders inside a body are just odd data.
        if blocking or found.kind == "terraform":
            self.unsupported.append(message)
        else:
            self.warnings.append(message)


def parse_definition(
    raw: Any, *, source: Path | None = None, location: str = ""
) -> ActionDefinition:
    """Check one definition object and build its :class:`ActionDefinition`.

    Args:
        raw: the parsed JSON of one definition, export or Platform API shape.
        source: the file it came from, for messages.
        location: its JSON path inside that file (``""``, ``[2]``, ``entities[0]``).

    Raises:
        DefinitionError: a field is missing or has the wrong type; names file and JSON path.
    """
    if not isinstance(raw, dict):
        raise DefinitionError(
            f"a Data Action definition must be an object, not {describe_type(raw)}",
            file=source,
            path=location or None,
        )
    r = _Reader(raw, source, location)
    shape: DefinitionShape = (
        "api"
        if "integrationType" not in raw
        and "actionType" not in raw
        and any(key in raw for key in _API_KEYS)
        else "export"
    )

    name = r.required_text(raw, "name", "name")
    integration_type = r.text(raw, "integrationType", "integrationType")
    category = r.text(raw, "category", "category")
    integration_id = r.text(raw, "integrationId", "integrationId")
    action_id = r.text(raw, "id", "id")
    r.text(raw, "selfUri", "selfUri")
    # Labels only: Genesys fills them in on import, so a placeholder here does not matter to
    # the emulation.
    for key, value in (("name", name), ("category", category), ("integrationId", integration_id)):
        found = find_placeholder(value, loose=key != "name") if value is not None else None
        if found is not None:
            r.warnings.append(found.describe(r.where(key)))

    action_type = _action_type(r, action_id)
    version = _integer(r, raw.get("version"), "version")
    secure = raw.get("secure", False)
    if secure is None:
        secure = False
    if not isinstance(secure, bool):
        r.fail("secure", f"must be true or false, not {describe_type(secure)}")

    if raw.get("config") is None and shape == "api":
        # The Platform API leaves the config out of action lists unless asked for it.
        r.fail(
            "config",
            "required field is missing (the Platform API returns it with includeConfig=true)",
        )
    config = r.obj(raw, "config", "config", required=True)
    timeout = _integer(r, config.get("timeoutSeconds"), "config.timeoutSeconds")
    if timeout is not None and not 1 <= timeout <= 60:
        r.fail("config.timeoutSeconds", f"must be from 1 to 60 seconds, not {timeout}")
    if timeout is not None and action_type == "customAuth":
        r.warnings.append(
            f"{r.where('config.timeoutSeconds')} is set, but Genesys does not allow a timeout "
            "on custom-auth actions"
        )
    request = _request(r, config)
    response = _response(r, config)
    input_schema, output_schema = _contract(r, raw, action_type, shape)

    try:
        digest = content_hash(raw)
    except (TypeError, ValueError) as exc:
        r.fail("", f"is not plain JSON data ({exc})")
    return ActionDefinition(
        name=name,
        shape=shape,
        integration_type=integration_type,
        action_type=action_type,
        request=request,
        response=response,
        input_schema=input_schema,
        output_schema=output_schema,
        raw=raw,
        content_hash=digest,
        source=source,
        location=location,
        category=category,
        integration_id=integration_id,
        id=action_id,
        version=version,
        secure=secure,
        timeout_seconds=timeout,
        warnings=tuple(r.warnings),
        unsupported=tuple(r.unsupported),
    )


def _action_type(r: _Reader, action_id: str | None) -> str:
    action_type = r.text(r.raw, "actionType", "actionType")
    if action_type is None:
        # The API object has no actionType; built-in actions have ids starting with "static".
        return "static" if action_id and action_id.startswith("static") else "custom"
    if action_type not in ACTION_TYPES:
        r.warnings.append(
            f"{r.where('actionType')} {action_type!r} is not one Genesys exports "
            f"({', '.join(ACTION_TYPES)}); read as a custom action"
        )
    return action_type


def _integer(r: _Reader, value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        r.fail(path, f"must be an integer, not {describe_type(value)}")
    return value


def _request(r: _Reader, config: dict[str, Any]) -> RequestConfig:
    req = r.obj(config, "request", "config.request", required=True)
    base = "config.request"
    url = r.required_text(req, "requestUrlTemplate", f"{base}.requestUrlTemplate")
    method = r.required_text(req, "requestType", f"{base}.requestType")
    if method.upper() not in METHODS:
        r.fail(f"{base}.requestType", f"must be one of {', '.join(METHODS)}, not {method!r}")
    headers = r.string_map(req, "headers", f"{base}.headers", "a string (a template)")
    template = r.text(req, "requestTemplate", f"{base}.requestTemplate")
    template_uri = r.text(req, "requestTemplateUri", f"{base}.requestTemplateUri")
    if template is None and template_uri is not None:
        r.unsupported.append(
            f"{r.where(f'{base}.requestTemplate')} is only given as a URI "
            f"(requestTemplateUri {template_uri!r}); put the template's text in the file"
        )
    _unknown_keys(r, req, _REQUEST_KEYS, base)

    r.check_placeholder(url, f"{base}.requestUrlTemplate", blocking=True)
    for name, value in headers.items():
        r.check_placeholder(value, join_path(f"{base}.headers", name), blocking=False)
    r.check_placeholder(template, f"{base}.requestTemplate", blocking=False)
    return RequestConfig(
        url_template=url,
        method=method.upper(),
        headers=headers,
        request_template=RAW_REQUEST if template is None else template,
        request_template_given=template is not None,
        request_template_uri=template_uri,
    )


def _response(r: _Reader, config: dict[str, Any]) -> ResponseConfig:
    base = "config.response"
    resp = r.obj(config, "response", base, required=True)
    tmap = r.string_map(resp, "translationMap", f"{base}.translationMap", "a string (a JSONPath)")
    defaults = r.string_map(
        resp,
        "translationMapDefaults",
        f"{base}.translationMapDefaults",
        'a string holding the default as JSON text (e.g. "0" or "\\"\\"")',
    )
    template = r.text(resp, "successTemplate", f"{base}.successTemplate")
    template_uri = r.text(resp, "successTemplateUri", f"{base}.successTemplateUri")
    if template is None and template_uri is not None:
        r.unsupported.append(
            f"{r.where(f'{base}.successTemplate')} is only given as a URI "
            f"(successTemplateUri {template_uri!r}); put the template's text in the file"
        )
    _unknown_keys(r, resp, _RESPONSE_KEYS, base)

    for key in defaults:
        if key not in tmap:
            path = r.where(join_path(f"{base}.translationMapDefaults", key))
            r.warnings.append(f"{path} has no translationMap entry, so it is never used")
    for key, value in tmap.items():
        r.check_placeholder(value, join_path(f"{base}.translationMap", key), blocking=False)
    for key, value in defaults.items():
        r.check_placeholder(value, join_path(f"{base}.translationMapDefaults", key), blocking=False)
    r.check_placeholder(template, f"{base}.successTemplate", blocking=False)
    return ResponseConfig(
        translation_map=tmap,
        translation_map_defaults=defaults,
        success_template=RAW_RESULT if template is None else template,
        success_template_given=template is not None,
        success_template_uri=template_uri,
    )


def _unknown_keys(r: _Reader, obj: dict[str, Any], known: frozenset[str], base: str) -> None:
    for key in obj:
        if key not in known:
            # Most likely a typo (`translationMapDefault`), which would otherwise be dropped.
            r.warnings.append(f"{r.where(join_path(base, key))} is not a known field; ignored")


def _contract(
    r: _Reader, raw: dict[str, Any], action_type: str, shape: DefinitionShape
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    if raw.get("contract") is None:
        if action_type != "customAuth":
            hint = (
                " (the Platform API returns it only with expand=contract)" if shape == "api" else ""
            )
            r.warnings.append(
                f"{r.where('contract')} is missing{hint}: inputs and outputs will not be validated"
            )
        return None, None
    contract = r.obj(raw, "contract", "contract", required=False)
    schemas: list[dict[str, Any] | None] = []
    for side, key in (("input", "inputSchema"), ("output", "successSchema")):
        holder = r.obj(contract, side, f"contract.{side}", required=False)
        schemas.append(_schema(r, holder.get(key), f"contract.{side}.{key}", action_type))
    return schemas[0], schemas[1]


def _schema(r: _Reader, value: Any, path: str, action_type: str) -> dict[str, Any] | None:
    if value is None:
        if action_type != "customAuth":
            side = "inputs" if path.startswith("contract.input") else "outputs"
            r.warnings.append(f"{r.where(path)} is missing: {side} will not be validated")
        return None
    if isinstance(value, str):
        found = find_placeholder(value)
        if found is not None and found.kind == "terraform":
            r.unsupported.append(found.describe(r.where(path)))
            return None
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            r.fail(path, "must be a JSON Schema object, not a string")
        # Terraform's contract_input/contract_output are JSON strings; a hand conversion may
        # keep them that way.
        r.warnings.append(f"{r.where(path)} is a JSON string, not an object; read as JSON")
        value = parsed
    if not isinstance(value, dict):
        r.fail(path, f"must be a JSON Schema object, not {describe_type(value)}")
    # One C-speed scan first: almost no schema holds a marker.
    if "<<tf:" not in json.dumps(value, ensure_ascii=False, default=str):
        return value
    for inner, marker, annotation in iter_schema_markers(value, path):
        message = marker.describe(r.where(inner))
        (r.warnings if annotation else r.unsupported).append(message)
    return value
