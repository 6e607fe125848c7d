"""ASL401: a Task in an Express workflow whose integration is not idempotent.

The knowledge of which integration is idempotent lives in ``analyzer/data/idempotency.json``;
this module only reads the table, evaluates its conditions against the Task's arguments,
and follows per-run values (``States.UUID()``, ``$now()``, ...) into those arguments.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import MISSING, ChoiceState, Machine, PassState, TaskState

_PARTITION = r"(?:[\w-]+|\$\{[^}]*\})"  # aws, aws-cn, ... or a substituted ${AWS::Partition}
_LAMBDA_ARN = re.compile(rf"^arn:{_PARTITION}:lambda:.*:function:")
_STATES_ARN = re.compile(rf"^arn:{_PARTITION}:states:::(.+)$")
_PATTERN_SUFFIX = re.compile(r"\.(sync(:\d+)?|waitForTaskToken)$")
_LAMBDA_PLACEHOLDER = re.compile(r"^\$\{[^}]*(function|lambda)[^}]*\}$", re.IGNORECASE)
_VARIABLE_REF = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """The idempotency table, parsed once per process."""
    text = resources.files("analyzer.data").joinpath("idempotency.json").read_text(encoding="utf-8")
    data = json.loads(text)
    data["_taint"] = [(re.compile(t["pattern"]), t["label"]) for t in data["taint_sources"]]
    return data


def integration_key(resource: Any) -> tuple[str | None, str]:
    """``(table key, how the resource was recognised)`` for a Task ``Resource``."""
    if not isinstance(resource, str):
        return None, ""
    if _LAMBDA_ARN.match(resource):
        return "lambda:function", "a Lambda function ARN"
    if _LAMBDA_PLACEHOLDER.match(resource):
        return "lambda:function", f"{resource} (a substituted Lambda function ARN)"
    m = _STATES_ARN.match(resource)
    if not m:
        return None, ""
    key = _PATTERN_SUFFIX.sub("", m.group(1))
    return key, key


def lookup(key: str) -> dict[str, Any] | None:
    """The table entry for a key: exact (following ``same_as``), else by the action's verb."""
    integrations = table()["integrations"]
    entry = integrations.get(key)
    seen = 0
    while entry is not None and "same_as" in entry and seen < 5:
        entry = integrations.get(entry["same_as"])
        seen += 1
    if entry is not None:
        return entry
    action = key.rsplit(":", 1)[-1].lower()
    for group in table()["verbs"]:
        if any(action.startswith(p) for p in group["prefixes"]):
            return {"class": group["class"], "reason": group["reason"], "fix": group.get("fix", ""), "by_verb": True}
    return None


# -- reading arguments -----------------------------------------------------------------

def _get(args: Any, dotted: str) -> tuple[bool, Any, bool]:
    """``(present, value, dynamic)`` of ``A.B`` in the arguments, keys compared case-insensitively.

    A key written ``Name.$`` (JSONPath) or a ``{% %}`` string (JSONata) is dynamic: present,
    but its value is not known statically.
    """
    node = args
    dynamic = False
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return False, None, False
        found = False
        for k, v in node.items():
            if not isinstance(k, str):
                continue
            if k.lower() == part.lower():
                node, found = v, True
                break
            if k.lower() == part.lower() + ".$":
                node, found, dynamic = v, True, True
                break
        if not found:
            return False, None, False
    if isinstance(node, str) and node.strip().startswith("{%"):
        dynamic = True
    return True, node, dynamic


