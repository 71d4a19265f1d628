//! Realistic values, chosen by property name and definition name, never by command.
//!
//! The schema walker asks [`suggest`] for a value before it generates one from the schema; a
//! suggestion is used only if the schema surely accepts it (see `fits`), so realism can never
//! make an example invalid. `None` leaves the choice to the schema: enumerations and decision
//! codes are drawn from the schema, so every value they allow is reachable.

mod accounts;
mod counts;
mod messages;
mod packet;
mod words;

use fastrand::Rng;
use serde_json::{Map, Value};

use crate::dice;

pub(crate) use packet::PacketContext;

/// One level of nesting above a field: the object or array it lies in.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    /// Property name of the enclosing value (for an array item, the array's name).
    pub(crate) name: Option<String>,
    /// Definition the enclosing value was reached through, if any.
    pub(crate) definition: Option<&'static str>,
    /// Position of the enclosing value in its array, if it is an array item.
    pub(crate) item: Option<usize>,
}

/// What the generator knows about the value it is about to generate.
pub(crate) struct Field<'a> {
    /// Property name; for an array item, the array's property name.
    pub(crate) name: Option<&'a str>,
    /// Definition reached through `$ref`, if any.
    pub(crate) definition: Option<&'static str>,
    /// Position in the enclosing array, for an array item.
    pub(crate) index: Option<usize>,
    /// The enclosing values, outermost first.
    pub(crate) path: &'a [Step],
    /// Members already generated in the enclosing object.
    pub(crate) siblings: &'a Map<String, Value>,
    /// Property schemas of the enclosing object.
    pub(crate) sibling_schemas: &'a Map<String, Value>,
    /// The field's schema, `$ref`s followed.
    pub(crate) schema: &'a Value,
}

impl Field<'_> {
    /// Whether the field lies inside a value named `name` (property or definition).
    pub(crate) fn within(&self, name: &str) -> bool {
        self.path
            .iter()
            .any(|step| step.name.as_deref() == Some(name) || step.definition == Some(name))
    }

    /// Name of the definition of the whole packet (the outermost value), if known.
    pub(crate) fn packet_definition(&self) -> Option<&'static str> {
        self.path.first().and_then(|step| step.definition)
    }

    /// Position of the field, or of the nearest enclosing value, in its array.
    pub(crate) fn item_index(&self) -> Option<usize> {
        self.index
            .or_else(|| self.path.iter().rev().find_map(|step| step.item))
    }

    /// Whether the field, or a value enclosing it, is an array item.
    pub(crate) fn in_array(&self) -> bool {
        self.item_index().is_some()
    }

    /// Whether the schema lists its values or combines schemas (`enum`, `const`, `anyOf`,
    /// `oneOf`, `allOf`): then the schema, not realism, chooses.
    pub(crate) fn is_enumerated(&self) -> bool {
        ["enum", "const", "anyOf", "oneOf", "allOf"]
            .iter()
            .any(|keyword| self.schema.get(keyword).is_some())
    }

    /// Whether the schema allows the JSON type `name`.
    pub(crate) fn allows_type(&self, name: &str) -> bool {
        match self.schema.get("type") {
            Some(Value::String(single)) => single == name,
            Some(Value::Array(names)) => names.iter().any(|n| n == name),
            _ => false,
        }
    }

    /// The integer value of the sibling `name`, if generated already.
    pub(crate) fn sibling_u64(&self, name: &str) -> Option<u64> {
        self.siblings.get(name).and_then(Value::as_u64)
    }

    /// The string value of the sibling `name`, if generated already.
    pub(crate) fn sibling_str(&self, name: &str) -> Option<&str> {
        self.siblings.get(name).and_then(Value::as_str)
    }
}

/// A realistic value for `field`, or `None` to let the schema choose.
pub(crate) fn suggest(
    field: &Field<'_>,
    rng: &mut Rng,
    packet: &mut PacketContext,
) -> Option<Value> {
    // An open enumeration: its known values, from the schema.
    if field.schema.get("x-trtc-open-enum").is_some() {
        return None;
    }
    match field.definition {
        Some("AccountId") => return Some(accounts::account_id(rng, field.name)),
        Some("MessageElement") => return Some(messages::element(rng)),
        _ => {}
    }
    let name = field.name?;
    match name {
        "CallbackCommand" => None,
        // Mostly OK; otherwise the schema draws (OK or FAIL).
        "ActionStatus" => dice::chance(rng, 85).then(|| Value::from("OK")),
        "ErrorInfo" => Some(messages::error_info(field, rng)),
        _ => packet
            .time(field, rng)
            .or_else(|| counts::integer(field, rng, packet))
            .or_else(|| words::string(field, rng, packet)),
    }
}

/// Records what later fields of the same packet depend on.
pub(crate) fn observe(name: &str, value: &Value, packet: &mut PacketContext) {
    if name == "OpType" {
        packet.set_end_reason(value.as_i64());
    }
}

/// Generation rank of a property (smaller first): fields that others depend on go first. The
/// packet keeps the schema's property order whatever the generation order.
pub(crate) fn priority(name: &str) -> u8 {
    match name {
        "OpType" | "ActionStatus" | "MaxRoomCount" => 0,
        "ErrorCode" => 1,
        _ => 2,
    }
}

/// Realistic bounds of the length of the array `field`, if its name calls for them (clamped
/// to the schema's `minItems` / `maxItems` by the walker).
pub(crate) fn array_len(field: &Field<'_>) -> Option<(usize, usize)> {
    match field.name? {
        "MsgBody" => Some((1, 3)),
        "FollowList" | "To_Account" | "Admin_Account" | "Keys" | "Metadata" | "MemberList"
        | "SeatList" | "ToRoomIdList" | "ToRoomList" => Some((1, 4)),
        "Category" => Some((0, 3)),
        _ => None,
    }
}
