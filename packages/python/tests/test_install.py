"""What is tested is the installed package, with its schemas and types."""

import sys
from importlib import resources
from importlib.metadata import version
from pathlib import Path

import trtc_live_webhooks
from trtc_live_webhooks import schemas


def test_the_installed_package_is_tested():
    assert Path(trtc_live_webhooks.__file__).resolve().is_relative_to(Path(sys.prefix).resolve())
    assert trtc_live_webhooks.__version__ == version("trtc-live-webhooks")


def test_the_schemas_and_the_type_marker_are_shipped():
    files = resources.files("trtc_live_webhooks")
    assert files.joinpath("py.typed").is_file()
    bundle = schemas.bundle()
    assert bundle["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "LiveCallbackAfterEndBattle" in bundle["definitions"]
    end_battle = schemas.request_schema("Live.CallbackAfterEndBattle")
    assert end_battle["allOf"] == [{"$ref": "#/definitions/LiveCallbackAfterEndBattle"}]
    assert "WebhookUrlParameters" in schemas.url_parameters_schema()["allOf"][0]["$ref"]
