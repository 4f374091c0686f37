//! Local analysis speed: normalise + parse + Received chain + hand-off hop +
//! the five rules with DKIM verification, for 10 KB, 1 MB and 25 MB messages
//! signed with RSA-2048 and with Ed25519.
//!
//!     cargo bench -p sendtrust --bench analyze
//!
//! The messages are signed here with mail-auth's signer and fresh keys; the
//! public keys are served by a fixtures resolver that stands for DNS
//! ([`Resolver::with_fixtures_as_dns`]), so nothing goes to the network.
//! Every other question (SPF, DMARC, PTR, blocklists) fails at once as
//! "offline": the numbers are the engine's local work, not DNS latency.
//! Before measuring, each message is checked to pass DKIM, so the benchmark
//! measures a real verification. Results: BENCHMARKS.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mail_auth::crypto::{Ed25519Key, RsaKey, Sha256};
use mail_auth::dkim::DkimSigner;
use mail_auth::dkim::generate::DkimKeyPair;
use mail_auth::headers::HeaderWriter;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::EncodePublicKey;
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer};
use sendtrust::dns::{Answer, QType, Rdata, Resolver};
use sendtrust::{NoObserver, Options, RuleId, Verdict, analyze_with};
use std::time::Duration;

const DOMAIN: &str = "bench.example";
const SIZES: [(&str, usize); 3] = [("10KB", 10 * 1024), ("1MB", 1 << 20), ("25MB", 25 << 20)];

/// An unsigned message of about `size` bytes: a three-hop chain, the usual
/// headers, a text part and (above 64 KB) a base64 attachment making up the rest.
fn message(size: usize) -> Vec<u8> {
    let mut m = String::with_capacity(size + 4096);
    m.push_str(
        "Received: from mail.bench.example (mail.bench.example [192.0.2.25])\r\n\
         \tby mx.example.net (Postfix) with ESMTPS id 4AbCdE\r\n\
         \t(version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256)\r\n\
         \tfor <user@example.net>; Tue, 1 Jul 2025 10:00:02 +0000\r\n\
         Received: from app1.internal.bench.example (app1.internal.bench.example [10.0.0.5])\r\n\
         \tby mail.bench.example (Postfix) with ESMTP id 1A2B3C\r\n\
         \tfor <user@example.net>; Tue, 1 Jul 2025 10:00:01 +0000\r\n\
         Received: by app1.internal.bench.example (Postfix, from userid 1000)\r\n\
         \tid 9Z8Y7X; Tue, 1 Jul 2025 10:00:00 +0000\r\n\
         From: Bench Sender <news@bench.example>\r\n\
         To: user@example.net\r\n\
         Subject: A benchmark message\r\n\
         Date: Tue, 1 Jul 2025 10:00:00 +0000\r\n\
         Message-ID: <bench-1@bench.example>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
         \r\n\
         --b1\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         \r\n",
    );
    let text_budget = size.min(64 * 1024).saturating_sub(m.len() + 200);
    let line =
        "The quick brown fox jumps over the lazy dog; sphinx of black quartz, judge my vow.\r\n";
    while m.len() < text_budget {
        m.push_str(line);
    }
    if size > 64 * 1024 {
        m.push_str(
            "--b1\r\n\
             Content-Type: application/octet-stream; name=\"data.bin\"\r\n\
             Content-Transfer-Encoding: base64\r\n\
             Content-Disposition: attachment; filename=\"data.bin\"\r\n\
             \r\n",
        );
        // 76-column base64 lines of a repeating pattern.
        let b64 =
            "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";
        while m.len() + b64.len() + 10 < size {
            m.push_str(b64);
        }
    }
    m.push_str("--b1--\r\n");
    m.into_bytes()
}

/// A private key (DER): RSA PKCS#1 or Ed25519 PKCS#8.
enum Key {
    Rsa(Vec<u8>),
    Ed25519(Vec<u8>),
}

/// Selector, private key and DNS key record, for each key type.
fn keys() -> Vec<(&'static str, Key, String)> {
    let rsa = DkimKeyPair::generate_rsa(2048).expect("RSA key generation");
    let (private, public) = rsa.into_inner();
    // Publish the key as SubjectPublicKeyInfo, the form key generators write.
    let spki = rsa::RsaPublicKey::from_pkcs1_der(&public)
        .expect("RSA public key")
        .to_public_key_der()
        .expect("RSA public key as SPKI");
    let rsa_record = format!("v=DKIM1; k=rsa; p={}", base64_encode(spki.as_bytes()));

    let ed = DkimKeyPair::generate_ed25519().expect("Ed25519 key generation");
    let ed_record = format!("v=DKIM1; k=ed25519; p={}", ed.encoded_public_key());
    vec![
        ("rsa2048", Key::Rsa(private), rsa_record),
        (
            "ed25519",
            Key::Ed25519(ed.private_key().to_vec()),
            ed_record,
        ),
    ]
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `message` with a DKIM-Signature by `key` (selector `selector`) in front.
fn sign(message: &[u8], selector: &str, key: &Key) -> Vec<u8> {
    const SIGNED: [&str; 6] = [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "MIME-Version",
    ];
    let header = match key {
        Key::Rsa(der) => DkimSigner::from_key(
            RsaKey::<Sha256>::from_key_der(PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(
                der.as_slice(),
            )))
            .expect("RSA private key"),
        )
        .domain(DOMAIN)
        .selector(selector)
        .headers(SIGNED)
        .sign(message)
        .map(|s| s.to_header()),
        Key::Ed25519(der) => {
            { DkimSigner::from_key(Ed25519Key::from_pkcs8_der(der).expect("Ed25519 private key")) }
                .domain(DOMAIN)
                .selector(selector)
                .headers(SIGNED)
                .sign(message)
                .map(|s| s.to_header())
        }
    }
    .expect("signing");
    let mut signed = header.into_bytes();
    signed.extend_from_slice(message);
    signed
}

fn bench_analyze(c: &mut Criterion) {
    let keys = keys();
    let resolver = Resolver::with_fixtures_as_dns(keys.iter().map(|(selector, _, record)| {
        (
            (format!("{selector}._domainkey.{DOMAIN}"), QType::Txt),
            Ok(Answer::Records(vec![Rdata::Txt(
                record.clone().into_bytes(),
            )])),
        )
    }));
    let options = Options {
        now: Some(1_751_364_000),
        ..Options::default()
    };
    let run = |raw: &[u8]| {
        futures::executor::block_on(analyze_with(raw, &options, &resolver, &NoObserver))
            .expect("a message")
    };

    let mut group = c.benchmark_group("analyze");
    for (size_name, size) in SIZES {
        let unsigned = message(size);
        for (selector, key, _) in &keys {
            let signed = sign(&unsigned, selector, key);
            // Measure a real verification: the signature must pass.
            let report = run(&signed);
            let dkim = report.rules.iter().find(|r| r.id == RuleId::Dkim);
            assert_eq!(
                dkim.map(|r| r.verdict),
                Some(Verdict::Pass),
                "{size_name} {selector}: DKIM must pass ({:?})",
                dkim.map(|r| &r.summary)
            );
            group.throughput(Throughput::Bytes(signed.len() as u64));
            if size > (1 << 20) {
                group.sample_size(10);
                group.measurement_time(Duration::from_secs(20));
            } else {
                group.sample_size(30);
                group.measurement_time(Duration::from_secs(8));
            }
            group.bench_with_input(BenchmarkId::new(*selector, size_name), &signed, |b, raw| {
                b.iter(|| run(raw))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_analyze);
criterion_main!(benches);
