"""The visual builder's files (`/builder`, built by `builder-ui`'s Vite build into
`builder-ui/dist/builder/`) and the home page a newcomer lands on (`/`).

Caching: the assets' names carry a hash of their content, so they are cached for a year and
never revalidated; `index.html` names the current ones and is revalidated on every load (an
ETag makes that a 304). Any other path under `/builder/` is one of the app's own screens
and gets `index.html`, so a reload or a shared link opens the same screen."""

from __future__ import annotations

import hashlib
import html
import mimetypes
import os
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from core.errors import NotFound, ServiceUnavailable

router = APIRouter()

DEFAULT_BUILD = Path(__file__).resolve().parents[1] / "builder-ui" / "dist" / "builder"
IMMUTABLE = "public, max-age=31536000, immutable"
# The builder runs only its own bundled code; nothing may frame it (clickjacking).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class BuilderNotBuilt(ServiceUnavailable):
    code, title = "builder_not_built", "Builder not built"


def build_dir() -> Path:
    override = os.environ.get("ROZMOVA_BUILDER_DIR")
    return Path(override) if override else DEFAULT_BUILD


# path -> ((mtime_ns, size), body, etag): each file read once per build.
_files: dict[str, tuple[tuple[int, int], bytes, str]] = {}


def _read(path: Path) -> tuple[bytes, str] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _files.get(str(path))
    if cached is not None and cached[0] == stamp:
        return cached[1], cached[2]
    try:
        body = path.read_bytes()
    except OSError:
        return None
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if len(_files) > 512:
        _files.clear()
    _files[str(path)] = (stamp, body, etag)
    return body, etag


def _index(request: Request) -> Response:
    loaded = _read(build_dir() / "index.html")
    if loaded is None:
        error = BuilderNotBuilt("the builder is not built: run `make run` (it builds it) or "
                                "`cd builder-ui && npm ci && npm run build` (needs Node.js)")
        error.headers["Cache-Control"] = "no-store"
        raise error
    body, etag = loaded
    headers = {"ETag": etag, "Cache-Control": "no-cache", **SECURITY_HEADERS}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


@router.get("/builder", include_in_schema=False)
async def builder_root(request: Request) -> Response:
    return _index(request)


@router.get("/builder/{path:path}", include_in_schema=False)
async def builder_file(path: str, request: Request) -> Response:
    if not path.startswith("assets/"):
        return _index(request)  # one of the app's screens: the app routes it
    root = build_dir().resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root / "assets") or not target.is_file():
        raise NotFound(f"no builder file {path[:100]!r}")
    loaded = _read(target)
    if loaded is None:
        raise NotFound(f"no builder file {path[:100]!r}")
    body, etag = loaded
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
        kind += "; charset=utf-8"
    return Response(body, media_type=kind, headers={
        "ETag": etag, "Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff"})


HOME = """<!doctype html>
<html lang="uk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rozmova</title>
<link rel="icon" href="data:,">
<style>
  body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2433; background: #f6f7fb; }}
  main {{ max-width: 760px; margin: 0 auto; padding: 48px 24px; }}
  h1 {{ font-size: 2.2rem; margin: 0 0 8px; }}
  .lead {{ font-size: 1.15rem; color: #4a5468; margin: 0 0 32px; }}
  ul {{ list-style: none; padding: 0; display: grid; gap: 16px; }}
  li a {{ display: block; padding: 18px 20px; background: #fff; border-radius: 10px;
         border: 1px solid #dde1ea; text-decoration: none; color: inherit; }}
  li a:hover, li a:focus {{ border-color: #3f62d8; outline: none; }}
  li b {{ display: block; color: #3f62d8; font-size: 1.1rem; }}
  footer {{ margin-top: 40px; color: #6b7386; font-size: .9rem; }}
</style>
</head>
<body>
<main>
  <h1>Rozmova</h1>
  <p class="lead">Платформа чат-ботів: сценарії будуються у візуальному редакторі, а працюють
  у Telegram, Viber, на сайті та через REST API. A chatbot platform: build a scenario
  visually, run it on Telegram, Viber, your website and a REST API.</p>
  <ul>
    <li><a href="/builder"><b>Редактор сценаріїв · Builder</b>
      Створіть бота, зберіть сценарій, перевірте його в тестовому чаті й опублікуйте.
      Build a bot, test it in the chat panel, publish it.</a></li>
    <li><a href="{demo}"><b>Демо · Demo</b>
      Демо-бот кав'ярні у віджеті на сторінці. The coffee shop demo bot in the website
      widget.</a></li>
    <li><a href="/docs"><b>API</b>
      Кожен виклик з його помилками (OpenAPI). Every endpoint with its errors.</a></li>
  </ul>
  <footer>Rozmova {version}</footer>
</main>
</body>
</html>
"""


def home(request: Request, *, version: str, services: list[str]) -> Response:
    """The home page for a browser; the same facts as JSON for anything else."""
    demo = "/demo" if "chat" in services else None
    if "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"name": "Rozmova", "version": version, "docs": "/docs",
                             "builder": "/builder", "services": services, "demo": demo})
    page = HOME.format(demo=html.escape(demo or "/docs"), version=html.escape(version))
    return HTMLResponse(page, headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})
