"""Step 1 of drift: the pacts verified against the recordings by the real Pact verifier.

The recordings of each provider are served on 127.0.0.1 (:mod:`._serve`) and pact's own
verifier replays every interaction against them. Pacts come from files, from a broker (which
then also receives the results, and the vendor version is recorded as deployed), or are
generated from the definitions on the spot. Each verifier result is traced back to its
recording through the interaction's origin (the definition and example it came from), or its
description when the pact carries no origins.

The verifier's cost per interaction grows with the number of interactions it holds (about
17 ms each at 500, under 8 ms at 25), so local pacts are verified in chunks of
:data:`CHUNK` interactions, several verifiers at once against the same server.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actionpact.core.errors import InputFileError, VerificationError
from actionpact.drift._result import ContractCheck, ProviderVerification
from actionpact.drift._serve import serve_recordings

if TYPE_CHECKING:
    from actionpact.broker import BrokerSettings
    from actionpact.contracts import ProjectConfig
    from actionpact.drift._model import Recording
    from actionpact.drift._serve import RecordingServer

__all__ = [
    "CHUNK",
    "DEFAULT_SELECTORS",
    "PactSource",
    "Progress",
    "Publish",
    "Verified",
    "default_provider_version",
    "verify_recordings",
]

logger = logging.getLogger("actionpact.drift")

# What is live and what is about to be: the consumer's main branch and every version deployed
# or released (Pact's recommendation without matchingBranch: a vendor has no branches).
DEFAULT_SELECTORS: tuple[Mapping[str, Any], ...] = (
    {"mainBranch": True},
    {"deployedOrReleased": True},
)
CHUNK = 25
_VERIFIERS = 4

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stages: ``check``, ``compare``, ``verify``."""


def default_provider_version(today: dt.date | None = None) -> str:
    """The vendor version drift publishes under: ``recorded-<date>`` (UTC today)."""
    day = today or dt.datetime.now(dt.UTC).date()
    return f"recorded-{day.isoformat()}"


@dataclass(frozen=True, slots=True)
class PactSource:
    """Where the pacts to verify come from: files, a broker, or generated from the paths.

    Attributes:
        files: pact files or folders. broker: broker settings (an embedded local broker
            when its URL is ``None``). selectors: consumer version selectors for the broker
            (Pact's JSON names). With neither files nor a broker, the pacts are generated
            from the definitions and specs into a temporary folder.
    """

    files: tuple[Path, ...] = ()
    broker: BrokerSettings | None = None
    selectors: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Publish:
    """Publish the verification results and record the vendor version as deployed.

    Attributes:
        version: the provider version (default ``recorded-<today>``).
        environments: where that version is recorded as deployed.
        branch: the provider version's branch, if any. build_url: a link to the CI run.
    """

    version: str = field(default_factory=default_provider_version)
    environments: tuple[str, ...] = ()
    branch: str | None = None
    build_url: str | None = None


# --------------------------------------------------------------------------- pacts


def _pact_files(sources: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files += sorted(p for p in source.rglob("*.json") if not p.name.startswith("."))
        elif source.is_file():
            files.append(source)
        else:
            raise InputFileError(f"{source}: no such pact file or folder")
    return files


def _read_pact(file: Path) -> Mapping[str, Any] | None:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, Mapping) or not isinstance(data.get("interactions"), list):
        return None
    return data


def _pacts_by_provider(files: Sequence[Path]) -> dict[str, list[tuple[Path, Mapping[str, Any]]]]:
    grouped: dict[str, list[tuple[Path, Mapping[str, Any]]]] = defaultdict(list)
    for file in files:
        pact = _read_pact(file)
        if pact is None:
            continue
        provider = pact.get("provider")
        name = provider.get("name") if isinstance(provider, Mapping) else None
        if isinstance(name, str):
            grouped[name].append((file, pact))
    return grouped


def _generate_pacts(
    paths: Sequence[str | Path], config: ProjectConfig | None, folder: Path
) -> list[Path]:
    from actionpact.contracts import generate

    result = generate(paths, out=folder, config=config, strict=False)
    return [pair.file for pair in result.pairs if pair.file is not None]


# --------------------------------------------------------------------------- matching


