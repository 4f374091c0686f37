//! The sample messages behind "Try a sample" (web/samples/*.eml, embedded).

/// One sample message.
pub struct Sample {
    /// Short id (used in element ids).
    pub id: &'static str,
    /// Button text.
    pub title: &'static str,
    /// The raw message.
    pub raw: &'static str,
}

/// The samples, in button order.
pub const SAMPLES: &[Sample] = &[
    Sample {
        id: "good",
        title: "Well-run newsletter",
        raw: include_str!("../../../web/samples/good-newsletter.eml"),
    },
    Sample {
        id: "home",
        title: "Sent from a home line",
        raw: include_str!("../../../web/samples/home-connection.eml"),
    },
    Sample {
        id: "misconfigured",
        title: "Misconfigured server",
        raw: include_str!("../../../web/samples/misconfigured-server.eml"),
    },
    Sample {
        id: "list",
        title: "Mailing list (headers only)",
        raw: include_str!("../../../web/samples/mailing-list-headers-only.eml"),
    },
    Sample {
        id: "forwarded",
        title: "Forwarded by a list (ARC, DMARC)",
        raw: include_str!("../../../web/samples/forwarded-by-list.eml"),
    },
];

#[cfg(test)]
mod tests {
    use super::SAMPLES;

    #[test]
    fn samples_use_reserved_names_only() {
        assert!(SAMPLES.len() >= 3);
        for sample in SAMPLES {
            // Senders under the reserved .test (samples.test, or the
            // bench's beyond.test for the ARC sample).
            assert!(
                sample.raw.contains("samples.test") || sample.raw.contains("beyond.test"),
                "{}",
                sample.id
            );
            // Every address in a Received field is reserved or private.
            for line in sample
                .raw
                .lines()
                .filter(|l| l.contains('[') && !l.starts_with("Subject:"))
            {
                let ok = ["203.0.113.", "2001:db8:", "10.", "192.168.", "127.0.0.1"]
                    .iter()
                    .any(|p| line.contains(&format!("[{p}")));
                assert!(ok, "{}: {line}", sample.id);
            }
        }
    }
}
