"""Terminal output: one heading line per finding, an excerpt with a marker, colour only when wanted."""

from __future__ import annotations

import io
import re

from report_helpers import lint_fixtures

from analyzer.report.excerpt import SourceCache, excerpt
from analyzer.report.text import render_text, use_color

HEADING = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>ASL\d{3}) (?P<sev>error|warning|note)"
                     r"(?: \[(?P<state>[^\]]+)\])? (?P<message>.+)$")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_headings_grouped_by_file_with_blank_line_between(in_fixtures):
    report, _ = lint_fixtures()
    lines = render_text(report, color=False).splitlines()
    headings = [(i, HEADING.match(line)) for i, line in enumerate(lines) if HEADING.match(line)]
    assert len(headings) == len(report.findings)
    files = [m["file"] for _, m in headings]
    assert files == sorted(files)  # each file's findings together
    for (i, a), (j, b) in zip(headings, headings[1:]):
        between = lines[i + 3:j]  # heading, source line, marker
        assert between == ([""] if a["file"] != b["file"] else [])
    for (_, m), f in zip(headings, report.findings):
        assert (m["rule"], m["sev"], int(m["line"]), int(m["col"])) == (f.rule, f.severity.value, f.span.line,
                                                                         f.span.column)
        assert m["message"] == f.message
        if f.state:
            assert m["state"].endswith(f.state)


def test_summary_line(in_fixtures):
    report, _ = lint_fixtures()
    report.seconds = 1.234
    last = render_text(report, color=False).splitlines()[-1]
    assert last == "7 errors, 0 warnings, 0 notes in 5 files (5 state machines) in 1.23s; 1 not checked"
    assert "not checked: stack.template.yaml#ExternalMachine" in render_text(report, color=False)


def test_suppressed_hidden_unless_asked(in_fixtures):
    report, _ = lint_fixtures()
    report.findings[1].suppressed = "comment"
    assert report.findings[1].message not in render_text(report, color=False)
    shown = render_text(report, color=False, show_suppressed=True)
    assert report.findings[1].message + " (suppressed by comment)" in shown
    assert "1 suppressed" in shown.splitlines()[-1]


def test_colour_only_on_a_terminal_and_never_with_no_color(in_fixtures, monkeypatch):
    report, _ = lint_fixtures()
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(None, _Tty()) is True
    assert use_color(None, io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(None, _Tty()) is False
    assert use_color(True, io.StringIO()) is True  # --color wins
    assert "\x1b[" in render_text(report, color=True)
    assert "\x1b[" not in render_text(report, color=False)
    # the coloured text is the plain text plus escape codes, nothing else
    plain = re.sub(r"\x1b\[[0-9;]*m", "", render_text(report, color=True))
    assert plain == render_text(report, color=False)


def test_excerpt_measures_tabs_and_wide_characters():
    lines = ['\t"名前": {"Next": "X"}']
    col = lines[0].index('"Next"') + 1
    (gutter, shown), (_, marker) = excerpt(lines, 1, col, 1, col + 6)
    assert gutter == "1" and shown == '    "名前": {"Next": "X"}'
    # tab = 4 cells, two CJK characters = 4 cells: the marker starts under the quote of "Next"
    assert marker == " " * (shown.index('"Next"') + 2) + "^~~~~~"


def test_excerpt_of_missing_text_or_line_is_empty():
    assert excerpt(None, 1, 1, 1, 2) == []
    assert excerpt(["a"], 5, 1, 5, 2) == []
    assert SourceCache({}).lines("<stdin>") is None
    assert SourceCache({}).lines("no/such/file.asl.json") is None


def test_long_lines_are_cut_around_the_span():
    line = '{"a": "' + "x" * 500 + '", "Next": "Gone"}'
    col = line.index('"Next"') + 1
    (_, shown), (_, marker) = excerpt([line], 1, col, 1, col + 6)
    assert len(shown) <= 170 and shown.startswith("…")
    assert shown[marker.index("^"):].startswith('"Next"')


def test_excerpt_from_disk_when_report_has_no_text(tmp_path):
    (tmp_path / "a.asl.json").write_text('{\n  "StartAt": "B"\n}\n')
    cache = SourceCache({}, root=str(tmp_path))
    assert cache.lines("a.asl.json")[1] == '  "StartAt": "B"'


def test_excerpt_of_crlf_file_has_no_carriage_return():
    cache = SourceCache({"w.asl.json": '{\r\n  "StartAt": "B"\r\n}\r\n'})
    (_, shown), (_, marker) = excerpt(cache.lines("w.asl.json"), 2, 3, 2, 12)
    assert shown == '  "StartAt": "B"' and marker == "  ^~~~~~~~~"
