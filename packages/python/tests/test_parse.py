"""parse_webhook and the models: exact numbers, every error located, the Rust verdicts."""

import json

import pytest
from conftest import END_BATTLE, GIFT
from pydantic import TypeAdapter, ValidationError

from trtc_live_webhooks import WebhookError, WebhookWarning, parse_response, parse_webhook
from trtc_live_webhooks.models import (
    REQUEST_MODELS,
    BattleRoomResult,
    GroupCallbackAfterSendMsg,
    LiveCallbackAfterEndBattle,
    Webhook,
    WebhookUrlParameters,
)


def test_a_packet_is_typed_and_its_account_ids_exact():
    battle = parse_webhook(END_BATTLE.encode())
    assert isinstance(battle, LiveCallbackAfterEndBattle)
    assert isinstance(battle.FromRoomInfo, BattleRoomResult)
    assert battle.FromRoomInfo.Owner_Account == 144115245353757792
    assert battle.ToRoomList[0].Owner_Account == 144115245442327522
    assert parse_webhook(END_BATTLE) == battle
    assert json.loads(battle.model_dump_json(exclude_unset=True)) == json.loads(END_BATTLE)


def test_unknown_members_are_kept_and_dumped_again():
    packet = json.loads(END_BATTLE)
    packet["NewMember"] = {"n": 18446744073709551615}
    battle = parse_webhook(json.dumps(packet))
    assert battle.model_extra == {"NewMember": {"n": 18446744073709551615}}
    assert battle.model_dump(mode="json", exclude_unset=True) == packet


def test_every_violation_is_reported_with_pointer_and_keyword():
    packet = json.loads(END_BATTLE)
    del packet["BattleId"]
    packet["OpType"] = -1
    packet["ToRoomList"][0]["RoomId"] = None
    with pytest.raises(WebhookError) as caught:
        parse_webhook(json.dumps(packet))
    error = caught.value
    assert error.command == "Live.CallbackAfterEndBattle" and not error.malformed
    assert [(e.pointer, e.keyword, e.kind) for e in error.errors] == [
        ("", "required", "schema"),
        ("/OpType", "anyOf", "schema"),
        ("/ToRoomList/0/RoomId", "type", "schema"),
    ]
    assert "BattleId" in error.errors[0].message


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '{"CallbackCommand": ',
        "\ufeff{}",
        '{"a": NaN}',
        '{"a": Infinity}',
        '{"a": 1e400}',
        '{"a": "\\ud800"}',
        '{"a": ' + "[" * 127 + "]" * 127 + "}",  # 128 levels with the packet's own
        "{} {}",
    ],
)
def test_text_the_rust_validator_does_not_read_is_malformed(text):
    with pytest.raises(WebhookError) as caught:
        parse_webhook(text)
    assert caught.value.malformed, text
    assert caught.value.errors[0].kind == "syntax"


def test_bytes_must_be_utf8_without_a_byte_order_mark():
    for body in [b"\xff{}", b"\xef\xbb\xbf{}", '{"a": "é"}'.encode("latin-1")]:
        with pytest.raises(WebhookError) as caught:
            parse_webhook(body)
        assert caught.value.malformed


def test_nesting_up_to_127_levels_is_read():
    packet = json.loads(END_BATTLE)
    text = json.dumps(packet)[:-1] + ', "deep": ' + "[" * 126 + "]" * 126 + "}"
    deep = parse_webhook(text).model_extra["deep"]
    levels = 0
    while isinstance(deep, list):
        levels, deep = levels + 1, deep[0] if deep else None
    assert levels == 126


@pytest.mark.parametrize("number", ["30000.0", "3e4", "-0"])
def test_an_integer_written_as_a_float_is_a_decode_error(number):
    # Draft-07 counts 30000.0 as an integer; the typed model, like Rust's, does not.
    packet = END_BATTLE.replace('"Score": 2', f'"Score": {number}')
    with pytest.raises(WebhookError) as caught:
        parse_webhook(packet)
    assert [e.kind for e in caught.value.errors] == ["decode"]


