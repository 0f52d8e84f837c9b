"""Parts of Material's page frame that are the same on every generated page of a folder,
rendered once per folder.

Why: the theme renders the whole frame of every page (header, navigation, the JavaScript
configuration) again, and on a story of 10,000 articles the frame is about a third of the
page work left. Two of its parts depend on nothing but where the page sits:

- the primary navigation (partials/nav.html) of a page that is not itself in the navigation
  (every generated page but the indexes): no item is marked as the current one, so only its
  links, which are relative to the page's folder, change from page to page;
- the configuration block of base.html (the site's root, the search worker, the translations
  of the interface), whose only page-dependent values are relative URLs too;
- the partials that never look at the page (the search box, the colour palette's toggles and
  script, the logo, the back-to-top button): the site's settings and relative URLs only;
- the footer of a page that is not in the navigation (no previous or next page to link);
- the blocks of base.html that read no `page` (the style sheets, the scripts, the fonts, the
  analytics): the site's settings and relative URLs only;
- the header (partials/header.html), whose page-dependent parts are the page's title and the
  language selector (partials/alternate.html, whose links mkdocs-static-i18n points at the
  page's own translation): rendered once per folder with stand-ins for those two, which each
  page then fills with its title and its own rendering of the selector.

How: on_env (generator/site.py) wraps their render functions in the build's Jinja
environment: each renders once per (navigation, page folder) and hands the same text to every
later page of that folder. Any page in the navigation, or any context without a page, renders
as before. tests/test_site.py builds the site with and without the wrapping and compares
every file. The environment also gets a cache of the theme's compiled templates: MkDocs makes
a new environment for every build() (two a `mkdocs serve` rebuild with the English edition).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path

from jinja2 import Environment, Template, TemplateNotFound
from jinja2.runtime import Context
from jinja2.utils import LRUCache

from .pages import CompiledTemplates

NAV_TEMPLATE = "partials/nav.html"
HEADER_TEMPLATE = "partials/header.html"
ALTERNATE_TEMPLATE = "partials/alternate.html"  # the language selector, inside the header
# what the header is rendered with once per folder, in place of the page's title and the
# language selector (control characters: no title or link can hold them)
_TITLE = "\x00explainer:title\x00"
_ALTERNATE = "\x00explainer:alternate\x00"
LANGUAGE_TEMPLATE = "partials/language.html"  # the interface's translations (_language_module)
FOOTER_TEMPLATE = "partials/footer.html"  # reads the page's previous and next pages only
# included templates that read no `page`: the site's settings and `url`-filtered links only
PAGE_FREE_PARTIALS = (
    "partials/search.html",
    "partials/palette.html",
    "partials/javascripts/palette.html",
    "partials/logo.html",
    "partials/top.html",
)
BASE_TEMPLATE = "base.html"
# base.html's blocks that read no `page` (a child template's own block is left alone)
FOLDER_BLOCKS = ("config", "styles", "libs", "fonts", "analytics", "scripts")

Key = tuple[int, str]
try:
    import material

    _MATERIAL_TEMPLATES: Path | None = Path(material.__file__).parent / "templates"
except ImportError:  # (not Material: nothing of it is wrapped)
    _MATERIAL_TEMPLATES = None
# the theme's compiled templates, shared by the environments of every build() of the process
_COMPILED = CompiledTemplates()


class _LastKey:
    """The last page's key: each page's render asks for it once per wrapped template (ten
    times), and working it out scans the navigation's pages."""

    page: object = None
    nav: object = None
    key: Key | None = None


def _folder_key(context: Context) -> Key | None:
    """(the navigation, the page's folder), or None for a page the navigation lists."""
    page = context.get("page")
    nav = context.get("nav")
    if page is _LastKey.page and nav is _LastKey.nav and page is not None:
        return _LastKey.key
    url = getattr(page, "url", None)
    if nav is None or url is None:
        return None
    if any(p is page for p in nav.pages):
        key = None
    else:
        key = (id(nav), posixpath.dirname(url.rstrip("/")))
    _LastKey.page, _LastKey.nav, _LastKey.key = page, nav, key
    return key


def _cached(render: Callable[[Context], Iterator[str]]) -> Callable[[Context], Iterator[str]]:
    texts: dict[Key, str] = {}

    def cached_render(context: Context) -> Iterator[str]:
        key = _folder_key(context)
        if key is None:
            yield from render(context)
            return
        text = texts.get(key)
        if text is None:
            text = texts[key] = "".join(render(context))
        yield text

    cached_render.explainer_cached = True  # type: ignore[attr-defined]
    return cached_render


class _StandIn:
    """The language selector's stand-in while a folder's header is rendered (_cached_header)."""

    active = False


def _selector(render: Callable[[Context], Iterator[str]]) -> Callable[[Context], Iterator[str]]:
    def selector_render(context: Context) -> Iterator[str]:
        if _StandIn.active:
            yield _ALTERNATE
            return
        yield from render(context)

    selector_render.explainer_cached = True  # type: ignore[attr-defined]
    return selector_render


def _sticky_tabs(config: object) -> bool:
    theme = getattr(config, "theme", None)
    try:
        return "navigation.tabs.sticky" in (theme["features"] or [])  # type: ignore[index]
    except (KeyError, TypeError):
        return False


