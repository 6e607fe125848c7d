"""A virtual clock: Wait states, retry back-off and mocked Task durations advance it; nothing sleeps.

The machine-level ``TimeoutSeconds`` is a deadline on this clock; crossing it raises
:class:`ExecutionTimeout` at the moment time would pass it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction

from analyzer.interp.failures import ExecutionTimeout
from analyzer.interp.scheduler import pause_until

DEFAULT_START = datetime(2024, 1, 1, tzinfo=timezone.utc)


class VirtualClock:
    def __init__(self, start: datetime = DEFAULT_START, timeout_seconds: float | None = None) -> None:
        self.start = start
        self.elapsed = 0.0  # seconds since the execution started
        self.deadline = float(timeout_seconds) if timeout_seconds is not None else None

    def advance(self, seconds: float) -> None:
        if seconds <= 0:
            return
        target = self.elapsed + float(seconds)
        if self.deadline is not None and target > self.deadline:
            pause_until(self.deadline)  # concurrent branches still act before the deadline
            self.elapsed = self.deadline
            raise ExecutionTimeout(f"The execution ran longer than its limit of {self.deadline:g} seconds")
        pause_until(target)
        self.elapsed = target

    def advance_to_epoch(self, epoch_seconds: Fraction | float) -> None:
        """Wait until an absolute instant; an instant in the past returns at once."""
        self.advance(float(epoch_seconds) - self.epoch())

    def epoch(self) -> float:
        return self.start.timestamp() + self.elapsed

    def now(self, elapsed: float | None = None) -> datetime:
        return self.start + timedelta(seconds=self.elapsed if elapsed is None else elapsed)

    def iso(self, elapsed: float | None = None) -> str:
        """An instant (now, or ``elapsed`` seconds after the start) as the service prints it:
        millisecond precision and ``Z``."""
        moment = self.now(elapsed)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_start(text: str) -> datetime:
    """An RFC 3339 start time for the clock (from a context override)."""
    from analyzer.semantics.values import parse_timestamp

    seconds = parse_timestamp(text)
    if seconds is None:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    return datetime.fromtimestamp(float(seconds), tz=timezone.utc)
