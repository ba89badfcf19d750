"""401 for every way a bearer token can be missing or wrong; a forged valid token works."""

import time

import pytest

from helpers import assert_error, b64url, describe, sign_jwt, sign_segments, token_for

PROTECTED = [
    ("GET", "/api/me"),
    ("GET", "/api/tasks"),
    ("POST", "/api/tasks"),
    ("GET", "/api/tasks/1"),
    ("PATCH", "/api/tasks/1"),
    ("DELETE", "/api/tasks/1"),
    ("POST", "/api/tasks/1/complete"),
    ("POST", "/api/tasks/1/reopen"),
    ("GET", "/api/tags"),
]


@pytest.mark.parametrize("method,path", PROTECTED, ids=[f"{m} {p}" for m, p in PROTECTED])
def test_no_token_is_401(anon, method, path):
    kwargs = {"json": {"title": "x"}} if method in ("POST", "PATCH") else {}
    assert_error(anon.request(method, path, **kwargs), 401, "unauthorized")


def test_forged_token_for_a_real_user_is_accepted(anon, user):
    """Positive control: the 401 cases below differ from this only in what they break."""
    resp = anon.get("/api/me", headers={"Authorization": f"Bearer {token_for(user.id)}"})
    assert resp.status_code == 200, describe(resp)
    assert resp.json()["id"] == user.id


def _bad_authorizations(user_id: int) -> dict:
    now = int(time.time())
    good = token_for(user_id)
    header, payload, sig = good.split(".")
    flipped_sig = ("A" if sig[0] != "A" else "B") + sig[1:]
    other_payload = b64url(('{"sub":"%d","iat":%d,"exp":%d}' % (user_id + 1, now, now + 3600)).encode())
    return {
        "scheme-only": "Bearer",
        "scheme-and-space": "Bearer ",
        "basic-scheme": "Basic dXNlcjpwYXNzd29yZA==",
        "no-scheme": good,
        "token-scheme": f"Token {good}",
        "not-a-jwt": "Bearer not-a-jwt",
        "two-parts": f"Bearer {header}.{payload}",
        "four-parts": f"Bearer {good}.x",
        "garbage-base64": "Bearer !!!.???.***",
        "huge": "Bearer " + "a" * 3000,
        "other-secret": f"Bearer {token_for(user_id, secret='not-the-server-secret')}",
        "flipped-signature": f"Bearer {header}.{payload}.{flipped_sig}",
        "swapped-payload": f"Bearer {header}.{other_payload}.{sig}",
        "alg-none": "Bearer " + sign_jwt({"sub": str(user_id), "iat": now, "exp": now + 3600},
                                         header={"alg": "none", "typ": "JWT"}).rsplit(".", 1)[0] + ".",
        "alg-hs512-header": "Bearer " + sign_jwt({"sub": str(user_id), "iat": now, "exp": now + 3600},
                                                 header={"alg": "HS512", "typ": "JWT"}),
        "expired": f"Bearer {token_for(user_id, iat=now - 7200, exp=now - 3600)}",
        "unknown-user": f"Bearer {token_for(987654321)}",
        "sub-not-a-number": f"Bearer {token_for('abc')}",
        "sub-missing": "Bearer " + sign_jwt({"iat": now, "exp": now + 3600}),
        "payload-not-json": "Bearer " + sign_segments(header, b64url(b"not json")),
        "exp-as-string": "Bearer " + sign_jwt({"sub": str(user_id), "iat": now, "exp": "tomorrow"}),
    }


BAD_KINDS = list(_bad_authorizations(1))


@pytest.fixture(scope="module")
def token_owner(make_user):
    return make_user()


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_authorization_is_401(anon, token_owner, kind):
    authorization = _bad_authorizations(token_owner.id)[kind]
    resp = anon.get("/api/me", headers={"Authorization": authorization})
    assert_error(resp, 401, "unauthorized")
    # The same header on a data route gives nothing away either.
    assert_error(anon.get("/api/tasks", headers={"Authorization": authorization}), 401, "unauthorized")

