"""ASL501: a Choice rule that can never be taken (proved by the z3 model checker)."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import ChoiceState


class DeadChoiceBranch(Rule):
    id = "ASL501"
    name = "dead-choice-branch"
    severity = Severity.WARNING
    category = "solver"
    tags = ("correctness", "solver", "choice")
    precision = "very-high"
    uses_solver = True
    doc = """
A Choice rule can never be the one taken: its condition is contradictory in itself, or every input that satisfies it is decided by an earlier rule.

## What it finds
For every JSONPath Choice the z3 model checker asks whether some input makes the rule the
*first* one that matches, with the exact Step Functions semantics (first match wins, a
type mismatch is false, a missing path fails the state). When no input can, the rule is
dead. The finding says why: the condition contradicts itself (`IsString` and
`NumericEquals` on the same path), or it is pre-empted by the earlier rules it overlaps.
Rules that are dead only because of the states before the Choice (a Pass that fixes a
field, an earlier Choice that already routed those values elsewhere) are reported when
the path-sensitive exploration of the whole machine finished within its bounds. A rule
the solver could not decide within its budget is reported as a note, never as dead.

## Why it matters
A dead rule is code that never runs: usually a mistake in a boundary (`NumericLessThan
10` after `NumericLessThanEquals 10`), a misordered rule, or a state that no longer
produces the field. The branch behind it is untested by construction.

## Example
```json
"Choices": [
  {"Variable": "$.n", "NumericLessThanEquals": 10, "Next": "Small"},
  {"Variable": "$.n", "NumericLessThan": 5, "Next": "Tiny"}
]
```

## Fix
Reorder the rules so the more specific one comes first, or correct the condition.
"""

    def check(self, ctx):
        from analyzer.symbolic.analysis import choice_verdicts, for_rule
        from analyzer.symbolic.describe import rule_label

        analysis = for_rule(ctx)
        if analysis is None:
            return
        reported = set()
        for _scope, state, verdict in choice_verdicts(ctx, analysis):
            for rv in verdict.rules:
                rule = state.choices[rv.index]
                label = rule_label(state, rv.index)
                if rv.status == "dead":
                    reported.add((state.name, rv.index))
                    why = rv.reason
                    if rv.preempted_by:
                        why += " (" + ", ".join(rule_label(state, j) for j in rv.preempted_by) + ")"
                    yield self.finding(rule.pointer, f"Choice {label} of {state.name!r} can never be taken: {why}",
                                       state=state.name, reason=rv.reason,
                                       preempted_by=[j + 1 for j in rv.preempted_by])
                elif rv.status == "unknown":
                    yield self.finding(rule.pointer, f"could not decide within the solver budget whether Choice "
                                       f"{label} of {state.name!r} can be taken (raise the solver timeout/rlimit)",
                                       state=state.name, severity=Severity.NOTE)
        yield from self._path_dead(ctx, analysis, reported)

    def _path_dead(self, ctx, analysis, reported):
        from analyzer.symbolic.describe import rule_label

        exploration = analysis.exploration
        if exploration is None or not exploration.complete:
            return
        for name, state in ctx.machine.states.items():
            if not isinstance(state, ChoiceState) or ("state", name) not in exploration.reached or state.is_jsonata:
                continue
            for i, rule in enumerate(state.choices):
                if (name, i) in reported or ("rule", name, i) in exploration.reached:
                    continue
                yield self.finding(rule.pointer, f"Choice {rule_label(state, i)} of {name!r} is never taken on any "
                                   f"execution: the states before it never produce an input that reaches it "
                                   f"(with the paths its Assign and OutputPath read present)",
                                   state=name, reason="infeasible on every execution path")
