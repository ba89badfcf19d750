"""The distributed stack for the integration tests, started once per session and always stopped.

`stack` is a tools/stack/stack.py Stack with every role running beside its own daprd: api,
notifier, recurrer, auditor and two realtime replicas. Tests that break a process (kill -9, stop
a sidecar, restart Kafka) put it back before they end, also when they fail, so the next test
starts from a whole stack. The helpers of the black-box API suite (tests/api/helpers.py) and the
event-driven suite (tests/e2e/e2e_support.py) are reused. Every event the roles publish is
recorded and checked against docs/events/asyncapi.yaml at the end (tests/events_schema.py).
"""

from __future__ import annotations

import fcntl
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for extra in (ROOT / "tests", ROOT / "tests" / "api", ROOT / "tests" / "e2e", ROOT / "tools" / "stack"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import stack as stack_module  # noqa: E402
from events_schema import event_tap, pytest_terminal_summary  # noqa: E402,F401 - every published event is checked
from helpers import signup  # noqa: E402


def _interrupt(signum, frame):
    """SIGTERM (a `timeout` around the run) stops the run like Ctrl-C, so pytest tears the
    fixtures down and the stack's processes do not outlive it."""
    raise KeyboardInterrupt(f"signal {signum}")


signal.signal(signal.SIGTERM, _interrupt)


# daprd's mDNS name resolution is machine-wide: two stacks with the same app ids on one host
# resolve each other's sidecars (tools/dapr/README.md). A stack holds this lock while it runs, so
# a second test run on the machine waits for the first instead of failing both.
MACHINE_LOCK = Path(tempfile.gettempdir()) / "tickler-dapr-stack.lock"


@pytest.fixture(scope="session")
def machine_lock():
    with open(MACHINE_LOCK, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"\nanother Dapr stack runs on this machine; waiting for {MACHINE_LOCK}", file=sys.stderr)
            started = time.monotonic()
            fcntl.flock(lock, fcntl.LOCK_EX)
            print(f"waited {time.monotonic() - started:.0f} s for the other stack", file=sys.stderr)
        yield


@pytest.fixture(scope="session")
def stack(event_tap, machine_lock):
    state = Path(tempfile.mkdtemp(prefix="tickler-stack-"))
    binary = Path(os.environ.get("TICKLER_BIN", ROOT / "build" / "tickler"))
    s = stack_module.Stack(state, tickler=binary, realtime_replicas=2,
                           sweep_schedule="@every 2s", event_tap=event_tap)
    try:
        s.up()
        yield s
    except Exception:
        print(f"\nstack logs kept in {s.logs()}", file=sys.stderr)
        raise
    finally:
        s.down()


@pytest.fixture
def api_url(stack) -> str:
    return stack.services["api"].url


@pytest.fixture(scope="module")
def frontend(stack):
    """The frontend role (the one origin: web UI, /api/* passed on to the roles), started for the
    tests of one module and stopped after them."""
    svc = stack.add("frontend")
    try:
        stack.start_service(svc)
        yield svc
    finally:
        stack.kill(svc.app)
        stack.kill(svc.sidecar)
        del stack.services[svc.name]


@pytest.fixture
def make_user(api_url):
    return lambda: signup(api_url)


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, attach the tail of every service log to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    s = item.funcargs.get("stack")
    if s is None:
        return
    for log in sorted(s.logs().glob("*.log")):
        tail = log.read_text(errors="replace")[-2500:]
        report.sections.append((f"log {log.name}", tail))
