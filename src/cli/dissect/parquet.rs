//! `--parquet DIR`: the records as two Parquet tables, for DuckDB, Spark or Trino.
//!
//! `DIR/socks.parquet`: one row per transaction, Zeek's socks.log columns (names and values
//! as socks.log writes them, `-` as NULL, `(empty)` as an empty string) plus community_id,
//! pcap_file and frame. `DIR/events.parquet`: one row per event, the `--json` objects' fields
//! (Wireshark's names) as columns, NULL where an event has no such field.
//!
//! The rows come through the same ordered stream as the other formats (`Format::Parquet`
//! records: `E` and a JSON event, `S` and a socks.log row), so they are in the same order and
//! the same for any number of workers.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::engine::Output;

#[derive(Clone, Copy)]
enum Kind {
    F64,
    I64,
    Str,
    I64s,
}

use Kind::{F64, I64, I64s, Str};

const SOCKS: &[(&str, Kind)] = &[
    ("ts", F64),
    ("uid", Str),
    ("id.orig_h", Str),
    ("id.orig_p", I64),
    ("id.resp_h", Str),
    ("id.resp_p", I64),
    ("version", I64),
    ("user", Str),
    ("password", Str),
    ("status", Str),
    ("request.host", Str),
    ("request.name", Str),
    ("request_p", I64),
    ("bound.host", Str),
    ("bound.name", Str),
    ("bound_p", I64),
    ("community_id", Str),
    ("pcap_file", Str),
    ("frame", I64),
];

/// Every field an event or datagram object can have (`output::event_fields`,
/// `Sink::udp`).
const EVENTS: &[(&str, Kind)] = &[
    ("ts", F64),
    ("uid", Str),
    ("community_id", Str),
    ("pcap_file", Str),
    ("frame", I64),
    ("client", Str),
    ("client_port", I64),
    ("server", Str),
    ("server_port", I64),
    ("event", Str),
    ("dir", Str),
    ("offset", I64),
    ("version", I64),
    ("command", Str),
    ("command_code", I64),
    ("reserved", I64),
    ("address_type", I64),
    ("dst", Str),
    ("dstV6", Str),
    ("remote_name", Str),
    ("remote_name_hex", Str),
    ("port", I64),
    ("dstport", I64),
    ("v4a_dns_name", Str),
    ("v4a_dns_name_hex", Str),
    ("username", Str),
    ("username_hex", Str),
    ("password", Str),
    ("password_hex", Str),
    ("password_len", I64),
    ("subnegotiation_version", I64),
    ("auth_status", I64),
    ("auth_method_count", I64),
    ("auth_method", I64s),
    ("auth_accepted_method", I64),
    ("auth_accepted_method_name", Str),
    ("results", I64),
    ("results_name", Str),
    ("gssapi_command", I64),
    ("gssapi_length", I64),
    ("anomaly", Str),
    ("detail", Str),
    ("payload_bytes", I64),
    ("from", Str),
    ("to", Str),
    ("fragment_number", I64),
    ("target", Str),
];

/// A field's value as our JSON and socks.log write it.
#[derive(Debug, PartialEq)]
enum Value {
    Text(String),
    Number(String),
    Numbers(Vec<i64>),
}

enum Column {
    F64(Float64Builder),
    I64(Int64Builder),
    Str(StringBuilder),
    I64s(ListBuilder<Int64Builder>),
}

impl Column {
    fn new(kind: Kind) -> Self {
        match kind {
            F64 => Column::F64(Float64Builder::new()),
            I64 => Column::I64(Int64Builder::new()),
            Str => Column::Str(StringBuilder::new()),
            I64s => Column::I64s(ListBuilder::new(Int64Builder::new())),
        }
    }

