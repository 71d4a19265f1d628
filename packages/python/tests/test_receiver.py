"""The receiver: the order of the checks, the answers, the policies, the token kept secret."""

import json

import pytest
from conftest import DOCUMENTED_SIGN, END_BATTLE, GIFT, REQUEST_TIME, SDK_APP_ID, TOKEN, signed_query

from trtc_live_webhooks import (
    Answer,
    InvalidBeforeWebhookPolicy,
    ReceiveError,
    Receiver,
    Rejection,
)
from trtc_live_webhooks.models import LiveCallbackAfterEndBattle

NOW = REQUEST_TIME + 3


def receiver(policy=InvalidBeforeWebhookPolicy.FAIL_DELIVERY):
    return Receiver(SDK_APP_ID, token=TOKEN, max_body_bytes=4096, invalid_before_webhook=policy)


def test_the_documented_request_is_delivered_typed_and_exact():
    query = (
        f"SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&contenttype=json"
        f"&ClientIP=127.0.0.1&OptPlatform=iOS&Sign={DOCUMENTED_SIGN}&RequestTime={REQUEST_TIME}"
    )
    delivery = receiver().receive("POST", query, END_BATTLE.encode(), now=NOW)
    assert delivery.command == "Live.CallbackAfterEndBattle"
    assert isinstance(delivery.webhook, LiveCallbackAfterEndBattle)
    assert delivery.webhook.ToRoomList[0].Owner_Account == 144115245442327522
    assert delivery.parameters.OptPlatform == "iOS"
    assert delivery.parameters.Sign == DOCUMENTED_SIGN
    assert delivery.body == END_BATTLE.encode()
    assert delivery.warnings == ()


def test_a_delivery_carries_its_warnings_the_urls_first():
    query = signed_query("Live.CallbackAfterEndBattle").replace("OptPlatform=RESTAPI", "OptPlatform=HarmonyOS")
    body = END_BATTLE.replace('"OpType": 0', '"OpType": 3')
    delivery = receiver().receive("POST", query, body.encode(), now=NOW)
    assert [(w.kind, w.pointer, w.message) for w in delivery.warnings] == [
        (
            "unknown_enum_value",
            "/OptPlatform",
            '"HarmonyOS" is not a known value of OptPlatform ("RESTAPI", "Web", "Android", "iOS", '
            '"Windows", "Mac", "iPad", "Unknown"): accepted, as Tencent may have added it',
        ),
        (
            "unknown_enum_value",
            "/OpType",
            "3 is not a known value of BattleEndReason (0, 1, 2): accepted, as Tencent may have added it",
        ),
    ]


def rejection(query, body=END_BATTLE, method="POST", now=NOW, policy=InvalidBeforeWebhookPolicy.FAIL_DELIVERY):
    with pytest.raises(ReceiveError) as caught:
        receiver(policy).receive(method, query, body.encode(), now=now)
    return caught.value


def test_the_first_failed_check_in_the_documented_order_is_reported():
    t = REQUEST_TIME
    stale = t + 3600
    huge = "not json".ljust(5000)
    cases = [
        ("GET", "SdkAppid=1", huge, stale, Rejection.METHOD_NOT_ALLOWED),
        ("POST", "SdkAppid=1", huge, stale, Rejection.BODY_TOO_LARGE),
        ("POST", "SdkAppid=1&SdkAppid=2", "x", stale, Rejection.REPEATED_PARAMETER),
        ("POST", "SdkAppid=1", "x", stale, Rejection.SDK_APP_ID_MISMATCH),
        ("POST", f"SdkAppid={SDK_APP_ID}", "x", stale, Rejection.SIGN_MISSING),
        ("POST", f"SdkAppid={SDK_APP_ID}&Sign={'a' * 64}&RequestTime={t}", "x", stale, Rejection.SIGN_MISMATCH),
        ("POST", f"SdkAppid={SDK_APP_ID}&Sign={DOCUMENTED_SIGN}&RequestTime={t}", "x", stale, Rejection.REQUEST_TIME_TOO_OLD),
        ("POST", f"SdkAppid={SDK_APP_ID}&Sign={DOCUMENTED_SIGN}&RequestTime={t}", "x", NOW, Rejection.URL_PARAMETERS),
        ("POST", signed_query("Live.CallbackAfterStartBattle"), "x", NOW, Rejection.NOT_JSON),
        ("POST", signed_query("Live.CallbackAfterStartBattle"), '{"CallbackCommand": "X.Y"}', NOW, Rejection.UNKNOWN_COMMAND),
        ("POST", signed_query("Live.CallbackAfterStartBattle"), '{"CallbackCommand": "Live.CallbackAfterEndBattle"}', NOW, Rejection.COMMAND_MISMATCH),
        ("POST", signed_query("Live.CallbackAfterEndBattle"), '{"CallbackCommand": "Live.CallbackAfterEndBattle"}', NOW, Rejection.SCHEMA),
    ]
    for method, query, body, now, expected in cases:
        error = rejection(query, body, method, now)
        assert error.rejection is expected, (expected, str(error))
        assert error.is_authenticated is (expected.status in (400, 422) and expected.value in {
            "UrlCommandConflict", "UrlParameters", "NotJson", "UnknownCommand", "CommandMismatch", "Schema"})


