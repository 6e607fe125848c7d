"""ASL402: the worst-case duration of a path exceeds the workflow type's maximum."""

from __future__ import annotations

from analyzer.duration import EXPRESS_LIMIT, STANDARD_LIMIT, Bound, format_seconds, worst_case
from analyzer.engine.rule import Rule, Severity


class ExceedsDurationLimit(Rule):
    id = "ASL402"
    name = "exceeds-duration-limit"
    severity = Severity.WARNING
    category = "limits"
    tags = ("reliability", "express", "timeouts")
    precision = "medium"
    options = {
        "express-limit-seconds": EXPRESS_LIMIT,
        "standard-limit-seconds": STANDARD_LIMIT,
        # Report a loop with no static bound: "express" (only there, where 5 minutes is
        # easily reached), "always" or "never".
        "unbounded-loops": "express",
    }
    doc = """
The worst case of some path is longer than the workflow type allows (Express 5 minutes, Standard 1 year).

## What it finds
An upper bound on the execution time, summed along the longest path from `StartAt`:
`Wait` seconds, `TimeoutSeconds` of each Task attempt (callback tasks without one wait
the default 99999999 s, but a bound that is over the limit only because of that is left
to ASL306 callback-without-timeout), every retry attempt and the delays between them
(`IntervalSeconds`, `BackoffRate`, capped by `MaxDelaySeconds`, for each retrier's
`MaxAttempts`), the slowest Parallel branch and one pass of each Map processor. When the
bound exceeds the limit, the finding sits on the state that contributes most and names
the largest contributions. A loop has no static bound; in an Express workflow a loop
that waits or calls Tasks is reported as unbounded (option `unbounded-loops`), unless
the machine's own `TimeoutSeconds` keeps the run within the limit.
What the definition leaves open (a `SecondsPath` Wait, a request-response Task without
`TimeoutSeconds`, the number of Map items) is counted as zero and listed in the message,
so the bound is a lower estimate of the true worst case whenever such states exist.

## Why it matters
An Express execution that runs past 5 minutes is stopped with `States.Timeout`, whatever
state it is in; the work it did so far is not rolled back. A Standard execution has the
same fate after a year. A retry schedule such as 10 attempts with `BackoffRate: 2` looks
harmless but waits more than 17 minutes in total.

## Example
```json
{"StartAt": "Call", "States": {
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 60,
           "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5, "MaxAttempts": 6, "BackoffRate": 2}],
           "End": true}}}
```
(in an Express workflow: 7 attempts of 60 s plus 315 s of delays)

## Fix
Cap the schedule so that it fits, e.g. `"MaxAttempts": 3, "MaxDelaySeconds": 10` and
`"TimeoutSeconds": 30`, or move long waits to a Standard workflow.
"""

    def check(self, ctx):
        opts = ctx.options(self.id, self.options)
        express = ctx.is_express
        limit = opts["express-limit-seconds"] if express else opts["standard-limit-seconds"]
        if not isinstance(limit, (int, float)) or isinstance(limit, bool) or limit <= 0:
            limit = EXPRESS_LIMIT if express else STANDARD_LIMIT
        bound = worst_case(ctx.graph)
        kind = "EXPRESS" if express else "STANDARD"
        if bound.infinite and bound.loops:
            mode = opts["unbounded-loops"]
            if mode == "never" or (mode == "express" and not express):
                finite = _without_loops(bound)
                if finite <= limit:
                    return
                bound.seconds = finite
            elif _machine_timeout(ctx) is not None and _machine_timeout(ctx) <= limit:
                return  # the machine's own TimeoutSeconds bounds the loop within the limit
            else:
                loop = bound.loops[0]
                names = [ctx.graph.states[p].name for p in loop]
                yield self.finding(
                    loop[0],
                    f"the loop through {_names(names)} has no static bound, so the worst-case duration is unbounded, "
                    f"beyond the {kind} limit of {format_seconds(limit)}; bound the iterations (a counter in a Choice) "
                    f"or the whole run (machine TimeoutSeconds)" + _unknown_note(bound),
                    state=names[0], seconds=None, limit=limit, loop=list(loop),
                )
                return
        if bound.seconds <= limit:
            return
        if bound.seconds - sum(p.seconds for p in bound.parts if p.assumed) <= limit:
            return  # only callbacks without TimeoutSeconds go past the limit: ASL306 reports those
        top = bound.top(3)
        where = top[0] if top else None
        contributions = "; ".join(f"{p.why} = {format_seconds(p.seconds)}" for p in top)
        yield self.finding(
            where.pointer if where else "/StartAt",
            f"worst-case duration is {format_seconds(bound.seconds)}, beyond the {kind} limit of "
            f"{format_seconds(limit)}; largest contributions: {contributions}" + _unknown_note(bound),
            state=where.name if where else None,
            seconds=bound.seconds if bound.seconds != float("inf") else None, limit=limit,
            contributors=[p.pointer for p in top],
        )


def _machine_timeout(ctx) -> float | None:
    value = ctx.machine.timeout_seconds
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _without_loops(bound: Bound) -> float:
    return sum(p.seconds for p in bound.parts)


def _names(names: list[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:4])
    return shown + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def _unknown_note(bound: Bound) -> str:
    if not bound.unknown:
        return ""
    shown = [p.why for p in bound.unknown[:3]]
    more = f" and {len(bound.unknown) - 3} more" if len(bound.unknown) > 3 else ""
    return f" (not counted, open in the definition: {', '.join(shown)}{more})"
