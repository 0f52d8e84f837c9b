"""generator/themecache.py on a theme of its own: the header put together from its folder's
rendering gives each page what the theme itself renders, and a header the stand-ins cannot
serve is rendered as the theme has it. (tests/test_site.py compares whole sites built with
and without it, on Material.)"""

from __future__ import annotations

from types import SimpleNamespace

from jinja2 import DictLoader, Environment

from generator import themecache

HEADER_ONCE = (
    "<header>{% if page.meta and page.meta.title %}{{ page.meta.title }}"
    "{% else %}{{ page.title }}{% endif %}"
    '{% if config.extra.alternate %}{% include "partials/alternate.html" %}{% endif %}'
    "</header>"
)
HEADER_TWICE = "<header>{{ page.meta.title }} / {{ page.meta.title }}</header>"
ALTERNATE = (
    "<ul>{% for alt in config.extra.alternate %}"
    '<li><a href="{{ alt.link }}">{{ alt.name }}</a></li>{% endfor %}</ul>'
)


def _env(header: str) -> Environment:
    return Environment(
        loader=DictLoader(
            {
                "base.html": "{% block config %}{% endblock %}",
                "partials/header.html": header,
                "partials/alternate.html": ALTERNATE,
            }
        )
    )


def _render(env: Environment, nav, page, alternate: list[dict]) -> str:
    config = SimpleNamespace(extra={"alternate": alternate}, theme={"features": []})
    return env.get_template("partials/header.html").render(page=page, nav=nav, config=config)


def _pages() -> list[SimpleNamespace]:
    return [
        SimpleNamespace(url="sources/a/", meta={"title": "أ &#38; ب"}, title="x"),
        SimpleNamespace(url="sources/b/", meta={"title": "ج"}, title="y"),
        SimpleNamespace(url="sources/c/", meta={}, title="عنوان الصفحة"),
        SimpleNamespace(url="dates/d/", meta={"title": ""}, title="z"),
    ]


def test_the_header_of_every_page_is_the_theme_s():
    nav = SimpleNamespace(pages=[])
    for header in (HEADER_ONCE, HEADER_TWICE):
        for alternates in ([], [{"link": "en/x/", "name": "English", "lang": "en"}]):
            plain, cached = _env(header), _env(header)
            themecache.install(cached)
            for page in _pages():
                alternate = [dict(a, link=a["link"] + page.url) for a in alternates]
                expected = _render(plain, nav, page, alternate)
                assert _render(cached, nav, page, alternate) == expected, (header, page.url)
                assert page.meta.get("title", None) != themecache._TITLE  # (put back)