    fn push(&mut self, v: Option<&Value>) -> Result<(), String> {
        let bad = |v: &Value| format!("{v:?} does not fit its column");
        match (self, v) {
            (Column::F64(b), Some(Value::Number(n))) => {
                b.append_value(n.parse().map_err(|_| format!("{n:?} is not a number"))?)
            }
            (Column::I64(b), Some(Value::Number(n))) => {
                b.append_value(n.parse().map_err(|_| format!("{n:?} is not an integer"))?)
            }
            (Column::Str(b), Some(Value::Text(t))) => b.append_value(t),
            (Column::I64s(b), Some(Value::Numbers(ns))) => {
                b.values().append_slice(ns);
                b.append(true);
            }
            (Column::F64(b), None) => b.append_null(),
            (Column::I64(b), None) => b.append_null(),
            (Column::Str(b), None) => b.append_null(),
            (Column::I64s(b), None) => b.append(false),
            (_, Some(v)) => return Err(bad(v)),
        }
        Ok(())
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::F64(b) => Arc::new(b.finish()),
            Column::I64(b) => Arc::new(b.finish()),
            Column::Str(b) => Arc::new(b.finish()),
            Column::I64s(b) => Arc::new(b.finish()),
        }
    }
}

/// One Parquet file being written, a row group every [`ROWS`] rows.
struct Table {
    columns: &'static [(&'static str, Kind)],
    builders: Vec<Column>,
    rows: usize,
    schema: Arc<Schema>,
    writer: ArrowWriter<File>,
}

const ROWS: usize = 65_536;

impl Table {
    fn create(path: &Path, columns: &'static [(&'static str, Kind)]) -> Result<Self, String> {
        let fields: Vec<Field> = columns
            .iter()
            .map(|&(name, kind)| {
                let t = match kind {
                    F64 => DataType::Float64,
                    I64 => DataType::Int64,
                    Str => DataType::Utf8,
                    I64s => DataType::List(Arc::new(Field::new("item", DataType::Int64, true))),
                };
                Field::new(name, t, true)
            })
            .collect();
        let schema = Arc::new(Schema::new(fields));
        let file = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Table {
            columns,
            builders: columns.iter().map(|&(_, k)| Column::new(k)).collect(),
            rows: 0,
            schema,
            writer,
        })
    }

    fn push(&mut self, row: &[(String, Value)]) -> Result<(), String> {
        if let Some((k, _)) = row
            .iter()
            .find(|(k, _)| !self.columns.iter().any(|(c, _)| c == k))
        {
            return Err(format!("no column for field {k:?}"));
        }
        for ((name, _), b) in self.columns.iter().zip(&mut self.builders) {
            b.push(row.iter().find(|(k, _)| k == name).map(|(_, v)| v))?;
        }
        self.rows += 1;
        if self.rows >= ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        if self.rows == 0 {
            return Ok(());
        }
        let arrays = self.builders.iter_mut().map(Column::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(|e| e.to_string())?;
        self.rows = 0;
        self.writer.write(&batch).map_err(|e| e.to_string())
    }

    fn close(mut self) -> Result<(), String> {
        self.flush()?;
        self.writer.close().map(|_| ()).map_err(|e| e.to_string())
    }
}

/// The `Format::Parquet` record stream into `DIR/socks.parquet` and `DIR/events.parquet`.
pub struct Parquet {
    socks: Table,
    events: Table,
    partial: Vec<u8>,
    error: Option<String>,
}

impl Parquet {
    pub fn create(dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Parquet {
            socks: Table::create(&dir.join("socks.parquet"), SOCKS)?,
            events: Table::create(&dir.join("events.parquet"), EVENTS)?,
            partial: Vec::new(),
            error: None,
        })
    }

    fn record(&mut self, line: &[u8]) -> Result<(), String> {
        let text = std::str::from_utf8(line).map_err(|e| e.to_string())?;
        match text.split_at_checked(1) {
            Some(("E", json)) => self.events.push(&parse_json(json)?),
            Some(("S", row)) => self.socks.push(&socks_row(row)?),
            _ => Err(format!("not a record: {text:?}")),
        }
    }

    /// Writes the tables' last row groups and footers.
    pub fn close(mut self) -> Result<(), String> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.socks.close()?;
        self.events.close()
    }
}

