"""Wall time of ``aslcheck`` on inputs that used to hang, crash or crawl.

Usage: ``python benchmarks/odd_inputs.py [--solver]``

Each case is written to a temporary folder and linted in a fresh process (as a user runs
it), so start-up is included: nested Parallels (once exponential in ASL203), YAML nested
100,000 levels deep (once a crash inside libyaml), a 6 MB definition with 20,000 states,
and a folder of lock files that hold no state machine (once parsed in full). Without
``--solver`` the ASL5xx passes are skipped, which isolates the rest of the linter.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def nested_parallels(depth: int) -> dict:
    scope: dict = {"StartAt": "Leaf", "States": {"Leaf": {"Type": "Succeed"}}}
    for level in range(depth):
        name = f"P{level}"
        scope = {"StartAt": name, "States": {name: {"Type": "Parallel", "Branches": [scope], "End": True}}}
    return scope


def long_chain(states: int) -> dict:
    chain = {f"S{i}": {"Type": "Pass", "Comment": "x" * 150, "Parameters": {"a.$": "$.x", "b": i},
                       "Next": f"S{i + 1}"} for i in range(states)}
    last = chain[f"S{states - 1}"]
    del last["Next"]
    last["End"] = True
    return {"StartAt": "S0", "States": chain}


def write_cases(root: Path) -> dict[str, Path]:
    cases = {}
    for depth in (20, 40, 200):
        path = root / f"parallels{depth}.asl.json"
        path.write_text(json.dumps(nested_parallels(depth)))
        cases[f"{depth} nested Parallels"] = path
    deep = root / "deep.asl.yaml"
    deep.write_text("StartAt: A\nStates: " + "[" * 100_000 + "]" * 100_000 + "\n")
    cases["YAML nested 100,000 deep"] = deep
    big = root / "big.asl.json"
    big.write_text(json.dumps(long_chain(20_000), indent=2))
    cases[f"{big.stat().st_size / 2**20:.1f} MiB definition, 20,000 states"] = big
    locks = root / "locks"
    locks.mkdir()
    for i in range(10):
        packages = {f"pkg{j}": {"version": f"1.0.{j}", "integrity": "sha512-" + "a" * 80} for j in range(5000)}
        (locks / f"lock{i}.json").write_text(json.dumps({"packages": packages}, indent=2))
    cases["folder of 10 lock files (9 MiB)"] = locks
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solver", action="store_true", help="also run the z3 passes (ASL5xx)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in write_cases(Path(tmp)).items():
            cmd = [sys.executable, "-m", "analyzer", "lint", str(path), "--format", "json"]
            if not args.solver:
                cmd.append("--no-solver")
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            seconds = time.perf_counter() - start
            summary = json.loads(done.stdout)["summary"] if done.stdout.startswith("{") else {}
            print(f"{label:45s} {seconds:6.2f} s  exit {done.returncode}  "
                  f"errors {summary.get('errors', '?')}")


if __name__ == "__main__":
    main()
