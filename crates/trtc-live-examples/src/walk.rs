//! The schema walker: generates one value of a schema, asking [`realism`] first.
//!
//! It honours `type`, `enum`, `const`, `minimum` / `maximum` (and their exclusive forms),
//! `minLength` / `maxLength`, `pattern`, `properties` / `required` (an optional property is
//! present half of the time; a member added later, `x-trtc-since`, always), `items` / `minItems` / `maxItems` (0 to 4 items unless the
//! schema or the property name says otherwise), `allOf`, `anyOf` / `oneOf` (one branch; the known
//! values of an open enumeration, `x-trtc-open-enum`) and `dependencies`. Members come out in the schema's property order.

use std::collections::HashMap;

use fastrand::Rng;
use serde_json::{Map, Number, Value};

use crate::dice;
use crate::fits::fits;
use crate::pattern::Pattern;
use crate::realism::{self, Field, PacketContext, Step};
use crate::schema::{definition, follow_refs};
use crate::shape::flatten;

/// Deepest nesting generated; deeper values are `null` (the bundle nests 4 levels).
const MAX_DEPTH: usize = 24;
/// Values generated for one schema before the last one is kept even if it does not fit.
const ATTEMPTS: usize = 8;
/// Default length bounds of arrays and strings.
const MAX_ITEMS: usize = 4;
const MAX_STRING: usize = 12;
/// Percentage of optional properties that are present.
const OPTIONAL_PRESENT: u64 = 50;

/// Generates the values of one packet.
pub(crate) struct Walker<'r> {
    rng: &'r mut Rng,
    packet: PacketContext,
    path: Vec<Step>,
}

impl<'r> Walker<'r> {
    /// A walker for a new packet.
    pub(crate) fn new(rng: &'r mut Rng) -> Self {
        let packet = PacketContext::new(rng);
        Self {
            rng,
            packet,
            path: Vec::new(),
        }
    }

    /// A packet of the bundle's definition `name`, or `None` if there is no such definition.
    pub(crate) fn generate(&mut self, name: &str) -> Option<Value> {
        definition(name)?;
        let root = serde_json::json!({ "$ref": format!("#/definitions/{name}") });
        let none = Map::new();
        Some(self.value(&root, &Slot::root(&none)))
    }

    fn value(&mut self, schema: &Value, slot: &Slot<'_>) -> Value {
        if self.path.len() > MAX_DEPTH {
            return Value::Null;
        }
        let (definition, resolved) = follow_refs(schema);
        let field = Field {
            name: slot.name,
            definition,
            index: slot.index,
            path: &self.path,
            siblings: slot.siblings,
            sibling_schemas: slot.sibling_schemas,
            schema: resolved,
        };
        let array_len = realism::array_len(&field);
        if let Some(candidate) = realism::suggest(&field, self.rng, &mut self.packet) {
            if fits(schema, &candidate) {
                return candidate;
            }
        }
        let mut value = Value::Null;
        for _ in 0..ATTEMPTS {
            let flat = flatten(resolved, self.rng);
            value = self.generate_from_keywords(&flat, definition, slot, array_len);
            if fits(schema, &value) {
                break;
            }
        }
        value
    }

    /// A value from the flattened keywords of a schema.
    fn generate_from_keywords(
        &mut self,
        flat: &Map<String, Value>,
        definition: Option<&'static str>,
        slot: &Slot<'_>,
        array_len: Option<(usize, usize)>,
    ) -> Value {
        if let Some(constant) = flat.get("const") {
            return constant.clone();
        }
        if let Some(choices) = flat.get("enum").and_then(Value::as_array) {
            if let Some(choice) = dice::pick(self.rng, choices) {
                return choice.clone();
            }
        }
        let step = Step {
            name: slot.name.map(str::to_owned),
            definition,
            item: slot.index,
        };
        match self.choose_type(flat) {
            "object" => {
                self.path.push(step);
                let value = self.object(flat);
                self.path.pop();
                value
            }
            "array" => {
                self.path.push(step);
                let value = self.array(flat, slot, array_len);
                self.path.pop();
                value
            }
            "integer" => integer(self.rng, flat),
            "number" => number(self.rng, flat),
            "boolean" => Value::Bool(self.rng.bool()),
            "null" => Value::Null,
            _ => string(self.rng, flat),
        }
    }

