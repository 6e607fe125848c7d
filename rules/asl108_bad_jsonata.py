"""ASL108: a JSONata expression that does not parse, or broken ``{% %}`` delimiters."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F
from analyzer.lang.jsonata_syntax import check_expression, delimiter_problem, is_expression, unsupported_reads
from analyzer.lang.placeholders import contains_placeholder
from analyzer.load import pointer as jp

#: State fields that never hold JSONata (names, ARNs, nested scopes, error names).
NOT_EXPRESSIONS = frozenset({"Type", "Comment", "Next", "End", "Default", "Resource", "QueryLanguage",
                             "Branches", "ItemProcessor", "Iterator", "Retry", "Catch", "Choices"})


def jsonata_strings(state):
    """(pointer, field, string) of every string of a JSONata state that may hold an expression."""
    raw = state.raw
    for key, value in raw.items():
        if key in NOT_EXPRESSIONS:
            continue
        for ptr, text in F.strings(value, jp.join(state.pointer, key)):
            yield ptr, key, text
    catch = raw.get("Catch")
    if isinstance(catch, list):
        for i, c in enumerate(catch):
            if isinstance(c, dict):
                for key in ("Output", "Assign"):
                    if key in c:
                        for ptr, text in F.strings(c[key], jp.join(state.pointer, "Catch", i, key)):
                            yield ptr, f"Catch[{i}].{key}", text
    for rule in getattr(state, "choices", ()):
        rraw = rule.raw if isinstance(rule.raw, dict) else {}
        for key in ("Condition", "Output", "Assign"):
            if key in rraw:
                for ptr, text in F.strings(rraw[key], jp.join(rule.pointer, key)):
                    yield ptr, key, text


class BadJsonata(Rule):
    id = "ASL108"
    name = "bad-jsonata"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "jsonata")
    precision = "very-high"
    doc = """
A `{% %}` JSONata expression does not parse, or its delimiters are broken.

## What it finds
In states whose effective query language is JSONata, every string that is meant as
an expression (in `Arguments`, `Output`, `Assign`, `Items`, `ItemSelector`, Choice
`Condition`, Catch `Output`/`Assign`, timeouts and the other value fields) is parsed
with a JSONata parser (the `jsonata-python` implementation of JSONata 2). Reported:
syntax errors (`{% 10 + * 2 %}`, a missing `)`, JSONPath filters such as
`{% $.a[?(@.x)] %}`), an empty expression, and strings that open with `{%` but do not
end with `%}` or the reverse. Spacing inside the delimiters is not checked.
Also reported, as the service refuses them (`UNSUPPORTED_JSONATA_EXPRESSION`): a path
that starts with a bare field name, `$` or `$$` at the top level of an expression (there
is no context item: data comes from `$states.input`, `$states.result`,
`$states.context` and variables), and `$states.errorOutput` outside a Catch's `Output`
and `Assign`. Lambda bodies are not examined.

## Why it matters
The service parses every expression when the definition is created and refuses the
definition when one does not parse; a string with half the delimiters is silently taken
as a literal, which is never what was meant.

## Example
```json
{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass",
  "Output": "{% $sum($states.input.items %}", "End": true}}}
```

## Fix
```json
{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass",
  "Output": "{% $sum($states.input.items) %}", "End": true}}}
```
"""

    def check(self, ctx):
        for state in ctx.machine.walk_states():
            if not isinstance(state.raw, dict) or not F.is_jsonata(state, ctx.machine):
                continue
            where = F.describe_state(state)
            for ptr, field, text in jsonata_strings(state):
                if is_expression(text):
                    if contains_placeholder(text):
                        continue
                    problem = check_expression(text)
                    if problem:
                        yield self.finding(ptr, f"{where}: {field} holds a JSONata expression that does not parse: "
                                           f"{problem}", state=state.name)
                        continue
                    names, error_output = unsupported_reads(text)
                    for name in names:
                        what = {"$": "the context item '$'", "$$": "'$$'"}.get(name, f"the field {name!r}")
                        yield self.finding(ptr, f"{where}: {field} reads {what} at the top level of a JSONata "
                                           "expression, where there is no context item; start from "
                                           "$states.input (or $states.result, $states.context, a variable)",
                                           state=state.name)
                    if error_output and not field.startswith("Catch["):
                        yield self.finding(ptr, f"{where}: {field} reads $states.errorOutput, which exists only in "
                                           "a Catch's Output and Assign", state=state.name)
                else:
                    problem = delimiter_problem(text)
                    if problem:
                        yield self.finding(ptr, f"{where}: {field}: {problem}", state=state.name)
