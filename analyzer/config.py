"""Configuration files: ``[tool.aslcheck]`` in pyproject.toml or ``.aslcheck.toml``.

The file is found by walking up from the linted paths (the first one that holds a
configuration wins; ``.aslcheck.toml`` before ``pyproject.toml`` in the same folder, and a
pyproject.toml without a ``[tool.aslcheck]`` table is passed over). Its folder becomes the
folder that its globs are relative to (reported paths stay relative to the working
directory, or ``--srcroot``, which is what code scanning expects). Every key and rule id is checked, so a
typo is an error that names the file rather than a setting silently ignored. Precedence is
applied by the caller: command-line options override what is loaded here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from analyzer.engine.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

CONFIG_NAMES = (".aslcheck.toml", "pyproject.toml")
SEVERITIES = ("error", "warning", "note")
WORKFLOW_TYPES = ("STANDARD", "EXPRESS")
TOP_KEYS = {
    "select", "ignore", "severity-overrides", "per-file-ignores", "workflow-types", "rules", "solver",
    "use-suppressions",
}
SOLVER_KEYS = {"enabled": bool, "timeout-ms": int, "rlimit": int, "seed": int, "loop-unroll": int, "max-paths": int}


class ConfigError(Exception):
    """A configuration file that cannot be read or has invalid values."""


def find_config(paths: list[str]) -> Path | None:
    """The nearest configuration file above the first linted path (or the working directory)."""
    starts = [Path(p) for p in paths if p and p != "-"] or [Path.cwd()]
    start = starts[0].resolve()
    folder = start if start.is_dir() else start.parent
    for directory in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file() and _section(candidate, required=False) is not None:
                return candidate
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _section(path: Path, required: bool = True) -> dict[str, Any] | None:
    """The aslcheck table of a file: ``[tool.aslcheck]``, or the whole of an ``.aslcheck.toml``."""
    data = _read(path)
    tool = data.get("tool")
    if isinstance(tool, dict) and "aslcheck" in tool:
        section = tool["aslcheck"]
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [tool.aslcheck] must be a table")
        return section
    if path.name != "pyproject.toml":
        return {k: v for k, v in data.items() if k != "tool"}
    if required:
        raise ConfigError(f"{path}: no [tool.aslcheck] table")
    return None


def load_settings(paths: list[str], config_file: str | None = None, isolated: bool = False) -> Settings:
    """Settings from the configuration file (explicit, or found from ``paths``) over the defaults."""
    settings = Settings()
    if isolated and not config_file:
        return settings
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"{config_file}: no such configuration file")
    else:
        found = find_config(list(paths))
        if found is None:
            return settings
        path = found
    section = _section(path)
    assert section is not None
    apply_section(settings, section, str(path))
    settings.config_dir = str(path.resolve().parent)
    return settings


# -- validation ---------------------------------------------------------------------------

def apply_section(settings: Settings, section: dict[str, Any], source: str) -> None:
    """Validate one aslcheck table and copy it into ``settings``; raise ConfigError naming ``source``."""

    def fail(message: str) -> None:
        raise ConfigError(f"{source}: {message}")

    unknown = sorted(set(section) - TOP_KEYS)
    if unknown:
        fail(f"unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(TOP_KEYS))})")
    if "select" in section:
        settings.select = _selectors(section["select"], "select", fail)
    if "ignore" in section:
        settings.ignore = _selectors(section["ignore"], "ignore", fail)
    if "use-suppressions" in section:
        if not isinstance(section["use-suppressions"], bool):
            fail("use-suppressions must be true or false")
        settings.use_suppressions = section["use-suppressions"]
    overrides = _table(section, "severity-overrides", fail)
    for selector, severity in overrides.items():
        _selectors([selector], "severity-overrides", fail)
        if severity not in SEVERITIES:
            fail(f"severity-overrides.{selector}: {severity!r} is not one of {', '.join(SEVERITIES)}")
        settings.severity_overrides[selector] = severity
    for pattern, selectors in _table(section, "per-file-ignores", fail).items():
        settings.per_file_ignores[pattern] = _selectors(selectors, f"per-file-ignores.{pattern!r}", fail)
    for pattern, wtype in _table(section, "workflow-types", fail).items():
        if not isinstance(wtype, str) or wtype.upper() not in WORKFLOW_TYPES:
            fail(f"workflow-types.{pattern!r}: {wtype!r} is not STANDARD or EXPRESS")
        settings.workflow_types[pattern] = wtype.upper()
    for key, options in _table(section, "rules", fail).items():
        rule_id, values = _rule_options(key, options, fail)
        settings.rule_options.setdefault(rule_id, {}).update(values)
    for key, value in _table(section, "solver", fail).items():
        expected = SOLVER_KEYS.get(key)
        if expected is None:
            fail(f"solver: unknown key {key!r} (known: {', '.join(sorted(SOLVER_KEYS))})")
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            fail(f"solver.{key} must be {'true or false' if expected is bool else 'an integer'}")
        if expected is int and value < 0:
            fail(f"solver.{key} must not be negative")
        setattr(settings.solver, key.replace("-", "_"), value)


def _table(section: dict[str, Any], key: str, fail) -> dict[str, Any]:
    value = section.get(key, {})
    if not isinstance(value, dict):
        fail(f"{key} must be a table")
    return value


def _selectors(value: Any, where: str, fail) -> list[str]:
    from analyzer.engine.registry import is_known_selector

    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail(f"{where} must be a list of rule ids, names or prefixes")
    for selector in value:
        if not is_known_selector(selector):
            fail(f"{where}: unknown rule {selector!r} (use an id like ASL301, a name, or a prefix)")
    return list(value)


def _rule_options(key: str, options: Any, fail) -> tuple[str, dict[str, Any]]:
    from analyzer.engine.registry import lookup

    rule = lookup(key)
    if rule is None:
        fail(f"rules.{key}: unknown rule id or name")
    if not isinstance(options, dict):
        fail(f"rules.{key} must be a table of options")
    known = dict(rule.options)
    for name, value in options.items():
        if name not in known:
            listed = ", ".join(sorted(known)) or "none"
            fail(f"rules.{key}: unknown option {name!r} for {rule.id} (options: {listed})")
        default = known[name]
        if not _same_kind(value, default):
            fail(f"rules.{key}.{name}: expected {type(default).__name__}, got {value!r}")
    return rule.id, dict(options)


def _same_kind(value: Any, default: Any) -> bool:
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))
