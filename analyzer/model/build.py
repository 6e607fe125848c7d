"""Raw JSON value tree → typed model. Never raises: odd input is kept for the rules to report."""

from __future__ import annotations

from typing import Any, Mapping

from analyzer.load import pointer as jp
from analyzer.model.nodes import (
    JSONATA,
    JSONPATH,
    MISSING,
    Catcher,
    ChoiceRule,
    ChoiceState,
    FailState,
    Machine,
    MapState,
    ParallelState,
    PassState,
    Retrier,
    State,
    SucceedState,
    TaskState,
    WaitState,
)

# Comparison operators of JSONPath Choice rules; each also has a "...Path" form except
# StringMatches and the Is* type tests.
COMPARISON_OPERATORS = (
    "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals",
    "StringMatches",
    "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals",
    "BooleanEquals",
    "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals",
    "TimestampGreaterThanEquals",
)
PATH_OPERATORS = tuple(op + "Path" for op in COMPARISON_OPERATORS if op != "StringMatches")
TYPE_TEST_OPERATORS = ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp")
DATA_OPERATORS = COMPARISON_OPERATORS + PATH_OPERATORS + TYPE_TEST_OPERATORS
LOGIC_OPERATORS = ("And", "Or", "Not")
ALL_OPERATORS = frozenset(DATA_OPERATORS + LOGIC_OPERATORS)

_STATE_CLASSES: dict[str, type[State]] = {
    "Pass": PassState,
    "Task": TaskState,
    "Choice": ChoiceState,
    "Wait": WaitState,
    "Succeed": SucceedState,
    "Fail": FailState,
    "Parallel": ParallelState,
    "Map": MapState,
}

_COMMON = {
    "Comment": "comment",
    "Next": "next",
    "End": "end",
    "InputPath": "input_path",
    "OutputPath": "output_path",
    "Output": "output",
    "Assign": "assign",
}
_SPECIFIC: dict[str, dict[str, str]] = {
    "Pass": {"Result": "result", "ResultPath": "result_path", "Parameters": "parameters"},
    "Task": {
        "Resource": "resource", "Parameters": "parameters", "Arguments": "arguments",
        "ResultSelector": "result_selector", "ResultPath": "result_path",
        "TimeoutSeconds": "timeout_seconds", "TimeoutSecondsPath": "timeout_seconds_path",
        "HeartbeatSeconds": "heartbeat_seconds", "HeartbeatSecondsPath": "heartbeat_seconds_path",
        "Credentials": "credentials",
    },
    "Choice": {"Default": "default"},
    "Wait": {"Seconds": "seconds", "Timestamp": "timestamp", "SecondsPath": "seconds_path",
             "TimestampPath": "timestamp_path"},
    "Succeed": {},
    "Fail": {"Error": "error", "Cause": "cause", "ErrorPath": "error_path", "CausePath": "cause_path"},
    "Parallel": {"Parameters": "parameters", "Arguments": "arguments", "ResultSelector": "result_selector",
                 "ResultPath": "result_path"},
    "Map": {
        "ItemsPath": "items_path", "Items": "items", "ItemSelector": "item_selector", "Parameters": "parameters",
        "MaxConcurrency": "max_concurrency", "MaxConcurrencyPath": "max_concurrency_path",
        "ItemReader": "item_reader", "ItemBatcher": "item_batcher", "ResultWriter": "result_writer",
        "ToleratedFailurePercentage": "tolerated_failure_percentage",
        "ToleratedFailurePercentagePath": "tolerated_failure_percentage_path",
        "ToleratedFailureCount": "tolerated_failure_count",
        "ToleratedFailureCountPath": "tolerated_failure_count_path",
        "Label": "label", "ResultSelector": "result_selector", "ResultPath": "result_path",
    },
}


def _query_language(raw: Mapping[str, Any], inherited: str) -> str:
    ql = raw.get("QueryLanguage")
    return ql if ql in (JSONPATH, JSONATA) else inherited


