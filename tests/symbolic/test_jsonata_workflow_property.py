"""Property: exploration of random JSONata workflows agrees with real runs.

Random acyclic ``"QueryLanguage": "JSONata"`` machines of Pass (``Output`` templates of
plain paths and literals, ``Assign`` of variables), Task (``Arguments``, ``Output`` and
``Assign`` reading ``$states.result``, with or without Catch), Choice (``Condition``
expressions of the documented subset of :mod:`analyzer.symbolic.jsonata` over
``$states.input`` and variables) and Succeed/Fail are given to the test generator. Every case
it writes must run as predicted in the interpreter (no mismatch), and no state that a run
with random input and random Task results enters may be reported proved dead.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import agrees_with_runs


LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"
SCALARS = [0, 1, 2, 1.5, -1, "a", "b", "", True, False, None]
LITERALS = ["0", "1", "2", "1.5", "'a'", "\"b\"", "''", "true", "false", "null"]
VARIABLES = ["$x", "$y"]
READS = ["$states.input.a", "$states.input.b", "$states.input.r.a", "$states.input.a.c"]


def _reads(draw, result=False):
    options = READS + VARIABLES + ["$x.a"]
    if result:
        options += ["$states.result.a", "$states.result.b", "$states.result"]
    return draw(st.sampled_from(options))


@st.composite
def values(draw, result=False):
    """An ``Output``/``Assign``/``Arguments`` value: a literal or a plain path (which must be defined)."""
    if draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(SCALARS))
    return "{% " + _reads(draw, result) + " %}"


@st.composite
def operands(draw):
    if draw(st.booleans()):
        return draw(st.sampled_from(LITERALS))
    operand = draw(st.sampled_from(READS + VARIABLES))
    if draw(st.integers(0, 4)) == 0:
        operand = f"({operand} {draw(st.sampled_from(['+', '-', '*']))} {draw(st.sampled_from(['1', '2']))})"
    return operand


@st.composite
def leaves(draw):
    kind = draw(st.sampled_from(["cmp", "cmp", "exists", "plain"]))
    if kind == "cmp":
        return f"{draw(operands())} {draw(st.sampled_from(['=', '!=', '<', '<=', '>', '>=']))} {draw(operands())}"
    if kind == "exists":
        return f"$exists({draw(st.sampled_from(READS + VARIABLES))})"
    return draw(st.sampled_from(READS + VARIABLES))


conditions = st.recursive(leaves(), lambda inner: st.one_of(
    st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
    st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
    st.builds(lambda a: f"$not({a})", inner)), max_leaves=3)


@st.composite
def assigns(draw, result=False):
    names = draw(st.lists(st.sampled_from(["x", "y"]), unique=True, max_size=2))
    return {n: draw(values(result)) for n in names}


@st.composite
def outputs(draw, result=False):
    if draw(st.integers(0, 3)) == 0:
        return "{% " + _reads(draw, result) + " %}"
    return {k: draw(values(result)) for k in draw(st.lists(st.sampled_from(["a", "b", "r"]), unique=True, max_size=3))}


@st.composite
def machines(draw):
    n = draw(st.integers(2, 6))
    names = [f"S{i}" for i in range(n)] + ["End", "Boom"]
    states = {"End": {"Type": "Succeed"}, "Boom": {"Type": "Fail", "Error": "Boom"}}

    def later(i):
        return draw(st.sampled_from(names[i + 1:]))

    for i in range(n):
        kind = draw(st.sampled_from(["pass", "task", "task_catch", "choice", "choice"]))
        name = names[i]
        state: dict
        if kind == "pass":
            state = {"Type": "Pass", "Next": later(i)}
            if draw(st.booleans()):
                state["Output"] = draw(outputs())
            if draw(st.booleans()):
                state["Assign"] = draw(assigns())
        elif kind in ("task", "task_catch"):
            state = {"Type": "Task", "Resource": LAMBDA, "Next": later(i)}
            if draw(st.booleans()):
                state["Arguments"] = {"p": draw(values())}
            if draw(st.booleans()):
                state["Output"] = draw(outputs(result=True))
            if draw(st.booleans()):
                state["Assign"] = draw(assigns(result=True))
            if kind == "task_catch":
                state["Catch"] = [{"ErrorEquals": ["E1"], "Next": later(i),
                                   "Output": {"e": "{% $states.errorOutput.Error %}"}},
                                  {"ErrorEquals": ["States.ALL"], "Next": later(i)}]
                if draw(st.booleans()):
                    state["Catch"][1]["Assign"] = {"x": draw(st.sampled_from(SCALARS))}
        else:
            rules = []
            for _ in range(draw(st.integers(1, 3))):
                rule = {"Condition": "{% " + draw(conditions) + " %}", "Next": later(i)}
                if draw(st.integers(0, 3)) == 0:
                    rule["Assign"] = draw(assigns())
                if draw(st.integers(0, 3)) == 0:
                    rule["Output"] = draw(outputs())
                rules.append(rule)
            state = {"Type": "Choice", "Choices": rules, "Default": later(i)}
            if draw(st.integers(0, 3)) == 0:
                state["Assign"] = draw(assigns())
        states[name] = state
    definition = {"QueryLanguage": "JSONata", "StartAt": "S0", "States": states}
    if draw(st.booleans()):  # variables declared up front, or read before any Assign
        states["Init"] = {"Type": "Pass", "Assign": {"x": draw(st.sampled_from(SCALARS)),
                                                     "y": draw(st.sampled_from(SCALARS))}, "Next": "S0"}
        definition["StartAt"] = "Init"
    return definition


documents = st.one_of(st.sampled_from(SCALARS), st.fixed_dictionaries({"a": st.sampled_from(SCALARS)}))
inputs = st.dictionaries(st.sampled_from(["a", "b", "r"]), documents, max_size=3)
results = st.one_of(
    st.builds(lambda r: {"Return": r}, st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(SCALARS),
                                                        max_size=2)),
    st.builds(lambda r: {"Return": r}, st.sampled_from(SCALARS)),
    st.builds(lambda e: {"Throw": {"Error": e, "Cause": "c"}}, st.sampled_from(["E1", "E2"])))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(machines(), st.lists(st.tuples(inputs, results), min_size=1, max_size=8))
def test_jsonata_exploration_agrees_with_runs(definition, samples):
    agrees_with_runs(definition, samples)


