"""The `comp` domain: every model item as a Sphinx object.

Objects are recorded by the page that shows them (keyed by document, so
`clear_doc` and `merge_domaindata` are one-liners and parallel reads are safe).
Their full name is ``<model-id>`` for a model and ``<model-id>/<item-id>`` for
everything else; a role may also name an item by its bare id when only one
model has it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from docutils.nodes import Element
from sphinx import addnodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging
from sphinx.util.nodes import make_refnode

from ..pages.parts import display
from ..sources.problems import did_you_mean
from .warning_types import Subtype

if TYPE_CHECKING:
    from ..sources.site import Site

logger = logging.getLogger(__name__)

OBJECT_TYPES = ("model", "section", "competency", "indicator", "responsibility")
#: The pages of a family of jobs (pages/family.py): their full name is ``shared/<id>``.
FAMILY_OBJECT_TYPES = ("shared-competency", "shared-indicator", "career-path")


class ObjectEntry(NamedTuple):
    """Where an object is documented and how it is shown."""

    docname: str
    anchor: str
    #: Code and title, e.g. "II.1.b Clearly explains ...": what roles and intersphinx show.
    display: str
    #: Search priority: 1 for live items, -1 for hidden ones (excluded from a variant, aliases).
    priority: int = 1
    #: The document that recorded the object, when it is not the one it points to (a former id's page).
    recorded_by: str = ""

    @property
    def owner(self) -> str:
        return self.recorded_by or self.docname

    def reference(self, builder: Builder, fromdocname: str, contnode: Element) -> Element:
        """The link to this object from a page, showing `contnode`."""
        return make_refnode(builder, fromdocname, self.docname, self.anchor, contnode, self.display)


class CompetencyRole(XRefRole):
    """``{comp:indicator}`id``` shows the item's code and title, never the bare id."""

    def process_link(
        self, env: BuildEnvironment, refnode: Element, has_explicit_title: bool, title: str, target: str
    ) -> tuple[str, str]:
        refnode["comp:context-model"] = env.ref_context.get("comp:model", "")
        return title, target.strip()


class IndicatorIndex(Index):
    """Every indicator of every model, grouped by competency, in published order."""

    name = "indicators"
    localname = "Index of indicators"
    shortname = "indicators"

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        # Each indicator's group and place come from the site as it is now, never from what its page
        # recorded when it was last read: an edit elsewhere in the model moves an indicator's place
        # without changing its page, so its page is not read again.
        site = self.domain.site
        assert site is not None
        groups: dict[str, list[tuple[tuple[str, int], IndexEntry]]] = {}
        for (objtype, name), entry in self.domain.objects.items():
            if objtype != "indicator" or entry.priority < 0:
                continue
            if docnames is not None and entry.docname not in docnames:
                continue
            model_id, _, indicator = name.partition("/")
            model = site.models[model_id]
            competency, _placement = model.home_of_indicator(indicator)
            parent = f"{model.title}: {display(model, 'competency', competency.competency)}"
            code, _, text = entry.display.partition(" ")
            groups.setdefault(parent, []).append(
                (
                    (model.id, model.indicator_number(indicator)),
                    IndexEntry(text, 0, entry.docname, entry.anchor, code, "", ""),
                )
            )
        # Sphinx's domainindex.html template prints group headings without escaping them.
        content = [
            (html.escape(parent), [e for _, e in sorted(entries, key=lambda pair: pair[0])])
            for parent, entries in sorted(groups.items(), key=lambda kv: min(o for o, _ in kv[1]))
        ]
        return content, False


@dataclass(frozen=True)
class BuildChanges:
    """What this build changed since the last finished one, found when it starts (state.py)."""

    #: Pages whose content an edit changed: read again.
    stale_pages: frozenset[str] = frozenset()
    #: Models whose sources changed: their pages are written again.
    changed_models: tuple[str, ...] = ()
    #: What each model is built from (state.inputs_key), saved when the build finishes.
    model_keys: dict[str, str] | None = field(default=None, hash=False)


