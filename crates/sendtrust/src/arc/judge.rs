//! The strict half of ARC validation (RFC 8617 section 5.2), as pure functions:
//! the ARC header fields in, a [`Verdict`] out. No DNS and no cryptography:
//! [`chain`] reads the fields (tag-list syntax, required tags, instances,
//! `cv=`), and [`judge`] combines that with what [`super::lookup`] found (the
//! key sizes and mail-auth's signature verification).
//!
//! Why not mail-auth alone: its parser skips what RFC 6376 section 3.2 makes
//! invalid (duplicate tag names, bad tag names, empty tags, non-numeric `t=`),
//! it accepts an AMS whose `h=` signs ARC-Seal and seals made with RSA keys
//! under 1024 bits, and it reports a missing AMS as `none`. A diagnostic tool
//! must not be more lenient than the strictest receiver, so every one of those
//! is `fail` here before mail-auth's verdict is even asked.

use super::explain::Broken;
use crate::report::ArcCv;

/// Most sets a chain may have (RFC 8617 section 4.2.1).
pub const MAX_INSTANCES: u32 = 50;

/// Which ARC header field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `ARC-Authentication-Results` (AAR).
    AuthResults,
    /// `ARC-Message-Signature` (AMS).
    MessageSignature,
    /// `ARC-Seal` (AS).
    Seal,
}

impl Kind {
    /// The field name as RFC 8617 writes it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::AuthResults => "ARC-Authentication-Results",
            Kind::MessageSignature => "ARC-Message-Signature",
            Kind::Seal => "ARC-Seal",
        }
    }

    /// The field kind of a header name (case-insensitive), if it is an ARC field.
    pub fn of(name: &str) -> Option<Kind> {
        [Kind::AuthResults, Kind::MessageSignature, Kind::Seal]
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// One ARC header field as it appears in the message (value unfolded).
#[derive(Debug, Clone, PartialEq)]
pub struct Field<'a> {
    /// Which field.
    pub kind: Kind,
    /// Its value, unfolded.
    pub value: &'a str,
}

/// Why the chain fails, and the instance it belongs to when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The set (`i=`) where the chain broke.
    pub instance: Option<u32>,
    /// What broke.
    pub broken: Broken,
}

impl Failure {
    fn at(instance: u32, broken: Broken) -> Self {
        Failure {
            instance: Some(instance),
            broken,
        }
    }
}

/// One well-formed set.
#[derive(Debug, Clone, PartialEq)]
pub struct Set {
    /// `i=`.
    pub instance: u32,
    /// The seal's `cv=`.
    pub cv: ArcCv,
    /// The seal's signing domain `d=` and selector `s=`.
    pub seal_key: (String, String),
    /// The AMS's `d=` and `s=`.
    pub signature_key: (String, String),
}

/// A chain whose fields are all well formed, sets 1..=N, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// The sets.
    pub sets: Vec<Set>,
}

/// What mail-auth's verification of the newest AMS and every seal said.
#[derive(Debug, Clone, PartialEq)]
pub enum Crypto {
    /// Every signature verifies.
    Pass,
    /// A signature does not verify or a key is missing or invalid; the
    /// instance when known.
    Fail(Option<u32>, String),
    /// A key could not be fetched (DNS failure).
    CouldNotCheck(String),
}

/// The RSA key size behind one signature of the chain, when the key was read.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySize {
    /// The set.
    pub instance: u32,
    /// The seal's key or the AMS's.
    pub kind: Kind,
    /// Modulus size in bits (RSA keys only).
    pub rsa_bits: usize,
}

/// The outcome: RFC 8617's none/pass/fail, or no verdict.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// No ARC header fields at all.
    None,
    /// The chain validates.
    Pass,
    /// The chain fails.
    Fail(Failure),
    /// DNS did not answer: neither pass nor fail.
    CouldNotCheck(String),
}

