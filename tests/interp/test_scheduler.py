"""Parallel branches and Map iterations interleaved on the virtual clock (asl-semantics: a failing
branch or iteration fails the state and stops every sibling still running)."""

from __future__ import annotations

import threading

import pytest

from analyzer.interp import run

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"


def _poll_forever(prefix: str) -> dict:
    """A branch that polls every 5 s and never ends (the either-or pattern)."""
    return {"StartAt": f"{prefix}Check", "States": {
        f"{prefix}Check": {"Type": "Pass", "Next": f"{prefix}Wait"},
        f"{prefix}Wait": {"Type": "Wait", "Seconds": 5, "Next": f"{prefix}Check"}}}


def _fail_after(seconds: int, error: str, prefix: str) -> dict:
    return {"StartAt": f"{prefix}W", "States": {
        f"{prefix}W": {"Type": "Wait", "Seconds": seconds, "Next": f"{prefix}F"},
        f"{prefix}F": {"Type": "Fail", "Error": error}}}


def _parallel(*branches, catch=None) -> dict:
    state = {"Type": "Parallel", "Branches": list(branches), "End": True}
    if catch:
        state.update(Catch=[{"ErrorEquals": [catch], "Next": "Caught", "ResultPath": "$.error"}])
        state.pop("End")
        state["Next"] = "Done"
    return {"StartAt": "P", "States": {"P": state, "Done": {"Type": "Succeed"}, "Caught": {"Type": "Succeed"}}}


def test_a_branch_that_never_ends_is_stopped_when_a_later_branch_fails():
    result = run(_parallel(_poll_forever("A"), _fail_after(15, "Timeout.Ran", "B")))
    assert (result.status, result.error, result.elapsed_seconds) == ("FAILED", "Timeout.Ran", 15)
    assert result.transitions < 20  # the polling loop ran three turns, not to the transition limit


def test_the_failure_is_caught_and_the_execution_goes_on():
    result = run(_parallel(_poll_forever("A"), _poll_forever("B"), _fail_after(15, "Out.Of.Time", "C"),
                           catch="Out.Of.Time"))
    assert (result.status, result.path) == ("SUCCEEDED", ["P", "Caught"])
    assert result.output["error"]["Error"] == "Out.Of.Time"
    assert result.elapsed_seconds == 15


def test_a_stopped_branch_does_not_act_after_the_failure():
    """The slow branch's Task at 20 s never runs: its mock is not consumed, no event is recorded."""
    slow = {"StartAt": "SW", "States": {"SW": {"Type": "Wait", "Seconds": 20, "Next": "ST"},
                                        "ST": {"Type": "Task", "Resource": LAMBDA, "End": True}}}
    result = run(_parallel(slow, _fail_after(10, "Boom", "F")), mocks={})  # no mock for ST: it must not run
    assert (result.error, result.elapsed_seconds) == ("Boom", 10)
    assert "ST" not in [t["state"] for t in result.trace]


def test_history_follows_the_clock_across_branches():
    result = run(_parallel(_fail_after(30, "Late", "A"), {"StartAt": "BW", "States": {
        "BW": {"Type": "Wait", "Seconds": 10, "Next": "BP"}, "BP": {"Type": "Pass", "End": True}}}),
        history=True)
    entered = [e["stateEnteredEventDetails"]["name"] for e in result.events
               if e["type"].endswith("StateEntered")]
    # BP (at 10 s) is entered before AF (at 30 s), although branch A comes first
    assert entered.index("BP") < entered.index("AF")
    stamps = [e["timestamp"] for e in result.events]
    assert stamps == sorted(stamps)


def test_nested_parallel_failure_stops_the_outer_siblings():
    inner = {"StartAt": "Inner", "States": {"Inner": {"Type": "Parallel", "End": True, "Branches": [
        _poll_forever("I"), _fail_after(7, "Inner.Failed", "J")]}}}
    result = run(_parallel(_poll_forever("O"), inner))
    assert (result.status, result.error, result.elapsed_seconds) == ("FAILED", "Inner.Failed", 7)


def test_map_iterations_interleave_and_the_first_failure_stops_the_rest():
    d = {"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "ItemProcessor": {
        "StartAt": "Route", "States": {
            "Route": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Poll"}],
                      "Default": "Later"},
            "Poll": {"Type": "Wait", "Seconds": 1, "Next": "Route"},
            "Later": {"Type": "Wait", "SecondsPath": "$", "Next": "Stop"},
            "Stop": {"Type": "Fail", "Error": "Item.Failed"}}}}}}
    result = run(d, [0, 12, 3])
    assert (result.error, result.elapsed_seconds) == ("Item.Failed", 3)


def test_a_runaway_branch_still_hits_the_transition_limit():
    busy = {"StartAt": "Spin", "States": {"Spin": {"Type": "Pass", "Next": "Spin"}}}
    result = run(_parallel(busy, _fail_after(5, "Never", "F")), max_transitions=500)
    assert result.error == "aslcheck.MaxTransitionsExceeded"


def test_no_thread_outlives_a_run():
    before = threading.active_count()
    for _ in range(3):
        run(_parallel(_poll_forever("A"), _poll_forever("B"), _fail_after(15, "X", "C")))
    assert threading.active_count() == before


@pytest.mark.parametrize("limit,expected", [(0, 10), (1, 40), (2, 20)])
def test_max_concurrency_still_schedules_items(limit, expected):
    d = {"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "MaxConcurrency": limit,
                                         "ItemProcessor": {"StartAt": "W", "States": {
                                             "W": {"Type": "Wait", "SecondsPath": "$", "End": True}}}}}}
    assert run(d, [10, 10, 10, 10]).elapsed_seconds == expected
