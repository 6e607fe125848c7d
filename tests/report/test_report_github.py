"""GitHub Actions annotations: one command per finding, escaped the way the runner decodes them."""

from __future__ import annotations

import re

from report_helpers import lint_fixtures

from analyzer.engine.rule import Severity
from analyzer.engine.runner import LintReport, ReportedFinding
from analyzer.load.source import Span
from analyzer.report.github import render_github


def _decode_property(value: str) -> str:  # the runner's decoding, applied in reverse order of encoding
    return value.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r") \
        .replace("%25", "%")


def _decode_data(value: str) -> str:
    return value.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    m = re.match(r"^::(\w+) (.*?)::(.*)$", line)
    assert m, line
    props = {}
    for pair in m.group(2).split(","):  # safe only because commas inside values are escaped
        key, _, value = pair.partition("=")
        props[key] = _decode_property(value)
    return m.group(1), props, _decode_data(m.group(3))


def test_special_characters_survive_the_round_trip():
    message = "100% wrong:\r\nsecond line, with comma"
    f = ReportedFinding(rule="ASL301", name="missing-catch", severity=Severity.WARNING, message=message,
                        file="dir, with: odd%chars/a.asl.json", span=Span(2, 3, 2, 9), pointer="/States/A",
                        state="A", fingerprint="x:0")
    report = LintReport(findings=[f])
    line = render_github(report).splitlines()[0]
    assert "\n" not in line and "\r" not in line
    level, props, text = _parse(line)
    assert level == "warning"
    assert props == {"file": f.file, "line": "2", "col": "3", "endLine": "2", "endColumn": "9",
                     "title": "ASL301 missing-catch"}
    assert text.startswith(message)


def test_levels_and_one_line_per_active_finding(in_fixtures):
    report, _ = lint_fixtures()
    report.findings[0].severity = Severity.NOTE
    report.findings[1].suppressed = "config"
    lines = render_github(report).splitlines()
    commands = [_parse(line) for line in lines if line.startswith("::") and "title=ASL" in line]
    assert len(commands) == len(report.findings) - 1
    assert commands[0][0] == "notice"
    assert {c[0] for c in commands[1:]} == {"error"}
    assert any(line.startswith("::notice file=stack.template.yaml,") and "ExternalMachine" in line for line in lines)
