"""Suppression directives in Comments and template Metadata (analyzer/engine/suppress.py)."""

from __future__ import annotations

import json

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings
from analyzer.load.definitions import Definition
from analyzer.load.json_parser import parse_json
from analyzer.load.source import document_locator
from tests.conftest import lint_value

LAMBDA = "arn:aws:states:::lambda:invoke"


def two_lambdas(comment_a=None, comment_b=None, machine_comment=None):
    a = {"Type": "Task", "Resource": LAMBDA, "Next": "B"}
    b = {"Type": "Task", "Resource": LAMBDA, "End": True}
    if comment_a is not None:
        a["Comment"] = comment_a
    if comment_b is not None:
        b["Comment"] = comment_b
    m = {"StartAt": "A", "States": {"A": a, "B": b}}
    if machine_comment is not None:
        m = {"Comment": machine_comment, **m}
    return m


def lint(value, select=("ASL401", "ASL801", "ASL802"), **kw):
    return lint_value(value, select=list(select), workflow_type="EXPRESS", **kw)


def by_rule(report, rule):
    return [f for f in report.findings if f.rule == rule]


def test_state_comment_suppresses_only_its_own_state():
    report = lint(two_lambdas(comment_a="calls charge; aslcheck: ignore[ASL401] -- handler dedups on orderId"))
    found = {f.state: f for f in by_rule(report, "ASL401")}
    assert set(found) == {"A", "B"}  # suppressed findings stay in the report
    assert found["A"].suppressed == "comment"
    assert found["A"].suppression_reason == "handler dedups on orderId"
    assert found["B"].suppressed is None
    assert [f.state for f in report.active] == ["B"]
    assert "suppressed" in found["A"].as_dict()


def test_rule_name_works_like_its_id():
    report = lint(two_lambdas(comment_b="aslcheck: ignore[express-non-idempotent-task] -- idempotent by key"))
    assert {f.state: f.suppressed for f in by_rule(report, "ASL401")} == {"A": None, "B": "comment"}


def test_machine_comment_covers_every_state():
    report = lint(two_lambdas(machine_comment="aslcheck: ignore[ASL401] -- only started synchronously"))
    assert [f.suppressed for f in by_rule(report, "ASL401")] == ["comment", "comment"]
    assert report.active == []


def test_choice_rule_comment_scopes_to_that_rule():
    machine = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.a", "BooleanEquals": True, "Next": "Gone",
             "Comment": "aslcheck: ignore[ASL103] -- state added by a later deploy step"},
            {"Variable": "$.b", "BooleanEquals": True, "Next": "AlsoGone"}],
            "Default": "End"},
        "End": {"Type": "Succeed"}}}
    report = lint_value(machine, select=["ASL103", "ASL801", "ASL802"])
    got = {f.pointer: f.suppressed for f in by_rule(report, "ASL103")}
    assert got == {"/States/C/Choices/0/Next": "comment", "/States/C/Choices/1/Next": None}


def test_missing_reason_is_malformed_and_suppresses_nothing():
    report = lint(two_lambdas(comment_a="aslcheck: ignore[ASL401]"))
    assert all(f.suppressed is None for f in by_rule(report, "ASL401"))
    bad = by_rule(report, "ASL802")
    assert len(bad) == 1 and bad[0].pointer == "/States/A/Comment" and "reason" in bad[0].message
    # located on the Comment key of state A, in the file as written
    text = json.dumps(two_lambdas(comment_a="aslcheck: ignore[ASL401]"), indent=2).splitlines()
    line = next(i for i, s in enumerate(text) if '"Comment"' in s) + 1
    assert bad[0].span.line == line


def test_unknown_rule_and_unknown_directive_are_malformed():
    report = lint(two_lambdas(comment_a="aslcheck: ignore[ASL999, ASL401] -- x",
                              comment_b="aslcheck: disable ASL401"))
    msgs = sorted(f.message for f in by_rule(report, "ASL802"))
    assert len(msgs) == 2
    assert any("'ASL999'" in m for m in msgs) and any("cannot read the directive" in m for m in msgs)
    # the known id in the first directive still works
    assert {f.state: f.suppressed for f in by_rule(report, "ASL401")} == {"A": "comment", "B": None}


