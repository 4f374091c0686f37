//! `sendtrust`: check the server that sent a message against the five rules
//! spam filters use to trust a sender. A thin view of the engine's `Report`.

mod text;

use sendtrust::dns::{DnsConfig, DohFormat, ProviderValue, Resolver};
use sendtrust::{Options, Report, Verdict};
use std::io::Read;
use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
sendtrust — does the server that sent this message follow the rules spam filters trust?

USAGE:
    sendtrust analyze [OPTIONS] FILE... [-]

ARGS:
    FILE...              .eml files (raw message, or headers only); `-` reads stdin

OPTIONS:
    --json               print the JSON report (an array when several files)
    --markdown           print a Markdown summary (for a support ticket)
    --offline            send no DNS queries; DNS-based checks say \"not checked\"
    --doh URL|NAME       DNS-over-HTTPS provider: an https:// URL (http:// only
                         on 127.0.0.1, [::1] or localhost) or one of cloudflare,
                         google, quad9, cloudflare-json, google-json
                         (default: cloudflare)
    --doh-json           the --doh URL speaks the JSON API, not RFC 8484
    --timeout MS         per-query deadline in milliseconds (default 5000)
    --sender-ip IP       check this IP instead of the detected hand-off hop
    --dnsbl ZONE         IP blocklist to query (repeatable; replaces the defaults)
    --dbl ZONE           domain blocklist to query (repeatable; replaces the defaults)
    --dqs-key KEY        Spamhaus Data Query Service key
    --check              exit 1 when any rule fails (for scripts)
    -h, --help           this help
    -V, --version        version

EXIT STATUS:
    0 a report was printed (with --check: and no rule failed)
    1 with --check: some rule failed
    2 usage error, or an input could not be read or is not a message
";

struct Args {
    files: Vec<String>,
    json: bool,
    markdown: bool,
    check: bool,
    options: Options,
}

fn parse_args(argv: &[String]) -> Result<Option<Args>, String> {
    let mut iter = argv.iter().skip(1).peekable();
    match iter.next().map(String::as_str) {
        Some("analyze") => {}
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            return Ok(None);
        }
        Some("-V" | "--version") => {
            println!("sendtrust {}", env!("CARGO_PKG_VERSION"));
            return Ok(None);
        }
        Some(other) => {
            return Err(format!(
                "unknown command `{other}` (try `sendtrust analyze FILE`)"
            ));
        }
    }
    let mut args = Args {
        files: Vec::new(),
        json: false,
        markdown: false,
        check: false,
        options: Options::default(),
    };
    let mut doh: Option<String> = None;
    let mut doh_json = false;
    let mut offline = false;
    let mut timeout = None;
    let mut dnsbl = Vec::new();
    let mut dbl = Vec::new();
    let value =
        |name: &str,
         it: &mut std::iter::Peekable<std::iter::Skip<std::slice::Iter<'_, String>>>| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let take = |it: &mut _| match &inline {
            Some(v) => Ok(v.clone()),
            None => value(flag, it),
        };
        match flag {
            "--json" => args.json = true,
            "--markdown" => args.markdown = true,
            "--check" => args.check = true,
            "--offline" => offline = true,
            "--doh-json" => doh_json = true,
            "--doh" => doh = Some(take(&mut iter)?),
            "--timeout" => {
                let v = take(&mut iter)?;
                timeout = Some(
                    v.parse::<u64>()
                        .map_err(|_| format!("--timeout wants milliseconds, got `{v}`"))?,
                );
            }
            "--sender-ip" => {
                let v = take(&mut iter)?;
                args.options.sender_ip = Some(
                    v.parse::<IpAddr>()
                        .map_err(|_| format!("--sender-ip wants an IP address, got `{v}`"))?,
                );
            }
            "--dnsbl" => dnsbl.push(take(&mut iter)?),
            "--dbl" => dbl.push(take(&mut iter)?),
            "--dqs-key" => args.options.spamhaus_dqs_key = Some(take(&mut iter)?),
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(None);
            }
            "-" => args.files.push("-".into()),
            f if f.starts_with('-') => return Err(format!("unknown option `{f}`")),
            _ => args.files.push(arg.clone()),
        }
    }
    if args.files.is_empty() {
        return Err("no input: give one or more FILEs, or `-` for stdin".into());
    }
    // Checked even with --offline: a refused value is a usage error either way.
    let provider = doh
        .as_deref()
        .map(ProviderValue::parse)
        .transpose()
        .map_err(|e| format!("--doh: {e}"))?;
    let mut dns = match (provider, offline) {
        (_, true) => DnsConfig::offline(),
        (None, false) => DnsConfig::default(),
        (Some(provider), false) => provider.config(),
    };
    if doh_json {
        dns.format = DohFormat::Json;
    }
    if let Some(ms) = timeout {
        dns.timeout = Duration::from_millis(ms.max(1));
    }
    args.options.dns = dns;
    if !dnsbl.is_empty() {
        args.options.dnsbl_zones = Some(dnsbl);
    }
    if !dbl.is_empty() {
        args.options.dbl_zones = Some(dbl);
    }
    Ok(Some(args))
}

fn read_input(file: &str) -> Result<Vec<u8>, String> {
    if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("stdin: {e}"))?;
        Ok(buf)
    } else {
        std::fs::read(file).map_err(|e| format!("{file}: {e}"))
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let args = match parse_args(&argv) {
        Ok(Some(a)) => a,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sendtrust: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sendtrust: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(run(args))
}

async fn run(args: Args) -> ExitCode {
    // One resolver for the whole run: files share the DNS cache.
    let resolver = Resolver::new(args.options.dns.clone());
    let mut reports: Vec<serde_json::Value> = Vec::new();
    let mut unreadable = false;
    let mut any_fail = false;
    let several = args.files.len() > 1;
    for file in &args.files {
        let raw = match read_input(file) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("sendtrust: {e}");
                unreadable = true;
                continue;
            }
        };
        let name = if file == "-" {
            "<stdin>"
        } else {
            file.as_str()
        };
        match sendtrust::analyze_with(&raw, &args.options, &resolver, &sendtrust::NoObserver).await
        {
            Ok(report) => {
                any_fail |= report.rules.iter().any(|r| r.verdict == Verdict::Fail);
                if args.json {
                    reports.push(serde_json::to_value(&report).unwrap_or_default());
                } else if args.markdown {
                    if several {
                        println!("<!-- {name} -->");
                    }
                    println!("{}", sendtrust::markdown::markdown(&report));
                } else {
                    if several {
                        println!("==> {name} <==");
                    }
                    print!("{}", text::render(&report));
                }
                let _: &Report = &report;
            }
            Err(e) => {
                eprintln!("sendtrust: {name}: {e}");
                unreadable = true;
            }
        }
    }
    if args.json {
        let out = if several {
            serde_json::Value::Array(reports)
        } else {
            reports.pop().unwrap_or(serde_json::Value::Null)
        };
        if !out.is_null() {
            match serde_json::to_string_pretty(&out) {
                Ok(s) => println!("{s}"),
                Err(e) => {
                    eprintln!("sendtrust: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    if unreadable {
        ExitCode::from(2)
    } else if args.check && any_fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
