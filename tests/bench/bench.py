#!/usr/bin/env python3
"""Sendtrust's DNS test bench: real BIND behind dnsdist's DoH, plus a fault server.

    python3 tests/bench/bench.py start    # start, or reuse a healthy running bench
    python3 tests/bench/bench.py status   # what runs where; exit 1 when unhealthy
    python3 tests/bench/bench.py env      # `export SENDTRUST_DOH=...` lines
    python3 tests/bench/bench.py stop     # stop everything `start` started

Python 3 standard library only. Everything runs on 127.0.0.1, on ports picked
at start. Runtime state (generated configs, logs, pid files, bench.json) lives
in tests/bench/run/. Every tests/bench/zones/<zone>.zone file is served as zone
<zone>. See tests/bench/README.md.
"""

import argparse
import base64
import fcntl
import json
import os
import random
import re
import select
import shutil
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

HERE = os.path.dirname(os.path.abspath(__file__))
ZONES_DIR = os.path.join(HERE, "zones")
RUN_DIR = os.path.join(HERE, "run")
BENCH_JSON = os.path.join(RUN_DIR, "bench.json")
LOCK_FILE = os.path.join(RUN_DIR, ".lock")
SERVICES = ("named", "dnsdist", "faults")

# Names answered by dnsdist rules instead of BIND (suffix match, the name itself included).
RCODE_RULES = {"servfail.fault.test": "SERVFAIL", "refused.fault.test": "REFUSED"}

START_TIMEOUT = 20.0  # seconds for each server to come up


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# DNS wire format (just what the bench needs)
# --------------------------------------------------------------------------

TYPES = {
    "A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16,
    "AAAA": 28, "SRV": 33, "OPT": 41, "DS": 43, "DNSKEY": 48, "CAA": 257, "ANY": 255,
}
TYPE_NAMES = {v: k for k, v in TYPES.items()}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def parse_type(text):
    """`A`, `txt` or `16` -> 16; None when unknown."""
    text = (text or "").strip()
    if text.isdigit():
        value = int(text)
        return value if 0 < value < 65536 else None
    return TYPES.get(text.upper())


def encode_name(name):
    name = name.strip().rstrip(".")
    out = b""
    if name:
        for label in name.split("."):
            raw = label.encode("ascii")
            if not 0 < len(raw) <= 63:
                raise ValueError(f"bad label in {name!r}")
            out += bytes([len(raw)]) + raw
    return out + b"\0"


def build_query(name, qtype, qid=0, edns_size=None):
    """A query with RD set; with an EDNS OPT record when edns_size is given."""
    arcount = 1 if edns_size else 0
    msg = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, arcount)
    msg += encode_name(name) + struct.pack("!HH", qtype, 1)
    if edns_size:
        msg += b"\0" + struct.pack("!HHIH", 41, edns_size, 0, 0)
    return msg


def read_name(msg, off):
    """(name without trailing dot, offset after the name in place)."""
    labels = []
    end = None
    jumps = 0
    while True:
        if off >= len(msg):
            raise ValueError("name runs past the message")
        length = msg[off]
        if length & 0xC0 == 0xC0:
            if off + 1 >= len(msg):
                raise ValueError("truncated pointer")
            if end is None:
                end = off + 2
            off = ((length & 0x3F) << 8) | msg[off + 1]
            jumps += 1
            if jumps > 64:
                raise ValueError("pointer loop")
            continue
        if length & 0xC0:
            raise ValueError("bad label type")
        off += 1
        if length == 0:
            break
        label = msg[off:off + length]
        if len(label) != length:
            raise ValueError("truncated label")
        labels.append(escape_label(label))
        off += length
    return ".".join(labels), (end if end is not None else off)


def escape_label(raw):
    out = []
    for b in raw:
        if b in (0x2E, 0x5C, 0x22, 0x28, 0x29, 0x3B, 0x40, 0x24):  # . \ " ( ) ; @ $
            out.append("\\" + chr(b))
        elif 0x21 <= b <= 0x7E:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03d}")
    return "".join(out)


