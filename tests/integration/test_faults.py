"""Faults across processes: a consumer killed with SIGKILL mid-stream gets its events again and
applies each once; Kafka restarting during writes loses nothing (the outbox drains); the api's
sidecar being down does not stop writes, which are delivered once it is back; a poison event ends
on its dead-letter topic. Each test puts back what it broke, also when it fails."""

from __future__ import annotations

import json
import threading
import uuid

from e2e_support import wait_until
from flows import EVENT_WAIT, audit_types, wait_audit
from helpers import Api, create_task, describe, unique_word

CREATED = "tickler.task.created.v1"


def test_a_consumer_killed_mid_stream_applies_every_event_once(stack, user):
    # 140 events wait while the auditor is down: its sidecar then hands them over in bulks of up
    # to 100 (well over the 64 KiB body limit of the REST routes).
    auditor = stack.services["auditor"]
    tasks = []
    try:
        for i in range(150):
            tasks.append(create_task(user.api, title=f"Kill {i} " + unique_word()))
            if i == 10:
                stack.kill(auditor.app)
    finally:
        stack.start_app(auditor)
        stack.wait_ready(auditor)
    for t in tasks:
        wait_audit(stack, user.token, t["id"], [CREATED], timeout=60)


def test_kafka_restarting_during_writes_loses_nothing(stack, user):
    word = unique_word()
    created: list[dict] = []
    errors: list[str] = []

    def write():
        for i in range(40):
            r = user.api.post("/api/tasks", json={"title": f"During restart {i} {word}"})
            if r.status_code == 201:
                created.append(r.json())
            else:
                errors.append(describe(r))

    writer = threading.Thread(target=write)
    writer.start()
    try:
        stack.restart_kafka()
    finally:
        writer.join(120)
    assert not errors, errors
    assert len(created) == 40
    for t in created:
        wait_audit(stack, user.token, t["id"], [CREATED], timeout=90)


def test_writes_go_on_while_the_api_sidecar_is_down_and_are_delivered_after(stack, user):
    api = stack.services["api"]
    stack.kill(api.sidecar, sig=15)
    tasks = []
    try:
        for i in range(5):
            tasks.append(create_task(user.api, title=f"Sidecar down {i} " + unique_word()))
        assert all(audit_types(stack, user.token, t["id"]) == [] for t in tasks)
    finally:
        stack.start_sidecar(api)
        stack.wait_ready(api)
    for t in tasks:
        wait_audit(stack, user.token, t["id"], [CREATED], timeout=60)


def test_a_poison_event_goes_to_its_dead_letter_topic(stack):
    api = stack.services["api"]
    marker = f"poison-{uuid.uuid4().hex}"
    sidecar = Api(f"http://127.0.0.1:{api.dapr_http}")
    resp = sidecar.post("/v1.0/publish/tickler-pubsub/reminders",
                        data=json.dumps({"marker": marker, "task_id": "not a number"}),
                        headers={"Content-Type": "application/json", "dapr-api-token": stack.dapr_token})
    assert resp.status_code == 204, describe(resp)
    wait_until(lambda: any(marker in line for line in stack.read_topic("reminders.dlq")),
               EVENT_WAIT * 2, interval=0.5, what=f"{marker} on reminders.dlq")
