"""Completing a recurring task creates exactly one next occurrence (recurrer consumer), due as the
rule says in the task's time zone, with the same content and the reminders moved along."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from e2e_support import (assert_still_before, assert_stays, find_tasks, iso_dt, iso_ms, now_ms, parse_ms,
                         wait_history, wait_until)
from helpers import assert_task, create_task, describe, unique_word

BERLIN = ZoneInfo("Europe/Berlin")
CREATED, COMPLETED, REOPENED, DELETED = (f"tickler.task.{op}.v1" for op in
                                         ("created", "completed", "reopened", "deleted"))
COPIED = ("title", "description", "priority", "tags", "time_zone", "recurrence", "series_id", "series_start")


def berlin_9am(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=BERLIN)


def tomorrow_9am() -> datetime:
    return berlin_9am(datetime.now(BERLIN).date() + timedelta(days=1))


def create_recurring(api, rrule: str, mode: str = "schedule", due: datetime | None = None) -> tuple[dict, str]:
    word = unique_word("rec")
    due = due or tomorrow_9am()
    body = {
        "title": f"Water the plants {word}", "description": "the big ones too", "priority": "high",
        "tags": ["home", word], "due_at": iso_dt(due), "time_zone": "Europe/Berlin",
        "reminders": [{"before_minutes": 30}, {"at": iso_dt(due - timedelta(hours=2))}],
        "recurrence": {"rrule": rrule, "mode": mode},
    }
    resp = api.post("/api/tasks", json=body)
    assert resp.status_code == 201, describe(resp)
    task = resp.json()
    assert_task(task)
    assert task["recurrence"] == {"rrule": rrule, "mode": mode}, task
    assert task["series_id"] == task["id"] and task["occurrence_index"] == 0, task
    assert task["series_start"] == task["due_at"] == iso_dt(due), task
    return task, word


def complete(api, task_id: int) -> dict:
    resp = api.post(f"/api/tasks/{task_id}/complete")
    assert resp.status_code == 200, describe(resp)
    assert resp.json()["status"] == "completed", describe(resp)
    return resp.json()


def successors(api, word: str, of: dict) -> list[dict]:
    return [t for t in find_tasks(api, word) if t["id"] != of["id"]]


def wait_successor(api, word: str, of: dict) -> dict:
    found = wait_until(lambda: successors(api, word, of), what=f"the next occurrence of task {of['id']}")
    assert len(found) == 1, f"expected exactly one next occurrence, got {found}"
    return found[0]


def assert_next_occurrence(nxt: dict, prev: dict, due: datetime) -> None:
    assert_task(nxt)
    for key in COPIED:
        assert nxt[key] == prev[key], f"{key}: {nxt[key]!r} != {prev[key]!r}\nnext: {nxt}\nprev: {prev}"
    assert nxt["status"] == "pending" and nxt["completed_at"] is None and nxt["version"] == 1, nxt
    assert nxt["due_at"] == iso_dt(due), f"due {nxt['due_at']}, expected {iso_dt(due)} ({due.isoformat()})"
    assert nxt["occurrence_index"] == prev["occurrence_index"] + 1, nxt
    shift = parse_ms(nxt["due_at"]) - parse_ms(prev["due_at"])
    moved = [r if "before_minutes" in r else {"at": iso_ms(parse_ms(r["at"]) + shift)}
             for r in prev["reminders"]]
    assert nxt["reminders"] == moved, f"reminders {nxt['reminders']}, expected {moved}"


def assert_only(api, word: str, ids: set[int], what: str) -> None:
    """The user's tasks matching `word` are exactly `ids`, and stay so for a moment."""
    assert_stays(lambda: {t["id"] for t in find_tasks(api, word)} == ids, 0.5, what=what)


def test_completing_a_daily_task_creates_exactly_one_next_occurrence(api):
    first, word = create_recurring(api, "FREQ=DAILY")
    complete(api, first["id"])
    nxt = wait_successor(api, word, first)
    assert_next_occurrence(nxt, first, berlin_9am(tomorrow_9am().date() + timedelta(days=1)))

    # Reopen: the untouched next occurrence is taken back; completing again makes it anew.
    resp = api.post(f"/api/tasks/{first['id']}/reopen")
    assert resp.status_code == 200 and resp.json()["status"] == "pending", describe(resp)
    assert resp.json()["retracted_occurrence_id"] == nxt["id"], describe(resp)
    complete(api, first["id"])
    wait_history(api, first["id"], [CREATED, COMPLETED, REOPENED, COMPLETED])
    again = wait_until(lambda: [t for t in find_tasks(api, word) if t["id"] not in (first["id"], nxt["id"])],
                       what="the next occurrence made again")[0]
    assert_next_occurrence(again, first, berlin_9am(tomorrow_9am().date() + timedelta(days=1)))
    assert_only(api, word, {first["id"], again["id"]}, "exactly one next occurrence after reopen + complete")
    resp = api.get(f"/api/tasks/{nxt['id']}")
    assert resp.status_code == 404, describe(resp)


def test_count_ends_the_series(api):
    first, word = create_recurring(api, "FREQ=DAILY;COUNT=2")
    complete(api, first["id"])
    second = wait_successor(api, word, first)
    assert_next_occurrence(second, first, berlin_9am(tomorrow_9am().date() + timedelta(days=1)))

    complete(api, second["id"])
    wait_history(api, second["id"], [CREATED, COMPLETED])
    assert_only(api, word, {first["id"], second["id"]}, "no third occurrence of a COUNT=2 series")


