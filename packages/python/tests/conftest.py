"""Shared helpers of the package's tests. They run against the installed package (the tests
install the built wheel into a new virtual environment), never against src/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from trtc_live_webhooks import sign

SDK_APP_ID = "1400000000"
TOKEN = "xxxxyyyy"
REQUEST_TIME = 1669872112
DOCUMENTED_SIGN = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
COMMAND_WORDS = PACKAGE_DIR.parents[1] / "schemas" / "command-words.json"


def delivered_command_words() -> list[str]:
    """The words of the repository's command list that Tencent delivers, sorted."""
    rows = json.loads(COMMAND_WORDS.read_text(encoding="utf-8"))["command_words"]
    return sorted(row["command"] for row in rows if row["delivered"])

# Tencent's End Battle sample (without its comments): two owners beyond 2^53.
END_BATTLE = json.dumps(
    {
        "CallbackCommand": "Live.CallbackAfterEndBattle",
        "BattleId": "battle-1",
        "Duration": 30000,
        "CreateTime": 1739956115,
        "StartTime": 1739956115,
        "EndTime": 1739956145,
        "OpType": 0,
        "FromRoomInfo": {"RoomId": "pk-3", "Score": 2, "Owner_Account": 144115245353757792},
        "ToRoomList": [{"RoomId": "pk-4", "Score": 1, "Owner_Account": 144115245442327522}],
        "EventTime": 1739956146119,
    }
)

GIFT = json.dumps(
    {
        "CallbackCommand": "Live.CallbackBeforeSendGift",
        "Operator_Account": "viewer_1",
        "RoomId": "room-1",
        "GiftWater": {
            "From_Account": "viewer_1",
            "To_Account": ["anchor_1"],
            "Time": 1669872111,
            "GiftId": "rose",
            "Count": 1,
            "Coins": 10,
        },
    }
)


def signed_query(command: str, request_time: int = REQUEST_TIME, token: str = TOKEN) -> str:
    """The query string Tencent appends for ``command``, signed at ``request_time``."""
    time = str(request_time)
    return (
        f"SdkAppid={SDK_APP_ID}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1"
        f"&OptPlatform=RESTAPI&Sign={sign(token, time)}&RequestTime={time}"
    )


@pytest.fixture
def repo_root() -> Path:
    """The repository, when the tests run from it (skipped from an sdist)."""
    root = Path(os.environ.get("TRTC_REPO_ROOT", PACKAGE_DIR.parents[1]))
    if not (root / "schemas").is_dir():
        pytest.skip("not run from the repository")
    return root
