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
runs, for its messages.
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
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
    from mkdocs_static_i18n import suffix as _plugin
    from mkdocs_static_i18n.config import RE_LOCALE
except ImportError:  # the plugin is not installed: nothing to replace
    _plugin = None


def install() -> None:
    """Put create_i18n_file in the plugin's place (see the module's docstring); once."""
    if _plugin is None or os.sep != "/":
        return
    if getattr(_plugin.create_i18n_file, "explainer_fast", False):
        return  # installed (and perhaps wrapped by site._remember_i18n_files)
    made_by_plugin = _plugin.create_i18n_file
    plugin_log = _plugin.log

    def chosen(file, current_language, default_language, all_languages, config) -> File:
        make = made_by_plugin if plugin_log.isEnabledFor(logging.DEBUG) else create_i18n_file
        return make(file, current_language, default_language, all_languages, config)

    chosen.explainer_fast = True  # type: ignore[attr-defined]
    chosen.made_by_plugin = made_by_plugin  # type: ignore[attr-defined]
    _plugin.create_i18n_file = chosen