def test_completion_mode_counts_from_the_completion_day(api):
    first, word = create_recurring(api, "FREQ=DAILY;INTERVAL=3", mode="completion")
    done = complete(api, first["id"])
    completion_day = datetime.fromtimestamp(parse_ms(done["completed_at"]) / 1000, tz=BERLIN).date()
    nxt = wait_successor(api, word, first)
    assert_next_occurrence(nxt, first, berlin_9am(completion_day + timedelta(days=3)))


def test_deleting_the_latest_occurrence_creates_nothing(api):
    first, word = create_recurring(api, "FREQ=DAILY")
    complete(api, first["id"])
    nxt = wait_successor(api, word, first)

    resp = api.delete(f"/api/tasks/{nxt['id']}")
    assert resp.status_code == 204, describe(resp)
    wait_history(api, nxt["id"], [CREATED, DELETED])
    assert_only(api, word, {first["id"]}, "no new occurrence after deleting the latest one")


def test_nine_o_clock_stays_nine_o_clock_across_dst(api):
    # Berlin moves its clocks forward on the last Sunday of March: 09:00 is 08:00Z before, 07:00Z after.
    year = datetime.now(BERLIN).year + 1
    sunday = max(date(year, 3, d) for d in range(25, 32) if date(year, 3, d).weekday() == 6)
    saturday = berlin_9am(sunday - timedelta(days=1))
    first, word = create_recurring(api, "FREQ=DAILY", due=saturday)
    complete(api, first["id"])
    nxt = wait_successor(api, word, first)
    assert_next_occurrence(nxt, first, berlin_9am(sunday))
    assert nxt["due_at"].endswith("T07:00:00.000Z") and first["due_at"].endswith("T08:00:00.000Z"), (first, nxt)


def test_a_late_completion_skips_the_missed_occurrences(api):
    today = datetime.now(BERLIN)
    first, word = create_recurring(api, "FREQ=DAILY", due=berlin_9am(today.date() - timedelta(days=3)))
    done = datetime.fromtimestamp(parse_ms(complete(api, first["id"])["completed_at"]) / 1000, tz=BERLIN)
    nxt = wait_successor(api, word, first)
    expected = berlin_9am(done.date())
    if expected <= done:
        expected = berlin_9am(done.date() + timedelta(days=1))
    assert nxt["due_at"] == iso_dt(expected), f"due {nxt['due_at']}, expected the next 09:00: {iso_dt(expected)}"
    assert nxt["occurrence_index"] > first["occurrence_index"], nxt


def test_editing_the_due_date_starts_a_new_series(api):
    first, word = create_recurring(api, "FREQ=DAILY")
    complete(api, first["id"])
    second = wait_successor(api, word, first)
    moved = berlin_9am(tomorrow_9am().date() + timedelta(days=5))
    resp = api.patch(f"/api/tasks/{second['id']}", json={"due_at": iso_dt(moved)})
    assert resp.status_code == 200, describe(resp)
    edited = resp.json()
    assert (edited["series_id"], edited["occurrence_index"], edited["series_start"]) == \
        (second["id"], 0, iso_dt(moved)), edited

    complete(api, second["id"])
    third = wait_until(lambda: [t for t in find_tasks(api, word) if t["id"] not in (first["id"], second["id"])],
                       what="the next occurrence in the new series")
    assert len(third) == 1, third
    assert third[0]["series_id"] == second["id"] and third[0]["occurrence_index"] == 1, third
    assert third[0]["due_at"] == iso_dt(berlin_9am(moved.date() + timedelta(days=1))), third


def test_a_task_that_stopped_recurring_creates_nothing(api):
    first, word = create_recurring(api, "FREQ=DAILY")
    resp = api.patch(f"/api/tasks/{first['id']}", json={"recurrence": None})
    assert resp.status_code == 200 and resp.json()["recurrence"] is None, describe(resp)
    complete(api, first["id"])
    wait_history(api, first["id"], [CREATED, "tickler.task.updated.v1", COMPLETED])
    assert_only(api, word, {first["id"]}, "no occurrence of a task that stopped recurring")


def test_the_moved_reminders_of_the_next_occurrence_fire(api):
    """End to end: completion → recurrer → next occurrence → notifier: its reminders, moved with
    the due date, fire at their new times (the first one's, a day earlier, were past: never)."""
    t_ms = now_ms() + 3000
    day = 86_400_000
    first = create_task(api, title="Daily standup " + unique_word(), due_at=iso_ms(t_ms - day), time_zone="UTC",
                        reminders=[{"before_minutes": 0}, {"at": iso_ms(t_ms - day + 500)}],
                        recurrence={"rrule": "FREQ=DAILY", "mode": "schedule"})
    complete(api, first["id"])
    nxt = wait_successor(api, first["title"].split()[-1], first)
    assert_still_before(t_ms - 100, "completing and creating the next occurrence")
    assert nxt["due_at"] == iso_ms(t_ms), nxt
    assert nxt["reminders"] == [{"before_minutes": 0}, {"at": iso_ms(t_ms + 500)}], nxt

    def listed():
        resp = api.get("/api/notifications")
        assert resp.status_code == 200, describe(resp)
        return resp.json()["items"]

    items = wait_until(lambda: len(listed()) >= 2 and listed(), timeout=(t_ms - now_ms()) / 1000 + 5,
                       what="the next occurrence's two notifications")
    assert sorted((n["task_id"], n["remind_at"]) for n in items) == \
        [(nxt["id"], iso_ms(t_ms)), (nxt["id"], iso_ms(t_ms + 500))], items
    assert all(parse_ms(n["fired_at"]) >= parse_ms(n["remind_at"]) for n in items), items
