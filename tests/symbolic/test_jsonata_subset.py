"""The JSONata Condition subset: z3 verdicts checked against the jsonata package the interpreter uses."""

from __future__ import annotations

import random

import pytest

from analyzer.interp import jsonata_eval as ja
from analyzer.interp.failures import StatesError
from analyzer.symbolic.jsonata import encode_condition
from analyzer.symbolic.solver import z3
from analyzer.symbolic.values import Store

CONDITIONS = [
    "$states.input.x > 5",
    "$states.input.x = 'a' and $exists($states.input.y)",
    "$states.input.x + 1 >= 2 * 3",
    "$states.input.c",
    "$not($states.input.c) or $states.input.n != 3",
    "$states.input.a.b < \"m\"",
    "($states.input.n - 2) / 2 = 1.5",
    # a present operand of the wrong type is an error even when the other side is undefined
    "$states.input.x + 'a' = 1",
    "$states.input.x < true",
]

INPUTS = [{}, {"x": 6}, {"x": 5}, {"x": "a"}, {"x": "a", "y": None}, {"x": True}, {"c": True}, {"c": False},
          {"c": "yes"}, {"n": 3}, {"n": 5}, {"n": "5"}, {"a": {"b": "k"}}, {"a": {"b": "z"}}, {"a": 1}, {"x": 5.5}]


def _concrete(condition, value):
    """('true' | 'false' | 'error') as a Choice sees the condition, by the jsonata package."""
    try:
        out = ja.evaluate_raw("{% " + condition + " %}", {"states": {"input": value}}, random.Random(0))
    except StatesError:
        return "error"
    if out is True:
        return "true"
    if out is False:
        return "false"
    return "error"  # undefined or not a boolean: States.QueryEvaluationError


def _pin(store, value, steps=()):
    """Constraints that make the symbolic input equal to ``value`` on every path the encoding read."""
    from analyzer.symbolic.values import constant

    m = z3()
    out = []
    for (origin, path), v in list(store.values.items()):
        node = value
        present = True
        for step in path:
            if isinstance(node, dict) and step in node:
                node = node[step]
            else:
                present = False
                break
        if not present:
            out.append(m.Not(v.present))
            continue
        c = constant(node)
        out += [v.present, v.tag == c.tag]
        if isinstance(node, bool):
            out.append(v.flag == c.flag)
        elif isinstance(node, (int, float)):
            out.append(v.num == c.num)
        elif isinstance(node, str):
            out.append(v.text == c.text)
    return out


@pytest.mark.parametrize("condition", CONDITIONS)
def test_encoding_agrees_with_jsonata_on_sample_inputs(condition):
    m = z3()
    store = Store()
    taken, error = encode_condition("{% " + condition + " %}", lambda steps: store.get(("in",), steps))
    for value in INPUTS:
        s = m.Solver()
        s.add(*store.pending)
        s.add(*_pin(store, value))
        s.add(store.get(("in",), ()).tag == 5)  # the input is an object
        outcomes = set()
        for name, formula in (("true", taken), ("error", error),
                              ("false", m.And(m.Not(taken), m.Not(error)))):
            if s.check(formula) == m.sat:
                outcomes.add(name)
        assert outcomes == {_concrete(condition, value)}, (condition, value, outcomes)


def test_outside_the_subset_is_unknown_not_guessed():
    store = Store()
    for text in ("{% $sum($states.input.xs) > 1 %}", "{% $states.input.xs[0] = 1 %}", "{% $myVar = 1 %}",
                 "not a condition"):
        assert encode_condition(text, lambda steps: store.get(("in",), steps)) is None


def test_jsonata_choice_cases_replay_through_the_interpreter():
    from analyzer.interp.interpreter import run
    from analyzer.symbolic.testgen import generate

    definition = {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Condition": "{% $states.input.n > 10 %}", "Next": "Big"},
            {"Condition": "{% $states.input.n > 20 %}", "Next": "Never"}], "Default": "Small"},
        "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}, "Never": {"Type": "Succeed"}}}
    suite = generate(definition)
    assert suite.mismatches == []
    for case in suite.cases:
        assert run(definition, case["input"], mocks=case["mocks"]).path == case["expect"]["path"]
    assert suite.summary["branches"] == {"total": 3, "covered": 2, "dead": 1, "unknown": 0}


def test_jsonata_choice_verdicts_for_lint():
    from analyzer.model.build import build_machine
    from analyzer.symbolic.choices import analyse_choice
    from analyzer.symbolic.solver import Budget

    definition = {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Condition": "{% $states.input.n > 10 %}", "Next": "A"},
            {"Condition": "{% $states.input.n > 20 %}", "Next": "A"},
            {"Condition": "{% $states.input.n <= 10 %}", "Next": "A"}]},
        "A": {"Type": "Succeed"}}}
    v = analyse_choice(build_machine(definition).states["C"], Budget())
    assert [r.status for r in v.rules] == ["reachable", "dead", "reachable"]
    # n missing: undefined (an error for a Condition); n not a number: an error; so no input reaches Default
    assert v.exhaustive is True
    gap = {**definition, "States": {**definition["States"], "C": {"Type": "Choice", "Choices": [
        {"Condition": "{% $states.input.s = 'a' %}", "Next": "A"},
        {"Condition": "{% $exists($states.input.t) %}", "Next": "A"}]}}}
    w = analyse_choice(build_machine(gap).states["C"], Budget())
    assert w.exhaustive is False
    assert _concrete("$states.input.s = 'a'", w.witness) == "false"
    assert _concrete("$exists($states.input.t)", w.witness) == "false"
