"""`tickler migrate --data DIR` applies migrations, exits 0, is repeatable and keeps data;
`tickler serve` refuses at start a processed-events retention that does not exceed the outbox's."""

import json
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


@pytest.mark.parametrize("how", ["flags", "env"])
def test_serve_refuses_a_processed_events_retention_within_the_outbox_retention(tickler_bin, tmp_path, how):
    args = [str(tickler_bin), "serve", "--port", "0", "--data", str(tmp_path / "data")]
    env = server_env()
    if how == "flags":
        args += ["--outbox-retention", "864000", "--processed-events-retention", "864000"]
    else:
        env.update(TICKLER_OUTBOX_RETENTION="864000", TICKLER_PROCESSED_EVENTS_RETENTION="864000")
    proc = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    failed = [json.loads(line) for line in proc.stdout.splitlines() if '"start-up failed"' in line]
    assert failed, proc.stdout + proc.stderr
    error = failed[0]["error"]
    assert "--processed-events-retention" in error and "must exceed --outbox-retention (864000 s)" in error, error
    assert not (tmp_path / "data" / "tickler.db").exists(), "refused before the store was opened"
