//! The receiver comparison and rule 5 compare a recorded DKIM result with the
//! same signature, also when the receiver named it by `header.i` with a local
//! part (`header.i=user@example.com`, RFC 8601 2.7.1).

use sendtrust::dns::DnsConfig;
use sendtrust::report::{AuthMethod, Report};
use sendtrust::{Options, analyze};

fn message(property: &str) -> Vec<u8> {
    format!(
        "Authentication-Results: mx.example.net; dkim=pass {property}\r\n\
         Received: from mail.example.com (mail.example.com [192.0.2.25]) by mx.example.net with ESMTPS id 1; Mon, 30 Nov 2026 08:00:00 +0000\r\n\
         DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;\r\n\
         \th=from:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\
         \tb=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==\r\n\
         From: Someone <someone@example.com>\r\n\
         Subject: hello\r\n\
         \r\n\
         body\r\n"
    )
    .into_bytes()
}

fn dkim_row_now(property: &str) -> Option<sendtrust::report::AuthResult> {
    let options = Options {
        dns: DnsConfig::offline(),
        now: Some(1_796_025_600),
        ..Options::default()
    };
    let report: Report = futures::executor::block_on(analyze(&message(property), &options))
        .unwrap_or_else(|e| panic!("{e}"));
    let row = report
        .beyond
        .receiver
        .iter()
        .find(|r| r.method == AuthMethod::Dkim)
        .unwrap_or_else(|| panic!("no DKIM row: {:#?}", report.beyond.receiver));
    row.now
}

#[test]
fn header_i_with_a_local_part_names_the_same_signature_as_header_d() {
    let by_d = dkim_row_now("header.d=example.com");
    assert!(
        by_d.is_some(),
        "the signature for header.d=example.com is compared"
    );
    assert_eq!(dkim_row_now("header.i=user@example.com"), by_d);
    assert_eq!(dkim_row_now("header.i=@Example.COM"), by_d);
    // Another domain's recorded result is not this signature's.
    assert_eq!(dkim_row_now("header.d=evil-example.com"), None);
}
