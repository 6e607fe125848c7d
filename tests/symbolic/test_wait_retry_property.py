"""Property: exploration of random workflows with Wait states and retried Tasks agrees with runs.

Random acyclic JSONPath machines of Wait (``Seconds``, or ``SecondsPath`` at a field the
input may hold with any type), Task (a result at a ResultPath, with Retry entries for
some errors and with or without Catch), Pass and Choice. The random runs give each Task a
list of responses (errors thrown first, then a result) or one response for every call.
Every case the generator writes must run as predicted, and no state that a random run
enters may be reported proved dead.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import agrees_with_runs
from .test_machine_soundness_property import conditions

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"
SCALARS = [0, 1, 2, 1.5, -1, "a", "", True, None]


@st.composite
def machines(draw):
    n = draw(st.integers(2, 6))
    names = [f"S{i}" for i in range(n)] + ["End", "Boom"]
    states = {"End": {"Type": "Succeed"}, "Boom": {"Type": "Fail", "Error": "Boom"}}

    def later(i):
        return draw(st.sampled_from(names[i + 1:]))

    for i in range(n):
        kind = draw(st.sampled_from(["wait", "wait_path", "task", "task", "pass", "choice", "choice"]))
        name = names[i]
        if kind == "wait":
            states[name] = {"Type": "Wait", "Seconds": draw(st.sampled_from([0, 1, 5])), "Next": later(i)}
        elif kind == "wait_path":
            states[name] = {"Type": "Wait", "SecondsPath": draw(st.sampled_from(["$.a", "$.b", "$.r.a"])),
                            "Next": later(i)}
        elif kind == "pass":
            states[name] = {"Type": "Pass", "Result": draw(st.sampled_from(SCALARS)),
                            "ResultPath": draw(st.sampled_from(["$.a", "$.b"])), "Next": later(i)}
        elif kind == "task":
            state = {"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.r", "Next": later(i)}
            retry = [{"ErrorEquals": [draw(st.sampled_from(["E1", "E2", "States.ALL", "States.TaskFailed"]))],
                      "MaxAttempts": draw(st.integers(0, 2)), "IntervalSeconds": 1}
                     for _ in range(draw(st.integers(0, 2)))]
            if retry:
                state["Retry"] = retry
            if draw(st.booleans()):
                state["Catch"] = [{"ErrorEquals": ["E1"], "ResultPath": "$.err", "Next": later(i)},
                                  {"ErrorEquals": ["States.ALL"], "Next": later(i)}]
            states[name] = state
        else:
            rules = [{**draw(conditions()), "Next": later(i)} for _ in range(draw(st.integers(1, 3)))]
            states[name] = {"Type": "Choice", "Choices": rules, "Default": later(i)}
    return {"StartAt": "S0", "States": states}


inputs = st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(SCALARS), max_size=2)
returns = st.builds(lambda r: {"Return": r}, st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(SCALARS),
                                                             max_size=2))
throws = st.builds(lambda e: {"Throw": {"Error": e, "Cause": "c"}}, st.sampled_from(["E1", "E2"]))
results = st.one_of(returns, throws, st.builds(lambda t, r: t + [r], st.lists(throws, min_size=1, max_size=3), returns))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(machines(), st.lists(st.tuples(inputs, results), min_size=1, max_size=8))
def test_wait_and_retry_exploration_agrees_with_runs(definition, samples):
    agrees_with_runs(definition, samples)
