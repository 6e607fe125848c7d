"""Property: exploration of random workflows with inline Map states agrees with real runs.

Random acyclic JSONPath machines: the items of an inline Map come from the input
(``$.xs``), from a Pass that writes a list known in the definition, or from a Task result
(``$.list.items``); an ``ItemSelector`` may pass
``$$.Map.Item.Value``/``Index`` and a field of the state input; the ItemProcessor is a small
Choice over the item that goes to a Pass (a Result or a Parameters template) or to a Fail
state; the Map writes its result at a ``ResultPath``, may catch the errors raised inside,
and later Choices read the result (``$.out[0].x``). Every case the generator writes must
run as predicted in the interpreter, and no state that a random run enters may be
reported proved dead.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import agrees_with_runs

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"
SCALARS = [0, 1, 2, "a", "", True, None]
FIELDS = ["$.c", "$.out[0].x", "$.out[1].x", "$.out[0]", "$.out[1]", "$.out[0].v", "$.err.Error"]
INNER = ["$.v", "$.x", "$", "$.i", "$.c"]


@st.composite
def rules(draw, fields):
    variable = draw(st.sampled_from(fields))
    kind = draw(st.sampled_from(["num", "str", "present", "type", "bool"]))
    if kind == "num":
        rule = {"Variable": variable, draw(st.sampled_from(["NumericEquals", "NumericLessThan"])):
                draw(st.sampled_from([0, 1, 2]))}
    elif kind == "str":
        rule = {"Variable": variable, "StringEquals": draw(st.sampled_from(["a", "", "Bad"]))}
    elif kind == "bool":
        rule = {"Variable": variable, "BooleanEquals": draw(st.booleans())}
    elif kind == "present":
        rule = {"Variable": variable, "IsPresent": draw(st.booleans())}
    else:
        rule = {"Variable": variable, draw(st.sampled_from(["IsNumeric", "IsString", "IsNull"])): draw(st.booleans())}
    if draw(st.integers(0, 2)) == 0:
        rule = {"And": [{"Variable": variable, "IsPresent": True}, rule]}
    return rule


@st.composite
def processors(draw, selector):
    fields = INNER if selector else ["$", "$.x", "$.v"]
    states = {"Keep": {"Type": "Pass", "End": True},
              "Bad": {"Type": "Fail", "Error": draw(st.sampled_from(["Bad", "Other"]))}}
    pass_kind = draw(st.sampled_from(["keep", "result", "params"]))
    if pass_kind == "result":
        states["Keep"]["Result"] = {"x": draw(st.sampled_from(SCALARS))}
    elif pass_kind == "params":
        states["Keep"]["Parameters"] = {"x.$": draw(st.sampled_from(fields)), "k": draw(st.sampled_from(SCALARS))}
    if draw(st.booleans()):
        states["Check"] = {"Type": "Choice", "Choices": [
            {**draw(rules(fields)), "Next": draw(st.sampled_from(["Keep", "Bad"]))}
            for _ in range(draw(st.integers(1, 2)))], "Default": draw(st.sampled_from(["Keep", "Bad"]))}
        start = "Check"
    else:
        start = "Keep"
    return {"StartAt": start, "States": states}


@st.composite
def machines(draw):
    n = draw(st.integers(2, 5))
    names = [f"S{i}" for i in range(n)] + ["End", "Boom"]
    states = {"End": {"Type": "Succeed"}, "Boom": {"Type": "Fail", "Error": "Boom"}}

    def later(i):
        return draw(st.sampled_from(names[i + 1:]))

    for i in range(n):
        kind = draw(st.sampled_from(["map", "map", "task", "known_items", "choice", "choice"]))
        name = names[i]
        if kind == "known_items":  # the Map after it iterates over a list known in the definition
            states[name] = {"Type": "Pass", "Result": draw(st.lists(items, max_size=3)), "ResultPath": "$.xs",
                            "Next": later(i)}
        elif kind == "task":
            states[name] = {"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.list", "Next": later(i)}
        elif kind == "map":
            selector = draw(st.booleans())
            state = {"Type": "Map", "ItemsPath": draw(st.sampled_from(["$.xs", "$.list.items"])),
                     "ItemProcessor": draw(processors(selector)),
                     "ResultPath": draw(st.sampled_from(["$.out", "$.out", "$.xs"])), "Next": later(i)}
            if selector:
                state["ItemSelector"] = {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"}
                if draw(st.booleans()):
                    state["ItemSelector"]["c.$"] = "$.c"
            if draw(st.booleans()):
                state["Catch"] = [{"ErrorEquals": ["Bad"], "ResultPath": "$.err", "Next": later(i)},
                                  {"ErrorEquals": ["States.ALL"], "Next": later(i)}]
            states[name] = state
        else:
            choices = [{**draw(rules(FIELDS)), "Next": later(i)} for _ in range(draw(st.integers(1, 3)))]
            states[name] = {"Type": "Choice", "Choices": choices, "Default": later(i)}
    return {"StartAt": "S0", "States": states}


items = st.one_of(st.sampled_from(SCALARS), st.fixed_dictionaries({"x": st.sampled_from(SCALARS)}))
arrays = st.one_of(st.lists(items, max_size=3), st.sampled_from(SCALARS))
inputs = st.fixed_dictionaries({}, optional={"xs": arrays, "c": st.sampled_from(SCALARS)})
results = st.one_of(
    st.builds(lambda r: {"Return": r}, st.fixed_dictionaries({}, optional={"items": arrays})),
    st.builds(lambda e: {"Throw": {"Error": e, "Cause": "c"}}, st.sampled_from(["E1", "Bad"])))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(machines(), st.lists(st.tuples(inputs, results), min_size=1, max_size=8))
def test_map_exploration_agrees_with_runs(definition, samples):
    agrees_with_runs(definition, samples)
