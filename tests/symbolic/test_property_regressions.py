"""Soundness bugs the workflow properties found, each as a small fixed machine.

Every generated case is replayed by the interpreter (``replayed_suite``: no mismatch, the
predicted path and status), and goals a run reaches must not be claimed dead.
"""

from __future__ import annotations

from analyzer.interp.interpreter import run

from .helpers import covered_goals, replayed_suite

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"


def _dead(suite) -> set:
    return {g for g in _goals(suite) if g not in covered_goals(suite) and g not in suite.summary["unknown"]}


def _goals(suite) -> set:
    return {g for c in suite.cases for g in c["covers"]} | set(suite.summary["unknown"]) | set(suite.summary.get("dead", ()))


# --------------------------------------------------------------------------- JSONata


def test_an_undefined_jsonata_argument_is_a_catchable_query_error():
    """``Arguments`` reading a field of a number is undefined: States.QueryEvaluationError, which
    ``States.ALL`` catches (it used to be predicted as the uncatchable States.Runtime)."""
    definition = {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"x": 0}, "Next": "S0"},
        "S0": {"Type": "Pass", "Output": "{% $x %}", "Next": "S1"},
        "S1": {"Type": "Task", "Resource": LAMBDA, "Arguments": {"p": "{% $states.input.a %}"}, "Next": "End",
               "Catch": [{"ErrorEquals": ["E1"], "Next": "End"}, {"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
        "End": {"Type": "Succeed"}, "Caught": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    assert {"state:Caught", "catch:S1#2"} <= covered_goals(suite)
    assert run(definition, {}).path == ["Init", "S0", "S1", "Caught"]



def test_a_failing_rule_output_fails_only_the_runs_that_take_the_rule():
    """A rule's ``Output`` reading nothing fails the state only when that rule matches; the
    failure used to be predicted for every input, so its witness took the Default instead."""
    definition = {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"x": 0}, "Next": "S0"},
        "S0": {"Type": "Choice", "Choices": [
            {"Condition": "{% $exists($states.input.a) %}", "Next": "S1", "Output": "{% $x.a %}"}],
            "Default": "S1"},
        "S1": {"Type": "Pass", "Next": "S2"},
        "S2": {"Type": "Pass", "Output": "{% $states.input.a %}", "Next": "End"},
        "End": {"Type": "Succeed"}}}
    suite = replayed_suite(definition)
    failing = [c for c in suite.cases if c["expect"]["path"] == ["Init", "S0"]]
    assert failing and all("a" in c["input"] for c in failing)
    assert run(definition, {"a": 1}).path == ["Init", "S0"]


def test_a_named_catch_of_a_jsonata_task_is_witnessed_with_its_arguments_defined():
    """The catch of a specific error needs the Task to run (so ``Arguments`` defined); only the
    catcher of States.QueryEvaluationError is taken without them."""
    definition = {"QueryLanguage": "JSONata", "StartAt": "Get", "States": {
        "Get": {"Type": "Task", "Resource": LAMBDA, "Arguments": {"Bucket": "{% $states.input.Bucket %}"},
                "Catch": [{"ErrorEquals": ["S3.NoSuchKey"], "Next": "Missing"}], "Next": "Done"},
        "Done": {"Type": "Succeed"}, "Missing": {"Type": "Fail"}}}
    suite = replayed_suite(definition)
    assert {"catch:Get#1", "state:Missing", "state:Done"} <= covered_goals(suite)


def test_an_object_cast_to_a_boolean_is_left_open_not_trusted():
    """``$states.input.a`` as an ``and`` operand: JSONata casts an object by its emptiness, which
    the encoding leaves open, so a witness that relies on it is run before it is written (an
    input ``{"a": {}}`` used to be predicted to take the second rule and then failed in its
    Output)."""
    definition = {"QueryLanguage": "JSONata", "StartAt": "S0", "States": {
        "End": {"Type": "Succeed"},
        "S0": {"Type": "Pass", "Next": "S1", "Output": {"a": "{% $states.input.a %}", "b": 0}},
        "S1": {"Type": "Choice", "Choices": [
            {"Condition": "{% ($exists($states.input.a)) and ($states.input.a) %}", "Next": "End"},
            {"Condition": "{% $exists($states.input.a) %}", "Next": "End", "Output": "{% $states.input.a.c %}"}],
            "Default": "End"}}}
    suite = replayed_suite(definition)
    assert not _dead(suite) & {"rule:S1#1", "rule:S1#2"}
    assert run(definition, {"a": {}}).error == "States.QueryEvaluationError"
