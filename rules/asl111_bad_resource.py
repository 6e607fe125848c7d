"""ASL111: a Task Resource that is not a valid ARN, or an unknown integration or pattern."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F
from analyzer.lang.arn import check_resource
from analyzer.load import pointer as jp


class BadResource(Rule):
    id = "ASL111"
    name = "bad-resource"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "integrations")
    precision = "high"
    doc = """
A Task `Resource` (or a Map `ItemReader`/`ResultWriter` `Resource`) is not an ARN the service can run.

## What it finds
* not an ARN at all (`foo:bar`, a name, a template hole such as `_tbd_`);
* a malformed Lambda ARN: bad function name, an empty or invalid alias/version;
* an ARN of a service that is not a Task resource (e.g. `arn:aws:swf:...`);
* `arn:<partition>:states:::<service>:<action>` for a service that has no optimized
  integration, or an action its optimized integration does not have (DynamoDB has
  `getItem`, `putItem`, `updateItem`, `deleteItem`; other actions need `aws-sdk:`);
* an integration pattern the service does not offer (`dynamodb:putItem.sync`,
  `.sync:2` on anything but `states:startExecution`, `.sync` on `aws-sdk:`).
Any partition is accepted; resources with `${Name}` placeholders are skipped.

## Why it matters
The service refuses the definition, or (for a well-formed ARN to something that does
not exist) fails every execution when the Task runs.

## Example
```json
{"StartAt": "Save", "States": {"Save": {"Type": "Task",
  "Resource": "arn:aws:states:::dynamodb:putItem.sync", "End": true}}}
```

## Fix
```json
{"StartAt": "Save", "States": {"Save": {"Type": "Task",
  "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}}
```
"""

    def check(self, ctx):
        for state, raw, where in F.states_with_raw(ctx.machine):
            sites = []
            if state.type == "Task" and isinstance(raw.get("Resource"), str):
                sites.append((state.field_pointer("Resource"), "Resource", raw["Resource"]))
            if state.type == "Map":
                for holder in ("ItemReader", "ResultWriter"):
                    sub = raw.get(holder)
                    if isinstance(sub, dict) and isinstance(sub.get("Resource"), str):
                        sites.append((jp.join(state.pointer, holder, "Resource"), f"{holder}.Resource",
                                      sub["Resource"]))
            for ptr, field, value in sites:
                for problem in check_resource(value):
                    yield self.finding(ptr, f"{where}: {field} {value!r}: {problem}", state=state.name)
