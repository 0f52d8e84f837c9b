"""mkdocs-static-i18n's File of a file in a language, made with string operations.

Why: the plugin (1.3, suffix structure) makes a new File of every file of docs_dir for each
language it builds, and again for each page's counterparts: 77,000 Files in a build of 10,000
articles with both editions, each through a dozen pathlib operations and two debug messages
that format the File's repr even when nobody reads them. That was 3 s of the build's one
process, while its page workers waited.

What: create_i18n_file() is the plugin's suffix.create_i18n_file step by step, with each pathlib
operation on the (normalised, relative, POSIX) paths written as the string operation it
amounts to; the few whose result is less obvious (a name's suffixes) call pathlib itself,
remembered by their argument. tests/test_site.py compares every attribute of the result with the
plugin's own on every file of the seeds' site and on a list of awkward names, for each language,
with and without use_directory_urls. install() puts it in the plugin's place on POSIX systems;
with the plugin's logger at DEBUG level (mkdocs build --verbose), the plugin's own function
runs, for its messages. Under `mkdocs serve`, the Files made are also remembered from rebuild
to rebuild (_remembering).

Around it, the plugin's reconfigure_files (each build's list of Files, in the build's one
process) asked pathlib whether each file is under docs_dir, and read its default language
from its configuration again for every file and counterpart: together as much as the Files
themselves, and a quarter of a one-fact edit's rebuild under `mkdocs serve` on 1,000
articles. is_relative_to() answers for normalised absolute paths with string operations (and
asks pathlib for any other), and reconfigure_files reads the default language once per call
(_one_default_language). Under `mkdocs serve`, a language's list is also remembered from
rebuild to rebuild, for the same files and settings (_list_key): an edit of facts.yaml
changes no file's name.

And its on_page_markdown, which translates admonition titles a regular expression per line of
every page, is skipped for a language without such translations (plain_admonitions).
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
from collections.abc import Callable
from pathlib import PurePath, PurePosixPath
from urllib.parse import quote as urlquote

from mkdocs.structure.files import File


@functools.lru_cache(maxsize=65536)
def _suffixes(name: str) -> tuple[str, ...]:
    return tuple(PurePosixPath(name).suffixes)


def _split(path: str) -> tuple[str, str]:
    """(parent, name) of a normalised relative path, as PurePosixPath gives them."""
    parent, _, name = path.rpartition("/")
    return parent or ".", name


def _stem(name: str) -> str:
    i = name.rfind(".")
    return name[:i] if 0 < i < len(name) - 1 else name


def _suffix(name: str) -> str:
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _join(parent: str, name: str) -> str:
    return name if parent == "." else f"{parent}/{name}"


def create_i18n_file(file, current_language, default_language, all_languages, config) -> File:
    """suffix.create_i18n_file of mkdocs-static-i18n 1.3, the same File (see the module)."""
    new = object.__new__(File)
    # File(file.src_path, config.docs_dir, file.dest_path, ...): the plugin passes the file's
    # destination path where File takes the destination folder; kept as it does
    new.src_uri = posixpath.normpath(file.src_uri)
    new.src_dir = config.docs_dir
    new.dest_dir = posixpath.normpath(file.dest_uri)
    new.use_directory_urls = config.use_directory_urls
    new.dest_uri = file.dest_uri
    new.inclusion = file.inclusion

    dest = posixpath.normpath(new.dest_uri)
    locale = default_language
    localization = None
    locale_site_dir = current_language if current_language != default_language else ""
    suffixes = _suffixes(new.name)
    if suffixes:
        candidate = suffixes[-1].replace(".", "")
        if candidate in all_languages or RE_LOCALE.match(candidate):
            locale = localization = candidate
            parent, name = _split(dest)
            dest = _join(parent, _stem(_stem(name))) + _suffix(name)
            new.name = _stem(new.name)
    if config.use_directory_urls and localization:
        parent, name = _split(dest)
        if parent != ".":
            grand, parent_name = _split(parent)
            dest = _join(_join(grand, _stem(parent_name)), name)
            parent, name = _split(dest)
            grand, parent_name = _split(parent)
            if parent_name in ("index", "README"):
                dest = _join(grand, name)
    parent, name = _split(dest)
    if name.endswith("README.html"):
        dest = _join(parent, "index.html")
    new.dest_uri = f"{locale_site_dir}/{dest}" if locale_site_dir else dest
    new.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, new.dest_path))
    if new.name == "README":
        new.name = "index"
    new.url = new._get_url(config.use_directory_urls)
    if locale_site_dir and PurePath(new.url).as_posix() == ".":
        new.url = urlquote(locale_site_dir + "/")
    new.alternates = {current_language: new}
    new.locale = locale
    new.locale_alternate_of = current_language
    new.localization = localization
    new.norm_src_uri = new.src_uri
    if localization:
        new.norm_src_uri = new.src_uri.replace(f".{localization}", "", 1)
    return new


try:
    from mkdocs_static_i18n import reconfigure as _reconfigure
    from mkdocs_static_i18n import suffix as _plugin
    from mkdocs_static_i18n.config import RE_LOCALE
except ImportError:  # the plugin is not installed: nothing to replace
    _plugin = _reconfigure = None
PLUGINS_IS_RELATIVE_TO = getattr(_reconfigure, "is_relative_to", None)


def _plain(path: object) -> bool:
    """An absolute POSIX path that pathlib would keep as it is: no "." or ".." part, no
    doubled or trailing slash (MkDocs' abs_src_path and docs_dir are normalised)."""
    return (
        type(path) is str
        and path[:1] == "/"
        and path[1:2] != "/"
        and "//" not in path
        and "/." not in path
        and not path.endswith("/")
    )


def is_relative_to(src_path: object, dest_path: object) -> bool:
    """PurePath(src_path).is_relative_to(dest_path), as the plugin asks it of every file."""
    if os.sep == "/" and _plain(src_path) and _plain(dest_path):
        return src_path == dest_path or src_path.startswith(dest_path + "/")  # type: ignore[operator]
    return PurePath(src_path).is_relative_to(dest_path)  # type: ignore[arg-type]


_remember_lists = False  # under `mkdocs serve` (install(remember=True))
_lists: dict[tuple, list[File]] = {}  # what reconfigure_files made, by _list_key
_LISTS_KEPT = 8


def _list_key(plugin, files, mkdocs_config, default_language: str | None) -> tuple:
    """All that the plugin's reconfigure_files reads: its languages and options, the build's
    folders and URL style, and each file's names, place and inclusion."""
    config = plugin.config
    return (
        plugin.current_language,
        default_language,
        tuple(plugin.all_languages),
        tuple(sorted(plugin.build_languages)),
        config.fallback_to_default,
        config.docs_structure,
        mkdocs_config.docs_dir,
        mkdocs_config.site_dir,
        mkdocs_config.use_directory_urls,
        tuple(
            (type(f), f.src_uri, f.dest_uri, f.src_dir, f.dest_dir, f.inclusion, f.generated_by)
            for f in files
        ),
    )


def _one_default_language(reconfigure_files: Callable) -> Callable:
    """The plugin's reconfigure_files, its default_language read once for the call (nothing
    in it changes the configured languages); under `mkdocs serve`, its last list for the same
    _list_key, in a new container of the plugin's (which looks files up by language)."""

    def wrapper(self, files, mkdocs_config):
        default = type(self).default_language.fget(self)
        remember = _remember_lists and not _reconfigure.log.isEnabledFor(logging.DEBUG)
        key = _list_key(self, files, mkdocs_config, default) if remember else None
        made = _lists.get(key) if key is not None else None
        if made is not None:
            return type(made)(self, list(made))
        self.__dict__["_explainer_default_language"] = default
        try:
            made = reconfigure_files(self, files, mkdocs_config)
        finally:
            self.__dict__.pop("_explainer_default_language", None)
        if key is not None and hasattr(made, "plugin"):
            if len(_lists) >= _LISTS_KEPT:  # (a rebuild asks for one list per language)
                _lists.clear()
            _lists[key] = made
        return made

    wrapper.explainer_fast = True  # type: ignore[attr-defined]
    wrapper.made_by_plugin = reconfigure_files  # type: ignore[attr-defined]
    return wrapper


def _default_language(fget: Callable) -> property:
    def default_language(self):
        try:
            return self.__dict__["_explainer_default_language"]
        except KeyError:
            return fget(self)

    default_language.explainer_fast = True  # type: ignore[attr-defined]
    default_language.made_by_plugin = fget  # type: ignore[attr-defined]
    return property(default_language)


def _install_reconfigure() -> None:
    plugin_class = _reconfigure.ExtendedPlugin
    if not getattr(_reconfigure.is_relative_to, "explainer_fast", False):
        is_relative_to.explainer_fast = True  # type: ignore[attr-defined]
        _reconfigure.is_relative_to = is_relative_to
    if not getattr(plugin_class.reconfigure_files, "explainer_fast", False):
        plugin_class.reconfigure_files = _one_default_language(plugin_class.reconfigure_files)
    prop = plugin_class.__dict__.get("default_language")
    if isinstance(prop, property) and not getattr(prop.fget, "explainer_fast", False):
        plugin_class.default_language = _default_language(prop.fget)


def install(remember: bool = False) -> None:
    """Put create_i18n_file in the plugin's place (see the module's docstring); with
    `remember` (under `mkdocs serve`), behind a memory of the Files made (_remembering).
    Installing again changes nothing."""
    global _remember_lists
    if _plugin is None:
        return
    _install_reconfigure()
    current = _plugin.create_i18n_file
    if getattr(current, "explainer_remembered", False):
        return
    if getattr(current, "explainer_fast", False) and not remember:
        return
    made_by_plugin = getattr(current, "made_by_plugin", current)
    make = current if getattr(current, "explainer_fast", False) else _chosen(made_by_plugin)
    if remember:
        _remember_lists = True
        make = _remembering(make)
    make.explainer_fast = True  # type: ignore[attr-defined]
    make.made_by_plugin = made_by_plugin  # type: ignore[attr-defined]
    _plugin.create_i18n_file = make


def _chosen(made_by_plugin: Callable) -> Callable:
    """create_i18n_file, or the plugin's own where its debug messages are read (or where
    paths are not POSIX ones)."""
    if os.sep != "/":
        return lambda *args: made_by_plugin(*args)
    plugin_log = _plugin.log

    def chosen(file, current_language, default_language, all_languages, config) -> File:
        make = made_by_plugin if plugin_log.isEnabledFor(logging.DEBUG) else create_i18n_file
        return make(file, current_language, default_language, all_languages, config)

    return chosen


def _remembering(make: Callable) -> Callable:
    """`make`, which gives out a copy of a File it made before for the same arguments.

    Why: under `mkdocs serve` the plugin asks for the same Files every rebuild, for each
    language and for each page's counterparts: with the plugin's own function, a third of a
    one-fact edit's rebuild on 1,000 articles (create_i18n_file takes a third of its time).
    The result depends on nothing but its arguments (the file's paths and inclusion, the
    languages, docs_dir, site_dir, use_directory_urls), so a copy of the first one's
    attributes is handed out again; its alternates start afresh, as the plugin's do. Not
    under `mkdocs build`, which asks for each File about twice in all.
    """
    made: dict[tuple, dict] = {}

    def create(file, current_language, default_language, all_languages, config) -> File:
        key = (
            file.src_uri,
            file.dest_uri,
            file.inclusion,
            current_language,
            default_language,
            tuple(all_languages),
            config.docs_dir,
            config.site_dir,
            config.use_directory_urls,
        )
        state = made.get(key)
        if state is None:
            new = make(file, current_language, default_language, all_languages, config)
            made[key] = {k: v for k, v in vars(new).items() if k != "alternates"}
            return new
        new = object.__new__(File)
        new.__dict__.update(state)
        new.alternates = {current_language: new}
        return new

    create.explainer_remembered = True  # type: ignore[attr-defined]
    return create


def plain_admonitions(config) -> None:
    """mkdocs-static-i18n's on_page_markdown, without its work when it has none to do.

    It translates the titles of admonitions, line by line, a regular expression per line of
    every page (2 % of a large build's page work); with no translations for the language
    (mkdocs.yml gives none), every line stays as it is and what it returns is the lines
    joined again, which is what the wrapper returns then without the loop. With
    translations, the plugin's own method runs.
    """
    plugin = config.plugins.get("i18n")
    method = getattr(type(plugin), "on_page_markdown", None)
    events = config.plugins.events.get("page_markdown", [])
    for i, handler in enumerate(events):
        if (
            getattr(handler, "__self__", None) is plugin
            and getattr(handler, "__func__", None) is method
        ):
            events[i] = _without_translations(handler, plugin)


def _without_translations(handler: Callable, plugin: object) -> Callable:
    def on_page_markdown(markdown: str, page, config, files) -> str:
        language = getattr(plugin, "current_language_config", None)
        if language is not None and not language.admonition_translations:
            return "\n".join(markdown.splitlines())
        return handler(markdown, page=page, config=config, files=files)

    on_page_markdown.mkdocs_priority = getattr(handler, "mkdocs_priority", 0)  # type: ignore[attr-defined]
    return on_page_markdown
