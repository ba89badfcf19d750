"""docs/events/asyncapi.yaml: a sound AsyncAPI 3.0 document whose schemas are valid JSON Schemas,
describing exactly the events src/wire/ declares, precisely enough that a renamed, missing or
mistyped member, a wrong enum value or a malformed date-time is caught; and the session check of
the tapped events (events_schema.check_tap) fails on a bad event and on no event at all."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

from events_schema import DOCUMENT, ROOT, EventContract, check_tap, resolve

T0 = "2030-03-17T17:46:40.000Z"
TASK = {"id": 42, "title": "Stretch", "description": "", "status": "pending", "priority": "none",
        "tags": ["home"], "due_at": T0, "time_zone": "Europe/Berlin",
        "reminders": [{"before_minutes": 15}, {"at": "2030-03-17T17:00:00.000Z"}],
        "recurrence": {"rrule": "FREQ=DAILY", "mode": "schedule"}, "created_at": T0,
        "updated_at": T0, "completed_at": None, "version": 2, "series_id": 42,
        "series_start": T0, "occurrence_index": 0}
OPS = ["created", "updated", "completed", "reopened", "deleted"]


def envelope(type_, data, subject="42", source="tickler/api"):
    return {"specversion": "1.0", "id": "17", "source": source, "type": type_, "subject": subject,
            "time": T0, "datacontenttype": "application/json", "partitionkey": "7", "data": data}


def samples():
    """One valid event per (topic, type), as src/wire/ writes them."""
    out = {}
    for op in OPS:
        type_ = f"tickler.task.{op}.v1"
        out[("task-events", type_)] = envelope(type_, {
            "event_type": op, "task_id": 42, "task_data": TASK, "user_id": 7, "actor": "user:7",
            "timestamp": T0, "changes": {"title": {"before": "Strech", "after": "Stretch"}},
            "request_id": "req-1"})
        out[("task-updates", type_)] = envelope(type_, {"op": op, "task": TASK, "user_id": 7, "version": 2})
    deleted = envelope("tickler.user.deleted.v1", {"user_id": 7}, subject="user/7")
    out[("task-events", "tickler.user.deleted.v1")] = deleted
    out[("reminders", "tickler.user.deleted.v1")] = deleted
    out[("task-updates", "tickler.user.revoked.v1")] = envelope(
        "tickler.user.revoked.v1", {"user_id": 7, "token_generation": 3}, subject="user/7")
    out[("reminders", "tickler.reminder.scheduled.v1")] = envelope("tickler.reminder.scheduled.v1", {
        "reminder_id": "t42-1900000000000", "task_id": 42, "title": "Stretch", "due_at": None,
        "remind_at": T0, "user_id": 7})
    out[("reminders", "tickler.reminder.cancelled.v1")] = envelope("tickler.reminder.cancelled.v1", {
        "reminder_id": "t42-1900000000000", "task_id": 42, "user_id": 7, "remind_at": T0})
    out[("notifications", "tickler.reminder.fired.v1")] = envelope("tickler.reminder.fired.v1", {
        "notification_id": 5, "reminder_id": "t42-1900000000000", "user_id": 7, "task_id": 42,
        "title": "Stretch", "remind_at": T0, "fired_at": "2030-03-17T17:46:40.250Z"},
        subject="t42-1900000000000", source="tickler/notifier")
    return out


SAMPLES = samples()


@pytest.fixture(scope="module")
def contract() -> EventContract:
    return EventContract()


def unit_test_binary() -> Path:
    if os.environ.get("TICKLER_UNIT_TESTS"):
        return Path(os.environ["TICKLER_UNIT_TESTS"])
    tickler = Path(os.environ.get("TICKLER_BIN", ROOT / "build" / "tickler"))
    return (tickler if tickler.is_absolute() else ROOT / tickler).resolve().parent / "tickler_unit_tests"


def test_the_document_is_a_sound_asyncapi_3_document(contract):
    doc = contract.document
    assert doc["asyncapi"] == "3.0.0"
    channels = doc["channels"]
    for key, channel in channels.items():
        for message in channel["messages"].values():
            assert "payload" in resolve(doc, message) and "name" in resolve(doc, message), (key, message)
    for key, operation in doc["operations"].items():
        assert operation["action"] in ("send", "receive"), key
        channel = operation["channel"]["$ref"]
        assert channel.startswith("#/channels/") and resolve(doc, operation["channel"]) is not None, key
        for message in operation.get("messages", []):
            assert message["$ref"].startswith(channel + "/messages/"), (key, message)
            resolve(doc, message)
    # Every topic has a dead-letter topic carrying the same messages, and every channel has a
    # producer (send) and, unless it is a dead-letter topic, a consumer (receive).
    by_address = {c["address"]: c for c in channels.values()}
    for address in contract.topics():
        assert by_address[address + ".dlq"]["messages"] == by_address[address]["messages"], address
    for key, channel in channels.items():
        actions = {o["action"] for o in doc["operations"].values() if o["channel"]["$ref"] == f"#/channels/{key}"}
        assert "send" in actions, key
        assert channel["address"].endswith(".dlq") or "receive" in actions, key


def test_every_schema_is_a_valid_json_schema(contract):
    doc = contract.document
    schemas = list(doc["components"]["schemas"].items())
    schemas += [(name, m["payload"]) for name, m in doc["components"]["messages"].items()]
    assert len(schemas) > 20
    for name, schema in schemas:
        try:
            jsonschema.Draft7Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            pytest.fail(f"{name}: {e.message}")


def test_the_document_describes_exactly_the_events_src_wire_declares(contract):
    binary = unit_test_binary()
    if not binary.is_file():
        pytest.fail(f"{binary} not found: build the unit tests (or set TICKLER_UNIT_TESTS)", pytrace=False)
    proc = subprocess.run([str(binary), "--gtest_filter=WireMessages.DeclaredEventsArePrintedForTheDocumentCheck"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    declared = {tuple(line.split()[1:]) for line in proc.stdout.splitlines() if line.startswith("declared-event ")}
    assert len(declared) == 16, proc.stdout
    described = contract.declared()
    assert declared - described == set(), "declared in src/wire/ but not described in the document"
    assert described - declared == set(), "described in the document but not declared in src/wire/"


def test_samples_cover_every_message_and_are_valid(contract):
    assert set(SAMPLES) == {k for k in contract.messages if not k[0].endswith(".dlq")}
    for (topic, type_), event in SAMPLES.items():
        assert contract.problems(topic, event) == [], (topic, type_)
        assert contract.problems(topic + ".dlq", event) == [], (topic, type_)
    # CloudEvents extensions (Dapr adds some on the way) and a task without a series are fine.
    event = copy.deepcopy(SAMPLES[("task-updates", "tickler.task.created.v1")])
    event["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    for key in ("series_id", "series_start", "occurrence_index"):
        del event["data"]["task"][key]
    event["data"]["task"]["recurrence"] = None
    assert contract.problems("task-updates", event) == []


def mutations():
    """(name, topic, type, change) — each change breaks the event."""
    def rename(path, new):
        def change(e):
            *parents, last = path
            node = e
            for p in parents:
                node = node[p]
            node[new] = node.pop(last)
        return change

    def put(path, value):
        def change(e):
            *parents, last = path
            node = e
            for p in parents:
                node = node[p]
            node[last] = value
        return change

    def drop(path):
        def change(e):
            *parents, last = path
            node = e
            for p in parents:
                node = node[p]
            del node[last]
        return change

    te, tu = ("task-events", "tickler.task.completed.v1"), ("task-updates", "tickler.task.updated.v1")
    rs, rf = ("reminders", "tickler.reminder.scheduled.v1"), ("notifications", "tickler.reminder.fired.v1")
    rv = ("task-updates", "tickler.user.revoked.v1")
    yield "renamed data member", *te, rename(["data", "task_id"], "taskId")
    yield "missing data member", *rs, drop(["data", "due_at"])
    yield "member of the wrong type", *rf, put(["data", "notification_id"], "5")
    yield "user id as text", *rv, put(["data", "user_id"], "7")
    yield "unknown data member", *rv, put(["data", "generation"], 3)
    yield "op that contradicts the type", *tu, put(["data", "op"], "created")
    yield "event_type not an op", *te, put(["data", "event_type"], "finished")
    yield "malformed date-time", *rs, put(["data", "remind_at"], "2030-02-30T10:00:00Z")
    yield "date-time without a zone", *rf, put(["data", "fired_at"], "2030-03-17T17:46:40")
    yield "renamed task member", *tu, rename(["data", "task", "due_at"], "due")
    yield "task status outside its enum", *te, put(["data", "task_data", "status"], "done")
    yield "task priority outside its enum", *tu, put(["data", "task", "priority"], "urgent")
    yield "a series without its start", *te, drop(["data", "task_data", "series_start"])
    yield "changes of a field a task does not have", *te, put(["data", "changes", "colour"], {"before": 1, "after": 2})
    yield "changes without after", *te, put(["data", "changes", "title"], {"before": "x"})
    yield "reminder id not a reminder's", *rs, put(["data", "reminder_id"], "")
    yield "type of another topic", "task-updates", "tickler.reminder.fired.v1", lambda e: None
    yield "wrong source", *rf, put(["source"], "tickler/api")
    yield "subject not the task", *te, put(["subject"], "user/7")
    yield "no specversion", *rs, drop(["specversion"])
    yield "id not an outbox row id", *te, put(["id"], "abc")
    yield "time not RFC 3339", *rv, put(["time"], "yesterday")
    yield "partition key not the user", *rs, put(["partitionkey"], "8")
    yield "data not an object", *rv, put(["data"], json.dumps({"user_id": 7, "token_generation": 3}))


@pytest.mark.parametrize("name,topic,type_,change", list(mutations()), ids=[m[0] for m in mutations()])
def test_a_broken_event_is_caught(contract, name, topic, type_, change):
    base = SAMPLES.get((topic, type_)) or SAMPLES[("notifications", "tickler.reminder.fired.v1")]
    event = copy.deepcopy(base)
    change(event)
    assert contract.problems(topic, event), f"{name} was not caught: {json.dumps(event)}"


def tap_line(topic, event):
    return json.dumps({"topic": topic, "cloudevent": event}) + "\n"


def test_the_tap_check_passes_good_events_and_skips_test_poison(contract, tmp_path):
    poison = envelope("tickler.task.created.v1", {"not": "a task event"}, subject="poison", source="tests/e2e")
    (tmp_path / "events.1").write_text("".join(tap_line(t, e) for (t, _), e in SAMPLES.items()))
    (tmp_path / "events.2").write_text(tap_line("task-events", poison))
    report = check_tap(list(tmp_path.glob("events.*")), contract)
    assert report.failures == []
    assert (report.checked, report.skipped) == (len(SAMPLES), 1)


def test_the_tap_check_names_a_bad_event(contract, tmp_path):
    bad = copy.deepcopy(SAMPLES[("reminders", "tickler.reminder.cancelled.v1")])
    bad["data"]["remindAt"] = bad["data"].pop("remind_at")
    (tmp_path / "events.9").write_text(tap_line("reminders", SAMPLES[("reminders", "tickler.user.deleted.v1")])
                                       + tap_line("reminders", bad) + "not json\n")
    report = check_tap([tmp_path / "events.9"], contract)
    assert len(report.failures) == 3, report.failures
    assert "events.9:2: reminders tickler.reminder.cancelled.v1 (id 17)" in report.failures[0]
    assert any("remind_at" in f for f in report.failures) and any("remindAt" in f for f in report.failures)
    assert report.failures[2].startswith("events.9:3: not a tap record")


def test_the_tap_check_fails_when_nothing_was_tapped(contract, tmp_path):
    assert check_tap([], contract).failures[0].startswith("no event was tapped")
    (tmp_path / "events.3").write_text("")
    assert check_tap([tmp_path / "events.3"], contract).failures[0].startswith("no event was tapped")


def test_the_document_is_where_the_docs_say(contract):
    assert DOCUMENT == ROOT / "docs" / "events" / "asyncapi.yaml" and contract.path == DOCUMENT
