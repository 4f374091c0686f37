//! Rule 4's SPF evaluation as a tree (SVG): the checked domain's record and
//! every include/redirect it reached, each with its record (wrapped at term
//! boundaries), its own DNS lookups and void lookups, and what went wrong;
//! the term that decided is highlighted, as are a permerror's term and the
//! terms whose lookups found nothing. Targets that were not looked up are
//! drawn faint.
//!
//! The data is the engine's [`SpfEvaluation`] in rule 4's `details`, read by
//! [`spf_evaluation`] — the one place that knows where it is. The layout is a
//! pure function ([`tree_layout`]), unit-tested natively. Every text is a text
//! node; the text alternative is a list with the same facts.

use crate::format::{self, fixed, num};
use crate::state::Analysis;
use leptos::prelude::*;
use sendtrust::details::spf::{SpfEvaluation, SpfNode, SpfVia};
use sendtrust::report::RuleResult;
use sendtrust::{RuleId, details::spf::LOOKUP_LIMIT, details::spf::VOID_LIMIT};

/// Indent per level.
const INDENT: f64 = 28.0;
/// Width of a node's box.
const BOX_W: f64 = 470.0;
/// Outer margin.
const PAD: f64 = 10.0;
/// Vertical gap between boxes.
const GAP: f64 = 12.0;
/// Heights inside a box: the domain line, each record line, the facts line.
const HEAD_H: f64 = 24.0;
const LINE_H: f64 = 17.0;
const FACT_H: f64 = 18.0;
/// Characters per record line (monospace, 12 px: about 7.2 px each).
const WRAP_CHARS: usize = 58;
/// Record lines drawn per node at most (a record is at most 512 bytes in
/// practice, about nine lines).
const MAX_LINES: usize = 12;
/// Nodes drawn at most.
const MAX_NODES: usize = 60;
/// Characters of a problem line.
const PROBLEM_CHARS: usize = 70;

/// Rule 4's SPF evaluation, from the rule's typed `details`.
pub fn spf_evaluation(rule: &RuleResult) -> Option<SpfEvaluation> {
    rule.spf_details().cloned()
}

/// What a term is marked as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Nothing special.
    Plain,
    /// The term that decided the result.
    Decided,
    /// The term a permerror names.
    Error,
    /// A term whose lookup found nothing.
    Void,
}

/// One term of a record as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The text (a long term clipped).
    pub text: String,
    /// How it is marked.
    pub mark: Mark,
}

/// How a node is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeState {
    /// A record was read and nothing is wrong with it.
    Read,
    /// The record holds the deciding term.
    Decided,
    /// Something is wrong (no record, two records, syntax, a limit).
    Problem,
    /// Not looked up (after the deciding term, or past the lookup limit).
    NotReached,
}

/// One record's box.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBox {
    /// Pre-order number (1 = the checked domain).
    pub number: usize,
    /// The number of the record that includes or redirects to it.
    pub parent: Option<usize>,
    /// Depth (0 = the checked domain).
    pub depth: usize,
    /// The domain.
    pub domain: String,
    /// `top`, `include` or `redirect`.
    pub via: SpfVia,
    /// The record, term by term, wrapped into lines (`v=spf1` first).
    pub lines: Vec<Vec<Term>>,
    /// Terms left out past [`MAX_LINES`].
    pub more_terms: usize,
    /// This record's own lookups and void lookups.
    pub lookups: usize,
    /// Void lookups of its own terms.
    pub void_lookups: usize,
    /// Lookups of this record and everything it includes.
    pub subtree_lookups: usize,
    /// What is wrong, or why it was not looked up.
    pub problem: Option<String>,
    /// How it is drawn.
    pub state: NodeState,
    /// Box position and size.
    pub x: f64,
    /// Top of the box.
    pub y: f64,
    /// Height of the box.
    pub height: f64,
}

