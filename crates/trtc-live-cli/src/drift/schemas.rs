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

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Option<Arc<Value>>>> {
        self.parsed
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
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
    fn a_keyword_location_is_split_into_file_object_and_keyword() {
        let uri = "https://trtc-live-webhooks.invalid/schemas/Live.CallbackAfterEndBattle/request.schema.json#/definitions/BattleEndReason/enum";
        let location = KeywordLocation::parse(uri).unwrap();
        assert_eq!(
            location.file(),
            "Live.CallbackAfterEndBattle/request.schema.json"
        );
        assert_eq!(location.schema_pointer, "/definitions/BattleEndReason");
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
