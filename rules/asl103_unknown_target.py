"""ASL103: a transition names a state that does not exist in its scope."""

from __future__ import annotations

import difflib

from analyzer.engine.rule import Rule, Severity
from analyzer.load import pointer as jp
from analyzer.model.nodes import ChoiceState, Machine, present


class UnknownTarget(Rule):
    id = "ASL103"
    name = "unknown-target"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "graph")
    precision = "very-high"
    doc = """
`StartAt`, `Next`, `Default` or a Catch `Next` names a state that does not exist in its scope.

## What it finds
A transition target that is not the name of a state in the same `States` object.
Parallel branches and Map processors are closed scopes: a state inside a branch
cannot jump to a state outside it, nor the other way round.

## Why it matters
Step Functions rejects the definition (`MISSING_TRANSITION_TARGET`). State names are
case-sensitive, so a near miss such as `processOrder` for `ProcessOrder` is enough.

## Example
```json
{"StartAt": "Start", "States": {
  "Start": {"Type": "Pass", "Next": "Finish"},
  "Done": {"Type": "Succeed"}}}
```

## Fix
```json
{"StartAt": "Start", "States": {
  "Start": {"Type": "Pass", "Next": "Done"},
  "Done": {"Type": "Succeed"}}}
```
"""

    def check(self, ctx):
        for scope in ctx.machine.walk_scopes():
            yield from self._scope(scope, ctx)

    def _scope(self, scope: Machine, ctx):
        names = scope.states
        if isinstance(scope.start_at, str) and scope.start_at not in names:
            yield self.finding(jp.join(scope.pointer, "StartAt"),
                               f"StartAt names {scope.start_at!r}, which is not a state of this scope"
                               + _hint(scope.start_at, names))
        for state in names.values():
            targets: list[tuple[str, object]] = []
            if isinstance(state, ChoiceState):
                for rule in state.choices:
                    targets.append((jp.join(rule.pointer, "Next"), rule.next))
                targets.append((state.field_pointer("Default"), state.default))
            else:
                targets.append((state.field_pointer("Next"), state.next))
            for catcher in getattr(state, "catch", ()):
                targets.append((jp.join(catcher.pointer, "Next"), catcher.next))
            for ptr, target in targets:
                if present(target) and isinstance(target, str) and target not in names:
                    where = "this scope" if scope.pointer == "" else "this branch/processor (scopes are closed)"
                    yield self.finding(ptr, f"{ptr.rsplit('/', 1)[-1]} names {target!r}, which is not a state of "
                                       f"{where}" + _hint(target, names), state=state.name)


def _hint(target: str, names) -> str:
    close = difflib.get_close_matches(target, list(names), n=1, cutoff=0.7)
    if not close:
        lowered = {n.lower(): n for n in names}
        if target.lower() in lowered:
            close = [lowered[target.lower()]]
    return f"; did you mean {close[0]!r}?" if close else ""
