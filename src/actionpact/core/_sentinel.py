"""A value for "not given", kept apart from ``None``: JSON ``null`` is a real value here."""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeAlias

__all__ = ["UNSET", "Unset"]


class _UnsetType(enum.Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final = _UnsetType.UNSET
Unset: TypeAlias = Literal[_UnsetType.UNSET]
