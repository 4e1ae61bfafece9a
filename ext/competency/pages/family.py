"""The pages of a family of jobs, in the `shared/` folder, and what job pages say of the family.

- `shared/index`: every shared competency with the number of jobs that need it;
- `shared/competencies/<id>`: the jobs that need it, each with its own code, qualifier and indicators;
- `shared/indicators/<id>`: the jobs that list these words;
- `shared/matrix`: jobs x shared competencies;
- `shared/paths/<from>--<to>`: a declared career path, printable;
- `shared/compare`: any two jobs, compared in the browser from a data file (compare.py); `compare.html`
  at the site's root forwards to it with the chosen pair.

Their stubs are written beside the models' (compared before writing). Like a job's pages, a
family page keeps the digest of what it shows when it is read; when a source changes, the family's
pages are built again in memory and only those whose digest differs are read again
(digests.changed_family_pages). Job pages show other jobs through `family_key`, which the
models' keys include (digests.py).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..sources.family import FAMILY_FOLDER, Family, family_of
from ..sources.model import Model
from ..sphinx_ext.inline import inline_nodes, plain_text
from ..sphinx_ext.stubs import MARKER, MARKER_TEXT, STUB_SUFFIX
from .compare import DATA_SCRIPT, Comparison, compare
from .parts import (
    bullet_list,
    code_node,
    competency_link,
    display,
    doc_link,
    empty_cell,
    heading,
    hidden_toctree,
    indicator_link,
    link,
    page_section,
    paragraph,
    permalink_node,
    static_script,
    table_row,
)

#: Stub "page" values of the family's pages.
FAMILY_PAGES = (
    "shared-index",
    "shared-matrix",
    "shared-compare",
    "shared-competency",
    "shared-indicator",
    "career-path",
)


def family_docname(kind: str, item: str = "") -> str:
    """The permanent document name of a family page: from ids only."""
    if kind == "shared-competency":
        return f"{FAMILY_FOLDER}/competencies/{item}"
    if kind == "shared-indicator":
        return f"{FAMILY_FOLDER}/indicators/{item}"
    if kind == "career-path":
        return f"{FAMILY_FOLDER}/paths/{item}"
    return f"{FAMILY_FOLDER}/{kind.removeprefix('shared-')}"


def compare_href(from_docname: str, source: str = "", target: str = "") -> str:
    """A link to the compare page (with a pair, when given), relative to a page."""
    query = f"?from={source}&to={target}" if source and target else (f"?from={source}" if source else "")
    return "../" * from_docname.count("/") + family_docname("shared-compare") + ".html" + query


# -- stubs --------------------------------------------------------------------------------------------


def family_stubs(site: Any) -> list[tuple[str, dict[str, str]]]:
    """(docname, stub) of every family page, former ids' redirects included; none without a library."""
    library = site.library
    if library is None:
        return []

    def stub(kind: str, item: str = "", **extra: str) -> tuple[str, dict[str, str]]:
        return family_docname(kind, item), {"page": kind, "model": "", "item": item, "family": "1", **extra}

    stubs = [stub("shared-index"), stub("shared-matrix"), stub("shared-compare")]
    stubs += [stub("shared-competency", c) for c in library.competencies]
    stubs += [stub("shared-indicator", i) for i in library.indicators]
    stubs += [stub("career-path", p.id) for p in library.paths]
    for alias, (kind, current) in library.aliases_index().items():
        stubs.append((family_docname(kind, alias), {**stub(kind, current)[1], "alias": alias}))
    return stubs


def write_family_stubs(srcdir: Path, site: Any) -> int:
    """Bring the `shared/` stub folder in line with the library; return how many files were written."""
    folder = srcdir / FAMILY_FOLDER
    wanted = {srcdir / (d + STUB_SUFFIX): json.dumps(s, sort_keys=True) + "\n" for d, s in family_stubs(site)}
    if not wanted:
        if (folder / MARKER).is_file():
            _remove(folder)
        return 0
    folder.mkdir(exist_ok=True)
    written = 0
    for path, text in {folder / MARKER: MARKER_TEXT, folder / ".gitignore": "# generated pages\n*\n", **wanted}.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written += 1
    for stub in folder.rglob(f"*{STUB_SUFFIX}"):
        if stub not in wanted:
            stub.unlink()
    return written


