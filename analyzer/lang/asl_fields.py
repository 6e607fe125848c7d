"""Field tables shared by the validation rules: which fields belong to which query
language, which hold reference paths, and how to walk payload templates.

Kept in one place so that ASL101 (schema), ASL106 (paths), ASL107 (intrinsics), ASL108
(JSONata) and ASL109 (query-language exclusivity) agree on what each field is.
"""

from __future__ import annotations

from typing import Any, Iterator

from analyzer.load import pointer as jp

#: State-level fields that exist only in JSONPath states (asl-semantics §2.1).
JSONPATH_ONLY = (
    "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "ItemsPath",
    "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
    "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
    "ErrorPath", "CausePath",
)
#: State-level fields that exist only in JSONata states.
JSONATA_ONLY = ("Arguments", "Output", "Items")

#: State-level fields whose value must be a reference path (asl-semantics §3.5).
REFERENCE_PATH_FIELDS = (
    "ResultPath", "ItemsPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath",
    "TimestampPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
)
#: Fields that take a full JSONPath (or null).
FULL_PATH_FIELDS = ("InputPath", "OutputPath")
#: Reference-path fields nested in Map sub-objects: (container key, sub-key, field).
NESTED_REFERENCE_PATHS = (
    ("ItemReader", "ReaderConfig", "MaxItemsPath"),
    ("ItemBatcher", None, "MaxItemsPerBatchPath"),
    ("ItemBatcher", None, "MaxInputBytesPerBatchPath"),
)

#: Payload templates of a JSONPath state, where `.$` keys take paths or intrinsics.
TEMPLATE_FIELDS = ("Parameters", "ResultSelector", "ItemSelector", "Credentials", "Assign")


def template_locations(raw: dict, pointer: str) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every payload template of one state, Map reader/writer included."""
    for key in TEMPLATE_FIELDS:
        if key in raw:
            yield jp.join(pointer, key), raw[key]
    for holder in ("ItemReader", "ResultWriter"):
        sub = raw.get(holder)
        if isinstance(sub, dict) and "Parameters" in sub:
            yield jp.join(pointer, holder, "Parameters"), sub["Parameters"]
    batcher = raw.get("ItemBatcher")
    if isinstance(batcher, dict) and "BatchInput" in batcher:
        yield jp.join(pointer, "ItemBatcher", "BatchInput"), batcher["BatchInput"]


def dollar_fields(value: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, str, Any]]:
    """Every ``key.$`` entry inside a template: (pointer of the entry, key, value)."""
    if depth > 200:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            ptr = jp.join(pointer, k)
            if isinstance(k, str) and k.endswith(".$"):
                yield ptr, k, v
            else:
                yield from dollar_fields(v, ptr, depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from dollar_fields(v, jp.join(pointer, i), depth + 1)


def strings(value: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Every string anywhere inside a JSON value: (pointer, string)."""
    if depth > 200:
        return
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, jp.join(pointer, k), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, jp.join(pointer, i), depth + 1)


def all_states(machine) -> Iterator[Any]:
    """Every state object of the typed model, nested scopes included."""
    return machine.walk_states()


def describe_state(state) -> str:
    kind = state.type if isinstance(state.type, str) else "state"
    return f"{kind} state {state.name!r}" if isinstance(state.type, str) else f"state {state.name!r}"
