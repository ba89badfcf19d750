#!/usr/bin/env python3
"""The distributed Tickler stack on one machine, on loopback: PostgreSQL, a Kafka broker, the Dapr
scheduler, and the six roles (api, notifier, recurrer, auditor, realtime x N, assistant), each beside its own
daprd. Used by `make up` / `make down` and by the integration tests (tests/integration), which
drive single processes through the Stack object (kill -9 a consumer, restart Kafka, stop a sidecar).

    stack.py up   <state-dir> [--api-port 8080] [--realtime 2] [--smtp-url URL]
                                                                   start everything, print where
    stack.py down <state-dir>                                      stop everything it started

Every process it starts is recorded in <state-dir>/processes.json, so `down` (or a test's
teardown) stops them all even after a crash of the caller. Logs go to <state-dir>/logs/.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPONENTS = ROOT / "deploy" / "dapr" / "self-hosted"
ROLES = ("api", "notifier", "recurrer", "auditor", "realtime", "assistant")
DATABASES = {"api": "tickler_api", "notifier": "tickler_notifier", "auditor": "tickler_auditor",
             "state": "tickler_state"}


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


_EPHEMERAL_LOW = _ephemeral_low()
_handed_out: set[int] = set()


def free_port() -> int:
    """A loopback port nobody listens on, below the kernel's ephemeral range: a port picked by
    bind(0) is in that range, where any outgoing connection (a sidecar dialling Kafka) can take
    it before the process meant to listen there starts."""
    high = _EPHEMERAL_LOW - 1
    for _ in range(1000):
        port = secrets.randbelow(high - 10000) + 10000
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free loopback port in 10000..{high}")


def wait_http(url: str, timeout: float, expect=(200, 204), proc: subprocess.Popen | None = None,
              log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"process for {url} exited ({proc.returncode}):\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status in expect:
                    return
                last = str(r.status)
        except urllib.error.HTTPError as e:
            last = f"{e.code}"
        except OSError as e:
            last = str(e)
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise TimeoutError(f"{url} not ready after {timeout}s ({last})\n{tail}")


@dataclass
class Service:
    """One role process and its sidecar."""
    role: str
    name: str                 # e.g. api, realtime-1
    app_port: int
    dapr_http: int
    dapr_grpc: int
    dapr_internal: int
    dapr_metrics: int
    app: subprocess.Popen | None = None
    sidecar: subprocess.Popen | None = None

    @property
    def app_id(self) -> str:
        return f"tickler-{self.role}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.app_port}"


@dataclass
class Stack:
    state: Path
    tickler: Path = ROOT / "build" / "tickler"
    realtime_replicas: int = 2
    api_port: int | None = None
    sweep_schedule: str = "@every 1m"
    app_token: str = field(default_factory=lambda: secrets.token_hex(16))
    dapr_token: str = field(default_factory=lambda: secrets.token_hex(16))
    services: dict[str, Service] = field(default_factory=dict)
    dapr_bin: Path | None = None
    scheduler: subprocess.Popen | None = None
    scheduler_port: int = 0
    kafka: str = ""
    pg_urls: dict[str, str] = field(default_factory=dict)
    # TICKLER_EVENT_TAP of every role: each appends the events it publishes to <event_tap>.<pid>
    # (tests/events_schema.py checks them against docs/events/asyncapi.yaml).
    event_tap: Path | None = None
    # The notifier's mail server (secret smtp-url, docs/notifications.md); empty: no email. Its
    # links then start with the api's URL (TICKLER_PUBLIC_URL) unless the environment sets one.
    smtp_url: str = ""

    # --- infrastructure -------------------------------------------------------------------
    def logs(self) -> Path:
        p = self.state / "logs"
        p.mkdir(parents=True, exist_ok=True)
        return p

    def _record(self, name: str, proc: subprocess.Popen) -> None:
        path = self.state / "processes.json"
        data = json.loads(path.read_text()) if path.exists() else {}
        data[name] = proc.pid
        path.write_text(json.dumps(data, indent=1))

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.logs() / f"{name}.log", "ab")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})}, start_new_session=True)
        self._record(name, proc)
        return proc

    def start_postgres(self) -> None:
        dbs = list(DATABASES.values())
        subprocess.run([ROOT / "tools/postgres/pg.sh", "start", self.state / "pg", *dbs],
                       check=True, stdout=subprocess.DEVNULL)
        for key, db in DATABASES.items():
            self.pg_urls[key] = subprocess.run(
                [ROOT / "tools/postgres/pg.sh", "url", self.state / "pg", db],
                check=True, capture_output=True, text=True).stdout.strip()

    def start_kafka(self) -> None:
        out = subprocess.run([ROOT / "tools/kafka/kafka.sh", "start", self.state / "kafka"],
                             check=True, capture_output=True, text=True)
        self.kafka = out.stdout.strip().splitlines()[-1]

    def restart_kafka(self) -> None:
        subprocess.run([ROOT / "tools/kafka/kafka.sh", "restart", self.state / "kafka"],
                       check=True, capture_output=True, text=True)

    def read_topic(self, topic: str, timeout_ms: int = 3000) -> list[str]:
        """Every record of a topic, from the beginning (the console consumer of Kafka's tools)."""
        out = subprocess.run(
            [ROOT / "tools/kafka/kafka.sh", "tool", self.state / "kafka",
             "org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server", self.kafka,
             "--topic", topic, "--from-beginning", "--timeout-ms", str(timeout_ms)],
            capture_output=True, text=True, check=False)
        return [line for line in out.stdout.splitlines() if line.strip()]

    def stop_kafka(self) -> None:
        subprocess.run([ROOT / "tools/kafka/kafka.sh", "stop", self.state / "kafka"], check=False,
                       capture_output=True)

    def build_dapr(self) -> None:
        out = subprocess.run([ROOT / "tools/dapr/build.sh"], check=True, capture_output=True, text=True)
        self.dapr_bin = Path(out.stdout.strip().splitlines()[-1])

    def render_components(self) -> Path:
        out = self.state / "components"
        out.mkdir(parents=True, exist_ok=True)
        secrets_file = self.state / "secrets.json"
        secrets_file.write_text(json.dumps({
            "api-database-url": self.pg_urls["api"],
            "notifier-database-url": self.pg_urls["notifier"],
            "auditor-database-url": self.pg_urls["auditor"],
            "state-database-url": self.pg_urls["state"],
            "jwt-secret": secrets.token_hex(32),
            # The assistant reads the LLM's key here (none is used while no model is set up).
            "llm-api-key": "stack-llm-key-" + secrets.token_hex(8),
            **({"smtp-url": self.smtp_url} if self.smtp_url else {}),
            # The notifier's Web Push key (a P-256 PEM, as the Helm chart's genPrivateKey makes).
            "vapid-private-key": subprocess.run(
                ["openssl", "ecparam", "-genkey", "-name", "prime256v1", "-noout"],
                check=True, capture_output=True, text=True).stdout,
        }, indent=1))
        secrets_file.chmod(0o600)
        values = {"KAFKA_BROKERS": self.kafka, "SECRETS_FILE": str(secrets_file),
                  "SWEEP_SCHEDULE": self.sweep_schedule}
        for src in COMPONENTS.glob("*.yaml"):
            (out / src.name).write_text(string.Template(src.read_text()).safe_substitute(values))
        return out

    def start_scheduler(self) -> None:
        assert self.dapr_bin
        self.scheduler_port = free_port()
        etcd = self.state / "scheduler-etcd"
        etcd.mkdir(parents=True, exist_ok=True)
        health = free_port()
        argv = [str(self.dapr_bin / "scheduler"), *scheduler_flags(self.scheduler_port, health,
                                                                  free_port(), free_port(),
                                                                  free_port(), etcd)]
        self.scheduler = self._spawn("scheduler", argv)
        wait_http(f"http://127.0.0.1:{health}/healthz", 60, proc=self.scheduler,
                  log=self.logs() / "scheduler.log")

    # --- services -------------------------------------------------------------------------
    def add(self, role: str, name: str | None = None, app_port: int | None = None) -> Service:
        name = name or role
        svc = Service(role, name, app_port or free_port(), free_port(), free_port(), free_port(),
                      free_port())
        self.services[name] = svc
        return svc

    def start_app(self, svc: Service, extra_env: dict[str, str] | None = None) -> None:
        """Starts the service's process (extra_env: more environment, e.g. a model's URL)."""
        env = {"DAPR_HTTP_PORT": str(svc.dapr_http), "DAPR_API_TOKEN": self.dapr_token,
               "APP_API_TOKEN": self.app_token,
               "TICKLER_LOG_LEVEL": os.environ.get("TICKLER_LOG_LEVEL", "info")}
        if self.event_tap:
            env["TICKLER_EVENT_TAP"] = str(self.event_tap)
        if svc.role in ("api", "frontend"):
            # /api/ws on the API's (and the frontend's) origin is passed to the realtime replicas.
            env["TICKLER_REALTIME_UPSTREAMS"] = ",".join(
                f"127.0.0.1:{s.app_port}" for s in self.services.values() if s.role == "realtime")
        if svc.role == "notifier" and self.smtp_url and "api" in self.services:
            env.setdefault("TICKLER_PUBLIC_URL", os.environ.get("TICKLER_PUBLIC_URL",
                                                                self.services["api"].url))
        env.update(extra_env or {})
        argv = [str(self.tickler), svc.role, "--port", str(svc.app_port)]
        svc.app = self._spawn(f"{svc.name}.app", argv, env)

    def start_sidecar(self, svc: Service) -> None:
        assert self.dapr_bin
        comps = self.state / "components"
        env = {"APP_API_TOKEN": self.app_token, "DAPR_API_TOKEN": self.dapr_token,
               "POD_NAME": svc.name}
        argv = [str(self.dapr_bin / "daprd"), "--app-id", svc.app_id, "--mode", "standalone",
                "--app-port", str(svc.app_port), "--app-protocol", "http",
                "--app-channel-address", "127.0.0.1",
                "--dapr-listen-addresses", "127.0.0.1",
                "--dapr-http-port", str(svc.dapr_http), "--dapr-grpc-port", str(svc.dapr_grpc),
                "--dapr-internal-grpc-listen-address", "127.0.0.1",
                "--dapr-internal-grpc-port", str(svc.dapr_internal),
                "--metrics-listen-address", "127.0.0.1", "--metrics-port", str(svc.dapr_metrics),
                "--resources-path", str(comps), "--config", str(comps / "config.yaml"),
                "--scheduler-host-address", f"127.0.0.1:{self.scheduler_port}",
                "--placement-host-address", "",
                # While the app does not answer, the sidecar stops delivering (and so does not
                # dead-letter events it could not hand over) and resumes when it is back.
                "--enable-app-health-check", "--app-health-check-path", "/healthz",
                "--app-health-probe-interval", "1", "--app-health-threshold", "2",
                "--log-level", "info"]
        svc.sidecar = self._spawn(f"{svc.name}.daprd", argv, env)

    def kill(self, proc: subprocess.Popen | None, sig: int = signal.SIGKILL) -> None:
        """Signals one process (its own process group) and reaps it."""
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, sig)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def wait_ready(self, svc: Service, timeout: float = 90) -> None:
        wait_http(f"{svc.url}/healthz", timeout, proc=svc.app, log=self.logs() / f"{svc.name}.app.log")
        wait_http(f"http://127.0.0.1:{svc.dapr_http}/v1.0/healthz", timeout, proc=svc.sidecar,
                  log=self.logs() / f"{svc.name}.daprd.log")

    def start_service(self, svc: Service) -> None:
        self.start_sidecar(svc)
        self.start_app(svc)
        self.wait_ready(svc)

    def up(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        self.start_postgres()
        self.start_kafka()
        self.build_dapr()
        self.render_components()
        self.start_scheduler()
        self.add("api", app_port=self.api_port)
        for role in ("notifier", "recurrer", "auditor", "assistant"):
            self.add(role)
        for i in range(1, self.realtime_replicas + 1):
            self.add("realtime", f"realtime-{i}")
        for svc in self.services.values():
            self.start_sidecar(svc)
            self.start_app(svc)
        for svc in self.services.values():
            self.wait_ready(svc)
        (self.state / "stack.json").write_text(json.dumps(self.describe(), indent=1))

    def describe(self) -> dict:
        return {"kafka": self.kafka, "postgres": self.pg_urls, "scheduler_port": self.scheduler_port,
                "app_token": self.app_token, "logs": str(self.logs()),
                "services": {n: {"role": s.role, "url": s.url, "dapr_http": s.dapr_http,
                                 "dapr_metrics": s.dapr_metrics,
                                 "app_pid": s.app.pid if s.app else None,
                                 "sidecar_pid": s.sidecar.pid if s.sidecar else None}
                             for n, s in self.services.items()}}

    def down(self) -> None:
        stop_recorded(self.state)


def scheduler_flags(port: int, health: int, metrics: int, etcd_client: int, etcd_peer: int,
                    etcd_dir: Path) -> list[str]:
    # --listen-address must be loopback: the scheduler advertises that address to the sidecars.
    return ["--mode", "standalone", "--id", "sched-0",
            "--listen-address", "127.0.0.1", "--port", str(port),
            "--healthz-listen-address", "127.0.0.1", "--healthz-port", str(health),
            "--metrics-listen-address", "127.0.0.1", "--metrics-port", str(metrics),
            "--etcd-data-dir", str(etcd_dir), "--etcd-client-port", str(etcd_client),
            "--etcd-initial-cluster", f"sched-0=http://127.0.0.1:{etcd_peer}",
            "--tls-enabled=false", "--log-level", "warn"]


def stop_pid(pid: int, grace: float = 10) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.1)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def stop_recorded(state: Path) -> None:
    path = state / "processes.json"
    if path.exists():
        for name, pid in reversed(list(json.loads(path.read_text()).items())):
            stop_pid(pid)
        path.unlink()
    subprocess.run([ROOT / "tools/kafka/kafka.sh", "stop", state / "kafka"], check=False,
                   capture_output=True)
    subprocess.run([ROOT / "tools/postgres/pg.sh", "stop", state / "pg"], check=False,
                   capture_output=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["up", "down"])
    ap.add_argument("state", type=Path)
    ap.add_argument("--api-port", type=int, default=8080)
    ap.add_argument("--realtime", type=int, default=2)
    ap.add_argument("--event-tap", type=Path, help="record every published event to EVENT_TAP.<pid>")
    ap.add_argument("--smtp-url", default=os.environ.get("TICKLER_STACK_SMTP_URL", ""),
                    help="the notifier's mail server (secret smtp-url): smtp://[user:pass@]host:port")
    args = ap.parse_args()
    if args.command == "down":
        stop_recorded(args.state)
        print(f"stopped the stack in {args.state}")
        return 0
    stop_recorded(args.state)
    stack = Stack(args.state, realtime_replicas=args.realtime, api_port=args.api_port,
                  event_tap=args.event_tap, smtp_url=args.smtp_url)
    try:
        stack.up()
    except Exception as e:  # noqa: BLE001 - report, clean up, fail
        print(f"stack: start-up failed: {e}\nlogs: {stack.logs()}", file=sys.stderr)
        stop_recorded(args.state)
        return 1
    d = stack.describe()
    print(f"Tickler (distributed) is up: API http://127.0.0.1:{stack.services['api'].app_port}")
    for n, s in d["services"].items():
        print(f"  {n:11} {s['url']}  (daprd http {s['dapr_http']})")
    print(f"  kafka {stack.kafka}; postgres {stack.pg_urls['api'].rsplit('/', 1)[0]}")
    print(f"logs: {stack.logs()}    stop: make down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