def parse_message(msg):
    """A dict with id, flags, rcode, questions, answers, authority, additional."""
    if len(msg) < 12:
        raise ValueError("shorter than a DNS header")
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
    off = 12
    questions = []
    for _ in range(qd):
        name, off = read_name(msg, off)
        if off + 4 > len(msg):
            raise ValueError("truncated question")
        qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
        off += 4
        questions.append({"name": name, "type": qtype, "class": qclass})
    sections = []
    for count in (an, ns, ar):
        records = []
        for _ in range(count):
            name, off = read_name(msg, off)
            if off + 10 > len(msg):
                raise ValueError("truncated record")
            rtype, rclass, ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
            off += 10
            if off + rdlen > len(msg):
                raise ValueError("truncated rdata")
            records.append({"name": name, "type": rtype, "class": rclass, "ttl": ttl,
                            "rdoff": off, "rdlen": rdlen})
            off += rdlen
        sections.append(records)
    return {
        "id": qid, "flags": flags, "rcode": flags & 0x000F, "tc": bool(flags & 0x0200),
        "rd": bool(flags & 0x0100), "ra": bool(flags & 0x0080), "aa": bool(flags & 0x0400),
        "questions": questions, "answers": sections[0], "authority": sections[1],
        "additional": sections[2],
    }


def txt_strings(rdata):
    out = []
    i = 0
    while i < len(rdata):
        n = rdata[i]
        out.append(rdata[i + 1:i + 1 + n])
        i += 1 + n
    return out


def quote_txt(raw):
    """One character-string in presentation form: quoted, with \\" \\\\ and \\DDD escapes."""
    out = ['"']
    for b in raw:
        if b in (0x22, 0x5C):
            out.append("\\" + chr(b))
        elif 0x20 <= b <= 0x7E:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03d}")
    out.append('"')
    return "".join(out)


def rdata_text(msg, rr):
    """Presentation form of a record's data, as the Google/Cloudflare JSON APIs give it."""
    off, n, rtype = rr["rdoff"], rr["rdlen"], rr["type"]
    rdata = msg[off:off + n]
    if rtype == 1 and n == 4:
        return socket.inet_ntop(socket.AF_INET, rdata)
    if rtype == 28 and n == 16:
        return socket.inet_ntop(socket.AF_INET6, rdata)
    if rtype in (2, 5, 12):
        return read_name(msg, off)[0] + "."
    if rtype == 15:
        return f"{struct.unpack('!H', rdata[:2])[0]} {read_name(msg, off + 2)[0]}."
    if rtype == 16:
        return " ".join(quote_txt(s) for s in txt_strings(rdata))
    if rtype == 6:
        mname, o = read_name(msg, off)
        rname, o = read_name(msg, o)
        serial, refresh, retry, expire, minimum = struct.unpack("!IIIII", msg[o:o + 20])
        return f"{mname}. {rname}. {serial} {refresh} {retry} {expire} {minimum}"
    return f"\\# {n} {rdata.hex()}"


def soa_serial(msg, rr):
    _, o = read_name(msg, rr["rdoff"])
    _, o = read_name(msg, o)
    return struct.unpack("!I", msg[o:o + 4])[0]


def udp_query(port, name, qtype, timeout=1.0):
    """Asks 127.0.0.1:port over UDP; (parsed message, raw bytes) or None."""
    qid = random.randrange(1, 65536)
    packet = build_query(name, qtype, qid=qid, edns_size=4096)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(packet, ("127.0.0.1", port))
            data, _ = s.recvfrom(65535)
        except OSError:
            return None
    try:
        parsed = parse_message(data)
    except ValueError:
        return None
    return (parsed, data) if parsed["id"] == qid else None


