"""The controls of notifications over real HTTP, with a real Mailpit and a webhook receiver on
loopback: preferences (validated, kept) filter a reminder's channels by its task's priority; quiet
hours in the user's zone hold a non-urgent reminder's mail to the window's end (webhooks are not
held: they feed machines) while a high one goes at once; a task's override ignores quiet hours,
is its user's alone and goes with the task; "send a test" mails / POSTs a test message, writes no
delivery record and is rate-limited."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from e2e_support import iso_ms, now_ms, parse_ms, wait_until, zone_away_from_midnight
from helpers import assert_error, create_task, describe, signup, unique_email
from mail_support import Mailpit
from test_email import PUBLIC_URL, confirm_address, email_server
from webhook_receivers import Receiver

LOOPBACK = ("--allowed-destinations", "127.0.0.0/8,::1/128")


@pytest.fixture
def mailpit(tmp_path):
    mp = Mailpit(tmp_path / "mailpit").start()
    yield mp
    mp.stop()


@pytest.fixture
def receiver():
    r = Receiver(statuses=(200,))
    yield r
    r.close()


def channels_of(api, task_id) -> dict[str, dict]:
    resp = api.get(f"/api/tasks/{task_id}/deliveries")
    assert resp.status_code == 200, describe(resp)
    return {d["channel"]: d for d in resp.json()["items"]}


def setup_user(srv, mp, receiver):
    owner = signup(srv.base_url)
    address = unique_email("q")
    confirm_address(srv, owner, mp, address)
    resp = owner.api.put("/api/me/webhook", json={"url": receiver.url})
    assert resp.status_code == 200, describe(resp)
    return owner, address


def reminded(owner, title, priority, lead_ms=800):
    return create_task(owner.api, title=title, priority=priority,
                       reminders=[{"at": iso_ms(now_ms() + lead_ms)}])


def test_preferences_are_validated_and_kept(server_factory):
    srv = server_factory()
    owner = signup(srv.base_url)
    resp = owner.api.get("/api/me/notification-settings")
    assert resp.status_code == 200, describe(resp)
    every = ["email", "webhook", "push", "ntfy"]
    assert resp.json() == {"time_zone": "UTC", "quiet_hours": None, "digest": None,
                           "channels_by_priority": {"high": every, "medium": every, "low": every,
                                                    "none": every}}, resp.json()
    for bad in ({"time_zone": "Mars/Olympus"},
                {"quiet_hours": {"start": "22:00", "end": "7:00"}},
                {"quiet_hours": {"start": "25:00", "end": "07:00"}},
                {"quiet_hours": {"start": "07:00", "end": "07:00"}},
                {"channels_by_priority": {"low": ["pigeon"]}},
                {"channels_by_priority": {"urgent": ["email"]}},
                {"digest": {"time": "08:00", "channels": []}},
                {"digest": {"time": "08:00"}},
                {"digest": {"time": "08:00", "channels": ["webhook"]}},
                {"colour": "blue"}):
        assert_error(owner.api.put("/api/me/notification-settings", json=bad), 422)
    wanted = {"time_zone": "Europe/Berlin", "quiet_hours": {"start": "22:00", "end": "07:00"},
              "channels_by_priority": {"high": every, "medium": ["email"], "low": [], "none": []},
              "digest": {"time": "08:00", "channels": ["email"]}}
    resp = owner.api.put("/api/me/notification-settings", json=wanted)
    assert resp.status_code == 200 and resp.json() == wanted, describe(resp)
    assert owner.api.get("/api/me/notification-settings").json() == wanted
    # A partial PUT changes only what it names.
    resp = owner.api.put("/api/me/notification-settings", json={"quiet_hours": None})
    assert resp.json() == {**wanted, "quiet_hours": None}, resp.json()
    # Another user still has the defaults.
    other = signup(srv.base_url)
    assert other.api.get("/api/me/notification-settings").json()["quiet_hours"] is None


def test_channels_follow_the_tasks_priority(server_factory, mailpit, receiver):
    srv = email_server(server_factory, mailpit, *LOOPBACK)
    owner, address = setup_user(srv, mailpit, receiver)
    resp = owner.api.put("/api/me/notification-settings",
                         json={"channels_by_priority": {"low": ["email"], "high": ["webhook"]}})
    assert resp.status_code == 200, describe(resp)
    low = reminded(owner, "Low one", "low")
    mailpit.wait_for(to=address, subject="Reminder: Low one")
    high = reminded(owner, "High one", "high")
    wait_until(lambda: receiver.requests, what="the high reminder's webhook")
    assert [json.loads(r["body"])["title"] for r in receiver.requests] == ["High one"]
    wait_until(lambda: channels_of(owner.api, high["id"]).get("webhook", {}).get("state") == "delivered",
               what="the high webhook receipt")
    assert set(channels_of(owner.api, low["id"])) == {"in_app", "email"}
    assert set(channels_of(owner.api, high["id"])) == {"in_app", "webhook"}
    assert [m["Subject"] for m in mailpit.to(address) if m["Subject"].startswith("Reminder")] == [
        "Reminder: Low one"]


def quiet_until_next_minute(owner, zone="America/New_York", margin_s=12):
    """Quiet hours from an hour ago to the first minute at least margin_s ahead, in `zone`;
    answers the window's end in ms."""
    now = datetime.now(timezone.utc)
    end = (now + timedelta(seconds=margin_s)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    local_end = end.astimezone(ZoneInfo(zone))
    local_start = (now - timedelta(hours=1)).astimezone(ZoneInfo(zone))
    resp = owner.api.put("/api/me/notification-settings", json={
        "time_zone": zone,
        "quiet_hours": {"start": local_start.strftime("%H:%M"), "end": local_end.strftime("%H:%M")}})
    assert resp.status_code == 200, describe(resp)
    return int(end.timestamp() * 1000)


@pytest.mark.slow
def test_quiet_hours_hold_a_low_reminders_mail_to_the_windows_end(server_factory, mailpit, receiver):
    srv = email_server(server_factory, mailpit, *LOOPBACK)
    owner, address = setup_user(srv, mailpit, receiver)
    end_ms = quiet_until_next_minute(owner)
    low = reminded(owner, "Quiet low", "low")
    # The webhook is not held (it feeds machines); the mail waits for the window's end.
    wait_until(lambda: receiver.requests, what="the low reminder's webhook")
    held = wait_until(lambda: channels_of(owner.api, low["id"]).get("email"), what="the held email record")
    assert held["state"] == "pending" and parse_ms(held["next_attempt_at"]) == end_ms, held
    high = reminded(owner, "Urgent high", "high")
    mailpit.wait_for(to=address, subject="Reminder: Urgent high", timeout=10)
    assert now_ms() < end_ms - 1000, "the high mail came at once, before the window's end"
    assert not [m for m in mailpit.to(address) if m["Subject"] == "Reminder: Quiet low"]
    # At the window's end, and not before.
    mail = mailpit.wait_for(to=address, subject="Reminder: Quiet low", timeout=(end_ms - now_ms()) / 1000 + 15)
    arrived = channels_of(owner.api, low["id"])["email"]
    assert arrived["state"] == "sent" and parse_ms(arrived["sent_at"]) >= end_ms, arrived
    assert mail


@pytest.mark.slow
def test_a_held_mail_survives_a_restart(server_factory, mailpit, receiver):
    srv = email_server(server_factory, mailpit, *LOOPBACK)
    owner, address = setup_user(srv, mailpit, receiver)
    end_ms = quiet_until_next_minute(owner)
    low = reminded(owner, "Held over restart", "medium")
    wait_until(lambda: channels_of(owner.api, low["id"]).get("email"), what="the held email record")
    srv.kill()  # kill -9 while the mail is held
    srv = server_factory(data_dir=srv.data_dir, extra_args=(
        "--smtp-url", mailpit.smtp_url, "--public-url", PUBLIC_URL,
        "--smtp-from", "Tickler <tickler@example.com>", *LOOPBACK))
    owner.api.base_url = srv.base_url
    mailpit.wait_for(to=address, subject="Reminder: Held over restart",
                     timeout=(end_ms - now_ms()) / 1000 + 15)
    assert now_ms() >= end_ms
    assert len([m for m in mailpit.to(address) if m["Subject"] == "Reminder: Held over restart"]) == 1


def test_an_override_ignores_quiet_hours_and_is_the_tasks_own(server_factory, mailpit, receiver):
    srv = email_server(server_factory, mailpit, *LOOPBACK)
    owner, address = setup_user(srv, mailpit, receiver)
    quiet_until_next_minute(owner, margin_s=40)
    task = create_task(owner.api, title="Ignore the quiet", priority="low")
    path = f"/api/tasks/{task['id']}/notification-override"
    assert_error(owner.api.get(path), 404)
    assert_error(owner.api.put(path, json={"quiet_hours": "sometimes"}), 422)
    assert_error(owner.api.put(path, json={"channels": ["pigeon"], "quiet_hours": "ignore"}), 422)
    resp = owner.api.put(path, json={"channels": ["email"], "quiet_hours": "ignore"})
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == {"task_id": task["id"], "channels": ["email"], "quiet_hours": "ignore"}
    assert owner.api.get(path).json()["quiet_hours"] == "ignore"
    # Another user's task is not found, for every verb.
    stranger = signup(srv.base_url)
    assert_error(stranger.api.get(path), 404)
    assert_error(stranger.api.put(path, json={"quiet_hours": "ignore"}), 404)
    assert_error(stranger.api.delete(path), 404)
    # The override's channels and its quiet hours: the mail goes at once, no webhook.
    resp = owner.api.patch(f"/api/tasks/{task['id']}", json={"reminders": [{"at": iso_ms(now_ms() + 800)}]})
    assert resp.status_code == 200, describe(resp)
    mailpit.wait_for(to=address, subject="Reminder: Ignore the quiet", timeout=10)
    assert set(channels_of(owner.api, task["id"])) == {"in_app", "email"}
    assert not receiver.requests
    # Removed: 204, then 404; and gone with its task.
    assert owner.api.delete(path).status_code == 204
    assert_error(owner.api.delete(path), 404)
    assert owner.api.put(path, json={"quiet_hours": "respect"}).status_code == 200
    assert owner.api.delete(f"/api/tasks/{task['id']}").status_code == 204
    wait_until(lambda: owner.api.get(path).status_code == 404, what="the override gone with its task")


def test_send_a_test_to_email_and_webhook(server_factory, mailpit, receiver):
    srv = email_server(server_factory, mailpit, *LOOPBACK)
    owner, address = setup_user(srv, mailpit, receiver)
    resp = owner.api.post("/api/me/channels/test", json={"channel": "email"})
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == {"channel": "email", "outcome": "sent"}, resp.json()
    mailpit.wait_for(to=address, subject="Tickler: a test of your email channel")
    hook_id = owner.api.get("/api/me/channels/webhooks").json()["items"][0]["id"]
    for name in (f"webhook:{hook_id}", "webhook"):
        resp = owner.api.post("/api/me/channels/test", json={"channel": name})
        assert resp.status_code == 200, describe(resp)
        assert resp.json() == {"channel": name, "outcome": "delivered"}, resp.json()
    assert [r["headers"].get("X-Tickler-Event") for r in receiver.requests] == ["test", "test"]
    body = json.loads(receiver.requests[0]["body"])
    assert body["type"] == "test" and body["webhook_id"] == hook_id, body
    # No delivery record, no notification.
    assert owner.api.get("/api/notifications").json()["items"] == []
    assert_error(owner.api.post("/api/me/channels/test", json={"channel": "webhook:999999"}), 404,
                 "channel_not_found")
    assert_error(owner.api.post("/api/me/channels/test", json={"channel": "push:1"}), 404, "channel_not_found")
    # Five a minute per user (the 404 counted too): the sixth is refused.
    assert_error(owner.api.post("/api/me/channels/test", json={"channel": "email"}), 429)
    # A failing receiver answers failed, with the error.
    other = signup(srv.base_url)
    failing = Receiver(statuses=(500,))
    try:
        assert other.api.put("/api/me/webhook", json={"url": failing.url}).status_code == 200
        resp = other.api.post("/api/me/channels/test", json={"channel": "webhook"})
        assert resp.status_code == 200 and resp.json()["outcome"] == "failed", describe(resp)
        assert "500" in resp.json()["error"], resp.json()
    finally:
        failing.close()


@pytest.mark.slow
def test_the_digest_arrives_once_at_the_local_time(server_factory, mailpit, receiver):
    srv = email_server(server_factory, mailpit, *LOOPBACK)
    owner, address = setup_user(srv, mailpit, receiver)
    zone = zone_away_from_midnight()
    now = datetime.now(timezone.utc)
    at = (now + timedelta(seconds=5)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    at_ms = int(at.timestamp() * 1000)
    local = at.astimezone(ZoneInfo(zone))
    create_task(owner.api, title="Overdue <b>one</b>", due_at=iso_ms(now_ms() - 86_400_000))
    create_task(owner.api, title="Due later today", due_at=iso_ms(at_ms + 30_000), time_zone=zone)
    create_task(owner.api, title="Due next week", due_at=iso_ms(now_ms() + 7 * 86_400_000))
    done = create_task(owner.api, title="Done already", due_at=iso_ms(now_ms() - 3_600_000))
    assert owner.api.post(f"/api/tasks/{done['id']}/complete").status_code == 200
    resp = owner.api.put("/api/me/notification-settings", json={
        "time_zone": zone, "digest": {"time": local.strftime("%H:%M"), "channels": ["email"]}})
    assert resp.status_code == 200, describe(resp)
    date = local.strftime("%Y-%m-%d")
    subject = f"Tickler digest for {date}: 2 tasks"
    mail = mailpit.wait_for(to=address, subject=subject, timeout=(at_ms - now_ms()) / 1000 + 20)
    assert now_ms() >= at_ms
    text, html = mail["Text"], mail["HTML"]
    assert text.index("Overdue <b>one</b>") < text.index("Due later today"), text
    assert "Due next week" not in text and "Done already" not in text, text
    assert "Overdue &lt;b&gt;one&lt;/b&gt;" in html and "<b>one</b>" not in html, html
    assert f"{PUBLIC_URL}/?task=" in text
    # Restarted after it went out: not sent again.
    srv.kill()
    srv = server_factory(data_dir=srv.data_dir, extra_args=(
        "--smtp-url", mailpit.smtp_url, "--public-url", PUBLIC_URL,
        "--smtp-from", "Tickler <tickler@example.com>", *LOOPBACK))
    owner.api.base_url = srv.base_url
    wait_until(lambda: owner.api.get("/api/me/notification-settings").status_code == 200, what="restarted")
    time.sleep(3)
    assert len([m for m in mailpit.to(address) if m["Subject"].startswith("Tickler digest")]) == 1
