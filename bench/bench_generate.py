"""Benchmark `generate` against its floor: pact-python alone building the same pacts.

1. Writes N synthetic definitions (bench/_synthetic.py) and times ``generate`` on them in a
   fresh process, everything included: reading, compiling, deriving examples, building the
   interactions, the exercise through the Pact mock server and the Genesys transform, and
   writing the pacts. Imports are not counted.
2. The floor: a bare script that uses pact-python alone to build the very same interactions
   (same requests, bodies and matching rules, read back from the generated pacts) and write
   them, with no mock server. Target: ``generate`` within 6x the floor.
3. Peak memory (``resource.getrusage`` in a child process) of ``generate`` on 10x N
   definitions. Target: under 300 MB for 10,000.

Prints figures; asserts nothing.

    .venv/bin/python bench/bench_generate.py [--n 1000] [--memory-n 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from _synthetic import write_definitions

HERE = Path(__file__).resolve().parent

_GENERATE = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    from actionpact.contracts import ProjectConfig, generate
    import pact, pact.match  # imported before the clock starts, as the floor's script does

    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    started = time.perf_counter()
    result = generate([folder], out=out, config=ProjectConfig())
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    shard = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({
        "seconds": elapsed,
        "peak_mb": peak,
        "shard_peak_mb": shard,
        "actions": len(result.actions),
        "ok": sum(1 for a in result.actions if a.ok),
        "interactions": sum(p.interactions for p in result.pairs),
        "pairs": len(result.pairs),
    }))
    """
)

# Floor 1, pact-python alone as its users write pacts: the same interactions (dumped as plain
# JSON from actionpact's plan, not timed), built with `pact.match` matchers and written.
_FLOOR_MATCHERS = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from pact import Pact, match

    plan, out = json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2])

    def example(rule):
        if "obj" in rule:
            return {k: example(v) for k, v in rule["obj"].items()}
        if "each" in rule:
            return [example(i) for i in rule["each"]]
        if "contains" in rule:
            return [example(v) for v in rule["contains"]]
        return rule.get("like", rule.get("regex", rule.get("value")))

    def matcher(rule):
        if "obj" in rule:
            return {k: matcher(v) for k, v in rule["obj"].items()}
        if "like" in rule:
            kind = rule["kind"]
            if kind == "integer":
                return match.integer(rule["like"])
            if kind == "number":
                return match.number(rule["like"])
            if kind == "boolean":
                return match.boolean(rule["like"])
            if rule.get("min") is not None:
                return match.like(rule["like"], min=rule["min"])
            return match.like(rule["like"])
        if "regex" in rule:
            return match.regex(rule["regex"], regex=rule["pattern"])
        if "each" in rule:
            items = rule["each"]
            first = matcher(items[0])
            return match.like([first, *[example(i) for i in items[1:]]], min=rule["min"])
        if "contains" in rule:
            return match.array_containing([matcher(v) for v in rule["contains"]])
        return rule["value"]

    started = time.perf_counter()
    count = 0
    for pair in plan:
        pact = Pact(pair["consumer"], pair["provider"]).with_specification("V4")
        for item in sorted(pair["interactions"], key=lambda i: i["description"]):
            interaction = pact.upon_receiving(item["description"])
            for name, params in item["states"]:
                if params:
                    interaction.given(name, params)
                else:
                    interaction.given(name)
            request = item["request"]
            interaction.with_request(request["method"], request["path"])
            for name, value, regex in request["query"]:
                interaction.with_query_parameter(
                    name, match.regex(value, regex=regex) if regex else value
                )
            for name, value, regex in request["headers"]:
                interaction.with_header(
                    name, match.regex(value, regex=regex) if regex else value, "Request"
                )
            if request["body"] is not None:
                interaction.with_body(request["body"], request["contentType"], "Request")
            interaction.set_comment("actionpact", item["origin"])
            response = item["response"]
            interaction.will_respond_with(response["status"])
            for name, value in response["headers"]:
                interaction.with_header(name, value, "Response")
            if response["body"] is not None:
                body = matcher(response["body"])
                interaction.with_body(body, response["contentType"], "Response")
            count += 1
        pact.write_file(out, overwrite=True)
    elapsed = time.perf_counter() - started
    print(json.dumps({"seconds": elapsed, "interactions": count}))
    """
)

# Floor 2, the least pact-python can do: the same interactions rebuilt from the generated
# pacts' own JSON content with raw matching rules (no matcher objects), then written.
_FLOOR_RAW = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from pact import Pact

    pacts, out = Path(sys.argv[1]), Path(sys.argv[2])
    documents = [json.loads(p.read_text()) for p in sorted(pacts.glob("*.json"))]
    started = time.perf_counter()
    count = 0
    for document in documents:
        pact = Pact(document["consumer"]["name"], document["provider"]["name"])
        for item in document["interactions"]:
            interaction = pact.upon_receiving(item["description"])
            for state in item.get("providerStates", []):
                interaction.given(state["name"], state.get("params") or None)
            request, response = item["request"], item["response"]
            interaction.with_request(request["method"], request["path"])
            for name, values in (request.get("query") or {}).items():
                for value in values:
                    interaction.with_query_parameter(name, value)
            for name, values in (request.get("headers") or {}).items():
                interaction.with_header(name, values[0], "Request")
            if "body" in request:
                body = request["body"]
                interaction.with_body(json.dumps(body["content"]), body["contentType"], "Request")
            if request.get("matchingRules"):
                interaction.with_matching_rules(request["matchingRules"], "Request")
            if "comments" in item:
                interaction.set_comment("actionpact", item["comments"]["actionpact"])
            interaction.will_respond_with(response["status"])
            if "body" in response:
                body = response["body"]
                interaction.with_body(json.dumps(body["content"]), body["contentType"], "Response")
            if response.get("matchingRules"):
                interaction.with_matching_rules(response["matchingRules"], "Response")
            count += 1
        pact.write_file(out, overwrite=True)
    elapsed = time.perf_counter() - started
    print(json.dumps({"seconds": elapsed, "interactions": count}))
    """
)