class CompetencyDomain(Domain):
    """Models, sections, competencies, indicators and responsibilities."""

    name = "comp"
    label = "Competency models"
    object_types = {kind: ObjType(kind.replace("-", " "), kind) for kind in OBJECT_TYPES + FAMILY_OBJECT_TYPES}
    roles = {kind: CompetencyRole() for kind in OBJECT_TYPES + FAMILY_OBJECT_TYPES}
    indices = [IndicatorIndex]
    initial_data: dict[str, Any] = {
        # docname -> {(objtype, fullname): ObjectEntry} of the objects that document recorded
        "documents": {},
        # docname -> True for documents that name items through roles (re-written when models change)
        "referrers": {},
        # docname of a former id's page -> docname of the item's current page
        "redirects": {},
        # docname -> digest of what the page showed when it was read (see digests.py)
        "digests": {},
        # docname -> True for hand-written pages that show the models (read again when one changes)
        "shows_models": {},
    }
    data_version = 6
    #: The builder of this build (set at builder-inited), for the links of GeneratedLinks.
    builder: Builder | None = None
    #: The sources as this build shows them and what the build changed, kept when it starts
    #: (state.load_sources) for this build only: the environment's pickle holds neither.
    _site: Site | None = None
    _changes: BuildChanges = BuildChanges()
    _touched: frozenset[str] = frozenset()
    _family_outline: dict[str, Any] | None = None
    #: The pages written without a document (direct_pages.py), by docname, and their objects.
    _direct: dict[str, Any] = {}
    _direct_objects: dict[tuple[str, str], ObjectEntry] = {}

    # -- the build's state: the one way other modules reach it --------------------------------------

    def keep_site(self, site: Site) -> None:
        self._site = site

    @property
    def site(self) -> Site:
        """The loaded sources (the variant this build makes); AttributeError before they are loaded."""
        if self._site is None:
            raise AttributeError("the competency sources are not loaded yet")
        return self._site

    def keep_direct_pages(self, pages: dict[str, Any], objects: dict[tuple[str, str], ObjectEntry]) -> None:
        """The pages this build writes without a document, and the objects they document."""
        self._direct, self._direct_objects = pages, objects
        self.__dict__.pop("_objects", None)
        self._changed()

    @property
    def direct_pages(self) -> dict[str, Any]:
        """docname -> direct_pages.DirectPage of every page written without a document."""
        return self._direct

    def keep_changes(self, changes: BuildChanges) -> None:
        self._changes = changes

    @property
    def changes(self) -> BuildChanges:
        return self._changes

    @property
    def digests(self) -> dict[str, str]:
        """docname -> digest of what the page showed when it was last read (digests.py)."""
        digests: dict[str, str] = self.data["digests"]
        return digests

    def note_digest(self, docname: str, digest: str) -> None:
        self.data["digests"][docname] = digest

    def redirect_target(self, docname: str) -> str | None:
        """The current page of the item a former id's page (`docname`) redirects to."""
        target: str | None = self.data["redirects"].get(docname)
        return target

    def note_shows_models(self, docname: str) -> None:
        self.data["shows_models"][docname] = True

    @property
    def pages_showing_models(self) -> set[str]:
        """Hand-written pages that show the models (catalogue, downloads, changes, editions)."""
        return set(self.data["shows_models"])

    @property
    def referrers(self) -> set[str]:
        """The documents that name items through roles (written again when a model changes)."""
        return set(self.data["referrers"])

    def note_documents_touched(self, docnames: Iterable[str]) -> None:
        """Documents this build reads or removes (state.py): only they can change any page's navigation."""
        self._touched = self._touched | set(docnames)

    @property
    def documents_touched(self) -> frozenset[str]:
        return self._touched

    def note_family_outline(self, outline: dict[str, Any]) -> None:
        """The family pages' titles and toctrees before this build read anything (state.family_outline)."""
        self._family_outline = outline

    @property
    def family_outline_before(self) -> dict[str, Any] | None:
        return self._family_outline

    def replace_navigation(self, navigation: dict[str, Any]) -> dict[str, Any]:
        """Keep what each page's navigation shows (state.pages_with_changed_navigation); the previous one."""
        before: dict[str, Any] = self.data.get("navigation", {})
        self.data["navigation"] = navigation
        return before

    @property
    def objects(self) -> dict[tuple[str, str], ObjectEntry]:
        """Every object, whichever document recorded it (built once, then kept up to date)."""
        flat: dict[tuple[str, str], ObjectEntry] | None = self.__dict__.get("_objects")
        if flat is None:
            flat = dict(self._direct_objects)
            flat.update((key, entry) for entries in self.data["documents"].values() for key, entry in entries.items())
            self.__dict__["_objects"] = flat
        return flat

    def _changed(self) -> None:
        self.__dict__.pop("_bare_names", None)

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        return type.lname  # "indicator", not "Competency models indicator", in search results

    def note_object(self, objtype: str, fullname: str, entry: ObjectEntry, location: Any = None) -> None:
        key = (objtype, fullname)
        if key in self.objects and self.objects[key].owner != entry.owner:
            logger.warning(
                "%s '%s' is shown on two pages: %s and %s",
                objtype,
                fullname,
                self.objects[key].owner,
                entry.owner,
                type="competency",
                subtype=Subtype.DUPLICATE,
                location=location,
            )
        self.data["documents"].setdefault(entry.owner, {})[key] = entry
        self.objects[key] = entry
        self._changed()

    def note_redirect(self, docname: str, target: str) -> None:
        self.data["redirects"][docname] = target

    def clear_doc(self, docname: str) -> None:
        for key in self.data["documents"].pop(docname, {}):
            if key in self._direct_objects:
                # A page that is now written without a document (its stub removed): its object stays.
                self.objects[key] = self._direct_objects[key]
            else:
                self.objects.pop(key, None)
        self.data["referrers"].pop(docname, None)
        self.data["redirects"].pop(docname, None)
        self.data["digests"].pop(docname, None)
        self.data["shows_models"].pop(docname, None)
        self._changed()

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            entries = otherdata["documents"].get(docname)
            if entries:
                self.data["documents"][docname] = entries
                self.objects.update(entries)
            if docname in otherdata["referrers"]:
                self.data["referrers"][docname] = True
            if docname in otherdata["redirects"]:
                self.data["redirects"][docname] = otherdata["redirects"][docname]
            if docname in otherdata["digests"]:
                self.data["digests"][docname] = otherdata["digests"][docname]
            if docname in otherdata["shows_models"]:
                self.data["shows_models"][docname] = True
        self._changed()

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        if names_items_through_roles(document):
            self.data["referrers"][docname] = True

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for (objtype, fullname), entry in sorted(self.objects.items()):
            yield fullname, entry.display, objtype, entry.docname, entry.anchor, entry.priority

    def get_full_qualified_name(self, node: Element) -> str | None:
        return node.get("reftarget")

    # -- resolving --------------------------------------------------------------------------------

    def find(self, objtype: str, target: str, context_model: str = "") -> list[tuple[str, ObjectEntry]]:
        """Objects a target names: a full name, or a bare id (preferring the current model)."""
        if (objtype, target) in self.objects:
            return [(target, self.objects[(objtype, target)])]
        if "/" in target:
            return []
        if context_model and (objtype, f"{context_model}/{target}") in self.objects:
            name = f"{context_model}/{target}"
            return [(name, self.objects[(objtype, name)])]
        names = self._bare_index().get((objtype, target), [])
        found = [(name, self.objects[(objtype, name)]) for name in names]
        # Former names (of a renamed model) point at the same pages: one page is no ambiguity.
        live = [pair for pair in found if pair[1].priority > 0] or found
        return list({entry.docname: (name, entry) for name, entry in reversed(live)}.values())

    def _bare_index(self) -> dict[tuple[str, str], list[str]]:
        cached: dict[tuple[str, str], list[str]] | None = self.__dict__.get("_bare_names")
        if cached is None:
            cached = {}
            for objtype, fullname in self.objects:
                cached.setdefault((objtype, fullname.rpartition("/")[2]), []).append(fullname)
            self.__dict__["_bare_names"] = cached
        return cached

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> Element | None:
        found = self.find(typ, target, node.get("comp:context-model", ""))
        if not found:
            return None
        if len(found) > 1:
            logger.warning(
                "'%s' is ambiguous: %s; write the full name",
                target,
                ", ".join(name for name, _ in found),
                type="competency",
                subtype=Subtype.AMBIGUOUS_REF,
                location=node,
            )
        _name, entry = found[0]
        if not node.get("refexplicit"):
            contnode = nodes.inline(entry.display, entry.display, classes=["comp-ref", f"comp-ref-{typ}"])
        return entry.reference(builder, fromdocname, contnode)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, Element]]:
        results = []
        for objtype in OBJECT_TYPES + FAMILY_OBJECT_TYPES:
            ref = self.resolve_xref(env, fromdocname, builder, objtype, target, node, contnode)
            if ref is not None:
                results.append((f"comp:{objtype}", ref))
        return results

    def suggest(self, objtype: str, target: str) -> str:
        names = [name for kind, name in self.objects if kind == objtype]
        bare = [name.rpartition("/")[2] for name in names]
        return did_you_mean(target.rpartition("/")[2], bare) or f"no {objtype} has this id"