def test_unused_directive_is_reported_at_its_comment():
    machine = two_lambdas(comment_a="aslcheck: ignore[ASL401] -- dedup", comment_b="aslcheck: ignore[ASL601] -- x")
    report = lint(machine, select=("ASL401", "ASL601", "ASL801", "ASL802"))
    unused = by_rule(report, "ASL801")
    assert [(f.pointer, f.state) for f in unused] == [("/States/B/Comment", "B")]
    assert "ignore[ASL601]" in unused[0].message


def test_directive_for_a_rule_that_did_not_run_is_not_called_unused():
    report = lint(two_lambdas(comment_a="aslcheck: ignore[ASL601] -- x"), select=("ASL401", "ASL801"))
    assert by_rule(report, "ASL801") == []


def test_meta_findings_follow_selection():
    report = lint(two_lambdas(comment_a="aslcheck: ignore[ASL401]"), select=("ASL401",))
    assert by_rule(report, "ASL802") == []


def test_no_suppress_setting_disables_directives():
    report = lint(two_lambdas(comment_a="aslcheck: ignore[ASL401] -- dedup", comment_b="aslcheck: ignore[ASL401]"),
                  use_suppressions=False)
    assert [f.suppressed for f in by_rule(report, "ASL401")] == [None, None]
    assert by_rule(report, "ASL801") == [] and by_rule(report, "ASL802") == []


def test_branch_comment_covers_only_the_branch():
    branch = {"Comment": "aslcheck: ignore[ASL401] -- branch is read-only in practice", "StartAt": "In",
              "States": {"In": {"Type": "Task", "Resource": LAMBDA, "End": True}}}
    machine = {"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [branch], "Next": "Out"},
        "Out": {"Type": "Task", "Resource": LAMBDA, "End": True}}}
    report = lint(machine)
    assert {f.state: f.suppressed for f in by_rule(report, "ASL401")} == {"In": "comment", "Out": None}


def _definition(value, ignores):
    text = json.dumps(value, indent=2)
    doc = parse_json(text, "template.yaml")
    return Definition("template.yaml", doc, doc.value, document_locator(doc), origin="template-object",
                      resource="Machine", workflow_type="EXPRESS", metadata_ignores=ignores)


def test_template_metadata_ignores():
    settings = Settings(select=["ASL401", "ASL801", "ASL802"])
    report = LintReport()
    defn = _definition(two_lambdas(), [{"id": "ASL401", "reason": "handlers are idempotent"},
                                       {"id": "ASL601", "reason": "kept for later"},
                                       {"id": "ASL103"}])
    found = Linter(settings).check_definition(defn, report)
    asl401 = [f for f in found if f.rule == "ASL401"]
    assert [f.suppressed for f in asl401] == ["metadata", "metadata"]
    assert asl401[0].suppression_reason == "handlers are idempotent"
    assert any(f.rule == "ASL802" and "without a reason" in f.message for f in found)
    # ASL601 did not run, so its ignore is not judged unused
    assert not any(f.rule == "ASL801" for f in found)


def test_comment_text_around_the_directive_is_allowed():
    from analyzer.engine.suppress import parse_comment

    directives, problems = parse_comment(
        "/States/A", "Charges the card. aslcheck: ignore[ASL401, ASL103] -- keyed on orderId")
    assert problems == []
    assert directives[0].selectors == ["ASL401", "ASL103"] and directives[0].reason == "keyed on orderId"
    assert directives[0].covers("/States/A/Resource") and not directives[0].covers("/States/AB")


def test_most_specific_directive_wins():
    report = lint(two_lambdas(comment_a="aslcheck: ignore[ASL401] -- keyed on orderId",
                              machine_comment="aslcheck: ignore[ASL401] -- only started synchronously"))
    reasons = {f.state: f.suppression_reason for f in by_rule(report, "ASL401")}
    assert reasons == {"A": "keyed on orderId", "B": "only started synchronously"}
    assert by_rule(report, "ASL801") == []
