"""ASL112: a service integration pattern that Express workflows do not support."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F
from analyzer.lang.arn import ArnError, parse_resource


class ExpressUnsupportedPattern(Rule):
    id = "ASL112"
    name = "express-unsupported-pattern"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "express", "integrations")
    precision = "very-high"
    doc = """
An Express workflow uses `.sync`, `.sync:2`, `.waitForTaskToken` or an Activity.

## What it finds
Task states of a state machine whose workflow type is EXPRESS (from `--workflow-type`,
configuration, or the enclosing template's `Type`/`StateMachineType`) that run a job
(`.sync`, `.sync:2`), wait for a callback (`.waitForTaskToken`) or call an Activity.
Resources written with `${Name}` placeholders are checked too when the suffix is visible.

## Why it matters
Express workflows support only the request-response pattern; the service refuses to
create an Express state machine that uses the others.

## Example
```json
{"StartAt": "Run", "States": {"Run": {"Type": "Task",
  "Resource": "arn:aws:states:::ecs:runTask.sync", "End": true}}}
```

## Fix
Use a Standard workflow, or start the job without waiting for it
(`arn:aws:states:::ecs:runTask`) and poll its status with a Wait loop.
"""

    def check(self, ctx):
        if not ctx.is_express:
            return
        for state in ctx.machine.walk_states():
            raw = state.raw
            if state.type != "Task" or not isinstance(raw, dict) or not isinstance(raw.get("Resource"), str):
                continue
            try:
                arn = parse_resource(raw["Resource"])
            except ArnError:
                continue
            where = F.describe_state(state)
            if arn.kind == "activity":
                yield self.finding(state.field_pointer("Resource"), f"{where} calls an Activity, which Express "
                                   "workflows do not support", state=state.name)
            elif arn.is_sync or arn.is_callback:
                suffix = ".waitForTaskToken" if arn.is_callback else "." + arn.pattern
                yield self.finding(state.field_pointer("Resource"), f"{where} uses the {suffix} integration "
                                   "pattern, which Express workflows do not support (request-response only)",
                                   state=state.name)
