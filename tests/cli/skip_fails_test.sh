#!/usr/bin/env bash
# A test that does not run fails the test command: a throwaway ctest project with one test that
# passes and one that skips (its SKIP_RETURN_CODE, as a driver does when its program is missing)
# goes through tools/run-ctest, which must fail with the skip named; the passing test alone passes.
set -euo pipefail
run_ctest=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/src"
cat >"$work/src/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(skip_probe NONE)
enable_testing()
add_test(NAME probe.passes COMMAND true)
add_test(NAME probe.prerequisite_missing COMMAND sh -c "exit 77")
set_tests_properties(probe.prerequisite_missing PROPERTIES SKIP_RETURN_CODE 77)
CMAKE
cmake -S "$work/src" -B "$work/build" >/dev/null

status=0
"$run_ctest" "$work/all.log" --test-dir "$work/build" >"$work/out" 2>&1 || status=$?
if [ "$status" -eq 0 ]; then
  echo "FAIL: a skipped test passed the run"; cat "$work/out"; exit 1
fi
grep -q "probe.prerequisite_missing" "$work/out" ||
  { echo "FAIL: the skipped test is not named"; cat "$work/out"; exit 1; }
grep -q "a skipped test fails the test command" "$work/out" ||
  { echo "FAIL: no reason given"; cat "$work/out"; exit 1; }
echo "skip fails the run: status $status, named and explained"

"$run_ctest" "$work/pass.log" --test-dir "$work/build" -R probe.passes >"$work/out" 2>&1 ||
  { echo "FAIL: a run where every test ran and passed failed"; cat "$work/out"; exit 1; }
echo "a run with no skip passes"

status=0
"$run_ctest" "$work/fail.log" --test-dir "$work/build" -R probe.passes -E probe --no-tests=error \
  >"$work/out" 2>&1 || status=$?
[ "$status" -ne 0 ] || { echo "FAIL: ctest's own failure was lost"; cat "$work/out"; exit 1; }
echo "ctest's own failure is kept: status $status"
