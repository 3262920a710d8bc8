//! The JSON form of a batch, read from its bytes twice rather than held as one `Value`: first to
//! know it is a batch (its syntax, its own fields, how many rows), keeping no row; then row by
//! row, each row a `Value` only while it is checked. Rows are read as `Value`s in both readings,
//! so that a body is refused (or not) exactly as when the whole body was one `Value`: an
//! ignored value would let through what a `Value` refuses, such as a number out of range.

use crate::ErrorCode;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{Items, Mode, check_frame, not_an_object};
use crate::FieldError;

/// What the first reading found.
pub(crate) struct Frame {
    pub mode: Mode,
    pub total: usize,
    /// How many times the key `insatser` occurs: as in a JSON object read into a map, the last
    /// occurrence is the one that counts.
    insatser_keys: usize,
}

pub(crate) fn scan(bytes: &[u8], default_mode: Mode) -> Result<Frame, Vec<FieldError>> {
    let top: Top = serde_json::from_slice(bytes)
        .map_err(|e| vec![FieldError::new("", ErrorCode::NotJson, format!("the body is not JSON: {e}"))])?;
    let Top::Object { other_keys, mode, items, insatser_keys } = top else {
        return Err(vec![not_an_object()]);
    };
    let mode = check_frame(other_keys.iter(), mode.as_ref(), items, default_mode)?;
    let Items::Array(total) = items else { unreachable!("a batch without an array of insatser is refused") };
    Ok(Frame { mode, total, insatser_keys })
}

/// Reads the rows of a scanned batch in order, each handed to `row` with its index; the first
/// error of `row` stops the reading.
pub(crate) fn read_rows<E>(
    bytes: &[u8],
    frame: &Frame,
    row: &mut dyn FnMut(usize, Value) -> Result<(), E>,
) -> Result<(), E> {
    let mut failed = None;
    let seed = RowsOfTop { insatser_keys: frame.insatser_keys, rows: Rows { row, failed: &mut failed } };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let read = seed.deserialize(&mut deserializer);
    match (failed, read) {
        (Some(error), _) => Err(error),
        (None, Ok(())) => Ok(()),
        (None, Err(error)) => unreachable!("the batch read when it was scanned: {error}"),
    }
}

/// The top level of a body: an object with what the checks of a batch need, or anything else.
enum Top {
    NotObject,
    Object { other_keys: BTreeSet<String>, mode: Option<Value>, items: Items, insatser_keys: usize },
}

impl<'de> de::Deserialize<'de> for Top {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Top, D::Error> {
        deserializer.deserialize_any(TopVisitor)
    }
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let (mut other_keys, mut mode, mut items, mut insatser_keys) = (BTreeSet::new(), None, Items::Absent, 0);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "mode" => mode = Some(map.next_value::<Value>()?),
                "insatser" => {
                    items = map.next_value::<Counted>()?.0;
                    insatser_keys += 1;
                }
                _ => {
                    map.next_value::<Value>()?;
                    other_keys.insert(key);
                }
            }
        }
        Ok(Top::Object { other_keys, mode, items, insatser_keys })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
        while seq.next_element::<Value>()?.is_some() {}
        Ok(Top::NotObject)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Top, E> {
        Ok(Top::NotObject)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Top, E> {
        Ok(Top::NotObject)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Top, E> {
        Ok(Top::NotObject)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Top, E> {
        Ok(Top::NotObject)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Top, E> {
        Ok(Top::NotObject)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Top, E> {
        Ok(Top::NotObject)
    }
}

/// The value of `insatser`: an array's length, each element read and dropped.
struct Counted(Items);

impl<'de> de::Deserialize<'de> for Counted {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Counted, D::Error> {
        deserializer.deserialize_any(CountedVisitor)
    }
}

struct CountedVisitor;

impl<'de> Visitor<'de> for CountedVisitor {
    type Value = Counted;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Counted, A::Error> {
        let mut len = 0;
        while seq.next_element::<Value>()?.is_some() {
            len += 1;
        }
        Ok(Counted(Items::Array(len)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Counted, A::Error> {
        while map.next_entry::<String, Value>()?.is_some() {}
        Ok(Counted(Items::NotArray))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Counted, E> {
        Ok(Counted(Items::NotArray))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Counted, E> {
        Ok(Counted(Items::NotArray))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Counted, E> {
        Ok(Counted(Items::NotArray))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Counted, E> {
        Ok(Counted(Items::NotArray))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Counted, E> {
        Ok(Counted(Items::NotArray))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Counted, E> {
        Ok(Counted(Items::NotArray))
    }
}

/// The second reading's top level: everything skipped but the last `insatser`.
struct RowsOfTop<'r, 'e, E> {
    insatser_keys: usize,
    rows: Rows<'r, 'e, E>,
}

/// The rows of `insatser`, handed on one by one. An error of the receiver is kept in `failed`
/// and stops the reading.
struct Rows<'r, 'e, E> {
    row: &'r mut dyn FnMut(usize, Value) -> Result<(), E>,
    failed: &'e mut Option<E>,
}

impl<'de, E> DeserializeSeed<'de> for RowsOfTop<'_, '_, E> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, E> Visitor<'de> for RowsOfTop<'_, '_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a batch")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rows = Some(self.rows);
        let mut seen = 0;
        while let Some(key) = map.next_key::<String>()? {
            if key == "insatser" {
                seen += 1;
                if seen == self.insatser_keys {
                    let rows = rows.take().expect("one last occurrence");
                    map.next_value_seed(rows)?;
                    continue;
                }
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

impl<'de, E> DeserializeSeed<'de> for Rows<'_, '_, E> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, E> Visitor<'de> for Rows<'_, '_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of insatser")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(value) = seq.next_element::<Value>()? {
            if let Err(error) = (self.row)(index, value) {
                *self.failed = Some(error);
                return Err(de::Error::custom("stopped by the receiver of the rows"));
            }
            index += 1;
        }
        Ok(())
    }
}
