"""`tickler migrate --data DIR` applies migrations, exits 0, is repeatable and keeps data."""

import subprocess

import pytest

from tickler_server import server_env
from helpers import assert_task_response, signup

pytestmark = pytest.mark.slow


def migrate(binary, data_dir):
    return subprocess.run([str(binary), "migrate", "--data", str(data_dir)], env=server_env(),
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


def test_migrate_fresh_dir_twice_then_serve(tickler_bin, tmp_path, server_factory):
    data = tmp_path / "data"
    data.mkdir()
    first = migrate(tickler_bin, data)
    assert first.returncode == 0, first.stdout + first.stderr
    second = migrate(tickler_bin, data)
    assert second.returncode == 0, second.stdout + second.stderr

    srv = server_factory(data_dir=data)
    owner = signup(srv.base_url)
    task = assert_task_response(owner.api.post("/api/tasks", json={"title": "Before migrate"}), 201)
    assert srv.stop() == 0

    again = migrate(tickler_bin, data)
    assert again.returncode == 0, again.stdout + again.stderr
    restarted = server_factory(data_dir=data)
    assert assert_task_response(restarted.client(owner.token).get(f"/api/tasks/{task['id']}")) == task
