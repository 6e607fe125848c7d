"""ASL502: the Choice rules are exhaustive, so ``Default`` is never taken."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import MISSING, ChoiceState


class UnreachableDefault(Rule):
    id = "ASL502"
    name = "unreachable-default"
    severity = Severity.NOTE
    category = "solver"
    tags = ("solver", "choice", "maintainability")
    precision = "very-high"
    uses_solver = True
    doc = """
A Choice has a `Default`, but its rules already decide every input (they match, or the state fails), so `Default` is never taken.

## What it finds
The z3 model checker proves that no input makes every rule false: for instance
`NumericLessThan 10` followed by `NumericGreaterThanEquals 10` behind an `IsNumeric` guard,
or a test followed by its negation. It also reports a `Default` that is never taken on any
execution of the whole machine, when the path-sensitive exploration finished within its
bounds (the states before the Choice never produce the values that would fall through).

## Why it matters
The `Default` target looks like a handled case but is dead code, and the state it leads to
may exist only for it. Often the rules were meant to leave a gap (a boundary value, a
missing field) and one of them is wider than intended.

## Example
```json
"Choices": [
  {"Variable": "$.ok", "BooleanEquals": true, "Next": "Yes"},
  {"Not": {"Variable": "$.ok", "BooleanEquals": true}, "Next": "No"}
],
"Default": "Never"
```

## Fix
Remove the `Default` (and the state only it reaches), or narrow the rule that covers it.
"""

    def check(self, ctx):
        from analyzer.symbolic.analysis import for_rule

        analysis = for_rule(ctx)
        if analysis is None:
            return
        exploration = analysis.exploration
        for scope in ctx.machine.walk_scopes():
            for state in scope.states.values():
                if not isinstance(state, ChoiceState) or state.default is MISSING:
                    continue
                verdict = analysis.choices.get(state.pointer)
                where = state.field_pointer("Default")
                if verdict is not None and verdict.exhaustive is True:
                    yield self.finding(where, f"Default {state.default!r} of Choice {state.name!r} is never taken: "
                                       f"the rules decide every possible input", state=state.name)
                elif (exploration is not None and exploration.complete and scope.pointer == ""
                      and ("state", state.name) in exploration.reached
                      and ("default", state.name) not in exploration.reached):
                    yield self.finding(where, f"Default {state.default!r} of Choice {state.name!r} is never taken on "
                                       f"any execution: the states before it never produce an input that no rule "
                                       f"matches", state=state.name)
