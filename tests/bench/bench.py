#!/usr/bin/env python3
"""Sendtrust's DNS test bench: real BIND behind dnsdist's DoH, plus a fault server.

    python3 tests/bench/bench.py start    # start, or reuse a healthy running bench (reloading its zones)
    python3 tests/bench/bench.py reload   # reload the zones of the running bench (--state PATH: another's)
    python3 tests/bench/bench.py status   # what runs where; exit 1 when unhealthy
    python3 tests/bench/bench.py env      # `export SENDTRUST_DOH=...` lines
    python3 tests/bench/bench.py stop     # stop everything `start` started

Python 3 standard library only (with benchlib.py beside it, the library the
conformance benches share). Everything runs on 127.0.0.1, on ports picked at
start. Runtime state (generated configs, the zone copies BIND serves, logs, pid
files, bench.json) lives in tests/bench/run/. Every tests/bench/zones/<zone>.zone
file is served as zone <zone>; a file `named-checkzone` rejects is an error
(start and reload fail with its message). See tests/bench/README.md.
"""

import argparse
import base64
import json
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from benchlib import (  # noqa: E402
    RCODES, TYPES, BenchError, doh_get, encode_name, parse_message, parse_type, rdata_text,
    soa_serial, udp_query, write_file,
)

HERE = os.path.dirname(os.path.abspath(__file__))
ZONES_DIR = os.path.join(HERE, "zones")
RUN_DIR = os.path.join(HERE, "run")
BENCH_JSON = os.path.join(RUN_DIR, "bench.json")
RT = benchlib.Runtime("bench", RUN_DIR, {
    "named": os.path.join(RUN_DIR, "named.conf"),
    "dnsdist": os.path.join(RUN_DIR, "dnsdist.conf"),
    "faults": os.path.join(RUN_DIR, "faults.ports"),
})

# Names answered by dnsdist rules instead of BIND (suffix match, the name itself included).
RCODE_RULES = {"servfail.fault.test": "SERVFAIL", "refused.fault.test": "REFUSED"}

START_TIMEOUT = 20.0  # seconds for each server to come up


def log(msg):
    RT.log(msg)


# --------------------------------------------------------------------------
# The fault server (runs as `bench.py serve-faults`)
# --------------------------------------------------------------------------

GARBAGE = (b"<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head>"
           b"<body><h1>Our DNS gateway is having a moment</h1></body></html>\n")


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, doh_url):
        super().__init__(address, FaultHandler)
        self.doh_url = doh_url
        self.counts = {}
        self.counts_lock = threading.Lock()

    def record(self, endpoint, name, qtype):
        key = (endpoint, (name or "").lower().rstrip("."), qtype or 0)
        with self.counts_lock:
            self.counts[key] = self.counts.get(key, 0) + 1


