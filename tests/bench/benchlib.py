"""The Python side of Sendtrust's DNS benches: one library for BIND and dnsdist.

Used by tests/bench/bench.py (the test zones + the fault server) and by the
conformance benches (tests/conformance/spf/spf_bench.py,
tests/conformance/arc/arc_bench.py: one BIND view per scenario). Python 3
standard library only.

What lives here: DNS wire format (queries, parsing, presentation form),
RFC 8484 GET, tools (find, apt-get install, AppArmor-free copy of named),
free loopback ports, processes (spawn, pid files, liveness, stop, log tails),
named.conf options, zone checks (`named-checkzone` failure is an error), a
graceful BIND reload that waits for the result, and `ViewsBench`, the whole
one-view-per-scenario bench.
"""

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request

START_TIMEOUT = 30.0  # seconds for each server to come up or reload

TYPES = {
    "A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16,
    "AAAA": 28, "SRV": 33, "OPT": 41, "DS": 43, "DNSKEY": 48, "SPF": 99, "CAA": 257,
    "ANY": 255,
}
TYPE_NAMES = {v: k for k, v in TYPES.items()}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


class BenchError(Exception):
    """A failure that stops a start or reload; its text is shown to the user."""


# --------------------------------------------------------------------------
# DNS wire format (just what the benches need)
# --------------------------------------------------------------------------

def parse_type(text):
    """`A`, `txt` or `16` -> 16; None when unknown."""
    text = (text or "").strip()
    if text.isdigit():
        value = int(text)
        return value if 0 < value < 65536 else None
    return TYPES.get(text.upper())


def encode_name(name):
    """Wire form of a dotted name (ASCII labels, no escapes); "." is the root."""
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


def escape_label(raw):
    """A wire label in presentation form (\\. and \\DDD escapes)."""
    out = []
    for b in raw:
        if b in (0x2E, 0x5C, 0x22, 0x28, 0x29, 0x3B, 0x40, 0x24):  # . \ " ( ) ; @ $
            out.append("\\" + chr(b))
        elif 0x21 <= b <= 0x7E:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03d}")
    return "".join(out)


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
    """The character-strings of TXT rdata."""
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
    """The serial of an SOA record in msg."""
    _, o = read_name(msg, rr["rdoff"])
    _, o = read_name(msg, o)
    return struct.unpack("!I", msg[o:o + 4])[0]


def udp_query(port, name, qtype, timeout=1.0, source=None):
    """Asks 127.0.0.1:port over UDP (from `source` when given); (parsed, raw) or None."""
    qid = random.randrange(1, 65536)
    packet = build_query(name, qtype, qid=qid, edns_size=4096)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            if source:
                s.bind((source, 0))
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
# Master-file text
# --------------------------------------------------------------------------

def zone_label(label):
    """A label for a master file: letters, digits, - and _ as is, every other byte \\DDD."""
    out = []
    for b in label.encode("utf-8"):
        if (0x30 <= b <= 0x39 or 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A
                or b in (0x2D, 0x5F)):
            out.append(chr(b))
        else:
            out.append(f"\\{b:03d}")
    return "".join(out)


def absolute_name(name):
    """A name in master-file form: odd bytes escaped, trailing dot; "" is the root."""
    name = name.rstrip(".")
    if not name:
        return "."
    return ".".join(zone_label(label) for label in name.split(".")) + "."


def quote_chars(chars):
    """One character-string (a str whose code points U+0000..U+00FF are the bytes),
    quoted with \\DDD escapes for ", \\ and every byte outside printable ASCII."""
    out = ['"']
    for b in chars.encode("latin-1"):
        if b in (0x22, 0x5C) or not 0x20 <= b <= 0x7E:
            out.append(f"\\{b:03d}")
        else:
            out.append(chr(b))
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------
# Tools, ports, files
# --------------------------------------------------------------------------

def find_tool(name):
    """Path of an executable on PATH or in the sbin folders; None when missing."""
    found = shutil.which(name)
    if found:
        return found
    for folder in ("/usr/sbin", "/usr/bin", "/sbin", "/usr/local/sbin"):
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK):
            return path
    return None


