"""The server runtime: how `c360 serve` runs the API app, apart from the app itself.

- `asgi`: the app as each uvicorn worker process builds it;
- `connection_handout`: several workers behind one socket, connections handed out in turn;
- `frame_stack_workaround`: a CPython 3.11/3.12 frame-stack issue, a no-op on 3.13 and later;
- `gc_policy`: when the cycle collector runs, for the workers and the resolution runs alike.

The app (c360graph.api) never imports this package: any ASGI server can run it.
"""
