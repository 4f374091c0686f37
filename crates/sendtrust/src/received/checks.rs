//! Checks over the chain as a whole: clock skew, long delays, gaps between
//! hops, and public hops without TLS.

use super::ChainHop;
use super::handoff::{org_domain, same_operator};
use super::parse::{is_web_protocol, parse_ip_loose};
use crate::report::{ChainNote, RecordedRdns};

/// A delay above this many seconds between two hops is reported (greylisting
/// retries usually land within 30 minutes).
pub(crate) const LONG_DELAY_SECONDS: i64 = 30 * 60;

/// At most this many notes of one kind; the last one says more were left out.
const MAX_NOTES_PER_KIND: usize = 50;

/// The `from` and `by` names of one Received field, in chain order (oldest first).
pub(crate) struct Link<'a> {
    /// Index into `hops` when the field is a hop.
    pub hop: Option<usize>,
    /// Names the client was recorded under (HELO, reverse name, the word after `from`).
    pub from_names: Vec<&'a str>,
    /// The client address.
    pub from_ip: Option<std::net::IpAddr>,
    /// The receiving host.
    pub by: Option<&'a str>,
}

struct Notes {
    notes: Vec<ChainNote>,
    counts: [usize; 4],
}

impl Notes {
    fn push(&mut self, slot: usize, note: ChainNote) {
        let Some(count) = self.counts.get_mut(slot) else {
            return;
        };
        *count += 1;
        if *count < MAX_NOTES_PER_KIND {
            self.notes.push(note);
        } else if *count == MAX_NOTES_PER_KIND {
            let mut note = note;
            note.message
                .push_str(" (further notes of this kind are left out)");
            self.notes.push(note);
        }
    }
}

/// Returns the chain notes and each hop's delay since the previous stamped
/// hop (the caller writes them into the hops: `links` borrows them).
/// `inside` says which hops are the recipient's own.
pub(crate) fn run<'a>(
    hops: &[ChainHop],
    times: &[Option<i64>],
    links: impl IntoIterator<Item = Link<'a>>,
    inside: &[bool],
) -> (Vec<ChainNote>, Vec<Option<i64>>) {
    let mut notes = Notes {
        notes: Vec::new(),
        counts: [0; 4],
    };
    let mut delays = vec![None; hops.len()];

    // Delays, clock skew, long delays.
    let mut previous: Option<(usize, i64)> = None;
    for (i, slot) in delays.iter_mut().enumerate() {
        let Some(t) = times.get(i).copied().flatten() else {
            continue;
        };
        if let Some((p, pt)) = previous {
            let delay = t.saturating_sub(pt);
            *slot = Some(delay);
            if delay < 0 {
                notes.push(
                    0,
                    ChainNote {
                        kind: crate::report::ChainNoteKind::ClockSkew,
                        hop_index: i,
                        message: format!(
                            "hop {} is stamped {} before hop {}: time goes backwards, so at least one of the two servers' clocks is off",
                            i + 1,
                            duration(-delay),
                            p + 1
                        ),
                        seconds: Some(delay),
                    },
                );
            } else if delay > LONG_DELAY_SECONDS {
                notes.push(
                    1,
                    ChainNote {
                        kind: crate::report::ChainNoteKind::LongDelay,
                        hop_index: i,
                        message: format!(
                            "hop {} came {} after hop {}: the message waited (queueing, greylisting, retries after a failure, or a wrong clock)",
                            i + 1,
                            duration(delay),
                            p + 1
                        ),
                        seconds: Some(delay),
                    },
                );
            }
        }
        previous = Some((i, t));
    }

    // Gaps: one field's `by` is not the next field's `from`. The links come
    // one at a time (a hostile chain has hundreds of thousands).
    let mut links = links.into_iter();
    let mut last_link = links.next();
    for newer in links {
        let Some(older) = last_link.replace(newer) else {
            continue;
        };
        let Some(newer) = last_link.as_ref() else {
            continue;
        };
        let Some(hop_index) = newer.hop else { continue };
        // Inside the recipient's system internal and public names differ
        // routinely; gaps matter on the way to the hand-off hop.
        if inside.get(hop_index).copied().unwrap_or(false) {
            continue;
        }
        let Some(by) = older.by else { continue };
        if newer.from_names.is_empty() && newer.from_ip.is_none() {
            continue;
        }
        if same_host(by, &newer.from_names, newer.from_ip) != Some(false) {
            continue;
        }
        let from = newer
            .from_names
            .first()
            .map(|s| s.to_string())
            .or_else(|| newer.from_ip.map(|ip| ip.to_string()))
            .unwrap_or_default();
        notes.push(
            2,
            ChainNote {
                kind: crate::report::ChainNoteKind::Gap,
                hop_index,
                message: format!(
                    "the field before hop {} was written by {by}, but hop {} says the message came from {from}: a hop may be missing, or a field was added or altered",
                    hop_index + 1,
                    hop_index + 1
                ),
                seconds: None,
            },
        );
    }

    // No TLS on the public leg (the hand-off hop and the sender's hops below it).
    for (i, hop) in hops.iter().enumerate() {
        let public = hop.from_ip.is_some() && !hop.private;
        if !public || inside.get(i).copied().unwrap_or(false) || hop.tls {
            continue;
        }
        if is_web_protocol(hop.with.as_deref()) {
            continue;
        }
        notes.push(
            3,
            ChainNote {
                kind: crate::report::ChainNoteKind::NoTls,
                hop_index: i,
                message: format!(
                    "hop {} crossed the public internet and its receiving server recorded no TLS{}: the connection was probably not encrypted",
                    i + 1,
                    hop.with
                        .as_deref()
                        .map(|w| format!(" (protocol {w})"))
                        .unwrap_or_default()
                ),
                seconds: None,
            },
        );
    }
    (notes.notes, delays)
}

