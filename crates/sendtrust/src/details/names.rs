//! What a host name reads as (rule 1's and rule 2's reading of PTR and HELO names).

use serde::Serialize;

/// What a host name says about the address behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameKind {
    /// A name chosen for a server (`mail.example.com`, `mx-01.example.net`).
    Specific,
    /// A hosting or cloud provider's generated name
    /// (`ec2-54-210-12-34.compute-1.amazonaws.com`): static, but generic.
    Provider,
    /// An ISP's generated name marked static or business
    /// (`host-203-0-113-7.static.example-isp.net`): static, but generic.
    StaticGeneric,
    /// A generated name that embeds the address with no other marker
    /// (`198-51-100-25.example-hosting.net`): a weak sign, used by dynamic
    /// and static ranges alike.
    Generic,
    /// A residential or dynamic name (`c-73-15-22-1.hsd1.ca.comcast.net`,
    /// `pool-71-105-22-33.nycmny.fios.verizon.net`): a strong sign.
    Dynamic,
}

impl NameKind {
    /// The kind as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Specific => "specific",
            NameKind::Provider => "provider",
            NameKind::StaticGeneric => "static-generic",
            NameKind::Generic => "generic",
            NameKind::Dynamic => "dynamic",
        }
    }

    /// True for names generated from the address rather than chosen for a server.
    pub fn is_generic(self) -> bool {
        !matches!(self, NameKind::Specific)
    }
}
