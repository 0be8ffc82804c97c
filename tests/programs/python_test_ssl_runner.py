"""Runs Python's test.test_ssl and writes every test's outcome as JSON, for python_test_ssl.sh.

usage: python3 python_test_ssl_runner.py OUT.jsonl
Output: one JSON line per test as it finishes, ["test id", "ok"|"fail"|"error"|"skip"|"xfail"|
"xpass", "cause"]; the cause is the last line of the traceback (or the skip reason). Written as
the run goes, so a crash of the interpreter (a fault in the shim, say) keeps what ran before it.
"""
import json
import sys
import unittest

import test.test_ssl


OUT = None


class RecordingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = _Recorder()

    def _cause(self, err, test):
        lines = [l for l in self._exc_info_to_string(err, test).splitlines() if l.strip()]
        return lines[-1].strip()[:300] if lines else ""

    def addSuccess(self, test):
        super().addSuccess(test)
        self.outcomes[test.id()] = ["ok", ""]

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.outcomes[test.id()] = ["fail", self._cause(err, test)]

    def addError(self, test, err):
        super().addError(test, err)
        self.outcomes[test.id()] = ["error", self._cause(err, test)]

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcomes[test.id()] = ["skip", reason]

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.outcomes[test.id()] = ["xfail", ""]

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.outcomes[test.id()] = ["xpass", ""]


class _Recorder:
    """outcomes[test_id] = [outcome, cause] writes one line to OUT at once."""

    def __setitem__(self, test_id, value):
        OUT.write(json.dumps([test_id] + value) + "\n")
        OUT.flush()


def main():
    global OUT
    OUT = open(sys.argv[1], "w")
    suite = unittest.defaultTestLoader.loadTestsFromModule(test.test_ssl)
    unittest.TextTestRunner(resultclass=RecordingResult, verbosity=1).run(suite)
    OUT.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
