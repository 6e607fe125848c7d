"""ASL201: a state that no path from its scope's ``StartAt`` reaches."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity


class UnreachableState(Rule):
    id = "ASL201"
    name = "unreachable-state"
    severity = Severity.WARNING
    category = "graph"
    tags = ("graph", "maintainability")
    precision = "very-high"
    doc = """
No transition path from the `StartAt` of its scope reaches this state.

## What it finds
A state that no chain of `Next`, Choice rule, `Default` or Catch transitions leads to from
the `StartAt` of its own `States` object. Parallel branches and Map processors are closed
scopes with their own `StartAt`, so each is checked on its own. Every unreachable state is
reported; the message says whether the state is a *root* (nothing at all transitions to it)
or is only reached from other unreachable states, so fixing the roots is usually enough.

## Why it matters
Dead states are never executed: the logic they hold (a notification, a clean-up step, an
error handler) silently never runs. It is usually a typo in a `Next` or a handler that was
never wired into a `Catch`.

## Example
```json
{"StartAt": "Load", "States": {
  "Load": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true},
  "NotifyFailure": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}}
```

## Fix
Transition to the state where it was meant to run (for example from a Catch), or delete it:
```json
"Load": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
         "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "NotifyFailure"}]}
```
"""

    def check(self, ctx):
        graph = ctx.graph
        for scope_ptr, scope in graph.scopes.items():
            if graph.start_node(scope_ptr) is None:
                continue  # no valid StartAt: ASL103/ASL101 report that, everything would be "unreachable"
            reached = graph.reachable(scope_ptr)
            # a non-object "state" (e.g. a stray key inside States) is a schema error, not dead code
            dead = [s for s in scope.states.values() if s.pointer not in reached and s.raw]
            if not dead:
                continue
            dead_ptrs = {s.pointer for s in dead}
            names = {s.pointer: s.name for s in dead}
            for state in dead:
                preds = [p for p in graph.predecessors(state.pointer) if p != state.pointer]
                dead_preds = [names[p] for p in preds if p in dead_ptrs]
                if not preds:
                    msg = (f"state {state.name!r} is unreachable: no transition leads to it from StartAt "
                           f"{scope.start_at!r} (it is a root of the dead code; connect it with a Next, "
                           f"Choice, Default or Catch, or delete it)")
                    yield self.finding(state.pointer, msg, state=state.name, root=True)
                else:
                    shown = ", ".join(repr(n) for n in dead_preds[:5]) + (", ..." if len(dead_preds) > 5 else "")
                    msg = (f"state {state.name!r} is unreachable: only unreachable states transition to it "
                           f"({shown}); fixing how those are reached, or deleting them, fixes this one")
                    yield self.finding(state.pointer, msg, state=state.name, root=False,
                                       reached_from=dead_preds)
