"""Snapshot of every output format on the fixed fixture set (``ASL_UPDATE_SNAPSHOTS=1`` to regenerate).

Review a snapshot diff like code: it is exactly what a user sees. ``seconds`` is set to 0
before rendering, and the rule selection is fixed, so only reporter changes move them.
"""

from __future__ import annotations

import pytest
from report_helpers import check_snapshot, lint_fixtures

from analyzer.report.github import render_github
from analyzer.report.json_report import render_json
from analyzer.report.sarif import render_sarif
from analyzer.report.text import render_text


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_lint_report_snapshot(in_fixtures, fmt):
    report, settings = lint_fixtures()
    rendered = {
        "text": lambda: render_text(report, color=False),
        "json": lambda: render_json(report),
        "sarif": lambda: render_sarif(report, settings=settings),
        "github": lambda: render_github(report),
    }[fmt]()
    check_snapshot(f"lint.{'txt' if fmt == 'text' else fmt}", rendered)


@pytest.mark.parametrize("fixture", ["order.asl.json", "order.asl.yaml", "stack.template.yaml"])
@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_graph_snapshot(in_fixtures, fixture, fmt):
    from report_helpers import SNAPSHOT_RULES

    from analyzer.commands.graph import drawings_for
    from analyzer.engine.settings import Settings
    from analyzer.report.graph_render import render_dot, render_mermaid

    drawings, _ = drawings_for(fixture, (in_fixtures / fixture).read_text("utf-8"),
                               settings=Settings(select=SNAPSHOT_RULES))
    rendered = render_mermaid(drawings) if fmt == "mermaid" else render_dot(drawings)
    check_snapshot(f"graph.{fixture.replace('.', '_')}.{'mmd' if fmt == 'mermaid' else 'dot'}", rendered)
