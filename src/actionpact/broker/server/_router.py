"""Route table over the *raw* path, split on ``/`` before decoding each segment.

The broker's clients percent-encode names (``Example%20App``, even ``a%2Fb``); matching
the decoded path would cut a name holding ``/`` in two, so segments are decoded only after
the path is split, as Webmachine does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from actionpact.broker.server._http import Call, Reply

__all__ = ["Handler", "Route", "Router"]

Handler = Callable[[Call], Reply]


@dataclass(frozen=True, slots=True)
class Route:
    """A path pattern like ``/pacticipants/{pacticipant}/versions/{version}`` and its
    handlers by method."""

    pattern: str
    methods: dict[str, Handler]
    # POST requests that only read (pacts for verification): allowed for read-only users
    read_only_post: bool = False

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(part for part in self.pattern.split("/") if part)


class Router:
    """Find the route and path parameters of a raw request path."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self._by_length: dict[int, list[tuple[tuple[str, ...], Route]]] = {}
        for route in routes:
            segments = route.segments
            self._by_length.setdefault(len(segments), []).append((segments, route))

    def match(self, raw_path: str) -> tuple[Route, dict[str, str]] | None:
        """The first route whose literal segments match, with its decoded parameters."""
        parts = [unquote(part) for part in raw_path.split("/") if part]
        for segments, route in self._by_length.get(len(parts), []):
            params: dict[str, str] = {}
            for pattern, value in zip(segments, parts, strict=True):
                if pattern.startswith("{"):
                    params[pattern[1:-1]] = value
                elif pattern != value:
                    break
            else:
                return route, params
        return None
