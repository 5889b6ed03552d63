"""Parsed Data Action definitions: frozen data, no behaviour beyond naming things."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypedDict

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = [
    "ActionDefinition",
    "DefinitionShape",
    "RawDefinition",
    "RequestConfig",
    "ResponseConfig",
    "join_path",
    "prefix_path",
]

DefinitionShape = Literal["export", "api"]

# Keys that read unambiguously after a dot; anything else goes in brackets. Hyphens are kept
# dotted because header names (`Content-Type`) are the commonest keys in these paths.
_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")


def join_path(base: str, *parts: str | int) -> str:
    """Append keys and indexes to a JSON path, quoting keys that need it.

    ``base`` is taken as already formatted; each further part is one key or index.

    >>> join_path("config.request.headers", "Content-Type")
    'config.request.headers.Content-Type'
    >>> join_path("config.response.translationMap", "first name")
    "config.response.translationMap['first name']"
    >>> join_path("", 2, "config")
    '[2].config'
    """
    path = base
    for part in parts:
        if isinstance(part, int):
            path = f"{path}[{part}]"
        elif _PLAIN_KEY.match(part):
            path = f"{path}.{part}" if path else part
        else:
            quoted = part.replace("\\", "\\\\").replace("'", "\\'")
            path = f"{path}['{quoted}']"
    return path


def prefix_path(location: str, path: str) -> str:
    """Put a definition's location in its file (``[2]``, ``entities[0]``) before ``path``."""
    if not location or not path:
        return path or location
    return f"{location}{path}" if path.startswith("[") else f"{location}.{path}"


class RawDefinition(TypedDict, total=False):
    """A definition as it stands in a file (export or Platform API shape)."""

    id: str
    name: str
    integrationType: str | None
    actionType: str
    category: str
    integrationId: str
    version: int
    secure: bool
    config: dict[str, Any]
    contract: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RequestConfig:
    """``config.request``: how Genesys builds the backend request.

    Attributes:
        url_template: ``requestUrlTemplate`` (Velocity).
        method: ``requestType``, upper case.
        headers: header name to Velocity template, in file order.
        request_template: ``requestTemplate`` (Velocity); ``${input.rawRequest}`` when absent.
        request_template_given: whether the file had a ``requestTemplate``.
        request_template_uri: ``requestTemplateUri``, which the Platform API may return instead
            of the template body; ``None`` when absent.
    """

    url_template: str
    method: str
    headers: Mapping[str, str]
    request_template: str
    request_template_given: bool = True
    request_template_uri: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseConfig:
    """``config.response``: how Genesys turns the backend response into the output.

    Attributes:
        translation_map: variable name to JSONPath, in file order.
        translation_map_defaults: variable name to the default JSON text.
        success_template: the Velocity template of the output; ``${rawResult}`` when absent.
        success_template_given: whether the file had a ``successTemplate``.
        success_template_uri: ``successTemplateUri``, which the Platform API may return instead
            of the template body; ``None`` when absent.
    """

    translation_map: Mapping[str, str]
    translation_map_defaults: Mapping[str, str]
    success_template: str
    success_template_given: bool = True
    success_template_uri: str | None = None


@dataclass(frozen=True, slots=True)
class ActionDefinition:
    """One Data Action definition, whichever shape it was read from.

    Attributes:
        name: the action's display name.
        shape: ``export`` (UI export) or ``api`` (Platform API object).
        integration_type: e.g. ``custom-rest-actions``; ``None`` when unknown.
        action_type: ``custom``, ``customAuth`` or ``static``.
        category, integration_id, version, id: Platform API fields, when present.
        secure: whether the action is marked as handling sensitive data.
        timeout_seconds: ``config.timeoutSeconds`` when present.
        request, response: the parsed ``config``.
        input_schema, output_schema: the contract's JSON Schemas (``None`` when absent).
        source: the file the definition came from. location: its JSON path inside the file
            (``""`` for a whole file, ``[2]`` in an array, ``entities[0]`` in an API page).
        raw: the definition's JSON as read. content_hash: SHA-256 of its canonical JSON.
        warnings: what was tolerated (placeholders, missing fields), for a person to read.
        unsupported: reasons why it cannot be simulated; empty when it can.
    """

    name: str
    shape: DefinitionShape
    integration_type: str | None
    action_type: str
    request: RequestConfig
    response: ResponseConfig
    input_schema: Mapping[str, Any] | None
    output_schema: Mapping[str, Any] | None
    raw: Mapping[str, Any]
    content_hash: str
    source: Path | None = None
    location: str = ""
    category: str | None = None
    integration_id: str | None = None
    id: str | None = None
    version: int | None = None
    secure: bool = False
    timeout_seconds: int | None = None
    warnings: tuple[str, ...] = field(default=())
    unsupported: tuple[str, ...] = field(default=())

    @property
    def simulatable(self) -> bool:
        """Whether the emulator can run this definition."""
        return not self.unsupported

    def field_path(self, path: str, *keys: str | int) -> str:
        """The JSON path of a field inside the source file, for error messages.

        Args:
            path: the field's path inside the definition, already formatted, e.g.
                ``config.request.requestUrlTemplate`` (``""`` for the definition itself).
            keys: further keys or indexes, quoted as needed, e.g. a translation-map key.

        With ``location`` ``[2]``, ``field_path("config.response.translationMap", "a b")`` is
        ``[2].config.response.translationMap['a b']``.
        """
        return prefix_path(self.location, join_path(path, *keys))
