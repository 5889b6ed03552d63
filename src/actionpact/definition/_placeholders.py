"""Spotting values that an author (or a Terraform conversion) left to be filled in.

Public blueprints ship definitions with placeholders such as ``your-lambda-function-arn``,
``[YOUR SMTP SERVER]`` or ``"integrationId": "<integrationId>"``, and the corpus renders
Terraform references (``var.x``) as ``<<tf:var.x>>``. Such a definition still loads; whether it
can be simulated depends on where the placeholder sits, which the parser decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from actionpact.definition._model import join_path

__all__ = ["Placeholder", "find_placeholder", "iter_schema_markers"]

# How the corpus conversion renders a Terraform reference (`var.x`, `module.y.z`).
_TF_MARKER = re.compile(r"<<tf:[^<>]*>>")

# Distinctive anywhere: nobody writes `[YOUR ...]` or `YOUR_API_KEY` on purpose. The
# upper-case forms stay case-sensitive: `replace_participant` is a real name.
_ALWAYS = re.compile(
    r"(?i:\[\s*your\b[^\]]*\])"  # [YOUR SMTP SERVER], [your api key]
    r"|\b(?:YOUR|INSERT|REPLACE)_[A-Z0-9_]*[A-Z0-9]\b"  # YOUR_API_KEY, INSERT_TOKEN_HERE
)

# Placeholders that only mean "placeholder" where no real text would look like them: anywhere
# in a URL or an identifier, but only as the whole value inside a free-text template.
_LOOSE = re.compile(
    r"<[A-Za-z][A-Za-z0-9 _.-]*>"  # <integrationId>, <your host>
    r"|\byour[-_][A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*"  # your-lambda-function-arn, your_domain
    r"|\{\{[^{}]*\}\}"  # {{baseUrl}} (Postman style)
    r"|\b(?:replace|change)[-_ ]?me\b",
    re.IGNORECASE,
)

# JSON Schema keywords whose value maps names to subschemas.
_NAME_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependencies"})

# JSON Schema keywords that only annotate: a placeholder there does not change what validates.
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$comment"})


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A placeholder found in a string.

    Attributes:
        text: the placeholder as it stands in the value.
        kind: ``terraform`` for a ``<<tf:...>>`` marker, ``placeholder`` otherwise.
        whole: whether the placeholder is the entire value.
    """

    text: str
    kind: Literal["terraform", "placeholder"]
    whole: bool

    def describe(self, path: str) -> str:
        """A sentence naming ``path``, e.g. ``x is a placeholder ('your-arn')``."""
        verb = "is" if self.whole else "contains"
        noun = "a Terraform reference" if self.kind == "terraform" else "a placeholder"
        return f"{path} {verb} {noun} ({self.text!r})"


def find_placeholder(value: str, *, loose: bool = False) -> Placeholder | None:
    """The first placeholder in ``value``, or ``None``.

    Args:
        value: the string to look at.
        loose: also match the looser forms (``<name>``, ``your-x``, ``{{x}}``) anywhere,
            as suits URLs and identifiers; otherwise they count only as the whole value.
    """
    # Cheap pre-checks: the corpus has ~2,000 strings and almost none hold a placeholder.
    if "<" not in value and "[" not in value and "{{" not in value and not _has_word(value):
        return None
    stripped = value.strip()
    found = _TF_MARKER.search(value)
    if found:
        return Placeholder(found.group(), "terraform", found.group() == stripped)
    found = _ALWAYS.search(value)
    if found:
        return Placeholder(found.group(), "placeholder", found.group() == stripped)
    found = _LOOSE.search(value)
    if found and (loose or found.group() == stripped):
        return Placeholder(found.group(), "placeholder", found.group() == stripped)
    return None


def _has_word(value: str) -> bool:
    lowered = value.lower()
    return "your" in lowered or "_" in value or "me" in lowered


def iter_schema_markers(schema: Any, path: str) -> list[tuple[str, Placeholder, bool]]:
    """Every Terraform marker inside a JSON Schema, with its path and whether it only annotates.

    Returns:
        ``(path, placeholder, annotation)`` triples; ``annotation`` is true when the marker sits
        under ``title``/``description``/``default``/``examples``, where it cannot change what
        the schema accepts.
    """
    found: list[tuple[str, Placeholder, bool]] = []
    _walk(schema, path, annotation=False, names=False, out=found)
    return found


def _walk(
    value: Any,
    path: str,
    *,
    annotation: bool,
    names: bool,
    out: list[tuple[str, Placeholder, bool]],
) -> None:
    if isinstance(value, str):
        marker = _TF_MARKER.search(value)
        if marker:
            whole = marker.group() == value.strip()
            out.append((path, Placeholder(marker.group(), "terraform", whole), annotation))
    elif isinstance(value, dict):
        for key, item in value.items():
            # Under `properties` the keys are property names (a property may well be called
            # "description"), so they are not keywords themselves.
            keyword = not names and not annotation
            _walk(
                item,
                join_path(path, str(key)),
                annotation=annotation or (keyword and key in _ANNOTATIONS),
                names=keyword and key in _NAME_MAPS,
                out=out,
            )
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, join_path(path, index), annotation=annotation, names=False, out=out)
