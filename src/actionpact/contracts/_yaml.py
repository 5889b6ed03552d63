"""YAML with line numbers, and a small reader that names the file, line and field of a mistake.

Specs and ``actionpact.yaml`` are written by people, so every error says where: the file, the
1-based line (from PyYAML's node marks) and the dotted field path. Unknown keys get a
"did you mean" suggestion from :mod:`difflib`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import yaml

from actionpact.core.errors import ConfigError, SpecError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

__all__ = ["Node", "did_you_mean", "load_yaml"]


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with JSON-like scalars.

    YAML 1.1 turns ``NO`` (Norway), ``on`` and ``2024-01-02`` into booleans and dates; a spec's
    inputs and bodies are JSON, so only ``true``/``false`` are booleans and dates stay strings.
    """


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

T = TypeVar("T")

_TYPE_NAMES: dict[type, str] = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    dict: "a mapping",
    list: "a list",
    type(None): "null",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value with where it stands: the file, its line and its dotted field path.

    Attributes:
        value: the plain Python value (dicts keep their keys as strings).
        file: the YAML file. line: 1-based line of the value. field: e.g. ``examples[0].input``.
        children: for mappings, key -> Node; for sequences, index -> Node.
        key_lines: for mappings, key -> 1-based line of the key itself.
        kind: ``spec`` or ``config``, which picks the error class.
    """

    value: Any
    file: Path
    line: int
    field: str
    children: Mapping[Any, Node]
    key_lines: Mapping[str, int]
    kind: str = "spec"

    # ----------------------------------------------------------------- errors

    def error(self, reason: str, *, key: str | None = None) -> NoReturn:
        """Raise a :class:`SpecError` (or :class:`ConfigError`) located at this node or its key."""
        field = self.child_field(key) if key is not None else self.field
        line = self.key_lines.get(key, self.line) if key is not None else self.line
        if self.kind == "config":
            raise ConfigError(f"line {line}: {reason}", file=self.file, setting=field or None)
        raise SpecError(reason, file=self.file, line=line, field=field or None)

    def child_field(self, key: str | int) -> str:
        """The dotted field path of a child of this node."""
        if isinstance(key, int):
            return f"{self.field}[{key}]"
        return f"{self.field}.{key}" if self.field else key

    # ----------------------------------------------------------------- access

    def expect(self, kind: type[T] | tuple[type, ...], what: str | None = None) -> T:
        """Return the value if it has the given type, else raise a located error."""
        value = self.value
        ok = isinstance(value, kind) and not (
            isinstance(value, bool) and kind is not bool and bool not in _as_tuple(kind)
        )
        if not ok:
            wanted = what or " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in _as_tuple(kind))
            self.error(f"expected {wanted}, got {_describe(value)}")
        return value  # type: ignore[no-any-return]

    def mapping(self, allowed: Iterable[str], *, required: Iterable[str] = ()) -> dict[str, Node]:
        """Check that this node is a mapping with only ``allowed`` keys and the ``required`` ones.

        Returns:
            key -> child node, in file order.
        """
        self.expect(dict)
        allowed = tuple(allowed)
        for key in self.children:
            if key not in allowed:
                self.error(f"unknown key {key!r}{did_you_mean(str(key), allowed)}", key=str(key))
        for key in required:
            if key not in self.children:
                self.error(f"missing required key {key!r}")
        return {str(k): v for k, v in self.children.items()}

    def items(self) -> list[Node]:
        """The children of a sequence node, in order."""
        self.expect(list)
        return [self.children[i] for i in range(len(self.value))]

    def get(self, key: str, convert: Callable[[Node], T], default: T) -> T:
        """Convert the child ``key`` with ``convert``, or return ``default`` when it is absent."""
        child = self.children.get(key)
        return default if child is None else convert(child)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""`` when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        close = [c for c in choices if c.lower() == word.lower().replace("-", "_")]
    return f"; did you mean {close[0]!r}?" if close else ""


def load_yaml(file: str | Path, *, kind: str = "spec", text: str | None = None) -> Node:
    """Read a YAML file into a :class:`Node` tree that remembers lines.

    Args:
        file: the file to read (also named in errors).
        kind: ``spec`` or ``config``: which error class to raise.
        text: the file's text, when already read.

    Raises:
        SpecError | ConfigError: the file cannot be read or is not valid YAML.
    """
    path = Path(file)

    def fail(reason: str, line: int | None = None) -> NoReturn:
        if kind == "config":
            where = f"line {line}: " if line is not None else ""
            raise ConfigError(f"{where}{reason}", file=path)
        raise SpecError(reason, file=path, line=line)

    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read the file: {exc}")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return Node({}, path, 1, "", {}, {}, kind)
        return _convert(root, loader, path, "", kind)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        fail(
            f"not valid YAML: {exc.problem or exc.context}",
            mark.line + 1 if mark is not None else None,
        )
    except yaml.YAMLError as exc:
        fail(f"not valid YAML: {exc}")
    finally:
        loader.dispose()


def _convert(node: yaml.Node, loader: _Loader, file: Path, field: str, kind: str) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        value: dict[str, Any] = {}
        children: dict[Any, Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                # YAML turns `200:` or `true:` into non-strings; people mean the text.
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key)
            sub = f"{field}.{key}" if field else key
            if key in children:
                _located(file, key_node.start_mark.line + 1, sub, kind, f"duplicate key {key!r}")
            child = _convert(value_node, loader, file, sub, kind)
            children[key] = child
            key_lines[key] = key_node.start_mark.line + 1
            value[key] = child.value
        return Node(value, file, line, field, children, key_lines, kind)
    if isinstance(node, yaml.SequenceNode):
        items = [
            _convert(item, loader, file, f"{field}[{i}]", kind) for i, item in enumerate(node.value)
        ]
        return Node([c.value for c in items], file, line, field, dict(enumerate(items)), {}, kind)
    try:
        scalar = loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        _located(file, line, field, kind, f"not a valid value: {exc}")
    return Node(scalar, file, line, field, {}, {}, kind)


def _located(file: Path, line: int, field: str, kind: str, reason: str) -> NoReturn:
    if kind == "config":
        raise ConfigError(f"line {line}: {reason}", file=file, setting=field or None)
    raise SpecError(reason, file=file, line=line, field=field or None)
