//! Rule: dkim. Check and explanation.

use super::Context;
use crate::report::{RuleId, RuleResult, Verdict};

/// Runs the check.
pub async fn check(_ctx: &Context<'_>) -> RuleResult {
    RuleResult::new(
        RuleId::Dkim,
        Verdict::Unknown,
        "not checked yet: this rule is not implemented",
    )
}
