"""Fixtures for the end-to-end tests of the event-driven features of `tickler serve`.

They are the ones of the black-box API suite, reused as they are: tests/api/conftest.py
(`server`, `server_factory`, `make_user`, `user`, `api`, `anon`, `tickler_bin`, and the hook that
attaches the server logs to a failure report) is loaded under another module name, and
tests/api/helpers.py and tickler_server.py are importable from the e2e test modules. Every event
the servers publish is recorded and checked against docs/events/asyncapi.yaml at the end of the
session (tests/events_schema.py: `event_tap`).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
API_TESTS = TESTS / "api"
for extra in (TESTS, API_TESTS):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from events_schema import event_tap, pytest_terminal_summary  # noqa: E402,F401 - every published event is checked


def _load_api_conftest():
    spec = importlib.util.spec_from_file_location("tickler_api_conftest", API_TESTS / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_api = _load_api_conftest()

# Webhooks of the e2e tests go to receivers on loopback: the shared server allows those ranges
# the way an operator would (--allowed-destinations); by default they are refused (test_outbound_policy).
LOOPBACK_DESTINATIONS = ("--allowed-destinations", "127.0.0.0/8,::1/128")


@pytest.fixture(scope="session")
def shared_server_args() -> tuple:
    return LOOPBACK_DESTINATIONS


tickler_bin = _api.tickler_bin
server = _api.server
server_factory = _api.server_factory
make_user = _api.make_user
user = _api.user
api = _api.api
anon = _api.anon
pytest_runtest_makereport = _api.pytest_runtest_makereport
