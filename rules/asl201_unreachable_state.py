"""ASL201: a state that no path from its scope's ``StartAt`` reaches."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity


class UnreachableState(Rule):
    id = "ASL201"
    name = "unreachable-state"
    severity = Severity.ERROR
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
Step Functions refuses the definition: `CreateStateMachine` and CloudFormation fail with
`MISSING_TRANSITION_TARGET: State "X" is not reachable`. Even where a tool lets it through,
the logic the state holds (a notification, a clean-up step, an error handler) would never
run. It is usually a typo in a `Next` or a handler that was never wired into a `Catch`.

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
            bool_targets = _boolean_targets(scope)
            for state in dead:
                hint = ""
                if state.name.lower() in ("true", "false") and bool_targets:
                    many = len(bool_targets) > 1
                    hint = (f"; the transition{'s' if many else ''} at {', '.join(bool_targets[:3])} "
                            f"hold{'' if many else 's'} a boolean, not a state name: YAML 1.1 reads unquoted "
                            f"yes/no/on/off/true/false as booleans, so quote the state names")
                preds = [p for p in graph.predecessors(state.pointer) if p != state.pointer]
                dead_preds = [names[p] for p in preds if p in dead_ptrs]
                if not preds:
                    msg = (f"state {state.name!r} is unreachable: no transition leads to it from StartAt "
                           f"{scope.start_at!r} (it is a root of the dead code; connect it with a Next, "
                           f"Choice, Default or Catch, or delete it){hint}")
                    yield self.finding(state.pointer, msg, state=state.name, root=True)
                else:
                    shown = ", ".join(repr(n) for n in dead_preds[:5]) + (", ..." if len(dead_preds) > 5 else "")
                    msg = (f"state {state.name!r} is unreachable: only unreachable states transition to it "
                           f"({shown}); fixing how those are reached, or deleting them, fixes this one{hint}")
                    yield self.finding(state.pointer, msg, state=state.name, root=False,
                                       reached_from=dead_preds)


def _boolean_targets(scope) -> list[str]:
    """Pointers of transitions whose value is a boolean (what YAML makes of an unquoted ``Next: Yes``)."""
    from analyzer.model.nodes import ChoiceState

    out = []
    for state in scope.states.values():
        if isinstance(state.next, bool):
            out.append(state.field_pointer("Next"))
        if isinstance(state, ChoiceState):
            out.extend(f"{r.pointer}/Next" for r in state.choices if isinstance(r.next, bool))
            if isinstance(state.default, bool):
                out.append(state.field_pointer("Default"))
    return out
