"""RFC 3339 timestamps as Step Functions accepts them (asl-semantics §2.2 Wait, §4.2.7).

Accepted: ``YYYY-MM-DDTHH:MM:SS``, an optional fraction of any length, then ``Z`` or a
numeric offset ``+HH:MM``/``-HH:MM``. The ``T`` and ``Z`` are upper case. A timestamp
without a time-zone designator, a date alone, or an impossible date (February 30th, hour
24) is refused.
"""

from __future__ import annotations

import re
from typing import Any

from analyzer.semantics.values import parse_timestamp

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))\Z")


def is_timestamp(text: Any) -> bool:
    """Whether ``text`` is a timestamp the service accepts (one definition, shared with Choice)."""
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
