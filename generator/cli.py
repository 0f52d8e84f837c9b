"""The `explainer` command line: a thin click layer over the pipeline stages.

Each command maps onto stage functions and does no work of its own beyond reporting: problems
go to stderr as PATH:LINE:COLUMN lines (or GitHub annotations), bad input exits 1 without a
traceback, usage errors exit 2 (click's own convention), and long commands end with a one-line
summary so that a CI log or an editor's terminal says at a glance what happened.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from .model import InputError, Problem
from .project import Project


class Reporter:
    """Prints problems and summaries according to -v / -q and the output format."""

    def __init__(self, verbosity: int = 0, fmt: str = "text"):
        self.verbosity = verbosity
        self.fmt = fmt

    def problems(self, problems: list[Problem]) -> None:
        for p in problems:
            click.echo(p.format_github() if self.fmt == "github" else p.format(), err=True)

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        if self.verbosity > 0:
            click.echo(message, err=True)

    def progress(self, total: int, desc: str) -> Callable[[int], None] | None:
        """A progress bar on a terminal (tqdm), nothing otherwise (plain summary lines)."""
        if self.verbosity < 0 or total < 2 or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        bar = tqdm(total=total, desc=desc, unit="article", leave=False, file=sys.stderr)

        def update(done: int) -> None:
            bar.update(done - bar.n)
            if done >= total:
                bar.close()

        return update


def _n(count: int, noun: str) -> str:
    """ "1 new candidate", "2 new candidates": summaries are read by people."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _command(func):
    """Run a command body, turning InputError into located problem lines and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        reporter: Reporter = ctx.obj["reporter"]
        try:
            return func(*args, **kwargs)
        except InputError as e:
            reporter.problems(e.problems)
            n = len([p for p in e.problems if p.severity == "error"])
            reporter.info(f"{n} problem{'s' if n != 1 else ''}; nothing was written")
            ctx.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project root (holds seeds/, facts.yaml, site_src/, mkdocs.yml).",
)
@click.option("-v", "--verbose", count=True, help="Say more.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only.")
@click.version_option(package_name="arabic-explainer")
@click.pass_context
def cli(ctx: click.Context, root: Path, verbose: int, quiet: bool) -> None:
    """Arabic news explainer: seeds -> facts.yaml -> Markdown pages -> an Arabic MkDocs site."""
    ctx.ensure_object(dict)
    ctx.obj["project"] = Project(root)
    ctx.obj["reporter"] = Reporter(-1 if quiet else verbose)


def _project() -> Project:
    return click.get_current_context().obj["project"]


def _reporter() -> Reporter:
    return click.get_current_context().obj["reporter"]


@cli.command()
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes; 0 = one per core.",
)
@click.option(
    "--no-cache", is_flag=True, help="Re-read every article (ignore the extraction cache)."
)
@_command
def extract(jobs: int, no_cache: bool) -> None:
    """Find dated statements in seeds/ and add new candidates to facts.yaml."""
    from .extract import extract_corpus
    from .factindex import merge, read_index
    from .ingest import read_corpus

    project, rep = _project(), _reporter()
    # checked here, split into sentences by the workers
    articles, warnings = read_corpus(project.seeds, project.display(project.seeds), parse=False)
    rep.problems(warnings)
    loaded = read_index(project.facts, project.display(project.facts), project.facts_cache)
    index = loaded.index
    extractions = extract_corpus(
        articles,
        index.actors,
        index.meetings,
        jobs=jobs,
        cache_dir=None if no_cache else project.cache,
        progress=rep.progress(len(articles), "extract"),
    )
    result = merge(
        project.facts,
        extractions,
        project.display(project.facts),
        base=loaded,
        cache=project.facts_cache,
    )
    found = sum(len(e.candidates) for e in extractions)
    rep.info(
        f"{_n(len(articles), 'article')} read, {_n(found, 'dated sentence')}, "
        f"{_n(result.added_facts, 'new candidate')}, "
        f"{_n(result.added_actors, 'new actor candidate')}, {_n(len(warnings), 'warning')}; "
        f"facts.yaml {'updated' if result.text_changed else 'unchanged'}"
    )


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github: GitHub Actions annotations.",
)
@_command
def check(fmt: str) -> None:
    """Validate seeds/sources.yaml and facts.yaml (schema, references, quotes, dates)."""
    from .factindex import check_project

    rep = _reporter()
    rep.fmt = fmt
    problems = check_project(_project(), rep.progress)
    rep.problems(problems)
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    if errors:
        rep.info(f"{_n(len(errors), 'error')}, {_n(warnings, 'warning')}")
        click.get_current_context().exit(1)
    rep.info(f"facts.yaml and seeds/ are valid ({_n(warnings, 'warning')})")


# the variables a mkdocs.yml reads with !ENV VAR or !ENV [VAR, OTHER, default]
_ENV_TAG = re.compile(r"!ENV\s*(\[[^\]\n]*\]|\S+)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _english_configured(project: Project) -> tuple[bool, Callable[[], None] | None]:
    """Whether mkdocs.yml builds the English edition, as MkDocs reads it
    (site.english_configured), remembered for the same mkdocs.yml and environment; with the
    function that remembers a new answer (None when there is nothing to remember).

    Why: importing MkDocs and its plugins and loading the configuration take about a fifth of
    a second, more than a generation that finds nothing to do and a tenth of one after an
    edit. The answer depends on the file's bytes and on the environment variables its !ENV
    tags read (EXPLAINER_ENGLISH); a file that inherits another (INHERIT) is read by MkDocs
    every time.
    """
    try:
        blob = project.mkdocs_yml.read_bytes()
    except FileNotFoundError:
        return False
    text = blob.decode("utf-8", errors="replace")
    key = None
    if "INHERIT" not in text:
        names = sorted({n for tag in _ENV_TAG.findall(text) for n in _NAME.findall(tag)})
        seen = hashlib.blake2b(blob, digest_size=16)
        seen.update(json.dumps({n: os.environ.get(n) for n in names}).encode())
        key = seen.hexdigest()
        try:
            stamp = json.loads(project.editions_stamp.read_text(encoding="utf-8"))
            if stamp.get("key") == key and isinstance(stamp.get("english"), bool):
                return stamp["english"], None
        except (OSError, ValueError, AttributeError):
            pass
    from .site import english_configured
    from .yamlio import atomic_write

    english = english_configured(project)
    if key is None:
        return english, None

    def remember() -> None:
        with contextlib.suppress(OSError):
            atomic_write(project.editions_stamp, json.dumps({"key": key, "english": english}))

    return english, remember


def _load_for_pages(project: Project):
    from .factindex import load_index
    from .ingest import load_sources

    index = load_index(project.facts, project.display(project.facts), project.facts_cache)
    sources = load_sources(project.seeds, project.display(project.seeds), project.sources_cache)
    # The index lives as long as the command and holds no cycles: the collector need not
    # walk its million objects each time it runs (a large story: 0.3 s a walk)
    gc.freeze()
    return index, sources


@cli.command()
@click.option(
    "--force",
    is_flag=True,
    help="Read and render everything even when facts.yaml and seeds/sources.yaml are unchanged.",
)
@click.option(
    "--english/--no-english",
    default=None,
    help="Write the English edition's pages too, or not (default: as mkdocs.yml says).",
)
@_command
def generate(force: bool, english: bool | None) -> None:
    """Write the Markdown pages into site_src/ (only pages whose content changed).

    When facts.yaml, seeds/sources.yaml and the generator are byte for byte what the last run
    used and its pages are untouched, nothing is read or rendered (see
    pages.generate_if_changed); --force renders everything and still writes only what changed.
    The English edition's pages are written when mkdocs.yml builds that edition, unless
    --english or --no-english says otherwise.
    """
    from .pages import generate as generate_pages
    from .pages import generate_if_changed

    project = _project()
    remember = None
    if english is None:
        english, remember = _english_configured(project)
    if force:
        index, sources = _load_for_pages(project)
        result = generate_pages(index, sources, project.site_src, english=english)
    else:
        result = generate_if_changed(
            [project.facts, project.sources_yaml],
            project.site_src,
            lambda: _load_for_pages(project),
            project.pages_stamp,
            english=english,
        )
    if remember is not None:
        remember()  # only now: a refused run leaves every file as it was
    _reporter().info(
        f"{result.written} pages written, {result.unchanged} unchanged, {result.removed} removed"
    )


@cli.command()
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: site/).",
)
@_command
def build(site_dir: Path | None) -> None:
    """check + generate + `mkdocs build --strict` into site/."""
    from .factindex import check_project
    from .site import build as build_site

    project, rep = _project(), _reporter()
    problems = check_project(project)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(problems)
    rep.problems(problems)
    build_site(project, site_dir=site_dir, strict=True)
    rep.info(f"site built in {site_dir or project.root / 'site'}")


@cli.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True)
@_command
def serve(dev_addr: str) -> None:
    """generate + `mkdocs serve`, regenerating when facts.yaml or seeds/ change."""
    from .site import serve as serve_site

    serve_site(_project(), dev_addr=dev_addr)


def _parse_published(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a YYYY-MM-DD date") from None


@cli.command()
@click.option(
    "--published",
    callback=_parse_published,
    metavar="YYYY-MM-DD",
    help="Publication date that relative expressions resolve against.",
)
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), default="-")
@_command
def dates(published: date | None, file: str) -> None:
    """Print the temporal expressions of one text (FILE or - for stdin) as JSON."""
    from .dates import find_dates
    from .ingest import decode_article

    if file == "-":
        data, display = sys.stdin.buffer.read(), "<stdin>"
    else:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise InputError([Problem(file, None, None, e.strerror or str(e))]) from None
        display = file
    text = decode_article(data, display) if data.strip() else ""
    mentions = find_dates(text, published)
    click.echo(json.dumps([m.to_json() for m in mentions], ensure_ascii=False, indent=1))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "timelinejs", "ics"]),
    default="json",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE instead of stdout.",
)
@_command
def export(fmt: str, output: Path | None) -> None:
    """The fact index for other tools: JSON, CSV, TimelineJS or iCalendar."""
    from .export import export as export_index
    from .yamlio import atomic_write

    index, sources = _load_for_pages(_project())
    text = export_index(index, sources, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
        _reporter().info(f"{output}: {len(text.encode()):,} bytes")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--published", callback=_parse_published, metavar="YYYY-MM-DD", default=None)
@click.option("--outlet", default=None, help="The outlet's name (Arabic).")
@click.option(
    "--outlet-en", default=None, help="The outlet's name in English, for the English edition."
)
@_command
def add(
    files: tuple[Path, ...], published: date | None, outlet: str | None, outlet_en: str | None
) -> None:
    """Add article files already copied into seeds/ to seeds/sources.yaml."""
    from .ingest import add_sources

    project = _project()
    added = add_sources(
        project.seeds,
        [f.name for f in files],
        published,
        outlet,
        project.display(project.seeds),
        outlet_en=outlet_en,
    )
    _reporter().info(f"{_n(len(added), 'article')} added to seeds/sources.yaml: {', '.join(added)}")


def main() -> None:
    """Console-script entry point."""
    cli(obj={}, prog_name="explainer")


if __name__ == "__main__":
    main()
