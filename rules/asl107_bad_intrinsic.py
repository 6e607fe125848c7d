"""ASL107: an intrinsic function call that the service refuses or that must fail."""

from __future__ import annotations

from dataclasses import replace

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F
from analyzer.lang.intrinsics import STRING_RESULT, check_intrinsic, looks_like_intrinsic
from analyzer.lang.placeholders import contains_placeholder

from analyzer.rules.asl106_bad_path import is_call_like


class BadIntrinsic(Rule):
    id = "ASL107"
    name = "bad-intrinsic"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "intrinsics")
    precision = "very-high"
    doc = """
An intrinsic function call is malformed, unknown, or has the wrong number or kind of arguments.

## What it finds
Every `States.*` call in a JSONPath state (`key.$` values of `Parameters`,
`ResultSelector`, `ItemSelector`, `Assign`, `Credentials`, and `ErrorPath`/`CausePath`):
* syntax: unbalanced parentheses, double-quoted strings, stray whitespace around the call;
* unknown functions (with the nearest known name);
* the number of arguments and the kind of each literal or nested call, for all 18 functions;
* `States.Format`: the number of `{}` placeholders must equal the number of values, and
  a lone `{` or `}` must be escaped;
* documented limits: `States.Hash` algorithms, `States.JsonMerge`'s third argument
  `false`, `States.ArrayRange` step and size, nesting depth 10;
* `ErrorPath`/`CausePath` accept only functions that return a string.

An escape other than `\\'`, `\\{`, `\\}`, `\\\\` inside a string literal is reported as a
warning: the service accepts the definition, but the call fails when it runs.

## Why it matters
The service parses intrinsic calls when the definition is created; a call it cannot
parse or does not know is refused, and a wrong argument kind fails every execution
with `States.IntrinsicFailure`.

## Example
```json
{"StartAt": "A", "States": {"A": {"Type": "Pass",
  "Parameters": {"greeting.$": "States.Format('Hello {} {}', $.first)"}, "End": true}}}
```

## Fix
```json
{"StartAt": "A", "States": {"A": {"Type": "Pass",
  "Parameters": {"greeting.$": "States.Format('Hello {} {}', $.first, $.last)"}, "End": true}}}
```
"""

    def check(self, ctx):
        from analyzer.engine.rule import Severity as Sev

        for state, ptr, value, kind, field in F.jsonpath_sites(ctx):
            if kind not in (F.DOLLAR, F.ERROR_PATH) or not isinstance(value, str):
                continue
            if not looks_like_intrinsic(value) or contains_placeholder(value) or not is_call_like(value):
                continue
            where = F.describe_state(state)
            if value != value.strip():
                yield self.finding(ptr, f"{where}: {field} has whitespace around the intrinsic function call "
                                   f"{value.strip()[:40]!r}; the value must start with the function name",
                                   state=state.name)
                continue
            allowed = STRING_RESULT if kind == F.ERROR_PATH else None
            for problem in check_intrinsic(value, allowed):
                f = self.finding(ptr, f"{where}: {field}: {problem.message} (column {problem.column})",
                                 state=state.name)
                if "is not a valid escape" in problem.message:
                    f = replace(f, severity=Sev.WARNING, message=f.message + "; the service accepts the "
                                "definition but the call fails with States.IntrinsicFailure when it runs")
                yield f
