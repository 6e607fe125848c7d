"""How lint time grows with the size of a state machine.

Generates machines of about 1,000, 10,000 and 50,000 states built from repeated blocks
(a chain of Tasks with Retry/Catch, a Choice fanning out to five states that join again, a
polling loop with a Wait, a Parallel with two branches and a Map with a small processor),
lints each one, and prints the time, the time per 1,000 states and the findings. Two runs
per size: every static rule, and validation alone (``--select ASL1``), so the cost of the
graph and error-handling passes shows as the difference. The z3 passes (ASL5xx) are off
unless ``--with-solver`` is given: they have their own budget per query and are not part
of the 3-second target. A 10,000-state machine must lint in under 3 s and the per-state
cost must stay flat (linear growth); the script exits with status 1 when either fails.

Each size is also linted with Python's cyclic garbage collector paused. With it running,
the per-state cost creeps up with size even though every pass is linear: a 50,000-state
document keeps millions of objects alive and each full collection walks all of them. The
paused run isolates the algorithms, and the linearity check uses it.

    python benchmarks/scale.py [--with-solver] [sizes...]
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections import Counter

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings, SolverSettings

LAMBDA = "arn:aws:states:::lambda:invoke"
RETRY = [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                          "Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3,
          "BackoffRate": 2, "MaxDelaySeconds": 30}]


def _task(name_next: str | None, handler: str) -> dict:
    state = {"Type": "Task", "Resource": LAMBDA, "Parameters": {"FunctionName": "f", "Payload.$": "$"},
             "Retry": RETRY, "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": handler}]}
    if name_next:
        state["Next"] = name_next
    else:
        state["End"] = True
    return state


def _block(i: int, nxt: str, states: dict) -> str:
    """Adds one block of 22 states (16 top-level, 6 nested) to ``states``; returns the name of its first state."""
    p = f"b{i}_"
    handler = f"{p}handler"
    states[handler] = {"Type": "Fail", "Error": "Failed"}
    # a chain of five Tasks
    for k in range(5):
        states[f"{p}t{k}"] = _task(f"{p}t{k + 1}" if k < 4 else f"{p}choice", handler)
    # a Choice fanning out to five Pass states that join again
    states[f"{p}choice"] = {"Type": "Choice", "Default": f"{p}o0",
                            "Choices": [{"Variable": "$.kind", "StringEquals": f"k{k}", "Next": f"{p}o{k}"}
                                        for k in range(5)]}
    for k in range(5):
        states[f"{p}o{k}"] = {"Type": "Pass", "Next": f"{p}poll"}
    # a polling loop with a Wait
    states[f"{p}poll"] = _task(f"{p}done", handler)
    states[f"{p}done"] = {"Type": "Choice", "Default": f"{p}wait",
                          "Choices": [{"Variable": "$.done", "BooleanEquals": True, "Next": f"{p}par"}]}
    states[f"{p}wait"] = {"Type": "Wait", "Seconds": 5, "Next": f"{p}poll"}
    # a Parallel with two branches, with a Map inside the second
    # (state names are unique across the whole definition, nested scopes included)
    branch_a = {"StartAt": f"{p}a0", "States": {f"{p}a0": {"Type": "Pass", "Next": f"{p}a1"},
                                                 f"{p}a1": {"Type": "Pass", "End": True}}}
    inner_map = {"Type": "Map", "ItemsPath": "$.items", "End": True,
                 "ItemProcessor": {"StartAt": f"{p}m0", "States": {f"{p}m0": {"Type": "Pass", "Next": f"{p}m1"},
                                                                   f"{p}m1": {"Type": "Pass", "End": True}}}}
    branch_b = {"StartAt": f"{p}b0", "States": {f"{p}b0": {"Type": "Pass", "Next": f"{p}map"},
                                                 f"{p}map": inner_map}}
    states[f"{p}par"] = {"Type": "Parallel", "Branches": [branch_a, branch_b], "ResultPath": "$.par", "Next": nxt,
                         "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": handler}]}
    return f"{p}t0"


def generate(target: int) -> dict:
    blocks = max(1, round((target - 1) / 22))  # 22 states per block, plus the final Succeed
    states: dict = {"end": {"Type": "Succeed"}}
    nxt = "end"
    for i in reversed(range(blocks)):
        nxt = _block(i, nxt, states)
    return {"StartAt": nxt, "States": states}


def count_states(machine: dict) -> int:
    total = 0
    for state in machine.get("States", {}).values():
        total += 1
        for branch in state.get("Branches", []):
            total += count_states(branch)
        if "ItemProcessor" in state:
            total += count_states(state["ItemProcessor"])
    return total


def lint_once(text: str, select: list[str] | None = None, solver: bool = False,
              pause_gc: bool = False) -> tuple[float, LintReport]:
    report = LintReport()
    linter = Linter(Settings(select=select or [], solver=SolverSettings(enabled=solver)))
    gc.collect()
    if pause_gc:
        gc.disable()
    try:
        start = time.perf_counter()
        linter.lint_text(text, "generated.asl.json", report)
        return time.perf_counter() - start, report
    finally:
        gc.enable()


def main(argv: list[str]) -> int:
    solver = "--with-solver" in argv
    sizes = [int(a) for a in argv if a != "--with-solver"] or [1_000, 10_000, 50_000]
    lint_once(json.dumps(generate(25)), solver=solver)  # import rules, grammars, networkx outside the timings
    rows = []
    for size in sizes:
        machine = generate(size)
        text = json.dumps(machine, indent=1)
        n = count_states(machine)
        seconds, report = lint_once(text, solver=solver)
        validation, _ = lint_once(text, select=["ASL1"])
        paused, _ = lint_once(text, solver=solver, pause_gc=True)
        counts = Counter(f.rule for f in report.findings)
        rows.append((n, seconds, paused))
        print(f"{n:>7} states  {len(text) / 1e6:5.1f} MB  all rules {seconds:6.2f} s ({seconds / n * 1000:5.3f} s/1k)"
              f"  validation only {validation:6.2f} s  all rules, gc paused {paused:6.2f} s "
              f"({paused / n * 1000:5.3f} s/1k)  findings: {dict(sorted(counts.items())) or 'none'}"
              + (f"  internal errors: {len(report.internal_errors)}" if report.internal_errors else ""))
    ok = True
    for n, seconds, _ in rows:
        if 9_000 <= n <= 11_000 and seconds >= 3.0:
            print(f"FAIL: {n} states took {seconds:.2f} s (limit 3 s)")
            ok = False
    if len(rows) >= 2:
        per = [paused / n for n, _, paused in rows]
        ratio = max(per) / min(per)
        raw = [seconds / n for n, seconds, _ in rows]
        print(f"per-state cost (gc paused) varies by a factor of {ratio:.2f} across sizes (linear growth keeps it "
              f"near 1; with the collector running: {max(raw) / min(raw):.2f})")
        if ratio > 2.0:
            print("FAIL: growth is not linear")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