fn duration(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    if s < 120 {
        format!("{s} s")
    } else if s < 2 * 3600 {
        format!("{} min", s / 60)
    } else if s < 2 * 86_400 {
        format!("{} h {} min", s / 3600, s % 3600 / 60)
    } else {
        format!("{} days", s / 86_400)
    }
}

fn normalize(name: &str) -> String {
    name.trim()
        .trim_matches(|c: char| matches!(c, '[' | ']' | ',' | ';'))
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

fn is_localish(name: &str) -> bool {
    let n = normalize(name);
    n.is_empty()
        || n == "localhost"
        || n.starts_with("localhost.")
        || n == "unknown"
        || parse_ip_loose(&n).is_some_and(|ip| ip.is_loopback())
}

/// `Some(true)` when `by` names the same host as one of the names,
/// `Some(false)` when it clearly does not, `None` when it cannot be told.
fn same_host(by: &str, names: &[&str], ip: Option<std::net::IpAddr>) -> Option<bool> {
    if is_localish(by) || names.iter().any(|n| is_localish(n)) {
        return None;
    }
    if let Some(by_ip) = parse_ip_loose(by) {
        return match ip {
            Some(ip) if ip == by_ip => Some(true),
            _ => None,
        };
    }
    let b = normalize(by);
    let b_first = b.split('.').next().unwrap_or("");
    let b_org = org_domain(&b);
    let (mut any_false, mut any_unknown) = (false, false);
    for name in names {
        let n = normalize(name);
        if n.is_empty() || parse_ip_loose(&n).is_some() {
            continue;
        }
        if n == b {
            return Some(true);
        }
        let n_first = n.split('.').next().unwrap_or("");
        let single = !n.contains('.') || !b.contains('.');
        if n_first == b_first && single {
            return Some(true);
        }
        if single {
            // A short name against a full one ("filterdrecv-7d9c" vs
            // "o1.ptr.example.com"): internal names often differ; cannot tell.
            any_unknown = true;
            continue;
        }
        match (&b_org, org_domain(&n)) {
            (Some(a), Some(c)) if same_operator(a, &c) => return Some(true),
            (Some(_), Some(_)) => any_false = true,
            _ => any_unknown = true,
        }
    }
    (any_false && !any_unknown).then_some(false)
}

/// The names a hop's client was recorded under.
pub(crate) fn from_names<'a>(hop: &'a ChainHop, from_host: Option<&'a str>) -> Vec<&'a str> {
    let mut names = Vec::new();
    if let Some(h) = hop.from_helo.as_deref() {
        names.push(h);
    }
    if let Some(RecordedRdns::Name(n)) = &hop.from_rdns {
        names.push(n.as_str());
    }
    if let Some(h) = from_host
        && !names.contains(&h)
    {
        names.push(h);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_matching() {
        assert_eq!(
            same_host("mx.example.net", &["mx.example.net"], None),
            Some(true)
        );
        assert_eq!(same_host("mail1", &["mail1.example.net"], None), Some(true));
        assert_eq!(
            same_host(
                "BN9PR03CA0123.outlook.office365.com",
                &["BN9PR03CA0123.namprd03.prod.outlook.com"],
                None
            ),
            Some(true)
        );
        assert_eq!(
            same_host("smtp.gmail.com", &["mail-sor-f41.google.com"], None),
            Some(true)
        );
        assert_eq!(
            same_host("mx.example.net", &["relay.other.example"], None),
            Some(false)
        );
        assert_eq!(same_host("localhost", &["relay.other.example"], None), None);
        assert_eq!(same_host("mx.example.net", &["SERVER1"], None), None);
        assert_eq!(same_host("mx.example.net", &["unknown"], None), None);
    }

    #[test]
    fn durations() {
        assert_eq!(duration(5), "5 s");
        assert_eq!(duration(-600), "10 min");
        assert_eq!(duration(3 * 3600 + 60), "3 h 1 min");
        assert_eq!(duration(5 * 86_400), "5 days");
    }
}
