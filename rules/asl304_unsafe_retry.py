"""ASL304: retrying errors that never heal, or a retry schedule whose waits grow without bound."""

from __future__ import annotations

import math

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import ERROR_HANDLING_TYPES, MISSING
from analyzer.semantics import errors

_WHY = {
    "States.Permissions": "the role lacks a permission, and it will still lack it a second later",
    "States.ResultPathMatchFailure": "the ResultPath cannot be applied to this input, every time",
    "States.ParameterPathFailure": "a parameter path does not exist in this input, every time",
    "States.IntrinsicFailure": "the intrinsic function fails on the same arguments every time",
    "States.NoChoiceMatched": "the same input matches no Choice rule again",
    "States.QueryEvaluationError": "the JSONata expression fails on the same data every time",
    "States.Runtime": "it cannot be retried or caught at all",
    "States.DataLimitExceeded": "it cannot be retried or caught at all, and the payload stays too large",
}


def largest_wait(retrier) -> float | None:
    """The longest single wait of the schedule, or None when ``MaxDelaySeconds`` caps it or nothing is retried."""
    attempts = retrier.attempts
    if attempts <= 0 or retrier.max_delay_seconds is not MISSING:
        return None
    rate = retrier.backoff
    if rate <= 1:
        return float(retrier.interval)
    exponent = attempts - 1
    log_wait = math.log(max(retrier.interval, 1e-9)) + exponent * math.log(rate)
    return math.inf if log_wait > 700 else math.exp(log_wait)


def _duration(seconds: float) -> str:
    if math.isinf(seconds) or seconds > 99 * 365 * 86400:
        return "practically forever"
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} seconds"


class UnsafeRetry(Rule):
    id = "ASL304"
    name = "unsafe-retry"
    severity = Severity.WARNING
    category = "error-handling"
    tags = ("error-handling", "reliability", "cost")
    precision = "high"
    options = {"max_single_delay_seconds": 3600}
    doc = """
A Retry on errors that never succeed on retry, or a backoff schedule whose single wait grows beyond reason.

## What it finds
- A retrier (with `MaxAttempts` above 0) naming an error that the same input fails with
  again every time: `States.Permissions`, `States.ResultPathMatchFailure`,
  `States.ParameterPathFailure`, `States.IntrinsicFailure`, `States.NoChoiceMatched`,
  `States.QueryEvaluationError`; and `States.Runtime` / `States.DataLimitExceeded`, which
  cannot be retried at all. A retrier with `MaxAttempts: 0` on these is the correct way to
  say "do not retry" and is not reported.
- A retrier with `BackoffRate` above 1 and no `MaxDelaySeconds` whose longest single wait,
  `IntervalSeconds * BackoffRate^(MaxAttempts-1)`, exceeds an hour (option
  `max_single_delay_seconds`).

## Why it matters
Retrying a deterministic failure only delays the failure and bills the retries. An
exponential schedule without a cap turns "retry 20 times" into a wait of days or years
on the last attempts, with the execution stuck in between.

## Example
```json
"Retry": [{"ErrorEquals": ["States.Permissions"], "MaxAttempts": 5},
          {"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 20}]
```

## Fix
```json
"Retry": [{"ErrorEquals": ["States.Permissions"], "MaxAttempts": 0},
          {"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 20,
           "MaxDelaySeconds": 300, "JitterStrategy": "FULL"}]
```
"""

    def check(self, ctx):
        limit = ctx.options(self.id, self.options).get("max_single_delay_seconds", 3600)
        if not isinstance(limit, (int, float)) or isinstance(limit, bool):
            limit = 3600
        for state in ctx.machine.walk_states():
            if not isinstance(state, ERROR_HANDLING_TYPES):
                continue
            for i, retrier in enumerate(state.retry):
                if retrier.attempts > 0:
                    hopeless = [n for n in dict.fromkeys(retrier.error_equals) if n in errors.NEVER_HEALS]
                    if hopeless:
                        reasons = "; ".join(f"{n}: {_WHY.get(n, 'it fails the same way again')}" for n in hopeless)
                        msg = (f"Retry[{i}] of state {state.name!r} retries {', '.join(hopeless)}, which retrying "
                               f"cannot fix ({reasons}); remove it from ErrorEquals, or give it its own retrier "
                               f"with MaxAttempts 0 before the others")
                        yield self.finding(f"{retrier.pointer}/ErrorEquals", msg, state=state.name, errors=hopeless)
                wait = largest_wait(retrier)
                if wait is not None and wait > limit:
                    msg = (f"Retry[{i}] of state {state.name!r} has BackoffRate {retrier.backoff:g} over "
                           f"{retrier.attempts} attempts and no MaxDelaySeconds: its last wait alone is "
                           f"{_duration(wait)}; set MaxDelaySeconds to cap each wait (or lower MaxAttempts)")
                    yield self.finding(retrier.pointer, msg, state=state.name,
                                       largest_wait_seconds=None if math.isinf(wait) else wait)