class FaultHandler(BaseHTTPRequestHandler):
    server_version = "sendtrust-bench-faults/1"
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))

    def reply(self, status, body=b"", ctype="text/plain; charset=utf-8", headers=()):
        try:
            self.send_response(status)
            self.send_header("access-control-allow-origin", "*")
            self.send_header("cache-control", "no-store")
            if status != 204:
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(body)))
            for key, value in headers:
                self.send_header(key, value)
            self.end_headers()
            if body and self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def reply_json(self, status, obj, ctype="application/dns-json"):
        self.reply(status, json.dumps(obj, separators=(",", ":")).encode(), ctype)

    def do_OPTIONS(self):
        self.reply(204, headers=(
            ("access-control-allow-methods", "GET, POST, OPTIONS"),
            ("access-control-allow-headers", "accept, content-type"),
            ("access-control-max-age", "86400"),
        ))

    def do_GET(self):
        self.route(None)

    def do_HEAD(self):
        self.route(None)

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        self.route(self.rfile.read(length) if length else b"")

    # -- helpers -----------------------------------------------------------

    def wire_query(self, params, body):
        """The DNS query of a wire request (GET ?dns= or POST body), or None."""
        if body is not None:
            return body
        values = params.get("dns")
        if not values:
            return None
        text = values[0]
        try:
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (ValueError, TypeError):
            return None

    def question(self, query):
        try:
            q = parse_message(query)["questions"][0]
            return q["name"], q["type"]
        except (ValueError, IndexError, TypeError):
            return None, None

    # -- routes ------------------------------------------------------------

    def route(self, body):
        path, _, qs = self.path.partition("?")
        params = urllib.parse.parse_qs(qs, keep_blank_values=True)
        parts = [p for p in path.split("/") if p]
        if parts == ["health"]:
            return self.reply(200, b"ok\n")
        if parts == ["stats"]:
            return self.stats(params)
        endpoint = parts[0] if parts else ""
        if endpoint == "slow" and len(parts) >= 3 and parts[1].isdigit():
            delay = min(int(parts[1]), 120_000) / 1000.0
            rest = parts[2:]
            if rest == ["dns-query"]:
                query = self.wire_query(params, body)
                self.server.record("slow", *self.question(query or b""))
                time.sleep(delay)
                return self.forward(qs, body)
            if rest == ["json", "resolve"]:
                self.server.record("slow-json", params.get("name", [""])[0],
                                   parse_type(params.get("type", ["A"])[0]))
                time.sleep(delay)
                return self.json_shim(params)
            return self.reply(404, b"not found\n")
        if parts == ["json", "resolve"]:
            self.server.record("json", params.get("name", [""])[0],
                               parse_type(params.get("type", ["A"])[0]))
            return self.json_shim(params)
        if len(parts) == 2 and parts[1] == "dns-query" and endpoint in (
                "http500", "garbage", "mismatch", "blackhole"):
            query = self.wire_query(params, body)
            self.server.record(endpoint, *self.question(query or b""))
            return getattr(self, "fault_" + endpoint)(query)
        return self.reply(404, b"not found\n")

    def stats(self, params):
        name = params.get("name", [None])[0]
        with self.server.counts_lock:
            counts = dict(self.server.counts)
        if name is None:
            rows = [{"endpoint": e, "name": n, "type": t, "count": c}
                    for (e, n, t), c in sorted(counts.items())]
            return self.reply_json(200, {"counts": rows}, "application/json")
        name = name.lower().rstrip(".")
        qtype = parse_type(params.get("type", [""])[0]) if params.get("type") else None
        endpoint = params.get("endpoint", [None])[0]
        total = sum(c for (e, n, t), c in counts.items()
                    if n == name and (qtype is None or t == qtype)
                    and (endpoint is None or e == endpoint))
        return self.reply_json(200, {"count": total}, "application/json")

    def fault_http500(self, _query):
        self.reply(500, b"internal server error (bench fault)\n")

    def fault_garbage(self, _query):
        self.reply(200, GARBAGE, "text/html; charset=utf-8")

    def fault_mismatch(self, query):
        name, qtype = self.question(query or b"")
        if name is None:
            return self.reply(400, b"no DNS query\n")
        qid = struct.unpack("!H", query[:2])[0]
        other = "other.fault.test" if name.lower() != "other.fault.test" else "mismatch.fault.test"
        # A well-formed response (QR, RD, RA, NOERROR) to "other A", with one answer.
        msg = struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0)
        msg += encode_name(other) + struct.pack("!HH", 1, 1)
        msg += struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton("192.0.2.53")
        self.reply(200, msg, "application/dns-message")

    def fault_blackhole(self, _query):
        # Never answer; return when the client hangs up (each request has its own thread).
        self.close_connection = True
        conn = self.connection
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            readable, _, _ = select.select([conn], [], [], 1.0)
            if not readable:
                continue
            try:
                if not conn.recv(4096):
                    return
            except OSError:
                return

    def forward(self, qs, body):
        """Relays a wire query to dnsdist's DoH endpoint and its answer back."""
        accept = self.headers.get("accept") or "application/dns-message"
        if body is None:
            request = urllib.request.Request(
                f"{self.server.doh_url}?{qs}", headers={"accept": accept})
        else:
            request = urllib.request.Request(
                self.server.doh_url, data=body, method="POST",
                headers={"accept": accept, "content-type": "application/dns-message"})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status = response.status
                ctype = response.headers.get("content-type", "application/dns-message")
                data = response.read()
        except urllib.error.HTTPError as e:
            status, ctype, data = e.code, e.headers.get("content-type", "text/plain"), e.read()
        except OSError as e:
            return self.reply(502, f"bench: dnsdist unreachable: {e}\n".encode())
        self.reply(status, data, ctype)

    def json_shim(self, params):
        """A Google-style JSON API backed by dnsdist (wire format)."""
        name = params.get("name", [""])[0].strip()
        qtype = parse_type(params.get("type", ["A"])[0] or "A")
        if not name or qtype is None:
            return self.reply_json(400, {"error": "name and a known type are required"},
                                   "application/json")
        try:
            status, parsed, raw = doh_get(self.server.doh_url, name, qtype, timeout=15,
                                          edns_size=4096)
        except ValueError as e:
            return self.reply_json(400, {"error": f"invalid name: {e}"}, "application/json")
        except OSError as e:
            return self.reply_json(502, {"error": f"dnsdist unreachable: {e}"},
                                   "application/json")
        if status != 200 or parsed is None:
            return self.reply_json(502, {"error": f"dnsdist answered HTTP {status}"},
                                   "application/json")

        def records(section):
            return [{"name": rr["name"] + ".", "type": rr["type"], "TTL": rr["ttl"],
                     "data": rdata_text(raw, rr)}
                    for rr in parsed[section] if rr["type"] != 41]

        out = {
            "Status": parsed["rcode"], "TC": parsed["tc"], "RD": parsed["rd"],
            "RA": parsed["ra"], "AD": False, "CD": False,
            "Question": [{"name": q["name"] + ".", "type": q["type"]}
                         for q in parsed["questions"]],
        }
        answer, authority = records("answers"), records("authority")
        if answer:
            out["Answer"] = answer
        if authority:
            out["Authority"] = authority
        self.reply_json(200, out)


