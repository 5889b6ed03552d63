"""Full request+response simulations per second over the whole shared corpus.

Run: .venv/bin/python bench/bench_simulate.py [ROUNDS]
Target (issue 3): at least 1,000 simulations per second on one core.

Each simulatable corpus action gets its derived example (the input from its input schema and a
response body built from what its translation map reads), then every action is simulated
ROUNDS times: input validation, URL/header/body templates, the translation map, the success
template and output validation, i.e. all ten Genesys steps.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from actionpact.contracts import derive_body, derive_input
from actionpact.core.errors import DefinitionError
from actionpact.definition import load_definitions
from actionpact.genesys import CompiledAction, compile_action

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def _cases() -> list[tuple[CompiledAction, dict[str, Any], Any]]:
    cases = []
    for definition in load_definitions(CORPUS):
        if not definition.simulatable:
            continue
        try:
            action = compile_action(definition)
        except DefinitionError:
            continue
        inputs = derive_input(action)
        cases.append((action, inputs, derive_body(action, inputs).body))
    return cases


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    start = time.perf_counter()
    cases = _cases()
    prepare = time.perf_counter() - start
    succeeded = sum(action.simulate(i, response=r).success for action, i, r in cases)

    start = time.process_time()
    wall = time.perf_counter()
    for _ in range(rounds):
        for action, inputs, response in cases:
            action.simulate(inputs, response=response)
    cpu = time.process_time() - start
    wall = time.perf_counter() - wall
    total = rounds * len(cases)
    print(f"corpus actions simulated: {len(cases)} ({succeeded} succeed on their derived example)")
    print(f"load + compile + derive examples: {prepare * 1000:.0f} ms")
    print(
        f"{total} full simulations in {wall:.2f} s wall, {cpu:.2f} s CPU on one core: "
        f"{total / cpu:,.0f} simulations/s (target >= 1,000), "
        f"{cpu / total * 1e6:.0f} us each"
    )


if __name__ == "__main__":
    main()
