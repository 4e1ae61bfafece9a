"""Small node builders shared by the item pages: links, lists, headings, toctrees."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from ..sources.model import Competency, Indicator, Model, Responsibility, Section
from ..sphinx_ext.inline import inline_nodes, plain_text
from ..sphinx_ext.nodes import kind_badge, permalink

#: The theme's static files (copied to `_static/` of every site).
STATIC = Path(__file__).resolve().parents[1] / "theme" / "static"

KIND_LABELS = {
    "technical": "Technical",
    "non-technical": "Non-technical",
    "foundational": "Foundational",
    "responsibilities": "Responsibilities",
    "superior-performance": "Superior performance",
}

EDITORIAL_NOTE = (
    "The links between responsibilities and competencies are an editorial mapping by the site's "
    "maintainers; the published model does not give them."
)


def competency_label(competency: Competency) -> str:
    """Title with its qualifier, as published: "Computer Skills (Basic Expertise)"."""
    return f"{competency.title} ({competency.qualifier})" if competency.qualifier else competency.title


def display(model: Model, objtype: str, item_id: str, code: str = "") -> str:
    """Code and title of an item as plain text (roles, intersphinx, link titles)."""
    if objtype == "model":
        return model.title
    if objtype == "section":
        return model.section(item_id).heading
    if objtype == "competency":
        code = code or model.home_of_competency(item_id).code
        return f"{code} {competency_label(model.competencies[item_id])}"
    if objtype == "indicator":
        code = code or model.home_of_indicator(item_id)[1].code
        return f"{code} {plain_text(model.indicators[item_id].text)}"
    responsibility = model.responsibilities[item_id]
    return f"{responsibility.code} {plain_text(responsibility.text)}"


def item_title(model: Model, objtype: str, item_id: str) -> str:
    """The title of an item without its code: an item a site leaves out has no code there (its
    generic code may be another item's in the site's own order)."""
    if objtype == "section":
        return model.section(item_id).title
    if objtype == "competency":
        return competency_label(model.competencies[item_id])
    if objtype == "indicator":
        return plain_text(model.indicators[item_id].text)
    return plain_text(model.responsibilities[item_id].text)


def link(model_id: str, objtype: str, item_id: str, children: Sequence[nodes.Node] | str) -> addnodes.pending_xref:
    """A link to an item page, resolved by the comp domain when the page is written."""
    ref = addnodes.pending_xref(
        "",
        refdomain="comp",
        reftype=objtype,
        reftarget=f"{model_id}/{item_id}" if objtype != "model" else model_id,
        refexplicit=True,
        refwarn=True,
    )
    ref["comp:generated"] = True
    inner = nodes.inline(classes=["comp-ref", f"comp-ref-{objtype}"])
    inner += [nodes.Text(children)] if isinstance(children, str) else list(children)
    ref += inner
    return ref


def std_link(reftype: str, target: str, text: str) -> addnodes.pending_xref:
    """A link through the standard domain (a document or a label)."""
    ref = addnodes.pending_xref("", refdomain="std", reftype=reftype, reftarget=target, refexplicit=True, refwarn=True)
    ref += nodes.inline(text, text)
    return ref


def doc_link(docname: str, text: str) -> addnodes.pending_xref:
    """A link to a page of the site, resolved by the comp domain when the page is written."""
    ref = std_link("doc", "/" + docname, text)
    ref["comp:generated"] = True
    return ref


def code_node(code: str) -> nodes.inline:
    """An item's display code ("II.1.b"), styled as a code."""
    return nodes.inline(code, code, classes=["comp-code"])


def coded_link(model_id: str, objtype: str, item_id: str, code: str, text_nodes: Sequence[nodes.Node]) -> nodes.inline:
    """ "II.1.b Clearly explains ...": the code, then the linked title."""
    wrapper = nodes.inline(classes=["comp-coded"])
    wrapper += code_node(code)
    wrapper += nodes.Text(" ")
    wrapper += link(model_id, objtype, item_id, text_nodes)
    return wrapper


def competency_link(model: Model, competency_id: str, code: str) -> nodes.inline:
    return coded_link(
        model.id, "competency", competency_id, code, [nodes.Text(competency_label(model.competencies[competency_id]))]
    )