def ensure_tools(log, names=("named", "named-checkconf", "named-checkzone", "dnsdist")):
    """Paths of the tools; apt-get installs bind9, bind9-utils and dnsdist when one is missing."""
    tools = {n: find_tool(n) for n in names}
    if all(tools.values()):
        return tools
    missing = [n for n, p in tools.items() if not p]
    log(f"missing {', '.join(missing)}: installing bind9, bind9-utils and dnsdist with apt-get")
    if not find_tool("apt-get"):
        raise BenchError("apt-get not found; install BIND 9 (named, named-checkzone) and dnsdist")
    prefix = []
    if os.geteuid() != 0:
        if not find_tool("sudo"):
            raise BenchError("not root and no sudo; install bind9 bind9-utils dnsdist first")
        prefix = ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"],
                ["apt-get", "install", "-y", "--no-install-recommends",
                 "bind9", "bind9-utils", "dnsdist"]):
        if subprocess.run(prefix + cmd, env=env).returncode != 0:
            raise BenchError(f"`{' '.join(cmd)}` failed")
    tools = {n: find_tool(n) for n in names}
    still = [n for n, p in tools.items() if not p]
    if still:
        raise BenchError(f"still missing after apt-get install: {', '.join(still)}")
    return tools


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
    raise BenchError("no free loopback port")


def write_file(path, text):
    """Writes text atomically (temporary file + rename)."""
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_zone(tools, zone, path):
    """(serial or None) when `named-checkzone` accepts the file; raises BenchError otherwise.
    Checks are lenient for test data (names, MX/SRV targets, glue), never for syntax."""
    check = subprocess.run(
        [tools["named-checkzone"], "-k", "ignore", "-i", "local",
         "-m", "ignore", "-M", "ignore", "-S", "ignore", "-W", "ignore", zone, path],
        capture_output=True, text=True)
    if check.returncode != 0:
        raise BenchError(f"zone {zone} ({path}) does not load; named-checkzone says:\n    "
                         + (check.stdout + check.stderr).strip().replace("\n", "\n    "))
    serial = re.search(r"loaded serial (\d+)", check.stdout)
    return int(serial.group(1)) if serial else None


def named_options(workdir, port, extra=()):
    """The head of a named.conf: authoritative only, on 127.0.0.1:port, lenient checks
    for test data, no control channel (reloads are SIGHUP)."""
    return [
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
        *[f"    {line}" for line in extra],
        "};",
        "controls { };",
    ]


# --------------------------------------------------------------------------
# Processes and run state
# --------------------------------------------------------------------------