/// The tree as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeLayout {
    /// Boxes in pre-order.
    pub nodes: Vec<NodeBox>,
    /// Records left out past [`MAX_NODES`].
    pub more_nodes: usize,
    /// SVG size.
    pub width: f64,
    /// SVG height.
    pub height: f64,
}

/// The terms a void lookup list names in `domain`: entries read
/// `` `term` in domain ``.
fn void_terms<'e>(e: &'e SpfEvaluation, domain: &str) -> Vec<&'e str> {
    e.void_terms
        .iter()
        .filter_map(|v| {
            let rest = v.strip_prefix('`')?;
            let (term, tail) = rest.split_once("` in ")?;
            (tail.eq_ignore_ascii_case(domain)).then_some(term)
        })
        .collect()
}

/// Sum of lookups in a subtree.
fn subtree_lookups(node: &SpfNode) -> usize {
    node.lookups + node.children.iter().map(subtree_lookups).sum::<usize>()
}

/// Clips a term to `max` characters.
fn clip_term(term: &str, max: usize) -> String {
    if term.chars().count() <= max {
        term.to_string()
    } else {
        let kept: String = term.chars().take(max - 1).collect();
        format!("{kept}…")
    }
}

/// Splits a record into marked terms and wraps them into lines.
fn record_lines(
    record: &str,
    decided: Option<&str>,
    error_position: Option<usize>,
    voids: &[&str],
) -> (Vec<Vec<Term>>, usize) {
    let mut decided_marked = false;
    let terms: Vec<Term> = record
        .split(' ')
        .filter(|t| !t.is_empty())
        .enumerate()
        .map(|(i, text)| {
            // Positions count after `v=spf1` (RFC 7208 terms, 1-based).
            let mark = if error_position == Some(i) && i > 0 {
                Mark::Error
            } else if !decided_marked && decided == Some(text) {
                decided_marked = true;
                Mark::Decided
            } else if voids.contains(&text) {
                Mark::Void
            } else {
                Mark::Plain
            };
            Term {
                text: clip_term(text, WRAP_CHARS),
                mark,
            }
        })
        .collect();
    let mut lines: Vec<Vec<Term>> = Vec::new();
    let mut width = 0;
    let total = terms.len();
    let mut placed = 0;
    for term in terms {
        let len = term.text.chars().count();
        let fits = width > 0 && width + 1 + len <= WRAP_CHARS;
        if fits {
            width += 1 + len;
            if let Some(line) = lines.last_mut() {
                line.push(term);
            }
        } else {
            if lines.len() == MAX_LINES {
                break;
            }
            width = len;
            lines.push(vec![term]);
        }
        placed += 1;
    }
    (lines, total - placed)
}

