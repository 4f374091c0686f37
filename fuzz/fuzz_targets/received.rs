//! The Received chain (field reader, hand-off walk, chain checks) on a
//! message built from the input, and the lenient date parser on each line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendtrust::message::ParsedMessage;
use sendtrust::{input, received};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for line in text.lines() {
        let _ = received::parse_date(line);
        if let Some((_, date)) = line.rsplit_once(';') {
            let _ = received::parse_date(date);
        }
    }
    // Headers-only inputs are the common case for this reader: when the input
    // is no message at all, try it as the value of one Received field.
    let normalized = match input::normalize(data) {
        Ok(n) => n,
        Err(_) => {
            let mut wrapped = b"Received: ".to_vec();
            wrapped.extend_from_slice(data);
            match input::normalize(&wrapped) {
                Ok(n) => n,
                Err(_) => return,
            }
        }
    };
    let parsed = ParsedMessage::parse(&normalized.bytes, normalized.headers_only);
    let chain = received::analyze_chain(&parsed);
    if let Some(sender) = &chain.sender {
        let hop = sender.hop_index.and_then(|i| chain.hops.get(i));
        assert!(hop.is_some(), "the sender names a hop that exists");
        let (chosen, _) = received::user_sender(&chain, sender.ip);
        assert!(chosen.is_some());
    }
    for (i, hop) in chain.hops.iter().enumerate() {
        assert_eq!(hop.index, i, "hops are numbered in order");
    }
});