def _remove(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()


# -- the family pages -----------------------------------------------------------------------------------


def family_page(family: Family, stub: dict[str, str], docname: str) -> nodes.section:
    """The nodes of a family page."""
    kind, item = stub["page"], stub["item"]
    if "alias" in stub:
        return _redirect_page(family, kind, item, stub["alias"])
    builders = {
        "shared-index": lambda: index_page(family, docname),
        "shared-matrix": lambda: matrix_page(family),
        "shared-compare": lambda: compare_page(family, docname),
        "shared-competency": lambda: shared_competency_page(family, item),
        "shared-indicator": lambda: shared_indicator_page(family, item),
        "career-path": lambda: career_path_page(family, item, docname),
    }
    return builders[kind]()


def shown_as(family: Family, kind: str, item: str) -> str:
    """How a family page is named in roles, search and objects.inv."""
    library = family.library
    if kind == "shared-competency":
        return f"{library.competencies[item].title} (shared competency)"
    if kind == "shared-indicator":
        return f"{plain_text(library.indicators[item].text)} (shared indicator)"
    if kind == "career-path":
        path = next(p for p in library.paths if p.id == item)
        return f"From {_title(family, path.source)} to {_title(family, path.target)}"
    return {"shared-index": "Shared competencies", "shared-matrix": "Jobs and shared competencies"}.get(
        kind, "Compare two jobs"
    )


def _title(family: Family, model_id: str) -> str:
    model = family.model(model_id)
    return model.title if model else model_id


def _shared_link(family: Family, shared_id: str, text: str | None = None) -> nodes.Node:
    shared = family.library.competencies[shared_id]
    return link(FAMILY_FOLDER, "shared-competency", shared_id, text or shared.title)


def index_page(family: Family, docname: str) -> nodes.section:
    library = family.library
    page = page_section("shared-index", "index", [nodes.Text("Shared competencies")])
    page += paragraph(
        "Competencies that several jobs need. Each has one page listing every job that needs it, with "
        "that job's own code, qualifier and indicators.",
        classes=["comp-lead"],
    )
    page += bullet_list(
        [
            paragraph(doc_link(family_docname("shared-matrix"), "Jobs and shared competencies (the matrix)")),
            paragraph(_raw_link(compare_href(docname), "Compare any two jobs")),
        ]
    )
    page += heading("Shared competencies")
    rows = []
    for shared_id in library.competencies:
        count = len(_competency_uses(family, shared_id))
        rows.append(paragraph(_shared_link(family, shared_id), f" ({count} job{'s' if count != 1 else ''})"))
    page += bullet_list(rows, classes=["comp-shared-list"])
    if library.paths:
        page += heading("Career paths")
        page += bullet_list(
            paragraph(link(FAMILY_FOLDER, "career-path", p.id, shown_as(family, "career-path", p.id)))
            for p in library.paths
        )
    page += hidden_toctree(
        docname,
        [
            *(family_docname("shared-competency", c) for c in library.competencies),
            family_docname("shared-matrix"),
            family_docname("shared-compare"),
            *(family_docname("career-path", p.id) for p in library.paths),
        ],
    )
    return page


def _competency_uses(family: Family, shared_id: str) -> list[Any]:
    return [u for u in family.uses_of(shared_id) if u.item in u.model.competencies]


def _raw_link(href: str, text: str) -> nodes.reference:
    """A link with a query string (the compare page): no document name can carry one."""
    return nodes.reference(text, text, refuri=href, classes=["comp-compare-link"])


def shared_competency_page(family: Family, shared_id: str) -> nodes.section:
    shared = family.library.competencies[shared_id]
    page = page_section("shared-competency", shared_id, [nodes.Text(shared.title)])
    page += paragraph("Shared competency", classes=["comp-kicker"])
    if shared.description:
        page += paragraph(*inline_nodes(shared.description), classes=["comp-lead"])
    uses = _competency_uses(family, shared_id)
    if not uses:
        notice = nodes.note()
        notice += paragraph(
            "No job this site publishes needs this competency now. Its page keeps its address so that "
            "links to it keep working."
        )
        page += notice
    else:
        page += heading(f"Needed in {len(uses)} job{'s' if len(uses) != 1 else ''}")
        grid = nodes.container(classes=["comp-family-uses"])
        for use in uses:
            grid += _use_block(family, use.model, use.item)
        page += grid
    if shared.indicators:
        page += heading("Indicators worded the same in several jobs")
        page += bullet_list(
            paragraph(
                link(FAMILY_FOLDER, "shared-indicator", i, inline_nodes(family.library.indicators[i].text)),
                f" ({len(family.uses_of(i))} jobs)",
            )
            for i in shared.indicators
        )
    page += paragraph(doc_link(family_docname("shared-index"), "All shared competencies"))
    page += hidden_toctree(
        family_docname("shared-competency", shared_id),
        [family_docname("shared-indicator", i) for i in shared.indicators],
    )
    return page


def _use_block(family: Family, model: Model, competency_id: str) -> nodes.container:
    """One job's use of a shared competency: its code, qualifier, preamble and indicators."""
    competency = model.competencies[competency_id]
    block = nodes.container(classes=["comp-family-use"])
    block += paragraph(link(model.id, "model", model.id, model.title), classes=["comp-family-job"])
    block += paragraph(competency_link(model, competency_id, model.home_of_competency(competency_id).code))
    if competency.description:
        block += paragraph(*inline_nodes(competency.description))
    if competency.preamble:
        block += paragraph(*inline_nodes(competency.preamble), classes=["comp-preamble"])
    items = []
    for indicator_id in competency.indicators:
        line = paragraph(
            indicator_link(model, model.indicators[indicator_id], model.home_of_indicator(indicator_id)[1].code)
        )
        if family.shared_id(model.id, indicator_id):
            line += nodes.Text(" ")
            line += nodes.inline("(shared)", "(shared)", classes=["comp-shared-mark"])
        items.append(line)
    if items:
        block += bullet_list(items)
    return block


def shared_indicator_page(family: Family, shared_id: str) -> nodes.section:
    shared = family.library.indicators[shared_id]
    page = page_section("shared-indicator", shared_id, [nodes.Text(plain_text(shared.text))])
    page += paragraph("Shared indicator of ", _shared_link(family, shared.competency), classes=["comp-kicker"])
    page += paragraph(*inline_nodes(shared.text), classes=["comp-lead"])
    uses = [u for u in family.uses_of(shared_id) if u.item in u.model.indicators]
    if not uses:
        notice = nodes.note()
        notice += paragraph("No job this site publishes lists these words now; the page keeps its address.")
        page += notice
        return page
    page += heading(f"Listed by {len(uses)} job{'s' if len(uses) != 1 else ''}")
    page += _indicator_uses(uses)
    return page


def _indicator_uses(uses: Iterable[Any]) -> nodes.bullet_list:
    """Each job's use of a shared indicator: the job, and its indicator with the job's code."""
    return bullet_list(
        paragraph(
            link(u.model.id, "model", u.model.id, u.model.title),
            ": ",
            indicator_link(u.model, u.model.indicators[u.item], u.model.home_of_indicator(u.item)[1].code),
        )
        for u in uses
    )


def matrix_page(family: Family) -> nodes.section:
    """Jobs (columns) against shared competencies (rows); a cell is the job's code for it."""
    page = page_section("shared-matrix", "matrix", [nodes.Text("Jobs and shared competencies")])
    page += paragraph("Each cell gives the job's code for the competency and links to the job's page.")
    models = family.models
    table = nodes.table(classes=["comp-matrix", "comp-family-matrix"])
    group = nodes.tgroup(cols=len(models) + 1)
    table += group
    group += [nodes.colspec(colwidth=3, stub=1)] + [nodes.colspec(colwidth=1) for _ in models]
    head = nodes.thead()
    group += head
    head += table_row(
        [paragraph("Shared competency"), *(paragraph(link(m.id, "model", m.id, m.title)) for m in models)]
    )
    body = nodes.tbody()
    group += body
    codes = {(u.model.id, shared_id): u.item for shared_id, uses in family.users.items() for u in uses}
    for shared_id in family.library.competencies:
        cells = [paragraph(_shared_link(family, shared_id))]
        for model in models:
            item = codes.get((model.id, shared_id))
            if item in model.competencies:
                code = model.home_of_competency(item).code
                cells.append(paragraph(link(model.id, "competency", item, code)))
            else:
                cells.append(empty_cell("not used"))
        body += table_row(cells)
    page += table
    return page


def career_path_page(family: Family, path_id: str, docname: str) -> nodes.section:
    """A declared career path: the comparison of the two jobs, on one printable page."""
    path = next(p for p in family.library.paths if p.id == path_id)
    page = page_section("career-path", path_id, [nodes.Text(shown_as(family, "career-path", path_id))])
    page += paragraph("Career path", classes=["comp-kicker"])
    if path.note:
        page += paragraph(*inline_nodes(path.note), classes=["comp-lead"])
    source, target = family.model(path.source), family.model(path.target)
    if source is None or target is None:
        notice = nodes.note()
        notice += paragraph("One of these jobs is not published on this site; the page keeps its address.")
        page += notice
        return page
    page += comparison_nodes(family, compare(family, source, target))
    page += paragraph(_raw_link(compare_href(docname, source.id, target.id), "Compare these jobs interactively"))
    return page


def comparison_nodes(family: Family, comparison: Comparison) -> list[nodes.Node]:
    source, target = comparison.source, comparison.target
    result: list[nodes.Node] = [
        paragraph(
            f"{len(comparison.shared)} shared competencies, {len(comparison.added)} to gain, "
            f"{len(comparison.dropped)} no longer needed.",
            classes=["comp-path-summary"],
        ),
        heading("What the two jobs share"),
    ]
    shared_items = []
    for pair in comparison.shared:
        item: list[nodes.Node] = [
            paragraph(
                _shared_link(family, pair.shared),
                ": ",
                competency_link(source, pair.source, source.home_of_competency(pair.source).code),
                " → ",
                competency_link(target, pair.target, target.home_of_competency(pair.target).code),
            )
        ]
        if pair.common:
            item.append(paragraph("Both list:"))
            # Each job's code of the same words: the source's, then the target's with its page.
            item.append(
                bullet_list(
                    paragraph(code_node(source.home_of_indicator(s)[1].code), " → ", _indicator(target, t))
                    for s, t in pair.common
                )
            )
        if pair.gained:
            item.append(paragraph(f"To gain for {target.title}:"))
            item.append(bullet_list((paragraph(_indicator(target, i)) for i in pair.gained), classes=["comp-gain"]))
        if pair.left:
            item.append(paragraph(f"Listed by {source.title} only:"))
            item.append(bullet_list(paragraph(_indicator(source, i)) for i in pair.left))
        shared_items.append(item)
    result.append(bullet_list(shared_items) if shared_items else paragraph("The two jobs share no competency."))
    result.append(heading(f"What {target.title} adds"))
    result.append(_competency_list(target, comparison.added, with_indicators=True))
    result.append(heading(f"What {source.title} needs and {target.title} does not"))
    result.append(_competency_list(source, comparison.dropped, with_indicators=False))
    return result


def _indicator(model: Model, indicator_id: str) -> nodes.Node:
    return indicator_link(model, model.indicators[indicator_id], model.home_of_indicator(indicator_id)[1].code)


def _competency_list(model: Model, competency_ids: tuple[str, ...], *, with_indicators: bool) -> nodes.Node:
    if not competency_ids:
        return paragraph("None.")
    items = []
    for competency_id in competency_ids:
        item: list[nodes.Node] = [
            paragraph(competency_link(model, competency_id, model.home_of_competency(competency_id).code))
        ]
        indicators = model.competencies[competency_id].indicators
        if with_indicators and indicators:
            item.append(bullet_list((paragraph(_indicator(model, i)) for i in indicators), classes=["comp-gain"]))
        items.append(item)
    return bullet_list(items)


def compare_page(family: Family, docname: str) -> nodes.section:
    """The offline comparison of any two jobs: a form, filled in by compare.js from the data script."""
    page = page_section("shared-compare", "compare", [nodes.Text("Compare two jobs")])
    page += paragraph(
        "Choose the job a person has and the job they move to: the page lists what the two share, what the "
        "second job adds and what it no longer needs. It works offline; the address keeps the choice "
        "(compare.html?from=<job>&to=<job>).",
        classes=["comp-lead"],
    )
    options = "".join(f'<option value="{_attr(m.id)}">{_text(m.title)}</option>' for m in family.models)
    prefix = "../" * docname.count("/")
    page += nodes.raw(
        "",
        '<form class="comp-compare-form" id="comp-compare-form">'
        f'<label for="comp-compare-from">From</label><select id="comp-compare-from" name="from">{options}</select>'
        f'<label for="comp-compare-to">To</label><select id="comp-compare-to" name="to">{options}</select>'
        '<button type="submit">Compare</button></form>'
        '<div id="comp-compare-result" class="comp-compare-result" aria-live="polite">'
        "<p>The comparison needs JavaScript; the career path pages show the declared paths without it.</p></div>"
        f'<script src="{prefix}{DATA_SCRIPT}"></script>' + static_script(prefix, "comp-compare.js"),
        format="html",
    )
    return page


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _redirect_page(family: Family, kind: str, current: str, alias: str) -> nodes.section:
    page = page_section("redirect", alias, [nodes.Text(f"Moved: {alias}")])
    page += paragraph(
        "This shared item was renamed. Its page is now ",
        doc_link(family_docname(kind, current), shown_as(family, kind, current)),
        ". Please update your link.",
    )
    return page


# -- what job pages say of the family ----------------------------------------------------------------------


def competency_family_nodes(family: Family | None, model: Model, competency_id: str) -> list[nodes.Node]:
    """On a job's competency page: the shared competency, and the other jobs that need it."""
    shared_id = family.shared_id(model.id, competency_id) if family else None
    if family is None or shared_id is None:
        return []
    others = [u for u in _competency_uses(family, shared_id) if u.model.id != model.id]
    result: list[nodes.Node] = [
        heading("Other jobs that need it"),
        paragraph("A shared competency: ", _shared_link(family, shared_id), classes=["comp-family-shared"]),
    ]
    if others:
        result.append(
            bullet_list(
                paragraph(
                    link(u.model.id, "model", u.model.id, u.model.title),
                    ": ",
                    competency_link(u.model, u.item, u.model.home_of_competency(u.item).code),
                )
                for u in others
            )
        )
    else:
        result.append(paragraph("No other job of this site needs it."))
    return result


def indicator_family_nodes(family: Family | None, model: Model, indicator_id: str) -> list[nodes.Node]:
    """On a job's indicator page: the other jobs that list the same words."""
    shared_id = family.shared_id(model.id, indicator_id) if family else None
    if family is None or shared_id is None:
        return []
    others = [u for u in family.uses_of(shared_id) if u.model.id != model.id and u.item in u.model.indicators]
    result: list[nodes.Node] = [
        heading("Other jobs that list it"),
        paragraph(
            "A shared indicator: ",
            link(FAMILY_FOLDER, "shared-indicator", shared_id, inline_nodes(family.library.indicators[shared_id].text)),
        ),
    ]
    if others:
        result.append(_indicator_uses(others))
    return result


def model_family_nodes(family: Family | None, model: Model, docname: str) -> list[nodes.Node]:
    """On a job's model page: its shared competencies, its career paths and the compare page."""
    if family is None:
        return []
    shared = sorted(
        {family.shared_id(model.id, c) for c in model.competencies} - {None},
        key=list(family.library.competencies).index,
    )
    lines = [
        paragraph(
            doc_link(family_docname("shared-index"), "Shared competencies"),
            f": this job needs {len(shared)} of the {len(family.library.competencies)} the jobs of this site share",
        )
    ]
    for path in family.paths_of(model.id):
        lines.append(paragraph(link(FAMILY_FOLDER, "career-path", path.id, shown_as(family, "career-path", path.id))))
    lines.append(paragraph(_raw_link(compare_href(docname, model.id), "Compare this job with another")))
    return [heading("In the family of jobs"), bullet_list(lines)]


def family_key(site: Any, model_id: str) -> list[Any]:
    """What a job's pages show of other jobs: part of the key that says its pages need checking."""
    family = family_of(site)
    if family is None:
        return []
    facts: list[Any] = [str(family.library.path), [p.id for p in family.paths_of(model_id)]]
    for (owner, item), shared_id in sorted(family.shared_of.items()):
        if owner != model_id:
            continue
        for use in family.uses_of(shared_id):
            kind = "competency" if use.item in use.model.competencies else "indicator"
            facts.append([item, shared_id, use.model.id, use.model.title, use.item, display(use.model, kind, use.item)])
    facts.append(sorted(family.library.competencies))
    return facts


def iter_family_objects(family: Family, stub: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    """(objtype, fullname, display) of the object a family page documents (none for overviews)."""
    kind, item = stub["page"], stub["item"]
    if kind in ("shared-competency", "shared-indicator"):
        name = stub.get("alias", item)
        yield kind, f"{FAMILY_FOLDER}/{name}", shown_as(family, kind, item)
    elif kind == "career-path" and "alias" not in stub:
        yield kind, f"{FAMILY_FOLDER}/{item}", shown_as(family, kind, item)


#: The family's pages HR cites, which show their permanent link: its items and its career paths.
CITED_PAGES = ("shared-competency", "shared-indicator", "career-path")


def read_family_page(env: Any, document: nodes.document, stub: dict[str, str], docname: str) -> None:
    """The reader's part for a family stub: the page, its dependencies and its objects."""
    from ..sphinx_ext.config import competency_config
    from ..sphinx_ext.digests import page_digest
    from ..sphinx_ext.domain import CompetencyDomain, ObjectEntry  # the domain module must not import the pages
    from ..sphinx_ext.state import site_of

    site = site_of(env)
    family = family_of(site)
    if family is None:
        return  # a stub left from an earlier library: removed at the next start of a build
    # No dependency on the source files: like a job's pages, a family page is read again when its
    # digest says it shows something else (digests.changed_family_pages).
    page = family_page(family, stub, docname)
    domain = env.get_domain("comp")
    assert isinstance(domain, CompetencyDomain)
    domain.note_digest(docname, page_digest(page))  # before Sphinx changes the nodes
    if stub["page"] in CITED_PAGES and "alias" not in stub:
        # Its permanent link, as a job's item page has: made of settings only (a change of them
        # rebuilds every page), so it is added after the digest of what the page shows.
        page.insert(1, permalink_node(docname, site.edition, competency_config(env.config).site_links().base_url))
    document += page
    if "alias" in stub:
        env.metadata[docname].update({"orphan": True, "nosearch": True})
        domain.note_redirect(docname, family_docname(stub["page"], stub["item"]))
    for objtype, fullname, shown in iter_family_objects(family, stub):
        target = family_docname(stub["page"], stub["item"])
        priority = -1 if "alias" in stub else 1
        entry = ObjectEntry(target, "", shown, priority=priority, recorded_by=docname if "alias" in stub else "")
        domain.note_object(objtype, fullname, entry, location=docname)


def family_catalogue_line(family: Family | None) -> nodes.Node:
    """The home page's way into the family: its shared competencies, matrix and comparison."""
    assert family is not None
    count = len(family.library.competencies)
    return paragraph(
        doc_link(family_docname("shared-index"), "Shared competencies"),
        f": the {count} competencies these {len(family.models)} jobs share, which jobs need each, and the "
        "way from one job to another.",
        classes=["comp-catalogue-family"],
    )


# -- registration -------------------------------------------------------------------------------------------


def write_family_data(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the compare page's data script and the same data as JSON, beside the site's pages
    (again only when a source changed: the data covers every job, and a no-op build writes nothing)."""
    from ..exports.downloads import sources_key
    from ..exports.files import write_text
    from ..sphinx_ext.build_record import record, recorded
    from ..sphinx_ext.state import site_of
    from ..theme.internals import writes_html_pages
    from .compare import DATA_JSON, data_script, family_data

    if exception is not None or not writes_html_pages(app.builder) or app.statuscode:
        return
    site = site_of(app.env)
    family = family_of(site)
    if family is None:
        return
    outdir = Path(app.builder.outdir)
    root_page = ROOT_COMPARE.removesuffix(".html") not in app.env.all_docs  # a page of the site's own keeps the name
    files = [outdir / DATA_SCRIPT, outdir / DATA_JSON, *([outdir / ROOT_COMPARE] if root_page else [])]
    key = sources_key(app, site, outdir, [root_page])
    if recorded(app, "family_data") == key and all(path.is_file() for path in files):
        return
    data = family_data(family)
    write_text(outdir / DATA_SCRIPT, data_script(data))
    write_text(outdir / DATA_JSON, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    if root_page:
        write_text(outdir / ROOT_COMPARE, root_compare_page())
    record(app, "family_data", key)


#: The short address of the compare page, at the site's root: `compare.html?from=<id>&to=<id>`.
ROOT_COMPARE = "compare.html"


def root_compare_page() -> str:
    """A page at the site's root that forwards to the compare page, keeping the chosen pair (the query)."""
    target = family_docname("shared-compare") + ".html"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Compare two jobs</title>\n"
        f'<script>location.replace("{target}" + location.search + location.hash);</script>\n'
        f'<noscript><meta http-equiv="refresh" content="0; url={target}"></noscript>\n'
        "</head>\n<body>\n"
        f'<p>The comparison of two jobs is at <a href="{target}">{target}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def setup_family(app: Sphinx) -> None:
    app.add_css_file("comp-family.css")
    app.connect("build-finished", write_family_data)
