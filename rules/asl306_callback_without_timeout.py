"""ASL306: a callback (``.waitForTaskToken``) or Activity Task without a timeout or heartbeat."""

from __future__ import annotations

import re

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import MISSING, TaskState

_ACTIVITY = re.compile(r"^arn:aws[a-z-]*:states:[^:]*:[^:]*:activity:.+$")


def waits_for_worker(resource: object) -> str | None:
    """``"callback"`` for ``.waitForTaskToken``, ``"activity"`` for an Activity ARN, else None."""
    if not isinstance(resource, str):
        return None
    if resource.endswith(".waitForTaskToken"):
        return "callback"
    if _ACTIVITY.match(resource):
        return "activity"
    return None


class CallbackWithoutTimeout(Rule):
    id = "ASL306"
    name = "callback-without-timeout"
    severity = Severity.WARNING
    category = "error-handling"
    tags = ("error-handling", "reliability")
    precision = "very-high"
    doc = """
A `.waitForTaskToken` or Activity Task has neither `HeartbeatSeconds` nor `TimeoutSeconds`: it can hang for up to a year.

## What it finds
A Task whose `Resource` ends in `.waitForTaskToken`, or is an Activity ARN, with none of
`TimeoutSeconds`, `TimeoutSecondsPath`, `HeartbeatSeconds` or `HeartbeatSecondsPath`.

## Why it matters
Such a Task waits until some worker calls `SendTaskSuccess`/`SendTaskFailure`. If the
worker crashes, the message is lost or the token is never sent, the default timeout of
99,999,999 seconds applies: the execution sits there until the one-year execution limit,
and no Catch ever gets a chance to run.

## Example
```json
"WaitForApproval": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  "Parameters": {"QueueUrl": "...", "MessageBody": {"token.$": "$$.Task.Token"}}, "Next": "Approved"}
```

## Fix
Bound the wait (and catch `States.Timeout`):
```json
"TimeoutSeconds": 86400, "HeartbeatSeconds": 3600,
"Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Escalate"}]
```
"""

    def check(self, ctx):
        for state in ctx.machine.walk_states():
            if not isinstance(state, TaskState):
                continue
            kind = waits_for_worker(state.resource)
            if kind is None:
                continue
            if any(v is not MISSING for v in (state.timeout_seconds, state.timeout_seconds_path,
                                              state.heartbeat_seconds, state.heartbeat_seconds_path)):
                continue
            what = "waits for a task token" if kind == "callback" else "waits for an Activity worker"
            msg = (f"Task {state.name!r} {what} with no TimeoutSeconds or HeartbeatSeconds: if the answer never "
                   f"comes it hangs until the execution times out (up to a year); set TimeoutSeconds (and "
                   f"HeartbeatSeconds for long work) and catch States.Timeout")
            yield self.finding(state.field_pointer("Resource"), msg, state=state.name)
