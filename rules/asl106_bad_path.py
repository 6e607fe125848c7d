"""ASL106: a malformed JSONPath, or a full JSONPath where only a reference path is allowed."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F
from analyzer.lang.intrinsics import looks_like_intrinsic
from analyzer.lang.jsonpath import PathSyntaxError, parse_path, parse_reference_path
from analyzer.lang.placeholders import contains_placeholder


def is_call_like(text: str) -> bool:
    """A `.$` value meant as an intrinsic call (``Name.Name(``), as opposed to a broken path."""
    import re

    return re.match(r"\s*[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+\s*\(", text) is not None


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "an array", int: "a number", float: "a number"}.get(type(value), "a value")


class BadPath(Rule):
    id = "ASL106"
    name = "bad-path"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "jsonpath")
    precision = "very-high"
    doc = """
A path is not valid JSONPath, or a full JSONPath is used where the field takes a reference path.

## What it finds
In JSONPath states: `InputPath`/`OutputPath` and the values of `key.$` fields must
be JSONPath (`$`, `$$` for the context object, `$name` for a variable); `ResultPath`,
`ItemsPath`, Choice `Variable` and the `...Path` comparands, `SecondsPath`,
`TimestampPath`, `TimeoutSecondsPath`, `HeartbeatSecondsPath`, `MaxConcurrencyPath`,
`ToleratedFailure...Path`, `MaxItemsPath` and the ItemBatcher paths must be *reference
paths*: only `.name`, `['name']` and `[index]` steps, no `*`, `..`, filters, slices or
functions. `ResultPath` must start at `$` (not `$$` or a variable), and the Map number
paths (`MaxConcurrencyPath`, `ToleratedFailure...Path`, `MaxItemsPath`, the ItemBatcher
paths) may not read the context object `$$`. `ErrorPath` and
`CausePath` take a reference path or a string intrinsic (checked by ASL107). A value
of a `key.$` field must be a string. Values with `${Name}` placeholders are skipped.

## Why it matters
The service parses every path when the definition is created and refuses the
definition if one is malformed or not a reference path where one is required.

## Example
```json
{"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.items[*].id", "End": true}}}
```

## Fix
```json
{"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.result", "End": true}}}
```
"""

    def check(self, ctx):
        for state, ptr, value, kind, field in F.jsonpath_sites(ctx):
            msg = self._problem(value, kind, field)
            if msg:
                yield self.finding(ptr, f"{F.describe_state(state)}: {msg}", state=state.name)

    @staticmethod
    def _problem(value, kind: str, field: str) -> str | None:
        if value is None and kind in (F.FULL, F.RESULT):
            return None
        if not isinstance(value, str):
            if kind == F.DOLLAR:
                return (f"the value of {field} must be a string holding a path or an intrinsic function call, "
                        f"not {_json_type(value)}")
            return None  # wrong JSON types are ASL101's
        if contains_placeholder(value):
            return None
        if kind == F.DOLLAR or kind == F.ERROR_PATH:
            if looks_like_intrinsic(value):
                if is_call_like(value):
                    return None  # ASL107
                return (f"{field} value {value!r} is neither a path (starting with '$') nor an intrinsic "
                        "function call")
        try:
            if kind in (F.FULL, F.DOLLAR):
                parse_path(value)
            else:
                path = parse_reference_path(value)
                if field in F.MAP_NUMBER_PATHS and path.kind == "context":
                    return (f"{field} {value!r} reads the context object; this field takes a reference path into "
                            "the state input or a variable ($.field or $name); only ItemsPath may read $$")
                if kind == F.RESULT and path.root != "$":
                    return (f"{field} {value!r} must start at '$': the result can only be placed into the state's "
                            "output, not into the context object or a variable (use Assign for variables)")
        except PathSyntaxError as exc:
            where = "reference path" if kind not in (F.FULL, F.DOLLAR) else "path"
            return f"{field} {value!r} is not a valid {where}: {exc.message} (column {exc.column})"
        return None
