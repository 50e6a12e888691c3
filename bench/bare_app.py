"""The baseline: a bare FastAPI JSON endpoint that does nothing, served the same way."""

from fastapi import FastAPI

app = FastAPI()


@app.post("/echo")
async def echo(body: dict) -> dict:
    return {"messages": [{"type": "text", "text": str(body.get("text"))}], "ended": False}