def serve_faults(args):
    server = FaultServer(("127.0.0.1", 0), args.doh)
    # The "down" endpoint: a port bound (so nobody else takes it) but never listening,
    # so connections to it are refused.
    down = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    down.bind(("127.0.0.1", 0))
    ports = {"fault_port": server.server_address[1], "down_port": down.getsockname()[1]}
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump(ports, f)
    os.replace(tmp, args.port_file)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        down.close()


# --------------------------------------------------------------------------
# Zones and configuration
# --------------------------------------------------------------------------

ZONE_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9_-]{1,63}\.)*[A-Za-z0-9_-]{1,63}$")


def scan_zones(tools, known=None):
    """{zone: info} for every zones/*.zone file, each checked by named-checkzone (a
    file whose content hash is in `known`, the zones of the running bench, was checked
    when it was loaded). Raises BenchError naming every file that does not load."""
    known = known or {}
    zones, errors = {}, []
    for entry in sorted(os.listdir(ZONES_DIR)):
        if not entry.endswith(".zone"):
            continue
        zone = entry[:-len(".zone")].rstrip(".").lower()
        path = os.path.join(ZONES_DIR, entry)
        if not ZONE_NAME.match(zone):
            errors.append(f"{path}: file name is not <zone name>.zone")
            continue
        digest = benchlib.sha256_file(path)
        if known.get(zone, {}).get("sha256") == digest and known[zone].get("source") == path:
            zones[zone] = dict(known[zone])
            continue
        try:
            serial = benchlib.check_zone(tools, zone, path)
        except BenchError as e:
            errors.append(str(e))
            continue
        zones[zone] = {"source": path, "file": os.path.join(RUN_DIR, "zones", entry),
                       "serial": serial, "sha256": digest}
    if errors:
        raise BenchError("\n".join(errors))
    return zones


def install_zones(zones):
    """Copies each checked zone file to run/zones/, which is what BIND serves: a copy is
    rewritten only when its content changed, so BIND's mtime check on reload sees every
    change (an edit that keeps a file's size and mtime included)."""
    os.makedirs(os.path.join(RUN_DIR, "zones"), exist_ok=True)
    for info in zones.values():
        with open(info["source"], "rb") as f:
            data = f.read()
        try:
            with open(info["file"], "rb") as f:
                same = f.read() == data
        except OSError:
            same = False
        if not same:
            with open(info["file"] + ".tmp", "wb") as f:
                f.write(data)
            os.replace(info["file"] + ".tmp", info["file"])


def write_named_conf(port, zones):
    workdir = os.path.join(RUN_DIR, "named")
    os.makedirs(workdir, exist_ok=True)
    lines = ["// Generated by tests/bench/bench.py; do not edit (rewritten at every start)."]
    lines += benchlib.named_options(workdir, port)
    lines.append("")
    for zone, info in sorted(zones.items()):
        lines.append(f'zone "{zone}" {{ type primary; file "{info["file"]}"; }};')
    path = RT.markers["named"]
    write_file(path, "\n".join(lines) + "\n")
    return path


