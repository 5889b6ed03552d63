"""JSON Schema validation of Data Action inputs and outputs, worded the way Genesys words it.

A contract schema is draft-04 unless its ``$schema`` names another draft. Draft-04 schemas
(nearly all of them) are validated by ``_schema_fge``, which reports what Genesys's Java
validator reports, each message prefixed with the instance location (``/customer/id: ...``,
``/`` for the root). Schemas declaring a later draft go to jsonschema's validator for that
draft, with jsonschema's wording. jsonschema also checks that a schema is itself valid.

Input schemas get Genesys's save-time check as well: a "simple properties schema", an
object of flat properties typed boolean, integer, null, number or string, named
``^[a-zA-Z][a-zA-Z0-9_-]*$`` (reference O8, with its exact message).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from actionpact.core import canonical_json
from actionpact.core.errors import DefinitionError
from actionpact.genesys._schema_fge import FgeValidator, json_text, node_type, pointer

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "SchemaValidator",
    "check_simple_input",
    "check_simple_input_schema",
    "compile_schema",
]

_DRAFTS = {
    "http://json-schema.org/draft-03/schema": "draft3",
    "http://json-schema.org/draft-04/schema": "draft4",
    "http://json-schema.org/draft-06/schema": "draft6",
    "http://json-schema.org/draft-07/schema": "draft7",
    "https://json-schema.org/draft/2019-09/schema": "draft2019-09",
    "https://json-schema.org/draft/2020-12/schema": "draft2020-12",
}
_SIMPLE_TYPES = ["boolean", "integer", "null", "number", "string"]
_SIMPLE_NAME = "^[a-zA-Z][a-zA-Z0-9_-]*$"
# Genesys's meta-schema for input contracts, as far as its messages reveal it (O8): the
# pointer `/properties/properties/patternProperties/<name regex>/properties/type` and the
# enum of simple types are from a recorded message; `additionalProperties: false` is how a
# badly named property would be refused (inference).
_SIMPLE_INPUT_META: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"enum": ["object"]},
        "properties": {
            "type": "object",
            "patternProperties": {
                _SIMPLE_NAME: {
                    "type": "object",
                    "properties": {"type": {"enum": _SIMPLE_TYPES}},
                }
            },
            "additionalProperties": False,
        },
    },
}
_SIMPLE_INPUT_PREFIX = (
    "Failed Validation of contract.input.inputSchema as a simple properties schema. Must be "
    "an Object with properties and no sub-objects. JSON failed schema validation for the "
    "following reasons: "
)


def compile_schema(
    schema: Mapping[str, Any], *, kind: Literal["input", "output"]
) -> SchemaValidator:
    """Compile a contract schema into a validator; cached by content and kind.

    Args:
        schema: the ``inputSchema`` or ``successSchema`` object.
        kind: ``"input"`` also applies Genesys's simple-properties rules for input contracts.

    Returns:
        A validator whose ``errors`` speak Genesys's words.

    Raises:
        DefinitionError: the schema is not a valid JSON Schema of its draft, holds a regex
            Python cannot compile, or (input) breaks Genesys's simple-properties rules. The
            caller adds the file and JSON path.
    """
    if not isinstance(schema, dict):
        schema = dict(schema) if hasattr(schema, "keys") else schema
    if not isinstance(schema, dict):
        raise DefinitionError(f"a JSON Schema must be an object, not {node_type(schema)}")
    try:
        text = canonical_json(schema)
    except (TypeError, ValueError) as error:
        raise DefinitionError(f"the schema is not JSON: {error}") from None
    return _compile(text, kind)


@lru_cache(maxsize=512)
def _compile(text: str, kind: str) -> SchemaValidator:
    schema = json.loads(text)
    draft = _draft(schema)
    _check_schema(schema, draft)
    if kind == "input":
        problems = check_simple_input_schema(schema)
        if problems:
            raise DefinitionError(_SIMPLE_INPUT_PREFIX + "; ".join(problems))
    return SchemaValidator(schema, kind=kind, draft=draft)


def _draft(schema: dict[str, Any]) -> str:
    declared = schema.get("$schema")
    if not isinstance(declared, str):
        return "draft4"
    uri = declared.strip().rstrip("#")
    # Genesys (fge) falls back to draft-04 for a URI it does not know.
    return _DRAFTS.get(uri, _DRAFTS.get(uri.replace("https://", "http://", 1), "draft4"))


def _validator_class(draft: str) -> Any:
    # jsonschema takes ~185 ms to import: only compiling a schema pays for it.
    from jsonschema import validators

    classes = {
        "draft3": validators.Draft3Validator,
        "draft4": validators.Draft4Validator,
        "draft6": validators.Draft6Validator,
        "draft7": validators.Draft7Validator,
        "draft2019-09": validators.Draft201909Validator,
        "draft2020-12": validators.Draft202012Validator,
    }
    return classes[draft]


def _check_schema(schema: dict[str, Any], draft: str) -> None:
    cls = _validator_class(draft)
    error = next(iter(cls(cls.META_SCHEMA).iter_errors(schema)), None)
    if error is not None:
        at = pointer(tuple(error.absolute_path)) or "/"
        raise DefinitionError(f"invalid JSON Schema ({draft}) at {at}: {error.message}")
    for where, regex in _regexes(schema, ()):
        try:
            re.compile(regex)
        except re.error as problem:
            raise DefinitionError(
                f"invalid JSON Schema at {pointer(where) or '/'}: regex {regex!r} does not "
                f"compile ({problem})"
            ) from None


def _regexes(node: Any, where: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    found: list[tuple[tuple[str | int, ...], str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                found.append(((*where, key), value))
            elif key == "patternProperties" and isinstance(value, dict):
                found.extend(((*where, key, r), r) for r in value)
            if key not in ("enum", "default", "examples", "const"):
                found.extend(_regexes(value, (*where, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_regexes(value, (*where, index)))
    return found


class SchemaValidator:
    """Validates instances against one compiled contract schema.

    Attributes:
        schema: the schema (a private copy). kind: ``"input"`` or ``"output"``.
        draft: the draft it is read as (``"draft4"`` unless ``$schema`` says otherwise).
    """

    __slots__ = ("_check", "draft", "kind", "schema")

    _check: Callable[[Any], tuple[str, ...]]

    def __init__(self, schema: dict[str, Any], *, kind: str, draft: str) -> None:
        self.schema = schema
        self.kind = kind
        self.draft = draft
        if draft == "draft4":
            engine = FgeValidator(schema)
            self._check = lambda instance: tuple(
                f"{where or '/'}: {message}" for where, _, message in engine.validate(instance)
            )
        else:
            validator = _validator_class(draft)(schema)
            self._check = lambda instance: tuple(
                f"{pointer(tuple(e.absolute_path)) or '/'}: {e.message}"
                for e in sorted(
                    validator.iter_errors(instance), key=lambda e: [str(p) for p in e.path]
                )
            )

    def __repr__(self) -> str:
        return f"SchemaValidator(kind={self.kind!r}, draft={self.draft!r})"

    def errors(self, instance: Any) -> tuple[str, ...]:
        """The violations of ``instance``, each ``<instance pointer>: <message>``; () if valid."""
        return self._check(instance)

    def is_valid(self, instance: Any) -> bool:
        """Whether ``instance`` satisfies the schema."""
        return not self.errors(instance)


def check_simple_input_schema(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """Genesys's save-time check of an input contract, one reason per violation.

    Each reason reads like Genesys's: ``Schema: # @<schema pointer>. Error location:
    <instance pointer>. <validator message>``.
    """
    report = FgeValidator(_SIMPLE_INPUT_META).validate(dict(schema))
    return tuple(
        f"Schema: # @{spath}. Error location: {where}. {message}"
        for where, spath, message in report
    )


def check_simple_input(instance: Any) -> tuple[str, ...]:
    """Genesys test-mode step 1, "Validate request body contains simple json (key-value pairs)".

    Returns:
        One message per problem (empty when the body is fine): the body must be an object
        whose values are strings, numbers, booleans or null.
    """
    if not isinstance(instance, dict):
        return (
            f"/: instance type ({node_type(instance)}) does not match any allowed primitive "
            'type (allowed: ["object"])',
        )
    return tuple(
        f"{pointer((name,))}: instance type ({node_type(value)}) is not a simple value "
        f"(allowed: {json_text(_SIMPLE_TYPES)})"
        for name, value in instance.items()
        if isinstance(value, dict | list)
    )
