//! The five rules. One module per rule, each with its check and its
//! explanation; [`run_all`] runs them concurrently over one resolver.

pub mod blocklists;
pub mod dkim;
pub mod dkim_fix;
pub mod dnsbl;
pub mod dnsbl_fix;
pub mod dynamic_name;
pub mod rdns_fix;
pub mod receiver;
pub mod reverse_dns;
pub mod sender_ip;
pub mod spf;
pub mod static_ip;

use crate::dns::Resolver;
use crate::message::ParsedMessage;
use crate::report::{Report, RuleId, RuleResult};
use crate::{Observer, Options};

/// What every rule can read.
pub struct Context<'a> {
    /// The parsed message.
    pub parsed: &'a ParsedMessage<'a>,
    /// The report so far (summary, hops, sender).
    pub report: &'a Report,
    /// The analysis's resolver.
    pub resolver: &'a Resolver,
    /// The options.
    pub options: &'a Options,
}

/// The result of one rule, by id.
pub(crate) fn rule(rules: &[RuleResult], id: RuleId) -> Option<&RuleResult> {
    rules.iter().find(|r| r.id == id)
}

/// What the rules found that later stages read as types, not as the report's
/// JSON: DMARC takes rule 4's SPF evaluation and rule 5's DKIM results
/// instead of evaluating SPF and verifying signatures again.
#[derive(Debug, Default)]
pub struct Findings {
    /// Rule 4's evaluation, when SPF was evaluated.
    pub spf: Option<spf::SpfFinding>,
    /// Rule 5's verification results.
    pub dkim: dkim::DkimFinding,
}

/// Runs the five rules concurrently; results come back in rule order, each
/// handed to the observer as soon as it is ready.
pub async fn run_all(
    ctx: &Context<'_>,
    signatures: &dkim::DkimSignatures<'_>,
    observer: &dyn Observer,
) -> (Vec<RuleResult>, Findings) {
    let observed = |result: RuleResult| {
        observer.rule(&result);
        result
    };
    let (static_ip, reverse_dns, blocklists, (spf, spf_finding), (dkim, dkim_finding)) = futures::join!(
        async { observed(static_ip::check(ctx).await) },
        async { observed(reverse_dns::check(ctx).await) },
        async { observed(blocklists::check(ctx).await) },
        async {
            let (result, finding) = spf::check(ctx).await;
            (observed(result), finding)
        },
        async {
            let (result, finding) = dkim::check(ctx, signatures).await;
            (observed(result), finding)
        },
    );
    // Rule 4's fix depends on rule 1's finding: a residential address is
    // not one to authorise in SPF (shown again, replacing the first).
    let mut spf = spf;
    if let Some(ip) = spf_finding.as_ref().map(|f| spf::client_ip(f.ip))
        && spf::fix::for_residential_sender(&mut spf, &static_ip, ip)
    {
        observer.rule(&spf);
    }
    let rules = vec![static_ip, reverse_dns, blocklists, spf, dkim];
    debug_assert!(rules.iter().map(|r| r.id).eq(RuleId::ALL));
    let findings = Findings {
        spf: spf_finding,
        dkim: dkim_finding,
    };
    (rules, findings)
}