def test_webhook_command_is_accepted_in_place_of_callback_command():
    query = signed_query("Live.CallbackAfterEndBattle")
    newest_name = query.replace("CallbackCommand=", "WebhookCommand=")
    delivery = receiver().receive("POST", newest_name, END_BATTLE.encode(), now=NOW)
    assert delivery.command == "Live.CallbackAfterEndBattle"
    assert delivery.parameters.WebhookCommand == "Live.CallbackAfterEndBattle"
    both = query + "&WebhookCommand=Live.CallbackAfterEndBattle"
    assert receiver().receive("POST", both, END_BATTLE.encode(), now=NOW).command == "Live.CallbackAfterEndBattle"
    error = rejection(query + "&WebhookCommand=Live.CallbackAfterStartBattle")
    assert error.rejection is Rejection.URL_COMMAND_CONFLICT
    assert error.is_authenticated
    assert error.rejection.status == 400


def test_the_whitespace_around_the_token_is_removed():
    query = signed_query("Live.CallbackAfterEndBattle")
    padded = Receiver(SDK_APP_ID, token=f" {TOKEN}\r\n", max_body_bytes=4096)
    assert padded.receive("POST", query, END_BATTLE.encode(), now=NOW).command == "Live.CallbackAfterEndBattle"
    with pytest.raises(ValueError):
        Receiver(SDK_APP_ID, token=" \n")


def test_every_rejection_is_answered_with_its_status_and_a_fail_packet():
    error = rejection(signed_query("Live.CallbackAfterEndBattle"), now=REQUEST_TIME + 61)
    response = receiver().response_for(error)
    assert (response.status, response.body) == (
        401,
        b'{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"RequestTime too old"}',
    )
    assert str(error) == (
        "RequestTime 1669872112 is 61 s before the receiver's clock (1669872173), more than the 60 s allowed"
    )
    response = receiver().response_for(rejection("", method="GET"))
    assert (response.status, response.header("allow")) == (405, "POST")


def test_a_genuine_but_invalid_gift_gets_the_policys_answer():
    query = signed_query("Live.CallbackBeforeSendGift")
    body = GIFT.replace('"Coins": 10', '"Coins": -1')
    answers = {
        InvalidBeforeWebhookPolicy.FAIL_DELIVERY: (422, b'{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"packet does not match its schema"}'),
        InvalidBeforeWebhookPolicy.ALLOW: (200, b'{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}'),
        InvalidBeforeWebhookPolicy.REFUSE: (200, b'{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"packet does not match its schema"}'),
    }
    for policy, expected in answers.items():
        response = receiver(policy).response_for(rejection(query, body, policy=policy))
        assert (response.status, response.body) == expected, policy


def test_respond_runs_the_handler_and_checks_that_its_answer_fits():
    query = signed_query("Live.CallbackBeforeSendGift")
    response = receiver().respond("POST", query, GIFT.encode(), lambda d: Answer.reject_gift("no", 102100), now=NOW)
    assert (response.status, response.body) == (200, b'{"ActionStatus":"OK","ErrorCode":102100,"ErrorInfo":"no"}')
    response = receiver().respond("POST", query, GIFT.encode(), lambda d: None, now=NOW)
    assert json.loads(response.body)["ErrorCode"] == 0
    response = receiver().respond("POST", query, GIFT.encode(), lambda d: Answer.drop_message(), now=NOW)
    assert (response.status, response.body) == (
        500,
        b'{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"a message decision cannot answer Live.CallbackBeforeSendGift"}',
    )


def test_decision_codes_out_of_range_are_refused():
    for build in [lambda: Answer.reject_gift("x", 2), lambda: Answer.reject_gift("x", 102201), lambda: Answer.forbid_message("x", 10099), lambda: Answer.forbid_message("x", True)]:
        with pytest.raises(ValueError):
            build()


def test_the_token_never_shows():
    text = repr(receiver())
    assert TOKEN not in text and "***" in text
    error = rejection(signed_query("Live.CallbackAfterEndBattle", token="wrong"))
    assert error.rejection is Rejection.SIGN_MISMATCH and TOKEN not in str(error)


def test_bad_configurations_are_refused():
    for sdk_app_id in ["", "14000abc", "1400000000 ", "1" * 21]:
        with pytest.raises(ValueError):
            Receiver(sdk_app_id)
    with pytest.raises(ValueError):
        Receiver(SDK_APP_ID, token="")
    with pytest.raises(ValueError):
        Receiver(SDK_APP_ID, max_body_bytes=0)


def test_without_a_token_sign_and_time_are_not_checked():
    plain = Receiver(SDK_APP_ID)
    stale = f"SdkAppid={SDK_APP_ID}&CallbackCommand=Live.CallbackAfterEndBattle&Sign={'0' * 64}&RequestTime=1000"
    assert plain.receive("POST", stale, END_BATTLE.encode(), now=NOW).command == "Live.CallbackAfterEndBattle"
