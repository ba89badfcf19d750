"""Personal API tokens (POST/GET/DELETE /api/tokens): made and managed by the web session only,
shown once, never listed, stored hashed; accepted as Bearer with their scopes enforced (403
insufficient_scope); another user's token sees nothing; the audit trail names the token.
Revocation, expiry, disabled accounts and WebSockets: test_api_tokens_revocation.py."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from helpers import assert_error, create_task, describe, signup

TOKEN_KEYS = {"id", "name", "prefix", "scopes", "created_at", "expires_at", "last_used_at"}
READ = ["tasks:read"]
READ_WRITE = ["tasks:read", "tasks:write"]


def make_token(api, name="script", scopes=None, **extra) -> dict:
    resp = api.post("/api/tokens", json={"name": name, "scopes": scopes or READ_WRITE, **extra})
    assert resp.status_code == 201, describe(resp)
    return resp.json()


def bearer(server, token: str):
    return server.client(token)


def test_a_token_is_made_shown_once_and_listed_without_its_secret(server, user):
    made = make_token(user.api, name="  Laptop script ", scopes=READ)
    assert set(made) == TOKEN_KEYS | {"token"}, made
    secret = made["token"]
    assert secret.startswith("tkl_pat_") and len(secret) >= len("tkl_pat_") + 43, secret
    assert made["prefix"] == secret[:12]
    assert made["name"] == "Laptop script"
    assert made["scopes"] == READ
    assert made["expires_at"] is None and made["last_used_at"] is None

    listed = user.api.get("/api/tokens")
    assert listed.status_code == 200, describe(listed)
    assert secret not in listed.text and secret[12:] not in listed.text
    items = listed.json()["items"]
    assert [t["id"] for t in items] == [made["id"]]
    assert set(items[0]) == TOKEN_KEYS
    assert items[0]["prefix"] == made["prefix"] and items[0]["created_at"] == made["created_at"]

    second = make_token(user.api, name="Laptop script")
    assert second["token"] != secret
    assert [t["id"] for t in user.api.get("/api/tokens").json()["items"]] == [made["id"], second["id"]]


def test_deleting_a_token_is_204_then_404(server, user):
    made = make_token(user.api)
    resp = user.api.delete(f"/api/tokens/{made['id']}")
    assert resp.status_code == 204, describe(resp)
    assert user.api.get("/api/tokens").json()["items"] == []
    assert_error(user.api.delete(f"/api/tokens/{made['id']}"), 404, "not_found")
    for bad in ("0", "-1", "abc", "99999999999999999999"):
        assert_error(user.api.delete(f"/api/tokens/{bad}"), 404, "not_found")


def test_a_token_works_as_bearer_and_its_last_use_is_listed(server, user):
    made = make_token(user.api)
    client = bearer(server, made["token"])
    task = create_task(client, title="made with a token")
    resp = client.get(f"/api/tasks/{task['id']}")
    assert resp.status_code == 200, describe(resp)
    listed = user.api.get("/api/tokens").json()["items"]
    assert listed[0]["last_used_at"] is not None
    assert listed[0]["last_used_at"] >= made["created_at"]


def test_me_with_a_token_says_which_credential(server, user):
    made = make_token(user.api, name="CI", scopes=["tasks:write"])  # write implies read
    assert made["scopes"] == READ_WRITE
    me = bearer(server, made["token"]).get("/api/me")
    assert me.status_code == 200, describe(me)
    body = me.json()
    assert body["id"] == user.id
    assert body["credential"] == {"kind": "personal_token", "name": "CI", "scopes": READ_WRITE,
                                  "actor": "token:CI"}
    assert "credential" not in user.api.get("/api/me").json()


WRITES = [
    ("POST", "/api/tasks", {"title": "x"}),
    ("PATCH", "/api/tasks/{id}", {"title": "y"}),
    ("DELETE", "/api/tasks/{id}", None),
    ("POST", "/api/tasks/{id}/complete", None),
    ("POST", "/api/tasks/{id}/reopen", None),
]


@pytest.mark.parametrize("method,path,body", WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_a_read_only_token_reads_but_gets_403_insufficient_scope_on_writes(server, user, method, path, body):
    task = create_task(user.api)
    reader = bearer(server, make_token(user.api, scopes=READ)["token"])
    for read in ("/api/tasks", f"/api/tasks/{task['id']}", "/api/tags", "/api/me"):
        assert reader.get(read).status_code == 200, describe(reader.get(read))
    resp = reader.request(method, path.format(id=task["id"]), json=body)
    assert_error(resp, 403, "insufficient_scope")
    challenge = resp.headers.get("WWW-Authenticate", "")
    assert 'error="insufficient_scope"' in challenge and "tasks:write" in challenge, challenge
    assert user.api.get(f"/api/tasks/{task['id']}").json()["version"] == task["version"]


ACCOUNT_ROUTES = [
    ("GET", "/api/tokens", None),
    ("POST", "/api/tokens", {"name": "stronger", "scopes": READ_WRITE}),
    ("DELETE", "/api/tokens/{token_id}", None),
    ("POST", "/api/me/password", {"current_password": "x", "new_password": "another long password"}),
    ("DELETE", "/api/me", {"password": "x"}),
]


@pytest.mark.parametrize("method,path,body", ACCOUNT_ROUTES, ids=[f"{m} {p}" for m, p, _ in ACCOUNT_ROUTES])
def test_a_token_cannot_manage_tokens_or_the_account(server, user, method, path, body):
    made = make_token(user.api, scopes=READ_WRITE)
    resp = bearer(server, made["token"]).request(method, path.format(token_id=made["id"]), json=body)
    assert_error(resp, 403, "insufficient_scope")
    # Nothing changed: still one token, still the same password, still an account.
    assert [t["id"] for t in user.api.get("/api/tokens").json()["items"]] == [made["id"]]
    assert user.api.get("/api/me").status_code == 200


def test_another_users_token_sees_nothing_of_mine(server, make_user):
    alice, bob = make_user(), make_user()
    task = create_task(alice.api, title="alice's secret plan")
    alice_token = make_token(alice.api)
    bob_token = make_token(bob.api)
    bob_client = bearer(server, bob_token["token"])
    assert bob_client.get("/api/me").json()["id"] == bob.id
    assert_error(bob_client.get(f"/api/tasks/{task['id']}"), 404)
    assert_error(bob_client.patch(f"/api/tasks/{task['id']}", json={"title": "mine"}), 404)
    assert_error(bob_client.get(f"/api/tasks/{task['id']}/history"), 404)
    assert all(t["id"] != task["id"] for t in bob_client.get("/api/tasks").json()["items"])
    assert bob_client.get("/api/tags").json()["items"] == []
    # Bob's session can neither list nor delete Alice's token.
    assert [t["id"] for t in bob.api.get("/api/tokens").json()["items"]] == [bob_token["id"]]
    assert_error(bob.api.delete(f"/api/tokens/{alice_token['id']}"), 404, "not_found")
    assert bearer(server, alice_token["token"]).get("/api/me").status_code == 200


def test_the_audit_trail_names_the_token(server, user):
    client = bearer(server, make_token(user.api, name="Nightly import")["token"])
    task = create_task(client)
    resp = client.post(f"/api/tasks/{task['id']}/complete")
    assert resp.status_code == 200, describe(resp)
    history = user.api.get(f"/api/tasks/{task['id']}/history")
    assert history.status_code == 200, describe(history)
    assert [e["actor"] for e in history.json()["items"]] == ["token:Nightly import"] * 2
    # The session still acts as the user.
    user.api.post(f"/api/tasks/{task['id']}/reopen")
    actors = [e["actor"] for e in user.api.get(f"/api/tasks/{task['id']}/history").json()["items"]]
    assert actors[-1] == f"user:{user.id}"


BAD_BODIES = {
    "no-name": ({"scopes": READ}, "name"),
    "empty-name": ({"name": "   ", "scopes": READ}, "name"),
    "long-name": ({"name": "x" * 101, "scopes": READ}, "name"),
    "control-in-name": ({"name": "a\u0007b", "scopes": READ}, "name"),
    "name-not-string": ({"name": 7, "scopes": READ}, "name"),
    "no-scopes": ({"name": "n"}, "scopes"),
    "empty-scopes": ({"name": "n", "scopes": []}, "scopes"),
    "unknown-scope": ({"name": "n", "scopes": ["tasks:read", "account"]}, "scopes"),
    "scopes-not-list": ({"name": "n", "scopes": "tasks:read"}, "scopes"),
    "scope-not-string": ({"name": "n", "scopes": [1]}, "scopes"),
    "zero-days": ({"name": "n", "scopes": READ, "expires_in_days": 0}, "expires_in_days"),
    "too-many-days": ({"name": "n", "scopes": READ, "expires_in_days": 3651}, "expires_in_days"),
    "huge-days": ({"name": "n", "scopes": READ, "expires_in_days": 2 ** 70}, "expires_in_days"),
    "days-as-string": ({"name": "n", "scopes": READ, "expires_in_days": "30"}, "expires_in_days"),
    "fractional-days": ({"name": "n", "scopes": READ, "expires_in_days": 1.5}, "expires_in_days"),
    "unknown-field": ({"name": "n", "scopes": READ, "token": "tkl_pat_mine"}, "token"),
}


@pytest.mark.parametrize("kind", list(BAD_BODIES))
def test_bad_token_requests_are_422_naming_the_field(user, kind):
    body, field = BAD_BODIES[kind]
    err = assert_error(user.api.post("/api/tokens", json=body), 422, "validation_failed")
    assert err["details"].get("field") == field, err
    assert user.api.get("/api/tokens").json()["items"] == []


def test_bad_token_request_bodies_are_4xx(user):
    assert_error(user.api.post("/api/tokens", data="not json",
                               headers={"Content-Type": "application/json"}), 400, "invalid_json")
    assert_error(user.api.post("/api/tokens", json=["name"]), 400, "invalid_json")
    assert_error(user.api.post("/api/tokens", data="x", headers={"Content-Type": "text/plain"}), 415)
    assert_error(user.api.put("/api/tokens", json={}), 405)


def test_expiry_bounds_are_accepted(user):
    one = make_token(user.api, expires_in_days=1)
    most = make_token(user.api, expires_in_days=3650)
    never = make_token(user.api, expires_in_days=None)
    assert one["expires_at"] > one["created_at"] and most["expires_at"] > one["expires_at"]
    assert never["expires_at"] is None


def test_a_user_holds_at_most_100_tokens(server):
    u = signup(server.base_url)
    for i in range(100):
        make_token(u.api, name=f"t{i}")
    err = assert_error(u.api.post("/api/tokens", json={"name": "one too many", "scopes": READ}), 409,
                       "too_many_tokens")
    assert err["details"].get("max") == 100
    first = u.api.get("/api/tokens").json()["items"][0]
    assert u.api.delete(f"/api/tokens/{first['id']}").status_code == 204
    make_token(u.api, name="fits again")


def test_tokens_need_a_session(anon):
    for method, path in (("GET", "/api/tokens"), ("POST", "/api/tokens"), ("DELETE", "/api/tokens/1")):
        assert_error(anon.request(method, path, json={}), 401, "unauthorized")


@pytest.mark.parametrize("bad", ["tkl_pat_", "tkl_pat_short", "tkl_pat_" + "A" * 43, "tkl_pat_" + "!" * 43,
                                 "tkl_pat_" + "A" * 400, "tkl_oat_" + "A" * 43, "tkl_" + "A" * 43])
def test_unknown_or_malformed_tokens_are_401(anon, bad):
    assert_error(anon.get("/api/me", headers={"Authorization": f"Bearer {bad}"}), 401)


def test_only_the_hash_of_a_token_is_stored(server_factory):
    srv = server_factory()
    u = signup(srv.base_url)
    made = make_token(u.api, name="hashed")
    secret = made["token"]
    assert srv.client(secret).get("/api/tasks").status_code == 200
    srv.stop()
    stored = b"".join(p.read_bytes() for p in srv.data_dir.iterdir() if p.name.startswith("tickler.db"))
    assert secret.encode() not in stored and secret[12:].encode() not in stored
    con = sqlite3.connect(srv.data_dir / "tickler.db")
    try:
        rows = con.execute("SELECT token_hash, prefix FROM api_tokens").fetchall()
    finally:
        con.close()
    assert rows == [(hashlib.sha256(secret.encode()).hexdigest(), secret[:12])]
    assert secret not in srv.log_tail(10**7)
