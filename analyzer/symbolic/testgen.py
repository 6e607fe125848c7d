"""Test generation: a small set of confirmed cases that together cover every feasible goal.

Goals are the top-level states, and (for ``branches`` coverage) every Choice rule, every
``Default`` and every ``Catch``. A goal is *covered* by a case whose run the interpreter
confirmed, *dead* when the solver proved no execution takes it (a dead rule, an exhaustive
Choice's ``Default``, or any goal the complete exploration never reached, or a state the
graph cannot reach), and *unknown* otherwise (the exploration was cut, or the path runs
through something outside the exact model).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from analyzer.model.build import build_machine
from analyzer.model.nodes import ChoiceState


@dataclass
class TestSuite:
    cases: list = field(default_factory=list)  # dicts in the case-file format
    summary: dict = field(default_factory=dict)
    mismatches: list = field(default_factory=list)
    has_choice: bool = False


def goal_label(goal: tuple) -> str:
    kind = goal[0]
    if kind == "state":
        return f"state:{goal[1]}"
    if kind == "default":
        return f"default:{goal[1]}"
    return f"{kind}:{goal[1]}#{goal[2] + 1}"


def generate(definition_value: Any, solver_settings=None, coverage: str = "branches",
             explore_budget: float = 4.0) -> TestSuite:
    from analyzer.graph.cfg import build_graph
    from analyzer.symbolic.analysis import has_choice
    from analyzer.symbolic.choices import analyse_choices
    from analyzer.symbolic.coverage import probe_states, select_cases
    from analyzer.symbolic.solver import Budget
    from analyzer.symbolic.symexec import Explorer, goals_of

    started = time.perf_counter()
    machine = build_machine(definition_value)
    suite = TestSuite(has_choice=has_choice(machine))
    goals = goals_of(machine, coverage)
    explorer = Explorer(machine, solver_settings, time_budget=explore_budget)
    exploration = explorer.run()
    choices = analyse_choices(machine, Budget.from_settings(solver_settings), frozenset(exploration.reached)) \
        if suite.has_choice else {}
    selection = select_cases(explorer, definition_value, goals, exploration.paths)
    suite.mismatches = selection.mismatches
    for n, (w, covered) in enumerate(selection.cases, 1):
        expect = {"status": w.status, "path": w.path, "output": w.output}
        if w.status != "SUCCEEDED" and w.error:
            expect["error"] = w.error
        suite.cases.append({
            "name": f"case-{n:03d}",
            "input": w.input,
            "mocks": w.mocks,
            "expect": expect,
            "covers": [goal_label(g) for g in covered],
        })
    unreached = {g for g in goals if g[0] == "state" and g not in selection.covered}
    probed = probe_states(machine, definition_value, unreached) if unreached else None
    if probed is not None:
        case, gained = probed
        for g in sorted(gained):  # the run entered it: an exploration that missed it was unsound
            if exploration.complete and g not in exploration.reached:
                suite.mismatches.append(f"the empty-input run enters {g[1]}, which the exploration never reached")
        suite.cases.append({"name": f"case-{len(suite.cases) + 1:03d}", **case,
                            "covers": [goal_label(g) for g in sorted(gained)]})
        selection.covered |= gained
    reachable = build_graph(machine).reachable("")
    dead = set()
    for goal in goals:
        if goal in selection.covered:
            continue
        state = machine.states.get(goal[1])
        if goal[0] == "state" and state is not None and state.pointer not in reachable:
            dead.add(goal)
        elif exploration.complete and goal not in exploration.reached:
            dead.add(goal)
        elif isinstance(state, ChoiceState) and state.pointer in choices:
            verdict = choices[state.pointer]
            if goal[0] == "rule" and verdict.rules[goal[2]].status == "dead":
                dead.add(goal)
            elif goal[0] == "default" and verdict.exhaustive is True:
                dead.add(goal)

    def count(kinds):
        mine = [g for g in goals if g[0] in kinds]
        cov = sum(1 for g in mine if g in selection.covered)
        dd = sum(1 for g in mine if g in dead)
        return {"total": len(mine), "covered": cov, "dead": dd, "unknown": len(mine) - cov - dd}

    unknown_goals = [goal_label(g) for g in goals if g not in selection.covered and g not in dead]
    suite.summary = {
        "coverage": coverage,
        "scope": "top-level states (Parallel branches and Map processors run inside their state)",
        "states": count({"state"}),
        "branches": count({"rule", "default", "catch"}),
        "cases": len(suite.cases),
        "unknown": unknown_goals,
        "exploration": {"complete": exploration.complete, "paths": len(exploration.paths),
                        "queries": exploration.queries + sum(0 for _ in ()),
                        "undecided_queries": exploration.unknowns,
                        "cut": sorted(set(r for r in exploration.cut_reasons if r))[:5]},
        "seconds": round(time.perf_counter() - started, 3),
    }
    return suite


def mock_config(stem: str, cases: list) -> dict:
    """The same mocks as an AWS Step Functions Local mock configuration (one test case per case file)."""
    machines: dict = {stem: {"TestCases": {}}}
    responses: dict = {}
    for case in cases:
        test_case = {}
        for state, outcomes in (case.get("mocks") or {}).items():
            name = f"{case['name']}-{state}"
            responses[name] = {str(i): outcome for i, outcome in enumerate(outcomes)}
            test_case[state] = name
        machines[stem]["TestCases"][case["name"]] = test_case
    return {"StateMachines": machines, "MockedResponses": responses}
