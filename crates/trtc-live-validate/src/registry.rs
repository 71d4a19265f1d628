//! The embedded schema files, as a local `jsonschema` registry keyed by `$id`.

use jsonschema::{Draft, Registry};
use serde_json::Value;

use crate::generated::schema_files::SCHEMA_FILES;
use crate::strict::close_objects;
use crate::BuildError;

/// Every schema document by `$id`, closed to unknown properties when `strict`.
pub(crate) struct SchemaDocuments {
    documents: Vec<(&'static str, Value)>,
}

impl SchemaDocuments {
    /// Parses the embedded schema files.
    pub(crate) fn load(strict: bool) -> Result<Self, BuildError> {
        let mut documents = Vec::with_capacity(SCHEMA_FILES.len());
        for &(id, text) in SCHEMA_FILES {
            let mut document: Value = serde_json::from_str(text).map_err(|error| BuildError {
                schema_id: id.to_owned(),
                message: format!("not JSON: {error}"),
            })?;
            if strict {
                close_objects(&mut document);
            }
            documents.push((id, document));
        }
        Ok(Self { documents })
    }

    /// The document with this `$id`.
    pub(crate) fn get(&self, id: &str) -> Result<&Value, BuildError> {
        self.documents
            .iter()
            .find(|(candidate, _)| *candidate == id)
            .map(|(_, document)| document)
            .ok_or_else(|| BuildError {
                schema_id: id.to_owned(),
                message: "no embedded schema has this $id".to_owned(),
            })
    }

    /// A registry holding every document under its `$id`; nothing is retrieved from elsewhere.
    pub(crate) fn registry(&self) -> Result<Registry<'_>, BuildError> {
        let error = |error: jsonschema::ReferencingError| BuildError {
            schema_id: String::new(),
            message: format!("cannot build the schema registry: {error}"),
        };
        Registry::new()
            .draft(Draft::Draft7)
            .extend(self.documents.iter().map(|(id, document)| (*id, document)))
            .map_err(error)?
            .prepare()
            .map_err(error)
    }

    /// Compiles the document with this `$id`, resolving its `$ref`s in `registry`.
    pub(crate) fn compile(
        &self,
        registry: &Registry<'_>,
        id: &str,
    ) -> Result<jsonschema::Validator, BuildError> {
        jsonschema::options()
            .with_draft(Draft::Draft7)
            .with_registry(registry)
            .build(self.get(id)?)
            .map_err(|error| BuildError {
                schema_id: id.to_owned(),
                message: error.to_string(),
            })
    }
}
