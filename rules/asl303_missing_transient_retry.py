"""ASL303: a Lambda invocation with no retry for the Lambda service's transient errors."""

from __future__ import annotations

import re

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import TaskState
from analyzer.semantics import errors

#: The errors AWS documents as transient for Lambda invocations from Step Functions.
TRANSIENT_LAMBDA_ERRORS = (
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
)

_LAMBDA_RESOURCE = re.compile(
    r"^arn:aws[a-z-]*:(?:"
    r"states:::lambda:invoke(?:\.waitForTaskToken)?"  # optimized integration
    r"|states:::aws-sdk:lambda:invoke"  # SDK integration
    r"|lambda:[^:]+:[^:]+:function:[^:]+(?::[^:]+)?"  # direct function ARN (optionally alias/version)
    r")$"
)


def is_lambda_invoke(resource: object) -> bool:
    """Whether a Task ``Resource`` calls a Lambda function (placeholders such as ``${Fn}`` are unknown: no)."""
    return isinstance(resource, str) and bool(_LAMBDA_RESOURCE.match(resource))


def unretried(state: TaskState) -> list[str]:
    """Transient Lambda errors whose first matching retrier is absent or has ``MaxAttempts: 0``."""
    out = []
    for error in TRANSIENT_LAMBDA_ERRORS:
        index = errors.first_match(state.retry, error)
        if index is None or state.retry[index].attempts <= 0:
            out.append(error)
    return out


class MissingTransientRetry(Rule):
    id = "ASL303"
    name = "missing-transient-retry"
    severity = Severity.WARNING
    category = "error-handling"
    tags = ("error-handling", "reliability", "lambda")
    precision = "high"
    doc = """
A Lambda invocation has no Retry for the Lambda service's transient errors.

## What it finds
A Task that invokes a Lambda function (the optimized `arn:aws:states:::lambda:invoke`
integration, `aws-sdk:lambda:invoke`, or a function ARN used directly) where one of
`Lambda.ServiceException`, `Lambda.AWSLambdaException`, `Lambda.SdkClientException` or
`Lambda.TooManyRequestsException` is not retried. Retriers are matched the way the service
does: the first retrier whose `ErrorEquals` matches decides, so a retrier on `States.ALL`
or `States.TaskFailed` covers them, and one with `MaxAttempts: 0` that matches first means
"never retry".

## Why it matters
These errors come from the Lambda service, not from your code: throttling and short
service hiccups that succeed on a second try. Without a retrier a brief blip fails the
whole execution. AWS recommends retrying them in every Lambda Task.

## Example
```json
"Enrich": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "enrich", "Payload.$": "$"}, "Next": "Store"}
```

## Fix
```json
"Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                          "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
           "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "FULL"}]
```
"""

    def check(self, ctx):
        for state in ctx.machine.walk_states():
            if not isinstance(state, TaskState) or not is_lambda_invoke(state.resource):
                continue
            missing = unretried(state)
            if not missing:
                continue
            if not state.retry:
                where, ptr = "has no Retry", state.pointer
            else:
                where, ptr = "has no retrier that retries " + ", ".join(missing), state.field_pointer("Retry")
            msg = (f"Lambda Task {state.name!r} {where}: transient Lambda service errors (throttling, "
                   f"service hiccups) fail the execution instead of succeeding on a second try; add a retrier "
                   f"on {', '.join(missing)} with a few attempts and backoff")
            yield self.finding(ptr, msg, state=state.name, missing=missing)
