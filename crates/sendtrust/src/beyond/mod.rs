//! Beyond the five rules: DMARC, ARC, the receiver's verdicts next to
//! Sendtrust's re-check, the bulk-sender checklist, and antispam headers.

pub mod antispam;

use crate::report::{Beyond, RuleResult};
use crate::rules::Context;

/// Runs the checks beyond the five rules (after them: it reuses their results
/// and the DNS cache they filled).
pub async fn run(ctx: &Context<'_>, _rules: &[RuleResult]) -> Beyond {
    Beyond {
        antispam: antispam::decode(ctx.parsed),
        ..Beyond::default()
    }
}
