"""Small helpers of the integration tests: per-service clients and waiting for the audit trail."""

from __future__ import annotations

from e2e_support import wait_until
from helpers import Api, describe

EVENT_WAIT = 20.0  # seconds an event gets to cross api → Kafka → a consumer (generous: 2 cores)


def service_api(stack, name: str, token: str) -> Api:
    return Api(stack.services[name].url, token)


def audit_types(stack, token: str, task_id: int) -> list[str]:
    resp = service_api(stack, "auditor", token).get(f"/api/tasks/{task_id}/history")
    if resp.status_code == 404:
        return []
    assert resp.status_code == 200, describe(resp)
    return [e["type"] for e in resp.json()["items"]]


def wait_audit(stack, token: str, task_id: int, types: list[str], timeout: float = EVENT_WAIT) -> None:
    got = wait_until(lambda: (t := audit_types(stack, token, task_id)) and len(t) >= len(types) and t,
                     timeout, interval=0.1, what=f"audit entries {types} of task {task_id}")
    assert got == types, got
