"""Web Push on the receiving side, for the e2e tests and bench/deliveries_bench.py: a browser's
subscription (`Browser`: its P-256 key pair and auth secret) that decrypts a message with an
independent implementation (`http_ece`, RFC 8291 aes128gcm), and `check_vapid`, which checks a
push request's headers and verifies its VAPID JWT (RFC 8292) with `py_vapid`."""

from __future__ import annotations

import base64
import json
import os
import time

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """A browser's push subscription: its P-256 key pair and auth secret, and the endpoint."""

    def __init__(self, endpoint: str):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = endpoint
        point = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                   serialization.PublicFormat.UncompressedPoint)
        self.subscription = {"endpoint": endpoint, "expirationTime": None,
                             "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")
        return json.loads(plain)


def check_vapid(request: dict, public_key: str, audience: str) -> dict:
    """Checks a push request's headers ({"headers": {...}}) and its VAPID JWT; returns the JWT's
    claims. Raises AssertionError on the first thing wrong."""
    headers = request["headers"]
    assert headers.get("Content-Encoding") == "aes128gcm", headers
    assert int(headers["TTL"]) > 0, headers
    assert headers.get("Urgency") in ("very-low", "low", "normal", "high"), headers
    scheme, _, params = headers["Authorization"].partition(" ")
    assert scheme == "vapid", headers["Authorization"]
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    assert parts["k"] == public_key, (parts["k"], public_key)
    signed, _, signature = parts["t"].rpartition(".")
    assert Vapid02.from_raw_public(parts["k"].encode()).verify_token(signed.encode(), signature), \
        "the VAPID JWT's signature does not verify with the instance's public key"
    header = json.loads(b64url_decode(signed.split(".")[0]))
    assert header["alg"] == "ES256", header
    claims = json.loads(b64url_decode(signed.split(".")[1]))
    assert claims["aud"] == audience, claims
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600 + 5, claims
    assert claims["sub"].startswith(("mailto:", "https:")), claims
    return claims
