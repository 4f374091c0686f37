//! Rule 4's details (`RuleDetails::Spf`): the SPF evaluation and its record tree.

use serde::{Deserialize, Serialize};

/// RFC 7208 4.6.4: at most 10 DNS-querying terms.
pub const LOOKUP_LIMIT: usize = 10;
/// RFC 7208 4.6.4: at most 2 void lookups.
pub const VOID_LIMIT: usize = 2;

/// RFC 7208 2.6 results (JSON: the RFC's words, `softfail`, `permerror`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// `pass`.
    Pass,
    /// `fail`.
    Fail,
    /// `softfail`.
    SoftFail,
    /// `neutral`.
    Neutral,
    /// `none`.
    None,
    /// `permerror`.
    PermError,
    /// `temperror`.
    TempError,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which identity was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Identity {
    /// The MAIL FROM (envelope sender) domain.
    MailFrom,
    /// The HELO name (used for the null sender).
    Helo,
}

/// The outcome of one SPF evaluation, with what explains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpfEvaluation {
    /// The result (JSON: `pass`, `fail`, `softfail`, `neutral`, `none`,
    /// `permerror`, `temperror`).
    pub result: Outcome,
    /// The domain whose policy was evaluated (A-labels: what DNS is asked).
    pub domain: String,
    /// The same domain as the message wrote it (U-labels stay readable; an
    /// A-label name is not turned into look-alike Unicode). For the words only.
    #[serde(skip)]
    pub shown_domain: String,
    /// The identity checked.
    pub identity: Identity,
    /// The explanation (`exp=`) when the domain published one and the result is fail.
    pub explanation: Option<String>,
    /// The record tree (top record and the includes/redirects it reached).
    pub tree: Option<SpfNode>,
    /// DNS-querying terms the evaluation reached (RFC 7208 4.6.4 counts these).
    pub lookups: usize,
    /// Lookups that found nothing (NXDOMAIN / no records).
    pub void_lookups: usize,
    /// The terms whose lookups found nothing, with the domain of their record.
    pub void_terms: Vec<String>,
    /// The term that decided the result (`None` for none, permerror, temperror).
    pub decided_by: Option<String>,
    /// The domain whose record holds `decided_by` (a redirect target, or the
    /// checked domain; an include decides as the `include:` term itself).
    pub decided_in: Option<String>,
    /// What made the result a permerror: the record, term and position.
    pub permerror: Option<SpfProblem>,
    /// DNS failures met on the way.
    pub dns_failures: Vec<String>,
}

/// How an SPF record was reached (JSON: `top`, `include`, `redirect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpfVia {
    /// The domain checked.
    Top,
    /// An `include:` mechanism.
    Include,
    /// A `redirect=` modifier.
    Redirect,
}

impl SpfVia {
    /// The word as written in the JSON (and in the record).
    pub fn as_str(self) -> &'static str {
        match self {
            SpfVia::Top => "top",
            SpfVia::Include => "include",
            SpfVia::Redirect => "redirect",
        }
    }
}

impl std::fmt::Display for SpfVia {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One SPF record in the include tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpfNode {
    /// Domain the record was fetched from.
    pub domain: String,
    /// How it was reached: `top`, `include` or `redirect`.
    pub via: SpfVia,
    /// The record text (`None` when it could not be fetched).
    pub record: Option<String>,
    /// Number of SPF records found (more than one is a permerror).
    pub record_count: usize,
    /// Problem fetching or reading it, when there was one.
    pub problem: Option<String>,
    /// A TXT record meant as SPF that receivers do not select (a byte-order
    /// mark or quote before `v=spf1`, no space after it): what is wrong.
    pub near_miss: Option<String>,
    /// DNS-querying terms of this record that were evaluated (its own
    /// `include`/`redirect`/`a`/`mx`/`ptr`/`exists`, not its children's):
    /// the nodes' counts add up to the evaluation's `lookups`.
    #[serde(default)]
    pub lookups: usize,
    /// Lookups of this record's own terms that found nothing.
    #[serde(default)]
    pub void_lookups: usize,
    /// Included and redirected records, in order.
    pub children: Vec<SpfNode>,
}

/// What makes a result a permerror.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// The record breaks RFC 7208's grammar.
    Syntax,
    /// Two or more SPF records at one name.
    MultipleRecords,
    /// More than 10 DNS-querying terms.
    LookupLimit,
    /// More than 2 void lookups.
    VoidLimit,
    /// An `mx` term's domain has more than 10 MX records.
    MxLimit,
    /// An include or redirect target publishes no SPF record.
    TargetWithoutSpf,
}

/// A permerror, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpfProblem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// The domain whose record has it.
    pub domain: String,
    /// The term as written, when one term is to blame.
    pub term: Option<String>,
    /// Its 1-based position after `v=spf1`.
    pub position: Option<usize>,
    /// What is wrong, in plain words.
    pub problem: String,
}

impl Outcome {
    /// The result as RFC 7208 names it.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::SoftFail => "softfail",
            Outcome::Neutral => "neutral",
            Outcome::None => "none",
            Outcome::PermError => "permerror",
            Outcome::TempError => "temperror",
        }
    }
}
