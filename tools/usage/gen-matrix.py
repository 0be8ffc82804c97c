#!/usr/bin/env python3
"""gen-matrix.py: generate docs/MATRIX.md, which libssl.so.3 functions and ctrl commands Debian's
packages use and whether sslshim serves them, so that the shim's coverage is measured against real
programs and the matrix cannot silently go stale (the CTest test usage.matrix_is_current compares).

usage: gen-matrix.py --served build/release/abi/generated/served.txt [--output docs/MATRIX.md]
                     [--usage abi/usage/bookworm.tsv] [--openssl-include /usr/include]
Inputs (paths default to this repository):
  abi/usage/bookworm.tsv        usage measured by tools/usage/measure-debian-usage.sh
  abi/libssl.so.3.symbols       every libssl.so.3 function
  abi/refused-by-design.tsv     NAME<TAB>reason: refused by design
  served.txt                    the functions a build serves (the build writes it)
  <include>/openssl/ssl.h, tls1.h   OpenSSL 3's SSL_CTRL_*/DTLS_CTRL_* numbers
  abi/exports/ctrl.cc, chain_ctrl.cc, callbacks.cc   which ctrl commands are served (below)
A function is "served" if served.txt lists it, "refused by design" if refused-by-design.tsv does,
otherwise "not yet". A ctrl command is served on an entry point when the source of that entry
point's dispatcher (DISPATCHERS below) has a `case NAME:` label (or a `cmd == NAME` test) for one of
its names whose code does not give up: a label group whose statements call Unsupported*/WarnOnce or
fall through ([[fallthrough]]) into `default:` is not served. Stacked labels share the code below
them. A dispatcher that cannot be found is an error (so a refactoring cannot empty the column).
"""
import argparse
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from usage import parse_ctrl_names  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CTRL_KINDS = ["ssl_ctrl", "ctx_ctrl", "ssl_callback_ctrl", "ctx_callback_ctrl"]
ENTRY = {"ssl_ctrl": "SSL_ctrl", "ctx_ctrl": "SSL_CTX_ctrl",
         "ssl_callback_ctrl": "SSL_callback_ctrl", "ctx_callback_ctrl": "SSL_CTX_callback_ctrl"}
# kind -> the dispatchers' (source file, regular expression of the definition): the entry point's
# own and those it hands the commands of one subject to.
_CHAIN_COMMON = ("abi/exports/chain_ctrl.cc", r"\bCommonChainCtrl\s*\([^{;]*\{")
_RECORD_SIZES = ("abi/exports/ctrl.cc", r"\bRecordSizeCtrl\s*\([^{;]*\{")
DISPATCHERS = {
    "ssl_ctrl": [("abi/exports/ctrl.cc", r"\blong\s+SslCtrl\s*\([^{;]*\{"),
                 ("abi/exports/chain_ctrl.cc", r"\bSslChainCtrl\s*\([^{;]*\{"), _CHAIN_COMMON,
                 _RECORD_SIZES],
    "ctx_ctrl": [("abi/exports/ctrl.cc", r"\blong\s+CtxCtrl\s*\([^{;]*\{"),
                 ("abi/exports/chain_ctrl.cc", r"\bCtxChainCtrl\s*\([^{;]*\{"), _CHAIN_COMMON,
                 _RECORD_SIZES],
    "ssl_callback_ctrl": [("abi/exports/callbacks.cc",
                           r"\bSSLSHIM_SSL_ENTRY\(\s*SSL_callback_ctrl\b[^{;]*\{")],
    "ctx_callback_ctrl": [("abi/exports/callbacks.cc",
                           r"\bSSLSHIM_CTX_ENTRY\(\s*SSL_CTX_callback_ctrl\b[^{;]*\{")],
}
GIVES_UP = re.compile(r"\bUnsupported\w*\s*\(|\bWarnOnce\s*\(")


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def body_of(path, pattern):
    text = strip_comments(open(os.path.join(ROOT, path)).read())
    m = re.search(pattern, text)
    if not m:
        sys.exit(f"gen-matrix: dispatcher /{pattern}/ not found in {path}")
    depth, i = 1, m.end()
    while depth and i < len(text):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return text[m.end():i - 1]


