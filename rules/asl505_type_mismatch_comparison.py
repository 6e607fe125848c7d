"""ASL505: a comparison whose operand can never have the compared type there."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity


class TypeMismatchComparison(Rule):
    id = "ASL505"
    name = "type-mismatch-comparison"
    severity = Severity.WARNING
    category = "solver"
    tags = ("correctness", "solver", "choice")
    precision = "very-high"
    uses_solver = True
    doc = """
A Choice comparison can never see an operand of the type it compares, so it is always false.

## What it finds
Step Functions treats a comparison on a value of the wrong JSON type as false (never an
error). The model checker finds comparisons where the operand is present but can never be
of the compared type at that point of the rule: `NumericEquals` behind an `IsString`
guard on the same path, a `TimestampEquals` against a literal that is not a timestamp,
a `StringEqualsPath` whose comparand is a number after an `IsNumeric` test.

## Why it matters
The comparison looks meaningful but is constant: the rule around it behaves as if it were
written differently, usually because of a copy-paste of the operator or a guard on the
wrong path.

## Example
```json
{"And": [{"Variable": "$.code", "IsString": true},
         {"Variable": "$.code", "NumericEquals": 404}], "Next": "NotFound"}
```

## Fix
Use the operator of the right family (`StringEquals "404"`), or fix the guard.
"""

    def check(self, ctx):
        from analyzer.symbolic.analysis import choice_verdicts, for_rule

        analysis = for_rule(ctx)
        if analysis is None:
            return
        for _scope, state, verdict in choice_verdicts(ctx, analysis):
            preempted = {rv.index for rv in verdict.rules if rv.status == "dead" and rv.preempted_by}
            for mm in verdict.mismatches:
                if mm.top_index in preempted:
                    continue  # ASL501 explains those better
                what = f"{mm.path}" if mm.operand == "Variable" else f"its comparand {mm.path}"
                yield self.finding(mm.rule.pointer, f"{mm.rule.operator} in Choice {state.name!r} compares "
                                   f"{what}, which is never {mm.expected} at this point, so the comparison is "
                                   f"always false", state=state.name)
