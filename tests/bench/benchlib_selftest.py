#!/usr/bin/env python3
"""Self-test of the benches' shared library (run by tests/it/bench_selftest.rs).

    python3 tests/bench/benchlib_selftest.py

Starts a private one-view bench (benchlib.ViewsBench) in a temporary run
directory on free ports, so it never touches a running test bench, and checks:
reuse reloads changed zone data; a zone that does not load is an error and
the running bench keeps serving its previous data; bench.py's zone scan
rejects a file named-checkzone rejects. Exits 1 with the reason on failure.
"""

import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import benchlib  # noqa: E402
import bench  # noqa: E402


def txt(state, name):
    """The TXT strings of `name` from view 0 over DoH."""
    status, parsed, raw = benchlib.doh_get(state["endpoints"][0], name, benchlib.TYPES["TXT"],
                                           timeout=5)
    if status != 200 or parsed is None:
        raise AssertionError(f"DoH answered HTTP {status}")
    return [b"".join(benchlib.txt_strings(raw[rr["rdoff"]:rr["rdoff"] + rr["rdlen"]])).decode()
            for rr in parsed["answers"] if rr["type"] == 16]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    run_dir = tempfile.mkdtemp(prefix="benchlib-selftest-")
    views = None
    try:
        def views_bench(value):
            return benchlib.ViewsBench("selftest", run_dir, [f'a.example. IN TXT "{value}"\n'],
                                       "same-digest")

        views = views_bench("one")
        check(views.cmd_start() == 0, "start failed")
        state = views.rt.read_state()
        check(txt(state, "a.example") == ["one"], f"first data: {txt(state, 'a.example')}")

        # Reuse with changed zone data: the running bench reloads it.
        views = views_bench("two")
        check(views.cmd_start() == 0, "reuse failed")
        check(views.rt.read_state()["pids"] == state["pids"], "reuse restarted the servers")
        check(txt(state, "a.example") == ["two"], f"not reloaded: {txt(state, 'a.example')}")

        # A zone that does not load: an error, and the old data stays served.
        broken = benchlib.ViewsBench("selftest", run_dir, ["a.example. IN TXT (\n"],
                                     "same-digest")
        try:
            broken.cmd_start()
            raise AssertionError("a zone that does not load was accepted")
        except benchlib.BenchError as e:
            check("does not load" in str(e), f"unexpected error: {e}")
        check(txt(state, "a.example") == ["two"], "the running bench lost its data")

        # bench.py's zone directory: a file named-checkzone rejects is an error.
        tools = benchlib.ensure_tools(print)
        zones = os.path.join(run_dir, "zones-dir")
        os.makedirs(zones)
        good = ("$TTL 60\n@ IN SOA ns.t.test. h.t.test. 1 60 60 60 60\n@ IN NS ns.t.test.\n"
                "ns IN A 127.0.0.1\n")
        with open(os.path.join(zones, "t.test.zone"), "w") as f:
            f.write(good)
        bench.ZONES_DIR = zones
        check(set(bench.scan_zones(tools)) == {"t.test"}, "a good zone was not read")
        with open(os.path.join(zones, "u.test.zone"), "w") as f:
            f.write(good + "broken (\n")
        try:
            bench.scan_zones(tools)
            raise AssertionError("bench.py accepted a zone that does not load")
        except benchlib.BenchError as e:
            check("u.test" in str(e), f"the error does not name the zone: {e}")
    except AssertionError as e:
        print(f"benchlib self-test FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        if views is not None:
            views.rt.stop(quiet=True)
        shutil.rmtree(run_dir, ignore_errors=True)
    print("benchlib self-test: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
