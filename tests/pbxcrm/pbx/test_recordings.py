"""Recording links: signed, expiring, served with byte ranges; anything else refused."""

from __future__ import annotations

import time
from urllib.parse import unquote

import pytest

from pbxcrm.pbx import recordings

NAME = "20240305140709-1700000000.101-14155550100-1001-Inbound.wav"


@pytest.fixture
def recording(settings, tmp_path):
    settings.RECORDINGS_DIR = tmp_path
    settings.PUBLIC_URL = "https://pbx.example.com/"
    (tmp_path / NAME).write_bytes(bytes(range(256)) * 4)
    return tmp_path / NAME


def token_of(link: str) -> str:
    return unquote(link.rstrip("/").rsplit("/", 1)[1])


def test_a_link_is_absolute_under_the_public_url(recording):
    assert recordings.link(NAME).startswith("https://pbx.example.com/pbx/recordings/")


def test_a_link_leads_to_its_recording(recording):
    assert recordings.resolve(token_of(recordings.link(NAME))) == recording.resolve()


def test_a_link_for_another_file_name_is_refused(recording):
    token = token_of(recordings.link(NAME)).replace("Inbound", "Outbound")
    with pytest.raises(recordings.RecordingRefused, match="not valid"):
        recordings.resolve(token)


def test_an_expired_link_is_refused(recording, settings, monkeypatch):
    settings.RECORDING_LINK_SECONDS = 60
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 120)
    old = recordings.link(NAME)
    monkeypatch.setattr(time, "time", real)
    with pytest.raises(recordings.RecordingRefused, match="expired"):
        recordings.resolve(token_of(old))


def test_a_signed_name_outside_the_folder_is_refused(recording):
    from django.core import signing

    forged = signing.TimestampSigner(salt="pbxcrm.recordings").sign("../secret_key")
    with pytest.raises(recordings.RecordingRefused, match="not in the recordings folder"):
        recordings.resolve(forged)


def test_no_recording_gives_no_link():
    assert recordings.link("") == ""


@pytest.mark.parametrize(("header", "span"), [
    (None, None), ("bytes=0-99", (0, 99)), ("bytes=1000-", (1000, 1023)), ("bytes=-24", (1000, 1023)),
    ("bytes=1000-5000", (1000, 1023)), ("bytes=0-1,5-9", None), ("items=0-1", None),
])
def test_a_range_header_gives_the_inclusive_span(header, span):
    assert recordings.byte_range(header, 1024) == span


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=9-3", "bytes=-0"])
def test_a_range_past_the_end_cannot_be_satisfied(header):
    with pytest.raises(ValueError):
        recordings.byte_range(header, 1024)


def test_the_portal_serves_a_range_and_refuses_an_unsatisfiable_one(recording, client, db):
    path = "/" + recordings.link(NAME).split("/", 3)[3]
    part = client.get(path, HTTP_RANGE="bytes=10-19")
    assert (part.status_code, part["Content-Range"]) == (206, "bytes 10-19/1024")
    assert b"".join(part.streaming_content) == bytes(range(10, 20))
    assert client.get(path, HTTP_RANGE="bytes=5000-").status_code == 416
    assert client.get(path.replace("Inbound", "Outbound")).status_code == 403