class _Matcher:
    """Pact interaction -> recording, by the interaction's origin or its description."""

    def __init__(self, recordings: Sequence[Recording]) -> None:
        self._by_origin: dict[tuple[str, str, str], str] = {}
        self._by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._by_description: dict[str, str] = {}
        for recording in recordings:
            self._by_origin[(recording.action, recording.example, recording.source)] = (
                recording.name
            )
            self._by_pair[(recording.action, recording.example)].append(recording.name)
            file_name = Path(recording.source).name if recording.source else ""
            for description in (
                f"{recording.action}: {recording.example}",
                f"{recording.action} [{file_name}]: {recording.example}",
            ):
                self._by_description.setdefault(description, recording.name)

    def find(self, description: str, origins: Mapping[str, Any]) -> str | None:
        origin = origins.get(description)
        if origin is not None:
            exact = self._by_origin.get((origin.definition, origin.example, origin.source or ""))
            if exact is not None:
                return exact
            names = self._by_pair.get((origin.definition, origin.example), [])
            if len(names) == 1:
                return names[0]
        return self._by_description.get(description)


def _mismatch_lines(result: Mapping[str, Any]) -> list[str]:
    mismatch = result.get("mismatch")
    if not isinstance(mismatch, Mapping):
        return []
    if mismatch.get("type") == "error":
        return [str(mismatch.get("message", "error"))]
    lines = []
    for item in mismatch.get("mismatches") or ():
        if isinstance(item, Mapping):
            where = item.get("path")
            text = str(item.get("mismatch", item.get("type", "mismatch")))
            lines.append(f"{where}: {text}" if where else text)
    return lines


# --------------------------------------------------------------------------- step 1


@dataclass(slots=True)
class Verified:
    """What step 1 found: a contract check per recording name, a verification per provider."""

    contracts: dict[str, ContractCheck] = field(default_factory=dict)
    providers: list[ProviderVerification] = field(default_factory=list)


def verify_recordings(
    by_provider: Mapping[str, list[Recording]],
    *,
    source: PactSource,
    paths: Sequence[str | Path],
    config: ProjectConfig | None,
    publish: Publish | None,
    progress: Progress | None,
) -> Verified:
    """Verify the pacts of every provider against its recordings.

    Args:
        by_provider: the recordings to serve, by provider name.
        source: where the pacts come from. paths, config: to generate them when needed.
        publish: publish the results (broker sources only) and record deployments.
        progress: called as ``progress("verify", done, total)`` per provider.
    """
    from actionpact.contracts import interaction_origins

    verified = Verified()
    with tempfile.TemporaryDirectory(prefix="actionpact-drift-") as scratch:
        files: list[Path] = []
        if source.broker is None:
            files = list(source.files) or _generate_pacts(paths, config, Path(scratch))
        grouped = _pacts_by_provider(_pact_files(files)) if files else {}
        # Only providers with recordings: a pact folder may hold pacts of other providers.
        providers = sorted(by_provider)
        for done, provider in enumerate(providers, start=1):
            pacts = grouped.get(provider, [])
            origins: dict[str, Any] = {}
            for _, pact in pacts:
                origins.update(interaction_origins(pact))
            verification = _verify_provider(
                provider,
                by_provider.get(provider, []),
                pacts=pacts,
                origins=origins,
                source=source,
                publish=publish,
                verified=verified,
                scratch=Path(scratch),
            )
            verified.providers.append(verification)
            if progress is not None:
                progress("verify", done, len(providers))
    return verified


def _verify_provider(
    provider: str,
    recordings: list[Recording],
    *,
    pacts: list[tuple[Path, Mapping[str, Any]]],
    origins: Mapping[str, Any],
    source: PactSource,
    publish: Publish | None,
    verified: Verified,
    scratch: Path,
) -> ProviderVerification:
    if source.broker is None and not pacts:
        return ProviderVerification(provider, True, sources=())
    matcher = _Matcher(recordings)
    with serve_recordings(recordings) as server:
        try:
            if source.broker is not None:
                outcome = _run_against_broker(provider, server, source, publish)
            else:
                outcome = _run_in_chunks(provider, server, _chunks(pacts, scratch / provider))
        except VerificationError as error:
            return ProviderVerification(provider, False, error=str(error))
    per_recording: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    unmatched: list[str] = []
    results = outcome.results
    for result in results:
        if not isinstance(result, Mapping):
            continue
        description = str(result.get("description", ""))
        name = matcher.find(description, origins)
        if name is None:
            unmatched.append(f"{result.get('consumer', '?')}: {description}")
        else:
            per_recording[name].append(result)
    failures = 0
    for name, entries in per_recording.items():
        ok = all(str(e.get("result")) == "OK" or e.get("pending") for e in entries)
        mismatches = tuple(line for e in entries for line in _mismatch_lines(e))
        failures += sum(1 for e in entries if str(e.get("result")) != "OK")
        first = entries[0]
        verified.contracts[name] = ContractCheck(
            verified=True,
            success=ok,
            consumer=str(first.get("consumer", "")) or None,
            interaction=str(first.get("description", "")) or None,
            mismatches=mismatches,
        )
    environments: tuple[str, ...] = ()
    published = None
    if publish is not None and source.broker is not None:
        published = publish.version
        environments = _record_deployments(provider, source.broker, publish)
    success = outcome.success and not unmatched
    return ProviderVerification(
        provider,
        success,
        interactions=len(results),
        failures=failures + len(unmatched),
        unmatched=tuple(unmatched),
        sources=_sources(pacts, source),
        output=outcome.output,
        published_version=published,
        environments=environments,
    )