/// RSA keys under this size never validate (RFC 8301 section 3.2; RFC 8617
/// section 4.1.3 uses DKIM's key rules).
pub const MIN_RSA_BITS: usize = 1024;

/// Reads the ARC fields into a chain, or the first reason it fails: per set,
/// oldest first, the tag-list syntax (RFC 6376 section 3.2) and required tags
/// of each field, then the structure (each of 1..=N has exactly one AAR, AMS
/// and AS), then `cv=` (RFC 8617 section 5.2 steps 2-3: the newest seal must
/// not record `fail`, i=1 says `none`, every later one `pass`).
/// `Ok(None)` when there are no ARC fields.
pub fn chain(fields: &[Field<'_>]) -> Result<Option<Chain>, Failure> {
    if fields.is_empty() {
        return Ok(None);
    }
    let mut read: Vec<(u32, Kind, Tags)> = Vec::with_capacity(fields.len());
    let mut failures: Vec<Failure> = Vec::new();
    for field in fields {
        match read_field(field) {
            Ok((instance, tags)) => read.push((instance, field.kind, tags)),
            Err(f) => failures.push(f),
        }
    }
    // The oldest broken set is where the chain broke; a field whose i= is
    // unreadable has no set and counts after them.
    failures.sort_by_key(|f| f.instance.unwrap_or(u32::MAX));
    if let Some(first) = failures.into_iter().next() {
        return Err(first);
    }
    let newest = read.iter().map(|(i, _, _)| *i).max().unwrap_or(0);
    let mut sets = Vec::with_capacity(newest as usize);
    for instance in 1..=newest {
        let mut parts: [Option<&Tags>; 3] = [None, None, None];
        for kind in [Kind::AuthResults, Kind::MessageSignature, Kind::Seal] {
            let mut found = read.iter().filter(|(i, k, _)| *i == instance && *k == kind);
            let first = found.next();
            if found.next().is_some() {
                return Err(Failure::at(instance, Broken::Duplicate(kind)));
            }
            match first {
                Some((_, _, tags)) => parts[kind as usize] = Some(tags),
                None => return Err(Failure::at(instance, Broken::Missing(kind))),
            }
        }
        let (Some(ams), Some(seal)) = (parts[1], parts[2]) else {
            return Err(Failure::at(instance, Broken::Missing(Kind::Seal)));
        };
        sets.push(Set {
            instance,
            cv: ArcCv::parse(seal.get("cv").unwrap_or_default()),
            seal_key: (
                seal.get("d").unwrap_or_default().to_string(),
                seal.get("s").unwrap_or_default().to_string(),
            ),
            signature_key: (
                ams.get("d").unwrap_or_default().to_string(),
                ams.get("s").unwrap_or_default().to_string(),
            ),
        });
    }
    if let Some(last) = sets.last()
        && last.cv == ArcCv::Fail
    {
        return Err(Failure::at(last.instance, Broken::RecordedFail));
    }
    for set in &sets {
        let expected = if set.instance == 1 {
            ArcCv::None
        } else {
            ArcCv::Pass
        };
        if set.cv != expected {
            return Err(Failure::at(
                set.instance,
                Broken::WrongCv {
                    found: set.cv.clone(),
                    expected,
                },
            ));
        }
    }
    Ok(Some(Chain { sets }))
}

/// The verdict for a well-formed chain: a seal or AMS key under
/// [`MIN_RSA_BITS`] fails; otherwise mail-auth's verification decides, and a
/// DNS failure is no verdict.
pub fn judge(chain: &Chain, keys: &[KeySize], crypto: &Crypto) -> Verdict {
    let mut weak: Vec<&KeySize> = keys.iter().filter(|k| k.rsa_bits < MIN_RSA_BITS).collect();
    weak.sort_by_key(|k| k.instance);
    if let Some(k) = weak.first() {
        return Verdict::Fail(Failure::at(
            k.instance,
            Broken::WeakKey {
                kind: k.kind,
                bits: k.rsa_bits,
            },
        ));
    }
    match crypto {
        Crypto::Pass if chain.sets.is_empty() => Verdict::None,
        Crypto::Pass => Verdict::Pass,
        Crypto::Fail(instance, why) => Verdict::Fail(Failure {
            instance: *instance,
            broken: Broken::Signature(why.clone()),
        }),
        Crypto::CouldNotCheck(why) => Verdict::CouldNotCheck(why.clone()),
    }
}

/// The verdict when [`chain`] found a failure or no fields: no DNS needed.
pub fn without_dns(read: &Result<Option<Chain>, Failure>) -> Option<Verdict> {
    match read {
        Ok(None) => Some(Verdict::None),
        Err(f) => Some(Verdict::Fail(f.clone())),
        Ok(Some(_)) => None,
    }
}

// --------------------------------------------------------------------------
// Fields
// --------------------------------------------------------------------------

/// A tag list: names in order, values with folding white space removed
/// around them (inside a value it is kept; `b=` and `bh=` drop it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    /// The value of tag `name` (names are case-sensitive, RFC 6376 section 3.2).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// RFC 6376 section 3.2: `tag-list = tag-spec *( ";" tag-spec ) [ ";" ]`,
/// `tag-spec = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]`,
/// `tag-name = ALPHA *ALNUMPUNC`, values of VALCHAR (`%x21-3A / %x3C-7E`)
/// separated by white space; a tag name that occurs twice makes the whole
/// list invalid.
pub fn tag_list(value: &str) -> Result<Tags, Broken> {
    let mut tags: Vec<(String, String)> = Vec::new();
    let specs: Vec<&str> = value.split(';').collect();
    let last = specs.len().saturating_sub(1);
    for (n, spec) in specs.iter().enumerate() {
        let spec = spec.trim_matches(is_fws);
        if spec.is_empty() {
            if n == last && n > 0 {
                break; // the one optional trailing ";"
            }
            return Err(Broken::Syntax("an empty tag (\";;\")".into()));
        }
        let Some((name, tag_value)) = spec.split_once('=') else {
            return Err(Broken::Syntax(format!(
                "\"{}\" is not name=value",
                clip(spec)
            )));
        };
        let name = name.trim_matches(is_fws);
        let tag_value = tag_value.trim_matches(is_fws);
        let mut chars = name.chars();
        let valid_name = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            return Err(Broken::Syntax(format!(
                "invalid tag name \"{}\"",
                clip(name)
            )));
        }
        if let Some(bad) = tag_value
            .chars()
            .find(|&c| !(is_fws(c) || ('\x21'..='\x7e').contains(&c)))
        {
            return Err(Broken::Syntax(format!(
                "character {bad:?} in the value of {name}="
            )));
        }
        if tags.iter().any(|(n, _)| n == name) {
            return Err(Broken::Syntax(format!("tag {name}= appears twice")));
        }
        tags.push((name.to_string(), tag_value.to_string()));
    }
    Ok(Tags(tags))
}

