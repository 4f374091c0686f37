//! Beyond the five rules: DMARC, ARC, the receiver's verdicts next to
//! Sendtrust's re-check, the bulk-sender checklist, and antispam headers.
//!
//! mail-auth evaluates DMARC and ARC; it reads DNS through the same resolver
//! cache the rules filled (see `dns::bridge`), so the SPF and DKIM it needs
//! are re-run from the cache without new questions.

pub mod antispam;
mod checklist;
mod verdicts;

use crate::dns::bridge::{AuthCache, Caches, converge, offline_authenticator};
use crate::dns::{Answer, QType, Rdata};
use crate::message::domain_of;
use crate::report::{ArcInstance, ArcReport, Beyond, DmarcReport, RuleResult};
use crate::rules::Context;
use crate::rules::spf::check_host_params;
use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::dmarc::{Alignment, Policy};
use mail_auth::{ArcResult, AuthenticatedMessage, DmarcResult, Parameters};

/// Runs the checks beyond the five rules (after them: it reuses their results
/// and the DNS cache they filled).
pub async fn run(ctx: &Context<'_>, rules: &[RuleResult]) -> Beyond {
    // One parse serves DMARC and ARC. Only the DKIM signatures rule 5
    // verifies are kept (one DNS query each); ARC reads its own headers.
    let mut message = AuthenticatedMessage::parse_with_opts(ctx.parsed.raw, None, false);
    if let Some(message) = &mut message {
        crate::rules::dkim::limit_signatures(message);
    }
    let dmarc = match &message {
        Some(message) => dmarc(ctx, message).await,
        None => None,
    };
    let arc = match &message {
        Some(message) => arc(ctx, message).await,
        None => None,
    };
    let receiver = verdicts::compare(ctx, rules, dmarc.as_ref(), arc.as_ref());
    let bulk_sender = checklist::items(ctx, rules, dmarc.as_ref());
    Beyond {
        dmarc,
        arc,
        receiver,
        bulk_sender,
        antispam: antispam::decode(ctx.parsed),
    }
}

/// The result of one rule, by id.
fn rule(rules: &[RuleResult], id: crate::report::RuleId) -> Option<&RuleResult> {
    rules.iter().find(|r| r.id == id)
}

/// Asks, ahead of time, for the DMARC records DMARC's tree walk (DMARCbis)
/// will read: `_dmarc.` of the From domain and of each parent with two or
/// more labels (at most 8, as the walk does). Answers land in the resolver's
/// cache; failures are left for the real evaluation to report.
pub async fn prefetch(ctx: &Context<'_>) {
    if ctx.resolver.is_offline() {
        return;
    }
    let Some(domain) = ctx.parsed.from_address().and_then(|a| domain_of(&a)) else {
        return;
    };
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    let names: Vec<String> = (0..labels.len().saturating_sub(1))
        .take(8)
        .map(|i| format!("_dmarc.{}", labels[i..].join(".")))
        .collect();
    let lookups = names
        .iter()
        .map(|name| ctx.resolver.lookup(name, QType::Txt));
    futures::future::join_all(lookups).await;
}

fn policy_name(p: Policy) -> Option<String> {
    match p {
        Policy::None => Some("none".into()),
        Policy::Quarantine => Some("quarantine".into()),
        Policy::Reject => Some("reject".into()),
        Policy::Unspecified => None,
    }
}

fn alignment_name(a: &Alignment) -> String {
    match a {
        Alignment::Relaxed => "relaxed".into(),
        Alignment::Strict => "strict".into(),
    }
}

