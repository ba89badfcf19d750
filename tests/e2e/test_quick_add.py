"""Quick add: POST /api/tasks/parse previews what a line of text means, POST /api/tasks with the
same body creates it; bad lines and time zones answer 422 naming the field."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from e2e_support import iso_dt
from helpers import assert_task_response, assert_validation, describe

BERLIN = ZoneInfo("Europe/Berlin")
LINE = {"quick": "Pay rent every month on the 1st at 9am #home !high", "time_zone": "Europe/Berlin"}
RULE = {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1", "mode": "schedule"}


def next_first_at_9() -> str:
    """The first 1st of a month at 09:00 Berlin that is not before now."""
    now = datetime.now(BERLIN)
    day = date(now.year, now.month, 1)
    candidate = datetime.combine(day, time(9, 0), tzinfo=BERLIN)
    if candidate < now:
        day = date(now.year + now.month // 12, now.month % 12 + 1, 1)
        candidate = datetime.combine(day, time(9, 0), tzinfo=BERLIN)
    return iso_dt(candidate)


def post_at_stable_expectation(call, expect=next_first_at_9):
    """(response, expect()): retried once should the expectation change during the request (when
    the clock passes the time it is about)."""
    for _ in range(2):
        before = expect()
        resp = call()
        if expect() == before:
            return resp, before
    raise AssertionError("the expected answer kept changing")


def test_parse_previews_without_creating(api):
    resp, due = post_at_stable_expectation(lambda: api.post("/api/tasks/parse", json=LINE))
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == {"title": "Pay rent", "tags": ["home"], "priority": "high", "due_at": due,
                           "recurrence": RULE, "reminders": []}, describe(resp)
    resp = api.get("/api/tasks")
    assert resp.status_code == 200 and resp.json()["items"] == [], describe(resp)


def test_create_from_a_quick_add_line(api):
    resp, due = post_at_stable_expectation(lambda: api.post("/api/tasks", json=LINE))
    task = assert_task_response(resp, 201)
    assert resp.headers.get("Location", "").endswith(f"/api/tasks/{task['id']}"), describe(resp)
    assert (task["title"], task["tags"], task["priority"], task["due_at"], task["time_zone"]) == \
        ("Pay rent", ["home"], "high", due, "Europe/Berlin"), task
    assert task["recurrence"] == RULE and task["reminders"] == [], task
    assert task["series_start"] == due and task["occurrence_index"] == 0, task
    resp = api.get(f"/api/tasks/{task['id']}")
    assert resp.status_code == 200 and resp.json() == task, describe(resp)


@pytest.mark.parametrize("path", ["/api/tasks/parse", "/api/tasks"])
@pytest.mark.parametrize("body, field", [
    ({"quick": ""}, "quick"),
    ({"quick": "   "}, "quick"),
    ({"quick": "Pay rent tomorrow", "time_zone": "Mars/Olympus_Mons"}, "time_zone"),
    ({"quick": "x" * 501}, "quick"),
    ({"quick": "Pay rent tomorrow", "priority": "high"}, "priority"),
], ids=["empty", "blank", "unknown-zone", "501-chars", "extra-field"])
def test_bad_quick_add_is_422_naming_the_field(api, path, body, field):
    assert_validation(api.post(path, json=body), field)
    resp = api.get("/api/tasks")
    assert resp.status_code == 200 and resp.json()["items"] == [], describe(resp)


def at_local(zone: ZoneInfo, days: int, hour: int, minute: int = 0) -> str:
    day = datetime.now(zone).date() + timedelta(days=days)
    return iso_dt(datetime.combine(day, time(hour, minute), tzinfo=zone))


def first_not_before_now(zone: ZoneInfo, hour: int, minute: int = 0, weekdays=range(7)) -> str:
    now = datetime.now(zone)
    for days in range(8):
        candidate = datetime.combine(now.date() + timedelta(days=days), time(hour, minute), tzinfo=zone)
        if candidate.weekday() in weekdays and candidate >= now:
            return iso_dt(candidate)
    raise AssertionError("unreachable")


UTC = ZoneInfo("UTC")
NO_EXTRAS = {"tags": [], "priority": "none", "due_at": None, "recurrence": None, "reminders": []}
PHRASES = {
    "date-time-reminder": ("Call mom tomorrow at 5pm remind me 30 min before", "Europe/Berlin", lambda: {
        "title": "Call mom", "due_at": at_local(BERLIN, 1, 17), "reminders": [{"before_minutes": 30}]}),
    "every!-completion": ("Water plants every! 3 days #garden", "Europe/Berlin", lambda: {
        "title": "Water plants", "tags": ["garden"], "due_at": first_not_before_now(BERLIN, 9),
        "recurrence": {"rrule": "FREQ=DAILY;INTERVAL=3", "mode": "completion"}}),
    "weekdays": ("Team sync every weekday at 10:30", "Europe/Berlin", lambda: {
        "title": "Team sync", "due_at": first_not_before_now(BERLIN, 10, 30, weekdays=range(5)),
        "recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "mode": "schedule"}}),
    "issue-number-not-a-tag": ("Fix bug #123 !1", "Europe/Berlin", lambda: {
        "title": "Fix bug #123", "priority": "high"}),
    "iso-date-and-time": ("Submit report by 2031-01-15 at 18:45", "Europe/Berlin", lambda: {
        "title": "Submit report", "due_at": "2031-01-15T17:45:00.000Z"}),
    "dangling-colon": ("Notes: tomorrow", "Europe/Berlin", lambda: {
        "title": "Notes", "due_at": at_local(BERLIN, 1, 9)}),
    "time-only": ("Take pills at 9pm", "Europe/Berlin", lambda: {
        "title": "Take pills", "due_at": first_not_before_now(BERLIN, 21)}),
    "default-zone-utc": ("Pay rent tomorrow", None, lambda: {
        "title": "Pay rent", "due_at": at_local(UTC, 1, 9)}),
}


@pytest.mark.parametrize("name", list(PHRASES))
def test_phrases_of_the_quick_add_grammar(api, name):
    line, zone, expect = PHRASES[name]
    body = {"quick": line, **({"time_zone": zone} if zone else {})}
    resp, expected = post_at_stable_expectation(lambda: api.post("/api/tasks/parse", json=body),
                                                lambda: {**NO_EXTRAS, **expect()})
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == expected, f"{line!r}: got {resp.json()}, expected {expected}"
