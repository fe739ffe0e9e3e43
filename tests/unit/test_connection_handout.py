"""The contract with uvicorn that `runtime/connection_handout.py` relies on: a worker serves a
connection it did not accept by building uvicorn's protocol the way uvicorn's private
`Server.startup` does. These fail when a uvicorn release changes that (see pyproject.toml)."""

from __future__ import annotations

import ast
import asyncio
import inspect
import socket
import textwrap
import threading

import httpx
import uvicorn
from starlette.types import Receive, Scope, Send

from c360graph.runtime.connection_handout import HandedConnectionsServer, hand_out

GREETING = "Xin chào, Nguyễn Thị Ánh: 1.250.000 ₫".encode()


def _protocol_keywords_uvicorn_passes() -> set[str]:
    """The keyword arguments uvicorn's Server.startup gives `config.http_protocol_class(...)`."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(uvicorn.Server.startup)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "config.http_protocol_class":
            return {keyword.arg for keyword in node.keywords if keyword.arg}
    raise AssertionError("uvicorn's Server.startup no longer calls config.http_protocol_class")


def test_uvicorn_builds_its_protocol_from_what_the_hand_out_passes() -> None:
    # `_loop` is optional (uvicorn passes the loop it runs on, the default when left out).
    assert _protocol_keywords_uvicorn_passes() - {"_loop"} == {
        "config",
        "server_state",
        "app_state",
    }


async def _greet(scope: Scope, receive: Receive, send: Send) -> None:
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": GREETING})


def test_a_worker_serves_a_connection_handed_to_it_and_stops_when_its_channel_closes() -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    config = uvicorn.Config(_greet, lifespan="off", log_level="warning")
    server = HandedConnectionsServer(config, theirs)
    worker = threading.Thread(target=asyncio.run, args=(server.serve(),))
    worker.start()
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    parent = threading.Thread(target=hand_out, args=(listener, [ours]), daemon=True)
    parent.start()
    try:
        for _ in range(3):  # keep-alive and fresh connections alike
            with httpx.Client() as client:
                answer = client.get(f"http://127.0.0.1:{port}/")
                assert answer.status_code == 200 and answer.content == GREETING
    finally:
        listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        parent.join()
        ours.close()  # the worker sees its channel close and exits
        worker.join()
    theirs.close()
    assert server.should_exit
