#!/usr/bin/env bash
# Python's own test_ssl (Debian package libpython3.11-testsuite) with Debian's /usr/bin/python3,
# natively and with the shim: the shim's pass count must be at least 95% of the native
# one, and every test that passes natively but not under the shim is listed with its cause (the
# last line of its traceback, and what sslshim said on stderr). Takes minutes: not in `ctest`.
#
# usage: python_test_ssl.sh [preload|standin ...]   (default: preload standin)
# Environment: PROGRAMS_SHIM, PROGRAMS_STANDIN_DIR as for the ctest scenarios; PROGRAMS_KEEP=1.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(preload standin)
python=/usr/bin/python3
require "$python" python3
"${NATIVE[@]}" "$python" -c 'import test.test_ssl' 2>/dev/null ||
  skip "python's test_ssl is missing (Debian package libpython3.11-testsuite)"

# run_suite NAME PREFIX...: the whole test_ssl, each test's outcome into $WORK/NAME.jsonl.
run_suite() {
  local name=$1
  shift
  say "-- running test_ssl: $name"
  (cd "$WORK" && timeout 900 "$@" "$python" "$here/python_test_ssl_runner.py" "$WORK/$name.jsonl" \
    >"$WORK/$name.log" 2>&1) || true
}

# summary NAME: "<passed> <failed+errors> <skipped>".
summary() {
  "${NATIVE[@]}" "$python" - "$WORK/$1.jsonl" <<'PY'
import json, sys
d = {}
try:
    for line in open(sys.argv[1]):
        t, outcome, cause = json.loads(line)
        d[t] = [outcome, cause]
except (OSError, ValueError):
    pass
count = lambda *kinds: sum(1 for v in d.values() if v[0] in kinds)
print(count("ok", "xfail"), count("fail", "error", "xpass"), count("skip"))
PY
}

# extra_failures NATIVE SHIM: tests passing natively, not under the shim, with their causes.
extra_failures() {
  "${NATIVE[@]}" "$python" - "$WORK/$1.jsonl" "$WORK/$2.jsonl" "$WORK/$2.log" <<'PY'
import json, re, sys
def load(path):
    d = {}
    try:
        for line in open(path):
            t, outcome, cause = json.loads(line)
            d[t] = [outcome, cause]
    except (OSError, ValueError):
        pass
    return d
native, shim = load(sys.argv[1]), load(sys.argv[2])
not_run = []
for test, (outcome, _) in sorted(native.items()):
    got, cause = shim.get(test, ["did not run", ""])
    if outcome == "ok" and got == "did not run":
        not_run.append(test)
    elif outcome == "ok" and got != "ok":
        print("  %s: %s -- %s" % (test.replace("test.test_ssl.", ""), got, cause))
if not_run:
    print("  %d tests did not run (the interpreter stopped), from %s" %
          (len(not_run), not_run[0].replace("test.test_ssl.", "")))
log = open(sys.argv[3], errors="replace").read()
refused = sorted(set(re.findall(r"sslshim: ([^\n]*?): not (?:implemented|supported)", log)))
if refused:
    print("  sslshim refused during the run: " + " ".join(refused))
if not shim:
    print("  the run did not finish; its last lines:\n" + "\n".join(log.splitlines()[-5:]))
PY
}

programs_init test_ssl native
run_suite native "${NATIVE[@]}"
read -r n_ok n_bad n_skip <<<"$(summary native)"
say "native: $n_ok passed, $n_bad failed, $n_skip skipped"
for mode in "${modes[@]}"; do
  case "$mode" in
    preload) prefix=("${NATIVE[@]}" LD_PRELOAD="${PROGRAMS_SHIM:?}" SSLSHIM_BACKEND=boringssl) ;;
    standin) prefix=("${NATIVE[@]}" LD_LIBRARY_PATH="${PROGRAMS_STANDIN_DIR:?}" SSLSHIM_BACKEND=boringssl) ;;
    *) say "unknown mode $mode" >&2; exit 2 ;;
  esac
  run_suite "$mode" "${prefix[@]}"
  read -r s_ok s_bad s_skip <<<"$(summary "$mode")"
  pct=$((n_ok > 0 ? 100 * s_ok / n_ok : 0))
  say "$mode: $s_ok passed, $s_bad failed, $s_skip skipped: $pct% of native's passes"
  say "tests passing natively but not in $mode mode, with causes:"
  extra_failures native "$mode"
  [ $((100 * s_ok)) -ge $((95 * n_ok)) ] && pass "$mode: at least 95% of native's passes" ||
    fail "$mode: below 95% of native's passes"
done
programs_finish
