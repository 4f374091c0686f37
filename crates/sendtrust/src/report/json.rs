//! The report's JSON reader: `serde_json`'s, with every struct read from a
//! JSON object only.
//!
//! `serde_json` reads a struct from an object or from an array (a derived
//! `Deserialize` has a `visit_map` and a `visit_seq`), so every report type
//! carried both readers into the page's UI wasm. The engine writes objects
//! only; asking for a map where a struct is read leaves every `visit_seq`
//! out (about 9 KB brotli of the UI wasm). [`from_str`] reads what
//! `serde_json::from_str` reads, except a struct written as an array. The
//! UI reads the engine's events with it, and a rule's `details` held until
//! its `id` is known are read with it, so the UI links one reader per type.

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// `T` read from `json` as `serde_json::from_str` reads it, except that a
/// struct written as an array is refused.
///
/// ```
/// # use sendtrust::report::{Evidence, json};
/// let read: Evidence = json::from_str(r#"{"label":"PTR","value":"mx.example","tone":"good"}"#).unwrap();
/// assert_eq!(read.value, "mx.example");
/// assert!(json::from_str::<Evidence>(r#"["PTR","mx.example","good"]"#).is_err());
/// ```
pub fn from_str<'a, T: de::Deserialize<'a>>(json: &'a str) -> serde_json::Result<T> {
    let mut reader = serde_json::Deserializer::from_str(json);
    let value = T::deserialize(MapsOnly(&mut reader))?;
    reader.end()?;
    Ok(value)
}

/// A deserializer that reads structs as maps and wraps everything nested.
struct MapsOnly<D>(D);

macro_rules! forward_wrapped {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(WrapVisitor(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for MapsOnly<D> {
    type Error = D::Error;

    forward_wrapped! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, WrapVisitor(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_newtype_struct(name, WrapVisitor(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, WrapVisitor(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_tuple_struct(name, len, WrapVisitor(visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(WrapVisitor(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_enum(name, variants, WrapVisitor(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A visitor whose nested deserializers and accesses are wrapped.
struct WrapVisitor<V>(V);

macro_rules! forward_visit {
    ($($method:ident($ty:ty))*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for WrapVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.0.expecting(f)
    }

    forward_visit! {
        visit_bool(bool) visit_i64(i64) visit_i128(i128) visit_u64(u64) visit_u128(u128)
        visit_f64(f64) visit_char(char) visit_str(&str) visit_borrowed_str(&'de str)
        visit_string(String) visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8])
        visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(MapsOnly(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(MapsOnly(d))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(WrapSeq(seq))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(WrapMap(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(WrapEnum(data))
    }
}

/// A seed whose deserializer is wrapped.
struct WrapSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for WrapSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(MapsOnly(d))
    }
}

/// A struct variant's fields, read as a map.
struct StructVariant<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for StructVariant<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_map(WrapVisitor(self.0))
    }
}

struct WrapSeq<A>(A);

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for WrapSeq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(WrapSeed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct WrapMap<A>(A);

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for WrapMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(WrapSeed(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(WrapSeed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct WrapEnum<A>(A);

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for WrapEnum<A> {
    type Error = A::Error;
    type Variant = WrapVariant<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(WrapSeed(seed))?;
        Ok((value, WrapVariant(variant)))
    }
}

struct WrapVariant<A>(A);

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for WrapVariant<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(WrapSeed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, WrapVisitor(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.newtype_variant_seed(StructVariant(visitor))
    }
}

#[cfg(test)]
mod tests {
    use super::from_str;
    use crate::report::{Evidence, RuleResult, Tone};
    use serde::{Deserialize, Serialize};

    /// Every shape the report and the engine's events use: nested structs,
    /// options, sequences, maps, tuples, and enums with unit, newtype and
    /// struct variants.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Shape {
        Unit,
        Newtype(Evidence),
        Struct {
            inner: Vec<Evidence>,
            note: Option<String>,
        },
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Outer {
        shapes: Vec<Shape>,
        pair: (u64, Option<Evidence>),
        map: std::collections::BTreeMap<String, i64>,
        big: u64,
        #[serde(default)]
        absent: Vec<String>,
    }

    fn evidence(value: &str) -> Evidence {
        Evidence {
            label: "PTR".into(),
            value: value.into(),
            tone: Tone::Good,
        }
    }

    #[test]
    fn reads_what_serde_json_reads_from_objects() {
        let outer = Outer {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(evidence("a")),
                Shape::Struct {
                    inner: vec![evidence("b"), evidence("c\"\\\u{e9}")],
                    note: None,
                },
            ],
            pair: (u64::MAX, Some(evidence("d"))),
            map: [("x".to_string(), -3)].into(),
            big: (1 << 60) + 1,
            absent: Vec::new(),
        };
        let json = serde_json::to_string(&outer).expect("serialises");
        assert_eq!(from_str::<Outer>(&json).expect("reads"), outer);
        assert_eq!(
            from_str::<Outer>(&json).expect("reads"),
            serde_json::from_str::<Outer>(&json).expect("reads")
        );
        // Trailing text is refused, as by serde_json.
        assert!(from_str::<Outer>(&format!("{json} x")).is_err());
    }

    #[test]
    fn a_struct_written_as_an_array_is_refused() {
        let array = r#"["PTR","mx.example","good"]"#;
        assert!(serde_json::from_str::<Evidence>(array).is_ok());
        assert!(from_str::<Evidence>(array).is_err());
        // Nested too: in a map's value, a sequence, an option, a variant.
        let nested =
            r#"{"shapes":[{"Newtype":["PTR","a","good"]}],"pair":[1,null],"map":{},"big":1}"#;
        assert!(serde_json::from_str::<Outer>(nested).is_ok());
        assert!(from_str::<Outer>(nested).is_err());
        let in_option = r#"{"shapes":[],"pair":[1,["PTR","a","good"]],"map":{},"big":1}"#;
        assert!(serde_json::from_str::<Outer>(in_option).is_ok());
        assert!(from_str::<Outer>(in_option).is_err());
        let variant = r#"{"Struct":[[],null]}"#;
        assert!(serde_json::from_str::<Shape>(variant).is_ok());
        assert!(from_str::<Shape>(variant).is_err());
    }

    #[test]
    fn a_rules_details_are_read_in_either_order() {
        let result = crate::report::tests::dkim_result();
        let json = serde_json::to_string(&result).expect("serialises");
        assert_eq!(from_str::<RuleResult>(&json).expect("reads"), result);
        // `details` first: held, then read once `id` is known.
        let sorted = serde_json::to_value(&result)
            .expect("serialises")
            .to_string();
        assert!(sorted.starts_with(r#"{"details""#), "{sorted}");
        assert_eq!(from_str::<RuleResult>(&sorted).expect("reads"), result);
    }
}
