//! Helpers for Sendtrust's integration tests: the DNS test bench (BIND behind
//! dnsdist's DoH on loopback) and the fixture files.
//!
//! The bench is started by `tests/bench/bench.py` (see `tests/bench/README.md`).
//! [`bench`] starts it, or reuses the running one, once per test process:
//!
//! ```no_run
//! # async fn demo() {
//! use sendtrust::dns::{QType, Resolver};
//! let resolver = Resolver::new(sendtrust_tests::doh_config(&sendtrust_tests::bench().doh));
//! let answer = resolver.lookup("exists.fault.test", QType::A).await;
//! # }
//! ```

use sendtrust::dns::{DnsConfig, DohFormat, Resolver};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// A fixture file under `tests/fixtures/`.
pub fn fixture(path: &str) -> Vec<u8> {
    let full = repo_root().join("tests/fixtures").join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("fixture {}: {e}", full.display()))
}

/// The running DNS test bench: the URLs of its endpoints, read from
/// `tests/bench/run/bench.json`. All are plain HTTP on 127.0.0.1.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Bench {
    /// dnsdist's RFC 8484 endpoint in front of BIND (wire format, GET or POST).
    pub doh: String,
    /// The JSON API shim (Google/Cloudflare dialect) backed by the same BIND data.
    pub json: String,
    /// Always answers HTTP 500.
    pub http500: String,
    /// Answers HTTP 200 with an HTML body that is not a DNS message.
    pub garbage: String,
    /// Answers a well-formed DNS response to another question.
    pub mismatch: String,
    /// Never answers (holds the request until the client gives up).
    pub blackhole: String,
    /// `<slow_prefix><ms>/dns-query` relays to [`Bench::doh`] after `<ms>` milliseconds
    /// (and `<slow_prefix><ms>/json/resolve` to [`Bench::json`]). See [`Bench::slow`].
    pub slow_prefix: String,
    /// A URL where nothing listens: connections are refused.
    pub down: String,
    /// The fault server's request counters (`?name=&type=&endpoint=`). See [`Bench::hits`].
    pub stats: String,
    /// BIND's plain DNS port on 127.0.0.1 (UDP and TCP).
    pub bind_port: u16,
}

impl Bench {
    /// The wire endpoint that answers like [`Bench::doh`] after `ms` milliseconds.
    pub fn slow(&self, ms: u64) -> String {
        format!("{}{ms}/dns-query", self.slow_prefix)
    }

    /// The JSON endpoint that answers like [`Bench::json`] after `ms` milliseconds.
    pub fn slow_json(&self, ms: u64) -> String {
        format!("{}{ms}/json/resolve", self.slow_prefix)
    }

    /// How many requests for `name`/`qtype` the fault server received since it
    /// started, on one `endpoint` (`slow`, `slow-json`, `json`, `http500`,
    /// `garbage`, `mismatch`, `blackhole`) or on all of them. dnsdist's own
    /// endpoint ([`Bench::doh`]) is not counted: use [`Bench::slow`]`(0)` to count.
    pub fn hits(&self, endpoint: Option<&str>, name: &str, qtype: &str) -> u64 {
        let mut url = format!("{}?name={name}&type={qtype}", self.stats);
        if let Some(endpoint) = endpoint {
            url.push_str("&endpoint=");
            url.push_str(endpoint);
        }
        let response = http("GET", &url, &[]).unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let body: serde_json::Value = serde_json::from_slice(&response.body)
            .unwrap_or_else(|e| panic!("GET {url}: not JSON ({e})"));
        body["count"]
            .as_u64()
            .unwrap_or_else(|| panic!("GET {url}: no count in {body}"))
    }
}

/// The DNS test bench, started (or reused when already running, its zones
/// reloaded) once per test process with `python3 tests/bench/bench.py start`.
/// When the environment variable `SENDTRUST_BENCH_JSON` names a `bench.json`,
/// that running bench is used and only its zones are reloaded. Panics with the
/// script's output when the bench cannot start or a zone does not load.
pub fn bench() -> &'static Bench {
    static BENCH: OnceLock<Bench> = OnceLock::new();
    BENCH.get_or_init(|| {
        let text = start_service(
            "SENDTRUST_BENCH_JSON",
            "tests/bench/bench.py",
            "tests/bench/run/bench.json",
            "the DNS test bench",
        );
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing bench.json: {e}"))
    })
}

