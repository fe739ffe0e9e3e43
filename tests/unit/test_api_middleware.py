"""The HTTP middleware around /graphql, run in process on small ASGI apps written for the test:
the time limit stops a request that has not answered, never one that is already answering."""

from __future__ import annotations

import asyncio
import json

from starlette.types import Message, Receive, Scope, Send

from c360graph.api.middleware.body_limit import BodyLimit
from c360graph.api.middleware.timeout import RequestTimeout

ORDER = '{"khach_hang": "Trần Văn Đức", "so_tien": "2.450.000 ₫", "dien_thoai": "+84 912 345 678"}'
SCOPE: Scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": []}


async def _call(app: object, body_chunks: list[bytes]) -> list[Message]:
    """Run `app` once over `body_chunks`; the messages it sent."""
    chunks = list(body_chunks)
    sent: list[Message] = []

    async def receive() -> Message:
        body = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": body, "more_body": bool(chunks)}

    async def send(message: Message) -> None:
        sent.append(message)

    assert callable(app)
    await app(dict(SCOPE), receive, send)
    return sent


async def _answer_then_wait(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await asyncio.sleep(0)  # past the deadline, but the answer has started
    await send({"type": "http.response.body", "body": ORDER.encode()})


async def _wait_then_answer(scope: Scope, receive: Receive, send: Send) -> None:
    await asyncio.sleep(0)  # the deadline (0 s) passes here
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": ORDER.encode()})


def test_a_request_that_has_not_answered_by_the_deadline_gets_504_with_its_code() -> None:
    sent = asyncio.run(_call(RequestTimeout(_wait_then_answer, seconds=0), []))
    assert sent[0]["status"] == 504
    error = json.loads(sent[1]["body"])["errors"][0]
    assert error["extensions"]["code"] == "TIMEOUT" and "ask for less" in error["message"]


def test_an_answer_already_started_is_sent_in_full_after_the_deadline() -> None:
    sent = asyncio.run(_call(RequestTimeout(_answer_then_wait, seconds=0), []))
    assert sent[0]["status"] == 200 and sent[1]["body"] == ORDER.encode()


async def _read_all_then_echo(scope: Scope, receive: Receive, send: Send) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def test_a_body_without_a_declared_length_is_refused_once_it_passes_the_limit() -> None:
    data = ORDER.encode()
    limit = len(data) - 1
    halves = [data[: len(data) // 2], data[len(data) // 2 :]]
    refused = asyncio.run(_call(BodyLimit(_read_all_then_echo, max_bytes=limit), halves))
    assert refused[0]["status"] == 413
    assert b"REQUEST_TOO_LARGE" in refused[1]["body"]
    echoed = asyncio.run(_call(BodyLimit(_read_all_then_echo, max_bytes=len(data)), halves))
    assert echoed[0]["status"] == 200 and echoed[1]["body"] == data
