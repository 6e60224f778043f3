"""The call simulator: realistic event sequences, posted to the intake over HTTP.

    calls = plan(count=10, seed=1, extensions=["1001", "1002"], callers=["+14155550100"])
    report = asyncio.run(post(calls, url, token, rate=5))

Each simulated call is the sequence a P-Series PBX sends (shared/spec/call-events.md):
30011 events as the members ring, answer and hang up, then one 30012. The kinds:
inbound answered (sometimes through a ring group), inbound missed by a ring group,
outbound, voicemail, and calls from unknown numbers; answered calls may be recorded.
Plain Python: ``manage.py simulate_calls``, the tests and the benchmark share it.
"""

from __future__ import annotations

import asyncio
import json
import random
import struct
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx

KINDS = ("inbound_answered", "inbound_missed_group", "outbound", "voicemail", "unknown_caller")
RING_GROUP = "6300"
DID = "5551000"
TRUNK = "SIP-Trunk-1"


@dataclass
class SimulatedCall:
    kind: str
    call_id: str
    external: str
    extensions: list[str]  # the extensions that ring (inbound) or the one that dials
    answered_by: str = ""
    recording: str = ""
    events: list[tuple[float, dict]] = field(default_factory=list)  # (seconds after the call began, event)

    @property
    def record(self) -> dict:
        return json.loads(self.events[-1][1]["msg"])


def plan(count: int, *, seed: int = 0, extensions: list[str], callers: list[str], kinds: tuple[str, ...] = KINDS,
         pace: float = 0.5, recorded: float = 0.5, sn: str = "3631A2124XXX", start: datetime | None = None) -> list[SimulatedCall]:
    """``count`` calls, the kinds taken in turn, everything else drawn from ``seed``.
    ``pace`` is the time between two events of a call; ``recorded`` the share of
    answered calls with a recording."""
    if not extensions:
        raise ValueError("no extensions to call: add some (Extension and Trunk › Extensions)")
    rng = random.Random(seed)
    begin = start or datetime.now().replace(microsecond=0)
    prefix = f"{int(time.time())}{rng.randrange(1000, 9999)}"
    calls = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        known = kind != "unknown_caller" and callers
        external = rng.choice(callers) if known else f"+1415{rng.randrange(2000000, 9999999)}"
        call = SimulatedCall(kind, f"{prefix}.{index + 1}", external, [])
        when = begin + timedelta(seconds=index)
        if kind == "outbound":
            _outbound(call, rng.choice(extensions), rng, pace, when, sn, recorded)
        else:
            _inbound(call, extensions, rng, pace, when, sn, recorded)
        calls.append(call)
    return calls


def _event(kind: int, sn: str, msg: dict) -> dict:
    # Real PBXs send msg as a JSON string.
    return {"type": kind, "sn": sn, "msg": json.dumps(msg, separators=(",", ":"))}


def _members(call: SimulatedCall, external: dict, statuses: dict[str, str]) -> dict:
    members = [external] + [
        {"extension": {"number": n, "channel_id": f"PJSIP/{n}-{i:04d}", "member_status": s, "call_path": ""}}
        for i, (n, s) in enumerate(statuses.items())
    ]
    return {"call_id": call.call_id, "members": members}


def _record(call: SimulatedCall, when: datetime, call_from: str, call_to: str, status: str, kind: str,
            duration: int, talk: int) -> dict:
    return {
        "call_id": call.call_id, "time_start": when.strftime("%Y-%m-%d %H:%M:%S"), "call_from": call_from,
        "call_to": call_to, "call_duration": duration, "talk_duration": talk,
        "src_trunk_name": TRUNK if kind == "Inbound" else "", "dst_trunk_name": TRUNK if kind == "Outbound" else "",
        "status": status, "type": kind, "recording": call.recording, "did_number": DID if kind == "Inbound" else "",
        "agent_ring_time": 0, "uid": f"{when:%Y%m%d%H%M%S}{call.call_id[-5:]}",
    }


