//! The public generator.

use fastrand::Rng;
use serde_json::{json, Value};
use trtc_live_types::Command;

use crate::walk::Walker;

/// Generates example packets of the TRTC Live webhooks from their JSON Schemas.
///
/// Each call draws a new packet from the generator's random sequence. The sequence depends
/// only on the seed: the same seed gives the same packets, call for call, on every platform,
/// for a given version of this crate (a new version may change it, for instance to make the
/// examples more realistic).
///
/// Every packet is valid against its schema, in strict mode too (no member the schema does
/// not name). See the crate documentation for what the examples look like.
///
/// ```
/// use trtc_live_examples::ExampleGenerator;
/// use trtc_live_types::Command;
///
/// let mut generator = ExampleGenerator::new(42);
/// let packet = generator.request(Command::LiveCallbackAfterEndBattle);
/// assert_eq!(packet["CallbackCommand"], "Live.CallbackAfterEndBattle");
/// let answer = generator.response(Command::LiveCallbackAfterEndBattle);
/// assert!(answer["ActionStatus"] == "OK" || answer["ActionStatus"] == "FAIL");
///
/// let again = ExampleGenerator::new(42).request(Command::LiveCallbackAfterEndBattle);
/// assert_eq!(packet, again);
/// ```
#[derive(Clone, Debug)]
pub struct ExampleGenerator {
    rng: Rng,
}

impl ExampleGenerator {
    /// A generator whose sequence of packets is determined by `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: Rng::with_seed(seed),
        }
    }

    /// A request packet of `command`, as Tencent would send it: `CallbackCommand` is the
    /// command word, and members come in the schema's property order.
    pub fn request(&mut self, command: Command) -> Value {
        let mut packet = Walker::new(&mut self.rng)
            .generate(command.request_type_name())
            .unwrap_or_else(|| json!({}));
        if let Value::Object(members) = &mut packet {
            members.insert("CallbackCommand".into(), Value::from(command.as_str()));
        }
        packet
    }

    /// A response packet to `command`, as an app would answer.
    ///
    /// For the before-webhooks (`Live.CallbackBeforeSendGift`, `Group.CallbackBeforeSendMsg`)
    /// the decision varies over every code the schema allows: let through, refuse, drop
    /// silently, refuse with a pass-through code and text, or (for messages) let through
    /// rewritten. Other answers are mostly the OK packet, now and then a failure.
    pub fn response(&mut self, command: Command) -> Value {
        Walker::new(&mut self.rng)
            .generate(command.response_type_name())
            .unwrap_or_else(|| json!({"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}))
    }
}