fn is_fws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// `i=`: 1*DIGIT in 1..=50.
fn instance_of(value: Option<&str>) -> Result<u32, Broken> {
    let value = value.ok_or(Broken::NoInstance)?;
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Broken::BadInstance(clip(value)));
    }
    match value.parse::<u32>() {
        Ok(i) if (1..=MAX_INSTANCES).contains(&i) => Ok(i),
        _ => Err(Broken::BadInstance(clip(value))),
    }
}

/// Reads one field: its instance and tags, or why it is invalid.
fn read_field(field: &Field<'_>) -> Result<(u32, Tags), Failure> {
    let kind = field.kind;
    let fail = |instance: Option<u32>, broken: Broken| Failure {
        instance,
        broken: Broken::InField(kind, Box::new(broken)),
    };
    if kind == Kind::AuthResults {
        // RFC 8617 section 4.1.1: "i=" instance ";" then the
        // Authentication-Results payload, which is not a tag list.
        let value = field.value.trim_start_matches(is_fws);
        let Some(rest) = value.strip_prefix("i") else {
            return Err(fail(None, Broken::NoInstance));
        };
        let rest = rest.trim_start_matches(is_fws);
        let Some(rest) = rest.strip_prefix('=') else {
            return Err(fail(None, Broken::NoInstance));
        };
        let (number, after) = rest.split_once(';').unwrap_or((rest, ""));
        let instance = instance_of(Some(number.trim_matches(is_fws))).map_err(|b| fail(None, b))?;
        if after.trim_matches(is_fws).is_empty() {
            return Err(fail(Some(instance), Broken::EmptyResults));
        }
        return Ok((instance, Tags::default()));
    }
    let tags = tag_list(field.value).map_err(|b| fail(None, b))?;
    let instance = instance_of(tags.get("i")).map_err(|b| fail(None, b))?;
    let at = |b: Broken| fail(Some(instance), b);
    let required: &[&str] = match kind {
        Kind::MessageSignature => &["a", "b", "bh", "d", "h", "s"],
        _ => &["a", "b", "cv", "d", "s"],
    };
    for name in required {
        if tags.get(name).is_none() {
            return Err(at(Broken::MissingTag(name)));
        }
    }
    for name in ["d", "s"] {
        if tags.get(name).is_some_and(str::is_empty) {
            return Err(at(Broken::EmptyTag(name)));
        }
    }
    let algorithm = tags.get("a").unwrap_or_default();
    if !["rsa-sha256", "rsa-sha1", "ed25519-sha256"]
        .iter()
        .any(|a| a.eq_ignore_ascii_case(algorithm))
    {
        return Err(at(Broken::BadValue("a", clip(algorithm))));
    }
    for name in ["b", "bh"] {
        if let Some(v) = tags.get(name) {
            let compact: String = v.chars().filter(|c| !is_fws(*c)).collect();
            if compact.is_empty() || !is_base64(&compact) {
                return Err(at(Broken::BadValue(name, clip(v))));
            }
        }
    }
    for name in ["t", "x", "l"] {
        if let Some(v) = tags.get(name)
            && (v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) || v.len() > 12)
        {
            return Err(at(Broken::BadValue(name, clip(v))));
        }
    }
    match kind {
        Kind::MessageSignature => {
            if let Some(c) = tags.get("c") {
                let valid = |part: &str| {
                    part.eq_ignore_ascii_case("simple") || part.eq_ignore_ascii_case("relaxed")
                };
                let ok = match c.split_once('/') {
                    Some((h, b)) => valid(h) && valid(b),
                    None => valid(c),
                };
                if !ok {
                    return Err(at(Broken::BadValue("c", clip(c))));
                }
            }
            let signs_seal = tags
                .get("h")
                .unwrap_or_default()
                .split(':')
                .any(|h| h.trim_matches(is_fws).eq_ignore_ascii_case("arc-seal"));
            if signs_seal {
                return Err(at(Broken::SignsSeal));
            }
        }
        _ => {
            if tags.get("h").is_some() {
                return Err(at(Broken::SealWithH));
            }
            let cv = tags.get("cv").unwrap_or_default();
            if !["none", "pass", "fail"]
                .iter()
                .any(|v| v.eq_ignore_ascii_case(cv))
            {
                return Err(at(Broken::BadValue("cv", clip(cv))));
            }
        }
    }
    Ok((instance, tags))
}