/// Lays out the evaluation's tree.
pub fn tree_layout(e: &SpfEvaluation) -> Option<TreeLayout> {
    let root = e.tree.as_ref()?;
    let mut nodes = Vec::new();
    let mut y = PAD;
    let mut more_nodes = 0;
    // The deciding record: the first read record of the deciding domain.
    let mut decided_pending = e.decided_in.is_some();
    let mut stack: Vec<(&SpfNode, usize, Option<usize>)> = vec![(root, 0, None)];
    while let Some((node, depth, parent)) = stack.pop() {
        if nodes.len() == MAX_NODES {
            more_nodes += 1;
            stack.extend(node.children.iter().rev().map(|c| (c, depth + 1, None)));
            continue;
        }
        let number = nodes.len() + 1;
        let not_reached = node.record.is_none()
            && node
                .problem
                .as_deref()
                .is_some_and(|p| p.starts_with("not looked up"));
        let decides_here = decided_pending
            && node.record.is_some()
            && e.decided_in
                .as_deref()
                .is_some_and(|d| d.eq_ignore_ascii_case(&node.domain));
        if decides_here {
            decided_pending = false;
        }
        let error_position = e
            .permerror
            .as_ref()
            .filter(|p| p.domain.eq_ignore_ascii_case(&node.domain))
            .and_then(|p| p.position);
        let voids = void_terms(e, &node.domain);
        let (lines, more_terms) = match &node.record {
            Some(record) => record_lines(
                record,
                decides_here.then_some(e.decided_by.as_deref()).flatten(),
                error_position,
                &voids,
            ),
            None => (Vec::new(), 0),
        };
        let problem = node
            .problem
            .clone()
            .or_else(|| node.near_miss.clone())
            .map(|p| clip_term(&p, PROBLEM_CHARS));
        let state = if not_reached {
            NodeState::NotReached
        } else if node.problem.is_some() || node.record.is_none() {
            NodeState::Problem
        } else if decides_here {
            NodeState::Decided
        } else {
            NodeState::Read
        };
        let line_count = lines.len() + usize::from(more_terms > 0);
        let height = HEAD_H
            + line_count as f64 * LINE_H
            + FACT_H
            + if problem.is_some() { FACT_H } else { 0.0 }
            + 8.0;
        nodes.push(NodeBox {
            number,
            parent,
            depth,
            domain: node.domain.clone(),
            via: node.via,
            lines,
            more_terms,
            lookups: node.lookups,
            void_lookups: node.void_lookups,
            subtree_lookups: subtree_lookups(node),
            problem,
            state,
            x: PAD + depth as f64 * INDENT,
            y,
            height,
        });
        y += height + GAP;
        // Children in order: pushed reversed onto the stack.
        stack.extend(
            node.children
                .iter()
                .rev()
                .map(|c| (c, depth + 1, Some(number))),
        );
    }
    let max_depth = nodes.iter().map(|n| n.depth).max().unwrap_or(0);
    Some(TreeLayout {
        nodes,
        more_nodes,
        width: 2.0 * PAD + max_depth as f64 * INDENT + BOX_W,
        height: y - GAP + PAD,
    })
}

/// The facts line of a box.
fn facts(n: &NodeBox) -> String {
    if n.state == NodeState::NotReached {
        return "not looked up".into();
    }
    let plural = |k: usize, word: &str| format!("{k} {word}{}", if k == 1 { "" } else { "s" });
    let mut text = plural(n.lookups, "lookup");
    if n.subtree_lookups != n.lookups {
        text.push_str(&format!(" ({} with its includes)", n.subtree_lookups));
    }
    text.push_str(&format!(" · {}", plural(n.void_lookups, "void lookup")));
    text
}

/// One line of the text alternative.
fn describe(n: &NodeBox, nodes: &[NodeBox]) -> String {
    let parent = n
        .parent
        .and_then(|p| nodes.get(p - 1))
        .map(|p| format!(" from {}", p.domain))
        .unwrap_or_default();
    let record: Vec<String> = n
        .lines
        .iter()
        .flatten()
        .map(|t| match t.mark {
            Mark::Plain => t.text.clone(),
            Mark::Decided => format!("[decided: {}]", t.text),
            Mark::Error => format!("[error: {}]", t.text),
            Mark::Void => format!("[void: {}]", t.text),
        })
        .collect();
    let mut text = format!("{} ({}{parent})", n.domain, n.via);
    if !record.is_empty() {
        text.push_str(&format!(": {}", record.join(" ")));
    }
    text.push_str(&format!(" — {}", facts(n)));
    if let Some(p) = &n.problem {
        text.push_str(&format!("; {p}"));
    }
    text
}

/// The headline over the tree.
fn headline(e: &SpfEvaluation) -> String {
    let mut text = format!(
        "SPF {} for {} · {} of {LOOKUP_LIMIT} lookups · {} of {VOID_LIMIT} void lookups",
        e.result, e.domain, e.lookups, e.void_lookups
    );
    if let Some(term) = &e.decided_by {
        text.push_str(&format!(" · decided by {term}"));
        if let Some(domain) = &e.decided_in {
            text.push_str(&format!(" in {domain}"));
        }
    }
    text
}

