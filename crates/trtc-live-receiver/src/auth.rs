//! Who sent the request: the `SdkAppid` check, the signature and the time window.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::query::Query;
use crate::token::signature_matches;
use crate::{ReceiveError, ReceiverConfig};

/// Checks `SdkAppid`, then (with a token) `Sign` and `RequestTime`, in the order documented on
/// [`crate::Receiver::receive`].
pub(crate) fn authenticate(
    config: &ReceiverConfig,
    query: &Query,
    now: SystemTime,
) -> Result<(), ReceiveError> {
    match query.get("SdkAppid") {
        None => return Err(ReceiveError::SdkAppIdMissing),
        Some(found) if found != config.sdk_app_id => {
            return Err(ReceiveError::SdkAppIdMismatch {
                found: found.to_owned(),
            })
        }
        Some(_) => {}
    }
    let Some(token) = &config.token else {
        return Ok(());
    };
    let sign = query.get("Sign").ok_or(ReceiveError::SignMissing)?;
    let request_time_text = query
        .get("RequestTime")
        .ok_or(ReceiveError::RequestTimeMissing)?;
    let request_time =
        unix_seconds(request_time_text).ok_or_else(|| ReceiveError::RequestTimeInvalid {
            found: request_time_text.to_owned(),
        })?;
    if !signature_matches(token, request_time_text, sign) {
        return Err(ReceiveError::SignMismatch);
    }
    check_window(request_time, now, config.tolerance)
}

/// `text` as Unix seconds: 1 to 20 decimal digits (the URL parameter schema's pattern) that fit
/// a `u64`.
fn unix_seconds(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Accepts `request_time` when it is at most `tolerance` away from `now`, in either direction
/// (exactly `tolerance` is accepted). `now` keeps its fraction of a second: with a 60 s
/// tolerance, `RequestTime` 1000 is accepted from 940 s to 1060 s inclusive, and refused at
/// 1060.001 s. A clock before 1970 counts as 1970.
pub(crate) fn check_window(
    request_time: u64,
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), ReceiveError> {
    let now = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let signed_at = Duration::from_secs(request_time);
    let error = |past: bool| {
        let (request_time, now, tolerance) = (request_time, now.as_secs(), tolerance);
        if past {
            ReceiveError::RequestTimeTooOld {
                request_time,
                now,
                tolerance,
            }
        } else {
            ReceiveError::RequestTimeInFuture {
                request_time,
                now,
                tolerance,
            }
        }
    };
    if now >= signed_at {
        if now - signed_at > tolerance {
            return Err(error(true));
        }
    } else if signed_at - now > tolerance {
        return Err(error(false));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_669_872_112;
    const MINUTE: Duration = Duration::from_secs(60);

    fn at(seconds: u64, millis: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds) + Duration::from_millis(millis)
    }

    #[test]
    fn window_edges() {
        for now in [at(T, 0), at(T + 60, 0), at(T - 60, 0), at(T + 59, 999)] {
            assert_eq!(check_window(T, now, MINUTE), Ok(()), "{now:?}");
        }
        assert!(matches!(
            check_window(T, at(T + 60, 1), MINUTE),
            Err(ReceiveError::RequestTimeTooOld { .. })
        ));
        assert!(matches!(
            check_window(T, at(T - 61, 999), MINUTE),
            Err(ReceiveError::RequestTimeInFuture { .. })
        ));
        assert_eq!(
            check_window(T, at(T + 61, 0), MINUTE),
            Err(ReceiveError::RequestTimeTooOld {
                request_time: T,
                now: T + 61,
                tolerance: MINUTE
            })
        );
        assert_eq!(
            check_window(T, at(T - 61, 0), MINUTE),
            Err(ReceiveError::RequestTimeInFuture {
                request_time: T,
                now: T - 61,
                tolerance: MINUTE
            })
        );
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        assert!(check_window(u64::MAX, at(T, 0), MINUTE).is_err());
        assert!(check_window(0, at(T, 0), MINUTE).is_err());
        assert!(check_window(T, UNIX_EPOCH - Duration::from_secs(5), MINUTE).is_err());
        assert_eq!(
            check_window(30, UNIX_EPOCH - Duration::from_secs(5), MINUTE),
            Ok(())
        );
        assert_eq!(check_window(T, at(T + 10, 0), Duration::MAX), Ok(()));
        assert!(check_window(T, at(T, 1), Duration::ZERO).is_err());
        assert_eq!(check_window(T, at(T, 0), Duration::ZERO), Ok(()));
    }

    #[test]
    fn request_time_is_1_to_20_digits_within_u64() {
        assert_eq!(unix_seconds("1669872112"), Some(T));
        assert_eq!(unix_seconds("0001669872112"), Some(T));
        assert_eq!(unix_seconds("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "18446744073709551616",
            "+1669872112",
            "1669872112.0",
            " 1",
            "1e9",
            "٣",
        ] {
            assert_eq!(unix_seconds(bad), None, "{bad:?}");
        }
    }
}