def _sources(
    pacts: Sequence[tuple[Path, Mapping[str, Any]]], source: PactSource
) -> tuple[str, ...]:
    if source.broker is not None:
        return (f"broker {source.broker.base_url or '(local)'}",)
    if source.files:
        return tuple(str(file) for file, _ in pacts)
    # Generated into a folder that is gone once the run ends: name the file only.
    return tuple(f"generated from the definitions: {file.name}" for file, _ in pacts)


@dataclass(frozen=True, slots=True)
class _Outcome:
    success: bool
    output: str
    results: list[Any]


def _chunks(pacts: Sequence[tuple[Path, Mapping[str, Any]]], folder: Path) -> list[Path]:
    """The pact files, each cut into files of at most :data:`CHUNK` interactions."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for number, (file, pact) in enumerate(pacts):
        interactions = list(pact["interactions"])
        if len(interactions) <= CHUNK:
            files.append(file)
            continue
        for start in range(0, len(interactions), CHUNK):
            part = {**pact, "interactions": interactions[start : start + CHUNK]}
            target = folder / f"{number:03d}-{start:06d}-{file.name}"
            target.write_text(json.dumps(part), encoding="utf-8")
            files.append(target)
    return files


def _run_in_chunks(provider: str, server: RecordingServer, files: Sequence[Path]) -> _Outcome:
    from actionpact.contracts import run_verifier

    def one(file: Path) -> Any:
        return run_verifier(
            provider, base_url=server.url, pact_sources=[file], state_handler=_state_handler(server)
        )

    with (
        _state_server_leak(),
        ThreadPoolExecutor(
            max_workers=max(1, min(_VERIFIERS, len(files))), thread_name_prefix="actionpact-verify"
        ) as pool,
    ):
        outcomes = list(pool.map(one, files))
    results: list[Any] = []
    for outcome in outcomes:
        results += outcome.results.get("interactionResults") or []
    return _Outcome(
        success=all(o.success for o in outcomes),
        output="\n".join(o.output for o in outcomes),
        results=results,
    )


def _state_handler(server: RecordingServer) -> Callable[..., None] | None:
    """The server's state hook, only when two recordings answer the same request: every
    provider state costs the verifier two more round trips."""
    return server.set_state if server.index.needs_states else None


@contextmanager
def _state_server_leak() -> Iterator[None]:
    """pact-python's state-callback server shuts down without closing its listening socket
    (``StateCallback.__exit__``); the socket is closed when the verifier is collected, with a
    ``ResourceWarning`` that says nothing about actionpact. Collect it here, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            yield
        finally:
            gc.collect()


def _run_against_broker(
    provider: str, server: RecordingServer, source: PactSource, publish: Publish | None
) -> _Outcome:
    from actionpact.broker import open_broker
    from actionpact.contracts import BrokerSourceSettings, PublishOptions, run_verifier

    settings = source.broker
    assert settings is not None
    with open_broker(settings) as client:
        broker = BrokerSourceSettings(
            client.base_url,
            token=settings.token,
            username=settings.username,
            password=settings.password,
        )
        options = None
        if publish is not None:
            options = PublishOptions(
                publish.version, branch=publish.branch, build_url=publish.build_url
            )
        with _state_server_leak():
            outcome = run_verifier(
                provider,
                base_url=server.url,
                broker=broker,
                selectors=source.selectors or DEFAULT_SELECTORS,
                state_handler=_state_handler(server),
                publish=options,
            )
    return _Outcome(
        outcome.success, outcome.output, list(outcome.results.get("interactionResults") or [])
    )


def _record_deployments(
    provider: str, settings: BrokerSettings, publish: Publish
) -> tuple[str, ...]:
    from actionpact.broker import open_broker

    if not publish.environments:
        return ()
    with open_broker(settings) as client:
        # The version exists once results are published; create it anyway, for a provider
        # with no pact yet, so that it can still be recorded as what runs there.
        client.create_version(provider, publish.version, branch=publish.branch)
        for environment in publish.environments:
            client.record_deployment(provider, publish.version, environment)
    return publish.environments
