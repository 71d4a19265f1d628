//! The vocabulary of drift findings: their kinds, where they are, the JSON types of values.

use serde::Serialize;
use serde_json::Value;

/// How traffic differs from the schemas. The order is the order of reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A `CallbackCommand` that names no webhook of the schemas (or none at all).
    UnknownCommand,
    /// A member the schema of its object does not name.
    UnknownMember,
    /// A member the schema requires, missing.
    MissingRequired,
    /// A member added to the schemas later, missing from a packet older than it (a warning of
    /// the validator).
    OlderRevision,
    /// A value of another JSON type than the schema says.
    TypeMismatch,
    /// A value outside the values an enumeration knows.
    UnknownEnumValue,
    /// A value of the right type outside its bounds, length or pattern.
    OutOfRange,
    /// A URL query parameter the schema of the parameters does not name.
    UnknownUrlParameter,
}

impl Kind {
    /// Its name in reports, as it serializes.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::UnknownCommand => "unknown_command",
            Kind::UnknownMember => "unknown_member",
            Kind::MissingRequired => "missing_required",
            Kind::OlderRevision => "older_revision",
            Kind::TypeMismatch => "type_mismatch",
            Kind::UnknownEnumValue => "unknown_enum_value",
            Kind::OutOfRange => "out_of_range",
            Kind::UnknownUrlParameter => "unknown_url_parameter",
        }
    }
}

/// Where in a delivery a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// In the packet (the body).
    Body,
    /// In the URL's query parameters (known for journal records only).
    Query,
}

/// The JSON types, integers told from other numbers as JSON Schema tells them (by how they are
/// written).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JsonType {
    /// A string.
    String,
    /// A number written without a fraction or an exponent.
    Integer,
    /// Any other number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An object.
    Object,
    /// An array.
    Array,
    /// `null`.
    Null,
}

impl JsonType {
    /// Its name, as JSON Schema's `type` says it.
    pub const fn as_str(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::Null => "null",
        }
    }

    /// The type of `value`, a number being an integer unless serde_json read it as a double.
    pub fn of_value(value: &Value) -> Self {
        match value {
            Value::String(_) => JsonType::String,
            Value::Number(number) if number.is_f64() => JsonType::Number,
            Value::Number(_) => JsonType::Integer,
            Value::Bool(_) => JsonType::Boolean,
            Value::Object(_) => JsonType::Object,
            Value::Array(_) => JsonType::Array,
            Value::Null => JsonType::Null,
        }
    }

    /// What the size of a value of this type counts, if anything.
    pub const fn size_unit(self) -> Option<&'static str> {
        match self {
            JsonType::String => Some("characters"),
            JsonType::Integer | JsonType::Number => Some("digits"),
            JsonType::Object => Some("members"),
            JsonType::Array => Some("items"),
            JsonType::Boolean | JsonType::Null => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serialized_names() {
        for kind in [
            Kind::UnknownCommand,
            Kind::UnknownMember,
            Kind::MissingRequired,
            Kind::OlderRevision,
            Kind::TypeMismatch,
            Kind::UnknownEnumValue,
            Kind::OutOfRange,
            Kind::UnknownUrlParameter,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        for json_type in [JsonType::String, JsonType::Integer, JsonType::Null] {
            assert_eq!(serde_json::to_value(json_type).unwrap(), json_type.as_str());
        }
    }
}
