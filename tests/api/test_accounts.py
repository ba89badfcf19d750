"""Accounts of a public instance: password change (other tokens die), account deletion (the data
and every token go), sign-up modes (open, invite, closed) and the operator's `tickler user`
commands against the data directory of a running server."""

from __future__ import annotations

import subprocess
import time

import pytest

from helpers import (
    DEFAULT_PASSWORD, Api, assert_error, assert_user, assert_validation, create_task, describe, signup,
    unique_email,
)
from tickler_server import server_env

NEW_PASSWORD = "another correct horse battery"


def login(base_url: str, email: str, password: str):
    return Api(base_url).post("/api/auth/login", json={"email": email, "password": password})


def user_cli(binary, data_dir, *args):
    return subprocess.run([str(binary), "user", *args, "--data", str(data_dir)], env=server_env(),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)


def wait_status(api: Api, path: str, status: int, timeout: float = 5.0):
    """The response once it has `status` (changes made by another process take up to a second)."""
    deadline = time.monotonic() + timeout
    while True:
        resp = api.get(path)
        if resp.status_code == status or time.monotonic() > deadline:
            return resp
        time.sleep(0.1)


# --- POST /api/me/password ------------------------------------------------------------------

def test_password_change_revokes_every_other_token(server, make_user):
    u = make_user()
    second = login(server.base_url, u.email, u.password)
    assert second.status_code == 200, describe(second)
    other_session = server.client(second.json()["token"])
    task = create_task(u.api)

    resp = u.api.post("/api/me/password", json={"current_password": u.password, "new_password": NEW_PASSWORD})
    assert resp.status_code == 200, describe(resp)
    body = resp.json()
    assert set(body) == {"token", "user"}
    assert_user(body["user"])
    assert body["user"]["id"] == u.id
    fresh = server.client(body["token"])

    # Both earlier tokens (the caller's and the other session's) stop working at once.
    for old in (u.api, other_session):
        assert_error(old.get("/api/tasks"), 401, "token_revoked")
    assert fresh.get(f"/api/tasks/{task['id']}").status_code == 200
    assert_error(login(server.base_url, u.email, u.password), 401, "unauthorized")
    assert login(server.base_url, u.email, NEW_PASSWORD).status_code == 200


def test_password_change_needs_the_current_password(server, make_user):
    u = make_user()
    wrong = u.api.post("/api/me/password", json={"current_password": "not the password", "new_password": NEW_PASSWORD})
    err = assert_error(wrong, 403, "wrong_password")
    assert err["details"].get("field") == "current_password"
    # Nothing changed: the token still works, the old password still logs in.
    assert u.api.get("/api/me").status_code == 200
    assert login(server.base_url, u.email, u.password).status_code == 200


