//! The DoH answer decoders (RFC 8484 wire format and the JSON API).
//!
//! Input: one control byte, then the HTTP body. Bit 0 of the control byte
//! picks wire (0) or JSON (1); bits 1–3 pick the question type. The question
//! is always `example.com` (the seeds answer it, so the fuzzer starts past
//! the question check).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendtrust::dns::fuzzing::{decode_json, decode_wire};
use sendtrust::dns::{Answer, QType};

const QTYPES: [QType; 5] = [QType::A, QType::Aaaa, QType::Txt, QType::Ptr, QType::Mx];

fuzz_target!(|data: &[u8]| {
    let Some((&control, body)) = data.split_first() else {
        return;
    };
    let qtype = QTYPES[usize::from(control >> 1) % QTYPES.len()];
    let result = if control & 1 == 0 {
        decode_wire(body, "example.com", qtype)
    } else {
        decode_json(body, "example.com", qtype)
    };
    if let Ok((answer, _ttl)) = result {
        if let Answer::Records(records) = &answer {
            assert!(!records.is_empty(), "Records is never empty");
        }
        // What the log and the report show.
        for record in answer.records() {
            let _ = record.to_string();
        }
    }
});
