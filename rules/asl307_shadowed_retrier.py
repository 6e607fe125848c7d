"""ASL307: a retrier or catcher that earlier entries of the same list always pre-empt."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import ERROR_HANDLING_TYPES
from analyzer.semantics import errors


def shadowing(entries) -> list[tuple[int, int]]:
    """``(shadowed index, index of the earlier entry that completes the cover)`` pairs."""
    out = []
    for j, entry in enumerate(entries):
        names = list(dict.fromkeys(entry.error_equals))
        if not names:
            continue
        earlier: list[str] = []
        for k in range(j):
            earlier.extend(entries[k].error_equals)
            if all(errors.covers(earlier, n) for n in names):
                out.append((j, k))
                break
    return out


class ShadowedRetrier(Rule):
    id = "ASL307"
    name = "shadowed-retrier"
    severity = Severity.WARNING
    category = "error-handling"
    tags = ("error-handling", "correctness")
    precision = "very-high"
    doc = """
A retrier or catcher whose errors are all matched by earlier entries of the same list: it can never fire.

## What it finds
An entry of `Retry` or `Catch` every one of whose `ErrorEquals` names is already matched by
the entries before it. `States.ALL` matches every catchable error, and `States.TaskFailed`
every error except `States.Timeout`; any other name matches only itself.

## Why it matters
The service uses the *first* entry that matches. A later entry for the same errors is dead:
its retry settings or its handler never run, which usually means the author expected a
specific error (for example a timeout or a throttling error) to be treated differently and
it is not.

## Example
```json
"Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2},
          {"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 10}]
```

## Fix
Put the specific entries first and the broad one last:
```json
"Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 10},
          {"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}]
```
"""

    def check(self, ctx):
        for state in ctx.machine.walk_states():
            if not isinstance(state, ERROR_HANDLING_TYPES):
                continue
            for field, entries, noun in (("Retry", state.retry, "retrier"), ("Catch", state.catch, "catcher")):
                for j, k in shadowing(entries):
                    names = ", ".join(dict.fromkeys(entries[j].error_equals))
                    by = f"{field}[{k}]" if k == 0 else f"{field}[0..{k}]"
                    msg = (f"{field}[{j}] of state {state.name!r} can never fire: {names} "
                           f"{'is' if len(entries[j].error_equals) == 1 else 'are'} already matched by {by}, and "
                           f"the first matching {noun} wins; move it before the broader one or remove it")
                    yield self.finding(entries[j].pointer, msg, state=state.name, shadowed_by=k)