impl Output for Parquet {
    fn first_packet(&mut self, _ts: f64) {}

    fn bytes(&mut self, b: &[u8]) {
        self.partial.extend_from_slice(b);
        let Some(end) = self.partial.iter().rposition(|&c| c == b'\n') else {
            return;
        };
        let rest = self.partial.split_off(end + 1);
        let lines = std::mem::replace(&mut self.partial, rest);
        for line in lines.split(|&c| c == b'\n').filter(|l| !l.is_empty()) {
            if let Err(e) = self.record(line) {
                self.error.get_or_insert(e);
            }
        }
    }

    fn flush(&mut self) {}
}

/// A socks.log row as typed values: `-` is unset, `(empty)` an empty string.
fn socks_row(row: &str) -> Result<Vec<(String, Value)>, String> {
    let fields: Vec<&str> = row.split('\t').collect();
    if fields.len() != SOCKS.len() {
        return Err(format!("{} columns in {row:?}", fields.len()));
    }
    Ok(SOCKS
        .iter()
        .zip(fields)
        .filter(|(_, v)| *v != "-")
        .map(|(&(name, kind), v)| {
            let v = match kind {
                Str if v == "(empty)" => Value::Text(String::new()),
                Str => Value::Text(v.to_string()),
                _ => Value::Number(v.to_string()),
            };
            (name.to_string(), v)
        })
        .collect())
}

/// One of our flat JSON objects: string, number and number-list values.
fn parse_json(s: &str) -> Result<Vec<(String, Value)>, String> {
    let bad = || format!("unexpected JSON: {s:?}");
    let mut chars = s.chars().peekable();
    let mut out = Vec::new();
    if chars.next() != Some('{') {
        return Err(bad());
    }
    loop {
        match chars.next() {
            Some('}') => return Ok(out),
            Some(',') => continue,
            Some('"') => {}
            _ => return Err(bad()),
        }
        let key = string(&mut chars).ok_or_else(bad)?;
        if chars.next() != Some(':') {
            return Err(bad());
        }
        let value = match chars.peek() {
            Some('"') => {
                chars.next();
                Value::Text(string(&mut chars).ok_or_else(bad)?)
            }
            Some('[') => {
                chars.next();
                let mut list = String::new();
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                    list.push(c);
                }
                let ns = list
                    .split(',')
                    .filter(|n| !n.is_empty())
                    .map(|n| n.parse().map_err(|_| bad()))
                    .collect::<Result<_, _>>()?;
                Value::Numbers(ns)
            }
            _ => {
                let mut n = String::new();
                while let Some(&c) = chars.peek() {
                    if c == ',' || c == '}' {
                        break;
                    }
                    n.push(c);
                    chars.next();
                }
                Value::Number(n)
            }
        };
        out.push((key, value));
    }
}

/// The rest of a JSON string after its opening quote, unescaped.
fn string(chars: &mut impl Iterator<Item = char>) -> Option<String> {
    let mut out = String::new();
    loop {
        match chars.next()? {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = chars.take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                c => out.push(c),
            },
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_json_reads_our_objects() {
        let got = parse_json(r#"{"a":"x\"y\u0001","n":-12,"l":[0,2],"e":[]}"#).unwrap();
        assert_eq!(
            got,
            [
                ("a".to_string(), Value::Text("x\"y\u{1}".to_string())),
                ("n".to_string(), Value::Number("-12".to_string())),
                ("l".to_string(), Value::Numbers(vec![0, 2])),
                ("e".to_string(), Value::Numbers(vec![])),
            ]
        );
        assert!(parse_json(r#"{"a":"unterminated}"#).is_err());
    }
}