def _encode(rule: Any) -> Any:
    """actionpact's response rules as tagged JSON, for the bare floor script."""
    from actionpact.contracts._matchers import Contains, EachLike, Like, Term, example_of

    if isinstance(rule, dict):
        return {"obj": {k: _encode(v) for k, v in rule.items()}}
    if isinstance(rule, Like):
        return {"like": rule.value, "kind": rule.kind, "min": rule.min}
    if isinstance(rule, Term):
        return {"regex": rule.value, "pattern": rule.pattern}
    if isinstance(rule, EachLike):
        first = _encode(rule.items[0])
        return {
            "each": [first, *({"value": example_of(i)} for i in rule.items[1:])],
            "min": rule.min,
        }
    if isinstance(rule, Contains):
        return {"contains": [_encode(v) for v in rule.variants]}
    return {"value": rule}


def _plan(folder: Path, target: Path) -> None:
    """Dump the interactions actionpact builds for ``folder`` as plain JSON (not timed)."""
    from collections import defaultdict

    from actionpact.contracts import ProjectConfig
    from actionpact.contracts._inputs import definition_paths, plan_units, read_units
    from actionpact.contracts._prepare import Prepared
    from actionpact.contracts._shard import _prepare as prepare
    from actionpact.core import UNSET

    units = plan_units(read_units(definition_paths([folder])), ProjectConfig(), None)
    pairs: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for unit in units:
        prepared = prepare(unit)
        if not isinstance(prepared, Prepared):
            continue
        for planned in prepared.planned:
            spec = planned.interaction
            if spec is None:
                continue
            request, response = spec.request, spec.response
            pairs[unit.pair].append(
                {
                    "description": spec.description,
                    "states": [[s.name, dict(s.params)] for s in spec.states],
                    "request": {
                        "method": request.method,
                        "path": request.path,
                        "query": [list(q) for q in request.query],
                        "headers": [list(h) for h in request.headers],
                        "body": request.body,
                        "contentType": request.content_type or "text/plain",
                    },
                    "origin": dict(spec.origin),
                    "response": {
                        "status": response.status,
                        "headers": [list(h) for h in response.headers],
                        "body": None if response.body is UNSET else _encode(response.body),
                        "contentType": response.content_type or "application/json",
                    },
                }
            )
    target.write_text(
        json.dumps(
            [{"consumer": c, "provider": p, "interactions": i} for (c, p), i in pairs.items()]
        )
    )