    /// One of the types the schema allows, or the type its keywords imply.
    fn choose_type(&mut self, flat: &Map<String, Value>) -> &'static str {
        const TYPES: [&str; 7] = [
            "object", "array", "integer", "number", "boolean", "null", "string",
        ];
        let named = |name: &str| TYPES.iter().copied().find(|t| *t == name);
        match flat.get("type") {
            Some(Value::String(name)) => named(name).unwrap_or("string"),
            Some(Value::Array(names)) => {
                let known: Vec<&'static str> = names
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(named)
                    .collect();
                dice::pick_or(self.rng, &known, "string")
            }
            _ if flat.contains_key("properties") => "object",
            _ if flat.contains_key("items") => "array",
            _ if flat.contains_key("minimum") || flat.contains_key("maximum") => "integer",
            _ => "string",
        }
    }

    fn object(&mut self, flat: &Map<String, Value>) -> Value {
        let empty = Map::new();
        let properties = flat
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required: Vec<&str> = flat
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let dependencies = flat
            .get("dependencies")
            .and_then(Value::as_object)
            .unwrap_or(&empty);

        // Which members are present. An optional member whose presence constrains the
        // others (a schema dependency) is decided last, against the values generated.
        let mut present: Vec<&str> = Vec::new();
        let mut deferred: Vec<&str> = Vec::new();
        for name in properties.keys().map(String::as_str) {
            // A member Tencent added later (`x-trtc-since`) is required of a packet as recent as
            // the examples: present.
            let added_later = properties[name].get("x-trtc-since").is_some();
            if required.contains(&name) || added_later {
                present.push(name);
            } else if dependencies.get(name).is_some_and(Value::is_object) {
                deferred.push(name);
            } else if dice::chance(self.rng, OPTIONAL_PRESENT) {
                present.push(name);
            }
        }
        add_required_by_dependencies(&mut present, properties, dependencies);
        deferred.retain(|name| !present.contains(name));

        // Constraints that the schema dependencies of present members put on other members.
        let mut constraints: HashMap<&str, Vec<Value>> = HashMap::new();
        for name in &present {
            let Some(dependency) = dependencies.get(*name).and_then(Value::as_object) else {
                continue;
            };
            for (target, schema) in dependency
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some((key, _)) = properties.get_key_value(target) {
                    constraints
                        .entry(key.as_str())
                        .or_default()
                        .push(schema.clone());
                }
            }
        }

        let mut order = present.clone();
        order.sort_by_key(|name| realism::priority(name));
        let mut members = Map::new();
        for name in order {
            let Some(schema) = properties.get(name) else {
                continue;
            };
            let schema = match constraints.get(name) {
                Some(extra) => {
                    let mut all = vec![schema.clone()];
                    all.extend(extra.iter().cloned());
                    serde_json::json!({ "allOf": all })
                }
                None => schema.clone(),
            };
            let value = self.member(&schema, name, &members, properties);
            members.insert(name.to_owned(), value);
        }
        for name in deferred {
            let (Some(schema), Some(dependency)) = (properties.get(name), dependencies.get(name))
            else {
                continue;
            };
            if !dice::chance(self.rng, OPTIONAL_PRESENT)
                || !fits(dependency, &Value::Object(members.clone()))
            {
                continue;
            }
            let value = self.member(schema, name, &members, properties);
            members.insert(name.to_owned(), value);
        }

        // The schema's property order, whatever the generation order.
        let mut ordered = Map::new();
        for name in properties.keys() {
            if let Some(value) = members.remove(name) {
                ordered.insert(name.clone(), value);
            }
        }
        Value::Object(ordered)
    }

    fn member(
        &mut self,
        schema: &Value,
        name: &str,
        siblings: &Map<String, Value>,
        sibling_schemas: &Map<String, Value>,
    ) -> Value {
        let slot = Slot {
            name: Some(name),
            index: None,
            siblings,
            sibling_schemas,
        };
        let value = self.value(schema, &slot);
        realism::observe(name, &value, &mut self.packet);
        value
    }

    fn array(
        &mut self,
        flat: &Map<String, Value>,
        slot: &Slot<'_>,
        realistic_len: Option<(usize, usize)>,
    ) -> Value {
        let min_items = bound(flat, "minItems").unwrap_or(0);
        let max_items = bound(flat, "maxItems").unwrap_or(usize::MAX);
        let (lo, hi) = realistic_len.unwrap_or((0, MAX_ITEMS));
        let (lo, hi) = clamp_range(lo, hi, min_items, max_items);
        let len = dice::count(self.rng, lo, hi);
        let any = Value::Bool(true);
        let items: Vec<Value> = (0..len)
            .map(|index| {
                let schema = match flat.get("items") {
                    Some(Value::Array(tuple)) => tuple.get(index).unwrap_or(&any),
                    Some(schema) => schema,
                    None => &any,
                };
                let item_slot = Slot {
                    name: slot.name,
                    index: Some(index),
                    siblings: slot.siblings,
                    sibling_schemas: slot.sibling_schemas,
                };
                self.value(schema, &item_slot)
            })
            .collect();
        Value::Array(items)
    }
}