def _inbound(call: SimulatedCall, extensions: list[str], rng: random.Random, pace: float, when: datetime,
             sn: str, recorded: float) -> None:
    group = call.kind == "inbound_missed_group" or (call.kind == "inbound_answered" and rng.random() < 0.3)
    ringing = rng.sample(extensions, min(len(extensions), 3 if group else 1))
    call.extensions = ringing
    trunk = {"from": call.external, "to": DID, "trunk_name": TRUNK, "channel_id": "PJSIP/trunk-0001"}
    ext = {"inbound": {**trunk, "member_status": "ALERT"}}
    steps = [(0.0, _members(call, ext, dict.fromkeys(ringing, "RING")))]
    answered = call.kind in ("inbound_answered", "unknown_caller")
    talk = rng.randrange(20, 300) if answered else 0
    if answered:
        call.answered_by = rng.choice(ringing)
        call.recording = _recording_name(call, when, "Inbound") if rng.random() < recorded else ""
        up = {"inbound": {**trunk, "member_status": "ANSWERED"}}
        statuses = {n: ("ANSWER" if n == call.answered_by else "BYE") for n in ringing}
        steps.append((pace, _members(call, up, statuses)))
    end = {"inbound": {**trunk, "member_status": "BYE"}}
    steps.append((2 * pace, _members(call, end, dict.fromkeys(ringing, "BYE"))))
    status = "ANSWERED" if answered else ("VOICEMAIL" if call.kind == "voicemail" else "NO ANSWER")
    to = call.answered_by or (RING_GROUP if len(ringing) > 1 else ringing[0])
    record = _record(call, when, call.external, to, status, "Inbound", talk + rng.randrange(3, 20), talk)
    call.events = [(t, _event(30011, sn, m)) for t, m in steps] + [(3 * pace, _event(30012, sn, record))]


def _outbound(call: SimulatedCall, extension: str, rng: random.Random, pace: float, when: datetime, sn: str,
              recorded: float) -> None:
    call.extensions = [extension]
    call.answered_by = extension
    call.recording = _recording_name(call, when, "Outbound") if rng.random() < recorded else ""
    far = {"from": extension, "to": call.external, "trunk_name": TRUNK, "channel_id": "PJSIP/trunk-0002"}
    talk = rng.randrange(20, 300)
    steps = [
        (0.0, _members(call, {"outbound": {**far, "member_status": "RING"}}, {extension: "ALERT"})),
        (pace, _members(call, {"outbound": {**far, "member_status": "ANSWER"}}, {extension: "ANSWERED"})),
        (2 * pace, _members(call, {"outbound": {**far, "member_status": "BYE"}}, {extension: "BYE"})),
    ]
    record = _record(call, when, extension, call.external, "ANSWERED", "Outbound", talk + 5, talk)
    call.events = [(t, _event(30011, sn, m)) for t, m in steps] + [(3 * pace, _event(30012, sn, record))]


def _recording_name(call: SimulatedCall, when: datetime, kind: str) -> str:
    digits = "".join(ch for ch in call.external if ch.isdigit())
    return f"{when:%Y%m%d%H%M%S}-{call.call_id}-{digits}-{kind}.wav"


def write_recordings(calls: list[SimulatedCall], folder: Path, seconds: float = 1.0) -> list[Path]:
    """What the PBX would have recorded: a short 8 kHz tone per recorded call."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for call in calls:
        if not call.recording:
            continue
        path = folder / call.recording
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(8000)
            frames = int(8000 * seconds)
            out.writeframes(b"".join(struct.pack("<h", (i % 40 - 20) * 800) for i in range(frames)))
        written.append(path)
    return written


@dataclass
class Report:
    posted: int = 0
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds per accepted post
    first_sent: dict[str, float] = field(default_factory=dict)  # call id → perf_counter() as its first event left


async def post(calls: list[SimulatedCall], url: str, token: str, *, rate: float = 5.0,
               on_posted: Callable[[SimulatedCall, dict], None] | None = None,
               client: httpx.AsyncClient | None = None) -> Report:
    """Post every call's events to ``url`` (…/pbx/events), a new call every 1/``rate``
    seconds, each call's events at their own times."""
    report = Report()
    own = client is None
    client = client or httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=200))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    began = time.perf_counter()
    # httpx's pool slows down badly with thousands of requests waiting on it: at most
    # this many are in flight, the others wait here.
    in_flight = asyncio.Semaphore(64)

    async def one(call: SimulatedCall, offset: float) -> None:
        for at, event in call.events:
            delay = began + offset + at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            async with in_flight:
                sent = time.perf_counter()
                report.first_sent.setdefault(call.call_id, sent)
                try:
                    answer = await client.post(url, content=json.dumps(event), headers=headers)
                except httpx.HTTPError as err:
                    answer = err
            if isinstance(answer, httpx.HTTPError):
                report.refused.append(f"{call.call_id}: {type(answer).__name__}")
                continue
            if answer.status_code // 100 == 2:
                report.posted += 1
                report.latencies.append(time.perf_counter() - sent)
                if on_posted is not None:
                    on_posted(call, event)
            else:
                report.refused.append(f"{call.call_id}: HTTP {answer.status_code} {answer.text[:200]}")

    try:
        await asyncio.gather(*(one(call, index / rate if rate > 0 else 0) for index, call in enumerate(calls)))
    finally:
        if own:
            await client.aclose()
    report.seconds = time.perf_counter() - began
    return report
