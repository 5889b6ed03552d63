"""What to record and check: every example of every action under the given paths.

The examples are the ones contract generation uses (a spec's examples, else the one derived
example with the derived input), named and paired with consumer and provider the same way, so
a recording's request is exactly the request in the pact and the provider that serves the
recordings can be verified against it.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from actionpact.core import UNSET
from actionpact.core.errors import DefinitionError, SpecError, TransformError
from actionpact.drift._store import file_names

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from actionpact.contracts import ActionSpec, Example, ProjectConfig
    from actionpact.definition import ActionDefinition
    from actionpact.genesys import CompiledAction

__all__ = ["Plan", "Target", "plan_targets"]

logger = logging.getLogger("actionpact.drift")

_SPEC_SUFFIX = ".spec.yaml"


@dataclass(frozen=True, slots=True)
class Target:
    """One example of one action: what to send and where its recording goes.

    Attributes:
        action: the compiled action. example: its example (spec or derived).
        input: the input the request is rendered from.
        provider, consumer: the pact's pacticipants for this action.
        name: the recording's file name inside the recordings folder.
        source: the definition file, relative to the current directory when possible.
        credential_env: credential field -> environment variable (``actionpact.yaml``).
        middleware: the spec's compiled JSONata middleware, if any.
    """

    action: CompiledAction
    example: Example
    input: Mapping[str, Any]
    provider: str
    consumer: str
    name: str
    source: str
    credential_env: Mapping[str, str]
    middleware: Any = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The targets, and the actions that cannot be recorded with the reason why."""

    targets: tuple[Target, ...]
    skipped: tuple[str, ...] = ()

    def by_name(self) -> dict[str, Target]:
        """Recording file name -> target."""
        return {t.name: t for t in self.targets}


def _relative(source: Path | None) -> str:
    if source is None:
        return ""
    try:
        return Path(os.path.relpath(source)).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return source.as_posix()


def _definition_paths(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.name.endswith(_SPEC_SUFFIX):
            path = path.with_name(path.name[: -len(_SPEC_SUFFIX)] + ".json")
        if not path.exists():
            raise DefinitionError("no such file or folder", file=path)
        out.append(path)
    return out


def _read(paths: Sequence[Path]) -> list[tuple[ActionDefinition, ActionSpec | None]]:
    from actionpact.contracts import load_spec, spec_path_for
    from actionpact.definition import load_definitions

    seen: set[tuple[str, str]] = set()
    definitions: list[ActionDefinition] = []
    for path in paths:
        for definition in load_definitions(path):
            key = (
                str(definition.source.resolve()) if definition.source else "",
                definition.location,
            )
            if key not in seen:
                seen.add(key)
                definitions.append(definition)
    by_file: dict[Path, list[ActionDefinition]] = defaultdict(list)
    for definition in definitions:
        if definition.source is not None:
            by_file[definition.source].append(definition)
    sections: dict[tuple[Path | None, str], ActionSpec | None] = {}
    for file, group in by_file.items():
        spec_file = spec_path_for(file)
        if spec_file.is_file():
            spec = load_spec(spec_file)
            for definition in group:
                sections[(file, definition.location)] = spec.for_action(
                    definition.name, only=len(group) == 1
                )
    return [(d, sections.get((d.source, d.location))) for d in definitions]


def _middleware(section: ActionSpec | None) -> Any:
    if section is None or section.middleware is None:
        return None
    from actionpact.genesys import compile_jsonata

    try:
        return compile_jsonata(
            section.middleware, source=f"{section.file}:{section.middleware_line}"
        )
    except TransformError as error:
        raise SpecError(
            error.reason, file=section.file, line=section.middleware_line, field="middleware"
        ) from None


def _examples(
    action: CompiledAction, section: ActionSpec | None
) -> list[tuple[Example, dict[str, Any]]]:
    from actionpact.contracts import DERIVED_EXAMPLE, Example, derive_input

    examples = section.examples if section is not None and section.examples else ()
    if not examples:
        examples = (Example(name=DERIVED_EXAMPLE, derived=True),)
    out = []
    for example in examples:
        given = example.input
        out.append((example, dict(given) if given is not UNSET else derive_input(action)))
    return out


def plan_targets(
    paths: Sequence[str | Path] = ("contracts",),
    *,
    config: ProjectConfig | None = None,
    consumer: str | None = None,
) -> Plan:
    """Every example of every action under ``paths``, with its recording's file name.

    Args:
        paths: definition files or folders (a ``*.spec.yaml`` stands for its definition).
        config: project settings (default: ``actionpact.yaml`` if there is one).
        consumer: the consumer name (a spec's own ``consumer`` still wins).

    Returns:
        The targets in definition order; actions that cannot be emulated (placeholders,
        unsupported features) are listed in ``skipped`` with their reason.

    Raises:
        InputFileError: a definition, spec or config cannot be read or is invalid.
    """
    from actionpact.contracts import load_config
    from actionpact.genesys import compile_action

    config = config if config is not None else load_config()
    staged: list[tuple[CompiledAction, Example, dict[str, Any], str, str, Any, str]] = []
    skipped: list[str] = []
    for definition, section in _read(_definition_paths(paths)):
        if definition.unsupported:
            skipped.append(
                f"{definition.name}: not supported: " + "; ".join(definition.unsupported)
            )
            continue
        action = compile_action(definition)
        provider = (section.provider if section else None) or config.provider_for(definition)
        pact_consumer = (section.consumer if section else None) or config.consumer_for(
            definition, consumer
        )
        middleware = _middleware(section)
        for example, input_value in _examples(action, section):
            staged.append(
                (
                    action,
                    example,
                    input_value,
                    provider,
                    pact_consumer,
                    middleware,
                    _relative(definition.source),
                )
            )
    names = file_names([(_key(s[0], staged), s[1].name) for s in staged])
    targets = tuple(
        Target(
            action=action,
            example=example,
            input=MappingProxyType(input_value),
            provider=provider,
            consumer=pact_consumer,
            name=name,
            source=source,
            credential_env=config.credential_env(provider),
            middleware=middleware,
        )
        for (
            action,
            example,
            input_value,
            provider,
            pact_consumer,
            middleware,
            source,
        ), name in zip(staged, names, strict=True)
    )
    for reason in skipped:
        logger.info("cannot record %s", reason)
    return Plan(targets, tuple(skipped))


def _key(action: CompiledAction, staged: Sequence[tuple[Any, ...]]) -> str:
    """The action's name; with its file and place when another action has the same name."""
    same = {id(s[0].definition) for s in staged if s[0].name == action.name}
    if len(same) == 1:
        return action.name
    definition = action.definition
    return f"{action.name} [{_relative(definition.source)}{definition.location}]"
