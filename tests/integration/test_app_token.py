"""The routes only a sidecar may call (subscriptions, event delivery, job triggers, the cron
binding, the api's internal occurrence route) answer 401 without the app token, and work with it."""

from __future__ import annotations

import pytest

from helpers import Api, assert_error

SIDECAR_ONLY = [
    ("notifier", "GET", "/dapr/subscribe"),
    ("notifier", "POST", "/events/reminders/notifier"),
    ("notifier", "POST", "/job/some-reminder"),
    ("notifier", "POST", "/reminder-sweep"),
    ("auditor", "POST", "/events/task-events/auditor"),
    ("recurrer", "GET", "/dapr/subscribe"),
    ("realtime-1", "POST", "/events/task-updates/realtime"),
    ("api", "POST", "/internal/occurrences"),
    ("api", "POST", "/internal/digest"),
]


@pytest.mark.parametrize("service,method,path", SIDECAR_ONLY, ids=[f"{s}{p}" for s, _, p in SIDECAR_ONLY])
@pytest.mark.parametrize("token", [None, "wrong-token"], ids=["no-token", "wrong-token"])
def test_sidecar_routes_refuse_calls_without_the_app_token(stack, service, method, path, token):
    api = Api(stack.services[service].url)
    headers = {"dapr-api-token": token} if token else {}
    resp = api.request(method, path, json={}, headers=headers)
    assert_error(resp, 401, "unauthorized")


def test_subscriptions_are_listed_for_the_sidecar_with_dead_letter_topics(stack):
    api = Api(stack.services["notifier"].url)
    resp = api.get("/dapr/subscribe", headers={"dapr-api-token": stack.app_token})
    assert resp.status_code == 200, resp.text
    subs = resp.json()
    assert {"pubsubname": "tickler-pubsub", "topic": "reminders",
            "routes": {"default": "/events/reminders/notifier"},
            "deadLetterTopic": "reminders.dlq",
            "bulkSubscribe": {"enabled": True, "maxMessagesCount": 100, "maxAwaitDurationMs": 10}} in subs, subs


def test_the_sweep_runs_for_the_sidecar(stack):
    api = Api(stack.services["notifier"].url)
    resp = api.post("/reminder-sweep", json={}, headers={"dapr-api-token": stack.app_token})
    assert resp.status_code == 200 and isinstance(resp.json()["fired"], int), resp.text