/// The SPF tree, for rule 4's card: nothing when the rule has no tree.
#[component]
pub fn SpfTree() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let data = Memo::new(move |_| {
        let evaluation = analysis
            .rule(RuleId::Spf)
            .as_ref()
            .and_then(spf_evaluation)?;
        let layout = tree_layout(&evaluation)?;
        Some((headline(&evaluation), layout))
    });
    move || {
        data.get().map(|(headline, layout)| {
            let items = layout
                .nodes
                .iter()
                .map(|n| {
                    // A class, not a style attribute: the page's CSP allows no inline styles.
                    let class = format!("depth-{}", n.depth.min(9));
                    view! { <li class=class>{format::clip(&describe(n, &layout.nodes), format::MAX_SHOWN_CHARS)}</li> }
                })
                .collect_view();
            let more = (layout.more_nodes > 0).then(|| {
                view! { <p class="hint">{format!("… and {} more records not drawn.", layout.more_nodes)}</p> }
            });
            view! {
                <figure class="spf-tree" id="spf-tree">
                    <figcaption class="hint" id="spf-tree-caption">{headline.clone()}</figcaption>
                    <div class="spf-tree-scroll" tabindex="0" role="region" aria-label="SPF tree (scrolls sideways)">
                        <SpfTreeSvg layout=layout.clone() label=headline />
                    </div>
                    {more}
                    <details class="spf-tree-text">
                        <summary>"The SPF tree as text"</summary>
                        <ol id="spf-tree-list">{items}</ol>
                    </details>
                </figure>
            }
        })
    }
}

/// The SVG.
#[component]
fn SpfTreeSvg(layout: TreeLayout, label: String) -> impl IntoView {
    let width = layout.width;
    let height = layout.height;
    let edges = layout
        .nodes
        .iter()
        .filter_map(|n| {
            let p = layout.nodes.get(n.parent? - 1)?;
            let x = p.x + 12.0;
            let d = format!(
                "M{} {} V{} H{}",
                fixed(x, 1),
                fixed(p.y + HEAD_H, 1),
                fixed(n.y + HEAD_H / 2.0, 1),
                fixed(n.x, 1)
            );
            Some(view! { <path class="edge" d=d></path> })
        })
        .collect_view();
    let boxes = layout.nodes.iter().map(node_box).collect_view();
    view! {
        <svg
            class="spf-tree-svg"
            id="spf-tree-svg"
            role="img"
            aria-label=label
            width={num(width)}
            height={num(height)}
            viewBox=format!("0 0 {} {}", num(width), num(height))
            xmlns="http://www.w3.org/2000/svg"
        >
            {edges}
            {boxes}
        </svg>
    }
}

