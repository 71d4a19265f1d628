//! The schema files as documents, to read the keyword a violation names (the members an object
//! schema lists, the values of an enumeration...) and to say which file a patch is for.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde_json::Value;
use trtc_live_validate::schema_text;

/// The prefix of every schema's `$id`: what follows is its path under `schemas/`.
pub const ID_PREFIX: &str = "https://trtc-live-webhooks.invalid/schemas/";

/// A keyword of a schema file, as a violation names it (`keyword_location`: the file's `$id`,
/// `#`, a JSON pointer to the keyword).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeywordLocation {
    /// `$id` of the schema file.
    pub schema_id: String,
    /// JSON pointer to the schema object holding the keyword, in the file.
    pub schema_pointer: String,
    /// The keyword (`additionalProperties`, `enum`...).
    pub keyword: String,
}

impl KeywordLocation {
    /// Reads `id#/pointer/to/keyword`.
    pub fn parse(location: &str) -> Option<Self> {
        let (schema_id, pointer) = location.split_once('#')?;
        let (schema_pointer, keyword) = pointer.rsplit_once('/')?;
        Some(Self {
            schema_id: schema_id.to_owned(),
            schema_pointer: schema_pointer.to_owned(),
            keyword: unescape(keyword),
        })
    }

    /// The schema file's path under `schemas/` (`common/room-info.schema.json`).
    pub fn file(&self) -> &str {
        self.schema_id
            .strip_prefix(ID_PREFIX)
            .unwrap_or(&self.schema_id)
    }

    /// The absolute URI, as the validator reports it.
    pub fn uri(&self) -> String {
        format!(
            "{}#{}/{}",
            self.schema_id,
            self.schema_pointer,
            escape(&self.keyword)
        )
    }
}

/// The embedded schema files, parsed the first time they are needed, shared by every thread.
#[derive(Default)]
pub struct SchemaDocuments {
    parsed: RwLock<HashMap<String, Option<Arc<Value>>>>,
}

impl SchemaDocuments {
    /// The schema file whose `$id` is `id`, parsed; `None` if there is none.
    pub fn document(&self, id: &str) -> Option<Arc<Value>> {
        if let Some(found) = self.read().get(id) {
            return found.clone();
        }
        let document = schema_text(id)
            .and_then(|text| serde_json::from_str(text).ok())
            .map(Arc::new);
        self.parsed
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(id.to_owned(), document.clone());
        document
    }

    /// The schema object holding the keyword at `location`.
    pub fn schema_object(&self, location: &KeywordLocation) -> Option<Value> {
        let document = self.document(&location.schema_id)?;
        document.pointer(&location.schema_pointer).cloned()
    }

    /// Where the schema of the value at `instance` (a JSON pointer into a packet) stands, from
    /// the schema file `root_id`: the file's `$id` and a JSON pointer in it, `$ref`s followed.
    /// `None` when the schemas do not describe that place member by member.
    pub fn schema_of(&self, root_id: &str, instance: &str) -> Option<(String, String)> {
        let mut at = self.follow_refs(root_id.to_owned(), String::new())?;
        for token in instance.split('/').skip(1) {
            let document = self.document(&at.0)?;
            let schema = document.pointer(&at.1)?;
            let member = schema
                .get("properties")
                .and_then(|members| members.get(unescape(token)));
            let pointer = if member.is_some() {
                format!("{}/properties/{token}", at.1)
            } else if schema.get("items").is_some() && token.parse::<usize>().is_ok() {
                format!("{}/items", at.1)
            } else {
                return None;
            };
            at = self.follow_refs(at.0, pointer)?;
        }
        Some(at)
    }

    /// The schema of the member at `instance` as its object's `properties` write it, before
    /// any `$ref` of its own is followed (where the schemas put a member's own keywords, such
    /// as the date it was added since).
    pub fn member_schema(&self, root_id: &str, instance: &str) -> Option<Value> {
        let (parent, name) = instance.rsplit_once('/')?;
        let (id, pointer) = self.schema_of(root_id, parent)?;
        let document = self.document(&id)?;
        let members = document.pointer(&pointer)?.get("properties")?;
        members.get(unescape(name)).cloned()
    }

    /// The schema a `$ref` (or a chain of them) at `pointer` of file `id` leads to.
    fn follow_refs(&self, mut id: String, mut pointer: String) -> Option<(String, String)> {
        for _ in 0..16 {
            let document = self.document(&id)?;
            let Some(reference) = document
                .pointer(&pointer)?
                .get("$ref")
                .and_then(Value::as_str)
            else {
                return Some((id, pointer));
            };
            let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
            if !file.is_empty() {
                id = joined(&id, file);
            }
            pointer = fragment.to_owned();
        }
        None
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Option<Arc<Value>>>> {
        self.parsed
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The `$id` a relative reference `file` leads to from the schema file `id`
/// (`../common/room-info.schema.json` from `.../Live.X/request.schema.json`).
fn joined(id: &str, file: &str) -> String {
    let mut segments: Vec<&str> = id.split('/').collect();
    segments.pop();
    for segment in file.split('/') {
        match segment {
            ".." => {
                segments.pop();
            }
            "." => {}
            other => segments.push(other),
        }
    }
    segments.join("/")
}

/// A member name as a JSON pointer token (RFC 6901: `~` as `~0`, `/` as `~1`).
pub fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer token as the member name it stands for.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_of_a_place_is_found_through_references() {
        let documents = SchemaDocuments::default();
        let battle = format!("{ID_PREFIX}Live.CallbackAfterEndBattle/request.schema.json");
        let at = |instance: &str| documents.schema_of(&battle, instance);
        assert_eq!(
            at("/ToRoomList/3/Score"),
            Some((
                format!("{ID_PREFIX}common/battle-room-result.schema.json"),
                "/properties/Score".to_owned()
            ))
        );
        assert_eq!(
            at("/OpType"),
            Some((battle.clone(), "/definitions/BattleEndReason".to_owned()))
        );
        assert_eq!(
            at("/FromRoomInfo/Owner_Account"),
            Some((
                format!("{ID_PREFIX}common/account-id.schema.json"),
                String::new()
            ))
        );
        assert_eq!(at("/Nothing"), None);
        let member = documents.member_schema(&battle, "/CreateTime").unwrap();
        assert!(member.get("$ref").is_some(), "{member}");
        assert_eq!(at("/ToRoomList/x"), None);
    }

    #[test]
    fn a_keyword_location_is_split_into_file_object_and_keyword() {
        let uri = "https://trtc-live-webhooks.invalid/schemas/Live.CallbackAfterEndBattle/request.schema.json#/definitions/BattleEndReason/anyOf/0/enum";
        let location = KeywordLocation::parse(uri).unwrap();
        assert_eq!(
            location.file(),
            "Live.CallbackAfterEndBattle/request.schema.json"
        );
        assert_eq!(
            location.schema_pointer,
            "/definitions/BattleEndReason/anyOf/0"
        );
        assert_eq!(location.keyword, "enum");
        assert_eq!(location.uri(), uri);
        let documents = SchemaDocuments::default();
        let object = documents.schema_object(&location).unwrap();
        assert_eq!(object["enum"], serde_json::json!([0, 1, 2]));
        let root = KeywordLocation::parse(&format!(
            "{ID_PREFIX}common/battle-room-result.schema.json#/required"
        ))
        .unwrap();
        assert_eq!(root.schema_pointer, "");
        assert!(documents.schema_object(&root).unwrap()["required"].is_array());
    }
}
