//! What a valid packet may still be worth a warning for: members it lacks as an older revision
//! ([`crate::revision`]) and values of open enumerations outside their known values
//! ([`crate::open_enum`]).

use crate::open_enum::{unknown_values_of, UnknownValue, UnknownValues};
use crate::revision::{KeptRevision, OlderRevision, Revised};

/// The findings of one valid packet, in member order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    /// Members the packet lacks as an older revision.
    pub older_revisions: Vec<OlderRevision>,
    /// Values of open enumerations outside their known values.
    pub unknown_values: Vec<UnknownValue>,
}

impl Findings {
    /// The findings of a typed packet.
    pub fn of_packet<T: Revised + UnknownValues>(packet: &T) -> Self {
        Self {
            older_revisions: packet.older_revisions(),
            unknown_values: unknown_values_of(packet),
        }
    }

    /// The findings of a packet read without building it, from what the reading kept (see
    /// [`crate::conform`]): the same as [`Self::of_packet`] on the typed packet.
    pub fn of_kept<K: KeptRevision + UnknownValues>(kept: &K) -> Self {
        Self {
            older_revisions: kept.older_revisions(),
            unknown_values: unknown_values_of(kept),
        }
    }

    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.older_revisions.is_empty() && self.unknown_values.is_empty()
    }
}
