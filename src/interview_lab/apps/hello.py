"""The smallest FastAPI app: a health check and an endpoint that waits like an I/O call."""

import asyncio

from fastapi import FastAPI

app = FastAPI(title="hello")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/wait")
async def wait(seconds: float = 0.1) -> dict[str, float]:
    """Stands in for a slow upstream call: the server is idle while it waits."""
    await asyncio.sleep(seconds)
    return {"waited": seconds}
