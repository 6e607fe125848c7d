"""RFC 3339 timestamps as Step Functions accepts them (asl-semantics §2.2 Wait, §4.2.7).

Accepted: ``YYYY-MM-DDTHH:MM:SS``, an optional fraction of any length, then ``Z`` or a
numeric offset ``+HH:MM``/``-HH:MM``. The ``T`` and ``Z`` are upper case. A timestamp
without a time-zone designator, a date alone, or an impossible date (February 30th, hour
24) is refused.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))\Z")


def parse_timestamp(text: Any) -> datetime | None:
    """The instant a timestamp names (timezone-aware), or ``None`` when it is not valid."""
    if not isinstance(text, str):
        return None
    m = _RFC3339.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    if m.group(8) == "Z":
        tz = timezone.utc
    else:
        oh, om = int(m.group(9)), int(m.group(10))
        if oh > 23 or om > 59:
            return None
        sign = 1 if m.group(8)[0] == "+" else -1
        tz = timezone(sign * timedelta(hours=oh, minutes=om))
    frac = m.group(7)
    micro = int((frac[1:] + "000000")[:6]) if frac else 0
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    except ValueError:
        return None


def is_timestamp(text: Any) -> bool:
    return parse_timestamp(text) is not None


def why_not_timestamp(text: Any) -> str:
    """A short reason for a refused timestamp, for messages."""
    if not isinstance(text, str):
        return "a timestamp must be a string"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return "a date alone is not a timestamp; add a time and a time zone (e.g. T00:00:00Z)"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?", text):
        return "the time-zone designator is missing (end it with Z or an offset such as +01:00)"
    if _RFC3339.match(text.upper() if "t" in text or "z" in text else text) and ("t" in text or "z" in text):
        return "'T' and 'Z' must be upper case"
    if _RFC3339.match(text):
        return "the date or time does not exist"
    return "expected an RFC 3339 timestamp such as 2024-01-31T12:00:00Z"
