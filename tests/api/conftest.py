"""Fixtures that start real `tickler serve` processes for the black-box API tests.

The binary is build/tickler under the repository root, or $TICKLER_BIN. Each server gets a free
port on 127.0.0.1, its own data directory and TICKLER_JWT_SECRET=helpers.TEST_SECRET. A missing
binary fails every test that needs a server (it is never a skip).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from helpers import Api, User, signup
from tickler_server import TicklerServer, tickler_binary


@pytest.fixture(scope="session")
def tickler_bin() -> Path:
    path = tickler_binary()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"tickler binary not found or not executable: {path} "
                    f"(build it first, or set TICKLER_BIN)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def shared_server_args() -> tuple:
    """Extra command-line arguments of the shared server (a suite's conftest may override it)."""
    return ()


@pytest.fixture(scope="session")
def server(tickler_bin, tmp_path_factory, shared_server_args) -> TicklerServer:
    """The one shared server most tests talk to."""
    root = tmp_path_factory.mktemp("shared-server")
    srv = TicklerServer(tickler_bin, root / "data", root / "server.log", shared_server_args)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def server_factory(tickler_bin, tmp_path):
    """Starts extra servers: factory(data_dir=None, extra_args=(), env_extra=None, command_prefix=()).
    All are killed at teardown, whatever the test did."""
    started: list[TicklerServer] = []

    def start(data_dir=None, extra_args=(), env_extra=None, command_prefix=()) -> TicklerServer:
        n = len(started)
        data_dir = Path(data_dir) if data_dir else tmp_path / f"data-{n}"
        srv = TicklerServer(tickler_bin, data_dir, tmp_path / f"server-{n}.log", extra_args, env_extra,
                            command_prefix)
        started.append(srv)
        return srv.start()

    start.servers = started
    yield start
    for srv in started:
        if srv.running():
            srv.proc.send_signal(signal.SIGTERM)
            if srv.wait(5) is None:
                srv.kill()


@pytest.fixture(scope="session")
def make_user(server):
    """make_user(srv=None, **kw) signs up a fresh user (unique email) and returns a helpers.User
    whose .api is an authenticated session."""

    def make(srv: TicklerServer | None = None, **kwargs) -> User:
        return signup((srv or server).base_url, **kwargs)

    return make


@pytest.fixture
def user(make_user) -> User:
    return make_user()


@pytest.fixture
def api(user) -> Api:
    return user.api


@pytest.fixture
def anon(server) -> Api:
    """An unauthenticated session against the shared server."""
    return server.client()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, attach the tail of the log of every server the test used."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    servers = []
    if isinstance(funcargs.get("server"), TicklerServer):
        servers.append(funcargs["server"])
    factory = funcargs.get("server_factory")
    servers.extend(getattr(factory, "servers", []))
    for srv in servers:
        report.sections.append((f"tickler log {srv.log_path.name} (port {srv.port})", srv.log_tail()))
