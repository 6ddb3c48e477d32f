"""A FastAPI app with a CPU-bound endpoint: what more worker processes speed up.

``/work?n=`` runs a pure-Python loop (it holds the GIL the whole time) and says
which worker process did it. The handler is ``async def`` on purpose: while it
computes, its worker's event loop can do nothing else, not even accept a new
connection, so the kernel hands new connections to an idle worker. One worker
process can therefore use one core at most; N workers can use N cores. (In a real
service, heavy computation does not belong on the event loop: see lesson 13.)

``served`` is module-level state: every worker process has its own copy, which
is how in-memory caches, counters and rate limits silently split across workers.
"""

import os

from fastapi import FastAPI

app = FastAPI(title="cpu_work")
served = 0  # requests this worker process has answered on /work


def crunch(n: int) -> int:
    """Pure-Python arithmetic: about n loop steps of CPU time, no I/O."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


@app.get("/work")
async def work(n: int = 200_000) -> dict[str, int]:
    global served
    served += 1
    return {"result": crunch(n), "pid": os.getpid(), "served": served}


@app.get("/pid")
async def pid() -> dict[str, int]:
    return {"pid": os.getpid()}
