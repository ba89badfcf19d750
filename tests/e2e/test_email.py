"""Email over SMTP against a real Mailpit (tools/mailpit): an address is confirmed by a link before
any reminder is mailed to it; a reminder mail shows the task and its due time in the task's zone,
HTML-escaped, with one-use signed links (Done, Snooze) that act only on POST, once, and refuse
tampering; STARTTLS with a test CA; and an SMTP server down for a while gets the mail once when it
returns."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from e2e_support import history, iso_ms, now_ms, parse_ms, wait_until
from helpers import assert_error, create_task, describe, signup, unique_email, unique_word
from mail_support import Mailpit, links, make_test_ca

PUBLIC_URL = "https://tickler.example"  # links are {public_url}/links/...: the tests send them to the server


@pytest.fixture
def mailpit(tmp_path):
    mp = Mailpit(tmp_path / "mailpit").start()
    yield mp
    mp.stop()


def email_server(server_factory, mp: Mailpit, *extra):
    return server_factory(extra_args=("--smtp-url", mp.smtp_url, "--public-url", PUBLIC_URL,
                                      "--smtp-from", "Tickler <tickler@example.com>", *extra))


def local(srv, url: str) -> str:
    """A mailed link, sent to the server under test."""
    assert url.startswith(PUBLIC_URL + "/links/"), url
    return srv.base_url + url[len(PUBLIC_URL):]


def confirm_address(srv, owner, mp: Mailpit, address: str) -> None:
    resp = owner.api.put("/api/me/channels/email", json={"address": address})
    assert resp.status_code == 202, describe(resp)
    url = local(srv, links(mp.wait_for(to=address, subject="Confirm"))["Confirm this address"])
    resp = requests.post(url, timeout=10)
    assert resp.status_code == 200, resp.text


def test_address_is_confirmed_by_a_post_to_its_link_once(server_factory, mailpit):
    srv = email_server(server_factory, mailpit)
    owner = signup(srv.base_url)
    address = unique_email("ana")

    assert_error(owner.api.get("/api/me/channels/email"), 404)
    for bad in ("ana", "ana@example", "a b@example.com", "ana@example.com\r\nBcc: x@example.com"):
        assert_error(owner.api.put("/api/me/channels/email", json={"address": bad}), 422)

    resp = owner.api.put("/api/me/channels/email", json={"address": address})
    assert resp.status_code == 202, describe(resp)
    assert resp.json()["state"] == "unconfirmed" and resp.json()["confirmation_sent"] is True, resp.json()

    mail = mailpit.wait_for(to=address, subject="Confirm")
    assert mail["From"]["Address"] == "tickler@example.com", mail["From"]
    url = local(srv, links(mail)["Confirm this address"])

    # A GET (a mail scanner, a preview) shows a page with a button and confirms nothing.
    for _ in range(2):
        page = requests.get(url, timeout=10)
        assert page.status_code == 200 and '<form method="post"' in page.text, page.text
        assert "script" not in page.text.lower()
    assert owner.api.get("/api/me/channels/email").json()["state"] == "unconfirmed"

    # A tampered link is refused.
    token = url.rsplit("/", 1)[1]
    payload, signature = token.split(".")
    forged = url[: -len(token)] + payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + signature
    assert requests.post(forged, timeout=10).status_code == 403

    resp = requests.post(url, timeout=10)
    assert resp.status_code == 200 and "confirmed" in resp.text.lower(), resp.text
    channel = owner.api.get("/api/me/channels/email").json()
    assert channel["state"] == "confirmed" and channel["address"] == address, channel
    assert channel["confirmed_at"], channel

    # Replayed: refused, still confirmed.
    assert requests.post(url, timeout=10).status_code == 409
    # Another user cannot use it either, and the same address again needs no new mail.
    resp = owner.api.put("/api/me/channels/email", json={"address": address})
    assert resp.status_code == 200 and resp.json()["confirmation_sent"] is False, describe(resp)

    assert owner.api.delete("/api/me/channels/email").status_code == 204
    assert_error(owner.api.get("/api/me/channels/email"), 404)


def test_confirmation_mails_are_rate_limited_per_user(server_factory, mailpit):
    srv = email_server(server_factory, mailpit)
    owner, other = signup(srv.base_url), signup(srv.base_url)
    for _ in range(5):
        resp = owner.api.put("/api/me/channels/email", json={"address": unique_email("r")})
        assert resp.status_code == 202, describe(resp)
    assert_error(owner.api.put("/api/me/channels/email", json={"address": unique_email("r")}), 429)
    # Another user is not held back.
    assert other.api.put("/api/me/channels/email", json={"address": unique_email("o")}).status_code == 202


def test_without_smtp_the_channel_is_refused(server_factory):
    srv = server_factory()
    owner = signup(srv.base_url)
    assert_error(owner.api.put("/api/me/channels/email", json={"address": unique_email()}), 503,
                 "email_not_configured")


def reminder_task(owner, title: str, zone: str, lead_ms: int = 1500) -> tuple[dict, int]:
    remind_ms = now_ms() + lead_ms
    due_ms = remind_ms + 3_600_000
    task = create_task(owner.api, title=title, time_zone=zone, due_at=iso_ms(due_ms),
                       reminders=[{"at": iso_ms(remind_ms)}])
    return task, due_ms


def test_nothing_is_mailed_to_an_unconfirmed_address(server_factory, mailpit):
    srv = email_server(server_factory, mailpit)
    owner = signup(srv.base_url)
    address = unique_email("u")
    assert owner.api.put("/api/me/channels/email", json={"address": address}).status_code == 202
    word = unique_word()
    reminder_task(owner, "Unconfirmed " + word, "UTC", lead_ms=500)
    wait_until(lambda: owner.api.get("/api/notifications").json()["items"], what="the reminder fired")
    time.sleep(2)
    assert [m["Subject"] for m in mailpit.to(address)] == ["Confirm your address for Tickler reminders"]


def test_reminder_mail_shows_the_local_due_time_and_its_links_act_once(server_factory, mailpit):
    srv = email_server(server_factory, mailpit)
    owner = signup(srv.base_url)
    address = unique_email("rem")
    confirm_address(srv, owner, mailpit, address)

    zone = "Asia/Tokyo"
    title = f"Pay <b>rent</b> & tea {unique_word()}"
    task, due_ms = reminder_task(owner, title, zone)
    mail = mailpit.wait_for(to=address, subject="Reminder:")
    due_local = datetime.fromtimestamp(due_ms / 1000, ZoneInfo(zone))
    shown = f"{due_local:%a} {due_local.day} {due_local:%b %Y, %H:%M} JST"
    assert mail["Subject"] == "Reminder: " + title, mail["Subject"]
    assert title in mail["Text"] and shown in mail["Text"], mail["Text"]
    assert shown in mail["HTML"], mail["HTML"]
    # The user's text is escaped in the HTML part: no <b> element of theirs.
    assert "Pay &lt;b&gt;rent&lt;/b&gt; &amp; tea" in mail["HTML"] and "<b>rent" not in mail["HTML"]
    assert mail["MessageID"].startswith(f"t{task['id']}-") or str(task["id"]) in mail["MessageID"], mail["MessageID"]
    found = links(mail)
    assert {"Done", "Snooze 10 min", "Snooze 1 h", "Tomorrow 9:00", "Open"} <= set(found), found
    assert found["Open"] == f"{PUBLIC_URL}/?task={task['id']}"

    # Snooze 1 h: GET shows a page only, POST adds a reminder an hour on, once.
    snooze = local(srv, found["Snooze 1 h"])
    page = requests.get(snooze, timeout=10)
    assert page.status_code == 200 and "Pay &lt;b&gt;rent&lt;/b&gt; &amp; tea" in page.text, page.text
    assert "<b>rent" not in page.text
    assert owner.api.get(f"/api/tasks/{task['id']}").json()["reminders"] == task["reminders"]
    before = now_ms()
    assert requests.post(snooze, timeout=10).status_code == 200
    after = now_ms()
    reminders = owner.api.get(f"/api/tasks/{task['id']}").json()["reminders"]
    added = [parse_ms(r["at"]) for r in reminders if r.get("at") and parse_ms(r["at"]) > before + 3_500_000]
    assert len(added) == 1 and before + 3_600_000 - 1000 <= added[0] <= after + 3_600_000 + 1000, reminders
    assert requests.post(snooze, timeout=10).status_code == 409
    assert len(owner.api.get(f"/api/tasks/{task['id']}").json()["reminders"]) == len(reminders)

    # Tomorrow 9:00 in the task's zone.
    assert requests.post(local(srv, found["Tomorrow 9:00"]), timeout=10).status_code == 200
    tomorrow = (datetime.now(ZoneInfo(zone)) + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    ats = [parse_ms(r["at"]) for r in owner.api.get(f"/api/tasks/{task['id']}").json()["reminders"] if r.get("at")]
    assert int(tomorrow.timestamp() * 1000) in ats, (ats, tomorrow)

    # Done: a tampered link is refused; GET changes nothing; POST completes, through the API path.
    done = local(srv, found["Done"])
    token = done.rsplit("/", 1)[1]
    assert requests.post(done[: -len(token)] + token[:-3] + "AAA", timeout=10).status_code == 403
    assert requests.get(done, timeout=10).status_code == 200
    assert owner.api.get(f"/api/tasks/{task['id']}").json()["status"] == "pending"
    resp = requests.post(done, timeout=10)
    assert resp.status_code == 200, resp.text
    assert owner.api.get(f"/api/tasks/{task['id']}").json()["status"] == "completed"
    assert requests.post(done, timeout=10).status_code == 409
    entries = wait_until(lambda: [e for e in history(owner.api, task["id"]) if "completed" in e["type"]],
                         what="the completion in the audit history")
    assert entries[0]["actor"] == "email link", entries

    # One mail for the one reminder.
    assert len([m for m in mailpit.to(address) if m["Subject"].startswith("Reminder:")]) == 1


def test_starttls_with_a_private_ca(server_factory, tmp_path):
    ca, cert, key = make_test_ca(tmp_path / "ca")
    mp = Mailpit(tmp_path / "mailpit-tls", ["--smtp-tls-cert", str(cert), "--smtp-tls-key", str(key),
                                            "--smtp-require-starttls"]).start()
    try:
        trusting = email_server(server_factory, mp, "--outbound-ca-file", str(ca), "--smtp-require-tls")
        owner = signup(trusting.base_url)
        address = unique_email("tls")
        assert owner.api.put("/api/me/channels/email", json={"address": address}).status_code == 202
        mp.wait_for(to=address, subject="Confirm")

        # Without the CA the server's certificate is refused, and nothing is sent.
        untrusting = email_server(server_factory, mp, "--smtp-require-tls")
        other = signup(untrusting.base_url)
        lost = unique_email("untrusted")
        assert_error(other.api.put("/api/me/channels/email", json={"address": lost}), 503)
        assert mp.to(lost) == []
    finally:
        mp.stop()


def test_smtp_down_for_a_while_then_the_mail_arrives_once(server_factory, mailpit):
    srv = email_server(server_factory, mailpit)
    owner = signup(srv.base_url)
    address = unique_email("down")
    confirm_address(srv, owner, mailpit, address)
    mailpit.stop()
    title = "While the mail server is down " + unique_word()
    reminder_task(owner, title, "Europe/Paris", lead_ms=300)
    wait_until(lambda: owner.api.get("/api/notifications").json()["items"], what="the reminder fired")
    time.sleep(3)  # at least one attempt failed meanwhile
    mailpit.start(keep_ports=True)
    mailpit.wait_for(to=address, subject=title, timeout=40)
    time.sleep(3)
    assert len([m for m in mailpit.to(address) if title in m["Subject"]]) == 1
