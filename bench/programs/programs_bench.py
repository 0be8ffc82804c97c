#!/usr/bin/python3
"""programs_bench.py: nginx on OpenSSL 3 natively, with the shim preloaded and with the stand-in,
under native load generators; what each operation costs the server.

usage: programs_bench.py --shim LIBSSLSHIM.SO [--reps N] [--seconds S] [--only ROW[,ROW...]]
                         [--json FILE]

nginx (one worker) runs on CPU 0, the load generator on CPU 1 (when the machine has two). For every
row, each repetition runs the three modes in a shuffled order, each against a freshly started
nginx, so load on the machine falls on all of them alike. The server's CPU is the worker's and the
master's run time from /proc/PID/schedstat (nanoseconds, all threads); rows divide it by the
operations the generator completed. The table gives medians over the repetitions and each shim
mode's ratio to native. Every shim run checks in /proc/PID/maps that the worker loaded the shim.
bench/README.md explains the rows and how to read the table.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = os.path.join(HERE, "tls_client.py")
# The system's interpreter, so that the generator's TLS is the system's OpenSSL 3.
PYTHON = "/usr/bin/python3"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


class Setup:
    """Certificates, documents and the nginx configuration, made once."""

    def __init__(self, work):
        self.work = work
        self.ports = {"rsa": free_port(), "ec": free_port()}
        for name, args in (("rsa", ["-newkey", "rsa:2048"]),
                           ("ec", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"])):
            run(["openssl", "req", "-x509", *args, "-nodes", "-days", "2", "-subj", "/CN=bench",
                 "-keyout", f"{work}/{name}.key", "-out", f"{work}/{name}.pem"])
        os.makedirs(f"{work}/www", exist_ok=True)
        with open(f"{work}/www/1k.bin", "wb") as f:
            f.write(os.urandom(1024))
        with open(f"{work}/www/1m.bin", "wb") as f:
            f.write(os.urandom(1 << 20))
        servers = "".join(f"""
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {work}/{name}.pem;
        ssl_certificate_key {work}/{name}.key;
        root {work}/www;
    }}""" for name, port in self.ports.items())
        with open(f"{work}/nginx.conf", "w") as f:
            # As root, nginx's workers would be nobody, who cannot read this private directory.
            user = "user root root;" if os.getuid() == 0 else ""
            f.write(f"""daemon off;