def _strings(value: Any, dynamic: bool = False) -> Iterator[str]:
    """The expressions inside an argument value: ``.$`` values and ``{% %}`` strings."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, dynamic or (isinstance(k, str) and k.endswith(".$")))
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, dynamic)
    elif isinstance(value, str) and (dynamic or "{%" in value):
        yield value


class Taint:
    """Per-run values, where they come from, and the variables and paths they flow into."""

    def __init__(self, machine: Machine) -> None:
        self.sources = table()["_taint"]
        self.variables: dict[str, str] = {}
        self.paths: dict[str, str] = {}
        assigns: list[Any] = []
        for state in machine.walk_states():
            assigns.append(state.assign)
            for catcher in getattr(state, "catch", ()):
                assigns.append(catcher.assign)
            if isinstance(state, ChoiceState):
                for rule in state.choices:
                    assigns.append(rule.assign)
            if isinstance(state, PassState):
                self._pass_paths(state)
        for _ in range(3):  # variables assigned from variables: a few rounds reach a fixpoint in practice
            for assign in assigns:
                if isinstance(assign, dict):
                    for name, value in assign.items():
                        if isinstance(name, str) and name not in self.variables:
                            label = self.label(value, {"$": True} if name.endswith(".$") else None)
                            if label:
                                self.variables[name.removesuffix(".$")] = label

    def _pass_paths(self, state: PassState) -> None:
        if state.is_jsonata:
            if isinstance(state.output, dict):
                for key, value in state.output.items():
                    label = self.label(value)
                    if label and isinstance(key, str):
                        self.paths[f"$states.input.{key}"] = label
            return
        if not isinstance(state.parameters, dict):
            return
        base = state.result_path if isinstance(state.result_path, str) else "$"
        for key, value in state.parameters.items():
            if isinstance(key, str) and key.endswith(".$"):
                label = self.label(value, {"$": True})
                if label:
                    self.paths[f"{base.rstrip('.')}.{key[:-2]}"] = label

    def label(self, value: Any, dynamic: Any = None) -> str | None:
        """What makes a value differ between runs, or None when nothing does."""
        for text in _strings(value, bool(dynamic)):
            for pattern, label in self.sources:
                if pattern.search(text):
                    return label
            for name in _VARIABLE_REF.findall(text):
                if name in self.variables:
                    return f"${name} (assigned from {self.variables[name]})"
            for path, label in self.paths.items():
                if re.search(re.escape(path) + r"(?![\w])", text):
                    return f"{path} (set from {label})"
        return None


# -- evaluating the table ---------------------------------------------------------------

def _condition_holds(cond: dict[str, Any], args: Any) -> bool:
    if "present" in cond:
        return _get(args, cond["present"])[0]
    if "absent" in cond:
        return not _get(args, cond["absent"])[0]
    if "literal_matches" in cond:
        key, pattern = cond["literal_matches"]
        present, value, dynamic = _get(args, key)
        return present and not dynamic and isinstance(value, str) and re.search(pattern, value) is not None
    if "literal_not_matches" in cond:
        key, pattern = cond["literal_not_matches"]
        present, value, dynamic = _get(args, key)
        return present and not dynamic and isinstance(value, str) and re.search(pattern, value) is None
    if "literal_in" in cond:
        key, allowed = cond["literal_in"]
        present, value, dynamic = _get(args, key)
        return present and not dynamic and isinstance(value, str) and value.upper() in allowed
    return False


def _tainted_argument(keys: list[str], args: Any, taint: Taint) -> tuple[str, str] | None:
    for key in keys:
        present, value, dynamic = _get(args, key)
        if present:
            label = taint.label(value, dynamic)
            if label:
                return key, label
    return None


def _all_arguments_taint(args: Any, taint: Taint) -> tuple[str, str] | None:
    if isinstance(args, dict):
        return _tainted_argument([k.removesuffix(".$") for k in args if isinstance(k, str)], args, taint)
    label = taint.label(args, True) if args is not MISSING else None
    return ("the arguments", label) if label else None


def _explain(conditions: Any, args: Any) -> str | None:
    """Why a literal argument rules an alternative out, when the table says (``when_failed``)."""
    for cond in conditions:
        if "literal_not_matches" in cond and "when_failed" in cond:
            key, pattern = cond["literal_not_matches"]
            present, value, dynamic = _get(args, key)
            if present and not dynamic and isinstance(value, str) and re.search(pattern, value):
                return f"{key} {value!r} {cond['when_failed']}"
    return None


def verdict(entry: dict[str, Any], args: Any, taint: Taint) -> str | None:
    """Why the Task is unsafe to replay, or None when it is safe."""
    cls = entry.get("class")
    if cls == "read-only":
        return None
    if cls == "not-idempotent":
        return entry["reason"]
    if cls == "idempotent":
        hit = _all_arguments_taint(args, taint)
        if hit:
            return (f"{entry['reason']} only with the same arguments, but {hit[0]} uses {hit[1]}, "
                    "which differs on every run")
        return None
    if cls == "conditional":
        tainted: tuple[str, str] | None = None
        explained: str | None = None
        for alternative in entry.get("safe_when", ()):
            conditions = alternative.get("all", ())
            if all(_condition_holds(c, args) for c in conditions):
                hit = _tainted_argument(alternative.get("deterministic", []), args, taint)
                if hit is None:
                    return None
                tainted = tainted or hit
            explained = explained or _explain(conditions, args)
        if tainted:
            return f"{entry['unsafe']}: {tainted[0]} uses {tainted[1]}, which differs on every run"
        if explained:
            return f"{entry['unsafe']}: {explained}"
        return entry["unsafe"]
    return None


class ExpressNonIdempotentTask(Rule):
    id = "ASL401"
    name = "express-non-idempotent-task"
    severity = Severity.WARNING
    category = "express"
    tags = ("reliability", "express", "idempotency")
    precision = "medium"
    options = {
        # Lambda functions are opaque: they are reported unless the project states that its
        # functions are idempotent (e.g. all use an idempotency library keyed on the payload).
        "report-lambda": True,
    }
    doc = """
