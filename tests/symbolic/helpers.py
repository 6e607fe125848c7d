"""Shared helpers: build Choice machines, analyse them, replay witnesses independently."""

from __future__ import annotations

from analyzer.model.build import build_machine
from analyzer.semantics.choice import evaluate_choice_concrete
from analyzer.symbolic.choices import analyse_choice
from analyzer.symbolic.solver import Budget
from analyzer.symbolic.terms import Conc, lookup, materialize, path_steps


def choice_machine(choices, default="Other"):
    """One Choice state ``C``; every rule goes to its own Succeed state ``R0``, ``R1``..."""
    states = {"C": {"Type": "Choice", "Choices": []}}
    for i, rule in enumerate(choices):
        states["C"]["Choices"].append({**rule, "Next": f"R{i}"})
        states[f"R{i}"] = {"Type": "Succeed"}
    if default is not None:
        states["C"]["Default"] = default
        states[default] = {"Type": "Succeed"}
    return {"StartAt": "C", "States": states}


def verdict(choices, default="Other", budget=None):
    machine = build_machine(choice_machine(choices, default))
    return analyse_choice(machine.states["C"], budget or Budget())


def statuses(v):
    return [r.status for r in v.rules]


def concrete_choice(definition: dict, state: str, value):
    """Which way the shared concrete Choice code sends ``value`` (independent of the solver)."""
    rules = build_machine(definition).states[state].choices

    def read(path):
        root, steps = path_steps(path)
        assert root == "$"
        return materialize(lookup(Conc(value), steps))

    return evaluate_choice_concrete(rules, read)


def replayed_suite(definition: dict):
    """The generated suite, after checking that the interpreter follows every case exactly."""
    from analyzer.interp.interpreter import run
    from analyzer.symbolic.testgen import generate

    suite = generate(definition)
    assert suite.mismatches == []
    for case in suite.cases:
        res = run(definition, case["input"], mocks=case["mocks"])
        assert res.path == case["expect"]["path"], case
        assert res.status == case["expect"]["status"], case
    return suite


def covered_goals(suite) -> set:
    return {goal for case in suite.cases for goal in case["covers"]}


def agrees_with_runs(definition: dict, samples) -> None:
    """The check every workflow property makes: the generated suite has no mismatch, every case
    replays (once more, independently of the generator), and no state a run with a sampled
    input and Task response (``(input, mock response)`` pairs) enters is reported dead."""
    from analyzer.interp.interpreter import run
    from analyzer.symbolic.testgen import generate

    suite = generate(definition, explore_budget=2.0)
    assert suite.mismatches == [], (definition, suite.mismatches)
    for case in suite.cases:
        res = run(definition, case["input"], mocks=case["mocks"])
        assert (res.status, res.path) == (case["expect"]["status"], case["expect"]["path"]), (definition, case)
    covered = {g for c in suite.cases for g in c["covers"]}
    states = {f"state:{n}" for n in definition["States"]}
    dead = states - covered - set(suite.summary["unknown"])
    tasks = [n for n, s in definition["States"].items() if s["Type"] == "Task"]
    for value, result in samples:
        res = run(definition, value, mocks={t: result for t in tasks}, max_transitions=300)
        entered = {f"state:{n}" for n in res.path}
        assert not entered & dead, (definition, value, result, sorted(entered & dead))
