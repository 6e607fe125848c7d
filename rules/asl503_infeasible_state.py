"""ASL503: a state the graph can reach but no execution does."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity


class InfeasibleState(Rule):
    id = "ASL503"
    name = "infeasible-state"
    severity = Severity.WARNING
    category = "solver"
    tags = ("correctness", "solver", "graph")
    precision = "high"
    uses_solver = True
    doc = """
A state is reachable in the state graph, but no execution input and no Task results lead an execution there.

## What it finds
The model checker explores every execution path of the top-level machine from `StartAt`,
with the execution input and every Task result unknown, following the data through
`InputPath`, `Parameters`, `ResultSelector`, `ResultPath`, `OutputPath` and Pass `Result`,
and forking at each Choice rule, `Default` and Catch. A state that is the target of
transitions but is entered on no feasible path is infeasible. It is reported only when the
exploration was complete: no loop cut by the unroll bound, no path budget exhausted, no
solver query undecided.

## Why it matters
The graph says the state is used, but the data says otherwise: a Pass that sets a field
to a constant before a Choice tests it, or two Choices that route the same values. The
state and everything only it leads to are dead, and any handling it was meant to do
never happens.

## Example
```json
"Init": {"Type": "Pass", "Result": "fast", "ResultPath": "$.mode", "Next": "Route"},
"Route": {"Type": "Choice", "Default": "Fast",
          "Choices": [{"Variable": "$.mode", "StringEquals": "slow", "Next": "Slow"}]}
```
`Slow` is never entered.

## Fix
Remove the dead state, or fix the data flow or condition that was meant to lead there.
"""

    def check(self, ctx):
        from analyzer.symbolic.analysis import for_rule

        analysis = for_rule(ctx)
        if analysis is None or analysis.exploration is None or not analysis.exploration.complete:
            return
        reachable = ctx.graph.reachable("")
        for name, state in ctx.machine.states.items():
            if state.pointer in reachable and ("state", name) not in analysis.exploration.reached:
                yield self.finding(state.pointer, f"State {name!r} is reachable in the graph but no execution enters "
                                   f"it: every transition into it is infeasible for all inputs and Task results",
                                   state=name)
