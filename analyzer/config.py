"""Configuration files: ``[tool.aslcheck]`` in pyproject.toml or ``.aslcheck.toml``."""

from __future__ import annotations

from analyzer.engine.settings import Settings


class ConfigError(Exception):
    """A configuration file that cannot be read or has invalid values."""


def load_settings(paths: list[str], config_file: str | None = None, isolated: bool = False) -> Settings:
    return Settings()