def write_dnsdist_conf(dns_port, doh_port, bind_port):
    rules = "\n".join(
        f'addAction({{"{name}."}}, RCodeAction(DNSRCode.{rcode}))'
        for name, rcode in sorted(RCODE_RULES.items()))
    text = f"""-- Generated by tests/bench/bench.py; do not edit (rewritten at every start).
-- No console/control socket, no web server, no packet cache (zone edits show at once).
setSecurityPollSuffix("")
setLocal("127.0.0.1:{dns_port}")
addDOHLocal("127.0.0.1:{doh_port}", nil, nil, "/dns-query",
  {{customResponseHeaders={{["access-control-allow-origin"]="*"}}}})
local bind = newServer({{address="127.0.0.1:{bind_port}", name="bind"}})
-- BIND is authoritative only: health-check queries for the root would be REFUSED.
bind:setUp()
-- Fault names: answered here, never sent to BIND.
{rules}
"""
    path = RT.markers["dnsdist"]
    write_file(path, text)
    return path


def wait_zones(bind_port, zones, proc=None, removed=(), timeout=START_TIMEOUT):
    """Waits until BIND serves each zone's SOA with the expected serial (and no
    longer serves removed zones). Returns an error text or None."""
    deadline = time.monotonic() + timeout
    pending = dict(zones)
    gone = set(removed)
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return f"named exited with status {proc.returncode}"
        for zone, info in list(pending.items()):
            got = udp_query(bind_port, zone, TYPES["SOA"], timeout=0.5)
            if not got:
                continue
            parsed, raw = got
            soas = [rr for rr in parsed["answers"] if rr["type"] == 6]
            if parsed["rcode"] == 0 and soas and (
                    info.get("serial") is None or soa_serial(raw, soas[0]) == info["serial"]):
                del pending[zone]
        for zone in list(gone):
            got = udp_query(bind_port, zone, TYPES["SOA"], timeout=0.5)
            if got and got[0]["rcode"] == 5:
                gone.discard(zone)
        if not pending and not gone:
            return None
        time.sleep(0.1)
    return f"zones not served in time: {', '.join(sorted(set(pending) | gone))}"


def health_zone(zones):
    if "fault.test" in zones:
        return "fault.test"
    return sorted(zones)[0] if zones else "fault.test"


def check_health(state):
    """None when the DoH chain and the fault server answer; else what failed."""
    zone = health_zone(state.get("zones", {}))
    expect_noerror = zone in state.get("zones", {})
    try:
        status, parsed, _ = doh_get(state["doh"], zone, TYPES["SOA"], timeout=3)
    except OSError as e:
        return f"dnsdist DoH: {e}"
    if status != 200 or parsed is None:
        return f"dnsdist DoH answered HTTP {status}"
    if not parsed["questions"] or parsed["questions"][0]["name"].lower() != zone:
        return "dnsdist DoH answered another question"
    if expect_noerror and parsed["rcode"] != 0:
        return f"dnsdist DoH answered {RCODES.get(parsed['rcode'], parsed['rcode'])} for {zone} SOA"
    try:
        status, parsed, _ = doh_get(state["slow_prefix"] + "0/dns-query", zone, TYPES["SOA"],
                                    timeout=3)
        if status != 200 or parsed is None:
            return f"fault server /slow answered HTTP {status}"
        url = f"{state['json']}?name={zone}&type=SOA"
        with urllib.request.urlopen(url, timeout=3) as response:
            body = json.loads(response.read())
        if "Status" not in body:
            return "fault server /json/resolve gave no Status"
    except (OSError, ValueError) as e:
        return f"fault server: {e}"
    return None


def installed(zones):
    """Every zone's copy in run/zones/ has the content the state records."""
    for info in zones.values():
        try:
            if benchlib.sha256_file(info["file"]) != info.get("sha256"):
                return False
        except OSError:
            return False
    return True


