"""Signup, login (incl. the failed-login limit) and /api/me."""

import hashlib
import hmac
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import (
    DEFAULT_PASSWORD, TEST_SECRET, assert_error, assert_user, assert_validation, b64url, b64url_decode,
    describe, unique_email,
)


def test_signup_returns_token_and_user(anon):
    email = unique_email("ann")
    resp = anon.post("/api/auth/signup", json={"email": email, "password": DEFAULT_PASSWORD, "name": "Ann"})
    assert resp.status_code == 201, describe(resp)
    body = resp.json()
    assert set(body) >= {"token", "user"}
    assert_user(body["user"])
    assert body["user"]["email"] == email
    assert body["user"]["name"] == "Ann"
    assert isinstance(body["token"], str) and body["token"].count(".") == 2
    assert DEFAULT_PASSWORD not in resp.text and "argon2" not in resp.text.lower()


def test_signup_token_is_hs256_with_documented_claims(anon):
    resp = anon.post("/api/auth/signup", json={"email": unique_email(), "password": DEFAULT_PASSWORD})
    assert resp.status_code == 201, describe(resp)
    token, user = resp.json()["token"], resp.json()["user"]
    header_b64, payload_b64, _sig = token.split(".")
    header = json.loads(b64url_decode(header_b64))
    claims = json.loads(b64url_decode(payload_b64))
    assert header["alg"] == "HS256"
    assert claims["sub"] == str(user["id"])
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int)
    assert claims["exp"] > claims["iat"]
    # Signed with the secret the server was given: the tokens the tests forge are then meaningful.
    signing_input, signature = token.rsplit(".", 1)
    expected = hmac.new(TEST_SECRET.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()
    assert b64url(expected) == signature


def test_signup_name_is_optional(anon):
    resp = anon.post("/api/auth/signup", json={"email": unique_email(), "password": DEFAULT_PASSWORD})
    assert resp.status_code == 201, describe(resp)
    assert_user(resp.json()["user"])


def test_signup_duplicate_email_is_409(anon, user):
    resp = anon.post("/api/auth/signup", json={"email": user.email, "password": "another password"})
    assert_error(resp, 409, "email_taken")


def test_email_is_case_insensitive(anon):
    local = f"Mixed.Case-{uuid.uuid4().hex[:10]}"
    email = f"{local}@Example.COM"
    first = anon.post("/api/auth/signup", json={"email": email, "password": DEFAULT_PASSWORD})
    assert first.status_code == 201, describe(first)
    assert first.json()["user"]["email"].lower() == email.lower()

    dup = anon.post("/api/auth/signup", json={"email": email.lower(), "password": DEFAULT_PASSWORD})
    assert_error(dup, 409, "email_taken")
    dup_upper = anon.post("/api/auth/signup", json={"email": email.upper(), "password": DEFAULT_PASSWORD})
    assert_error(dup_upper, 409, "email_taken")

    login = anon.post("/api/auth/login", json={"email": email.upper(), "password": DEFAULT_PASSWORD})
    assert login.status_code == 200, describe(login)
    assert login.json()["user"]["id"] == first.json()["user"]["id"]


@pytest.mark.parametrize("password,ok", [
    ("x" * 7, False), ("x" * 8, True), ("x" * 128, True), ("x" * 129, False),
])
def test_signup_password_length(anon, password, ok):
    resp = anon.post("/api/auth/signup", json={"email": unique_email(), "password": password})
    if ok:
        assert resp.status_code == 201, describe(resp)
    else:
        assert_validation(resp, "password")


@pytest.mark.parametrize("name,ok", [("n" * 100, True), ("n" * 101, False), (5, False)])
def test_signup_name_limits(anon, name, ok):
    resp = anon.post("/api/auth/signup", json={"email": unique_email(), "password": DEFAULT_PASSWORD, "name": name})
    if ok:
        assert resp.status_code == 201, describe(resp)
        assert resp.json()["user"]["name"] == name
    else:
        assert_validation(resp, "name")


@pytest.mark.parametrize("body,field", [
    ({"password": DEFAULT_PASSWORD}, "email"),
    ({"email": 5, "password": DEFAULT_PASSWORD}, "email"),
    ({"email": "not-an-email", "password": DEFAULT_PASSWORD}, "email"),
    ({"email": "x@example.com"}, "password"),
    ({"email": "x@example.com", "password": 12345678}, "password"),
    ({"email": "x@example.com", "password": DEFAULT_PASSWORD, "role": "admin"}, "role"),
], ids=["missing-email", "email-number", "email-malformed", "missing-password", "password-number",
        "unknown-field"])
def test_signup_validation(anon, body, field):
    assert_validation(anon.post("/api/auth/signup", json=body), field)


def test_login_returns_token_that_works(anon, user):
    resp = anon.post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert resp.status_code == 200, describe(resp)
    body = resp.json()
    assert_user(body["user"])
    assert body["user"]["id"] == user.id
    me = anon.get("/api/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200, describe(me)
    assert me.json()["id"] == user.id


def test_login_failures_are_indistinguishable(anon, user):
    wrong_pw = anon.post("/api/auth/login", json={"email": user.email, "password": "wrong password!"})
    unknown = anon.post("/api/auth/login", json={"email": unique_email("nobody"), "password": "wrong password!"})
    err1 = assert_error(wrong_pw, 401, "unauthorized")
    err2 = assert_error(unknown, 401, "unauthorized")
    assert err1["message"] == err2["message"]


@pytest.mark.parametrize("body,field", [
    ({"email": "x@example.com"}, "password"),
    ({"password": DEFAULT_PASSWORD}, "email"),
    ({"email": ["x@example.com"], "password": DEFAULT_PASSWORD}, "email"),
    ({"email": "x@example.com", "password": DEFAULT_PASSWORD, "remember": True}, "remember"),
], ids=["missing-password", "missing-email", "email-list", "unknown-field"])
def test_login_validation(anon, body, field):
    assert_validation(anon.post("/api/auth/login", json=body), field)


def test_login_is_limited_after_ten_failures(anon, make_user):
    victim = make_user()
    other = make_user()
    for attempt in range(1, 11):
        resp = anon.post("/api/auth/login", json={"email": victim.email, "password": f"wrong-{attempt}-pw"})
        assert_error(resp, 401, "unauthorized")

    limited = anon.post("/api/auth/login", json={"email": victim.email, "password": "wrong-11-pw"})
    assert_error(limited, 429, "too_many_requests")
    retry_after = limited.headers.get("Retry-After")
    assert retry_after is not None and retry_after.strip().isdigit(), describe(limited)
    assert 1 <= int(retry_after) <= 300, retry_after

    # While limited, even the right password is refused: otherwise the limit would not stop guessing.
    right = anon.post("/api/auth/login", json={"email": victim.email, "password": victim.password})
    assert_error(right, 429, "too_many_requests")
    assert right.headers.get("Retry-After"), describe(right)

    # The limit is per IP + email: another account from the same IP still logs in.
    ok = anon.post("/api/auth/login", json={"email": other.email, "password": other.password})
    assert ok.status_code == 200, describe(ok)
    # And the victim's existing token keeps working: the limit is on logins, not on the account.
    assert victim.api.get("/api/me").status_code == 200


def test_me_returns_the_signed_up_user(user):
    resp = user.api.get("/api/me")
    assert resp.status_code == 200, describe(resp)
    me = resp.json()
    assert_user(me)
    assert me == user.user


def test_login_limit_holds_under_concurrency(server, make_user):
    """40 concurrent wrong passwords for one account: at most 10 are checked (401), the rest are
    refused with 429 and Retry-After, because an attempt is counted before the slow hash."""
    victim = make_user()

    def attempt(i):
        with server.client() as api:
            return api.post("/api/auth/login", json={"email": victim.email, "password": f"wrong-{i}-pw"})

    with ThreadPoolExecutor(max_workers=40) as pool:
        responses = list(pool.map(attempt, range(40)))
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= 10, statuses
    assert statuses.count(401) >= 1, statuses
    for r in responses:
        if r.status_code == 429:
            assert_error(r, 429, "too_many_requests")
            assert r.headers.get("Retry-After", "").strip().isdigit(), describe(r)
    # And the account is then limited for the right password as well.
    right = server.client().post("/api/auth/login", json={"email": victim.email, "password": victim.password})
    assert_error(right, 429, "too_many_requests")
