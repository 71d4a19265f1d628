//! The webhook URL's query string, decoded.

use serde_json::{Map, Value};

/// The query parameters, decoded (`%XX` and `+`), by name. Names are case-sensitive, as
/// Tencent's sample URLs spell them (`SdkAppid`, `CallbackCommand`, ...).
#[derive(Debug)]
pub(crate) struct Query(Map<String, Value>);

impl Query {
    /// Decodes `query` (the part of the URI after `?`; `None` when there is none). A name given
    /// twice is refused: a receiver and a proxy reading different copies of `SdkAppid` or `Sign`
    /// would not check the same request. Bytes that are not UTF-8 become U+FFFD.
    pub(crate) fn parse(query: Option<&str>) -> Result<Self, RepeatedName> {
        let mut parameters = Map::new();
        for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            let name = name.into_owned();
            if parameters.contains_key(&name) {
                return Err(RepeatedName(name));
            }
            parameters.insert(name, Value::String(value.into_owned()));
        }
        Ok(Self(parameters))
    }

    /// The value of `name`, if given.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// Every parameter, as the object of strings the URL parameter schema checks.
    pub(crate) fn to_value(&self) -> Value {
        Value::Object(self.0.clone())
    }
}

/// A parameter name given more than once.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RepeatedName(pub(crate) String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes_and_plus() {
        let query = Query::parse(Some(
            "a=1%2B1&b=x+y&CallbackCommand=Live.Callback%41&empty=",
        ))
        .unwrap();
        assert_eq!(query.get("a"), Some("1+1"));
        assert_eq!(query.get("b"), Some("x y"));
        assert_eq!(query.get("CallbackCommand"), Some("Live.CallbackA"));
        assert_eq!(query.get("empty"), Some(""));
        assert_eq!(query.get("missing"), None);
    }

    #[test]
    fn names_are_case_sensitive() {
        let query = Query::parse(Some("SdkAppId=1")).unwrap();
        assert_eq!(query.get("SdkAppid"), None);
    }

    #[test]
    fn no_query_is_no_parameter() {
        assert_eq!(
            Query::parse(None).unwrap().to_value(),
            serde_json::json!({})
        );
        assert_eq!(
            Query::parse(Some("")).unwrap().to_value(),
            serde_json::json!({})
        );
    }

    #[test]
    fn a_repeated_name_is_refused_even_encoded_differently() {
        assert_eq!(
            Query::parse(Some("SdkAppid=1&Sdk%41ppid=2")).unwrap_err(),
            RepeatedName("SdkAppid".into())
        );
    }

    #[test]
    fn invalid_utf8_does_not_panic() {
        let query = Query::parse(Some("x=%FF%FE")).unwrap();
        assert_eq!(query.get("x"), Some("\u{fffd}\u{fffd}"));
    }
}