def reload_zones(state, tools):
    """Checks every zone file, installs changed copies, rewrites named.conf and has BIND
    reload (SIGHUP), then waits until each zone is served. Nothing to do when no zone
    file was added, removed or changed (by content). Raises BenchError on a zone that
    does not load or a reload that fails; the running bench then keeps its old data."""
    old = state.get("zones", {})
    zones = scan_zones(tools, known=old)
    if zones == old and installed(zones):
        return
    conf = write_named_conf(state["bind_port"], zones)
    check = subprocess.run([tools["named-checkconf"], conf], capture_output=True, text=True)
    if check.returncode != 0:
        raise BenchError("named-checkconf failed:\n" + check.stdout + check.stderr)
    install_zones(zones)
    RT.reload_named(state["pids"]["named"], timeout=START_TIMEOUT)
    error = wait_zones(state["bind_port"], zones, removed=set(old) - set(zones))
    if error:
        raise BenchError(error)
    changed = sorted(z for z in set(zones) | set(old)
                     if zones.get(z, {}).get("sha256") != old.get(z, {}).get("sha256"))
    state["zones"] = zones
    state["reloaded"] = benchlib.stamp()
    RT.write_state(state)
    if changed:
        log(f"zones reloaded; changed: {', '.join(changed)}")


def start_once(tools, zones):
    """One attempt at starting everything; the state, or BenchError."""
    taken = set()
    bind_port = benchlib.free_port(taken, udp=True)
    dns_port = benchlib.free_port(taken, udp=True)
    doh_port = benchlib.free_port(taken)

    install_zones(zones)
    conf = write_named_conf(bind_port, zones)
    check = subprocess.run([tools["named-checkconf"], conf], capture_output=True, text=True)
    if check.returncode != 0:
        raise BenchError("named-checkconf failed:\n" + check.stdout + check.stderr)
    named = RT.spawn("named", [RT.unconfined(tools["named"], "named"),
                               "-g", "-4", "-n", "1", "-c", conf])
    error = wait_zones(bind_port, zones, proc=named)
    if error:
        raise BenchError(f"BIND did not come up: {error}\n--- named.log\n{RT.tail('named')}")

    dconf = write_dnsdist_conf(dns_port, doh_port, bind_port)
    check = subprocess.run([tools["dnsdist"], "--check-config", "-C", dconf],
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise BenchError("dnsdist --check-config failed:\n" + check.stdout + check.stderr)
    dnsdist = RT.spawn("dnsdist", [tools["dnsdist"], "--supervised", "--disable-syslog",
                                   "-C", dconf])
    doh = f"http://127.0.0.1:{doh_port}/dns-query"

    port_file = RT.markers["faults"]
    try:
        os.remove(port_file)
    except FileNotFoundError:
        pass
    faults = RT.spawn("faults", [sys.executable, "-u", os.path.abspath(__file__), "serve-faults",
                                 "--doh", doh, "--port-file", port_file])
    deadline = time.monotonic() + START_TIMEOUT
    while not os.path.exists(port_file):
        if faults.poll() is not None or time.monotonic() > deadline:
            raise BenchError(f"fault server did not start\n--- faults.log\n{RT.tail('faults')}")
        time.sleep(0.05)
    with open(port_file) as f:
        ports = json.load(f)
    base = f"http://127.0.0.1:{ports['fault_port']}"
    state = {
        "doh": doh,
        "json": f"{base}/json/resolve",
        "http500": f"{base}/http500/dns-query",
        "garbage": f"{base}/garbage/dns-query",
        "mismatch": f"{base}/mismatch/dns-query",
        "blackhole": f"{base}/blackhole/dns-query",
        "slow_prefix": f"{base}/slow/",
        "down": f"http://127.0.0.1:{ports['down_port']}/dns-query",
        "stats": f"{base}/stats",
        "bind_port": bind_port,
        "dns_port": dns_port,
        "doh_port": doh_port,
        "fault_port": ports["fault_port"],
        "down_port": ports["down_port"],
        "pids": {"named": named.pid, "dnsdist": dnsdist.pid, "faults": faults.pid},
        "zones": zones,
        "run_dir": RUN_DIR,
        "started": benchlib.stamp(),
    }
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if dnsdist.poll() is not None:
            raise BenchError(f"dnsdist exited with status {dnsdist.returncode}\n"
                             f"--- dnsdist.log\n{RT.tail('dnsdist')}")
        error = check_health(state)
        if error is None:
            return state
        if time.monotonic() > deadline:
            raise BenchError(f"health check failed: {error}\n--- dnsdist.log\n"
                             f"{RT.tail('dnsdist')}--- faults.log\n{RT.tail('faults')}"
                             f"--- named.log\n{RT.tail('named', 10)}")
        time.sleep(0.1)


def summary(state):
    return (f"doh={state['doh']} json={state['json']} bind=127.0.0.1:{state['bind_port']} "
            f"zones={','.join(sorted(state.get('zones', {}))) or '-'}")


def cmd_start(_args):
    with RT.lock():
        state = RT.read_state()
        tools = benchlib.ensure_tools(log)
        if RT.running(state) and check_health(state) is None:
            # A zone that does not load fails here (reload_zones raises): the
            # bench must not go on serving without it.
            reload_zones(state, tools)
            print(f"bench: running (reused, zones up to date): {summary(state)}")
            return 0
        if state:
            log("bench not healthy: restarting it")
        zones = scan_zones(tools)
        RT.stop(quiet=True)
        for attempt in range(3):
            try:
                state = start_once(tools, zones)
                break
            except BenchError as e:
                RT.stop(quiet=True)
                if attempt == 2 or ("did not come up" not in str(e)
                                    and "health check" not in str(e)):
                    raise  # a configuration error: trying again will not help
                log(f"start attempt {attempt + 1} failed, retrying")
        RT.write_state(state)
        print(f"bench: started: {summary(state)}")
        return 0


def cmd_reload(args):
    """Reloads the zones of the running bench described by --state (default: this one's)."""
    with RT.lock():
        state = RT.read_state(args.state)
        if not RT.running(state):
            raise BenchError(f"no running bench at {args.state}; run `bench.py start`")
        if os.path.realpath(state.get("run_dir", "")) != os.path.realpath(RUN_DIR):
            raise BenchError(f"{args.state} belongs to the bench in {state.get('run_dir')}; "
                             "reload it with that checkout's bench.py")
        reload_zones(state, benchlib.ensure_tools(log))
        print(f"bench: zones reloaded: {summary(state)}")
        return 0


def cmd_stop(_args):
    with RT.lock():
        RT.stop()
    return 0


def cmd_status(_args):
    state = RT.read_state()
    if not state:
        print("bench: not running (no bench.json)")
        return 1
    for service in RT.services:
        pid = state["pids"].get(service)
        alive = RT.alive(pid, service)
        print(f"{service:8} pid {pid} {'running' if alive else 'NOT RUNNING'}")
    for key in ("doh", "json", "http500", "garbage", "mismatch", "blackhole", "slow_prefix",
                "down", "stats"):
        print(f"{key:12} {state[key]}")
    print(f"{'bind_port':12} {state['bind_port']} (plain DNS; dnsdist plain DNS on "
          f"{state['dns_port']})")
    for zone, info in sorted(state.get("zones", {}).items()):
        print(f"zone {zone} serial {info.get('serial')}")
    error = check_health(state) if RT.running(state) else "not all processes run"
    print(f"health: {error or 'ok'}")
    return 0 if error is None else 1


def cmd_env(_args):
    state = RT.read_state()
    if not RT.running(state):
        print("bench: not running; run `python3 tests/bench/bench.py start`", file=sys.stderr)
        return 1
    print(f"export SENDTRUST_DOH={state['doh']}")
    print(f"export SENDTRUST_DOH_JSON={state['json']}")
    print(f"export SENDTRUST_BENCH_JSON={BENCH_JSON}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("start", help="start the bench, or reuse a healthy one (reloading its zones)")
    reload = sub.add_parser("reload", help="reload the running bench's zones")
    reload.add_argument("--state", default=BENCH_JSON, help="its bench.json")
    sub.add_parser("stop", help="stop everything start started")
    sub.add_parser("status", help="show the bench; exit 1 when unhealthy")
    sub.add_parser("env", help="print export lines for the shell")
    faults = sub.add_parser("serve-faults", help=argparse.SUPPRESS)
    faults.add_argument("--doh", required=True)
    faults.add_argument("--port-file", required=True)
    args = parser.parse_args()
    if args.command == "serve-faults":
        return serve_faults(args)
    commands = {"start": cmd_start, "reload": cmd_reload, "stop": cmd_stop,
                "status": cmd_status, "env": cmd_env}
    try:
        return commands[args.command](args)
    except BenchError as e:
        log("failed:\n    " + str(e).replace("\n", "\n    "))
        return 1


if __name__ == "__main__":
    sys.exit(main() or 0)
