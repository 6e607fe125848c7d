"""ASL305: a Catch without ``ResultPath`` (JSONPath) or ``Output`` (JSONata) replaces the input with the error."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import ERROR_HANDLING_TYPES, MISSING


class CatchDiscardsInput(Rule):
    id = "ASL305"
    name = "catch-discards-input"
    severity = Severity.WARNING
    category = "error-handling"
    tags = ("error-handling", "data-flow")
    precision = "high"
    doc = """
A catcher has no `ResultPath` (JSONPath) / no `Output` (JSONata): the error object replaces the state input, and the original data is lost.

## What it finds
A `Catch` entry that does not say where the error output goes. In a JSONPath state the
default `ResultPath` is `$`, so the handler receives only `{"Error": ..., "Cause": ...}`;
in a JSONata state the default `Output` is `$states.errorOutput`, with the same effect.
Not reported when the catcher goes straight to a `Fail` state, which uses nothing but the
error anyway.

## Why it matters
The handler usually needs the data the failed state was working on: the order id to
refund, the file to clean up, the item to put on a retry queue. With the default, that
data is gone (only `$$.Execution.Input` is left, the input of the whole execution).

## Example
```json
"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Compensate"}]
```

## Fix
Put the error beside the input (JSONPath), or build the handler's input yourself (JSONata):
```json
"Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Compensate"}]
"Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}", "Next": "Compensate"}]
```
"""

    def check(self, ctx):
        for state in ctx.machine.walk_states():
            if not isinstance(state, ERROR_HANDLING_TYPES) or not state.catch:
                continue
            scope = ctx.graph.scopes.get(state.scope)
            for i, catcher in enumerate(state.catch):
                field = "Output" if state.is_jsonata else "ResultPath"
                if (catcher.output if state.is_jsonata else catcher.result_path) is not MISSING:
                    continue
                target = scope.states.get(catcher.next) if scope and isinstance(catcher.next, str) else None
                if target is not None and target.type == "Fail":
                    continue
                target_name = f" {catcher.next!r}" if isinstance(catcher.next, str) else ""
                if state.is_jsonata:
                    fix = ("set Output, e.g. \"{% $merge([$states.input, {'error': $states.errorOutput}]) %}\", "
                           "to keep the input")
                else:
                    fix = 'set ResultPath, e.g. "$.error", to keep the input beside the error'
                msg = (f"Catch[{i}] of state {state.name!r} has no {field}: the handler{target_name} receives only "
                       f"the error object and the state's input is lost; {fix}")
                yield self.finding(catcher.pointer, msg, state=state.name)
