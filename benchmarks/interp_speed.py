"""State transitions per second of the interpreter on a Pass/Choice loop (JSONPath), and moto on the same.

Usage: ``python benchmarks/interp_speed.py [--iterations N] [--moto-iterations M] [--no-moto]``

The workload counts a number up with ``States.MathAdd`` in a Pass state and tests it in a
Choice state, so every iteration is two transitions through the JSONPath pipeline, a
payload template, an intrinsic and a Choice rule. The interpreter is timed without and
with history recording; moto is timed end to end (StartExecution until DescribeExecution
reports the end), which is how a user waits for it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def loop_definition(limit: int) -> dict:
    return {
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Result": {"i": 0, "label": "counter"}, "Next": "Loop"},
            "Loop": {"Type": "Choice", "Choices": [
                {"Variable": "$.i", "NumericGreaterThanEquals": limit, "Next": "Done"}], "Default": "Step"},
            "Step": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "label.$": "$.label"},
                     "Next": "Loop"},
            "Done": {"Type": "Succeed"},
        },
    }


def time_interpreter(iterations: int, history: bool) -> tuple[float, int]:
    from analyzer.interp.interpreter import run

    definition = loop_definition(iterations)
    run(loop_definition(10), {})  # warm the path/intrinsic caches and imports
    start = time.perf_counter()
    result = run(definition, {}, max_transitions=10 ** 9, history=history)
    elapsed = time.perf_counter() - start
    assert result.status == "SUCCEEDED" and result.output["i"] == iterations, result
    return elapsed, result.transitions


def time_moto(iterations: int) -> tuple[float, int]:
    from tests.interp.moto_runner import MotoSession

    session = MotoSession()
    try:
        session.execute(loop_definition(2), {})  # warm up
        definition = loop_definition(iterations)
        arn = session.create(definition)
        start = time.perf_counter()
        execution = session.start(arn, {})
        desc = session.wait(execution, timeout=600, poll=0.05)
        elapsed = time.perf_counter() - start
        assert desc["status"] == "SUCCEEDED", desc
    finally:
        session.close()
    return elapsed, 2 * iterations + 2


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--moto-iterations", type=int, default=1_000)
    parser.add_argument("--no-moto", action="store_true")
    args = parser.parse_args(argv)

    fast, transitions = time_interpreter(args.iterations, history=False)
    slow, _ = time_interpreter(args.iterations, history=True)
    ours = transitions / fast
    print(f"aslcheck interpreter, no history : {transitions} transitions in {fast:.3f} s = {ours:,.0f} /s")
    print(f"aslcheck interpreter, history    : {transitions} transitions in {slow:.3f} s = "
          f"{transitions / slow:,.0f} /s")
    print(f"target >= 50,000 /s: {'met' if ours >= 50_000 else 'NOT met'}")
    if not args.no_moto:
        elapsed, moto_transitions = time_moto(args.moto_iterations)
        theirs = moto_transitions / elapsed
        print(f"moto {__import__('moto').__version__} interpreter    : {moto_transitions} transitions in "
              f"{elapsed:.3f} s = {theirs:,.0f} /s")
        print(f"ratio aslcheck/moto: {ours / theirs:,.1f}x (history off), {transitions / slow / theirs:,.1f}x "
              "(history on)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
