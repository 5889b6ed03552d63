"""JSONata for user transforms and assertions, through jsonata-python (imported lazily).

Genesys translation maps never use JSONata (see the reference notes); actionpact uses it for
what users write around an action: response middleware and spec assertions. The adapter
keeps three things the raw library blurs:

* JSONata *undefined* (no match) comes back as ``UNSET``, apart from JSON ``null``;
* every library error becomes a ``TransformError`` with the JSONata code (``S0201``...) and a
  1-based position;
* a runaway expression stops after ``timeout_ms`` instead of hanging (jsonata-python's own
  time box counts from compilation, so a fresh one is armed for every evaluation).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from actionpact.core import UNSET
from actionpact.core.errors import TransformError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import ModuleType

__all__ = ["DEFAULT_TIMEOUT_MS", "JsonataExpression", "compile_jsonata"]

DEFAULT_TIMEOUT_MS = 5000


@lru_cache(maxsize=1)
def _jsonata() -> ModuleType:
    import jsonata  # ~95 ms to import: only JSONata users pay it

    module: ModuleType = jsonata
    return module


def compile_jsonata(
    expression: str, *, source: str | None = None, timeout_ms: int = DEFAULT_TIMEOUT_MS
) -> JsonataExpression:
    """Compile a JSONata expression; cached by (expression, source, timeout).

    Args:
        expression: the JSONata text.
        source: where it came from (``spec.yaml: examples[0].assert[1]``), for messages.
        timeout_ms: how long one evaluation may run before it fails with code D1012.

    Returns:
        The compiled expression, safe to share between threads.

    Raises:
        TransformError: the expression does not parse (code ``S0...``, 1-based position).
    """
    return _compile(expression, source, timeout_ms)


@lru_cache(maxsize=1024)
def _compile(expression: str, source: str | None, timeout_ms: int) -> JsonataExpression:
    return JsonataExpression(expression, source=source, timeout_ms=timeout_ms)


class JsonataExpression:
    """A compiled JSONata expression; build one with ``compile_jsonata``.

    Attributes:
        expression: the JSONata text. source: where it came from, if known.
    """

    __slots__ = ("_engine", "_lock", "_timeout_ms", "expression", "source")

    def __init__(
        self, expression: str, *, source: str | None = None, timeout_ms: int = DEFAULT_TIMEOUT_MS
    ) -> None:
        self.expression = expression
        self.source = source
        self._timeout_ms = timeout_ms
        # jsonata-python binds `$` and the time box on the shared environment.
        self._lock = threading.Lock()
        library = _jsonata()
        try:
            self._engine = library.Jsonata(expression)
        except library.JException as error:
            raise self._error(error) from None
        except (RecursionError, ValueError, TypeError, AttributeError, IndexError) as error:
            raise TransformError(
                f"cannot parse: {type(error).__name__}: {error}",
                expression=expression,
                source=source,
            ) from None
        self._engine.set_output_convert_nulls(False)

    def __repr__(self) -> str:
        return f"JsonataExpression({self.expression!r})"

    def evaluate(self, data: Any, bindings: Mapping[str, Any] | None = None) -> Any:
        """Evaluate against ``data`` with optional ``$name`` bindings.

        Args:
            data: the input document (parsed JSON).
            bindings: values for ``$name`` variables, keyed without the ``$``.

        Returns:
            The result as plain JSON values (dicts, lists, str, int, float, bool, None), or
            ``UNSET`` when JSONata's result is *undefined*.

        Raises:
            TransformError: the evaluation failed (type error, undefined function, timeout);
                ``code`` is JSONata's (``T2001``, ``D1012``...).
        """
        library = _jsonata()
        null = library.utils.Utils.NULL_VALUE
        # jsonata-python reads Python None as *undefined*: JSON nulls must be its NULL_VALUE.
        document = _with_nulls(data, null)
        variables = {k: _with_nulls(v, null) for k, v in bindings.items()} if bindings else None
        with self._lock:
            self._engine.environment.set_runtime_bounds(self._timeout_ms, None)
            try:
                raw = self._engine.evaluate(document, variables)
            except library.JException as error:
                raise self._error(error) from None
            except RecursionError:
                raise TransformError(
                    "Stack overflow. Check for non-terminating recursive function.",
                    expression=self.expression,
                    code="D1011",
                    source=self.source,
                ) from None
            except Exception as error:  # a fault inside the library must not escape raw
                raise TransformError(
                    f"{type(error).__name__}: {error}",
                    expression=self.expression,
                    source=self.source,
                ) from None
        if raw is None:
            return UNSET
        return self._plain(raw, null)

    def _plain(self, value: Any, null: Any) -> Any:
        if value is null or value is None:
            return None
        if isinstance(value, str | bool | int | float):
            return value
        if isinstance(value, list):
            return [self._plain(v, null) for v in value if v is not None]
        if isinstance(value, dict):
            return {str(k): self._plain(v, null) for k, v in value.items() if v is not None}
        raise TransformError(
            f"the result holds a {type(value).__name__} (a function?), not JSON",
            expression=self.expression,
            source=self.source,
        )

    def _error(self, error: Any) -> TransformError:
        location = getattr(error, "location", None)
        position = location if isinstance(location, int) and location >= 1 else None
        return TransformError(
            str(error),
            expression=self.expression,
            position=position,
            code=getattr(error, "error", None),
            source=self.source,
        )


def _with_nulls(value: Any, null: Any) -> Any:
    if value is None:
        return null
    if isinstance(value, dict):
        return {k: _with_nulls(v, null) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_with_nulls(v, null) for v in value]
    return value
