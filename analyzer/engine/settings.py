"""Resolved settings for one lint run (after CLI, config file and defaults are merged)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass
class SolverSettings:
    enabled: bool = True
    timeout_ms: int = 2000  # per query
    rlimit: int = 5_000_000  # z3 resource limit per query (deterministic, unlike time)
    seed: int = 0
    loop_unroll: int = 2
    max_paths: int = 256


@dataclass
class Settings:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity_overrides: dict[str, str] = field(default_factory=dict)  # selector -> severity
    workflow_type: str | None = None  # forced from the CLI
    workflow_types: dict[str, str] = field(default_factory=dict)  # glob -> type (config)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> selectors
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> options
    solver: SolverSettings = field(default_factory=SolverSettings)
    use_suppressions: bool = True
    root: str | None = None  # reported paths are relative to it (--srcroot; default: the working directory)
    #: SARIF ``automationDetails.id`` prefix, when several SARIF files are uploaded for one commit
    sarif_category: str | None = None
    config_dir: str | None = None  # folder of the configuration file: its globs are relative to it

    def options_for(self, rule_id: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
        merged = dict(defaults)
        merged.update(self.rule_options.get(rule_id, {}))
        return merged
