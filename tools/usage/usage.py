#!/usr/bin/env python3
"""Helpers for measure-debian-usage.sh: how Debian's packages use libssl.so.3.

Subcommands (stdlib only; binutils' readelf and objdump do the ELF work):
  candidates NAMES_FILE            read `apt-cache show --no-all-versions` stanzas on stdin; print
                                   package<TAB>version<TAB>deb file name for each candidate whose
                                   Depends or Pre-Depends names libssl3 (and whose name is listed)
  analyzer-version                 print ANALYZER_VERSION (results of another version are redone)
  analyze SYMBOLS DEB TREE OUT     analyse an extracted package tree, write the per-package JSON result
  ctrl-names HEADER...             print number<TAB>name|name for every SSL_CTRL_*/DTLS_CTRL_* define
  ctrl-calls OBJECT                print function<TAB>number for the ctrl commands one object passes
  aggregate SYMBOLS CTRLNAMES LIST RESULTS_DIR OUT_TSV OUT_PKG_TSV FAILURES  write the two TSV files
Why: the usage data says which libssl functions and ctrl commands real programs need, so that the
shim's work goes where programs are (docs/MATRIX.md is generated from it).
"""
import collections
import datetime
import json
import os
import re
import subprocess
import sys

CTRL_FUNCS = {
    "SSL_ctrl": "ssl_ctrl",
    "SSL_CTX_ctrl": "ctx_ctrl",
    "SSL_callback_ctrl": "ssl_callback_ctrl",
    "SSL_CTX_callback_ctrl": "ctx_callback_ctrl",
}
KINDS = ["function", "ssl_ctrl", "ctx_ctrl", "ssl_callback_ctrl", "ctx_callback_ctrl"]
# Bump when the analysis changes: measure-debian-usage.sh then analyses every package again.
ANALYZER_VERSION = 3
# Instructions looked at before a call for `mov $N,%esi`: within the same function (when the
# object has symbols), stopping at an earlier call, jmp or ret, or another write to %esi/%rsi.
LOOKBACK = 16


def stanzas(text):
    for block in text.split("\n\n"):
        fields, last = {}, None
        for line in block.splitlines():
            if line[:1] in (" ", "\t") and last:
                fields[last] += "\n" + line
            elif ":" in line:
                last, _, value = line.partition(":")
                fields[last] = value.strip()
        if fields:
            yield fields


def dep_names(value):
    for alternative in re.split(r"[,|]", value):
        name = alternative.strip().split(" ")[0].split("(")[0].split(":")[0].strip()
        if name:
            yield name


def newest(versions):
    best = versions[0]
    for v in versions[1:]:
        if subprocess.run(["dpkg", "--compare-versions", v, "gt", best]).returncode == 0:
            best = v
    return best


def cmd_candidates(names_file):
    """Of the archive's versions (stanzas with a Filename, so not an installed version the archive
    does not have), the newest; kept if its Depends/Pre-Depends name libssl3."""
    wanted = {l.strip() for l in open(names_file) if l.strip()}
    versions = collections.defaultdict(dict)
    for f in stanzas(sys.stdin.read()):
        if f.get("Package") in wanted and "Filename" in f:
            versions[f["Package"]][f["Version"]] = f
    for name in sorted(versions):
        f = versions[name][newest(list(versions[name]))]
        deps = set(dep_names(f.get("Depends", ""))) | set(dep_names(f.get("Pre-Depends", "")))
        if "libssl3" not in deps:
            continue
        # the file name apt-get download writes (the epoch's colon as %3a)
        deb = f"{name}_{f['Version'].replace(':', '%3a')}_{f['Architecture']}.deb"
        print(f"{name}\t{f['Version']}\t{deb}")


def is_elf(path):
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def run(args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, errors="replace").stdout


CALL_RE = re.compile(r"\t(?:call|jmp)[a-z]*\s+(.*)$")
TARGET_RE = re.compile(r"<(SSL_CTX_callback_ctrl|SSL_callback_ctrl|SSL_CTX_ctrl|SSL_ctrl)"
                       r"(?:@plt|@@?[A-Za-z0-9_.]+)?>")
MOV_ESI_RE = re.compile(r"\tmov[lq]?\s+\$0x([0-9a-f]+),%[er]si\s*$")
WRITES_ESI_RE = re.compile(r",%(?:[er]si|si|sil)\s*$")
GOT_RE = re.compile(r"^\*0x[0-9a-f]+\(%rip\)\s+#\s*([0-9a-f]+)\b")
RET_RE = re.compile(r"\tret[a-z]*\b")
FUNC_RE = re.compile(r"^[0-9a-f]+ <(.*)>:$")