def _cached_header(
    render: Callable[[Context], Iterator[str]], alternate: Template | None
) -> Callable[[Context], Iterator[str]]:
    """The header of a page outside the navigation, from its folder's with the page's title
    and language selector put in (see the module's docstring)."""
    texts: dict[tuple, str | None] = {}  # None: a header this cannot stand in for

    def cached_render(context: Context) -> Iterator[str]:
        key = _folder_key(context)
        page = context.get("page")
        meta = getattr(page, "meta", None)
        config = context.get("config")
        extra = getattr(config, "extra", None)
        alternates = extra.get("alternate") if hasattr(extra, "get") else None
        if (
            key is None
            or not isinstance(meta, dict)
            or (alternates and alternate is None)
            or _sticky_tabs(config)  # (the tabs in the header: not checked here)
        ):
            yield from render(context)
            return
        key = (*key, bool(alternates))
        text = texts.get(key, "")
        if text is None:
            yield from render(context)
            return
        if not text:
            had = "title" in meta
            title = meta.get("title")
            meta["title"] = _TITLE
            _StandIn.active = True
            try:
                text = "".join(render(context))
            finally:
                _StandIn.active = False
                if had:
                    meta["title"] = title
                else:
                    del meta["title"]
            if text.count(_TITLE) != 1 or text.count(_ALTERNATE) != (1 if alternates else 0):
                texts[key] = None  # a theme that prints them otherwise: rendered as it is
                yield from render(context)
                return
            texts[key] = text
        # as the header prints the title: the front matter's if it has one, else the page's
        title = meta.get("title") or page.title
        text = text.replace(_TITLE, str(title), 1)
        if alternates:
            assert alternate is not None
            own = "".join(
                alternate.root_render_func(alternate.new_context(context.get_all(), True))
            )
            text = text.replace(_ALTERNATE, own, 1)
        yield text

    cached_render.explainer_cached = True  # type: ignore[attr-defined]
    return cached_render


def _language_module(template: Template) -> None:
    """Material's partials/language.html, imported by base.html "with context" on every page,
    made once per interface language: a new Jinja module for each page (and the two it
    imports), though all it holds is the translation macro t() of the theme's language."""
    make_module = template.make_module
    modules: dict[object, object] = {}

    def cached_make_module(vars=None, shared=False, locals=None):
        config = (vars or {}).get("config")
        try:
            language = config.theme["language"]  # type: ignore[union-attr]
        except (AttributeError, KeyError, TypeError):
            return make_module(vars, shared, locals)
        module = modules.get(language)
        if module is None:
            module = modules[language] = make_module(vars, shared, locals)
        return module

    cached_make_module.explainer_cached = True  # type: ignore[attr-defined]
    template.make_module = cached_make_module  # type: ignore[method-assign]


def install(env: Environment) -> None:
    """Wrap the navigation, the footer, the page-free partials and blocks of `env` (see
    above), and keep its compiled templates for the next build's environment."""
    if env.bytecode_cache is None:
        env.bytecode_cache = _COMPILED
    if isinstance(env.cache, LRUCache):
        # Every include looks its template up again (seventeen a page): Jinja's bounded cache
        # takes a lock and finds the name in its recency queue, a list scan of the cached
        # templates, 4 microseconds a lookup on a large site. A build's theme is a few hundred
        # templates: an unbounded cache, Jinja's own form (cache_size=-1), is a dict lookup.
        env.cache = dict(env.cache.items())
    try:
        base = env.get_template(BASE_TEMPLATE)
    except TemplateNotFound:  # not Material's templates
        return
    for name in (NAV_TEMPLATE, FOOTER_TEMPLATE, *PAGE_FREE_PARTIALS):
        try:
            template = env.get_template(name)
        except TemplateNotFound:
            continue
        if not getattr(template.root_render_func, "explainer_cached", False):
            template.root_render_func = _cached(template.root_render_func)  # type: ignore[method-assign]
    try:
        language = env.get_template(LANGUAGE_TEMPLATE)
    except TemplateNotFound:
        language = None
    if (
        language is not None
        and language.filename is not None
        and Path(language.filename).parent.parent == _MATERIAL_TEMPLATES
        and language.filename.endswith(LANGUAGE_TEMPLATE)  # Material's own, not an override
        and not getattr(language.make_module, "explainer_cached", False)
    ):
        _language_module(language)
    for name in FOLDER_BLOCKS:
        block = base.blocks.get(name)
        if block is not None and not getattr(block, "explainer_cached", False):
            base.blocks[name] = _cached(block)
    try:
        header = env.get_template(HEADER_TEMPLATE)
    except TemplateNotFound:
        return
    try:
        alternate: Template | None = env.get_template(ALTERNATE_TEMPLATE)
    except TemplateNotFound:
        alternate = None
    if alternate is not None and not getattr(alternate.root_render_func, "explainer_cached", False):
        alternate.root_render_func = _selector(alternate.root_render_func)  # type: ignore[method-assign]
    if not getattr(header.root_render_func, "explainer_cached", False):
        header.root_render_func = _cached_header(header.root_render_func, alternate)  # type: ignore[method-assign]
