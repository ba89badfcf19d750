"""The built-in chat assistant over real HTTP: every grammar form, numbered choices across turns,
confirmation of deletes, undo, the audit actor, conversations (persisted, private, bounded input),
and the two answer formats (Server-Sent Events, or one JSON answer)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from helpers import assert_error, create_task, describe, signup, written_history

JSON = {"Accept": "application/json"}
UTC = dt.timezone.utc


def chat(api, message, conversation=None, time_zone="UTC", expect=200):
    body = {"message": message, "time_zone": time_zone}
    if conversation:
        body["conversation_id"] = conversation
    resp = api.post("/api/chat", json=body, headers=JSON)
    assert resp.status_code == expect, describe(resp)
    assert resp.headers["Content-Type"].startswith("application/json"), describe(resp)
    return resp.json()


class Talk:
    """One conversation: each say() continues it."""

    def __init__(self, api, time_zone="UTC"):
        self.api = api
        self.time_zone = time_zone
        self.id = None

    def say(self, message):
        answer = chat(self.api, message, self.id, self.time_zone)
        self.id = answer["conversation_id"]
        return answer

    def text(self, message):
        return self.say(message)["message"]["text"]


def rfc3339(t: dt.datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def task(api, task_id):
    resp = api.get(f"/api/tasks/{task_id}")
    assert resp.status_code == 200, describe(resp)
    return resp.json()


def cards(answer, change=None):
    return [a for a in answer["message"]["actions"]
            if a["type"] == "task" and (change is None or a["change"] == change)]


def test_add_reads_the_quick_add_grammar_in_the_users_zone(api):
    talk = Talk(api, "Europe/Paris")
    answer = talk.say("add pay rent every month on the 1st at 9am #home !high")
    assert answer["message"]["text"].startswith("Added “pay rent”"), answer
    assert "repeats" in answer["message"]["text"]
    [card] = cards(answer, "added")
    created = task(api, card["id"])
    assert created["title"] == "pay rent"
    assert created["priority"] == "high" and created["tags"] == ["home"]
    assert created["recurrence"]["rrule"] == "FREQ=MONTHLY;BYMONTHDAY=1"
    due = dt.datetime.fromisoformat(created["due_at"].replace("Z", "+00:00")).astimezone(ZoneInfo("Europe/Paris"))
    assert (due.day, due.hour, due.minute) == (1, 9, 0)
    assert card["due_at"] == created["due_at"] and card["title"] == "pay rent"
    for line in ("remind me to call mom tomorrow at 5pm", "create task water plants"):
        assert talk.say(line)["message"]["text"].startswith("Added"), line


def test_asking_what_is_due(api):
    now = dt.datetime.now(UTC)
    today = create_task(api, title="due soon", due_at=rfc3339(now + dt.timedelta(minutes=2)))
    tomorrow_day = (now + dt.timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
    tomorrow = create_task(api, title="due tomorrow", due_at=rfc3339(tomorrow_day))
    overdue = create_task(api, title="was due", due_at=rfc3339(now - dt.timedelta(days=1)))
    later = create_task(api, title="due later", due_at=rfc3339(now + dt.timedelta(days=30)))
    done = create_task(api, title="done already", due_at=rfc3339(now + dt.timedelta(minutes=3)))
    api.post(f"/api/tasks/{done['id']}/complete")

    def listed(message):
        answer = chat(api, message)
        return [c["id"] for c in cards(answer, "listed")], answer["message"]["text"]

    assert listed("what's due today?")[0] == [today["id"]]
    assert listed("What is due tomorrow")[0] == [tomorrow["id"]]
    assert listed("what's overdue")[0] == [overdue["id"]]
    week = [today["id"]] + ([tomorrow["id"]] if now.weekday() != 6 else [])
    assert listed("what's due this week")[0] == week
    ids, text = listed("show my tasks")
    assert ids == [overdue["id"], today["id"], tomorrow["id"], later["id"]]
    assert text.splitlines()[1].startswith("1. “was due” (due ")
    assert done["id"] in listed("show completed")[0]
    # Listing changes nothing.
    assert task(api, today["id"])["version"] == today["version"]


def test_tags_search_and_priority(api):
    home = create_task(api, title="fix the sink", tags=["home"], priority="low")
    urgent = create_task(api, title="book dentist", priority="high")
    create_task(api, title="write report", tags=["work"])
    assert [c["id"] for c in cards(chat(api, "show #home"), "listed")] == [home["id"]]
    assert [c["id"] for c in cards(chat(api, "find dentist"), "listed")] == [urgent["id"]]
    assert [c["id"] for c in cards(chat(api, "high priority"), "listed")] == [urgent["id"]]
    assert [c["id"] for c in cards(chat(api, "low priority #home"), "listed")] == [home["id"]]
    nothing = chat(api, "show #garden")
    assert cards(nothing) == [] and nothing["message"]["text"] == "No tasks tagged #garden."


def test_complete_and_reopen_by_title_and_it(api):
    dentist = create_task(api, title="Dentist")
    talk = Talk(api)
    assert talk.text("complete dentist").startswith("Done: “Dentist”")
    assert task(api, dentist["id"])["status"] == "completed"
    assert talk.text("reopen dentist").startswith("Reopened “Dentist”")
    assert task(api, dentist["id"])["status"] == "pending"
    assert talk.text("mark it as done").startswith("Done: “Dentist”")
    assert task(api, dentist["id"])["status"] == "completed"
    assert "couldn't find a pending task" in talk.text("complete dentist")
    assert "Which task do you mean" in Talk(api).text("mark it done")


def test_rename_reschedule_and_remind(api):
    dentist = create_task(api, title="dentist")
    talk = Talk(api, "America/New_York")
    assert talk.text("rename dentist to dentist appointment") == \
        "Renamed “dentist” to “dentist appointment”."
    assert task(api, dentist["id"])["title"] == "dentist appointment"
    # A reminder before a due time needs a due time.
    assert "has no due date" in talk.text("remind me about dentist appointment 30 minutes before")
    assert task(api, dentist["id"])["reminders"] == []

    text = talk.text("move dentist appointment to friday 3pm")
    assert text.startswith("Moved “dentist appointment” to Fri "), text
    due = dt.datetime.fromisoformat(task(api, dentist["id"])["due_at"].replace("Z", "+00:00"))
    local = due.astimezone(ZoneInfo("America/New_York"))
    today = dt.datetime.now(ZoneInfo("America/New_York")).date()
    assert local.weekday() == 4 and (local.hour, local.minute) == (15, 0)
    assert 1 <= (local.date() - today).days <= 7

    text = talk.text("remind me about it 30 minutes before")
    assert text.startswith("I'll remind you 30 minutes before “dentist appointment”"), text
    assert task(api, dentist["id"])["reminders"] == [{"before_minutes": 30}]
    talk.say("remind me of dentist appointment 2h before")
    assert task(api, dentist["id"])["reminders"] == [{"before_minutes": 30}, {"before_minutes": 120}]
    assert "already" in talk.text("remind me about dentist appointment 2 hours before")
    assert "couldn't read a date" in talk.text("move dentist appointment to someday")


def test_a_numbered_choice_is_answered_in_the_next_turn(api):
    mom = create_task(api, title="call mom")
    dad = create_task(api, title="call dad")
    talk = Talk(api)
    answer = talk.say("complete call")
    assert answer["awaiting"] == "choice"
    choices = [a for a in answer["message"]["actions"] if a["type"] == "choice"]
    assert [c["number"] for c in choices] == [1, 2]
    assert {c["id"] for c in choices} == {mom["id"], dad["id"]}
    assert task(api, mom["id"])["status"] == task(api, dad["id"])["status"] == "pending"
    # Out of range: asked again, nothing done.
    again = talk.say("5")
    assert again["awaiting"] == "choice" and "number from 1 to 2" in again["message"]["text"]
    chosen = next(c for c in choices if c["number"] == 2)
    answer = talk.say("2")
    assert answer["awaiting"] is None
    assert task(api, chosen["id"])["status"] == "completed"
    other = mom["id"] if chosen["id"] == dad["id"] else dad["id"]
    assert task(api, other)["status"] == "pending"
    # A number without a question is not an answer; another command drops the question.
    assert "no question" in talk.text("1")
    assert talk.say("delete call")["awaiting"] == "choice"  # the completed one matches too
    assert talk.say("show my tasks")["awaiting"] is None
    assert task(api, other)["status"] == "pending"


def test_delete_is_confirmed_and_undo_brings_it_back(api):
    original = create_task(api, title="old plan", tags=["x"], priority="medium",
                           due_at="2030-01-02T03:04:05.000Z", reminders=[{"before_minutes": 15}])
    talk = Talk(api)
    answer = talk.say("delete old plan")
    assert answer["awaiting"] == "confirmation"
    assert any(a["type"] == "confirm" for a in answer["message"]["actions"])
    assert task(api, original["id"])["title"] == "old plan"
    assert talk.text("no") == "OK, I kept “old plan” (due Wed 2 Jan 2030, 03:04)."
    assert task(api, original["id"])["title"] == "old plan"
    talk.say("delete old plan")
    assert talk.text("yes").startswith("Deleted “old plan”")
    assert api.get(f"/api/tasks/{original['id']}").status_code == 404
    answer = talk.say("undo")
    assert answer["message"]["text"].startswith("Undone: “old plan”")
    [card] = cards(answer, "restored")
    back = task(api, card["id"])
    for field in ("title", "tags", "priority", "due_at", "reminders", "description"):
        assert back[field] == original[field], field
    assert talk.text("undo") == "There is nothing to undo."


def test_undo_reverts_the_last_action_of_each_kind(api):
    talk = Talk(api)
    added = cards(talk.say("add buy milk"), "added")[0]
    talk.say("undo")
    assert api.get(f"/api/tasks/{added['id']}").status_code == 404

    t = create_task(api, title="laundry", due_at="2031-05-05T10:00:00.000Z")
    talk.say("complete laundry")
    talk.say("undo")
    assert task(api, t["id"])["status"] == "pending"
    talk.say("rename laundry to wash clothes")
    talk.say("undo")
    assert task(api, t["id"])["title"] == "laundry"
    talk.say("move laundry to tomorrow 8am")
    assert task(api, t["id"])["due_at"] != t["due_at"]
    talk.say("undo")
    assert task(api, t["id"])["due_at"] == t["due_at"]
    talk.say("remind me about laundry a day before")
    talk.say("undo")
    assert task(api, t["id"])["reminders"] == []
    # Undo is per conversation.
    talk.say("complete laundry")
    assert Talk(api).text("undo") == "There is nothing to undo."
    assert task(api, t["id"])["status"] == "completed"


def test_the_audit_trail_names_the_assistant(api):
    card = cards(chat(api, "add check the audit"), "added")[0]
    history = written_history(api, card["id"])
    assert history[0]["actor"] == "assistant (built-in)"


def test_help_and_unknown(api):
    assert "add <task>" in chat(api, "help")["message"]["text"]
    assert "didn't understand" in chat(api, "sing me a song")["message"]["text"]


def test_conversations_are_listed_shown_deleted_and_private(server, make_user):
    alice, bob = make_user(), make_user()
    talk = Talk(alice.api)
    talk.say("add water the plants")
    talk.say("what's due today")
    other = Talk(alice.api)
    other.say("help")
    items = alice.api.get("/api/conversations").json()["items"]
    assert [c["id"] for c in items] == [other.id, talk.id]
    assert items[1]["title"] == "add water the plants"
    shown = alice.api.get(f"/api/conversations/{talk.id}").json()
    assert [m["role"] for m in shown["messages"]] == ["user", "assistant"] * 2
    assert [m["seq"] for m in shown["messages"]] == [1, 2, 3, 4]
    assert shown["messages"][0]["text"] == "add water the plants"
    assert shown["messages"][1]["actions"][0]["change"] == "added"
    assert shown["awaiting"] is None

    # Bob sees none of it and cannot continue or delete it.
    assert bob.api.get("/api/conversations").json()["items"] == []
    assert_error(bob.api.get(f"/api/conversations/{talk.id}"), 404, "not_found")
    assert_error(bob.api.delete(f"/api/conversations/{talk.id}"), 404, "not_found")
    assert_error(bob.api.post("/api/chat", json={"conversation_id": talk.id, "message": "undo"},
                              headers=JSON), 404, "not_found")
    assert alice.api.get(f"/api/tasks/{shown['messages'][1]['actions'][0]['id']}").status_code == 200

    assert alice.api.delete(f"/api/conversations/{talk.id}").status_code == 204
    assert_error(alice.api.get(f"/api/conversations/{talk.id}"), 404, "not_found")
    assert [c["id"] for c in alice.api.get("/api/conversations").json()["items"]] == [other.id]
    assert_error(alice.api.get("/api/conversations/no$such"), 404, "not_found")


def test_conversations_survive_a_restart(server_factory, tmp_path):
    data = tmp_path / "data"
    first = server_factory(data_dir=data)
    owner = signup(first.base_url)
    create_task(owner.api, title="call mom")
    create_task(owner.api, title="call dad")
    talk = Talk(owner.api)
    assert talk.say("complete call")["awaiting"] == "choice"
    assert first.stop() == 0

    second = server_factory(data_dir=data)
    talk.api = second.client(owner.token)
    shown = talk.api.get(f"/api/conversations/{talk.id}").json()
    assert len(shown["messages"]) == 2 and shown["awaiting"] == "choice"
    # The pending choice survived too.
    assert talk.say("1")["message"]["text"].startswith("Done: “call ")


def test_the_reply_streams_as_server_sent_events(api):
    resp = api.post("/api/chat", json={"message": "add stream me"},
                    headers={"Accept": "text/event-stream"})
    assert resp.status_code == 200, describe(resp)
    assert resp.headers["Content-Type"].startswith("text/event-stream")
    events = []
    for block in resp.text.strip().split("\n\n"):
        name, data = block.split("\n")
        assert name.startswith("event: ") and data.startswith("data: ")
        events.append((name[7:], json.loads(data[6:])))
    names = [n for n, _ in events]
    assert names[0] == "conversation" and names[-1] == "done" and "delta" in names
    done = events[-1][1]
    assert done["conversation_id"] == events[0][1]["conversation_id"]
    assert "".join(d["text"] for n, d in events if n == "delta") == done["message"]["text"]
    assert [d for n, d in events if n == "action"] == done["message"]["actions"]
    # No Accept header at all: the stream too.
    plain = api.post("/api/chat", json={"message": "help"})
    assert plain.headers["Content-Type"].startswith("text/event-stream")


def test_the_message_limit_counts_characters_not_bytes(api):
    resp = api.post("/api/chat", json={"message": "é" * 2000}, headers=JSON)  # 4,000 bytes
    assert resp.status_code == 200, describe(resp)
    assert_error(api.post("/api/chat", json={"message": "é" * 2001}, headers=JSON), 413, "payload_too_large")


def test_bad_input_is_a_clear_4xx(api, anon):
    assert_error(api.post("/api/chat", json={}, headers=JSON), 422, "validation_failed")
    assert_error(api.post("/api/chat", json={"message": "   "}, headers=JSON), 422, "validation_failed")
    assert_error(api.post("/api/chat", json={"message": 5}, headers=JSON), 422, "validation_failed")
    assert_error(api.post("/api/chat", json={"message": "x" * 2001}, headers=JSON), 413, "payload_too_large")
    assert_error(api.post("/api/chat", json={"message": "é" * 2001}, headers=JSON), 413, "payload_too_large")
    assert_error(api.post("/api/chat", json={"message": "hi", "time_zone": "Mars/Base"}, headers=JSON),
                 422, "validation_failed")
    assert_error(api.post("/api/chat", json={"message": "hi", "extra": 1}, headers=JSON), 422,
                 "validation_failed")
    assert_error(api.post("/api/chat", data="not json", headers={**JSON, "Content-Type": "application/json"}),
                 400, "invalid_json")
    assert_error(api.post("/api/chat", json={"message": "hi", "conversation_id": "nope"}, headers=JSON),
                 404, "not_found")
    assert_error(anon.post("/api/chat", json={"message": "hi"}, headers=JSON), 401)
    assert_error(anon.get("/api/conversations"), 401)
    assert api.get("/api/conversations").json() == {"items": []}
