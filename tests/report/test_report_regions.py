"""Every reporter puts a finding on the exact key or state name that causes it.

Expected positions are computed here from the fixture text (by searching for the
offending token in its context), not from the loader, so a shifted span in any layer
(loader, locator, runner, reporter) fails these tests.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from report_helpers import FIXTURES, lint_fixtures

from analyzer.report.github import render_github
from analyzer.report.json_report import report_dict
from analyzer.report.sarif import sarif_dict
from analyzer.report.text import render_text

# file -> [(rule, context that occurs once in the file, the token the region must cover)]
EXPECTED = {
    "order.asl.json": [
        ("ASL103", 'function:charge", "Next": "Approve"', '"Next"'),  # after astral characters on the line
        ("ASL102", '"Done": {"Type": "Succeed", "Comment"', '"Done"'),  # the second, replacing, state
    ],
    "order.asl.yaml": [
        ("ASL103", "StartAt: Validat\n", "StartAt"),
        ("ASL103", "Next: Rejectt", "Next"),
        ("ASL103", "Next: Ship", "Next"),
    ],
    "stack.template.yaml": [
        ("ASL103", "Next: Missing", "Next"),
    ],
    "broken.asl.json": [
        ("ASL100", "true},\n  }", ","),  # the trailing comma itself
    ],
}


def _expected(file: str) -> set[tuple]:
    text = (FIXTURES / file).read_text(encoding="utf-8")
    out = set()
    for rule, context, token in EXPECTED[file]:
        assert text.count(context) == 1, f"{context!r} must occur once in {file}"
        offset = text.index(context) + context.rindex(token)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1  # code points, 1-based
        width = 1 if rule == "ASL100" else len(token)
        out.add((rule, file, line, column, line, column + width))
    return out


ALL_EXPECTED = set().union(*(_expected(f) for f in EXPECTED))


@pytest.fixture(scope="module")
def report():
    import os

    old = os.getcwd()
    os.chdir(FIXTURES)
    try:
        rep, settings = lint_fixtures()
    finally:
        os.chdir(old)
    return rep, settings


def test_astral_characters_make_code_points_differ_from_utf16():
    # guards the fixture: the ASL103 line really has characters outside the BMP before the key
    line = next(line for line in (FIXTURES / "order.asl.json").read_text("utf-8").splitlines() if "charge" in line)
    assert any(ord(c) > 0xFFFF for c in line[: line.index('"Next"')])


def test_sarif_regions(report):
    rep, settings = report
    run = sarif_dict(rep, settings)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    got = set()
    for res in run["results"]:
        loc = res["locations"][0]["physicalLocation"]
        r = loc["region"]
        got.add((res["ruleId"], loc["artifactLocation"]["uri"], r["startLine"], r["startColumn"], r["endLine"],
                 r["endColumn"]))
    assert got == ALL_EXPECTED


def test_json_regions(report):
    rep, _ = report
    data = json.loads(json.dumps(report_dict(rep)))
    got = {(f["rule"], f["file"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in data["findings"]}
    assert got == ALL_EXPECTED


def test_text_positions_and_carets(report):
    rep, _ = report
    text = render_text(rep, color=False)
    lines = text.splitlines()
    got = set()
    for i, line in enumerate(lines):
        m = re.match(r"^(\S+):(\d+):(\d+): (ASL\d{3}) ", line)
        if not m:
            continue
        file, ln, col, rule = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
        source = (FIXTURES / file).read_text("utf-8").split("\n")[ln - 1]
        # the excerpt repeats the source line, and the marker starts under the reported column
        gutter, shown = lines[i + 1].split(" | ", 1) if " | " in lines[i + 1] else lines[i + 1].split(" |", 1)
        assert shown == source.rstrip()
        marker = lines[i + 2].split(" | ", 1)[1]
        assert marker.lstrip(" ").startswith("^")
        # terminal cells: wide (emoji, CJK) characters take two
        cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in source[: col - 1])
        assert len(marker) - len(marker.lstrip(" ")) == cells
        got.add((rule, file, ln, col))
    assert got == {e[:4] for e in ALL_EXPECTED}


def test_github_annotation_positions(report):
    rep, _ = report
    got = set()
    for line in render_github(rep).splitlines():
        m = re.match(r"^::error file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=(ASL\d{3}) ",
                     line)
        if m:
            got.add((m.group(6), m.group(1), *map(int, m.group(2, 3, 4, 5))))
    assert got == ALL_EXPECTED
