"""One model-checking pass per definition, shared by every solver rule and by ``aslcheck tests``.

:func:`analyse` runs the per-Choice analysis (:mod:`analyzer.symbolic.choices`) and the
path-sensitive exploration (:mod:`analyzer.symbolic.symexec`) once and caches the result
in the rule context (``ctx.cache["symbolic"]``); the per-Choice verdicts are also published
as ``ctx.cache["choice_verdicts"]`` for ASL204. Definitions without Choice states skip the
solver entirely in lint mode unless a path-sensitive rule needs it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Optional

from analyzer.model.nodes import ChoiceState
from analyzer.symbolic.solver import Budget


@dataclass
class Analysis:
    choices: dict = field(default_factory=dict)  # pointer -> ChoiceVerdict
    exploration: Any = None  # Exploration of the top-level scope (None when skipped)
    explorer: Any = None
    path_witnesses: dict = field(default_factory=dict)  # goal -> Witness (confirmed)
    missing_reads: list = field(default_factory=list)  # (PathRecord, Witness)
    mismatches: list = field(default_factory=list)
    seconds: float = 0.0


def _has_cycle(machine) -> bool:
    """Whether the top-level states can revisit a state (Next, Choice, Default and Catch edges)."""
    from analyzer.model.nodes import MISSING

    edges: dict[str, list] = {}
    for name, state in machine.states.items():
        targets = [state.next, getattr(state, "default", MISSING)]
        targets += [r.next for r in getattr(state, "choices", ())]
        targets += [c.next for c in getattr(state, "catch", ())]
        edges[name] = [t for t in targets if isinstance(t, str) and t in machine.states]
    colour: dict[str, int] = {}
    for root in edges:
        if colour.get(root):
            continue
        stack = [(root, iter(edges[root]))]
        colour[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
            elif colour.get(nxt) == 1:
                return True
            elif not colour.get(nxt):
                colour[nxt] = 1
                stack.append((nxt, iter(edges[nxt])))
    return False


def has_choice(machine) -> bool:
    return any(isinstance(s, ChoiceState) for s in machine.walk_states())


def analyse(ctx) -> Optional[Analysis]:
    if "symbolic" in ctx.cache:
        return ctx.cache["symbolic"]  # None after a failure: reported once, by the first rule that asked
    solver_settings = getattr(ctx.settings, "solver", None)
    if solver_settings is not None and not solver_settings.enabled:
        return None
    ctx.cache["symbolic"] = None
    result = analyse_machine(ctx.machine, ctx.definition.value, solver_settings)
    ctx.cache["symbolic"] = result
    ctx.cache["choice_verdicts"] = verdicts_for_asl204(result)
    return result


def for_rule(ctx) -> Optional[Analysis]:
    """The shared pass as an ASL5xx rule sees it: None when the solver is off or the pass failed."""
    from analyzer.symbolic.describe import solver_enabled

    if not solver_enabled(ctx):
        return None
    return analyse(ctx)


def choice_verdicts(ctx, analysis: Analysis):
    """``(scope, state, verdict)`` for every Choice state, in every scope, that has a per-Choice verdict."""
    for scope in ctx.machine.walk_scopes():
        for state in scope.states.values():
            verdict = analysis.choices.get(state.pointer) if isinstance(state, ChoiceState) else None
            if verdict is not None:
                yield scope, state, verdict


def verdicts_for_asl204(result: "Analysis") -> dict:
    """``pointer -> {"exhaustive", "witness"}``: an execution witness when one was found, else the state's input."""
    out = {}
    for pointer, verdict in result.choices.items():
        witness = None
        if verdict.exhaustive is False:
            execution = result.path_witnesses.get(("default", verdict.name)) if pointer.count("/") == 2 else None
            if execution is not None:
                witness = execution.as_data()
            else:
                witness = {"input": verdict.witness, "path": [pointer], "scope": "state input"}
        out[pointer] = {"exhaustive": verdict.exhaustive, "witness": witness}
    return out


def analyse_machine(machine, definition_value, solver_settings=None, explore_budget: float = 0.5) -> Analysis:
    from analyzer.symbolic.choices import analyse_choices
    from analyzer.symbolic.coverage import confirm
    from analyzer.symbolic.symexec import Explorer

    started = time.perf_counter()
    out = Analysis()
    if not has_choice(machine):
        return out
    budget = Budget.from_settings(solver_settings)
    if _has_cycle(machine):
        # A loop is always cut by the unroll bound, so no path-sensitive claim could be made;
        # lint skips the exploration there (``aslcheck tests`` still explores it).
        out.choices = analyse_choices(machine, budget)
        out.seconds = time.perf_counter() - started
        return out
    explorer = Explorer(machine, solver_settings, time_budget=explore_budget, check_requirements=False)
    out.exploration = explorer.run()
    out.explorer = explorer
    out.choices = analyse_choices(machine, budget, frozenset(out.exploration.reached))
    # witnesses for NoChoiceMatched and for reads of values the machine never wrote
    wanted_defaults: set = set()
    missing_seen: set = set()
    for record in out.exploration.paths:
        if record.missing_read is not None:
            if record.missing_read["pointer"] in missing_seen:
                continue
            c = confirm(explorer, definition_value, record)
            if c.mismatch:
                out.mismatches.append(c.mismatch)
            if c.witness is not None:
                missing_seen.add(record.missing_read["pointer"])
                out.missing_reads.append((record, c.witness))
        elif record.error == "States.NoChoiceMatched":
            goal = record.goals[-1]
            if goal in wanted_defaults:
                continue
            c = confirm(explorer, definition_value, record)
            if c.mismatch:
                out.mismatches.append(c.mismatch)
            if c.witness is not None:
                wanted_defaults.add(goal)
                out.path_witnesses[goal] = c.witness
    out.seconds = time.perf_counter() - started
    return out
