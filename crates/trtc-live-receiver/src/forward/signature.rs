//! Standard Webhooks signatures: what the gateway adds to every forwarded request so that the
//! application can check, with any Standard Webhooks library, that the request comes from the
//! gateway and that its body is the one the gateway sent.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::DeliveryId;

/// The header carrying the delivery id.
pub const WEBHOOK_ID: &str = "webhook-id";
/// The header carrying the time of signing, in Unix seconds.
pub const WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
/// The header carrying the signatures: `v1,` and the base64 HMAC-SHA256.
pub const WEBHOOK_SIGNATURE: &str = "webhook-signature";

/// The prefix of a secret in the Standard Webhooks text form.
const SECRET_PREFIX: &str = "whsec_";
/// Fewest bytes of a secret (the Standard Webhooks specification asks for 24 to 64).
const MIN_SECRET_BYTES: usize = 24;
/// Most bytes of a secret.
const MAX_SECRET_BYTES: usize = 64;

/// The secret the gateway signs forwarded requests with, shared with the application.
///
/// Its text form is the Standard Webhooks one: `whsec_` and the secret's bytes in base64
/// (24 to 64 bytes; the prefix may be left out). Make one with
/// `echo "whsec_$(head -c 32 /dev/urandom | base64)"`. The secret never appears in `Debug`
/// output.
#[derive(Clone)]
pub struct ForwardSecret {
    key: Vec<u8>,
}

impl fmt::Debug for ForwardSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ForwardSecret(***)")
    }
}

/// Why a text is not a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// Not base64 after the prefix.
    #[error("the secret is not base64 after `whsec_`: {0}")]
    NotBase64(String),
    /// Too short or too long.
    #[error("the secret is {0} bytes: a Standard Webhooks secret is 24 to 64 bytes")]
    Length(usize),
}

impl ForwardSecret {
    /// Reads the text form (`whsec_` and base64; whitespace around it is removed, as a file's
    /// line break).
    pub fn parse(text: &str) -> Result<Self, SecretError> {
        let text = text.trim();
        let encoded = text.strip_prefix(SECRET_PREFIX).unwrap_or(text);
        let key = STANDARD
            .decode(encoded)
            .map_err(|error| SecretError::NotBase64(error.to_string()))?;
        Self::from_bytes(key)
    }

    /// A secret of these bytes (24 to 64).
    pub fn from_bytes(key: Vec<u8>) -> Result<Self, SecretError> {
        if !(MIN_SECRET_BYTES..=MAX_SECRET_BYTES).contains(&key.len()) {
            return Err(SecretError::Length(key.len()));
        }
        Ok(Self { key })
    }

    /// The text form: `whsec_` and base64.
    pub fn to_text(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.key))
    }

    /// The signature of `body` sent as `id` at `timestamp` (Unix seconds): `v1,` and the base64
    /// HMAC-SHA256, with the secret, of `id.timestamp.body`.
    pub fn sign(&self, id: &str, timestamp: u64, body: &[u8]) -> String {
        format!("v1,{}", STANDARD.encode(self.mac(id, timestamp, body)))
    }

    fn mac(&self, id: &str, timestamp: u64, body: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finalize().into_bytes().to_vec()
    }

    /// The three Standard Webhooks headers of `body` for the delivery `id`, signed at `now`:
    /// `webhook-id`, `webhook-timestamp` and `webhook-signature`.
    pub fn headers(
        &self,
        id: &DeliveryId,
        now: SystemTime,
        body: &[u8],
    ) -> [(&'static str, String); 3] {
        let timestamp = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        [
            (WEBHOOK_ID, id.as_str().to_owned()),
            (WEBHOOK_TIMESTAMP, timestamp.to_string()),
            (WEBHOOK_SIGNATURE, self.sign(id.as_str(), timestamp, body)),
        ]
    }

    /// Checks a request the way an application does (for Rust applications and for tests):
    /// the headers' values, the body, the time now, and how far the timestamp may be from it
    /// (the specification's libraries allow 5 minutes). Signatures are compared in constant
    /// time; any of several space-separated `v1` signatures may match.
    pub fn verify(
        &self,
        id: &str,
        timestamp: &str,
        signatures: &str,
        body: &[u8],
        now: SystemTime,
        tolerance: Duration,
    ) -> Result<(), VerifyError> {
        let seconds: u64 = timestamp.parse().map_err(|_| VerifyError::Timestamp)?;
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if seconds.abs_diff(now) > tolerance.as_secs() {
            return Err(VerifyError::OutsideTolerance);
        }
        let expected = self.mac(id, seconds, body);
        let matches = signatures
            .split(' ')
            .filter_map(|signature| signature.strip_prefix("v1,"))
            .filter_map(|encoded| STANDARD.decode(encoded).ok())
            .any(|given| bool::from(given.ct_eq(&expected)));
        if matches {
            Ok(())
        } else {
            Err(VerifyError::NoMatch)
        }
    }
}

/// Why a forwarded request's signature is not accepted ([`ForwardSecret::verify`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// `webhook-timestamp` is not a number of seconds.
    #[error("webhook-timestamp is not a Unix time in seconds")]
    Timestamp,
    /// The timestamp is too far from now.
    #[error("webhook-timestamp is too far from now")]
    OutsideTolerance,
    /// No `v1` signature matches.
    #[error("no signature matches")]
    NoMatch,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification (and of its libraries' tests).
    #[test]
    fn the_specification_example_signs_as_published() {
        let secret = ForwardSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_signed_request_verifies_and_a_changed_one_does_not() {
        let secret = ForwardSecret::from_bytes(vec![7; 32]).unwrap();
        let id = DeliveryId::new("1", "X", b"{}");
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let [(_, id_value), (_, timestamp), (_, signature)] = secret.headers(&id, now, b"{}");
        let tolerance = Duration::from_secs(300);
        let check = |body: &[u8], at: SystemTime| {
            secret.verify(&id_value, &timestamp, &signature, body, at, tolerance)
        };
        assert_eq!(check(b"{}", now), Ok(()));
        assert_eq!(check(b"{ }", now), Err(VerifyError::NoMatch));
        assert_eq!(
            check(b"{}", now + Duration::from_secs(301)),
            Err(VerifyError::OutsideTolerance)
        );
        // Several signatures (a secret being rotated): any may match.
        let several = format!("v1,AAAA {signature}");
        assert_eq!(
            secret.verify(&id_value, &timestamp, &several, b"{}", now, tolerance),
            Ok(())
        );
        let other = ForwardSecret::from_bytes(vec![8; 32]).unwrap();
        assert_eq!(
            other.verify(&id_value, &timestamp, &signature, b"{}", now, tolerance),
            Err(VerifyError::NoMatch)
        );
    }

    #[test]
    fn secrets_are_read_in_the_text_form_and_never_shown() {
        let secret = ForwardSecret::from_bytes((0..32).collect()).unwrap();
        let text = secret.to_text();
        assert!(text.starts_with("whsec_"));
        let read = ForwardSecret::parse(&format!("  {text}\n")).unwrap();
        assert_eq!(read.key, secret.key);
        assert_eq!(format!("{read:?}"), "ForwardSecret(***)");
        assert_eq!(
            ForwardSecret::parse(&text["whsec_".len()..]).unwrap().key,
            secret.key
        );
        assert!(matches!(
            ForwardSecret::parse("whsec_!!"),
            Err(SecretError::NotBase64(_))
        ));
        assert_eq!(
            ForwardSecret::parse("whsec_AAAA").unwrap_err(),
            SecretError::Length(3)
        );
    }
}
