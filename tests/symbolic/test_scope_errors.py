"""Catches on Parallel/Map states whose scopes hold no Task: which errors can reach them.

Dead claims are checked against the interpreter (an independent implementation of the
semantics): no input in a varied set makes it take a catch the model checker called dead.
Covered catches come with cases that the interpreter replays exactly.
"""

from __future__ import annotations

from analyzer.interp.interpreter import run
from analyzer.model.build import build_machine
from analyzer.symbolic.raised import possible_errors

from .helpers import covered_goals, replayed_suite

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"
PROBES = [None, 1, "s", [], [1], [1, 2], {}, {"items": []}, {"items": [1]}, {"items": "x"},
          {"input": {"items": [1]}}, {"input": {"items": 3}}, {"input": []}]




def _dead(suite, definition) -> set:
    machine = build_machine(definition)
    catches = {f"catch:{name}#{i + 1}" for name, s in machine.states.items() for i in range(len(getattr(s, "catch", ())))}
    return catches - covered_goals(suite) - set(suite.summary["unknown"])


def _taken_catch_targets(definition) -> set:
    """Catch targets the interpreter goes to right after the Map/Parallel ``M`` on any probe input."""
    seen = set()
    for value in PROBES:
        res = run(definition, value, mocks={})
        if "M" in res.path and res.path.index("M") + 1 < len(res.path):
            seen.add(res.path[res.path.index("M") + 1])
    seen.discard("Done")  # the Map succeeded
    return seen


def _map(processor_states, catch, **fields):
    states = {"M": {"Type": "Map", "ItemProcessor": {"StartAt": next(iter(processor_states)),
                                                     "States": processor_states},
                    "Catch": [{"ErrorEquals": names, "Next": f"C{i}"} for i, names in enumerate(catch)],
                    "Next": "Done", **fields},
              "Done": {"Type": "Succeed"}}
    for i in range(len(catch)):
        states[f"C{i}"] = {"Type": "Pass", "End": True}
    return {"StartAt": "M", "States": states}


FAILING_ITEM = _map({"Boom": {"Type": "Fail"}}, [["Internal Error"], ["State.ALL"], ["States.ALL"]],
                    ResultPath=None)


def test_catchers_matching_no_raisable_error_are_dead():
    suite = replayed_suite(FAILING_ITEM)
    assert _dead(suite, FAILING_ITEM) == {"catch:M#1", "catch:M#2"}
    # the wildcard catches the item's error-less failure and the non-array items
    assert "catch:M#3" in covered_goals(suite)
    assert _taken_catch_targets(FAILING_ITEM) == {"C2"}


def test_a_named_fail_error_is_catchable_and_others_are_not():
    definition = _map({"Boom": {"Type": "Fail", "Error": "Oops"}}, [["Other"], ["Oops"]], ResultPath=None)
    suite = replayed_suite(definition)
    assert _dead(suite, definition) == {"catch:M#1"}
    assert "catch:M#2" in covered_goals(suite)
    assert _taken_catch_targets(definition) == {"C1"}
    assert possible_errors(build_machine(definition).states["M"]) >= {"Oops", "States.QueryEvaluationError"}


def test_a_task_inside_keeps_every_catch_possible():
    definition = _map({"Work": {"Type": "Task", "Resource": LAMBDA, "End": True}}, [["Other"]], ResultPath=None)
    assert possible_errors(build_machine(definition).states["M"]) is None
    suite = replayed_suite(definition)
    assert _dead(suite, definition) == set()


def test_items_that_are_not_an_array_reach_the_wildcard_catch():
    definition = _map({"Pause": {"Type": "Wait", "Seconds": 20, "End": True}}, [["States.ALL"]],
                      InputPath="$.input", ItemsPath="$.items", ResultPath="$.result")
    suite = replayed_suite(definition)
    assert "catch:M#1" in covered_goals(suite)
    case = next(c for c in suite.cases if "catch:M#1" in c["covers"])
    assert not isinstance(case["input"]["input"]["items"], list)
    assert run(definition, case["input"], mocks={}).path == ["M", "C0"]


def test_result_path_failure_stays_possible_on_an_unchecked_raw_input():
    definition = _map({"Pause": {"Type": "Pass", "End": True}}, [["States.ResultPathMatchFailure"]],
                      ResultPath="$.result")
    assert "States.ResultPathMatchFailure" in possible_errors(build_machine(definition).states["M"])
    suite = replayed_suite(definition)
    assert _dead(suite, definition) == set()
    assert run(definition, [], mocks={}).path == ["M", "C0"]  # an array cannot hold $.result


def test_a_parallel_choice_without_default_may_raise_no_choice_matched():
    definition = {"StartAt": "M", "States": {
        "M": {"Type": "Parallel", "Branches": [{"StartAt": "Pick", "States": {
            "Pick": {"Type": "Choice", "Choices": [{"Variable": "$.go", "BooleanEquals": True, "Next": "Ok"}]},
            "Ok": {"Type": "Succeed"}}}],
            "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "C0"},
                      {"ErrorEquals": ["States.NoChoiceMatched"], "Next": "C1"}], "End": True},
        "C0": {"Type": "Pass", "End": True}, "C1": {"Type": "Pass", "End": True}}}
    assert "States.Timeout" not in possible_errors(build_machine(definition).states["M"])
    suite = replayed_suite(definition)
    assert _dead(suite, definition) == {"catch:M#1"}
    assert run(definition, {"go": False}, mocks={}).path == ["M", "C1"]


def test_computed_fail_errors_are_unbounded():
    definition = _map({"Boom": {"Type": "Fail", "ErrorPath": "$.code"}}, [["Anything"]], ResultPath=None)
    assert possible_errors(build_machine(definition).states["M"]) is None
    nested = _map({"Inner": {"Type": "Parallel", "Branches": [{"StartAt": "W", "States": {
        "W": {"Type": "Task", "Resource": LAMBDA, "End": True}}}], "End": True}}, [["Anything"]])
    assert possible_errors(build_machine(nested).states["M"]) is None


def test_a_branch_task_error_is_caught_with_what_the_task_needs_present():
    definition = {"StartAt": "M", "States": {
        "M": {"Type": "Parallel", "Branches": [{"StartAt": "Send", "States": {
            "Send": {"Type": "Task", "Resource": LAMBDA, "Parameters": {"Url.$": "$.QueueUrl"}, "End": True}}}],
            "Catch": [{"ErrorEquals": ["States.Runtime"], "Next": "C0"},
                      {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "C1"}], "End": True},
        "C0": {"Type": "Pass", "End": True}, "C1": {"Type": "Pass", "End": True}}}
    suite = replayed_suite(definition)
    assert _dead(suite, definition) == {"catch:M#1"}  # States.Runtime is uncatchable
    case = next(c for c in suite.cases if "catch:M#2" in c["covers"])
    assert "QueueUrl" in case["input"]  # without it the branch fails with the uncatchable States.Runtime
    assert case["expect"]["path"] == ["M", "C1"]
    # independently: the same mocks without the path end in States.Runtime, not in the catch
    bare = run(definition, {}, mocks=case["mocks"])
    assert bare.status == "FAILED" and bare.error == "States.Runtime"
