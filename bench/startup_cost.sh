#!/usr/bin/env bash
# startup_cost.sh [-n REPS] [NAME=LIBSSLSHIM.SO]...
# What loading the shim costs a process at start-up: the CPU time (user + sys, from the kernel's
# accounting of each child, wait4) of short commands natively, preloaded (LD_PRELOAD) and with the
# stand-in (LD_LIBRARY_PATH=<dir of the .so>/standin, when that directory exists), next to the
# shim's own dependencies preloaded without it ("deps": the floor while it links them), and with
# the lazy preload library (libsslshim-lazy.so next to the shim, when built), which loads the shim
# on the first libssl call. Every
# command and mode runs once per round, in a shuffled order, for REPS rounds (default 20), so load
# on the machine falls on all of them alike; the table gives medians in milliseconds. Several
# builds can be compared in one run (before=/tmp/old/libsslshim.so after=build/...).
# Then, under strace, how many times each mode tries to open libssl.so.3 and /etc/ld.so.cache.
# Default: the release build's library. bench/README.md explains the figures.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
reps=20
if [ "${1:-}" = -n ]; then
  reps=$2
  shift 2
fi
[ $# -gt 0 ] || set -- "shim=$root/build/release/libsslshim.so"

# The system interpreter: a pyenv shim in front of it would be measured too.
exec /usr/bin/python3 - "$reps" "$@" <<'EOF'
import os, random, shutil, statistics, subprocess, sys

reps = int(sys.argv[1])
builds = []
for arg in sys.argv[2:]:
    name, _, path = arg.partition("=")
    path = os.path.realpath(path)
    if not os.path.isfile(path):
        sys.exit(f"startup_cost: no library at {path}")
    standin = os.path.join(os.path.dirname(path), "standin")
    lazy = os.path.join(os.path.dirname(path), "libsslshim-lazy.so")
    builds.append((name, path, standin if os.path.isdir(standin) else None,
                   lazy if os.path.isfile(lazy) else None))

# A process that never touches libssl, one that loads it late (Python's _ssl module is not
# imported by `pass`), and two that link it.
commands = [
    ("/bin/true", ["/bin/true"], False),
    ("python3 -c pass", ["/usr/bin/python3", "-c", "pass"], False),
    ("openssl version", ["/usr/bin/openssl", "version"], True),
    ("curl --version", ["/usr/bin/curl", "--version"], True),
]

def environment(mode, build):
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "LD_LIBRARY_PATH")}
    if mode in ("preload", "deps"):
        env["LD_PRELOAD"] = build[1]
    elif mode == "stand-in":
        env["LD_LIBRARY_PATH"] = build[2]
    elif mode == "lazy":
        env["LD_PRELOAD"] = build[3]
    return env

# The floor the shim cannot go below while it links them: its libraries (libcrypto.so.3,
# libstdc++...) preloaded without it. /bin/true and Python load none of them of their own.
def dependencies(path):
    listed = subprocess.run(["ldd", path], capture_output=True, text=True, check=True).stdout
    paths = [l.split("=>")[1].split()[0] for l in listed.splitlines() if "=>" in l]
    return [p for p in paths if not os.path.basename(p).startswith(("libc.so", "ld-linux"))]

columns = [("native", None), ("deps", ("deps", ":".join(dependencies(builds[0][1])), None, None))]
for b in builds:
    columns.append(("preload", b))
    if b[2]:
        columns.append(("stand-in", b))
    if b[3]:
        columns.append(("lazy", b))

def title(mode, build):
    return mode if build is None or mode == "deps" else f"{build[0]} {mode}"

def cpu_ms(argv, env):
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.open(os.devnull, os.O_RDWR)
            for target in (0, 1, 2):
                os.dup2(fd, target)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"startup_cost: {' '.join(argv)} failed ({env.get('LD_PRELOAD', '')})")
    return (usage.ru_utime + usage.ru_stime) * 1000

runs = [(c, col) for c in commands for col in columns if c[2] or col[0] != "stand-in"]
samples = {(c[0], title(*col)): [] for c, col in runs}
for c, col in runs:  # one untimed run each: page cache, ld.so.cache
    cpu_ms(c[1], environment(*col))
for _ in range(reps):
    random.shuffle(runs)
    for c, col in runs:
        samples[(c[0], title(*col))].append(cpu_ms(c[1], environment(*col)))

def opens(argv, env):
    if not shutil.which("strace"):
        return None
    trace = subprocess.run(["strace", "-f", "-e", "trace=openat", "-o", "/dev/stderr"] + argv,
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = trace.stderr.splitlines()
    return (sum('/libssl.so.3"' in l for l in lines), sum('"/etc/ld.so.cache"' in l for l in lines))

print(f"CPU time per process, user+sys, median of {reps} runs, ms (extra over native in brackets)")
names = [title(*col) for col in columns]
width = max(len(n) for n in names) + 2
print(f"{'command':<18}" + "".join(f"{n:>{max(width, 16)}}" for n in names))
for name, argv, links in commands:
    native = statistics.median(samples[(name, "native")])
    row = f"{name:<18}"
    for col in columns:
        key = (name, title(*col))
        if key not in samples:
            row += f"{'-':>{max(width, 16)}}"
            continue
        m = statistics.median(samples[key])
        cell = f"{m:.2f}" if col[1] is None else f"{m:.2f} ({m - native:+.2f})"
        row += f"{cell:>{max(width, 16)}}"
    print(row)

if shutil.which("strace"):
    print("\nopenat calls under strace: libssl.so.3 / /etc/ld.so.cache")
    print(f"{'command':<18}" + "".join(f"{n:>{max(width, 16)}}" for n in names))
    for name, argv, links in commands:
        row = f"{name:<18}"
        for col in columns:
            if not links and col[0] == "stand-in":
                row += f"{'-':>{max(width, 16)}}"
                continue
            ssl, cache = opens(argv, environment(*col))
            row += f"{f'{ssl} / {cache}':>{max(width, 16)}}"
        print(row)
EOF
