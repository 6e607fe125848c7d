"""ASL113: a Wait state without exactly one duration, or with a bad duration or timestamp."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F
from analyzer.lang.jsonata_syntax import is_expression
from analyzer.lang.placeholders import contains_placeholder
from analyzer.lang.timestamps import is_timestamp, why_not_timestamp

DURATION_FIELDS = ("Seconds", "Timestamp", "SecondsPath", "TimestampPath")
MAX_SECONDS = 99999999


class BadWait(Rule):
    id = "ASL113"
    name = "bad-wait"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness",)
    precision = "very-high"
    doc = """
A Wait state does not have exactly one of `Seconds`, `Timestamp`, `SecondsPath`, `TimestampPath`, or its value is out of range or not a valid timestamp.

## What it finds
* none or more than one of the four duration fields;
* `Seconds` below 0 or above 99999999;
* a `Timestamp` that is not RFC 3339 as the service accepts it: a date, `T`, a time,
  an optional fraction and a time-zone designator (`Z` or `+01:00`). A date alone or a
  time without a zone (`2024-05-01T10:00:00`) is refused, as are impossible dates.
JSONata expressions and `${Name}` placeholders are not judged.

## Why it matters
The service refuses the definition (for a bad literal timestamp) or the state
(two duration fields); a Wait without any duration cannot run.

## Example
```json
{"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Timestamp": "2024-05-01T10:00:00", "End": true}}}
```

## Fix
```json
{"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Timestamp": "2024-05-01T10:00:00Z", "End": true}}}
```
"""

    def check(self, ctx):
        for state in ctx.machine.walk_states():
            if state.type != "Wait" or not isinstance(state.raw, dict):
                continue
            raw = state.raw
            where = F.describe_state(state)
            given = [k for k in DURATION_FIELDS if k in raw]
            if not given:
                yield self.finding(state.pointer, f"{where} needs exactly one of Seconds, Timestamp, SecondsPath "
                                   "or TimestampPath; it has none", state=state.name)
            elif len(given) > 1:
                yield self.finding(state.field_pointer(given[1]), f"{where} has {' and '.join(given)}; give exactly "
                                   "one duration", state=state.name)
            seconds = raw.get("Seconds")
            if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) \
                    and not 0 <= seconds <= MAX_SECONDS:
                yield self.finding(state.field_pointer("Seconds"), f"{where}: Seconds is {seconds}; it must be from "
                                   f"0 to {MAX_SECONDS}", state=state.name)
            ts = raw.get("Timestamp")
            if isinstance(ts, str) and not is_expression(ts) and not contains_placeholder(ts) \
                    and not is_timestamp(ts):
                yield self.finding(state.field_pointer("Timestamp"), f"{where}: Timestamp {ts!r} is not valid: "
                                   f"{why_not_timestamp(ts)}", state=state.name)
