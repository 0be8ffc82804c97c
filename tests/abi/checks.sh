# Sourced by the shell tests in this directory: a scratch directory ($dir) removed at exit, fail,
# which records a failed check and goes on (so one run reports every check that did not hold),
# and finish, which ends the test with the verdict.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

finish() {  # finish NAME
  [ "$failures" -eq 0 ] && echo "$1: all checks passed"
  exit $((failures > 0))
}
