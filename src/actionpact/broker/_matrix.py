"""can-i-deploy: the question asked of the matrix, the broker's answer, and its table.

The query follows the official client (PBC ``matrix/query.rb``): ``latestby=cvp`` for one
selector and ``cvpv`` for several, ``latest=true`` with a tag or when nothing else narrows the
question. The table mirrors its text formatter (PBC ``matrix/text_formatter.rb``), so people who
know ``pact-broker can-i-deploy`` read ours at a glance.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from actionpact.broker._hal import Notice

__all__ = [
    "CanIDeployQuery",
    "Matrix",
    "MatrixRow",
    "Selector",
    "format_matrix_table",
    "matrix_query_params",
]


@dataclass(frozen=True, slots=True)
class Selector:
    """One pacticipant version: a number, or the latest (with a tag), or a branch's latest.

    Attributes:
        pacticipant: the name. version: a version number.
        latest: the latest version (of ``tag`` when given). branch: the latest of a branch.
    """

    pacticipant: str
    version: str | None = None
    latest: bool = False
    tag: str | None = None
    branch: str | None = None

    def to_params(self, prefix: str) -> list[tuple[str, str]]:
        """Rack-style nested query parameters (``q[][pacticipant]=...``)."""
        params = [(f"{prefix}[][pacticipant]", self.pacticipant)]
        if self.version is not None:
            params.append((f"{prefix}[][version]", self.version))
        if self.latest:
            params.append((f"{prefix}[][latest]", "true"))
        if self.tag is not None:
            params.append((f"{prefix}[][tag]", self.tag))
        if self.branch is not None:
            params.append((f"{prefix}[][branch]", self.branch))
        return params


@dataclass(frozen=True, slots=True)
class CanIDeployQuery:
    """Can these versions be deployed to an environment (or alongside a tag)?

    Attributes:
        selectors: the versions being deployed. to_environment: the target environment.
        to_tag: the tag of the versions already there (legacy, instead of an environment).
        ignore: pacticipants (or versions) whose results do not count.
    """

    selectors: tuple[Selector, ...]
    to_environment: str | None = None
    to_tag: str | None = None
    ignore: tuple[Selector, ...] = ()

    def __post_init__(self) -> None:
        if not self.selectors:
            raise ValueError("can-i-deploy needs at least one pacticipant version")
        if self.to_environment is not None and self.to_tag is not None:
            raise ValueError("give either an environment or a tag, not both")


def matrix_query_params(query: CanIDeployQuery) -> list[tuple[str, str]]:
    """The ``/matrix`` query string the official client sends for ``query``."""
    params: list[tuple[str, str]] = []
    for selector in query.selectors:
        params.extend(selector.to_params("q"))
    params.append(("latestby", "cvp" if len(query.selectors) == 1 else "cvpv"))
    if query.to_environment is not None:
        params.append(("environment", query.to_environment))
    if query.to_tag is not None:
        params += [("latest", "true"), ("tag", query.to_tag)]
    elif len(query.selectors) == 1 and query.to_environment is None:
        params.append(("latest", "true"))
    for selector in query.ignore:
        params.extend(selector.to_params("ignore"))
    return params


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _count(summary: Mapping[str, Any], key: str) -> int | None:
    value = summary.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One line of the matrix: a pact between two versions and its verification, if any."""

    consumer: str | None
    consumer_version: str | None
    provider: str | None
    provider_version: str | None
    success: bool | None
    verification_url: str | None = None
    ignored: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class Matrix:
    """The broker's can-i-deploy answer.

    Attributes:
        deployable: ``True``, ``False``, or ``None`` when results are missing (not deployable).
        reason: the broker's reason, lines joined with ``\\n``.
        success, failed, unknown, ignored: the summary counts (``None`` if the broker is old).
        notices: the broker's messages. rows: the matrix lines. body: the whole JSON answer.
    """

    deployable: bool | None
    reason: str
    success: int | None
    failed: int | None
    unknown: int | None
    ignored: int | None
    notices: tuple[Notice, ...]
    rows: tuple[MatrixRow, ...]
    body: Mapping[str, Any] = field(repr=False)

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Matrix:
        """Read the answer of ``/matrix`` or ``/can-i-deploy`` (the same decorator)."""
        summary = body.get("summary")
        summary = summary if isinstance(summary, Mapping) else {}
        deployable = summary.get("deployable")
        rows = []
        for line in body.get("matrix") or ():
            if not isinstance(line, Mapping):
                continue
            success = _dig(line, "verificationResult", "success")
            rows.append(
                MatrixRow(
                    consumer=_dig(line, "consumer", "name"),
                    consumer_version=_dig(line, "consumer", "version", "number"),
                    provider=_dig(line, "provider", "name"),
                    provider_version=_dig(line, "provider", "version", "number"),
                    success=success if isinstance(success, bool) else None,
                    verification_url=_dig(line, "verificationResult", "_links", "self", "href"),
                    ignored=bool(line.get("ignored", False)),
                )
            )
        return cls(
            deployable=deployable if isinstance(deployable, bool) else None,
            reason=str(summary.get("reason") or ""),
            success=_count(summary, "success"),
            failed=_count(summary, "failed"),
            unknown=_count(summary, "unknown"),
            ignored=_count(summary, "ignored"),
            notices=Notice.parse_all(body),
            rows=tuple(rows),
            body=body,
        )

    @property
    def any_unknown(self) -> bool:
        """Whether some verification results are not known yet (worth waiting for)."""
        return bool(self.unknown)


_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
_SHA1 = re.compile(r"[A-Za-z0-9]{40}")


def abbreviate_version(number: str | None) -> str:
    """Shorten git SHAs to 7 characters and anything past 60, as the official table does."""
    if number is None:
        return "???"
    if _SHA1.fullmatch(number) or (_SEMVER.search(number) and _SHA1.search(number)):
        return _SHA1.sub(lambda m: m.group(0)[:7] + "...", number)
    return number[:60] + "..." if len(number) > 60 else number


def format_matrix_table(matrix: Matrix) -> str:
    """The matrix as the official CLI's text table, then the verification result URLs.

    Returns an empty string when there are no rows.
    """
    rows = sorted(
        matrix.rows,
        key=lambda r: (
            (r.consumer or "").lower(),
            (r.provider or "").lower(),
            r.consumer_version or "",
            r.provider_version or "",
        ),
    )
    if not rows:
        return ""
    headers = ("CONSUMER", "C.VERSION", "PROVIDER", "P.VERSION", "SUCCESS?", "RESULT#")
    lines: list[tuple[str, ...]] = []
    urls: list[tuple[str, bool | None]] = []
    for row in rows:
        ref = ""
        if row.verification_url:
            urls.append((row.verification_url, row.success))
            ref = str(len(urls))
        success = "???" if row.success is None else str(row.success).lower()
        lines.append(
            (
                row.consumer or "???",
                abbreviate_version(row.consumer_version),
                row.provider or "???",
                abbreviate_version(row.provider_version),
                success + (" [ignored]" if row.ignored else ""),
                ref,
            )
        )
    widths = [max(len(cells[i]) for cells in (headers, *lines)) for i in range(len(headers))]

    def render(cells: tuple[str, ...]) -> str:
        return " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    out = [render(headers).rstrip(), "-|-".join("-" * width for width in widths)]
    out += [render(cells).rstrip() for cells in lines]
    if urls:
        out += ["", "VERIFICATION RESULTS", "--------------------"]
        out += [
            f"{i}. {url} ({'success' if ok else 'failure'})" for i, (url, ok) in enumerate(urls, 1)
        ]
    return "\n".join(out)