/// Where a value goes: its property name, array position, and the object around it.
struct Slot<'a> {
    name: Option<&'a str>,
    index: Option<usize>,
    siblings: &'a Map<String, Value>,
    sibling_schemas: &'a Map<String, Value>,
}

impl<'a> Slot<'a> {
    fn root(none: &'a Map<String, Value>) -> Self {
        Self {
            name: None,
            index: None,
            siblings: none,
            sibling_schemas: none,
        }
    }
}

/// Adds the members that array dependencies (`"A": ["B"]`) require, until none is missing.
fn add_required_by_dependencies<'a>(
    present: &mut Vec<&'a str>,
    properties: &'a Map<String, Value>,
    dependencies: &Map<String, Value>,
) {
    let mut index = 0;
    while let Some(name) = present.get(index).copied() {
        index += 1;
        let Some(Value::Array(needed)) = dependencies.get(name) else {
            continue;
        };
        for needed in needed.iter().filter_map(Value::as_str) {
            if let Some((key, _)) = properties.get_key_value(needed) {
                if !present.contains(&key.as_str()) {
                    present.push(key.as_str());
                }
            }
        }
    }
}

/// `lo..=hi` moved inside `min..=max` (the schema wins over the realistic range).
fn clamp_range(lo: usize, hi: usize, min: usize, max: usize) -> (usize, usize) {
    let max = max.max(min);
    let lo = lo.clamp(min, max);
    let hi = hi.clamp(lo, max);
    (lo, hi)
}

