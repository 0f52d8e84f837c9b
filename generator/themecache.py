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
  page then fills with its title and its own rendering of the selector;
- and then the whole page (main.html): rendered once per folder with stand-ins for what is
  the page's own (its title, description and other editions' links, its header, its table
  of contents, its content), which each page fills with its own parts (_framed). The parts
  above make the frame's first render cheap; the frame spares every later page the
  template's own work and the dozen partials' contexts: 0.38 → 0.24 ms a page.

How: on_env (generator/site.py) wraps their render functions in the build's Jinja
environment: each renders once per (navigation, page folder) and hands the same text to every
later page of that folder. Any page in the navigation, or any context without a page, renders
as before. tests/test_site.py builds the site with and without the wrapping and compares
every file. The environment also gets a cache of the theme's compiled templates: MkDocs makes
a new environment for every build() (two a `mkdocs serve` rebuild with the English edition).
"""

from __future__ import annotations

import posixpath
import re
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

PAGE_TEMPLATE = "main.html"
# base.html's blocks that read the page (its title, description, links to its other editions,
# header, table of contents and content): rendered for every page into its folder's frame
PAGE_BLOCKS = ("site_meta", "htmltitle", "header", "tabs")
# the page's table of contents, in the navigation's block: rendered for every page into the
# frame as the block includes it
TOC_TEMPLATE = "partials/toc.html"
_TOC = "\x00explainer:toc\x00"
# what the page's content is in a frame (with the "<h1" partials/content.html looks for: a
# page without a heading of its own gets one there, and is rendered whole)
_CONTENT = "\x00explainer:content<h1\x00"
# what the first table of contents entry's link is in a frame (base.html's "skip to content"
# link, the one other place it reads the page: an anchor, which the url filter leaves as is)
_SKIP = "#\x00explainer:skip\x00"
# a frame is checked against the whole render on a folder's second page and every this many
CHECK_EVERY = 64

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


def _yielding(text: str) -> Callable[[Context], Iterator[str]]:
    """A render function that yields `text` (a generator, which an include closes)."""

    def render(_context: Context) -> Iterator[str]:
        yield text

    return render


class _SkipStandIn:
    """The first entry of a page's table of contents while its folder's frame is rendered."""

    url = _SKIP


class FrameStats:
    """What the frames did in this process (the build's log says it in --verbose)."""

    framed = checked = mismatched = 0


def _framed(
    render: Callable[[Context], Iterator[str]], main: Template, base: Template
) -> Callable[[Context], Iterator[str]]:
    """main.html's render of a page outside the navigation, from its folder's frame.

    The first page of a folder renders as it always did, and once more with a marker in
    place of what is the page's own: the blocks of PAGE_BLOCKS (its title, description,
    links to its other editions, header), its table of contents, its content and the skip
    link's anchor. That is the folder's frame: what every page of the folder shares (the
    scripts, the inputs, the navigation, the footer, the configuration; the rest of
    base.html). A later page of the folder is the frame with its own parts put in, the
    blocks and the table of contents rendered in a context given the variables base.html
    sets before them (the interface's language module, the direction, the palette, the
    features), as rendering the whole template would have set them. Only for a page as
    generated (a title and a description in its front matter, no edit link), with a
    heading of its own in its content and a first anchor in its table of contents.

    The folder's second page, and every CHECK_EVERY-th after it, is also rendered whole and
    compared: a difference (a theme that reads the page somewhere else) ends the frame's use
    for that folder, and the whole render is what the page gets. tests/test_site.py builds
    the site with and without it, and checks that the frames were used and never differed.
    """
    markers = {f"\x00explainer:block:{name}\x00": name for name in PAGE_BLOCKS}
    stand_ins = [_SKIP, _CONTENT, _TOC]
    try:
        toc_template = main.environment.get_template(TOC_TEMPLATE)
    except TemplateNotFound:
        return render
    split = re.compile("(" + "|".join(map(re.escape, [*markers, *stand_ins])) + ")")
    frames: dict[Key, _Frame | None] = {}

    def fresh(context: Context) -> Context:
        # a context as Template.render makes it (its parent: the globals and the page's
        # variables), for a second render of the same page
        return main.new_context(context.parent, shared=True)

    def make_frame(context: Context, page: object) -> _Frame | None:
        frame_context = fresh(context)
        for marker, name in markers.items():
            frame_context.blocks[name] = [_yielding(marker)]
        toc, content = page.toc, page.content  # type: ignore[attr-defined]
        page.toc, page.content = [_SkipStandIn], _CONTENT  # type: ignore[attr-defined]
        toc_render = toc_template.root_render_func
        toc_template.root_render_func = _yielding(_TOC)  # type: ignore[method-assign]
        try:
            text = "".join(render(frame_context))
        finally:
            page.toc, page.content = toc, content  # type: ignore[attr-defined]
            toc_template.root_render_func = toc_render  # type: ignore[method-assign]
        pieces = split.split(text)
        holes = pieces[1::2]
        if sorted(holes) != sorted([*markers, *stand_ins]):
            return None  # a theme that prints them otherwise: every page rendered whole
        return _Frame(
            [markers.get(p, p) if i % 2 else p for i, p in enumerate(pieces)],
            {k: v for k, v in frame_context.vars.items() if k != "skip"},
            set(frame_context.exported_vars),
        )

    def fill(frame: _Frame, context: Context, page: object) -> str | None:
        first = next(iter(getattr(page, "toc", None) or ()), None)
        anchor = getattr(first, "url", None)
        content = getattr(page, "content", None)
        if not isinstance(anchor, str) or not anchor.startswith("#"):
            return None
        if not isinstance(content, str) or "<h1" not in content:
            return None
        for name, block in base.blocks.items():  # what main.html's {% extends %} does
            context.blocks.setdefault(name, []).append(block)
        context.vars.update(frame.variables)
        context.vars["skip"] = first
        context.exported_vars.update(frame.exported)
        out = []
        for i, piece in enumerate(frame.pieces):
            if not i % 2:
                out.append(piece)
            elif piece == _SKIP:
                out.append(anchor)
            elif piece == _CONTENT:
                out.append(content)
            elif piece == _TOC:  # as the navigation's block includes it
                toc_context = toc_template.new_context(context.get_all(), True)
                out.append("".join(toc_template.root_render_func(toc_context)))
            else:
                out.append("".join(context.blocks[piece][0](context)))
        return "".join(out)

    def framed_render(context: Context) -> Iterator[str]:
        key = _folder_key(context)
        page = context.get("page")
        meta = getattr(page, "meta", None)
        if (
            key is None
            or not isinstance(meta, dict)
            or not meta.keys() <= {"title", "description"}  # (a generated page's)
            or getattr(page, "edit_url", None) is not None  # (the content's edit buttons)
        ):
            yield from render(context)
            return
        frame = frames.get(key, _NO_FRAME_YET)
        if frame is None:
            yield from render(context)
            return
        if frame is _NO_FRAME_YET:
            try:
                frames[key] = make_frame(context, page)
            except Exception:  # a theme that fails on the stand-ins: rendered whole
                frames[key] = None
            yield from render(context)
            return
        try:
            text = fill(frame, context, page)
        except Exception:
            frames[key] = None
            text = None
        if text is None:  # (the context may hold a part of the fill: a fresh one)
            yield from render(fresh(context))
            return
        FrameStats.framed += 1
        frame.uses += 1
        if frame.uses == 1 or frame.uses % CHECK_EVERY == 0:
            FrameStats.checked += 1
            whole = "".join(render(fresh(context)))
            if whole != text:
                FrameStats.mismatched += 1
                frames[key] = None
                text = whole
        yield text

    framed_render.explainer_cached = True  # type: ignore[attr-defined]
    return framed_render


class _Frame:
    """A folder's frame: its text and its holes (a name of PAGE_BLOCKS or a stand-in)
    alternating, and the variables base.html had set when it rendered."""

    def __init__(self, pieces: list[str], variables: dict, exported: set[str]):
        self.pieces = pieces
        self.variables = variables
        self.exported = exported
        self.uses = 0


_NO_FRAME_YET = object()  # a folder not met yet (frames: None for one whose frame is off)


def _material_own(template: Template, name: str) -> bool:
    """Whether `template` is Material's own `name`, not a project's override of it."""
    return (
        template.filename is not None
        and _MATERIAL_TEMPLATES is not None
        and Path(template.filename) == _MATERIAL_TEMPLATES / name
    )


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
        and _material_own(language, LANGUAGE_TEMPLATE)
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
    try:
        main = env.get_template(PAGE_TEMPLATE)
    except TemplateNotFound:
        return
    if (
        _material_own(main, PAGE_TEMPLATE)
        and _material_own(base, BASE_TEMPLATE)
        and not main.blocks  # (Material's main.html only extends base.html)
        and not getattr(main.root_render_func, "explainer_cached", False)
    ):
        main.root_render_func = _framed(main.root_render_func, main, base)  # type: ignore[method-assign]
