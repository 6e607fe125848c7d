"""ASL601: a literal payload in the definition is larger than the 256 KiB payload quota."""

from __future__ import annotations

import json
from typing import Any, Iterator

from analyzer.engine.rule import Rule, Severity
from analyzer.load import pointer as jp
from analyzer.model.nodes import ChoiceState, present

PAYLOAD_LIMIT = 256 * 1024  # bytes of UTF-8, the quota for state input/output and task results

#: Fields whose value becomes (part of) a state's payload as written.
PAYLOAD_FIELDS = ("Result", "Parameters", "Arguments", "Output", "ItemSelector", "ResultSelector", "Assign")


def _dumped_size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def payload_size(value: Any) -> int:
    """Bytes of ``value`` as compact UTF-8 JSON, the form the service measures."""
    try:
        return _dumped_size(value)
    except RecursionError:  # nested deeper than the encoder recurses: count without recursion
        return _nested_size(value)


def _nested_size(value: Any) -> int:
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            total += 2 + max(len(item) - 1, 0) + sum(_dumped_size(str(k)) + 1 for k in item)  # {} , "k":
            stack.extend(item.values())
        elif isinstance(item, list):
            total += 2 + max(len(item) - 1, 0)  # [] ,
            stack.extend(item)
        else:
            total += _dumped_size(item)
    return total


class PayloadTooLarge(Rule):
    id = "ASL601"
    name = "payload-too-large"
    severity = Severity.ERROR
    category = "limits"
    tags = ("limits", "payload")
    precision = "very-high"
    doc = """
A literal `Result`, `Parameters`, `Arguments`, `Output`, `ItemSelector`, `ResultSelector` or `Assign` is larger than 256 KiB.

## What it finds
A payload field whose value, written out as compact UTF-8 JSON, is over 262,144 bytes.
The size counts bytes, not characters: 131,100 copies of `é` are 262,200 bytes.
Fields of states, of Catchers and of Choice rules are checked.

## Why it matters
State input, output and task results are limited to 256 KiB. A state that produces a
larger payload fails with `States.DataLimitExceeded`, which no `Catch` can handle, every
time it runs.

## Example
```json
{"StartAt": "Seed", "States": {
  "Seed": {"Type": "Pass", "Result": {"table": ["... 300 KB of rows ..."]}, "End": true}}}
```

## Fix
Keep large data in S3 and pass its location (`{"Bucket": "...", "Key": "..."}`); read it
in the Task that needs it, or use a Distributed Map `ItemReader`.
"""

    def check(self, ctx):
        for state in ctx.machine.walk_states():
            owners: list[tuple[str, Any]] = [(state.pointer, state.raw)]
            for catcher in getattr(state, "catch", ()):
                owners.append((catcher.pointer, catcher.raw))
            if isinstance(state, ChoiceState):
                for rule in state.choices:
                    owners.append((rule.pointer, rule.raw))
            for pointer, raw in owners:
                yield from self._fields(pointer, raw, state.name)

    def _fields(self, pointer: str, raw: Any, state: str) -> Iterator:
        if not isinstance(raw, dict):
            return
        for key in PAYLOAD_FIELDS:
            value = raw.get(key)
            if key not in raw or not present(value) or not isinstance(value, (dict, list, str)):
                continue
            if isinstance(value, str) and len(value) * 4 < PAYLOAD_LIMIT:
                continue  # cheap exit: cannot be over the limit
            size = payload_size(value)
            if size > PAYLOAD_LIMIT:
                yield self.finding(
                    jp.join(pointer, key),
                    f"{key} of {state!r} is {size:,} bytes as compact JSON, over the 256 KiB ({PAYLOAD_LIMIT:,} "
                    f"bytes) payload limit: the state fails with States.DataLimitExceeded",
                    state=state, size=size, limit=PAYLOAD_LIMIT,
                )