def doh_get(url, name, qtype, timeout=5.0, edns_size=None):
    """RFC 8484 GET; (HTTP status, parsed message or None, raw body)."""
    packet = build_query(name, qtype, edns_size=edns_size)
    encoded = base64.urlsafe_b64encode(packet).rstrip(b"=").decode()
    request = urllib.request.Request(
        f"{url}?dns={encoded}", headers={"accept": "application/dns-message"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, None, e.read()
    try:
        return status, parse_message(body), body
    except ValueError:
        return status, None, body


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
# Processes, ports, tools
# --------------------------------------------------------------------------

def find_tool(name):
    found = shutil.which(name)
    if found:
        return found
    for folder in ("/usr/sbin", "/usr/bin", "/sbin", "/usr/local/sbin"):
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK):
            return path
    return None


def ensure_tools():
    """Paths of named, named-checkconf, named-checkzone and dnsdist; apt-get installs them if missing."""
    names = ("named", "named-checkconf", "named-checkzone", "dnsdist")
    tools = {n: find_tool(n) for n in names}
    if all(tools.values()):
        return tools
    missing = [n for n, p in tools.items() if not p]
    log(f"missing {', '.join(missing)}: installing bind9, bind9-utils and dnsdist with apt-get")
    if not find_tool("apt-get"):
        sys.exit("bench: apt-get not found; install BIND 9 (named, named-checkzone) and dnsdist")
    prefix = []
    if os.geteuid() != 0:
        if not find_tool("sudo"):
            sys.exit("bench: not root and no sudo; install bind9 bind9-utils dnsdist first")
        prefix = ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"],
                ["apt-get", "install", "-y", "--no-install-recommends",
                 "bind9", "bind9-utils", "dnsdist"]):
        if subprocess.run(prefix + cmd, env=env).returncode != 0:
            sys.exit(f"bench: `{' '.join(cmd)}` failed")
    tools = {n: find_tool(n) for n in names}
    still = [n for n, p in tools.items() if not p]
    if still:
        sys.exit(f"bench: still missing after apt-get install: {', '.join(still)}")
    return tools


def unconfined_copy(path, name):
    """Ubuntu/Debian AppArmor profiles confine /usr/sbin/named to /etc/bind and friends,
    which would forbid our config and zones in the checkout. A copy of the binary at
    another path is not confined by a path-attached profile."""
    try:
        with open("/sys/module/apparmor/parameters/enabled") as f:
            enabled = f.read().strip() == "Y"
    except OSError:
        enabled = False
    profile = "/etc/apparmor.d/" + path.lstrip("/").replace("/", ".")
    if not (enabled and os.path.exists(profile)):
        return path
    bindir = os.path.join(RUN_DIR, "bin")
    os.makedirs(bindir, exist_ok=True)
    copy = os.path.join(bindir, name)
    shutil.copy2(path, copy)
    return copy