/// Base64 alphabet with at most two trailing `=` and a length that is a
/// multiple of four.
fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len().is_multiple_of(4)
        && text.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: &str = "dGVzdHNpZ25hdHVyZQ==";

    fn seal(i: &str, cv: &str) -> String {
        format!("i={i}; a=rsa-sha256; cv={cv}; d=example.org; s=sel; t=12345; b={B}")
    }

    fn ams(i: &str) -> String {
        format!(
            "i={i}; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel; \
             h=from:to:subject; bh={B}; b={B}"
        )
    }

    fn aar(i: &str) -> String {
        format!("i={i}; lists.example.org; spf=pass smtp.mfrom=a@example.org")
    }

    /// Sets 1..=n, oldest first, each AAR, AMS, AS.
    fn sets(n: u32) -> Vec<(Kind, String)> {
        (1..=n)
            .flat_map(|i| {
                let cv = if i == 1 { "none" } else { "pass" };
                [
                    (Kind::AuthResults, aar(&i.to_string())),
                    (Kind::MessageSignature, ams(&i.to_string())),
                    (Kind::Seal, seal(&i.to_string(), cv)),
                ]
            })
            .collect()
    }

    fn read(fields: &[(Kind, String)]) -> Result<Option<Chain>, Failure> {
        let fields: Vec<Field<'_>> = fields
            .iter()
            .map(|(kind, value)| Field {
                kind: *kind,
                value: value.as_str(),
            })
            .collect();
        chain(&fields)
    }

    fn failure(fields: &[(Kind, String)]) -> Failure {
        match read(fields) {
            Err(f) => f,
            Ok(c) => panic!("expected a failure, read {c:?}"),
        }
    }

    fn inner(f: &Failure) -> &Broken {
        match &f.broken {
            Broken::InField(_, inner) => inner,
            other => other,
        }
    }

    fn replace(fields: &mut [(Kind, String)], at: usize, value: String) {
        fields[at].1 = value;
    }

    #[test]
    fn no_fields_is_none_without_dns() {
        assert_eq!(read(&[]), Ok(None));
        assert_eq!(without_dns(&read(&[])), Some(Verdict::None));
    }

    #[test]
    fn well_formed_chains_read_in_instance_order() {
        let mut fields = sets(3);
        fields.reverse(); // newest first, as a message carries them
        let chain = read(&fields).expect("valid").expect("some");
        let instances: Vec<u32> = chain.sets.iter().map(|s| s.instance).collect();
        assert_eq!(instances, [1, 2, 3]);
        assert_eq!(chain.sets[0].cv, ArcCv::None);
        assert_eq!(chain.sets[2].seal_key, ("example.org".into(), "sel".into()));
        assert_eq!(without_dns(&Ok(Some(chain))), None, "keys are needed");
    }

    #[test]
    fn a_missing_ams_fails_instead_of_none() {
        let fields: Vec<_> = sets(1)
            .into_iter()
            .filter(|(k, _)| *k != Kind::MessageSignature)
            .collect();
        let f = failure(&fields);
        assert_eq!(f.instance, Some(1));
        assert_eq!(f.broken, Broken::Missing(Kind::MessageSignature));
    }

    #[test]
    fn missing_seal_aar_and_gaps_fail_at_their_instance() {
        let no_seal: Vec<_> = sets(2)
            .into_iter()
            .filter(|(k, v)| !(*k == Kind::Seal && v.starts_with("i=2")))
            .collect();
        assert_eq!(failure(&no_seal).broken, Broken::Missing(Kind::Seal));
        assert_eq!(failure(&no_seal).instance, Some(2));
        let no_aar: Vec<_> = sets(1)
            .into_iter()
            .filter(|(k, _)| *k != Kind::AuthResults)
            .collect();
        assert_eq!(failure(&no_aar).broken, Broken::Missing(Kind::AuthResults));
        let gap: Vec<_> = sets(3)
            .into_iter()
            .filter(|(_, v)| !v.starts_with("i=2"))
            .collect();
        assert_eq!(failure(&gap).instance, Some(2));
    }

    #[test]
    fn duplicate_instances_fail() {
        let mut fields = sets(2);
        fields.push((Kind::Seal, seal("2", "pass")));
        let f = failure(&fields);
        assert_eq!(f.instance, Some(2));
        assert_eq!(f.broken, Broken::Duplicate(Kind::Seal));
    }

    #[test]
    fn instance_values_outside_1_to_50_or_not_digits_fail() {
        for bad in ["", "0", "51", "x", "1a", "-1", "+1"] {
            let mut fields = sets(1);
            replace(&mut fields, 1, ams(bad));
            let f = failure(&fields);
            assert!(
                matches!(inner(&f), Broken::BadInstance(_)),
                "i={bad}: {f:?}"
            );
        }
        let mut fields = sets(1);
        replace(&mut fields, 2, seal("50", "none").replace("i=50; ", ""));
        assert_eq!(inner(&failure(&fields)), &Broken::NoInstance);
    }

    #[test]
    fn tag_list_syntax_errors_fail() {
        let cases = [
            (ams("1").replace("s=sel;", "s=sel; s=sel;"), "appears twice"),
            (ams("1").replace("s=sel;", "s=sel;;"), "empty tag"),
            (ams("1").replace("s=sel;", "1s=sel;"), "invalid tag name"),
            (ams("1").replace("s=sel;", "s-x=sel;"), "invalid tag name"),
            (ams("1").replace("s=sel;", "sel;"), "not name=value"),
            (ams("1").replace("s=sel;", "s=s\u{e9}l;"), "character"),
        ];
        for (value, what) in cases {
            let mut fields = sets(1);
            replace(&mut fields, 1, value.clone());
            let f = failure(&fields);
            match inner(&f) {
                Broken::Syntax(text) => assert!(text.contains(what), "{value}: {text}"),
                other => panic!("{value}: {other:?}"),
            }
        }
    }

    #[test]
    fn tag_list_accepts_what_rfc_6376_allows() {
        let tags = tag_list(" a = 1 ;b=x y\t z;\r\n c=; d_1=q;").expect("valid");
        assert_eq!(tags.get("a"), Some("1"));
        assert_eq!(tags.get("b"), Some("x y\t z"));
        assert_eq!(tags.get("c"), Some(""));
        assert_eq!(tags.get("d_1"), Some("q"));
        assert_eq!(tags.get("A"), None, "tag names are case-sensitive");
    }

    #[test]
    fn required_tags_and_values_are_checked() {
        let cases = [
            (1, ams("1").replace(" a=rsa-sha256;", ""), "a"),
            (1, ams("1").replace("a=rsa-sha256", "a=rsa-md5"), "a"),
            (1, ams("1").replace("s=sel;", ""), "s"),
            (1, ams("1").replace("d=example.org", "d="), "d"),
            (1, ams("1").replace(&format!("bh={B}"), "bh="), "bh"),
            (
                1,
                ams("1").replace("c=relaxed/relaxed", "c=relaxed/fancy"),
                "c",
            ),
            (1, ams("1") + "; t=icecream", "t"),
            (2, seal("1", "none").replace(" cv=none;", ""), "cv"),
            (2, seal("1", "maybe"), "cv"),
            (2, seal("1", "none").replace(&format!("b={B}"), "b="), "b"),
            (2, seal("1", "none").replace("t=12345", "t=12:00"), "t"),
        ];
        for (at, value, tag) in cases {
            let mut fields = sets(1);
            replace(&mut fields, at, value.clone());
            let f = failure(&fields);
            let named = match inner(&f) {
                Broken::MissingTag(n) | Broken::EmptyTag(n) | Broken::BadValue(n, _) => *n,
                other => panic!("{value}: {other:?}"),
            };
            assert_eq!(named, tag, "{value}");
            assert_eq!(f.instance, Some(1), "{value}");
        }
    }

    #[test]
    fn an_ams_signing_arc_seal_fails() {
        let mut fields = sets(1);
        replace(
            &mut fields,
            1,
            ams("1").replace("h=from:", "h=from: ARC-Seal :"),
        );
        assert_eq!(inner(&failure(&fields)), &Broken::SignsSeal);
    }

    #[test]
    fn a_seal_with_h_fails() {
        let mut fields = sets(1);
        replace(&mut fields, 2, seal("1", "none") + "; h=from");
        assert_eq!(inner(&failure(&fields)), &Broken::SealWithH);
    }

    #[test]
    fn an_aar_must_start_with_its_instance() {
        let mut fields = sets(1);
        replace(&mut fields, 0, "lists.example.org; i=1; spf=pass".into());
        assert_eq!(inner(&failure(&fields)), &Broken::NoInstance);
        replace(&mut fields, 0, "i=1;".into());
        assert_eq!(inner(&failure(&fields)), &Broken::EmptyResults);
        replace(&mut fields, 0, " i = 1 ; lists.example.org; none".into());
        assert!(read(&fields).is_ok());
    }

    #[test]
    fn a_recorded_fail_on_the_newest_seal_fails_at_that_instance() {
        let mut fields = sets(2);
        replace(&mut fields, 5, seal("2", "fail"));
        let f = failure(&fields);
        assert_eq!(f.instance, Some(2));
        assert_eq!(f.broken, Broken::RecordedFail);
    }

    #[test]
    fn a_cv_contradicting_the_chain_fails() {
        let mut fields = sets(2);
        replace(&mut fields, 2, seal("1", "pass"));
        assert_eq!(
            failure(&fields),
            Failure::at(
                1,
                Broken::WrongCv {
                    found: ArcCv::Pass,
                    expected: ArcCv::None
                }
            )
        );
        let mut fields = sets(3);
        replace(&mut fields, 5, seal("2", "none"));
        assert_eq!(failure(&fields).instance, Some(2));
        let mut fields = sets(3);
        replace(&mut fields, 5, seal("2", "fail"));
        assert_eq!(failure(&fields).instance, Some(2), "an older recorded fail");
    }

    fn two_sets() -> Chain {
        read(&sets(2)).expect("valid").expect("some")
    }

    fn key(instance: u32, kind: Kind, rsa_bits: usize) -> KeySize {
        KeySize {
            instance,
            kind,
            rsa_bits,
        }
    }

    #[test]
    fn keys_under_1024_bits_fail_even_when_signatures_verify() {
        let keys = [key(2, Kind::Seal, 2048), key(1, Kind::Seal, 512)];
        assert_eq!(
            judge(&two_sets(), &keys, &Crypto::Pass),
            Verdict::Fail(Failure::at(
                1,
                Broken::WeakKey {
                    kind: Kind::Seal,
                    bits: 512
                }
            ))
        );
        let ams_key = [key(2, Kind::MessageSignature, 768)];
        assert!(matches!(
            judge(&two_sets(), &ams_key, &Crypto::Pass),
            Verdict::Fail(_)
        ));
        let fine = [key(1, Kind::Seal, 1024), key(2, Kind::Seal, 4096)];
        assert_eq!(judge(&two_sets(), &fine, &Crypto::Pass), Verdict::Pass);
    }

    #[test]
    fn signatures_decide_and_a_dns_failure_is_no_verdict() {
        let chain = two_sets();
        assert_eq!(
            judge(&chain, &[], &Crypto::Fail(Some(2), "bad".into())),
            Verdict::Fail(Failure::at(2, Broken::Signature("bad".into())))
        );
        assert_eq!(
            judge(&chain, &[], &Crypto::CouldNotCheck("timeout".into())),
            Verdict::CouldNotCheck("timeout".into())
        );
        // A weak key is a failure whatever DNS says about the other keys.
        assert!(matches!(
            judge(
                &chain,
                &[key(1, Kind::Seal, 512)],
                &Crypto::CouldNotCheck("timeout".into())
            ),
            Verdict::Fail(_)
        ));
    }

    #[test]
    fn a_malformed_field_fails_without_dns() {
        let mut fields = sets(1);
        replace(&mut fields, 1, ams("1").replace("s=sel;", "s=sel; s=sel;"));
        assert!(matches!(
            without_dns(&read(&fields)),
            Some(Verdict::Fail(_))
        ));
    }
}
