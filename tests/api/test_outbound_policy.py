"""The outbound-destination policy when a URL is saved: a webhook URL whose host is (or resolves
to) a loopback, private, link-local, CGNAT, multicast or otherwise non-public address is refused
in every spelling (the shared server runs with the default policy). The check on the address
connected to at send time: tests/e2e/test_outbound_policy.py."""

from __future__ import annotations

import pytest

from helpers import assert_validation, describe

REFUSED = [
    "http://127.0.0.1:22/",
    "http://localhost/",
    "http://0.0.0.0/",
    "http://2130706433/",          # 127.0.0.1 as one integer
    "http://0x7f000001/",          # … in hex
    "http://017700000001/",        # … in octal
    "http://0x7f.1/",
    "http://127.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://255.255.255.255/",
    "http://[::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",  # 169.254.169.254, IPv4-mapped
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://[ff02::1]/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_non_public_destinations_are_refused_when_saved(api, url):
    err = assert_validation(api.put("/api/me/webhook", json={"url": url}), "url")
    problem = err["details"]["problem"]
    assert "only public addresses" in problem, problem
    assert api.get("/api/me/webhook").status_code == 404, "a refused URL was saved"


def test_public_and_ipv6_literal_destinations_are_accepted(api):
    for url in ("http://[2001:db8::1]:8080/hook", "http://203.0.113.7/hook", "http://8.8.8.8:8080/x"):
        resp = api.put("/api/me/webhook", json={"url": url})
        assert resp.status_code == 200, describe(resp)
        assert resp.json()["url"] == url
