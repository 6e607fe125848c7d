"""ASL801: a suppression directive that suppresses nothing (the findings are produced in engine/suppress.py)."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity


class UnusedSuppression(Rule):
    id = "ASL801"
    name = "unused-suppression"
    severity = Severity.WARNING
    category = "meta"
    tags = ("suppression",)
    precision = "very-high"
    doc = """
An `aslcheck: ignore[...]` directive (or a template Metadata ignore) that suppresses no finding.

## What it finds
A rule named in a directive that produced no finding inside the object owning the
Comment (the machine, a state, a Choice rule, a retrier or catcher) in this run. Rules that
were not run (deselected, or ignored for the file) are not judged, so narrowing the rule
selection never makes a directive look unused.

## Why it matters
A stale directive hides the next real problem of the same kind in that place, and its
reason no longer describes the definition. Removing it keeps suppressions honest.

## Example
```json
{"StartAt": "Call", "States": {
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
           "Comment": "aslcheck: ignore[ASL301] -- failures are handled by the caller",
           "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "End": true},
  "Failed": {"Type": "Fail"}}}
```
(the Task now has a Catch, so ASL301 no longer fires there)

## Fix
Delete the directive, or the rule from its list.
"""

    def check(self, ctx):
        return iter(())
