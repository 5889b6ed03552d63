"""``run_drift``: recordings in, a verdict out, in three steps.

1. The recordings of each provider are served on 127.0.0.1 and the pacts are verified against
   them with the real Pact verifier (:mod:`._verify`; optionally publishing the results to a
   broker, then recording that vendor version as deployed).
2. Every recorded answer goes through the Genesys transform; the output must satisfy the
   output schema and the example's ``expect`` (:mod:`._check`).
3. Every recording is compared with the previous run's (:mod:`._compare`).

Steps 1 and 2 decide the verdict (a contract or an output that breaks); step 3 only warns.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from actionpact.drift._check import OutputCheck, check_recording
from actionpact.drift._compare import Change, compare_runs
from actionpact.drift._plan import Plan, Target, plan_targets
from actionpact.drift._reads import reader_for
from actionpact.drift._redact import RedactionRules, Redactor
from actionpact.drift._result import ContractCheck, DriftResult, ExampleResult
from actionpact.drift._store import load_recordings, previous_dir
from actionpact.drift._verify import PactSource, Progress, Publish, Verified, verify_recordings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from actionpact.contracts import ProjectConfig
    from actionpact.drift._model import Recording

__all__ = ["run_drift"]

logger = logging.getLogger("actionpact.drift")


# --------------------------------------------------------------------------- run


def run_drift(
    paths: Sequence[str | Path] = ("contracts",),
    *,
    recordings: str | Path = "recordings",
    previous: str | Path | None = None,
    compare_previous: bool = True,
    pacts: PactSource | None = None,
    verify: bool = True,
    publish: Publish | None = None,
    config: ProjectConfig | None = None,
    consumer: str | None = None,
    rules: RedactionRules | None = None,
    progress: Progress | None = None,
) -> DriftResult:
    """Check recorded vendor answers against the contracts and the Genesys transform.

    Args:
        paths: definition files or folders with their specs (default ``contracts``).
        recordings: the folder ``actionpact record`` wrote.
        previous: the run to compare with (default ``<recordings>.previous`` when present).
        compare_previous: compare at all.
        pacts: where the pacts come from (default: generated from ``paths``).
        verify: run step 1 (the Pact verifier).
        publish: publish the results (needs a broker source) and record deployments.
        config: project settings (default ``actionpact.yaml``). consumer: consumer name.
        rules: the redaction rules the recordings were made with (for ``expect`` values).
        progress: called as ``progress(stage, done, total)``.

    Raises:
        InputFileError: unreadable definitions, specs, recordings or pacts.
        ValueError: ``publish`` without a broker source.
        BrokerError: publishing or recording a deployment failed.
    """
    source = pacts or PactSource()
    if publish is not None and source.broker is None:
        raise ValueError("publishing verification results needs the pacts from a broker")
    plan: Plan = plan_targets(paths, config=config, consumer=consumer)
    current = load_recordings(recordings)
    targets = plan.by_name()
    warnings: list[str] = [f"cannot check {reason}" for reason in plan.skipped]
    usable: list[tuple[Recording, Target]] = []
    for recording in current:
        target = targets.get(recording.name)
        if target is None:
            warnings.append(
                f"recording {recording.name} ({recording.action} / {recording.example}) belongs "
                "to no action or example under the given paths; re-record to drop it"
            )
            continue
        if recording.definition_hash != target.action.definition.content_hash:
            warnings.append(
                f"{recording.action}: the definition changed since {recording.name} was "
                "recorded; re-record it"
            )
        usable.append((recording, target))
    recorded = {r.name for r, _ in usable}
    for name, target in sorted(targets.items()):
        if name not in recorded:
            warnings.append(
                f"{target.action.name} / {target.example.name}: not recorded yet ({name})"
            )

    redactor = Redactor(rules or RedactionRules())
    checks: dict[str, OutputCheck] = {}
    for done, (recording, target) in enumerate(usable, start=1):
        checks[recording.name] = check_recording(
            target.action,
            target.example,
            recording,
            middleware=target.middleware,
            redactor=redactor,
        )
        if progress is not None:
            progress("check", done, len(usable))

    changes: dict[str, list[Change]] = defaultdict(list)
    missing: list[Change] = []
    previous_folder = Path(previous) if previous is not None else previous_dir(Path(recordings))
    compared: str | None = None
    if compare_previous and (previous is not None or previous_folder.is_dir()):
        before = load_recordings(previous_folder)
        compared = str(previous_folder)
        readers = {r.name: reader_for(t.action) for r, t in usable}
        for change in compare_runs(list(before), [r for r, _ in usable], readers):
            if change.kind == "missing-recording":
                if change.recording not in targets:
                    continue  # an example that was removed on purpose
                missing.append(change)
            else:
                changes[change.recording].append(change)
        if progress is not None:
            progress("compare", 1, 1)

    verified = Verified()
    if verify:
        by_provider: dict[str, list[Recording]] = defaultdict(list)
        for recording, target in usable:
            by_provider[target.provider].append(recording)
        verified = verify_recordings(
            by_provider,
            source=source,
            paths=paths,
            config=config,
            publish=publish,
            progress=progress,
        )

    examples = tuple(
        ExampleResult(
            recording=recording.name,
            action=recording.action,
            example=recording.example,
            provider=target.provider,
            outcome=recording.outcome.value,
            status=recording.response.status if recording.response else None,
            contract=verified.contracts.get(recording.name, ContractCheck(verified=False)),
            output=checks[recording.name],
            changes=tuple(changes.get(recording.name, ())),
        )
        for recording, target in usable
    )
    run = current.run
    return DriftResult(
        recordings=str(recordings),
        recorded=run.started if run is not None else None,
        previous=compared,
        examples=examples,
        verifications=tuple(verified.providers),
        missing=tuple(missing),
        warnings=tuple(warnings),
    )
