"""How long `actionpact --help` takes, and which heavy modules it loads (none, ideally).

Run: .venv/bin/python bench/bench_startup.py [RUNS]
Target (issue 3): under 0.3 s, without importing the Pact engine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("pact", "jsonschema", "httpx", "airspeed", "jsonata", "jsonpath", "starlette", "uvicorn")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    exe = Path(sys.executable).with_name("actionpact")
    command = (
        [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "actionpact", "--help"]
    )
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    probe = (
        "import sys\nfrom actionpact.cli import app\ntry:\n    app(['--help'])\n"
        "except SystemExit:\n    pass\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        f"print('HEAVY:' + ','.join(sorted(loaded & set({HEAVY!r}))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    loaded = out.rsplit("HEAVY:", 1)[1].strip()
    timings.sort()
    print(
        f"actionpact --help over {runs} runs: "
        f"median {statistics.median(timings) * 1000:.0f} ms, "
        f"best {timings[0] * 1000:.0f} ms, worst {timings[-1] * 1000:.0f} ms"
    )
    print(f"heavy modules loaded by --help: {loaded or 'none'}")


if __name__ == "__main__":
    main()