A Task in an Express workflow calls an integration that is not safe to run twice.

## What it finds
Task states of an `EXPRESS` workflow whose integration is not idempotent: Lambda
(`lambda:invoke` or a function ARN), `sqs:sendMessage` to a standard queue,
`sns:publish`, `events:putEvents`, `states:startExecution` without a `Name`,
`batch:submitJob`, `glue:startJobRun`, `ecs:runTask` without `ClientToken`, POST to
`http:invoke`, and `aws-sdk:` actions whose verb creates, sends or starts something.
Integrations that are idempotent only under a condition are checked against the
Task's arguments: a DynamoDB write guarded by a `ConditionExpression`, a FIFO message
with a `MessageDeduplicationId`, a `Name`/`ClientToken` taken from the input. Arguments
built from per-run values (`States.UUID()`, `$uuid()`, `$now()`, `$$.State.EnteredTime`,
`$$.Execution.StartTime`, the execution id, and variables or Pass outputs set from
them) make otherwise idempotent calls unsafe. Standard workflows are never reported.
The table of integrations is data (`analyzer/data/idempotency.json`).

## Why it matters
Asynchronous Express executions run at least once: the service may restart one from the
beginning, and a retried request may already have taken effect before its response was
lost. A Task that charges a card, sends a message or starts a job can then do it twice.
(Executions started with `StartSyncExecution` are at most once, but retriers still repeat
calls; if a machine is only ever started synchronously and has no retriers, suppress
this rule with a reason.)

## Example
```json
{"StartAt": "Notify", "States": {
  "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
             "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/orders",
                            "MessageBody.$": "$"},
             "End": true}}}
```

## Fix
Send to a FIFO queue with a deduplication id taken from a business field of the input:
```json
{"StartAt": "Notify", "States": {
  "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
             "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/orders.fifo",
                            "MessageBody.$": "$", "MessageGroupId": "orders",
                            "MessageDeduplicationId.$": "$.orderId"},
             "End": true}}}
```
When the target is idempotent by design (e.g. a Lambda keyed on the order id), say so
in the state's Comment: `aslcheck: ignore[ASL401] -- handler dedups on orderId`. A project
whose functions are all idempotent can set the rule option `report-lambda = false`.
"""

    def check(self, ctx):
        if not ctx.is_express:
            return
        report_lambda = ctx.options(self.id, self.options)["report-lambda"]
        taint: Taint | None = None
        for state in ctx.machine.walk_states():
            if not isinstance(state, TaskState):
                continue
            key, described = integration_key(state.resource)
            if key is None:
                continue
            if not report_lambda and key in ("lambda:invoke", "lambda:function"):
                continue
            entry = lookup(key)
            if entry is None:
                continue
            if taint is None:
                taint = Taint(ctx.machine)
            args = state.arguments if state.is_jsonata else state.parameters
            why = verdict(entry, args, taint)
            if why is None:
                continue
            fix = entry.get("fix") or ""
            if entry.get("by_verb"):
                why = f"{why} (judged by the action's verb)"
            yield self.finding(
                state.field_pointer("Resource"),
                f"Task {state.name!r} calls {described} in an EXPRESS workflow, which may run it more than once "
                f"(asynchronous Express executions are at-least-once): {why}" + (f". Fix: {fix}" if fix else ""),
                state=state.name, integration=key,
            )
