"""An app that counts the requests it is handling at the same moment.

``/wait`` sleeps asynchronously like a slow upstream call and, while it waits,
counts itself as in flight; ``/peak`` reports the most requests that were in
flight at once since the last ``/reset``. ``/together?n=`` answers only once
``n`` requests are inside it at the same time (or after ``timeout`` seconds, with
``together: false``): if all ``n`` answers say true, the server held all of them
at once, and a client sending them one by one would only ever get false.
uvicorn runs this app on one event loop in one thread, so the counters need no
lock: nothing else runs between two awaits.
"""

import asyncio

from fastapi import FastAPI

app = FastAPI(title="inflight")

_state = {"now": 0, "peak": 0}
_room = {"inside": 0, "everyone": asyncio.Event()}


@app.get("/wait")
async def wait(seconds: float = 0.1) -> dict[str, float]:
    _state["now"] += 1
    _state["peak"] = max(_state["peak"], _state["now"])
    try:
        await asyncio.sleep(seconds)
    finally:
        _state["now"] -= 1
    return {"waited": seconds}


@app.get("/together")
async def together(n: int, timeout: float = 10.0) -> dict[str, bool | int]:
    _state["now"] += 1
    _state["peak"] = max(_state["peak"], _state["now"])
    _room["inside"] += 1
    if _room["inside"] >= n:
        _room["everyone"].set()
    try:
        await asyncio.wait_for(_room["everyone"].wait(), timeout)
        met = True
    except TimeoutError:
        met = False
    finally:
        _state["now"] -= 1
        _room["inside"] -= 1
    return {"together": met, "n": n}


@app.get("/peak")
async def peak() -> dict[str, int]:
    return dict(_state)


@app.post("/reset")
async def reset() -> dict[str, int]:
    _state["peak"] = _state["now"]
    _room["everyone"] = asyncio.Event()
    return dict(_state)
