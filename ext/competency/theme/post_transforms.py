"""The post-transforms a page without a document needs: those that can find something in it.

Sphinx runs every registered post-transform on every page; each walks the whole page looking for
its nodes (references to resolve, `only` nodes, images, code, sphinx-design's components, ...).
An item page holds few kinds of nodes, and two dozen walks of it were an eighth of a large build.
One walk finds the kinds of nodes a page holds; a post-transform known to act on nodes of certain
kinds only is left out when the page has none of them. Any other post-transform always runs. The
handlers of `doctree-resolved`, which Sphinx calls after them, are chosen the same way.

Nearly every link of such a page is one the extension wrote, which its own post-transform
(GeneratedLinks, the first to run) resolves: those do not count as links left for Sphinx's
resolvers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.c import AliasNode as CAliasNode
from sphinx.domains.cpp import AliasNode as CppAliasNode

from ..sphinx_ext.domain import CompetencyDomain, comp_domain, generated_link_target


class LinkLeft(nodes.Node):
    """Stands for a link the extension's GeneratedLinks leaves to the others, in what a page holds."""


class ShownAsAddress(nodes.Node):
    """Stands for a link whose text is its address, in what a page holds."""


class OpensInNewTab(nodes.Node):
    """Stands for a sphinx-design component whose links open in a new tab, in what a page holds."""


class DesignComponent(nodes.Node):
    """Stands for a sphinx-design component (a container marked with its name), in what a page holds."""


class Dropdown(DesignComponent):
    """A sphinx-design dropdown."""


class Aside(DesignComponent):
    """A sphinx-design aside."""


class TabSet(DesignComponent):
    """A sphinx-design tab set."""


#: The `design_component` mark of a container -> what stands for it in what a page holds.
COMPONENTS: dict[str, type[DesignComponent]] = {"dropdown": Dropdown, "aside": Aside, "tab-set": TabSet}


#: Post-transform (module.class) -> the kinds of node it looks for: it finds them with `findall` and
#: changes nothing else (each read in the version pinned in pyproject.toml). A page holding no node
#: of those kinds (or of their subclasses) is left as it is by it.
ACTS_ONLY_ON: dict[str, tuple[type[nodes.Node], ...]] = {
    "competency.sphinx_ext.domain.GeneratedLinks": (addnodes.pending_xref,),
    "sphinx.transforms.post_transforms.ReferencesResolver": (LinkLeft,),
    "myst_parser.sphinx_ext.myst_refs.MystReferenceResolver": (LinkLeft,),
    # The stashes set what the grafts read; a graft with no stash returns at once.
    "sphinx_design.badges_buttons.BadgeRefTooltipStash": (LinkLeft,),
    "sphinx_design.badges_buttons.ButtonRefContentStash": (LinkLeft,),
    "sphinx.transforms.post_transforms.OnlyNodeTransform": (addnodes.only,),
    "sphinx.transforms.post_transforms.PropagateDescDomain": (addnodes.desc_signature,),
    "sphinx.transforms.post_transforms.SigElementFallbackTransform": (addnodes.desc_sig_element, addnodes.desc_inline),
    "sphinx.transforms.post_transforms.images.ImageDownloader": (nodes.image,),
    "sphinx.transforms.post_transforms.images.DataURIExtractor": (nodes.image,),
    "sphinx.transforms.post_transforms.code.HighlightLanguageTransform": (nodes.literal_block, addnodes.highlightlang),
    "sphinx.transforms.post_transforms.code.TrimDoctestFlagsTransform": (nodes.literal_block, nodes.doctest_block),
    "sphinx.domains.c.AliasTransform": (CAliasNode,),
    "sphinx.domains.cpp.AliasTransform": (CppAliasNode,),
    # sphinx-design's components are containers marked with their name, each transform looking for
    # its own (an HR form's page holds thousands of containers, and no component).
    "sphinx_design.dropdown.DropdownHtmlTransform": (Dropdown,),
    "sphinx_design.aside.AsideHtmlTransform": (Aside,),
    "sphinx_design.tabs.TabSetHtmlTransform": (TabSet,),
    # It shortens the text of links to GitHub and GitLab whose text is their address.
    "pydata_sphinx_theme.short_link.ShortenLinkTransform": (ShownAsAddress,),
}


#: doctree-resolved handler (module.function) -> the kinds of node it looks for, as above.
RESOLVED_ACTS_ONLY_ON: dict[str, tuple[type[nodes.Node], ...]] = {
    # It sets target and rel on the links of components marked `sd_new_tab` (cards, buttons).
    "sphinx_design.extension._resolve_new_tab_refs": (OpensInNewTab,),
}


def transforms_for(registered: list[type[Any]], held: set[type[nodes.Node]]) -> list[type[Any]]:
    """Of the registered post-transforms, in their order, those that may change a page holding `held`."""
    return _may_change(registered, ACTS_ONLY_ON, held)


def _may_change(
    callables: list[Any], acts_only_on: dict[str, tuple[type[nodes.Node], ...]], held: set[type]
) -> list[Any]:
    def may_apply(acting: Any) -> bool:
        name = f"{getattr(acting, '__module__', '')}.{getattr(acting, '__qualname__', '')}"  # a partial has none
        kinds = acts_only_on.get(name)
        return kinds is None or any(issubclass(kind, kinds) for kind in held)

    return [acting for acting in callables if may_apply(acting)]


def kinds_held(document: nodes.document, domain: CompetencyDomain) -> set[type[nodes.Node]]:
    """The kinds of node `document` holds, and the markers above for what its nodes ask of Sphinx."""
    held: set[type[nodes.Node]] = set()
    for node in document.findall():
        held.add(type(node))
        if isinstance(node, addnodes.pending_xref) and generated_link_target(domain, node) is None:
            held.add(LinkLeft)
        elif isinstance(node, nodes.reference) and node.children and node.children[0] == node.get("refuri"):
            held.add(ShownAsAddress)
        if isinstance(node, nodes.Element):
            if node.get("sd_new_tab"):
                held.add(OpensInNewTab)
            component = COMPONENTS.get(node.get("design_component"))  # type: ignore[arg-type]
            if component is not None:
                held.add(component)
    return held


def apply_post_transforms(env: Any, document: nodes.document, docname: str) -> None:
    """Sphinx's `apply_post_transforms`, running the post-transforms that may change the page."""
    # Internal: the registry's list of post-transforms, which apply_post_transforms reads.
    # Public API: none; apply_post_transforms runs every post-transform, with no way to choose.
    registry = env._registry
    held = kinds_held(document, comp_domain(env))
    # Internal: the event manager's listeners, which emit reads. Public API: none, as above.
    listeners = env.events.listeners
    handlers = listeners["doctree-resolved"]
    used = _may_change([h.handler for h in handlers], RESOLVED_ACTS_ONLY_ON, held)
    with (
        _only(vars(registry), "post_transforms", transforms_for(registry.get_post_transforms(), held)),
        _only(listeners, "doctree-resolved", [h for h in handlers if h.handler in used]),
    ):
        env.apply_post_transforms(document, docname)


@contextmanager
def _only(holder: dict[str, Any], name: str, chosen: list[Any]) -> Iterator[None]:
    """`holder[name]` holds only `chosen` meanwhile."""
    everything = holder[name]
    holder[name] = chosen
    try:
        yield
    finally:
        holder[name] = everything