def indicator_link(model: Model, indicator: Indicator, code: str) -> nodes.inline:
    return coded_link(model.id, "indicator", indicator.id, code, inline_nodes(indicator.text, links=False))


def responsibility_link(model: Model, responsibility: Responsibility) -> nodes.inline:
    return coded_link(
        model.id,
        "responsibility",
        responsibility.id,
        responsibility.code,
        inline_nodes(responsibility.text, links=False),
    )


def section_link(model: Model, section: Section) -> nodes.inline:
    return coded_link(model.id, "section", section.id, f"{section.code}.", [nodes.Text(section.title)])


def section_size(section: Section) -> tuple[int, int]:
    """(competencies, indicators) listed in a section, repeats included."""
    placements = list(section.placements())
    return len(placements), sum(len(p.indicators) for p in placements)


def badge(kind: str) -> kind_badge:
    label = KIND_LABELS[kind]
    node = kind_badge(label, label)
    node["kind"] = kind
    return node


def paragraph(*children: nodes.Node | str, classes: Iterable[str] = ()) -> nodes.paragraph:
    para = nodes.paragraph(classes=list(classes))
    para += [nodes.Text(c) if isinstance(c, str) else c for c in children]
    return para


def text_paragraphs(text: str | None, classes: Iterable[str] = ()) -> list[nodes.paragraph]:
    """A note of one or more paragraphs (separated by blank lines)."""
    if not text:
        return []
    return [paragraph(*inline_nodes(part), classes=classes) for part in text.split("\n\n") if part.strip()]


def bullet_list(items: Iterable[nodes.Node | Sequence[nodes.Node]], classes: Iterable[str] = ()) -> nodes.bullet_list:
    result = nodes.bullet_list(classes=list(classes))
    for item in items:
        entry = nodes.list_item()
        entry += item if isinstance(item, nodes.Node) else list(item)
        result += entry
    return result


def heading(text: str, level: int = 2) -> nodes.rubric:
    """A heading inside a page: a rubric, so that it stays out of the site navigation."""
    node = nodes.rubric(text, text)
    node["heading-level"] = level
    return node


def permalink_node(docname: str, edition: str, base_url: str) -> permalink:
    """A page's permanent link: an edition's pages are published below editions/<name>/ of the site,
    and that is their address."""
    node = permalink()
    node["path"] = (f"editions/{edition}/" if edition else "") + docname + ".html"
    node["base_url"] = base_url.rstrip("/") + "/" if base_url else ""
    return node


def page_section(kind: str, item_id: str, title_nodes: Sequence[nodes.Node]) -> nodes.section:
    section = nodes.section(ids=[f"comp-{kind}-{item_id}"], classes=["comp-page", f"comp-page-{kind}"])
    title = nodes.title()
    title += list(title_nodes)
    section += title
    return section


def hidden_toctree(docname: str, entries: Sequence[str]) -> nodes.compound:
    """The navigation below a page (model -> section -> competency -> indicator)."""
    toctree = addnodes.toctree()
    toctree["parent"] = docname
    toctree["entries"] = [(None, entry) for entry in entries]
    toctree["includefiles"] = list(entries)
    toctree["maxdepth"] = -1
    toctree["caption"] = None
    toctree["glob"] = False
    toctree["hidden"] = True
    toctree["includehidden"] = False
    toctree["numbered"] = 0
    toctree["titlesonly"] = True
    wrapper = nodes.compound(classes=["toctree-wrapper"])
    wrapper += toctree
    return wrapper


def table_row(cells: Iterable[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += cell
        row += entry
    return row


def empty_cell(spoken: str) -> nodes.paragraph:
    """A table cell with nothing in it to see: a screen reader says `spoken` rather than skipping it."""
    return paragraph(nodes.inline("", spoken, classes=["visually-hidden"]))


def static_script(prefix: str, name: str) -> str:
    """The tag of one of the theme's scripts, its address carrying a checksum of the file as Sphinx
    gives its own scripts (`?v=`): a browser that kept an earlier version fetches the new one."""
    return f'<script src="{prefix}_static/{name}?v={_checksum(name)}"></script>'


@cache
def _checksum(name: str) -> str:
    """As Sphinx's: CRC-32 of the file's bytes, carriage returns left out."""
    content = (STATIC / name).read_bytes().translate(None, b"\r")
    return f"{zlib.crc32(content):08x}"
