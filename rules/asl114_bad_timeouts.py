"""ASL114: task timeouts out of range, both static and dynamic, or a heartbeat not below the timeout."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F

MAX_SECONDS = 99999999


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


class BadTimeouts(Rule):
    id = "ASL114"
    name = "bad-timeouts"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "timeouts")
    precision = "very-high"
    doc = """
`TimeoutSeconds`/`HeartbeatSeconds` out of range, given together with their `...Path` form, or a heartbeat that is not below the timeout.

## What it finds
* a Task with both `TimeoutSeconds` and `TimeoutSecondsPath`, or both
  `HeartbeatSeconds` and `HeartbeatSecondsPath`;
* a Task `TimeoutSeconds` or `HeartbeatSeconds` below 1 or above 99999999;
* `HeartbeatSeconds` equal to or above `TimeoutSeconds` (when both are numbers);
* a top-level `TimeoutSeconds` below 0 or above 99999999.

## Why it matters
The service refuses the definition. A heartbeat that is not shorter than the timeout
would never fire, which is almost always a unit mix-up.

## Example
```json
{"StartAt": "Job", "States": {"Job": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync",
  "TimeoutSeconds": 300, "HeartbeatSeconds": 600, "End": true}}}
```

## Fix
```json
{"StartAt": "Job", "States": {"Job": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync",
  "TimeoutSeconds": 600, "HeartbeatSeconds": 60, "End": true}}}
```
"""

    def check(self, ctx):
        top = ctx.machine.timeout_seconds
        if _int(top) and not 0 <= top <= MAX_SECONDS:
            yield self.finding("/TimeoutSeconds", f"the state machine's TimeoutSeconds is {top}; it must be from 0 "
                               f"to {MAX_SECONDS}")
        for state in ctx.machine.walk_states():
            if state.type != "Task" or not isinstance(state.raw, dict):
                continue
            raw = state.raw
            where = F.describe_state(state)
            for key in ("TimeoutSeconds", "HeartbeatSeconds"):
                if key in raw and key + "Path" in raw:
                    yield self.finding(state.field_pointer(key + "Path"), f"{where} has both {key} and {key}Path; "
                                       "give only one of them", state=state.name)
                v = raw.get(key)
                if _int(v) and not 1 <= v <= MAX_SECONDS:
                    yield self.finding(state.field_pointer(key), f"{where}: {key} is {v}; it must be a positive "
                                       f"integer no larger than {MAX_SECONDS}", state=state.name)
            t, h = raw.get("TimeoutSeconds"), raw.get("HeartbeatSeconds")
            if _int(t) and _int(h) and h >= t and 1 <= h <= MAX_SECONDS:
                yield self.finding(state.field_pointer("HeartbeatSeconds"), f"{where}: HeartbeatSeconds ({h}) must "
                                   f"be smaller than TimeoutSeconds ({t})", state=state.name)