def test_unknown_commands_are_reported_as_such():
    cases = {
        "[]": "",
        "{}": "",
        '{"CallbackCommand": 5}': "/CallbackCommand",
        '{"CallbackCommand": "Live.CallbackAfterNothing"}': "/CallbackCommand",
        '{"CallbackCommand": "Live.CallbackBeforeCallBackNotBlock"}': "/CallbackCommand",
    }
    for text, pointer in cases.items():
        with pytest.raises(WebhookError) as caught:
            parse_webhook(text)
        (issue,) = caught.value.errors
        assert (issue.kind, issue.pointer) == ("unknown_command", pointer), text
    with pytest.raises(WebhookError, match="configuration word"):
        parse_webhook('{"CallbackCommand": "Live.CallbackBeforeCallBackNotBlock"}')


def test_responses_are_checked_against_their_command():
    assert parse_response("Live.CallbackBeforeSendGift", '{"ActionStatus":"OK","ErrorCode":102150,"ErrorInfo":""}')
    with pytest.raises(WebhookError):
        parse_response("Live.CallbackBeforeSendGift", '{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}')
    with pytest.raises(WebhookError):  # a rewrite only with ErrorCode 0 (dependencies)
        parse_response("Group.CallbackBeforeSendMsg", '{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"","MsgBody":[]}')


def test_the_union_is_discriminated_and_exact_in_pydantic_json_mode_too():
    adapter = TypeAdapter(Webhook)
    for read in (adapter.validate_json, lambda text: adapter.validate_python(json.loads(text))):
        battle = read(END_BATTLE)
        assert type(battle) is LiveCallbackAfterEndBattle
        assert battle.ToRoomList[0].Owner_Account == 144115245442327522
        u64_max = END_BATTLE.replace("144115245442327522", "18446744073709551615")
        assert read(u64_max).ToRoomList[0].Owner_Account == 18446744073709551615
        for bad in [
            END_BATTLE.replace("144115245442327522", "144115245442327522.0"),
            END_BATTLE.replace("144115245442327522", "18446744073709551616"),
            END_BATTLE.replace('"Duration": 30000', '"Duration": 30000.0'),
            END_BATTLE.replace('"OpType": 0', '"OpType": false'),
            END_BATTLE.replace('"OpType": 0', '"OpType": 0.0'),
            END_BATTLE.replace('"OpType": 0', '"OpType": "0"'),
            END_BATTLE.replace("Live.CallbackAfterEndBattle", "Live.CallbackAfterEndBattel"),
        ]:
            with pytest.raises(ValidationError):
                read(bad)
    assert len(REQUEST_MODELS) == 18


def test_an_optional_member_may_be_absent_but_not_null():
    model = REQUEST_MODELS["Live.CallbackAfterCreateRoom"]
    packet = {
        "CallbackCommand": "Live.CallbackAfterCreateRoom",
        "Operator_Account": "u",
        "RoomInfo": {"RoomId": "r"},
    }
    created = model.model_validate(packet)
    assert created.EventTime is None and "EventTime" not in created.model_dump(exclude_unset=True)
    with pytest.raises(ValidationError):
        model.model_validate({**packet, "EventTime": None})


def test_no_model_has_a_numbered_name():
    import re

    import trtc_live_webhooks.models as models

    numbered = [name for name in models.__all__ if re.search(r"\d+$", name)]
    assert numbered == []


# A room message as captured in 2019, before Tencent added EventTime and MsgId to the packet.
MESSAGE_2019 = {
    "CallbackCommand": "Group.CallbackAfterSendMsg", "GroupId": "@TGS#1", "Type": "Public",
    "From_Account": "a", "Operator_Account": "a", "Random": 1, "MsgSeq": 2,
    "MsgTime": 1567032819, "MsgBody": [],
}


def test_an_older_revision_is_valid_and_a_recent_packet_without_its_members_is_not():
    message = parse_webhook(json.dumps(MESSAGE_2019))
    assert isinstance(message, GroupCallbackAfterSendMsg)
    assert message.MsgId is None and message.EventTime is None
    # Tencent sends EventTime since 2022-07-12T07:51:09.059Z: one second later, it is required.
    recent = dict(MESSAGE_2019, MsgTime=1657612270)
    with pytest.raises(WebhookError) as caught:
        parse_webhook(json.dumps(recent))
    assert [(e.pointer, e.keyword) for e in caught.value.errors] == [("", "required")]
    # The model says the same without the schema, from whichever clock the packet carries.
    for packet in (recent, dict(MESSAGE_2019, EventTime="1727580296000")):
        with pytest.raises(ValidationError, match="Tencent sends it since"):
            GroupCallbackAfterSendMsg.model_validate(packet)
    GroupCallbackAfterSendMsg.model_validate(dict(MESSAGE_2019, MsgTime=1657612269))
    GroupCallbackAfterSendMsg.model_validate(dict(MESSAGE_2019, EventTime=1727580295999))


