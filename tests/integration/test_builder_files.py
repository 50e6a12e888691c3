"""The builder's files and the home page: hashed assets cached for a year, index.html
revalidated, the app's own screens answered with index.html, nothing outside the build
served, a clear 503 when the builder is not built."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "builder"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(
        '<!doctype html><script type="module" src="/builder/assets/index-3f2a1b.js"></script>')
    (root / "assets" / "index-3f2a1b.js").write_text("console.log('builder')")
    (root / "assets" / "index-9c8d7e.css").write_text("body{}")
    (tmp_path / "secret.txt").write_text("not for the web")
    monkeypatch.setenv("ROZMOVA_BUILDER_DIR", str(root))
    return root


async def test_index_and_screens_are_revalidated_assets_cached_for_good(client, build) -> None:  # type: ignore[no-untyped-def]
    index = await client.get("/builder")
    assert index.status_code == 200 and "index-3f2a1b.js" in index.text
    assert index.headers["cache-control"] == "no-cache"
    assert "frame-ancestors 'none'" in index.headers["content-security-policy"]
    again = await client.get("/builder/", headers={"If-None-Match": index.headers["etag"]})
    assert again.status_code == 304
    screen = await client.get("/builder/bots/0b6c/scenarios/42")
    assert screen.status_code == 200 and screen.text == index.text
    script = await client.get("/builder/assets/index-3f2a1b.js")
    assert script.status_code == 200 and script.text == "console.log('builder')"
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert script.headers["content-type"].startswith(("text/javascript",
                                                       "application/javascript"))
    style = await client.get("/builder/assets/index-9c8d7e.css")
    assert style.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("path", ["/builder/assets/missing-000000.js",
                                  "/builder/assets/../../secret.txt",
                                  "/builder/assets/%2e%2e/%2e%2e/secret.txt",
                                  "/builder/assets/..%2F..%2Fsecret.txt"])
async def test_nothing_outside_the_build_is_served(client, build, path: str) -> None:  # type: ignore[no-untyped-def]
    answer = await client.get(path)
    assert "not for the web" not in answer.text
    if answer.status_code != 200:  # (a normalised path may land on a screen: index.html)
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("application/problem+json")


async def test_a_builder_not_built_says_how_to_build_it(client, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ROZMOVA_BUILDER_DIR", str(tmp_path / "nothing"))
    answer = await client.get("/builder")
    assert answer.status_code == 503 and "npm run build" in answer.json()["detail"]
    assert answer.headers["cache-control"] == "no-store"


async def test_the_home_page_for_people_and_for_programs(client) -> None:  # type: ignore[no-untyped-def]
    page = await client.get("/", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for link in ('href="/builder"', 'href="/demo"', 'href="/docs"'):
        assert link in page.text
    facts = (await client.get("/")).json()
    assert facts["name"] == "Rozmova" and facts["builder"] == "/builder"


async def test_the_demo_site_and_the_isolation_page_embed_the_widget(client) -> None:  # type: ignore[no-untyped-def]
    shop = await client.get("/demo")
    assert shop.status_code == 200 and "Кава, яку варять для вас" in shop.text
    assert '<script src="/widget.js" data-bot="rzc_demo" data-open="true" async>' in shop.text
    assert "color: red" not in shop.text  # a real-looking site, not the test page
    isolation = await client.get("/demo/isolation", params={"open": "false"})
    assert "color: red !important" in isolation.text
    assert 'data-bot="rzc_demo" async>' in isolation.text
    # A key that is not a chat key is never echoed into the page.
    hostile = await client.get("/demo", params={"key": '"><script>alert(1)</script>'})
    assert "alert(1)" not in hostile.text and 'data-bot="rzc_demo"' in hostile.text
