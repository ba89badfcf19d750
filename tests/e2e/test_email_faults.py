"""Email under faults, against a real Mailpit (tools/mailpit) behind an SMTP proxy of the test's
(mail_support.SmtpProxy):

- kill -9 of the delivering process in the middle of a batch of mails, restart on the same data:
  no reminder is lost, and none is mailed more often than SMTP allows — once, or twice under the
  same Message-ID when the server had accepted it just before the kill (the notifier died between
  the server's answer and the record; docs/notifications.md), which can happen to at most one mail
  per user (a user's mails go one at a time);
- a hostile user whose recipient the SMTP server holds up and whose webhooks hang does not delay
  a normal user's mail and webhook: their lateness is measured against a bound."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import pytest
import requests

from conftest import LOOPBACK_DESTINATIONS
from e2e_support import assert_still_before, iso_ms, now_ms, wait_until
from helpers import create_task, describe, signup, unique_email, unique_word
from mail_support import Mailpit, SmtpProxy, links
from webhook_receivers import BlackHole, Receiver

PUBLIC_URL = "https://tickler.example"


@pytest.fixture
def mailpit(tmp_path):
    mp = Mailpit(tmp_path / "mailpit").start()
    yield mp
    mp.stop()


def mail_server(server_factory, smtp_url: str, *extra, data_dir=None):
    return server_factory(data_dir=data_dir, extra_args=(
        "--smtp-url", smtp_url, "--public-url", PUBLIC_URL, "--smtp-from", "Tickler <tickler@example.com>",
        *extra))


def confirm(srv, owner, mp: Mailpit, address: str) -> None:
    assert owner.api.put("/api/me/channels/email", json={"address": address}).status_code == 202
    url = links(mp.wait_for(to=address, subject="Confirm"))["Confirm this address"]
    resp = requests.post(srv.base_url + url[len(PUBLIC_URL):], timeout=10)
    assert resp.status_code == 200, resp.text


def created_ms(message: dict) -> int:
    """When Mailpit stored a message (the end of its SMTP DATA), Unix milliseconds."""
    return round(datetime.fromisoformat(message["Created"].replace("Z", "+00:00")).timestamp() * 1000)


def reminder_mails(mp: Mailpit, word: str) -> list[dict]:
    return [m for m in mp.messages() if word in m.get("Subject", "")]


USERS, PER_USER = 3, 10


@pytest.mark.slow
def test_kill_9_mid_batch_of_mails_loses_none_and_doubles_at_most_the_ones_in_flight(server_factory, mailpit):
    # Every SMTP answer 50 ms late: a mail takes a few hundred ms, a user's ten about three seconds.
    proxy = SmtpProxy(mailpit.smtp_port, delay=0.05)
    # A short lease (and SMTP timeout under it), so the restarted notifier takes over soon.
    args = ("--smtp-timeout", "2", "--webhook-timeout-ms", "2000", "--delivery-lease", "4")
    try:
        srv = mail_server(server_factory, proxy.smtp_url, *args)
        word = unique_word("batch")
        users = []
        for _ in range(USERS):
            user = signup(srv.base_url)
            confirm(srv, user, mailpit, unique_email("batch"))
            users.append(user)
        due_ms = now_ms() + 3000
        for user in users:
            for i in range(PER_USER):
                create_task(user.api, title=f"{word} {i}", reminders=[{"at": iso_ms(due_ms)}])
        assert_still_before(due_ms, f"creating {USERS * PER_USER} reminders")
        total = USERS * PER_USER

        # Killed once a few mails are in: the rest of the batch is queued or on its way.
        wait_until(lambda: len(reminder_mails(mailpit, word)) >= 2 * USERS, timeout=20,
                   what="the first mails of the batch")
        srv.kill()
        at_kill = len(reminder_mails(mailpit, word))
        assert at_kill < total, "the batch was done before the kill: the test proves nothing"

        srv = mail_server(server_factory, proxy.smtp_url, *args, data_dir=srv.data_dir)
        for user in users:
            user.api.base_url = srv.base_url  # same data, same JWT secret: the tokens still hold
        expected = set()
        for user in users:
            items = user.api.get("/api/notifications", params={"limit": 100}).json()["items"]
            ours = [n for n in items if word in n["title"]]
            assert len(ours) == PER_USER, ours
            expected |= {f"{n['reminder_id']}.email@tickler.example" for n in ours}

        def every_one_arrived():
            seen = {m["MessageID"] for m in reminder_mails(mailpit, word)}
            return expected <= seen
        wait_until(every_one_arrived, timeout=40, what="every reminder's mail after the restart")
        wait_until(lambda: all(d["state"] == "sent" for u in users
                               for n in u.api.get("/api/notifications", params={"limit": 100}).json()["items"]
                               if word in n["title"] for d in n["deliveries"] if d["channel"] == "email"),
                   timeout=20, what="every email delivery recorded as sent")

        per_id = Counter(m["MessageID"] for m in reminder_mails(mailpit, word))
        assert set(per_id) == expected, f"unexpected Message-IDs: {set(per_id) ^ expected}"
        # SMTP's bound: a mail is mailed again only under its own Message-ID (one more count of
        # it), only if it was on its way at the kill: one per user at most, none twice more.
        doubled = {k: n for k, n in per_id.items() if n > 1}
        assert all(n == 2 for n in doubled.values()), f"mailed more than twice: {doubled}"
        assert len(doubled) <= USERS, f"{len(doubled)} mails doubled, more than the {USERS} in flight: {doubled}"
        assert sum(per_id.values()) == total + len(doubled)
        print(f"{at_kill} of {total} mails in at the kill; after the restart {len(doubled)} doubled")
        assert srv.stop() == 0, srv.log_tail()
    finally:
        proxy.close()


@pytest.mark.slow
def test_a_hostile_users_held_up_recipient_and_hanging_webhooks_do_not_delay_another_user(server_factory, mailpit):
    proxy = SmtpProxy(mailpit.smtp_port)
    hole, healthy = BlackHole(), Receiver(statuses=(200,))
    try:
        srv = mail_server(server_factory, proxy.smtp_url, *LOOPBACK_DESTINATIONS)
        hostile, normal = signup(srv.base_url), signup(srv.base_url)
        hostile_address, normal_address = unique_email("hostile"), unique_email("normal")
        confirm(srv, hostile, mailpit, hostile_address)
        confirm(srv, normal, mailpit, normal_address)
        # From now on the server holds every session that names the hostile recipient (its
        # attempts end at the SMTP timeout, 30 s), and the hostile webhooks never answer.
        proxy.stall = re.compile(re.escape(hostile_address))
        assert hostile.api.put("/api/me/webhook", json={"url": hole.url}).status_code == 200
        for _ in range(2):
            resp = hostile.api.post("/api/me/channels/webhooks", json={"url": hole.url})
            assert resp.status_code == 201, describe(resp)
        assert normal.api.put("/api/me/webhook", json={"url": healthy.url}).status_code == 200

        word = unique_word("fair")
        due_ms = now_ms() + 4000
        for i in range(20):
            create_task(hostile.api, title=f"hostile {word} {i}", reminders=[{"at": iso_ms(due_ms)}])
        create_task(normal.api, title=f"normal {word}", reminders=[{"at": iso_ms(due_ms)}])
        assert_still_before(due_ms, "creating the 21 reminders")

        mail = wait_until(lambda: [m for m in mailpit.to(normal_address) if word in m["Subject"]],
                          timeout=15, what="the normal user's mail")[0]
        wait_until(lambda: healthy.requests, timeout=15, what="the normal user's webhook")
        mail_late, hook_late = created_ms(mail) - due_ms, healthy.requests[0]["at"] - due_ms
        print(f"normal user: mail {mail_late} ms, webhook {hook_late:.0f} ms after its time")
        assert 0 <= mail_late <= 1500, f"the normal user's mail came {mail_late} ms after its time"
        assert 0 <= hook_late <= 1500, f"the normal user's webhook came {hook_late:.0f} ms after its time"
        # The hostile user's deliveries were really held up (the test means something).
        wait_until(lambda: proxy.stalled >= 1 and hole.accepted, timeout=5, what="the hostile attempts held")
        assert not [m for m in mailpit.to(hostile_address) if word in m["Subject"]]
    finally:
        proxy.close()
        hole.close()
        healthy.close()