def test_a_new_value_of_an_open_enumeration_is_accepted():
    packet = json.loads(END_BATTLE)
    packet["OpType"] = 3
    assert parse_webhook(json.dumps(packet)).OpType == 3
    parameters = {"SdkAppid": "1", "WebhookCommand": "Live.CallbackAfterEndBattle",
                  "OptPlatform": "HarmonyOS", "RequestID": "80b98a8d-b1f9-4ea0-9320-22cc0dd0d8f2"}
    assert WebhookUrlParameters.model_validate(parameters).OptPlatform == "HarmonyOS"
    with pytest.raises(ValidationError, match=r"'CallbackCommand' \(or 'WebhookCommand'\) is a required property"):
        WebhookUrlParameters.model_validate({"SdkAppid": "1"})


def test_a_violation_of_an_open_enumeration_is_one_issue_said_as_rust_says_it():
    for value, expected in [
        (-1, ("anyOf", "-1 is not a BattleEndReason: an integer from 0 to 9007199254740991 (known: 0, 1, 2; another is accepted with a warning)")),
        (9007199254740992, ("anyOf", "9007199254740992 is not a BattleEndReason: an integer from 0 to 9007199254740991 (known: 0, 1, 2; another is accepted with a warning)")),
        ("0", ("type", "'0' is not of type 'integer'")),
    ]:
        packet = json.loads(END_BATTLE)
        packet["OpType"] = value
        with pytest.raises(WebhookError) as caught:
            parse_webhook(json.dumps(packet))
        assert [(e.keyword, e.message) for e in caught.value.errors if e.pointer == "/OpType"] == [expected]


def test_counts_coins_and_times_are_bounded_within_2_pow_53():
    packet = json.loads(GIFT)
    packet["GiftWater"]["Coins"] = packet["GiftWater"]["Count"] = 9007199254740991
    gift = parse_webhook(json.dumps(packet))
    assert gift.GiftWater.Coins * gift.GiftWater.Count == 9007199254740991**2
    for member in ("Coins", "Count", "Time"):
        beyond = json.loads(GIFT)
        beyond["GiftWater"][member] = 9007199254740992
        with pytest.raises(WebhookError) as caught:
            parse_webhook(json.dumps(beyond))
        assert [(e.pointer, e.keyword) for e in caught.value.errors] == [(f"/GiftWater/{member}", "maximum")]
    # A message's sequence number stays 64-bit.
    message = dict(MESSAGE_2019, MsgSeq=18446744073709551615)
    assert parse_webhook(json.dumps(message)).MsgSeq == 18446744073709551615


def test_warnings_of_a_valid_packet_are_heard_in_the_rust_order():
    heard = []
    packet = json.loads(END_BATTLE)
    packet["OpType"] = 3
    parse_webhook(json.dumps(packet), on_warning=heard.append)
    assert heard == [
        WebhookWarning(
            "unknown_enum_value",
            "/OpType",
            "3 is not a known value of BattleEndReason (0, 1, 2): accepted, as Tencent may have added it",
        )
    ]
    heard.clear()
    parse_webhook(json.dumps(MESSAGE_2019), on_warning=heard.append)
    assert [(w.kind, w.pointer) for w in heard] == [("older_revision", "/MsgId"), ("older_revision", "/EventTime")]
    assert heard[0].message == (
        "MsgId is missing: Tencent sends it since 2024-09-29T03:24:56Z, and this packet's MsgTime "
        "(2019-08-28T22:53:39.000Z) is before that: an older revision of the packet"
    )
    heard.clear()
    packet = json.loads(END_BATTLE)
    packet["EndTime"] = packet["StartTime"] - 15
    parse_webhook(json.dumps(packet), on_warning=heard.append)
    assert [(w.kind, w.check, w.pointer) for w in heard] == [("semantic", "battle-time-order", "/EndTime")]
    # Without a listener the packet is read all the same.
    assert parse_webhook(json.dumps(MESSAGE_2019)).MsgTime == 1567032819
