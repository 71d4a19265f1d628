"""Tencent's signature: the documented vector, the window, the comparison."""

import time

import pytest
from conftest import DOCUMENTED_SIGN, REQUEST_TIME, TOKEN

from trtc_live_webhooks import sign, trim_token, verify_signature


def test_the_documented_vector():
    assert sign(TOKEN, str(REQUEST_TIME)) == DOCUMENTED_SIGN
    assert verify_signature(TOKEN, "1669872112", DOCUMENTED_SIGN, now=1669872112 + 3)


def test_the_window_is_60_seconds_either_way_edges_included():
    t = REQUEST_TIME
    for now, accepted in [
        (t, True),
        (t + 60, True),
        (t - 60, True),
        (t + 60.001, False),
        (t - 60.001, False),
        (t + 61, False),
        (t - 61, False),
    ]:
        assert verify_signature(TOKEN, str(t), DOCUMENTED_SIGN, now=now) is accepted, now


def test_hexadecimal_case_is_ignored_and_anything_else_refused():
    now = REQUEST_TIME
    assert verify_signature(TOKEN, str(now), DOCUMENTED_SIGN.upper(), now=now)
    for bad in [
        "",
        DOCUMENTED_SIGN[:63],
        DOCUMENTED_SIGN + "0",
        DOCUMENTED_SIGN[:63] + "0",
        "g" * 64,
        " " + DOCUMENTED_SIGN[1:],
        DOCUMENTED_SIGN[:63] + "\u00e9",
        sign("xxxx yyyy", str(now)),
    ]:
        assert not verify_signature(TOKEN, str(now), bad, now=now), bad
    # The right signature of another time, and RequestTime that is not Unix seconds.
    assert not verify_signature(TOKEN, str(now + 1), DOCUMENTED_SIGN, now=now)
    for request_time in ["", "1669872112.0", "-1", "18446744073709551616", "١٦٦٩٨٧٢١١٢"]:
        assert not verify_signature(TOKEN, request_time, sign(TOKEN, request_time), now=now)


def test_the_clock_is_the_system_clock_by_default():
    now = str(int(time.time()))
    assert verify_signature(TOKEN, now, sign(TOKEN, now))
    assert not verify_signature(TOKEN, "1669872112", DOCUMENTED_SIGN)


def test_the_whitespace_around_the_token_is_not_part_of_it_as_in_rust_and_npm():
    # Unicode's White_Space, as Rust's str::trim and JavaScript's \p{White_Space} remove it.
    for token in [TOKEN + "\n", " \t" + TOKEN + "\r\n", "\u3000" + TOKEN, TOKEN + "\u00a0\u2028"]:
        assert trim_token(token) == TOKEN, repr(token)
        assert verify_signature(token, str(REQUEST_TIME), DOCUMENTED_SIGN, now=REQUEST_TIME), repr(token)
        assert sign(token, str(REQUEST_TIME)) == DOCUMENTED_SIGN
    # Inside the token, and characters that are not White_Space (str.strip() would remove
    # U+001C to U+001F; Rust and JavaScript keep them), the token differs.
    for token in ["xxxx yyyy", "\x1c" + TOKEN, TOKEN + "\x1f", "\ufeff" + TOKEN]:
        assert trim_token(token) != TOKEN, repr(token)
        assert not verify_signature(token, str(REQUEST_TIME), DOCUMENTED_SIGN, now=REQUEST_TIME), repr(token)
    # A token that is only whitespace is an empty one: refused, as by the Receiver.
    for token in ["", " \n"]:
        with pytest.raises(ValueError, match="the webhook token is empty"):
            verify_signature(token, str(REQUEST_TIME), DOCUMENTED_SIGN, now=REQUEST_TIME)