@pytest.mark.parametrize("body,field", [
    ({"new_password": NEW_PASSWORD}, "current_password"),
    ({"current_password": DEFAULT_PASSWORD}, "new_password"),
    ({"current_password": DEFAULT_PASSWORD, "new_password": "short"}, "new_password"),
    ({"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD, "x": 1}, "x"),
], ids=["no-current", "no-new", "new-too-short", "unknown-field"])
def test_password_change_validation(user, body, field):
    assert_validation(user.api.post("/api/me/password", json=body), field)


def test_password_change_is_limited_like_logins(server, make_user):
    u = make_user()
    for i in range(10):
        wrong = u.api.post("/api/me/password", json={"current_password": f"wrong-{i}-pw", "new_password": NEW_PASSWORD})
        assert_error(wrong, 403, "wrong_password")
    limited = u.api.post("/api/me/password", json={"current_password": u.password, "new_password": NEW_PASSWORD})
    assert_error(limited, 429, "too_many_requests")
    assert limited.headers.get("Retry-After", "").isdigit(), describe(limited)


def test_password_change_needs_a_token(anon):
    assert_error(anon.post("/api/me/password", json={"current_password": "a", "new_password": "b"}), 401)


# --- DELETE /api/me -------------------------------------------------------------------------

def test_deleting_the_account_removes_its_data_and_every_token(server, make_user):
    u, other = make_user(), make_user()
    second = server.client(login(server.base_url, u.email, u.password).json()["token"])
    task = create_task(u.api, tags=["gone"], due_at="2031-01-01T08:00:00Z", reminders=[{"before_minutes": 5}])
    kept = create_task(other.api, tags=["kept"])

    wrong = u.api.delete("/api/me", json={"password": "not the password"})
    assert_error(wrong, 403, "wrong_password")
    assert u.api.get(f"/api/tasks/{task['id']}").status_code == 200

    resp = u.api.delete("/api/me", json={"password": u.password})
    assert resp.status_code == 204, describe(resp)

    for api in (u.api, second):
        assert_error(api.get("/api/tasks"), 401)
        assert_error(api.get("/api/me"), 401)
        # Formerly a 500 (FOREIGN KEY): the token of a deleted user is refused, never half-used.
        assert_error(api.post("/api/tasks", json={"title": "after deletion"}), 401)
        assert_error(api.get("/api/tags"), 401)
    assert_error(login(server.base_url, u.email, u.password), 401, "unauthorized")

    # The other user keeps everything; the email can sign up again, as a new, empty account.
    assert other.api.get(f"/api/tasks/{kept['id']}").status_code == 200
    again = signup(server.base_url, email=u.email)
    assert again.id != u.id
    assert again.api.get("/api/tasks").json()["items"] == []
    tags = again.api.get("/api/tags")
    assert tags.status_code == 200 and "gone" not in tags.text, describe(tags)
    assert_error(again.api.get(f"/api/tasks/{task['id']}"), 404)


def test_deleting_the_account_needs_the_password_field(user):
    assert_validation(user.api.delete("/api/me", json={}), "password")
    assert_error(user.api.delete("/api/me"), 400)
    assert user.api.get("/api/me").status_code == 200


# --- sign-up modes and tickler user ---------------------------------------------------------

def test_closed_signup_refuses_everyone(server_factory):
    srv = server_factory(extra_args=["--signup", "closed"])
    resp = srv.client().post("/api/auth/signup", json={"email": unique_email(), "password": DEFAULT_PASSWORD})
    assert_error(resp, 403, "signup_closed")


def test_signup_mode_from_the_environment(server_factory):
    srv = server_factory(env_extra={"TICKLER_SIGNUP": "closed"})
    resp = srv.client().post("/api/auth/signup", json={"email": unique_email(), "password": DEFAULT_PASSWORD})
    assert_error(resp, 403, "signup_closed")


def test_invite_signup_takes_a_one_time_code(tickler_bin, server_factory):
    srv = server_factory(extra_args=["--signup", "invite"])
    anon = srv.client()
    body = {"email": unique_email(), "password": DEFAULT_PASSWORD}
    err = assert_error(anon.post("/api/auth/signup", json=body), 403, "invite_required")
    assert err["details"].get("field") == "invite_code"
    assert_error(anon.post("/api/auth/signup", json={**body, "invite_code": "made-up"}), 403, "invite_invalid")

    made = user_cli(tickler_bin, srv.data_dir, "invite", "--expires-in-days", "2")
    assert made.returncode == 0, made.stdout + made.stderr
    code = made.stdout.strip()
    assert code and " " not in code, made.stdout

    ok = anon.post("/api/auth/signup", json={**body, "invite_code": code})
    assert ok.status_code == 201, describe(ok)
    # Single use.
    again = anon.post("/api/auth/signup", json={"email": unique_email(), "password": DEFAULT_PASSWORD,
                                                "invite_code": code})
    assert_error(again, 403, "invite_invalid")
    # A refused sign-up (email taken) does not use up a code.
    second = user_cli(tickler_bin, srv.data_dir, "invite").stdout.strip()
    taken = anon.post("/api/auth/signup", json={**body, "invite_code": second})
    assert_error(taken, 409, "email_taken")
    fresh = anon.post("/api/auth/signup", json={"email": unique_email(), "password": DEFAULT_PASSWORD,
                                                "invite_code": second})
    assert fresh.status_code == 201, describe(fresh)


def test_signup_rejects_a_bad_mode(tickler_bin, tmp_path):
    proc = subprocess.run([str(tickler_bin), "serve", "--data", str(tmp_path), "--signup", "sometimes"],
                          env=server_env(), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0
    assert "signup" in (proc.stdout + proc.stderr)


def test_user_commands_list_disable_enable_reset_delete(tickler_bin, server_factory):
    srv = server_factory()
    u = signup(srv.base_url, name="Listed")
    other = signup(srv.base_url)

    listed = user_cli(tickler_bin, srv.data_dir, "list")
    assert listed.returncode == 0, listed.stderr
    assert u.email in listed.stdout and other.email in listed.stdout and "Listed" in listed.stdout
    assert "$argon2" not in listed.stdout

    disabled = user_cli(tickler_bin, srv.data_dir, "disable", u.email)
    assert disabled.returncode == 0, disabled.stderr
    assert "disabled" in disabled.stdout
    assert_error(wait_status(u.api, "/api/me", 401), 401, "account_disabled")
    assert_error(login(srv.base_url, u.email, u.password), 403, "account_disabled")
    assert other.api.get("/api/me").status_code == 200

    enabled = user_cli(tickler_bin, srv.data_dir, "enable", str(u.id))
    assert enabled.returncode == 0, enabled.stderr
    relogged = login(srv.base_url, u.email, u.password)
    assert relogged.status_code == 200, describe(relogged)
    # The tokens revoked by disabling stay revoked.
    assert_error(u.api.get("/api/me"), 401)
    session = srv.client(relogged.json()["token"])

    reset = user_cli(tickler_bin, srv.data_dir, "reset-password", u.email)
    assert reset.returncode == 0, reset.stderr
    new_password = reset.stdout.split("new password:")[1].strip()
    assert_error(wait_status(session, "/api/me", 401), 401, "token_revoked")
    assert login(srv.base_url, u.email, new_password).status_code == 200

    deleted = user_cli(tickler_bin, srv.data_dir, "delete", u.email)
    assert deleted.returncode == 0, deleted.stderr
    assert_error(login(srv.base_url, u.email, new_password), 401)
    listed = user_cli(tickler_bin, srv.data_dir, "list")
    assert u.email not in listed.stdout and other.email in listed.stdout

    missing = user_cli(tickler_bin, srv.data_dir, "disable", "nobody@example.com")
    assert missing.returncode == 2 and "no user" in missing.stderr


def test_user_commands_refuse_a_directory_without_a_database(tickler_bin, tmp_path):
    proc = user_cli(tickler_bin, tmp_path / "nothing-here", "list")
    assert proc.returncode == 2 and "no Tickler database" in proc.stderr


def test_with_no_user_cache_another_process_revokes_at_once(tickler_bin, server_factory):
    srv = server_factory(extra_args=["--user-cache-ms", "0"])
    u = signup(srv.base_url)
    assert u.api.get("/api/me").status_code == 200
    assert user_cli(tickler_bin, srv.data_dir, "disable", u.email).returncode == 0
    assert_error(u.api.get("/api/me"), 401, "account_disabled")
