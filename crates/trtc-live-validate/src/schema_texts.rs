//! The schema files themselves, as embedded: for tools that print or serve them.

use crate::generated::schema_files::SCHEMA_FILES;

/// The text of the schema file whose `$id` is `id`, as it is in `schemas/`.
pub fn schema_text(id: &str) -> Option<&'static str> {
    SCHEMA_FILES
        .iter()
        .find(|(file_id, _)| *file_id == id)
        .map(|(_, text)| *text)
}

/// `$id` of the schema of the webhook URL's query parameters.
pub const URL_PARAMETERS_SCHEMA_ID: &str =
    "https://trtc-live-webhooks.invalid/schemas/common/url-parameters.schema.json";