class Runtime:
    """A bench's run directory: pid files, logs, bench.json, the lock.

    `markers` maps each service to a path that appears on its command line (its
    config file); liveness checks require it, so a reused pid never counts."""

    def __init__(self, prefix, run_dir, markers):
        self.prefix = prefix
        self.run_dir = run_dir
        self.markers = markers
        self.services = tuple(markers)
        self.state_path = os.path.join(run_dir, "bench.json")

    def log(self, msg):
        print(f"{self.prefix}: {msg}", file=sys.stderr, flush=True)

    def path(self, *parts):
        return os.path.join(self.run_dir, *parts)

    @contextlib.contextmanager
    def lock(self):
        """Serialises start/stop/reload between processes."""
        os.makedirs(self.run_dir, exist_ok=True)
        with open(self.path(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def read_state(self, path=None):
        try:
            with open(path or self.state_path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def write_state(self, state):
        write_file(self.state_path, json.dumps(state, indent=2, sort_keys=True) + "\n")

    def spawn(self, service, argv):
        with open(self.path(f"{service}.log"), "wb") as out, open(os.devnull, "rb") as devnull:
            proc = subprocess.Popen(argv, stdin=devnull, stdout=out, stderr=subprocess.STDOUT,
                                    cwd=self.run_dir, start_new_session=True, close_fds=True)
        write_file(self.path(f"{service}.pid"), f"{proc.pid}\n")
        return proc

    def pid(self, service):
        try:
            with open(self.path(f"{service}.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def alive(self, pid, service):
        """pid runs (not a zombie) with this bench's marker on its command line."""
        if not pid:
            return False
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return False
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                return self.markers[service].encode() in f.read()
        except (OSError, IndexError):
            return False

    def running(self, state):
        """Every service of state runs."""
        return bool(state) and all(
            self.alive(state.get("pids", {}).get(s), s) for s in self.services)

    def tail(self, service, lines=30):
        try:
            with open(self.path(f"{service}.log"), errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log)\n"

    def unconfined(self, path, name):
        """AppArmor profiles confine /usr/sbin/named to /etc/bind and friends, which would
        forbid configs and zones in the checkout. A copy of the binary at another path is
        not confined by a path-attached profile."""
        try:
            with open("/sys/module/apparmor/parameters/enabled") as f:
                enabled = f.read().strip() == "Y"
        except OSError:
            enabled = False
        profile = "/etc/apparmor.d/" + path.lstrip("/").replace("/", ".")
        if not (enabled and os.path.exists(profile)):
            return path
        bindir = self.path("bin")
        os.makedirs(bindir, exist_ok=True)
        copy = os.path.join(bindir, name)
        shutil.copy2(path, copy)
        return copy

    def stop(self, quiet=False):
        """Stops what this bench started (by pid file and marker); removes pids and bench.json."""
        stopped = []
        for service in self.services:
            pid = self.pid(service)
            if self.alive(pid, service):
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                stopped.append((service, pid))
        deadline = time.monotonic() + 8
        for service, pid in stopped:
            while self.alive(pid, service) and time.monotonic() < deadline:
                time.sleep(0.05)
            if self.alive(pid, service):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for name in [f"{s}.pid" for s in self.services] + ["bench.json"]:
            try:
                os.remove(self.path(name))
            except FileNotFoundError:
                pass
        if not quiet:
            for service, pid in stopped:
                self.log(f"stopped {service} (pid {pid})")

    def reload_named(self, pid, timeout=START_TIMEOUT):
        """SIGHUP to named (it re-reads named.conf and every changed zone file) and waits
        for the outcome in named.log. Raises BenchError when a zone or the config fails."""
        log_path = self.path("named.log")
        offset = os.path.getsize(log_path) if os.path.exists(log_path) else 0
        os.kill(pid, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        new = ""
        while time.monotonic() < deadline:
            with open(log_path, errors="replace") as f:
                f.seek(offset)
                new = f.read()
            if "reloading zones failed" in new or "reloading configuration failed" in new:
                raise BenchError("BIND reload failed:\n" + new[-3000:])
            if "all zones loaded" in new:
                # A zone that fails to load on reload is logged, and BIND goes
                # on serving its old data: that is a failure too.
                bad = [line for line in new.splitlines()
                       if "not loaded due to errors" in line or "failed" in line]
                if bad:
                    raise BenchError("a zone does not load after reload:\n" + "\n".join(bad))
                return
            time.sleep(0.05)
        raise BenchError("BIND did not finish reloading in time:\n" + new[-3000:])


def stamp():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# --------------------------------------------------------------------------
# One BIND view per scenario behind one dnsdist DoH listener
# --------------------------------------------------------------------------

class ViewsBench:
    """DNS for a conformance suite whose scenarios reuse names with different data.

    * BIND serves, in view `sN`, one zone "." (the root) with every name of
      scenario N, so any name of any shape is authoritative data of that view:
      missing names are NXDOMAIN, missing types NODATA, CNAMEs chased by BIND.
    * View `sN` matches queries from source address 127.0.1.(N+1) (all of 127/8
      is local on Linux, nothing to configure).
    * dnsdist has one backend per scenario, all to the same BIND port, each with
      that source address, in pool `sN`; DoH path /sN/dns-query is routed to
      pool sN by an HTTPPathRule. No packet cache.

    `zones` is one master-file text per scenario (origin "."; SOA and NS are
    added here); `rules` are extra dnsdist lines placed before the routing
    (e.g. SERVFAIL answers). bench.json lists `endpoints`, one DoH URL per
    scenario. A running bench is reused only when `digest` (the data and the
    scripts) is unchanged; reusing it rewrites the zone files and reloads BIND.
    """

    SOA = ("@ IN SOA ns.conformance.invalid. hostmaster.conformance.invalid. "
           "1 3600 600 86400 300")
    MAX_SCENARIOS = 254

    def __init__(self, prefix, run_dir, zones, digest, rules=()):
        if len(zones) > self.MAX_SCENARIOS:
            raise BenchError(f"{len(zones)} scenarios: one source address each, at most "
                             f"{self.MAX_SCENARIOS}")
        self.rt = Runtime(prefix, run_dir, {
            "named": os.path.join(run_dir, "named.conf"),
            "dnsdist": os.path.join(run_dir, "dnsdist.conf"),
        })
        self.zones = zones
        self.digest = digest
        self.rules = list(rules)

    @staticmethod
    def source_address(index):
        return f"127.0.1.{index + 1}"

    @staticmethod
    def path_for(index):
        return f"/s{index}/dns-query"

    def zone_file(self, index):
        return self.rt.path("zones", f"s{index}.zone")

    def write_zones(self):
        os.makedirs(self.rt.path("zones"), exist_ok=True)
        head = ["$ORIGIN .", "$TTL 300", self.SOA, "@ IN NS ns.conformance.invalid.",
                "ns.conformance.invalid. IN A 127.0.0.1"]
        for i, text in enumerate(self.zones):
            write_file(self.zone_file(i), "\n".join(head) + "\n" + text)

    def write_configs(self, bind_port, dns_port, doh_port):
        work = self.rt.path("named")
        os.makedirs(work, exist_ok=True)
        self.write_zones()
        named = [f"// Generated by {self.rt.prefix}; rewritten at every start."]
        named += named_options(work, bind_port, ["minimal-responses yes;", "check-sibling no;"])
        dnsdist = [
            f"-- Generated by {self.rt.prefix}; rewritten at every start.",
            'setSecurityPollSuffix("")',
            "-- The plain DNS listener is unused; it keeps dnsdist from binding port 53.",
            f'setLocal("127.0.0.1:{dns_port}")',
        ]
        count = len(self.zones)
        for i in range(count):
            named += [
                f'view "s{i}" {{',
                f"    match-clients {{ {self.source_address(i)}; }};",
                f'    zone "." {{ type primary; file "{self.zone_file(i)}"; }};',
                "};",
            ]
        dnsdist.append(
            f'addDOHLocal("127.0.0.1:{doh_port}", nil, nil, {{'
            + ", ".join(f'"{self.path_for(i)}"' for i in range(count))
            + "}, {keepIncomingHeaders=false})")
        for i in range(count):
            dnsdist.append(
                f'newServer({{address="127.0.0.1:{bind_port}", source="{self.source_address(i)}", '
                f'pool="s{i}", name="s{i}", checkInterval=3600}}):setUp()')
        dnsdist += self.rules
        for i in range(count):
            dnsdist.append(f'addAction(HTTPPathRule("{self.path_for(i)}"), PoolAction("s{i}"))')
        dnsdist.append("addAction(AllRule(), RCodeAction(DNSRCode.REFUSED))")
        write_file(self.rt.markers["named"], "\n".join(named) + "\n")
        write_file(self.rt.markers["dnsdist"], "\n".join(dnsdist) + "\n")

    def check_named(self, tools):
        """named-checkconf -z: the config and every zone must load (a hard error)."""
        check = subprocess.run([tools["named-checkconf"], "-z", self.rt.markers["named"]],
                               capture_output=True, text=True)
        if check.returncode != 0:
            raise BenchError("named-checkconf -z failed (a zone does not load):\n"
                             + check.stdout + check.stderr)

    def health(self, state):
        """None when every scenario's DoH path answers the root SOA from its view."""
        for url in state["endpoints"]:
            try:
                status, parsed, _ = doh_get(url, ".", TYPES["SOA"], timeout=3)
            except OSError as e:
                return f"{url}: {e}"
            if status != 200 or parsed is None or parsed["rcode"] != 0 or not parsed["answers"]:
                rcode = parsed["rcode"] if parsed else None
                return f"{url}: HTTP {status}, rcode {rcode}"
        return None

    def start_once(self, tools):
        taken = set()
        bind_port = free_port(taken, udp=True)
        dns_port = free_port(taken, udp=True)
        doh_port = free_port(taken)
        self.write_configs(bind_port, dns_port, doh_port)
        self.check_named(tools)
        named = self.rt.spawn("named", [self.rt.unconfined(tools["named"], "named"), "-g", "-4",
                                        "-n", "1", "-c", self.rt.markers["named"]])
        deadline = time.monotonic() + START_TIMEOUT
        pending = set(range(len(self.zones)))
        while pending:
            if named.poll() is not None:
                raise BenchError(f"named exited ({named.returncode})\n{self.rt.tail('named')}")
            if time.monotonic() > deadline:
                raise BenchError(f"BIND did not serve views {sorted(pending)} in time\n"
                                 f"{self.rt.tail('named')}")
            for i in sorted(pending):
                got = udp_query(bind_port, ".", TYPES["SOA"], timeout=0.5,
                                source=self.source_address(i))
                if got and got[0]["rcode"] == 0 and got[0]["answers"]:
                    pending.discard(i)
            time.sleep(0.05)
        check = subprocess.run([tools["dnsdist"], "--check-config", "-C",
                                self.rt.markers["dnsdist"]], capture_output=True, text=True)
        if check.returncode != 0:
            raise BenchError("dnsdist --check-config failed:\n" + check.stdout + check.stderr)
        dnsdist = self.rt.spawn("dnsdist", [tools["dnsdist"], "--supervised", "--disable-syslog",
                                            "-C", self.rt.markers["dnsdist"]])
        state = {
            "endpoints": [f"http://127.0.0.1:{doh_port}{self.path_for(i)}"
                          for i in range(len(self.zones))],
            "doh_port": doh_port,
            "bind_port": bind_port,
            "data_sha256": self.digest,
            "pids": {"named": named.pid, "dnsdist": dnsdist.pid},
            "run_dir": self.rt.run_dir,
            "started": stamp(),
        }
        while True:
            if dnsdist.poll() is not None:
                raise BenchError(f"dnsdist exited ({dnsdist.returncode})\n"
                                 f"{self.rt.tail('dnsdist')}")
            error = self.health(state)
            if error is None:
                return state
            if time.monotonic() > deadline:
                raise BenchError(f"health check failed: {error}\n{self.rt.tail('dnsdist')}")
            time.sleep(0.1)

    def reload(self, state, tools):
        """Rewrites the zone files from the data and has BIND reload them."""
        self.write_zones()
        self.check_named(tools)
        self.rt.reload_named(state["pids"]["named"])
        error = self.health(state)
        if error:
            raise BenchError(f"unhealthy after reload: {error}")

    def cmd_start(self):
        with self.rt.lock():
            state = self.rt.read_state()
            if (self.rt.running(state) and state.get("data_sha256") == self.digest
                    and self.health(state) is None):
                self.reload(state, ensure_tools(self.rt.log))
                print(f"{self.rt.prefix}: running (reused, zones reloaded): "
                      f"{len(state['endpoints'])} scenarios")
                return 0
            self.rt.stop(quiet=True)
            tools = ensure_tools(self.rt.log)
            for attempt in range(3):
                try:
                    state = self.start_once(tools)
                    break
                except BenchError as e:
                    self.rt.stop(quiet=True)
                    first = str(e).split("\n")[0]
                    if "check" in first and "health" not in first or attempt == 2:
                        raise  # a configuration error: retrying will not help
                    self.rt.log(f"start attempt {attempt + 1} failed, retrying: {first}")
            self.rt.write_state(state)
            print(f"{self.rt.prefix}: started: {len(state['endpoints'])} scenarios on "
                  f"http://127.0.0.1:{state['doh_port']}/sN/dns-query")
            return 0

    def cmd_reload(self, state_path):
        """Reloads the running bench whose bench.json is state_path (the harness's reuse)."""
        with self.rt.lock():
            state = self.rt.read_state(state_path)
            if not state or not self.rt.running(state):
                raise BenchError(f"no running bench at {state_path}")
            if state.get("data_sha256") != self.digest:
                raise BenchError(f"the bench at {state_path} serves other data; restart it")
            self.reload(state, ensure_tools(self.rt.log))
            print(f"{self.rt.prefix}: zones reloaded")
            return 0

    def cmd_stop(self):
        with self.rt.lock():
            self.rt.stop()
        return 0

    def cmd_status(self):
        state = self.rt.read_state()
        if not self.rt.running(state):
            print(f"{self.rt.prefix}: not running")
            return 1
        error = self.health(state)
        print(f"{self.rt.prefix}: {len(state['endpoints'])} endpoints, pids {state['pids']}, "
              f"health {error or 'ok'}")
        return 0 if error is None else 1

    def main(self, description):
        """The command line: start | stop | status | reload [--state bench.json]."""
        import argparse
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("command", choices=("start", "stop", "status", "reload"))
        parser.add_argument("--state", default=self.rt.state_path,
                            help="bench.json of the running bench (reload)")
        args = parser.parse_args()
        try:
            if args.command == "start":
                return self.cmd_start()
            if args.command == "reload":
                return self.cmd_reload(args.state)
            if args.command == "stop":
                return self.cmd_stop()
            return self.cmd_status()
        except BenchError as e:
            self.rt.log("failed:\n" + str(e))
            return 1


def digest_of(*paths, extra=b""):
    """sha256 over files (data and the scripts that serve it) and extra bytes."""
    h = hashlib.sha256(extra)
    for path in paths:
        with open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()