/// Evaluates DMARC for the From domain with mail-auth.
async fn dmarc(ctx: &Context<'_>, message: &AuthenticatedMessage<'_>) -> Option<DmarcReport> {
    let from_domain = ctx.parsed.from_address().and_then(|a| domain_of(&a))?;
    let mut report = DmarcReport {
        from_domain: from_domain.clone(),
        ..DmarcReport::default()
    };
    if ctx.resolver.is_offline() {
        report.result = "not-checked".into();
        report.disposition = "not checked (offline)".into();
        return Some(report);
    }
    let ip = ctx.report.sender.as_ref().map(|s| s.ip);
    let helo = ctx
        .report
        .sender
        .as_ref()
        .and_then(|s| s.helo.clone())
        .unwrap_or_else(|| "unknown".into());
    let mail_from = ctx.parsed.envelope_sender().unwrap_or_default();
    let mail_from_domain = domain_of(&mail_from).unwrap_or_else(|| helo.clone());

    let cache = AuthCache::new(ctx.resolver);
    let caches = Caches::new(&cache, ip.into_iter().collect());
    let authenticator = offline_authenticator();
    let dkim = converge(ctx.resolver, &cache, || {
        authenticator.verify_dkim(Parameters::new(message).with_cache(&caches))
    })
    .await;
    let spf = match ip {
        Some(ip) => {
            let params = check_host_params(ip, &helo, &mail_from_domain, &mail_from);
            converge(ctx.resolver, &cache, || {
                authenticator.check_host(Parameters::new(params).with_cache(&caches))
            })
            .await
        }
        None => mail_auth::SpfOutput::new(mail_from_domain.clone()),
    };
    let output = converge(ctx.resolver, &cache, || {
        authenticator.verify_dmarc(
            Parameters::new(DmarcParameters::new(
                message,
                &dkim,
                &mail_from_domain,
                &spf,
            ))
            .with_cache(&caches),
        )
    })
    .await;

    report.dkim_aligned = matches!(output.dkim_result(), DmarcResult::Pass);
    report.spf_aligned = matches!(output.spf_result(), DmarcResult::Pass);
    let policy_domain = output.domain().to_string();
    if !policy_domain.is_empty() {
        report.policy_domain = Some(policy_domain.clone());
    }
    let records = dmarc_records(ctx, &policy_domain);
    report.record = records.first().cloned();
    if records.len() > 1 {
        report.warnings.push(format!(
            "{} DMARC records at _dmarc.{policy_domain}: receivers ignore them all; keep one.",
            records.len()
        ));
    }
    report.result = match output.result() {
        DmarcResult::Pass => "pass".into(),
        DmarcResult::Fail(_) => "fail".into(),
        DmarcResult::TempError(_) => "temperror".into(),
        DmarcResult::PermError(_) => "permerror".into(),
        DmarcResult::None => "none".into(),
    };
    if let Some(record) = output.record() {
        report.policy = policy_name(record.p);
        report.subdomain_policy = policy_name(record.sp);
        report.adkim = Some(alignment_name(&record.adkim));
        report.aspf = Some(alignment_name(&record.aspf));
        report.rua = record.rua().iter().map(|u| u.uri().to_string()).collect();
        if record.p == Policy::None && record.rua().is_empty() {
            report.warnings.push(
                "p=none without rua=: the policy asks for nothing and no reports are collected, so \
                 you never learn when it would be safe to enforce. Add rua=mailto:… and move to \
                 quarantine/reject once reports are clean."
                    .into(),
            );
        } else if record.p == Policy::None {
            report.warnings.push(
                "p=none is a monitoring policy: forged mail is still delivered. Move to \
                 quarantine or reject once your reports show all your senders aligned."
                    .into(),
            );
        }
    } else if report.result == "none" {
        let org = crate::domain::org_domain(&from_domain).unwrap_or_else(|| from_domain.clone());
        report.warnings.push(format!(
            "No DMARC record for {from_domain}: Gmail and Yahoo require one from bulk senders. \
             Publish TXT at _dmarc.{org} such as \"v=DMARC1; p=none; rua=mailto:dmarc@{org}\"."
        ));
    } else if report.result == "permerror" && !records.is_empty() {
        report
            .warnings
            .push("The DMARC record has a syntax error; receivers ignore it.".into());
    }
    let applied = if from_domain != policy_domain && !policy_domain.is_empty() {
        output.record().map(|r| r.sp).unwrap_or(output.policy())
    } else {
        output.policy()
    };
    report.disposition = match report.result.as_str() {
        "pass" => "deliver: DMARC passes (aligned SPF or DKIM)".into(),
        "fail" => match applied {
            Policy::Reject => "reject: DMARC fails and the domain asks receivers to reject".into(),
            Policy::Quarantine => {
                "quarantine (junk folder): DMARC fails and the domain asks for quarantine".into()
            }
            _ => "deliver, report only: DMARC fails but the policy is none".into(),
        },
        "none" => "no DMARC policy: the receiver decides on its own".into(),
        "temperror" => "unknown: a DNS lookup failed".into(),
        _ => "the receiver ignores the broken record".into(),
    };
    Some(report)
}

fn dmarc_records(ctx: &Context<'_>, policy_domain: &str) -> Vec<String> {
    if policy_domain.is_empty() {
        return Vec::new();
    }
    match ctx
        .resolver
        .cached(&format!("_dmarc.{policy_domain}"), QType::Txt)
    {
        Some(Ok(Answer::Records(records))) => records
            .iter()
            .filter_map(|r| match r {
                Rdata::Txt(t) => Some(String::from_utf8_lossy(t).into_owned()),
                _ => None,
            })
            .filter(|t| t.trim_start().to_ascii_lowercase().starts_with("v=dmarc1"))
            .collect(),
        _ => Vec::new(),
    }
}

/// Verifies the ARC chain with mail-auth and lists the sets.
async fn arc(ctx: &Context<'_>, message: &AuthenticatedMessage<'_>) -> Option<ArcReport> {
    if message.arc_seals().is_empty() && message.arc_message_signatures().is_empty() {
        return None;
    }
    let mut instances: Vec<ArcInstance> = message
        .arc_seals()
        .iter()
        .map(|h| ArcInstance {
            instance: h.header.i,
            sealer: h.header.d.clone(),
            cv: format!("{:?}", h.header.cv).to_ascii_lowercase(),
            auth_results: String::new(),
        })
        .collect();
    for (_, value) in ctx.parsed.values("ARC-Authentication-Results") {
        let instance = value
            .trim()
            .strip_prefix("i=")
            .and_then(|v| v.split(';').next())
            .and_then(|v| v.trim().parse::<u32>().ok());
        if let Some(i) = instance
            && let Some(set) = instances.iter_mut().find(|s| s.instance == i)
        {
            set.auth_results = value.chars().take(2000).collect();
        }
    }
    instances.sort_by_key(|s| s.instance);
    if ctx.resolver.is_offline() {
        return Some(ArcReport {
            result: "not-checked".into(),
            reason: Some("offline: the sealers' keys are in DNS".into()),
            instances,
        });
    }
    let cache = AuthCache::new(ctx.resolver);
    let caches = Caches::new(&cache, Vec::new());
    let authenticator = offline_authenticator();
    let output = converge(ctx.resolver, &cache, || {
        authenticator.verify_arc(Parameters::new(message).with_cache(&caches))
    })
    .await;
    let (result, reason) = match output.result() {
        ArcResult::Pass => ("pass", None),
        ArcResult::Fail(e) => ("fail", Some(e.to_string())),
        ArcResult::Neutral(e) => ("neutral", Some(e.to_string())),
        ArcResult::PermError(e) => ("permerror", Some(e.to_string())),
        ArcResult::TempError(e) => ("temperror", Some(e.to_string())),
        ArcResult::None => ("none", None),
    };
    Some(ArcReport {
        result: result.into(),
        reason,
        instances,
    })
}