worker_processes 1;
{user}
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 60;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:bench:10m;
    ssl_session_tickets on;
    client_body_temp_path {work}/tmp;
    proxy_temp_path {work}/tmp;
    fastcgi_temp_path {work}/tmp;
    uwsgi_temp_path {work}/tmp;
    scgi_temp_path {work}/tmp;
{servers}
}}
""")
        os.makedirs(f"{work}/tmp", exist_ok=True)


class Nginx:
    """One nginx, started in a mode, pinned to CPU 0."""

    def __init__(self, setup, mode, shim):
        env = {k: v for k, v in os.environ.items()
               if k not in ("LD_PRELOAD", "LD_LIBRARY_PATH") and not k.startswith("SSLSHIM_")}
        if mode == "preload":
            env["LD_PRELOAD"] = shim
        elif mode == "standin":
            env["LD_LIBRARY_PATH"] = os.path.join(os.path.dirname(shim), "standin")
        self.mode, self.shim = mode, shim
        self.proc = subprocess.Popen(
            pin(0) + ["nginx", "-p", setup.work, "-c", f"{setup.work}/nginx.conf"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.worker = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.worker is None:
            children = self.children()
            if children and all(listening(p) for p in setup.ports.values()):
                self.worker = children[0]
            else:
                time.sleep(0.05)
        if self.worker is None:
            self.stop()
            raise RuntimeError(f"nginx ({mode}) did not start: {self.proc.stderr.read()}")
        self.check_library()

    def children(self):
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                return [int(p) for p in f.read().split()]
        except OSError:
            return []

    def check_library(self):
        """Evidence of which libssl the worker has: the shim's file in shim modes, never natively."""
        with open(f"/proc/{self.worker}/maps") as f:
            maps = f.read()
        want = {"preload": self.shim,
                "standin": os.path.join(os.path.dirname(self.shim), "standin", "libssl.so.3")}
        real_shim = os.path.realpath(self.shim)
        if self.mode == "native":
            if "libsslshim" in maps or "/standin/libssl" in maps:
                raise RuntimeError("native nginx loaded the shim")
        elif os.path.realpath(want[self.mode]) not in maps and real_shim not in maps:
            raise RuntimeError(f"nginx ({self.mode}) did not load {want[self.mode]}")

    def cpu_ns(self):
        total = 0
        for pid in [self.proc.pid, self.worker]:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
        return total

    def pss_kib(self):
        with open(f"/proc/{self.worker}/smaps_rollup") as f:
            return int(re.search(r"^Pss:\s+(\d+) kB", f.read(), re.M).group(1))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def listening(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def pin(cpu):
    return ["taskset", "-c", str(cpu)] if os.cpu_count() and os.cpu_count() > 1 else []


def client(argv, timeout):
    out = subprocess.run(pin(1) + argv, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: status {out.returncode}: {out.stderr[-500:]}")
    return out.stdout


def wrk(port, path, conns, seconds):
    """wrk on keep-alive connections: (requests, seconds)."""
    seconds = max(1, round(seconds))  # wrk takes whole seconds
    out = client(["wrk", "-t1", f"-c{conns}", f"-d{seconds}s",
                  f"https://127.0.0.1:{port}{path}"], seconds + 30)
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    scale = {"ms": 1e-3, "s": 1, "m": 60}[m.group(3)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", out)
    if errors:
        raise RuntimeError(f"wrk: {errors.group(0)}")
    return int(m.group(1)), float(m.group(2)) * scale


# Rows: name -> (port key, how to drive it, unit of the operation).
def connect_row(cert, version, delay, kind):
    def drive(setup, seconds):
        out = json.loads(client([PYTHON, CLIENT, "connect", "127.0.0.1",
                                 str(setup.ports[cert]), str(seconds), version, delay, kind],
                                seconds + 60))
        return out["connections"], out["seconds"], {"p50_ms": out["p50_ms"], "p99_ms": out["p99_ms"]}
    return drive


def wrk_row(path, conns):
    def drive(setup, seconds):
        n, elapsed = wrk(setup.ports["ec"], path, conns, seconds)
        return n, elapsed, {}
    return drive


ROWS = {
    "keepalive-1k": (wrk_row("/1k.bin", 8), "request"),
    "bulk-1m": (wrk_row("/1m.bin", 1), "MiB"),
    "resume-ticket-1.3": (connect_row("ec", "1.3", "NODELAY", "TICKET"), "connection"),
    "resume-ticket-1.2": (connect_row("ec", "1.2", "NODELAY", "TICKET"), "connection"),
    "resume-sessionid-1.2": (connect_row("ec", "1.2", "NODELAY", "SESSION_ID"), "connection"),
}
for _cert in ("rsa", "ec"):
    for _version in ("1.2", "1.3"):
        for _delay in ("NAGLE", "NODELAY"):
            ROWS[f"full-{_version}-{_cert}-{_delay.lower()}"] = (
                connect_row(_cert, _version, _delay, "FULL"), "connection")
IDLE_ROW = "idle-memory"
IDLE_CONNECTIONS = 200


def measure(setup, row, mode, shim, seconds):
    server = Nginx(setup, mode, shim)
    try:
        if row == IDLE_ROW:
            before = server.pss_kib()
            idle = subprocess.Popen(pin(1) + [PYTHON, CLIENT, "idle", "127.0.0.1",
                                              str(setup.ports["ec"]), str(IDLE_CONNECTIONS)],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            if idle.stdout.readline().strip() != "ready":
                raise RuntimeError("the idle client did not get its connections up")
            time.sleep(0.2)
            after = server.pss_kib()
            idle.communicate("done\n", timeout=30)
            return {"kib_per_connection": (after - before) / IDLE_CONNECTIONS}
        drive, unit = ROWS[row]
        cpu0 = server.cpu_ns()
        ops, elapsed, extra = drive(setup, seconds)
        cpu = server.cpu_ns() - cpu0
        server.check_library()  # still the same library after the load
        return {"ops": ops, "rate": ops / elapsed, "server_us_per_op": cpu / 1000 / max(ops, 1),
                **extra}
    finally:
        server.stop()


def median(results, key):
    values = [r[key] for r in results if key in r]
    return statistics.median(values) if values else None


def table(results, modes, rows):
    lines = ["| row | metric | native | " + " | ".join(f"{m} | {m}/native" for m in modes[1:]) + " |",
             "|---|---|---:|" + "---:|---:|" * (len(modes) - 1)]
    for row in rows:
        unit = ROWS[row][1] if row in ROWS else "connection"
        metrics = ([("kib_per_connection", "KiB per idle connection")] if row == IDLE_ROW else
                   [("server_us_per_op", f"server CPU µs per {unit}"),
                    ("rate", "MiB/s" if unit == "MiB" else f"{unit}s/s")])
        if row.startswith(("full-", "resume-")):
            metrics += [("p50_ms", "p50 ms"), ("p99_ms", "p99 ms")]
        for key, label in metrics:
            native = median(results[row]["native"], key)
            cells = [f"{native:.3g}" if native is not None else "-"]
            for mode in modes[1:]:
                value = median(results[row][mode], key)
                cells.append(f"{value:.3g}" if value is not None else "-")
                cells.append(f"{value / native:.2f}" if value and native else "-")
            lines.append(f"| {row} | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--shim", required=True)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--only", default="")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json")
    a = p.parse_args()
    rows = list(ROWS) + [IDLE_ROW]
    if a.only:
        rows = [r for r in a.only.split(",") if r]
        unknown = [r for r in rows if r not in ROWS and r != IDLE_ROW]
        if unknown:
            p.error(f"unknown rows {unknown}; rows: {', '.join(list(ROWS) + [IDLE_ROW])}")
    shim = os.path.abspath(a.shim)
    if not os.path.exists(shim):
        p.error(f"{shim} does not exist")
    for tool in ("nginx", "wrk", "openssl", "taskset"):
        if shutil.which(tool) is None:
            p.error(f"{tool} is not installed (./sslshim bench --programs installs it)")
    modes = ["native", "preload", "standin"]
    rng = random.Random(a.seed)
    results = {row: {m: [] for m in modes} for row in rows}
    with tempfile.TemporaryDirectory(prefix="sslshim-programs-bench-") as work:
        setup = Setup(work)
        for row in rows:
            for rep in range(a.reps):
                order = modes[:]
                rng.shuffle(order)
                for mode in order:
                    try:
                        results[row][mode].append(measure(setup, row, mode, shim, a.seconds))
                    except (RuntimeError, subprocess.TimeoutExpired) as e:
                        print(f"programs_bench: {row}, {mode}: {e}", file=sys.stderr)
                        return 1
            print(f"{row}: done ({a.reps} repetitions)", file=sys.stderr, flush=True)
    print(f"nginx {nginx_version()}, {a.reps} repetitions of {a.seconds:g} s, medians; "
          f"{os.cpu_count()} CPUs ({cpu_model()})\n")
    print(table(results, modes, rows))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"reps": a.reps, "seconds": a.seconds, "results": results}, f, indent=1)
    return 0


def nginx_version():
    out = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr
    return out.strip().split("/")[-1]


def cpu_model():
    with open("/proc/cpuinfo") as f:
        m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
    return m.group(1) if m else "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
