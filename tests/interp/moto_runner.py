"""Runs a definition on moto's Step Functions interpreter (the LocalStack one it vendors).

Used by the differential tests and the speed benchmark. moto executes a state machine
when started under ``mock_aws(config={"stepfunctions": {"execute_state_machine": True}})``;
the execution runs in a worker thread, so we poll ``DescribeExecution`` until it ends
and read the top-level path back from ``GetExecutionHistory``.

Task states run against moto's own mocked AWS services (DynamoDB, S3, ...). What each
Task call returned or threw is read back from the history, so our interpreter can be fed
the very same responses as mocks: the comparison is then about the workflow semantics
(paths, ResultPath, Retry/Catch), not about the services.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/sfn"


@dataclass
class MotoResult:
    status: str
    output: Any = None
    error: str | None = None
    cause: str | None = None
    path: list[str] = field(default_factory=list)
    task_responses: dict[str, list[dict]] = field(default_factory=dict)


def _fake_credentials() -> None:
    for key, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                       ("AWS_DEFAULT_REGION", REGION)):
        os.environ.setdefault(key, value)


class MotoSession:
    """An open ``mock_aws`` context with the executing Step Functions backend."""

    def __init__(self) -> None:
        _fake_credentials()
        from moto import mock_aws

        self._mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True}})
        self._mock.start()
        import boto3

        self.sfn = boto3.client("stepfunctions", region_name=REGION)
        self.boto3 = boto3

    def close(self) -> None:
        self._mock.stop()

    def create(self, definition: dict) -> str:
        name = "m" + uuid.uuid4().hex[:12]
        return self.sfn.create_state_machine(name=name, definition=json.dumps(definition),
                                             roleArn=ROLE)["stateMachineArn"]

    def start(self, arn: str, data: Any) -> str:
        return self.sfn.start_execution(stateMachineArn=arn, input=json.dumps(data))["executionArn"]

    def wait(self, execution: str, timeout: float = 30.0, poll: float = 0.002) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            desc = self.sfn.describe_execution(executionArn=execution)
            if desc["status"] != "RUNNING":
                return desc
            if time.monotonic() > deadline:
                raise TimeoutError("the moto execution did not finish")
            time.sleep(poll)

    def execute(self, definition: dict, data: Any, top_level: set[str] | None = None) -> MotoResult:
        execution = self.start(self.create(definition), data)
        desc = self.wait(execution)
        events = self._history(execution)
        top = top_level if top_level is not None else set(definition.get("States", {}))
        path = [e["stateEnteredEventDetails"]["name"] for e in events
                if e["type"].endswith("StateEntered") and e["stateEnteredEventDetails"]["name"] in top]
        output = json.loads(desc["output"]) if desc.get("output") is not None else None
        error, cause = desc.get("error"), desc.get("cause")
        if desc["status"] != "SUCCEEDED" and error is None:
            for e in reversed(events):
                details = e.get("executionFailedEventDetails")
                if details:
                    error, cause = details.get("error"), details.get("cause")
                    break
        self._forget_executions()
        return MotoResult(desc["status"], output, error, cause, path, _task_responses(events))

    def _forget_executions(self) -> None:
        """Drop finished executions: moto deep-copies a state machine, with its executions and their
        thread locks, on every StartExecution, which fails once one execution is recorded."""
        from moto.stepfunctions.parser.models import stepfunctions_parser_backends

        backend = stepfunctions_parser_backends["123456789012"][REGION]
        for machine in list(getattr(backend, "state_machines", [])):
            executions = getattr(machine, "executions", None)
            if isinstance(executions, list):
                executions.clear()

    def _history(self, execution: str) -> list[dict]:
        events: list[dict] = []
        kwargs: dict[str, Any] = {"executionArn": execution, "maxResults": 1000}
        while True:
            page = self.sfn.get_execution_history(**kwargs)
            events.extend(page["events"])
            if not page.get("nextToken"):
                return events
            kwargs["nextToken"] = page["nextToken"]


def _task_responses(events: list[dict]) -> dict[str, list[dict]]:
    """Each Task state's responses, in call order, in our mock format (sequential executions only)."""
    out: dict[str, list[dict]] = {}
    current = None
    for e in events:
        if e["type"] == "TaskStateEntered":
            current = e["stateEnteredEventDetails"]["name"]
        elif e["type"] == "TaskSucceeded" and current:
            out.setdefault(current, []).append({"Return": json.loads(e["taskSucceededEventDetails"]["output"])})
        elif e["type"] == "TaskFailed" and current:
            d = e["taskFailedEventDetails"]
            out.setdefault(current, []).append({"Throw": {"Error": d.get("error", ""), "Cause": d.get("cause", "")}})
    return out
