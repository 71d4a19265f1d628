"""The FastAPI router (the README's example app), a FastAPI route taking the models as its body,
and the WSGI and ASGI applications, each under a test client."""

import importlib.util
import io
import json
import time
from wsgiref.util import setup_testing_defaults

import pytest
from conftest import END_BATTLE, GIFT, PACKAGE_DIR, SDK_APP_ID, TOKEN, signed_query
from fastapi import FastAPI
from fastapi.testclient import TestClient

from trtc_live_webhooks import Answer, Receiver
from trtc_live_webhooks.asgi import asgi_app
from trtc_live_webhooks.models import Webhook
from trtc_live_webhooks.wsgi import wsgi_app


@pytest.fixture
def example_app(monkeypatch):
    monkeypatch.setenv("TRTC_WEBHOOK_TOKEN", TOKEN)
    spec = importlib.util.spec_from_file_location("fastapi_app", PACKAGE_DIR / "examples" / "fastapi_app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


def now_query(command, token=TOKEN):
    return signed_query(command, int(time.time()), token)


def test_the_readme_fastapi_app(example_app, capsys):
    client = TestClient(example_app)
    response = client.post(f"/webhook?{now_query('Live.CallbackAfterEndBattle')}", content=END_BATTLE)
    assert (response.status_code, response.content) == (200, b'{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}')
    assert response.headers["content-type"] == "application/json"
    assert "battle ended; owner 144115245353757792" in capsys.readouterr().out
    expensive = GIFT.replace('"Coins": 10', '"Coins": 100001')
    response = client.post(f"/webhook?{now_query('Live.CallbackBeforeSendGift')}", content=expensive)
    assert response.json() == {"ActionStatus": "OK", "ErrorCode": 1, "ErrorInfo": "gift too expensive"}
    response = client.post(f"/webhook?{now_query('Live.CallbackBeforeSendGift', 'wrong')}", content=GIFT)
    assert (response.status_code, response.json()["ErrorInfo"]) == (401, "Sign does not match")
    response = client.get(f"/webhook?{now_query('Live.CallbackAfterEndBattle')}")
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    response = client.post(
        f"/webhook?{now_query('Live.CallbackAfterEndBattle')}", content=b"x" * ((1 << 20) + 1)
    )
    assert response.status_code == 413


def test_a_fastapi_route_can_take_the_models_as_its_body_exactly():
    app = FastAPI()

    @app.post("/body")
    async def body(webhook: Webhook) -> dict:
        return {"type": type(webhook).__name__, "owner": str(webhook.ToRoomList[0].Owner_Account)}

    client = TestClient(app)
    u64_max = END_BATTLE.replace("144115245442327522", "18446744073709551615")
    response = client.post("/body", content=u64_max, headers={"content-type": "application/json"})
    assert response.json() == {"type": "LiveCallbackAfterEndBattle", "owner": "18446744073709551615"}
    for bad in ["144115245442327522.0", "18446744073709551616"]:
        text = END_BATTLE.replace("144115245442327522", bad)
        response = client.post("/body", content=text, headers={"content-type": "application/json"})
        assert response.status_code == 422, bad
    assert "LiveCallbackAfterEndBattle" in json.dumps(app.openapi())


def call_wsgi(app, method, query, body):
    environ = {"REQUEST_METHOD": method, "QUERY_STRING": query, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers):
        started.update(status=status, headers=dict(headers))

    body = b"".join(app(environ, start_response))
    return started["status"], started["headers"], body


def test_the_wsgi_application():
    received = []
    app = wsgi_app(Receiver(SDK_APP_ID, token=TOKEN), lambda d: received.append(d) or Answer.ok())
    status, headers, body = call_wsgi(app, "POST", now_query("Live.CallbackAfterEndBattle"), END_BATTLE.encode())
    assert (status, body) == ("200 OK", b'{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}')
    assert headers["Content-Length"] == str(len(body))
    assert received[0].webhook.ToRoomList[0].Owner_Account == 144115245442327522
    status, headers, body = call_wsgi(app, "POST", now_query("Live.CallbackAfterEndBattle", "wrong"), END_BATTLE.encode())
    assert status == "401 Unauthorized" and len(received) == 1


def test_the_asgi_application_with_a_sync_and_an_async_handler():
    async def decide(delivery):
        return Answer.reject_gift("no")

    for handler in [decide, lambda delivery: Answer.reject_gift("no")]:
        client = TestClient(asgi_app(Receiver(SDK_APP_ID, token=TOKEN), handler))
        response = client.post(f"/any/path?{now_query('Live.CallbackBeforeSendGift')}", content=GIFT)
        assert (response.status_code, response.content) == (200, b'{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"no"}')
        response = client.post(f"/?SdkAppid=1", content=GIFT)
        assert response.status_code == 403