fn bound(flat: &Map<String, Value>, keyword: &str) -> Option<usize> {
    flat.get(keyword)
        .and_then(Value::as_u64)
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// An exact integer bound: `minimum` / `maximum`, tightened by their exclusive forms.
fn integer_bounds(flat: &Map<String, Value>) -> (Option<i128>, Option<i128>) {
    let exact = |keyword: &str| {
        let value = flat.get(keyword)?;
        value
            .as_i64()
            .map(i128::from)
            .or_else(|| value.as_u64().map(i128::from))
            .or_else(|| value.as_f64().map(|f| f as i128))
    };
    let lo = [exact("minimum"), exact("exclusiveMinimum").map(|n| n + 1)]
        .into_iter()
        .flatten()
        .max();
    let hi = [exact("maximum"), exact("exclusiveMaximum").map(|n| n - 1)]
        .into_iter()
        .flatten()
        .min();
    (lo, hi)
}

/// An integer within the schema's bounds: mostly small (0 to 1000 where allowed), sometimes
/// anywhere in the range, sometimes at an edge.
fn integer(rng: &mut Rng, flat: &Map<String, Value>) -> Value {
    let (lo, hi) = integer_bounds(flat);
    let lo = lo.unwrap_or(i128::from(i64::MIN));
    let hi = hi.unwrap_or(i128::from(i64::MAX)).max(lo);
    let n = match rng.u64(0..100) {
        0..=79 => {
            let small_lo = 0_i128.clamp(lo, hi);
            dice::between_i128(rng, small_lo, (small_lo + 1000).clamp(lo, hi))
        }
        80..=91 => dice::between_i128(rng, lo, hi),
        _ => {
            if rng.bool() {
                lo
            } else {
                hi
            }
        }
    };
    integer_value(n)
}

/// `n` as a JSON integer (exact: never through a float).
fn integer_value(n: i128) -> Value {
    if let Ok(n) = i64::try_from(n) {
        Value::from(n)
    } else if let Ok(n) = u64::try_from(n) {
        Value::from(n)
    } else if n < 0 {
        Value::from(i64::MIN)
    } else {
        Value::from(u64::MAX)
    }
}

/// A number within the schema's bounds (0 to 1000 when unbounded).
fn number(rng: &mut Rng, flat: &Map<String, Value>) -> Value {
    let get = |keyword: &str| flat.get(keyword).and_then(Value::as_f64);
    let lo = get("minimum").unwrap_or(0.0);
    let hi = get("maximum").unwrap_or(lo + 1000.0).max(lo);
    let x = lo + rng.f64() * (hi - lo);
    Number::from_f64((x * 100.0).round() / 100.0)
        .map(Value::Number)
        .unwrap_or(Value::from(0))
}

/// A string matching the schema's `pattern`, or of a length within its bounds.
fn string(rng: &mut Rng, flat: &Map<String, Value>) -> Value {
    if let Some(pattern) = flat
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(Pattern::parse)
    {
        return Value::from(pattern.generate(rng));
    }
    let min = bound(flat, "minLength").unwrap_or(0);
    let max = bound(flat, "maxLength").unwrap_or(usize::MAX);
    let (lo, hi) = clamp_range(1, MAX_STRING, min, max);
    let len = dice::count(rng, lo, hi);
    Value::from((0..len).map(|_| rng.alphanumeric()).collect::<String>())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn integers_stay_within_their_bounds() {
        let mut rng = Rng::with_seed(11);
        let flat = json!({"type": "integer", "minimum": 102_100, "maximum": 102_200});
        let flat = flat.as_object().unwrap();
        for _ in 0..500 {
            let n = integer(&mut rng, flat).as_i64().unwrap();
            assert!((102_100..=102_200).contains(&n), "{n}");
        }
        let wide = json!({"type": "integer", "minimum": 0, "maximum": u64::MAX});
        let mut saw_max = false;
        for _ in 0..500 {
            saw_max |= integer(&mut rng, wide.as_object().unwrap()) == json!(u64::MAX);
        }
        assert!(saw_max);
    }

    #[test]
    fn schema_bounds_win_over_realistic_ranges() {
        assert_eq!(clamp_range(1, 4, 0, usize::MAX), (1, 4));
        assert_eq!(clamp_range(0, 4, 2, usize::MAX), (2, 4));
        assert_eq!(clamp_range(1, 4, 0, 2), (1, 2));
        assert_eq!(clamp_range(1, 4, 6, 3), (6, 6));
    }

    #[test]
    fn array_dependencies_add_their_members() {
        let properties = json!({"Sign": {}, "RequestTime": {}, "Other": {}});
        let dependencies = json!({"Sign": ["RequestTime"], "RequestTime": ["Sign"]});
        let mut present = vec!["Sign"];
        add_required_by_dependencies(
            &mut present,
            properties.as_object().unwrap(),
            dependencies.as_object().unwrap(),
        );
        assert_eq!(present, ["Sign", "RequestTime"]);
    }
}
