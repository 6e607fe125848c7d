"""ASL504: a feasible execution reads a path that the machine itself never wrote."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity


class MissingPathRead(Rule):
    id = "ASL504"
    name = "missing-path-read"
    severity = Severity.ERROR
    category = "solver"
    tags = ("correctness", "solver", "data-flow")
    precision = "high"
    uses_solver = True
    doc = """
Some feasible execution reaches a state that reads a path which the machine's own data flow has made absent, so the state fails with `States.Runtime`.

## What it finds
Along each execution path the model checker knows which parts of the state input the
machine built itself: a Pass `Result`, a `Parameters` template, an `OutputPath` selection.
When a state reads a reference path (`InputPath`, a `Parameters` `.$` field,
`ResultSelector`, `OutputPath`, a Choice `Variable`, a Wait `SecondsPath`) that such a
document certainly lacks on a feasible path, the finding shows the execution input (and
the Task mocks) that lead there. Fields of the raw execution input or of a Task result are
the caller's contract and are not reported.

## Why it matters
A missing path is a runtime failure, and for a Choice it is `States.Runtime`, which no
`Catch` can intercept: the execution simply fails. Typical causes are a `ResultPath` that
replaced the whole input, or a `Parameters` block that dropped the field a later state needs.

## Example
```json
"Shape": {"Type": "Pass", "Parameters": {"id.$": "$.id"}, "Next": "Route"},
"Route": {"Type": "Choice", "Default": "B",
          "Choices": [{"Variable": "$.status", "StringEquals": "NEW", "Next": "A"}]}
```

## Fix
Keep the field (`ResultPath` into a sub-field, add it to `Parameters`), or guard the read
with `IsPresent`.
"""

    def check(self, ctx):
        from analyzer.symbolic.analysis import for_rule
        from analyzer.symbolic.describe import short_json

        analysis = for_rule(ctx)
        if analysis is None:
            return
        for record, witness in analysis.missing_reads:
            info = record.missing_read
            paths = info.get("paths")
            what = ("reads " + ", ".join(paths)) if paths else "reads a path"
            yield self.finding(info["pointer"], f"State {info['state']!r} {what} that the states before it never "
                               f"provide on this execution, so it fails with States.Runtime (input "
                               f"{short_json(witness.input)})", state=info["state"], witness=witness.as_data())
