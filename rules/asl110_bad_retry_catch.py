"""ASL110: a Retry or Catch list the service refuses."""

from __future__ import annotations

from dataclasses import replace

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F
from analyzer.lang.placeholders import contains_placeholder
from analyzer.load import pointer as jp

#: Predefined error names (asl-semantics §5); anything else starting with "States." is unknown.
KNOWN_ERRORS = frozenset({
    "States.ALL", "States.Timeout", "States.HeartbeatTimeout", "States.TaskFailed", "States.Permissions",
    "States.ResultPathMatchFailure", "States.ParameterPathFailure", "States.BranchFailed",
    "States.NoChoiceMatched", "States.IntrinsicFailure", "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed", "States.ResultWriterFailed", "States.QueryEvaluationError",
    "States.DataLimitExceeded", "States.Runtime",
})
KNOWN_PREFIXES = ("States.Http.",)  # States.Http.Socket, States.Http.StatusCode.<code>, ...

MAX_INT = 99999999
MAX_DELAY = 31622400


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class BadRetryCatch(Rule):
    id = "ASL110"
    name = "bad-retry-catch"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "error-handling")
    precision = "very-high"
    doc = """
A retrier or catcher breaks the rules of `Retry`/`Catch`.

## What it finds
* an empty `ErrorEquals`;
* `States.ALL` together with other names, or in a retrier/catcher that is not the last;
* an error name starting with `States.` that is not one of the predefined errors
  (a warning: the service accepts it, but only a Fail state with that exact `Error`
  can raise it, so `States.Timout` silently matches nothing);
* out-of-range numbers: `IntervalSeconds` 1..99999999, `MaxAttempts` 0..99999999,
  `BackoffRate` at least 1.0, `MaxDelaySeconds` 1..31622400, and `JitterStrategy`
  other than `FULL`/`NONE`.

## Why it matters
The service refuses the definition; a misspelt predefined error name is accepted in
some tools but never matches anything, so the retry or catch silently never happens.

## Example
```json
{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["Lambda.TooManyRequestsException"]}],
  "End": true}}}
```

## Fix
```json
{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"]}, {"ErrorEquals": ["States.ALL"]}],
  "End": true}}}
```
"""

    def check(self, ctx):
        for state, raw, where in F.states_with_raw(ctx.machine):
            for key in ("Retry", "Catch"):
                entries = raw.get(key)
                if not isinstance(entries, list):
                    continue
                last = len(entries) - 1
                for i, entry in enumerate(entries):
                    if not isinstance(entry, dict):
                        continue
                    ptr = jp.join(state.pointer, key, i)
                    label = f"{where}: {key}[{i}]"
                    yield from self._errors(entry, ptr, label, i == last, key, state.name)
                    if key == "Retry":
                        yield from self._numbers(entry, ptr, label, state.name)

    def _errors(self, entry, ptr, label, is_last, key, name):
        errors = entry.get("ErrorEquals")
        if not isinstance(errors, list):
            return
        eptr = jp.join(ptr, "ErrorEquals")
        if not errors:
            yield self.finding(eptr, f"{label}.ErrorEquals is empty; list at least one error name", state=name)
            return
        if "States.ALL" in errors:
            if len(errors) > 1:
                yield self.finding(eptr, f"{label}: States.ALL must be the only name in its ErrorEquals",
                                   state=name)
            if not is_last:
                kind = "retrier" if key == "Retry" else "catcher"
                yield self.finding(eptr, f"{label}: a {kind} with States.ALL must be the last one; the {kind}s "
                                   "after it could never match", state=name)
        for j, err in enumerate(errors):
            if isinstance(err, str) and err.startswith("States.") and err not in KNOWN_ERRORS \
                    and not err.startswith(KNOWN_PREFIXES) and not contains_placeholder(err):
                import difflib

                close = difflib.get_close_matches(err, sorted(KNOWN_ERRORS), n=1, cutoff=0.7)
                hint = f"; did you mean {close[0]}?" if close else ""
                # Published, deployed workflows raise and catch their own States.* names from
                # Fail states, so the service accepts them: a warning, not a refusal.
                yield replace(self.finding(jp.join(eptr, j), f"{label}: {err!r} is not a predefined error name; the "
                              "service never raises it, so it matches only a Fail state that uses this exact Error "
                              f"(names starting with 'States.' are meant for the service's own errors){hint}",
                              state=name), severity=Severity.WARNING)
            elif isinstance(err, str) and err.lower().startswith("states.") and not err.startswith("States."):
                yield self.finding(jp.join(eptr, j), f"{label}: {err!r}: error names are case-sensitive; the "
                                   "predefined errors start with 'States.'", state=name)

    def _numbers(self, r, ptr, label, name):
        checks = (
            ("IntervalSeconds", _int, 1, MAX_INT, "an integer from 1 to 99999999"),
            ("MaxAttempts", _int, 0, MAX_INT, "an integer from 0 to 99999999"),
            ("MaxDelaySeconds", _int, 1, MAX_DELAY, "an integer from 1 to 31622400 (one year)"),
            ("BackoffRate", _num, 1.0, None, "a number of at least 1.0"),
        )
        for key, ok_type, lo, hi, words in checks:
            v = r.get(key)
            if key in r and ok_type(v) and (v < lo or (hi is not None and v > hi)):
                yield self.finding(jp.join(ptr, key), f"{label}.{key} is {v}; it must be {words}", state=name)
        js = r.get("JitterStrategy")
        if isinstance(js, str) and js not in ("FULL", "NONE") and not contains_placeholder(js):
            yield self.finding(jp.join(ptr, "JitterStrategy"), f"{label}.JitterStrategy is {js!r}; it must be "
                               "FULL or NONE", state=name)
