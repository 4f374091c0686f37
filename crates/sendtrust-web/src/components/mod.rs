//! The page's components. Each reads the [`Analysis`](crate::state::Analysis)
//! and [`DnsSettings`](crate::settings::DnsSettings) from context and renders
//! report values as text; none decides anything about the message.

pub mod beyond;
pub mod blocklists;
pub mod dns;
pub mod embed;
pub mod export;
pub mod fixes;
pub mod glance;
pub mod hops;
pub mod input;
pub mod results;
pub mod rules;
pub mod share;
pub mod spf_tree;
pub mod theme;
pub mod timeline;
pub mod waterfall;

use leptos::prelude::*;
use std::sync::Arc;

/// Leptos's `<super::Shown>` with its logic in one function for the whole page.
///
/// `Show` is generic over both the condition and the children's view type,
/// so each of the page's uses carried its own copy of the same memo-and-swap
/// code; here the children and fallback are type-erased ([`ChildrenFn`],
/// [`ViewFn`]) and so is the condition. Same
/// behaviour: the condition is memoised, so the children are built again
/// only when it turns from false to true.
#[component(transparent)]
pub fn Shown<W>(
    /// What is shown while `when` is true.
    children: ChildrenFn,
    /// The condition.
    when: W,
    /// What is shown while `when` is false (nothing by default).
    #[prop(optional, into)]
    fallback: ViewFn,
) -> impl IntoView
where
    W: Fn() -> bool + Send + Sync + 'static,
{
    shown(Arc::new(when), children, fallback)
}

type Condition = Arc<dyn Fn() -> bool + Send + Sync>;

fn shown(when: Condition, children: ChildrenFn, fallback: ViewFn) -> AnyView {
    let when = ArcMemo::new(move |_| when());
    (move || {
        if when.get() {
            children()
        } else {
            fallback.run()
        }
    })
    .into_any()
}