def served_commands(body):
    served = set()
    for m in re.finditer(r"\bcmd\s*==\s*((?:SSL|DTLS)_CTRL_\w+)", body):
        served.add(m.group(1))
    labels = list(re.finditer(r"\bcase\s+((?:SSL|DTLS)_CTRL_\w+)\s*:|\bdefault\s*:", body))
    pending = []
    for i, m in enumerate(labels):
        if m.group(0).startswith("default"):
            pending = []
            continue
        pending.append(m.group(1))
        end = labels[i + 1].start() if i + 1 < len(labels) else len(body)
        code = body[m.end():end]
        if not code.strip():
            continue  # stacked label: shares the code below
        next_is_default = i + 1 < len(labels) and labels[i + 1].group(0).startswith("default")
        falls_into_default = "[[fallthrough]]" in code and next_is_default
        if not GIVES_UP.search(code) and not falls_into_default:
            served.update(pending)
        pending = []
    return served


def read_tsv(path):
    rows, header = [], []
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("#"):
            header.append(line[1:].strip())
        elif line:
            rows.append(line.split("\t"))
    return header, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--served", required=True)
    ap.add_argument("--output", default=os.path.join(ROOT, "docs/MATRIX.md"))
    ap.add_argument("--usage", default=os.path.join(ROOT, "abi/usage/bookworm.tsv"))
    ap.add_argument("--symbols", default=os.path.join(ROOT, "abi/libssl.so.3.symbols"))
    ap.add_argument("--refused", default=os.path.join(ROOT, "abi/refused-by-design.tsv"))
    ap.add_argument("--openssl-include", default="/usr/include")
    ap.add_argument("--ctrl-table", help="write only the ctrl table sslshim-check reads: "
                    "function<TAB>number<TAB>names<TAB>served|not served, for every command of "
                    "the four ctrl functions (the build makes it next to served.txt)")
    a = ap.parse_args()

    functions = [l.strip() for l in open(a.symbols) if l.strip() and not l.startswith("#")]
    served = {l.strip() for l in open(a.served) if l.strip() and not l.startswith("#")}
    refused = {}
    for line in open(a.refused):
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.rstrip("\n").partition("\t")
            refused[name] = reason
    inc = os.path.join(a.openssl_include, "openssl")
    ctrl_names = parse_ctrl_names([os.path.join(inc, "ssl.h"), os.path.join(inc, "tls1.h")])
    usage_header, usage_rows = read_tsv(a.usage)
    fn_use, ctrl_use = {}, collections.defaultdict(dict)
    for kind, name, number, packages, examples in usage_rows[1:]:
        if kind == "function":
            fn_use[name] = (int(packages), examples)
        else:
            ctrl_use[int(number)][kind] = (int(packages), examples)
    ctrl_served = {k: set().union(*(served_commands(body_of(*d)) for d in DISPATCHERS[k]))
                   for k in CTRL_KINDS}
    if a.ctrl_table:
        with open(a.ctrl_table, "w") as table:
            for kind in CTRL_KINDS:
                for number in sorted(ctrl_names):
                    names = ctrl_names[number]
                    status = "served" if set(names) & ctrl_served[kind] else "not served"
                    table.write(f"{ENTRY[kind]}\t{number}\t{'|'.join(names)}\t{status}\n")
        return

    def fstatus(name):
        if name in served:
            return "served"
        if name in refused:
            return "refused by design: " + refused[name]
        return "not yet"

    out = []
    w = out.append
    w("# libssl.so.3 usage in Debian bookworm, and what sslshim serves\n")
    w("<!-- Generated by tools/usage/gen-matrix.py; do not edit. The CTest test "
      "usage.matrix_is_current fails when it is stale. -->\n")
    w("Which of OpenSSL 3's `libssl.so.3` functions and `SSL_ctrl` commands Debian bookworm's "
      "packages use, and how sslshim answers each of them.\n")
    w("- **packages**: distinct Debian bookworm (amd64) binary packages with at least one ELF object "
      "(program or shared object) whose `NEEDED` includes `libssl.so.3` and that imports the "
      "function, or passes the command. Dynamic imports only: objects loaded with `dlopen()` count "
      "when the package ships them, a program that only `dlopen`s libssl does not. Debian's `libssl3` "
      "package also ships `libcrypto.so.3`, so many packages that depend on it use only libcrypto "
      "and count nowhere here.")
    w("- **ctrl commands** are found by disassembly: a `mov $N,%esi` a few instructions before a call "
      "to `SSL_ctrl`, `SSL_CTX_ctrl`, `SSL_callback_ctrl` or `SSL_CTX_callback_ctrl`. That is a "
      "**lower bound**: a command computed at run time or passed through a wrapper is not seen "
      "(such calls are counted as unknown in `abi/usage/bookworm.tsv`'s header). `SSL_ctrl`/"
      "`SSL_CTX_ctrl` and the two `callback_ctrl` functions are different namespaces.")
    w("- **status** of a function: *served* (listed in the build's `served.txt`), *refused by "
      "design* (`abi/refused-by-design.tsv`, with the reason), or *not yet* (exported as a guard "
      "that fails for sslshim's objects).")
    w("- **status** of a ctrl command, per entry point: *served* when the entry point's dispatcher "
      "(`abi/exports/ctrl.cc`: `SslCtrl`, `CtxCtrl`, and for certificate chains "
      "`abi/exports/chain_ctrl.cc`; `abi/exports/callbacks.cc`: "
      "`SSL_callback_ctrl`, `SSL_CTX_callback_ctrl`) has a `case` for it that does not give up "
      "(see `tools/usage/gen-matrix.py`), otherwise *not yet* (the call returns 0 as OpenSSL's "
      "does for an unknown command).")
    w("- **examples**: up to five of the packages, alphabetically.\n")
    w("## Regenerating\n")
    w("```sh\n"
      "# the usage data (downloads ~1 GB of .debs into /var/cache/sslshim-usage; resumable):\n"
      "nice tools/usage/measure-debian-usage.sh      # writes abi/usage/bookworm.tsv, bookworm-packages.tsv\n"
      "# this file, from the committed data and a build's served list:\n"
      "./sslshim build && tools/usage/gen-matrix.py --served build/release/abi/generated/served.txt\n"
      "```\n")
    w("The measurement (from `abi/usage/bookworm.tsv`):\n")
    w("```\n" + "\n".join(usage_header) + "\n```\n")
    w("`abi/usage/bookworm-packages.tsv` lists each package with its number of ELF objects linking "
      "libssl and of distinct libssl functions imported.\n")

    # Summary.
    used = [f for f in functions if f in fn_use]
    unknown_used = sorted(set(fn_use) - set(functions))
    def count(names, pred):
        return sum(1 for n in names if pred(n))
    is_served = lambda n: fstatus(n) == "served"
    is_refused = lambda n: fstatus(n).startswith("refused")
    is_notyet = lambda n: fstatus(n) == "not yet"
    w("## Summary\n")
    w("| | all | served | refused by design | not yet |")
    w("|---|---:|---:|---:|---:|")
    w(f"| libssl.so.3 functions | {len(functions)} | {count(functions, is_served)} | "
      f"{count(functions, is_refused)} | {count(functions, is_notyet)} |")
    w(f"| functions used by at least one package | {len(used)} | {count(used, is_served)} | "
      f"{count(used, is_refused)} | {count(used, is_notyet)} |")
    uses = sorted(fn_use.items(), key=lambda kv: (-kv[1][0], kv[0]))
    # Weighted by packages: how many (package, function) uses are served.
    total_uses = sum(p for _, (p, _) in uses)
    served_uses = sum(p for n, (p, _) in uses if is_served(n))
    w("")
    w(f"Counting each function once per package that uses it, {served_uses} of {total_uses} "
      f"uses ({100 * served_uses / max(total_uses, 1):.0f}%) are served.\n")
    notyet = [(n, p, ex) for n, (p, ex) in uses if is_notyet(n)]
    if notyet:
        w("The most used functions not served yet: " + ", ".join(
            f"`{n}` ({p})" for n, p, _ in notyet[:30]) + ".\n")
    w("| ctrl entry point | commands defined | served | commands used | used and served |")
    w("|---|---:|---:|---:|---:|")
    for k in CTRL_KINDS:
        used_k = [n for n in ctrl_use if k in ctrl_use[n]]
        srv = lambda n, k=k: any(name in ctrl_served[k] for name in ctrl_names.get(n, []))
        w(f"| `{ENTRY[k]}` | {len(ctrl_names)} | {count(ctrl_names, srv)} | {len(used_k)} | "
          f"{count(used_k, srv)} |")
    w("\n(Every command number is counted under every entry point; which numbers make sense where "
      "is OpenSSL's business.)\n")
    unserved = []
    for n in ctrl_use:
        for k, (p, _) in ctrl_use[n].items():
            if not any(x in ctrl_served[k] for x in ctrl_names.get(n, [])):
                unserved.append((-p, ENTRY[k], n))
    if unserved:
        w("The most used ctrl commands not served yet: " + ", ".join(
            f"`{e}` {n} `{'|'.join(ctrl_names.get(n, ['?']))}` ({-p})"
            for p, e, n in sorted(unserved)[:20]) + ".\n")
    if unknown_used:
        w("Names imported that `abi/libssl.so.3.symbols` does not list: " +
          ", ".join(f"`{n}`" for n in unknown_used) + "\n")

    w("## Functions\n")
    w("Every `libssl.so.3` function, most used first.\n")
    w("| function | packages | status | examples |")
    w("|---|---:|---|---|")
    for name in sorted(functions, key=lambda n: (-fn_use.get(n, (0, ""))[0], n)):
        p, ex = fn_use.get(name, (0, ""))
        w(f"| `{name}` | {p} | {fstatus(name)} | {ex.replace(',', ', ')} |")
    w("")

    w("## ctrl commands\n")
    w("Every `SSL_CTRL_*`/`DTLS_CTRL_*` number in OpenSSL 3's `ssl.h` and `tls1.h`, and any other "
      "number seen in use. For each entry point: the packages passing the command, and whether "
      "sslshim serves it there (*served* or *not yet*).\n")
    w("| number | name(s) | `SSL_CTX_ctrl` | `SSL_ctrl` | `SSL_CTX_callback_ctrl` | "
      "`SSL_callback_ctrl` | examples |")
    w("|---:|---|---|---|---|---|---|")
    order = ["ctx_ctrl", "ssl_ctrl", "ctx_callback_ctrl", "ssl_callback_ctrl"]
    for n in sorted(set(ctrl_names) | set(ctrl_use)):
        names = ctrl_names.get(n, [])
        cells = []
        for k in order:
            p = ctrl_use[n].get(k, (0, ""))[0]
            s = "served" if any(x in ctrl_served[k] for x in names) else "not yet"
            cells.append(f"{p} {s}")
        ex = set()
        for k in order:
            ex.update(e for e in ctrl_use[n].get(k, (0, ""))[1].split(",") if e)
        w(f"| {n} | {'<br>'.join('`' + x + '`' for x in names) or '(none)'} | " +
          " | ".join(cells) + f" | {', '.join(sorted(ex)[:5])} |")
    w("")
    text = "\n".join(out)
    with open(a.output, "w") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