/// One record's box.
fn node_box(n: &NodeBox) -> impl IntoView + use<> {
    let class = match n.state {
        NodeState::Read => "node",
        NodeState::Decided => "node node-decided",
        NodeState::Problem => "node node-problem",
        NodeState::NotReached => "node node-not-reached",
    };
    let x = n.x;
    let text_x = x + 10.0;
    let mut line_y = n.y + HEAD_H + LINE_H - 3.0;
    let mut lines = Vec::new();
    for line in &n.lines {
        let mut spans = Vec::new();
        for (i, term) in line.iter().enumerate() {
            let class = match term.mark {
                Mark::Plain => "term",
                Mark::Decided => "term term-decided",
                Mark::Error => "term term-error",
                Mark::Void => "term term-void",
            };
            let text = if i == 0 {
                term.text.clone()
            } else {
                format!(" {}", term.text)
            };
            spans.push(view! { <tspan class=class>{text}</tspan> });
        }
        lines.push(
            view! { <text class="record" x={num(text_x)} y={num(line_y)}>{spans}</text> }
                .into_any(),
        );
        line_y += LINE_H;
    }
    if n.more_terms > 0 {
        lines.push(
            view! {
                <text class="record more" x={num(text_x)} y={num(line_y)}>
                    {format!("… {} more terms", n.more_terms)}
                </text>
            }
            .into_any(),
        );
        line_y += LINE_H;
    }
    let facts_y = line_y + 2.0;
    let problem = n.problem.clone().map(|p| {
        view! {
            <text class="problem" x={num(text_x)} y={num(facts_y + FACT_H)}>
                {p}
            </text>
        }
    });
    view! {
        <g class=class id=format!("spf-node-{}", n.number)>
            <rect class="node-box" x={num(x)} y={num(n.y)} width={num(BOX_W)} height={num(n.height)} rx="6"></rect>
            <text class="domain" x={num(text_x)} y={num(n.y + 17.0)}>
                <tspan class="via">{format!("{} ", n.via)}</tspan>
                {clip_term(&n.domain, 52)}
            </text>
            {lines}
            <text class="facts" x={num(text_x)} y={num(facts_y)}>
                {facts(n)}
            </text>
            {problem}
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sendtrust::details::spf::{ProblemKind, SpfProblem};
    use sendtrust::report::Verdict;

    fn node(
        domain: &str,
        via: SpfVia,
        record: Option<&str>,
        lookups: usize,
        children: Vec<SpfNode>,
    ) -> SpfNode {
        SpfNode {
            domain: domain.into(),
            via,
            record: record.map(Into::into),
            record_count: usize::from(record.is_some()),
            problem: None,
            near_miss: None,
            lookups,
            void_lookups: 0,
            children,
        }
    }

    /// An evaluation as rule 4's details carry it (JSON), read back.
    fn evaluation(json: serde_json::Value) -> SpfEvaluation {
        let mut rule = RuleResult::new(RuleId::Spf, Verdict::Pass, "");
        let evaluation: SpfEvaluation = serde_json::from_value(json).expect("an SPF evaluation");
        rule.details = Some(sendtrust::report::RuleDetails::Spf(Box::new(evaluation)));
        spf_evaluation(&rule).expect("reads rule 4's details")
    }

    fn base(tree: SpfNode) -> serde_json::Value {
        serde_json::json!({
            "result": "pass",
            "domain": "shop.example",
            "identity": "mail-from",
            "explanation": null,
            "tree": serde_json::to_value(tree).expect("tree"),
            "lookups": 3,
            "void_lookups": 1,
            "void_terms": ["`a:gone.example` in shop.example"],
            "decided_by": "include:_spf.mail.example",
            "decided_in": "shop.example",
            "permerror": null,
            "dns_failures": []
        })
    }

    fn tree() -> SpfNode {
        let mut not_reached = node("later.example", SpfVia::Include, None, 0, vec![]);
        not_reached.problem = Some("not looked up: an earlier term decided".into());
        node(
            "shop.example",
            SpfVia::Top,
            Some("v=spf1 a:gone.example include:_spf.mail.example include:later.example -all"),
            2,
            vec![
                node(
                    "_spf.mail.example",
                    SpfVia::Include,
                    Some("v=spf1 ip4:192.0.2.0/24 include:deep.example ~all"),
                    1,
                    vec![node(
                        "deep.example",
                        SpfVia::Include,
                        Some("v=spf1 ip4:198.51.100.1 -all"),
                        0,
                        vec![],
                    )],
                ),
                not_reached,
            ],
        )
    }

    #[test]
    fn the_tree_reads_rule_fours_details() {
        let e = evaluation(base(tree()));
        let layout = tree_layout(&e).expect("a tree");
        let summary: Vec<(usize, Option<usize>, usize, &str, NodeState)> = layout
            .nodes
            .iter()
            .map(|n| (n.number, n.parent, n.depth, n.domain.as_str(), n.state))
            .collect();
        assert_eq!(
            summary,
            [
                (1, None, 0, "shop.example", NodeState::Decided),
                (2, Some(1), 1, "_spf.mail.example", NodeState::Read),
                (3, Some(2), 2, "deep.example", NodeState::Read),
                (4, Some(1), 1, "later.example", NodeState::NotReached),
            ]
        );
        let top = &layout.nodes[0];
        assert_eq!((top.lookups, top.subtree_lookups), (2, 3));
        let marks: Vec<(&str, Mark)> = top
            .lines
            .iter()
            .flatten()
            .map(|t| (t.text.as_str(), t.mark))
            .collect();
        assert_eq!(
            marks,
            [
                ("v=spf1", Mark::Plain),
                ("a:gone.example", Mark::Void),
                ("include:_spf.mail.example", Mark::Decided),
                ("include:later.example", Mark::Plain),
                ("-all", Mark::Plain),
            ]
        );
        assert_eq!(
            facts(top),
            "2 lookups (3 with its includes) · 0 void lookups"
        );
        assert_eq!(facts(&layout.nodes[3]), "not looked up");
        // Boxes go down the page, children indented under their parent.
        assert!(
            layout
                .nodes
                .windows(2)
                .all(|p| p[0].y + p[0].height < p[1].y)
        );
        assert!(layout.nodes[2].x > layout.nodes[1].x && layout.nodes[1].x > top.x);
        assert!(layout.width >= PAD + 2.0 * INDENT + BOX_W);
        let text = describe(top, &layout.nodes);
        assert!(
            text.contains("[decided: include:_spf.mail.example]")
                && text.contains("[void: a:gone.example]"),
            "{text}"
        );
        assert!(
            describe(&layout.nodes[2], &layout.nodes).contains("(include from _spf.mail.example)")
        );
    }

    #[test]
    fn a_permerror_marks_its_term_and_record() {
        let mut bad = node(
            "shop.example",
            SpfVia::Top,
            Some("v=spf1 ip4:192.0.2.1/33 -all"),
            0,
            vec![],
        );
        bad.problem = Some("term 1 `ip4:192.0.2.1/33`: CIDR length over 32".into());
        let mut json = base(bad);
        json["result"] = "permerror".into();
        json["decided_by"] = serde_json::Value::Null;
        json["decided_in"] = serde_json::Value::Null;
        json["permerror"] = serde_json::to_value(SpfProblem {
            kind: ProblemKind::Syntax,
            domain: "shop.example".into(),
            term: Some("ip4:192.0.2.1/33".into()),
            position: Some(1),
            problem: "CIDR length over 32".into(),
        })
        .expect("problem");
        let layout = tree_layout(&evaluation(json)).expect("a tree");
        let n = &layout.nodes[0];
        assert_eq!(n.state, NodeState::Problem);
        assert_eq!(n.lines[0][1].mark, Mark::Error);
        assert_eq!(n.lines[0][2].mark, Mark::Plain);
        assert!(n.problem.as_deref().is_some_and(|p| p.contains("CIDR")));
    }

    #[test]
    fn long_records_wrap_at_terms_and_stop() {
        let record = format!(
            "v=spf1 {} -all",
            (0..60)
                .map(|i| format!("ip4:198.51.100.{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let (lines, more) = record_lines(&record, None, None, &[]);
        assert_eq!(lines.len(), MAX_LINES);
        assert!(more > 0);
        for line in &lines {
            let width: usize =
                line.iter().map(|t| t.text.chars().count()).sum::<usize>() + line.len() - 1;
            assert!(width <= WRAP_CHARS, "{width}");
        }
        let placed: usize = lines.iter().map(Vec::len).sum();
        assert_eq!(placed + more, 62);
        // A rule without a tree (or other details) draws nothing.
        let rule = RuleResult::new(RuleId::Spf, Verdict::Unknown, "");
        assert!(spf_evaluation(&rule).is_none());
    }
}