def _child(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"child failed:\n{done.stderr[-3000:]}")
    line = done.stdout.strip().splitlines()[-1]
    result: dict[str, float] = json.loads(line)
    return result


def _wall(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=HERE)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{done.stderr[-3000:]}")
    return elapsed


def _list(values: object) -> str:
    return ", ".join(f"{v:.3f}" for v in values)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="definitions for the timing")
    parser.add_argument("--memory-n", type=int, default=10000, help="definitions for memory")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (the median counts)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-generate-") as scratch:
        root = Path(scratch)
        write_definitions(root / "defs", args.n)
        _plan(root / "defs", root / "plan.json")
        runs: list[dict[str, float]] = []
        floors: list[dict[str, float]] = []
        raws: list[dict[str, float]] = []
        # Interleaved, so that whatever else the machine does weighs on all three alike.
        for i in range(args.runs):
            runs.append(_child(_GENERATE, str(root / "defs"), str(root / f"pacts-{i}")))
            floors.append(
                _child(_FLOOR_MATCHERS, str(root / "plan.json"), str(root / f"floor-{i}"))
            )
            raws.append(_child(_FLOOR_RAW, str(root / "pacts-0"), str(root / f"raw-{i}")))
        floor_same = all(
            (root / "floor-0" / p.name).read_bytes() == p.read_bytes()
            for p in (root / "pacts-0").iterdir()
        )
        same = all(
            (root / f"pacts-{i}" / p.name).read_bytes() == p.read_bytes()
            for i in range(1, args.runs)
            for p in (root / "pacts-0").iterdir()
        )
        generate_s = statistics.median(r["seconds"] for r in runs)
        floor_s = statistics.median(f["seconds"] for f in floors)
        raw_s = statistics.median(f["seconds"] for f in raws)
        first = runs[0]
        print(
            f"generate: {args.n} definitions -> {int(first['ok'])} contracts, "
            f"{int(first['interactions'])} interactions in {int(first['pairs'])} pacts"
        )
        print(
            f"  generate (mock-server exercise included): {generate_s:.3f} s "
            f"(runs: {_list(r['seconds'] for r in runs)})"
        )
        print(
            f"  floor (pact-python alone, pact.match matchers, same interactions): "
            f"{floor_s:.3f} s (runs: {_list(f['seconds'] for f in floors)}); "
            f"its pacts byte-identical to generate's: {floor_same}"
        )
        best = min(r["seconds"] for r in runs) / min(f["seconds"] for f in floors)
        print(
            f"  ratio: {generate_s / floor_s:.2f}x the floor (medians; best runs: {best:.2f}x; "
            "target: within 6x)"
        )
        print(
            f"  raw floor (pact-python fed the finished matching rules): {raw_s:.3f} s "
            f"(runs: {_list(f['seconds'] for f in raws)}); ratio {generate_s / raw_s:.2f}x"
        )
        print(f"  byte-identical pacts across runs: {same}")

        # Whole processes, interpreter start and imports included: the `actionpact generate`
        # command against the bare floor script run as a program.
        (root / "floor.py").write_text(_FLOOR_MATCHERS)
        command = Path(sys.executable).with_name("actionpact")
        cli_runs, script_runs = [], []
        for i in range(args.runs):
            cli_runs.append(
                _wall([str(command), "generate", str(root / "defs"), "--out", str(root / f"c{i}")])
            )
            script_runs.append(
                _wall(
                    [
                        sys.executable,
                        str(root / "floor.py"),
                        str(root / "plan.json"),
                        str(root / f"s{i}"),
                    ]
                )
            )
        cli_s, script_s = statistics.median(cli_runs), statistics.median(script_runs)
        print(
            f"  whole processes: `actionpact generate` {cli_s:.3f} s "
            f"(runs: {_list(cli_runs)}); bare floor script {script_s:.3f} s "
            f"(runs: {_list(script_runs)}); ratio {cli_s / script_s:.2f}x"
        )

        write_definitions(root / "many", args.memory_n)
        big = _child(_GENERATE, str(root / "many"), str(root / "pacts-many"))
        print(
            f"memory: {args.memory_n} definitions -> {int(big['ok'])} contracts in "
            f"{big['seconds']:.1f} s, peak RSS {big['peak_mb']:.0f} MB (forked shard: "
            f"{big['shard_peak_mb']:.0f} MB; target: < 300 MB)"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