/// Starts a DNS service with `python3 <script> start` (relative to the repo
/// root; idempotent, it reuses a healthy running one and reloads its zones)
/// and returns the text of the JSON file it writes at `json`. When the
/// environment variable `env` names a JSON file, that running service is used:
/// `python3 <script> reload --state <file>` brings its zones up to date (a
/// reused bench must serve the zones of this checkout), then the file is read.
/// Panics with the script's output when `what` cannot start or reload (a zone
/// that does not load is such a failure); its notes go to stderr.
pub fn start_service(env: &str, script: &str, json: &str, what: &str) -> String {
    let given = std::env::var_os(env).map(PathBuf::from);
    let script = repo_root().join(script);
    let python = std::env::var("SENDTRUST_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut command = Command::new(&python);
    command.arg(&script).current_dir(repo_root());
    match &given {
        Some(path) => command.arg("reload").arg("--state").arg(path),
        None => command.arg("start"),
    };
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("running {python} {}: {e}", script.display()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        panic!(
            "{what} did not {} ({}):\n{}{stderr}",
            if given.is_some() { "reload" } else { "start" },
            output.status,
            String::from_utf8_lossy(&output.stdout)
        );
    }
    // Notes (which zones were reloaded) belong in the test output.
    if !stderr.trim().is_empty() {
        eprint!("{stderr}");
    }
    let path = given.unwrap_or_else(|| repo_root().join(json));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The endpoints of a views bench (one DoH URL per scenario: the SPF and ARC
/// conformance DNS), started or reused by [`start_service`]; see there for
/// the arguments.
pub fn views_bench_endpoints(env: &str, script: &str, json: &str, what: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct State {
        endpoints: Vec<String>,
    }
    let text = start_service(env, script, json, what);
    serde_json::from_str::<State>(&text)
        .unwrap_or_else(|e| panic!("parsing {json}: {e}"))
        .endpoints
}

/// The report of the fixture `tests/fixtures/<path>` analysed against the
/// bench's DoH endpoint with the default options.
pub async fn analyze_fixture(path: &str) -> sendtrust::report::Report {
    let bench = bench();
    let raw = fixture(path);
    let options = sendtrust::Options {
        dns: doh_config(&bench.doh),
        ..sendtrust::Options::default()
    };
    sendtrust::analyze(&raw, &options)
        .await
        .unwrap_or_else(|e| panic!("no report for {path}: {e:?}"))
}

/// The per-question deadline of [`doh_config`] and [`json_config`]: short, so a
/// broken bench fails tests quickly, long enough for a loaded 2-core machine.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(3);

/// A wire-format (RFC 8484) configuration for `url` with test-sized limits:
/// [`TEST_TIMEOUT`], one retry, eight requests in flight.
pub fn doh_config(url: &str) -> DnsConfig {
    DnsConfig {
        endpoint: Some(url.to_string()),
        format: DohFormat::Wire,
        timeout: TEST_TIMEOUT,
        retries: 1,
        max_in_flight: 8,
    }
}

/// Like [`doh_config`], for a JSON API endpoint (such as [`Bench::json`]).
pub fn json_config(url: &str) -> DnsConfig {
    DnsConfig {
        format: DohFormat::Json,
        ..doh_config(url)
    }
}

/// A resolver on the bench's dnsdist DoH endpoint (starts the bench if needed).
/// The resolver is `!Send`: use it in `#[tokio::test(flavor = "current_thread")]`.
pub fn bench_resolver() -> Resolver {
    Resolver::new(doh_config(&bench().doh))
}

/// An HTTP response read by [`http`].
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header fields, names lowercased, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of a header field (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal blocking HTTP/1.0 client for the bench's plain-HTTP loopback
/// endpoints (`http://host:port/path?query` only), for checks the resolver does
/// not expose: status codes, CORS headers, the fault server's counters.
pub fn http(method: &str, url: &str, headers: &[(&str, &str)]) -> std::io::Result<HttpResponse> {
    let invalid =
        |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, what.to_string());
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| invalid("only http:// URLs"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!("{method} {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| invalid("no end of header"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("no status line"))?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(HttpResponse {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}
