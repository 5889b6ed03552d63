"""JSONPath as Genesys translation maps read it: Jayway JsonPath 2.9, default configuration.

``compile_path`` turns a translation-map path into a ``CompiledPath``: Jayway's own reading
of the text (``normalized``, ``definite``), a structural view (``segments``) for contract
generation, and ``evaluate`` for the emulation. The implementation lives in
``_jsonpath_parse`` (compiler), ``_jsonpath_filter`` (``[?(...)]``), ``_jsonpath_values``
(comparison rules), ``_jsonpath_eval`` (evaluation) and ``_jsonpath_model`` (data).
"""

from __future__ import annotations

from actionpact.genesys._jsonpath_model import (
    And,
    Child,
    Compare,
    CompiledPath,
    Condition,
    DeepScan,
    Exists,
    Filter,
    Index,
    JsonLiteral,
    Not,
    Operand,
    Or,
    Regex,
    RelPath,
    Segment,
    Slice,
    SubPath,
    Union,
    Wildcard,
)
from actionpact.genesys._jsonpath_parse import compile_path

__all__ = [
    "And",
    "Child",
    "Compare",
    "CompiledPath",
    "Condition",
    "DeepScan",
    "Exists",
    "Filter",
    "Index",
    "JsonLiteral",
    "Not",
    "Operand",
    "Or",
    "Regex",
    "RelPath",
    "Segment",
    "Slice",
    "SubPath",
    "Union",
    "Wildcard",
    "compile_path",
]