def ctrl_calls(path):
    """Command numbers passed to the four ctrl functions, from the disassembly (a lower bound)."""
    # Calls through the GOT that objdump does not name (Rust's, -fno-plt): the GOT slots of the four.
    got = {}
    for row in run(["readelf", "-rW", path]).splitlines():
        cols = row.split()
        if len(cols) >= 5 and cols[2] in ("R_X86_64_GLOB_DAT", "R_X86_64_JUMP_SLOT"):
            name = cols[4].split("@")[0]
            if name in CTRL_FUNCS:
                got[int(cols[0], 16)] = name
    found = {kind: collections.Counter() for kind in CTRL_FUNCS.values()}
    unknown = collections.Counter()
    proc = subprocess.Popen(["objdump", "-d", "--no-show-raw-insn", path], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, errors="replace")
    window = collections.deque(maxlen=LOOKBACK)
    in_plt = False
    for line in proc.stdout:
        if line.startswith("Disassembly of section"):
            in_plt = ".plt" in line
            window.clear()
            continue
        m = FUNC_RE.match(line)
        if m:
            window.clear()
            continue
        if in_plt or "\t" not in line:
            continue
        c = CALL_RE.search(line)
        if c:
            t = TARGET_RE.search(c.group(1))
            g = GOT_RE.search(c.group(1)) if not t else None
            target = t.group(1) if t else got.get(int(g.group(1), 16)) if g else None
            if target:
                kind = CTRL_FUNCS[target]
                number = None
                for prev in reversed(window):
                    mv = MOV_ESI_RE.search(prev)
                    if mv:
                        number = int(mv.group(1), 16)
                        break
                    if WRITES_ESI_RE.search(prev) or CALL_RE.search(prev) or RET_RE.search(prev):
                        break  # %esi set some other way, clobbered by a call, or another block
                if number is None:
                    unknown[kind] += 1
                else:
                    found[kind][number] += 1
        window.append(line)
    proc.wait()
    return {k: {str(n): c for n, c in v.items()} for k, v in found.items() if v}, dict(unknown)


def cmd_analyze(symbols_file, deb, tree, out):
    libssl = {l.strip() for l in open(symbols_file) if l.strip() and not l.startswith("#")}
    control = run(["dpkg-deb", "-f", deb, "Package", "Version"])
    info = dict(re.findall(r"^(\w+): (.*)$", control, re.M))
    objects = []
    for base, dirs, files in os.walk(tree):
        for fn in sorted(files):
            path = os.path.join(base, fn)
            if os.path.islink(path) or not os.path.isfile(path) or not is_elf(path):
                continue
            dyn = run(["readelf", "-dW", path])
            if not re.search(r"\(NEEDED\)\s+Shared library: \[libssl\.so\.3\]", dyn):
                continue
            syms = set()
            for row in run(["readelf", "--dyn-syms", "-W", path]).splitlines():
                cols = row.split()
                if len(cols) >= 8 and cols[6] == "UND":
                    name = cols[7].split("@")[0]
                    if name in libssl:
                        syms.add(name)
            ctrls, unknown = ({}, {})
            if syms & set(CTRL_FUNCS):
                ctrls, unknown = ctrl_calls(path)
            objects.append({"path": "/" + os.path.relpath(path, tree), "functions": sorted(syms),
                            "ctrl": ctrls, "unknown_ctrl": unknown})
    result = {"analyzer": ANALYZER_VERSION, "package": info.get("Package"),
              "version": info.get("Version"), "objects": objects}
    tmp = out + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(result, fh, sort_keys=True)
    os.replace(tmp, out)


def parse_ctrl_names(headers):
    text = ""
    for h in headers:
        text += open(h).read().replace("\\\n", " ") + "\n"
    defs = dict(re.findall(r"^#\s*define\s+((?:SSL|DTLS)_CTRL_[A-Z0-9_]+)\s+(\S+)", text, re.M))

    def value(name, depth=0):
        v = defs[name]
        if re.fullmatch(r"\d+", v):
            return int(v)
        if v in defs and depth < 10:
            return value(v, depth + 1)
        return None

    names = collections.defaultdict(list)
    for name in defs:
        v = value(name)
        if v is not None:
            names[v].append(name)
    return {n: sorted(v) for n, v in names.items()}


def cmd_ctrl_names(headers):
    for n, v in sorted(parse_ctrl_names(headers).items()):
        print(f"{n}\t{'|'.join(v)}")


