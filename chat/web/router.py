"""`GET /widget.js` (the embeddable chat widget) and `GET /demo` (a page that embeds it)."""

from __future__ import annotations

import hashlib
import html
import os
import re
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from core.errors import ServiceUnavailable

router = APIRouter()


class WidgetNotBuilt(ServiceUnavailable):
    code, title = "widget_not_built", "Widget not built"

DEFAULT_WIDGET_PATH = Path(__file__).resolve().parents[2] / "builder-ui" / "dist" / "widget.js"
DEMO_KEY = "rzc_demo"
# Chat keys are URL-safe tokens; anything else in ?key= is not echoed into the page.
_KEY = re.compile(r"^[A-Za-z0-9_\-]{1,128}$")

# (mtime_ns, size) -> (body, etag): the bundle is read once per build, not once per page view.
_cache: dict[str, tuple[tuple[int, int], bytes, str]] = {}


def widget_path() -> Path:
    override = os.environ.get("ROZMOVA_WIDGET_PATH")
    return Path(override) if override else DEFAULT_WIDGET_PATH


def _load(path: Path) -> tuple[bytes, str] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1], cached[2]
    try:
        body = path.read_bytes()
    except OSError:
        return None
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    _cache[str(path)] = (stamp, body, etag)
    return body, etag


@router.get("/widget.js", include_in_schema=False)
async def widget(request: Request) -> Response:
    loaded = _load(widget_path())
    if loaded is None:
        error = WidgetNotBuilt("run `make widget` (needs Node.js and npm)")
        error.headers["Cache-Control"] = "no-store"
        raise error
    body, etag = loaded
    # Short max-age so that a new build reaches sites within minutes; the ETag makes the
    # revalidation after that a 304.
    headers = {"Cache-Control": "public, max-age=300", "ETag": etag,
               # Loaded cross-origin by customers' pages.
               "Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"}
    if etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/javascript; charset=utf-8", headers=headers)


def _etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


DEMO_PAGE = """<!doctype html>
<html lang="uk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Rozmova — демо віджета / widget demo</title>
<style>
  /* Deliberately hostile host-page rules: a widget that is not isolated turns red and serif,
     and loses its button styles. */
  * {{ font-family: serif !important; color: red !important; }}
  button {{ all: unset; }}
  body {{ max-width: 42rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6; }}
</style>
</head>
<body>
<h1>Rozmova: віджет чату / chat widget</h1>
<p lang="uk">Це демонстраційна сторінка. Чат у правому нижньому куті — це демо-бот кав'ярні:
замовте каву, щоб побачити кнопки, перевірку введення й підтвердження.</p>
<p lang="en">This is a demo page. The chat in the bottom-right corner is the coffee shop demo bot:
order a coffee to see buttons, validated input and a confirmation.</p>
<p lang="en">This page's own styles make all text red and serif and strip every button's
styling; the widget is unaffected because it lives in a shadow root.</p>
<p>Вбудувати на свій сайт / Embed on your site:</p>
<pre><code>&lt;script src="{origin}/widget.js" data-bot="{key}" async&gt;&lt;/script&gt;</code></pre>
<button type="button">Кнопка сторінки / A page button</button>
<script src="/widget.js" data-bot="{key}"{open} async></script>
</body>
</html>
"""


@router.get("/demo", include_in_schema=False)
async def demo(request: Request, key: str = DEMO_KEY, open: str = "true") -> HTMLResponse:
    if not _KEY.fullmatch(key):
        key = DEMO_KEY
    origin = f"{request.url.scheme}://{request.url.netloc}"
    page = DEMO_PAGE.format(key=html.escape(key), origin=html.escape(origin),
                            open=' data-open="true"' if open != "false" else "")
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})