def free_port(taken, udp=False):
    """A loopback port free for TCP (and UDP when asked) right now."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port in taken:
            continue
        if udp:
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                    u.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    sys.exit("bench: no free loopback port")


def proc_cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def proc_alive(pid, marker):
    """True when pid runs and its command line contains marker (guards against pid reuse)."""
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        if state in ("Z", "X"):
            return False
    except (OSError, IndexError):
        return False
    return marker in proc_cmdline(pid)


def pid_file(service):
    return os.path.join(RUN_DIR, f"{service}.pid")


def marker(service):
    return {
        "named": os.path.join(RUN_DIR, "named.conf"),
        "dnsdist": os.path.join(RUN_DIR, "dnsdist.conf"),
        "faults": os.path.join(RUN_DIR, "faults.ports"),
    }[service]


def read_pid(service):
    try:
        with open(pid_file(service)) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def spawn(service, argv):
    logpath = os.path.join(RUN_DIR, f"{service}.log")
    with open(logpath, "wb") as logf, open(os.devnull, "rb") as devnull:
        proc = subprocess.Popen(argv, stdin=devnull, stdout=logf, stderr=subprocess.STDOUT,
                                cwd=RUN_DIR, start_new_session=True, close_fds=True)
    with open(pid_file(service), "w") as f:
        f.write(f"{proc.pid}\n")
    return proc


def log_tail(service, lines=30):
    try:
        with open(os.path.join(RUN_DIR, f"{service}.log"), errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(no log)\n"


def stop_services(quiet=False):
    stopped = []
    for service in SERVICES:
        pid = read_pid(service)
        if pid and proc_alive(pid, marker(service)):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            stopped.append((service, pid))
    deadline = time.monotonic() + 8
    for service, pid in stopped:
        while proc_alive(pid, marker(service)) and time.monotonic() < deadline:
            time.sleep(0.05)
        if proc_alive(pid, marker(service)):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    for service in SERVICES:
        try:
            os.remove(pid_file(service))
        except FileNotFoundError:
            pass
    try:
        os.remove(BENCH_JSON)
    except FileNotFoundError:
        pass
    if not quiet:
        for service, pid in stopped:
            log(f"stopped {service} (pid {pid})")


# --------------------------------------------------------------------------
# Zones and configuration
# --------------------------------------------------------------------------

ZONE_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9_-]{1,63}\.)*[A-Za-z0-9_-]{1,63}$")


def scan_zones(tools):
    """({zone: info}, {zone or file: error}) for every zones/*.zone file."""
    loaded, skipped = {}, {}
    for entry in sorted(os.listdir(ZONES_DIR)):
        if not entry.endswith(".zone"):
            continue
        zone = entry[:-len(".zone")].rstrip(".").lower()
        path = os.path.join(ZONES_DIR, entry)
        if not ZONE_NAME.match(zone):
            skipped[entry] = "file name is not <zone name>.zone"
            continue
        check = subprocess.run(
            [tools["named-checkzone"], "-k", "ignore", "-i", "local",
             "-m", "ignore", "-M", "ignore", "-S", "ignore", "-W", "ignore", zone, path],
            capture_output=True, text=True)
        if check.returncode != 0:
            skipped[zone] = (check.stdout + check.stderr).strip()
            continue
        serial = re.search(r"loaded serial (\d+)", check.stdout)
        st = os.stat(path)
        loaded[zone] = {"file": path, "serial": int(serial.group(1)) if serial else None,
                        "mtime_ns": st.st_mtime_ns, "size": st.st_size}
    return loaded, skipped


def write_named_conf(port, zones):
    workdir = os.path.join(RUN_DIR, "named")
    os.makedirs(workdir, exist_ok=True)
    lines = [
        "// Generated by tests/bench/bench.py; do not edit (rewritten at every start).",
        "options {",
        f'    directory "{workdir}";',
        "    pid-file none;",
        f'    session-keyfile "{workdir}/session.key";',
        f'    managed-keys-directory "{workdir}";',
        f"    listen-on port {port} {{ 127.0.0.1; }};",
        "    listen-on-v6 { none; };",
        "    recursion no;",
        "    dnssec-validation no;",
        "    notify no;",
        "    allow-transfer { none; };",
        "    // Test data, not a production zone: be lenient about names and glue.",
        "    check-names primary ignore;",
        "    check-integrity no;",
        "    check-mx ignore;",
        "    check-mx-cname ignore;",
        "    check-srv-cname ignore;",
        "    check-wildcard no;",
        "};",
        "controls { };",
        "",
    ]
    for zone, info in sorted(zones.items()):
        lines.append(f'zone "{zone}" {{ type primary; file "{info["file"]}"; }};')
    path = os.path.join(RUN_DIR, "named.conf")
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(path + ".tmp", path)
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
    path = os.path.join(RUN_DIR, "dnsdist.conf")
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
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


def read_state():
    try:
        with open(BENCH_JSON) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write_state(state):
    with open(BENCH_JSON + ".tmp", "w") as f:
        json.dump(state, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(BENCH_JSON + ".tmp", BENCH_JSON)


def running(state):
    return bool(state) and all(
        proc_alive(state.get("pids", {}).get(s), marker(s)) for s in SERVICES)


def report_skipped(skipped):
    for zone, error in sorted(skipped.items()):
        log(f"zone {zone} NOT loaded (fix the file; other zones are served):\n    "
            + error.replace("\n", "\n    "))


def sync_zones(state, tools):
    """Reloads BIND when zone files were added, removed or changed since it (re)loaded."""
    zones, skipped = scan_zones(tools)
    old = state.get("zones", {})
    same = {z: (i["mtime_ns"], i["size"]) for z, i in zones.items()} == {
        z: (i.get("mtime_ns"), i.get("size")) for z, i in old.items()}
    report_skipped(skipped)
    if same:
        if skipped != state.get("skipped_zones", {}):
            state["skipped_zones"] = skipped
            write_state(state)
        return None
    conf = write_named_conf(state["bind_port"], zones)
    check = subprocess.run([tools["named-checkconf"], conf], capture_output=True, text=True)
    if check.returncode != 0:
        return "named-checkconf failed:\n" + check.stdout + check.stderr
    log_path = os.path.join(RUN_DIR, "named.log")
    offset = os.path.getsize(log_path) if os.path.exists(log_path) else 0
    os.kill(state["pids"]["named"], signal.SIGHUP)
    # Wait for the reload to finish (changed files without a new serial included).
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        with open(log_path, errors="replace") as f:
            f.seek(offset)
            new = f.read()
        if "all zones loaded" in new or "reloading zones failed" in new:
            break
        time.sleep(0.05)
    error = wait_zones(state["bind_port"], zones, removed=set(old) - set(zones))
    if error:
        return error
    state["zones"], state["skipped_zones"] = zones, skipped
    write_state(state)
    log(f"reloaded zones: {', '.join(sorted(zones))}")
    return None


def start_once(tools):
    """One attempt at starting everything; (state, None) or (None, error text)."""
    zones, skipped = scan_zones(tools)
    report_skipped(skipped)
    taken = set()
    bind_port = free_port(taken, udp=True)
    dns_port = free_port(taken, udp=True)
    doh_port = free_port(taken)

    conf = write_named_conf(bind_port, zones)
    check = subprocess.run([tools["named-checkconf"], conf], capture_output=True, text=True)
    if check.returncode != 0:
        return None, "named-checkconf failed:\n" + check.stdout + check.stderr
    named = spawn("named", [unconfined_copy(tools["named"], "named"),
                            "-g", "-4", "-n", "1", "-c", conf])
    error = wait_zones(bind_port, zones, proc=named)
    if error:
        return None, f"BIND did not come up: {error}\n--- named.log\n{log_tail('named')}"

    dconf = write_dnsdist_conf(dns_port, doh_port, bind_port)
    check = subprocess.run([tools["dnsdist"], "--check-config", "-C", dconf],
                           capture_output=True, text=True)
    if check.returncode != 0:
        return None, "dnsdist --check-config failed:\n" + check.stdout + check.stderr
    dnsdist = spawn("dnsdist", [tools["dnsdist"], "--supervised", "--disable-syslog",
                                "-C", dconf])
    doh = f"http://127.0.0.1:{doh_port}/dns-query"

    port_file = marker("faults")
    try:
        os.remove(port_file)
    except FileNotFoundError:
        pass
    faults = spawn("faults", [sys.executable, "-u", os.path.abspath(__file__), "serve-faults",
                              "--doh", doh, "--port-file", port_file])
    deadline = time.monotonic() + START_TIMEOUT
    while not os.path.exists(port_file):
        if faults.poll() is not None or time.monotonic() > deadline:
            return None, f"fault server did not start\n--- faults.log\n{log_tail('faults')}"
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
        "skipped_zones": skipped,
        "run_dir": RUN_DIR,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if dnsdist.poll() is not None:
            return None, (f"dnsdist exited with status {dnsdist.returncode}\n"
                          f"--- dnsdist.log\n{log_tail('dnsdist')}")
        error = check_health(state)
        if error is None:
            return state, None
        if time.monotonic() > deadline:
            return None, (f"health check failed: {error}\n--- dnsdist.log\n"
                          f"{log_tail('dnsdist')}--- faults.log\n{log_tail('faults')}"
                          f"--- named.log\n{log_tail('named', 10)}")
        time.sleep(0.1)


def summary(state):
    return (f"doh={state['doh']} json={state['json']} bind=127.0.0.1:{state['bind_port']} "
            f"zones={','.join(sorted(state.get('zones', {}))) or '-'}")


def cmd_start(_args):
    os.makedirs(RUN_DIR, exist_ok=True)
    with open(LOCK_FILE, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = read_state()
        if running(state) and check_health(state) is None:
            tools = ensure_tools()
            error = sync_zones(state, tools)
            if error is None:
                print(f"bench: running (reused): {summary(state)}")
                return 0
            log(f"reload failed, restarting: {error}")
        elif state:
            log("bench not healthy: restarting it")
        stop_services(quiet=True)
        tools = ensure_tools()
        error = None
        for attempt in range(3):
            state, error = start_once(tools)
            if state:
                break
            stop_services(quiet=True)
            if "did not come up" not in error and "health check" not in error:
                break  # a configuration error: trying again will not help
            log(f"start attempt {attempt + 1} failed, retrying")
        if not state:
            log("could not start:\n" + error)
            return 1
        write_state(state)
        print(f"bench: started: {summary(state)}")
        return 0


def cmd_stop(_args):
    os.makedirs(RUN_DIR, exist_ok=True)
    with open(LOCK_FILE, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stop_services()
    return 0


def cmd_status(_args):
    state = read_state()
    if not state:
        print("bench: not running (no bench.json)")
        return 1
    for service in SERVICES:
        pid = state["pids"].get(service)
        alive = proc_alive(pid, marker(service))
        print(f"{service:8} pid {pid} {'running' if alive else 'NOT RUNNING'}")
    for key in ("doh", "json", "http500", "garbage", "mismatch", "blackhole", "slow_prefix",
                "down", "stats"):
        print(f"{key:12} {state[key]}")
    print(f"{'bind_port':12} {state['bind_port']} (plain DNS; dnsdist plain DNS on "
          f"{state['dns_port']})")
    for zone, info in sorted(state.get("zones", {}).items()):
        print(f"zone {zone} serial {info.get('serial')}")
    for zone, error in sorted(state.get("skipped_zones", {}).items()):
        print(f"zone {zone} NOT LOADED: {error.splitlines()[-1] if error else ''}")
    error = check_health(state) if running(state) else "not all processes run"
    print(f"health: {error or 'ok'}")
    return 0 if error is None else 1


def cmd_env(_args):
    state = read_state()
    if not running(state):
        print("bench: not running; run `python3 tests/bench/bench.py start`", file=sys.stderr)
        return 1
    print(f"export SENDTRUST_DOH={state['doh']}")
    print(f"export SENDTRUST_DOH_JSON={state['json']}")
    print(f"export SENDTRUST_BENCH_JSON={BENCH_JSON}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("start", help="start the bench, or reuse a healthy one")
    sub.add_parser("stop", help="stop everything start started")
    sub.add_parser("status", help="show the bench; exit 1 when unhealthy")
    sub.add_parser("env", help="print export lines for the shell")
    faults = sub.add_parser("serve-faults", help=argparse.SUPPRESS)
    faults.add_argument("--doh", required=True)
    faults.add_argument("--port-file", required=True)
    args = parser.parse_args()
    if args.command == "serve-faults":
        return serve_faults(args)
    return {"start": cmd_start, "stop": cmd_stop, "status": cmd_status, "env": cmd_env}[
        args.command](args)


if __name__ == "__main__":
    sys.exit(main() or 0)
