"""ASL302: a Catch that leaves some catchable errors uncaught."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import ERROR_HANDLING_TYPES
from analyzer.rules.asl301_missing_catch import exempt
from analyzer.semantics import errors


class PartialCatch(Rule):
    id = "ASL302"
    name = "partial-catch"
    severity = Severity.NOTE
    category = "error-handling"
    tags = ("error-handling", "reliability")
    precision = "medium"
    doc = """
A `Catch` is present but does not cover every error the state can raise (no `States.ALL` or equivalent).

## What it finds
A Task, Parallel or Map whose catchers, taken together, neither name `States.ALL` nor
`States.TaskFailed` plus `States.Timeout` (which together match every catchable error).
`States.Timeout` is only required when the state can time out: a Task with
`TimeoutSeconds`/`HeartbeatSeconds` (or the `*Path` forms), or a Parallel/Map with such a
Task inside. Errors no Catch can take (`States.Runtime`, `States.DataLimitExceeded`) never
count as missing. The same exemptions as ASL301 apply (an enclosing state that catches
everything, an error handler, a scope that can only fail from here).

## Why it matters
Catching only the errors you thought of still lets every other one (an unhandled function
exception `Lambda.Unknown`, a throttling error, a permissions error after a deployment)
end the execution without running the handler you wrote for the expected ones.

## Example
```json
"Reserve": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Next": "Pay",
  "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "AlreadyReserved"}]}
```

## Fix
Keep the specific catcher and add a final catch-all:
```json
"Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "AlreadyReserved"},
          {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "HandleFailure"}]
```
"""

    def check(self, ctx):
        graph = ctx.graph
        cache: dict = {}
        for state in ctx.machine.walk_states():
            if not isinstance(state, ERROR_HANDLING_TYPES) or not state.catch:
                continue
            names = [n for c in state.catch for n in c.error_equals]
            can_time_out = errors.may_time_out(state)
            missing = errors.missing_for_full_coverage(names, can_time_out)
            if not missing or not names or exempt(graph, state, cache):
                continue  # (no names at all: a malformed Catch, which validation reports)
            if missing == [errors.TIMEOUT]:
                why = ("its catchers take States.TaskFailed, which does not match States.Timeout, and this "
                       f"{state.type} can time out")
                fix = "add States.Timeout to a catcher (or use States.ALL in the last one)"
            else:
                caught = ", ".join(dict.fromkeys(names)) or "nothing"
                why = f"its catchers only take {caught}; any other error fails the execution"
                fix = "add a last catcher on States.ALL"
            msg = f"{state.type} state {state.name!r} catches only some errors: {why}; {fix}"
            yield self.finding(state.field_pointer("Catch"), msg, state=state.name, missing=missing)
