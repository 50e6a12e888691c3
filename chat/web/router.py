"""`GET /widget.js` (the embeddable chat widget), `GET /demo` (a coffee shop's website with the
widget on it, as a customer would embed it) and `GET /demo/isolation` (the widget's CSS
isolation check: a page whose own styles are deliberately hostile; the browser tests use it)."""

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


ISOLATION_PAGE = """<!doctype html>
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


SHOP_PAGE = """<!doctype html>
<html lang="uk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Зерно — кав'ярня на Подолі</title>
<style>
  :root {{ --ink: #2b211c; --cream: #f8f1e7; --brown: #7a4a2a; --line: #e6d8c6; }}
  * {{ box-sizing: border-box; }}
  body {{ margin: 0; font: 17px/1.6 Georgia, "Times New Roman", serif; color: var(--ink);
          background: var(--cream); }}
  header {{ display: flex; justify-content: space-between; align-items: center;
            padding: 20px 6vw; border-bottom: 1px solid var(--line); }}
  header b {{ font-size: 1.5rem; letter-spacing: .04em; }}
  nav a {{ margin-left: 24px; color: var(--ink); text-decoration: none; }}
  .hero {{ padding: 72px 6vw 56px; max-width: 980px; }}
  .hero h1 {{ font-size: 3rem; line-height: 1.1; margin: 0 0 16px; }}
  .hero p {{ font-size: 1.2rem; max-width: 34rem; }}
  .menu {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
           gap: 20px; padding: 0 6vw 56px; }}
  .menu div {{ background: #fff; border: 1px solid var(--line); border-radius: 12px;
               padding: 20px; }}
  .menu b {{ display: block; font-size: 1.15rem; }}
  .price {{ color: var(--brown); }}
  footer {{ padding: 28px 6vw 96px; border-top: 1px solid var(--line); font-size: .95rem; }}
  code {{ background: #fff; border: 1px solid var(--line); padding: 2px 6px; border-radius: 6px;
          font-size: .85rem; word-break: break-all; }}
</style>
</head>
<body>
<header><b>ЗЕРНО</b><nav><a href="#menu">Меню</a><a href="#visit">Як дійти</a></nav></header>
<section class="hero">
  <h1>Кава, яку варять для вас</h1>
  <p>Замовте еспресо чи капучино в чаті праворуч унизу: наш бот прийме замовлення, порахує
  суму й скаже, коли забрати. Order in the chat at the bottom right: the bot takes your order
  and tells you when it is ready.</p>
</section>
<section class="menu" id="menu">
  <div><b>Еспресо</b><span class="price">45 грн</span><p>Насичений, з горіховими нотами.</p></div>
  <div><b>Капучино</b><span class="price">45 грн</span><p>Молоко місцевої ферми.</p></div>
  <div><b>Фільтр</b><span class="price">45 грн</span><p>Ефіопія, світле обсмаження.</p></div>
</section>
<footer id="visit">
  <p>вул. Сагайдачного, 10 · щодня 8:00–21:00. Демо-сторінка Rozmova: бот у віджеті — це
  опублікований сценарій. A Rozmova demo page: the chat is a published scenario in the website
  widget, embedded with one line:</p>
  <p><code>&lt;script src="{origin}/widget.js" data-bot="{key}" async&gt;&lt;/script&gt;</code></p>
</footer>
<script src="/widget.js" data-bot="{key}"{open} async></script>
</body>
</html>
"""


def _page(template: str, request: Request, key: str, open: str) -> HTMLResponse:
    if not _KEY.fullmatch(key):
        key = DEMO_KEY
    origin = f"{request.url.scheme}://{request.url.netloc}"
    page = template.format(key=html.escape(key), origin=html.escape(origin),
                           open=' data-open="true"' if open != "false" else "")
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


@router.get("/demo", include_in_schema=False)
async def demo(request: Request, key: str = DEMO_KEY, open: str = "true") -> HTMLResponse:
    return _page(SHOP_PAGE, request, key, open)


@router.get("/demo/isolation", include_in_schema=False)
async def demo_isolation(request: Request, key: str = DEMO_KEY,
                         open: str = "true") -> HTMLResponse:
    return _page(ISOLATION_PAGE, request, key, open)