def cmd_aggregate(symbols_file, ctrlnames_file, list_file, results_dir, out_tsv, out_pkg, failures):
    libssl = [l.strip() for l in open(symbols_file) if l.strip() and not l.startswith("#")]
    ctrl_names = {}
    for line in open(ctrlnames_file):
        n, names = line.rstrip("\n").split("\t")
        ctrl_names[int(n)] = names
    listed = dict(l.rstrip("\n").split("\t")[:2] for l in open(list_file) if l.strip())
    failed = [l.split("\t")[0] for l in open(failures) if l.strip()] if os.path.exists(failures) else []
    users = collections.defaultdict(set)  # (kind, name, number) -> packages
    unknown = collections.Counter()
    pkg_rows, n_results, n_objects, n_with_objects = [], 0, 0, 0
    for pkg in listed:
        path = os.path.join(results_dir, pkg + ".json")
        if not os.path.exists(path):
            continue
        r = json.load(open(path))
        if r["version"] != listed[pkg]:
            continue  # a result for another version than the one listed now
        n_results += 1
        funcs = set()
        for o in r["objects"]:
            n_objects += 1
            funcs.update(o["functions"])
            for kind, numbers in o["ctrl"].items():
                for n in numbers:
                    users[(kind, ctrl_names.get(int(n), "?"), int(n))].add(pkg)
            for kind, c in o["unknown_ctrl"].items():
                unknown[kind] += c
        for f in funcs:
            users[("function", f, None)].add(pkg)
        if r["objects"]:
            n_with_objects += 1
        pkg_rows.append((pkg, r["version"], len(r["objects"]), len(funcs)))
    date = datetime.date.today().isoformat()
    rows = sorted(users.items(), key=lambda kv: (-len(kv[1]), KINDS.index(kv[0][0]), kv[0][1],
                                                 kv[0][2] or 0))
    nfunc = sum(1 for k in users if k[0] == "function")
    with open(out_tsv, "w") as fh:
        fh.write(
            f"# How Debian bookworm's amd64 packages use libssl.so.3. Generated {date} by\n"
            f"# tools/usage/measure-debian-usage.sh (regenerate with it; docs/MATRIX.md is built from this).\n"
            f"# Packages whose Depends/Pre-Depends name libssl3: {len(listed)}; downloaded and analysed: "
            f"{n_results}; not analysed: {len(listed) - n_results}, of which download failures: {len(failed)}"
            f"{' (' + ', '.join(failed) + ')' if failed else ''}.\n"
            f"# Packages with at least one ELF object whose NEEDED includes libssl.so.3: {n_with_objects}; "
            f"such ELF objects analysed: {n_objects}.\n"
            f"# kind=function: the libssl.so.3 function is an undefined dynamic symbol of such an object "
            f"({nfunc} distinct functions).\n"
            f"# kind=*ctrl: command number passed to SSL_ctrl/SSL_CTX_ctrl/SSL_callback_ctrl/"
            f"SSL_CTX_callback_ctrl, found by disassembly\n"
            f"# (`mov $N,%esi` at most {LOOKBACK} instructions before the call): a LOWER BOUND. Calls whose "
            f"command was not found: "
            + ", ".join(f"{k} {unknown.get(k, 0)}" for k in KINDS[1:]) + ".\n"
            f"# name for ctrls: the SSL_CTRL_*/DTLS_CTRL_* macro(s) with that number in OpenSSL 3's ssl.h/tls1.h "
            f"('?' if none).\n"
            f"# packages: distinct binary packages; examples: up to 5 of them, alphabetically.\n")
        fh.write("kind\tname\tnumber\tpackages\texamples\n")
        for (kind, name, number), pkgs in rows:
            ex = ",".join(sorted(pkgs)[:5])
            fh.write(f"{kind}\t{name}\t{'' if number is None else number}\t{len(pkgs)}\t{ex}\n")
    pkg_rows.sort(key=lambda r: (-r[3], -r[2], r[0]))
    with open(out_pkg, "w") as fh:
        fh.write(f"# Per package: ELF objects whose NEEDED includes libssl.so.3, distinct libssl.so.3 "
                 f"functions they import.\n# Generated {date} by tools/usage/measure-debian-usage.sh "
                 f"(Debian bookworm, amd64).\n")
        fh.write("package\tversion\telf_objects\tlibssl_functions\n")
        for r in pkg_rows:
            fh.write("\t".join(map(str, r)) + "\n")
    print(f"listed {len(listed)}, analysed {n_results}, failed {len(failed)}, with objects "
          f"{n_with_objects}, objects {n_objects}, functions {nfunc}, unknown ctrl calls "
          f"{sum(unknown.values())}", file=sys.stderr)


def cmd_ctrl_calls(path):
    """function<TAB>number for each command an object passes, function<TAB>? for calls whose number
    disassembly cannot see (sslshim-check reports both)."""
    kind_function = {kind: function for function, kind in CTRL_FUNCS.items()}
    found, unknown = ctrl_calls(path)
    for kind, numbers in found.items():
        for number in sorted(numbers, key=int):
            print(f"{kind_function[kind]}\t{number}")
    for kind, count in unknown.items():
        print(f"{kind_function[kind]}\t?")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"candidates": cmd_candidates, "analyze": cmd_analyze, "ctrl-names": lambda *h: cmd_ctrl_names(h),
     "aggregate": cmd_aggregate, "analyzer-version": lambda: print(ANALYZER_VERSION),
     "ctrl-calls": cmd_ctrl_calls}[cmd](*args)
