"""Property: path-sensitive exploration agrees with real runs on random small workflows.

Random acyclic machines of Pass (a Result written at a ResultPath, a Parameters template that
renames fields, States.MathAdd), Task (a mocked result at a ResultPath, with or without
Catch), Parallel (two Pass branches and a ResultSelector), Choice (rules over the fields
those states write) and Succeed/Fail are given to the test generator. Every case it writes
must run as predicted in the interpreter (no mismatch), and no state that a run with random
input and random Task results enters may be reported proved dead.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import agrees_with_runs


LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"
SCALARS = [0, 1, 2, 1.5, -1, "a", "b", "", True, False, None]
FIELDS = ["$.a", "$.b", "$.r.a", "$.r.b"]


@st.composite
def conditions(draw):
    variable = draw(st.sampled_from(FIELDS))
    kind = draw(st.sampled_from(["num", "str", "bool", "present", "type"]))
    if kind == "num":
        op = draw(st.sampled_from(["NumericEquals", "NumericLessThan", "NumericGreaterThanEquals"]))
        rule = {"Variable": variable, op: draw(st.sampled_from([0, 1, 2, 1.5]))}
    elif kind == "str":
        rule = {"Variable": variable, draw(st.sampled_from(["StringEquals", "StringLessThan"])):
                draw(st.sampled_from(["a", "b", ""]))}
    elif kind == "bool":
        rule = {"Variable": variable, "BooleanEquals": draw(st.booleans())}
    elif kind == "present":
        rule = {"Variable": variable, "IsPresent": draw(st.booleans())}
    else:
        rule = {"Variable": variable, draw(st.sampled_from(["IsNumeric", "IsString", "IsNull"])): draw(st.booleans())}
    if draw(st.integers(0, 3)) == 0:  # guard against the missing-path runtime error sometimes
        rule = {"And": [{"Variable": variable, "IsPresent": True}, rule]}
    return rule


@st.composite
def machines(draw, loops=False):
    n = draw(st.integers(2, 6))
    names = [f"S{i}" for i in range(n)] + ["End", "Boom"]
    states = {"End": {"Type": "Succeed"}, "Boom": {"Type": "Fail", "Error": "Boom"}}

    def later(i):
        return draw(st.sampled_from(names[i + 1:]))

    for i in range(n):
        kind = draw(st.sampled_from(["pass_result", "pass_params", "pass_add", "task", "task_catch", "parallel",
                                     "choice", "choice"]))
        name = names[i]
        if kind == "pass_result":
            states[name] = {"Type": "Pass", "Result": draw(st.sampled_from(SCALARS)),
                            "ResultPath": draw(st.sampled_from(["$.a", "$.b"])), "Next": later(i)}
        elif kind == "pass_params":
            states[name] = {"Type": "Pass", "Parameters": {"a.$": draw(st.sampled_from(["$.b", "$.a"])),
                                                           "b": draw(st.sampled_from(SCALARS))}, "Next": later(i)}
        elif kind == "pass_add":
            states[name] = {"Type": "Pass", "Parameters": {"a.$": "States.MathAdd($.a, 1)", "b.$": "$.b"},
                            "Next": later(i)}
        elif kind == "task":
            states[name] = {"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.r", "Next": later(i)}
        elif kind == "task_catch":
            states[name] = {"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.r", "Next": later(i),
                            "Catch": [{"ErrorEquals": ["E1"], "ResultPath": "$.err", "Next": later(i)},
                                      {"ErrorEquals": ["States.ALL"], "Next": later(i)}]}
        elif kind == "parallel":
            branch = {"StartAt": f"{name}b", "States": {f"{name}b": {
                "Type": "Pass", "Parameters": {"a.$": "$.b", "b": draw(st.sampled_from(SCALARS))}, "End": True}}}
            other = {"StartAt": f"{name}c", "States": {f"{name}c": {
                "Type": "Pass", "Result": draw(st.sampled_from(SCALARS)), "End": True}}}
            states[name] = {"Type": "Parallel", "Branches": [branch, other], "ResultPath": "$.r",
                            "ResultSelector": {"a.$": "$[0].a", "b.$": "$[1]"}, "Next": later(i)}
        else:
            def target():  # now and then a loop back to an earlier state
                if i > 0 and loops and draw(st.integers(0, 4)) == 0:
                    return draw(st.sampled_from(names[:i]))
                return later(i)

            rules = [{**draw(conditions()), "Next": target()} for _ in range(draw(st.integers(1, 3)))]
            states[name] = {"Type": "Choice", "Choices": rules, "Default": target()}
    return {"StartAt": "S0", "States": states}


inputs = st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(SCALARS), max_size=2)
results = st.one_of(
    st.builds(lambda r: {"Return": r}, st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(SCALARS), max_size=2)),
    st.builds(lambda e: {"Throw": {"Error": e, "Cause": "c"}}, st.sampled_from(["E1", "E2"])))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(machines(), st.lists(st.tuples(inputs, results), min_size=1, max_size=8))
def test_exploration_agrees_with_runs(definition, samples):
    agrees_with_runs(definition, samples)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(machines(loops=True), st.lists(st.tuples(inputs, results), min_size=1, max_size=8))
def test_exploration_of_loops_agrees_with_runs(definition, samples):
    """Choices that jump back make loops (counted by MathAdd, or endless): the bounded
    exploration may leave goals unknown, never dead, and its cases still replay."""
    agrees_with_runs(definition, samples)


