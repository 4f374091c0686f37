//! `sendtrust`: check the server that sent a message against the five rules
//! spam filters use to trust a sender. A thin view of the engine's `Report`.

mod text;

use sendtrust::dns::Resolver;
use sendtrust::{Options, OptionsInput, Report, Verdict};
use std::io::Read;
use std::process::ExitCode;

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
    --timeout MS         per-query deadline in milliseconds (default 5000;
                         100 to 60000)
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
    let mut files = Vec::new();
    let (mut json, mut markdown, mut check) = (false, false, false);
    // The flags fill the same unchecked options the JS API takes, read by
    // the engine's one options parser.
    let mut input = OptionsInput::default();
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
            "--json" => json = true,
            "--markdown" => markdown = true,
            "--check" => check = true,
            "--offline" => input.offline = true,
            "--doh-json" => input.format = Some("json".into()),
            "--doh" => input.doh = Some(take(&mut iter)?),
            "--timeout" => {
                let v = take(&mut iter)?;
                input.timeout_ms = Some(
                    v.parse::<u64>()
                        .map_err(|_| format!("--timeout wants milliseconds, got `{v}`"))?,
                );
            }
            "--sender-ip" => input.sender_ip = Some(take(&mut iter)?),
            "--dnsbl" => input.dnsbl.get_or_insert_default().push(take(&mut iter)?),
            "--dbl" => input.dbl.get_or_insert_default().push(take(&mut iter)?),
            "--dqs-key" => input.dqs_key = Some(take(&mut iter)?),
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(None);
            }
            "-" => files.push("-".into()),
            f if f.starts_with('-') => return Err(format!("unknown option `{f}`")),
            _ => files.push(arg.clone()),
        }
    }
    if files.is_empty() {
        return Err("no input: give one or more FILEs, or `-` for stdin".into());
    }
    let options = input
        .parse()
        .map_err(|e| format!("{}: {}", e.field.flag(), e.message))?;
    Ok(Some(Args {
        files,
        json,
        markdown,
        check,
        options,
    }))
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
