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

/// Runs the five rules concurrently; results come back in rule order.
pub async fn run_all(ctx: &Context<'_>, observer: &dyn Observer) -> Vec<RuleResult> {
    let checks = RuleId::ALL.map(|id| async move {
        let result = check(id, ctx).await;
        observer.rule(&result);
        result
    });
    futures::future::join_all(checks).await
}

async fn check(id: RuleId, ctx: &Context<'_>) -> RuleResult {
    match id {
        RuleId::StaticIp => static_ip::check(ctx).await,
        RuleId::ReverseDns => reverse_dns::check(ctx).await,
        RuleId::Blocklists => blocklists::check(ctx).await,
        RuleId::Spf => spf::check(ctx).await,
        RuleId::Dkim => dkim::check(ctx).await,
    }
}