def names_items_through_roles(document: nodes.Node) -> bool:
    """Whether a page names items through `comp` roles (not the extension's own links): such a page
    shows the items' codes and titles, so it is written again whenever a model changes."""
    return any(
        node.get("refdomain") == "comp" and not node.get("comp:generated")
        for node in document.findall(addnodes.pending_xref)
    )


def warn_unknown_reference(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """One clear warning, with a suggestion, for a role naming an unknown item."""
    if domain is None or domain.name != "comp":
        return None
    assert isinstance(domain, CompetencyDomain)
    typ, target = node["reftype"], node["reftarget"]
    logger.warning(
        "unknown %s '%s' in {comp:%s} (%s)",
        typ,
        target,
        typ,
        domain.suggest(typ, target),
        type="competency",
        subtype=Subtype.UNKNOWN_REF,
        location=node,
    )
    return True


def link_to_page_without_document(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: Element
) -> Element | None:
    """missing-reference: a `doc` link to a page written without a document (an indicator's), which
    the standard domain does not know, resolved as it resolves a document's (direct_pages.py)."""
    if node.get("refdomain") != "std" or node.get("reftype") != "doc":
        return None
    domain = comp_domain(env)
    docname = docname_join(node.get("refdoc", env.docname), node["reftarget"])
    if docname not in domain.direct_pages or not node.get("refexplicit"):
        return None  # a link without its own text shows the page's title, which only a document has
    caption = node.astext()
    return make_refnode(
        domain.builder or app.builder,
        node.get("refdoc", env.docname),
        docname,
        None,
        nodes.inline(caption, caption, classes=["doc"]),
    )


class GeneratedLinks(SphinxPostTransform):
    """The links the extension writes on its own pages, resolved directly.

    They name their target by its full name (an item, or a page by its absolute name), so a lookup
    finds it; Sphinx's general resolver would copy each link and ask every domain (a twentieth of a
    large build), and a page holding one link for it was walked by four more post-transforms. A
    link whose target is unknown is left to that resolver, which reports it.
    """

    default_priority = 5  # before Sphinx's ReferencesResolver (10)

    def run(self, **kwargs: Any) -> None:
        domain = self.env.get_domain("comp")
        assert isinstance(domain, CompetencyDomain)
        builder = domain.builder
        if builder is None:
            return
        for node in list(self.document.findall(pending_xref)):
            entry = generated_link_target(domain, node)
            if entry is not None:
                fromdocname = node.get("refdoc", self.env.docname)
                node.replace_self(entry.reference(builder, fromdocname, node[0]))


def generated_link_target(domain: CompetencyDomain, node: pending_xref) -> ObjectEntry | PageLink | None:
    """The item or page a link the extension wrote names, which GeneratedLinks links to (None: not
    such a link, or its target is unknown, left to Sphinx's resolver, which reports it)."""
    if not node.get("comp:generated"):
        return None
    if node.get("refdomain") == "std":
        target = str(node.get("reftarget", ""))
        if node.get("reftype") != "doc" or not node.get("refexplicit") or not target.startswith("/"):
            return None
        docname = target[1:]
        return PageLink(docname) if docname in domain.env.all_docs or docname in domain.direct_pages else None
    return domain.objects.get((node["reftype"], node["reftarget"]))


class PageLink(NamedTuple):
    """A page a `doc` link the extension wrote names: a document, or a page written without one."""

    docname: str

    def reference(self, builder: Builder, fromdocname: str, contnode: Element) -> Element:
        """As the standard domain links a `doc` link with its own text (and
        link_to_page_without_document a page without a document)."""
        caption = contnode.astext()
        return make_refnode(builder, fromdocname, self.docname, None, nodes.inline(caption, caption, classes=["doc"]))


def comp_domain(env: BuildEnvironment) -> CompetencyDomain:
    """The `comp` domain of a build, the gateway to its state."""
    domain = env.get_domain("comp")
    assert isinstance(domain, CompetencyDomain)
    return domain


def _remember_builder(app: Sphinx) -> None:
    """Post-transforms have no public way to the builder their links are for: the domain keeps it."""
    domain = app.env.get_domain("comp")
    assert isinstance(domain, CompetencyDomain)
    domain.builder = app.builder


def setup_domain(app: Sphinx) -> None:
    app.add_domain(CompetencyDomain)
    app.add_post_transform(GeneratedLinks)
    app.connect("builder-inited", _remember_builder)
    app.connect("warn-missing-reference", warn_unknown_reference)
    app.connect("missing-reference", link_to_page_without_document)
