"""A FastAPI app receiving TRTC Live webhooks: run with `uvicorn fastapi_app:app`."""

import os

from fastapi import FastAPI

from trtc_live_webhooks import Answer, Delivery, Receiver
from trtc_live_webhooks.fastapi import webhook_router
from trtc_live_webhooks.models import LiveCallbackAfterEndBattle, LiveCallbackBeforeSendGift

receiver = Receiver("1400000000", token=os.environ["TRTC_WEBHOOK_TOKEN"])


async def on_webhook(delivery: Delivery) -> Answer | None:
    match delivery.webhook:
        case LiveCallbackBeforeSendGift(GiftWater=gift) if gift.Coins > 100_000:
            return Answer.reject_gift("gift too expensive")
        case LiveCallbackAfterEndBattle(FromRoomInfo=room):
            print("battle ended; owner", room.Owner_Account)  # an exact int or a str
    return None  # OK; the gift allowed, the message sent unchanged


app = FastAPI()
app.include_router(webhook_router(receiver, on_webhook, path="/webhook"))