def _error_names(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _retriers(raw: Any, ptr: str) -> tuple[Retrier, ...]:
    if not isinstance(raw, list):
        return ()
    out = []
    for i, r in enumerate(raw):
        if not isinstance(r, dict):
            continue
        out.append(Retrier(
            pointer=jp.join(ptr, i),
            error_equals=_error_names(r.get("ErrorEquals")),
            interval_seconds=r.get("IntervalSeconds", MISSING),
            max_attempts=r.get("MaxAttempts", MISSING),
            backoff_rate=r.get("BackoffRate", MISSING),
            max_delay_seconds=r.get("MaxDelaySeconds", MISSING),
            jitter_strategy=r.get("JitterStrategy", MISSING),
            comment=r.get("Comment", MISSING),
            raw=r,
        ))
    return tuple(out)


def _catchers(raw: Any, ptr: str) -> tuple[Catcher, ...]:
    if not isinstance(raw, list):
        return ()
    out = []
    for i, c in enumerate(raw):
        if not isinstance(c, dict):
            continue
        out.append(Catcher(
            pointer=jp.join(ptr, i),
            error_equals=_error_names(c.get("ErrorEquals")),
            next=c.get("Next", MISSING),
            result_path=c.get("ResultPath", MISSING),
            output=c.get("Output", MISSING),
            assign=c.get("Assign", MISSING),
            comment=c.get("Comment", MISSING),
            raw=c,
        ))
    return tuple(out)


def build_choice_rule(raw: Any, ptr: str, top_level: bool, depth: int = 0) -> ChoiceRule:
    if not isinstance(raw, dict):
        return ChoiceRule(pointer=ptr, top_level=top_level, raw={})
    ops = tuple(k for k in raw if k in ALL_OPERATORS)
    operator = next((k for k in ops if k in DATA_OPERATORS), None)
    and_ = or_ = not_ = None
    if depth < 200:  # deeper nesting is reported by validation, not followed
        if isinstance(raw.get("And"), list):
            and_ = tuple(build_choice_rule(r, jp.join(ptr, "And", i), False, depth + 1)
                         for i, r in enumerate(raw["And"]))
        if isinstance(raw.get("Or"), list):
            or_ = tuple(build_choice_rule(r, jp.join(ptr, "Or", i), False, depth + 1)
                        for i, r in enumerate(raw["Or"]))
        if isinstance(raw.get("Not"), dict):
            not_ = build_choice_rule(raw["Not"], jp.join(ptr, "Not"), False, depth + 1)
    return ChoiceRule(
        pointer=ptr,
        top_level=top_level,
        next=raw.get("Next", MISSING),
        comment=raw.get("Comment", MISSING),
        assign=raw.get("Assign", MISSING),
        output=raw.get("Output", MISSING),
        condition=raw.get("Condition", MISSING),
        variable=raw.get("Variable", MISSING),
        operator=operator,
        operand=raw.get(operator, MISSING) if operator else MISSING,
        operators=ops,
        and_=and_,
        or_=or_,
        not_=not_,
        raw=raw,
    )


def build_state(name: str, raw: Any, ptr: str, scope: str, inherited_ql: str, depth: int) -> State:
    if not isinstance(raw, dict):
        return State(name=name, pointer=ptr, type=None, scope=scope, query_language=inherited_ql, raw={})
    stype = raw.get("Type", MISSING)
    cls = _STATE_CLASSES.get(stype, State) if isinstance(stype, str) else State
    ql = _query_language(raw, inherited_ql)
    kwargs: dict[str, Any] = {
        "name": name, "pointer": ptr, "type": stype, "scope": scope, "query_language": ql, "raw": raw,
    }
    for key, attr in _COMMON.items():
        kwargs[attr] = raw.get(key, MISSING)
    if cls is not State:
        for key, attr in _SPECIFIC[stype].items():
            kwargs[attr] = raw.get(key, MISSING)
    if cls in (TaskState, ParallelState, MapState):
        kwargs["retry"] = _retriers(raw.get("Retry"), jp.join(ptr, "Retry"))
        kwargs["catch"] = _catchers(raw.get("Catch"), jp.join(ptr, "Catch"))
    if cls is ChoiceState:
        choices = raw.get("Choices")
        kwargs["choices"] = tuple(
            build_choice_rule(r, jp.join(ptr, "Choices", i), True) for i, r in enumerate(choices)
        ) if isinstance(choices, list) else ()
    elif cls is ParallelState and depth < 100:
        branches = raw.get("Branches")
        if isinstance(branches, list):
            kwargs["branches"] = tuple(
                build_machine(b, jp.join(ptr, "Branches", i), ql, owner=ptr, depth=depth + 1)
                for i, b in enumerate(branches)
            )
    elif cls is MapState:
        key = "ItemProcessor" if "ItemProcessor" in raw else "Iterator" if "Iterator" in raw else None
        if key is not None and depth < 100:
            kwargs["processor"] = build_machine(raw[key], jp.join(ptr, key), ql, owner=ptr, depth=depth + 1)
            kwargs["processor_key"] = key
            cfg = raw[key].get("ProcessorConfig") if isinstance(raw[key], dict) else None
            if isinstance(cfg, dict):
                if cfg.get("Mode") in ("INLINE", "DISTRIBUTED"):
                    kwargs["mode"] = cfg["Mode"]
                kwargs["execution_type"] = cfg.get("ExecutionType", MISSING)
    return cls(**kwargs)


def build_machine(raw: Any, ptr: str = "", inherited_ql: str = JSONPATH, owner: str | None = None,
                  depth: int = 0) -> Machine:
    """Build the scope at ``ptr`` (``""`` for the whole definition)."""
    if not isinstance(raw, dict):
        return Machine(pointer=ptr, start_at=MISSING, states={}, query_language=inherited_ql, owner=owner, raw={})
    ql = _query_language(raw, inherited_ql)
    states_raw = raw.get("States")
    states: dict[str, State] = {}
    if isinstance(states_raw, dict):
        for name, sraw in states_raw.items():
            states[name] = build_state(name, sraw, jp.join(ptr, "States", name), ptr, ql, depth)
    return Machine(
        pointer=ptr,
        start_at=raw.get("StartAt", MISSING),
        states=states,
        query_language=ql,
        comment=raw.get("Comment", MISSING),
        timeout_seconds=raw.get("TimeoutSeconds", MISSING),
        version=raw.get("Version", MISSING),
        owner=owner,
        raw=raw,
    )
