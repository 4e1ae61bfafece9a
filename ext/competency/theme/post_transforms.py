"""The post-transforms a page without a document needs: those that can find something in it.

Sphinx runs every registered post-transform on every page; each walks the whole page looking for
its nodes (references to resolve, `only` nodes, images, code, sphinx-design's components, ...).
An item page holds few kinds of nodes, and two dozen walks of it were an eighth of a large build.
One walk finds the kinds of nodes a page holds; a post-transform known to act on nodes of certain
kinds only is left out when the page has none of them. Any other post-transform always runs.

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
    # sphinx-design's components are containers marked with their name.
    "sphinx_design.dropdown.DropdownHtmlTransform": (nodes.container,),
    "sphinx_design.aside.AsideHtmlTransform": (nodes.container,),
    "sphinx_design.tabs.TabSetHtmlTransform": (nodes.container,),
    # It shortens the text of links to GitHub and GitLab whose text is their address.
    "pydata_sphinx_theme.short_link.ShortenLinkTransform": (ShownAsAddress,),
}


def transforms_for(registered: list[type[Any]], document: nodes.document, domain: CompetencyDomain) -> list[type[Any]]:
    """Of the registered post-transforms, in their order, those that may change `document`."""
    held = _kinds_held(document, domain)

    def may_apply(transform: type[Any]) -> bool:
        kinds = ACTS_ONLY_ON.get(f"{transform.__module__}.{transform.__qualname__}")
        return kinds is None or any(issubclass(kind, kinds) for kind in held)

    return [transform for transform in registered if may_apply(transform)]


def _kinds_held(document: nodes.document, domain: CompetencyDomain) -> set[type[nodes.Node]]:
    held: set[type[nodes.Node]] = set()
    for node in document.findall():
        held.add(type(node))
        if isinstance(node, addnodes.pending_xref) and generated_link_target(domain, node) is None:
            held.add(LinkLeft)
        elif isinstance(node, nodes.reference) and node.children and node.children[0] == node.get("refuri"):
            held.add(ShownAsAddress)
    return held


def apply_post_transforms(env: Any, document: nodes.document, docname: str) -> None:
    """Sphinx's `apply_post_transforms`, running the post-transforms that may change the page."""
    # Internal: the registry's list of post-transforms, which apply_post_transforms reads.
    # Public API: none; apply_post_transforms runs every post-transform, with no way to choose.
    registry = env._registry
    with _only(registry, transforms_for(registry.get_post_transforms(), document, comp_domain(env))):
        env.apply_post_transforms(document, docname)


@contextmanager
def _only(registry: Any, transforms: list[type[Any]]) -> Iterator[None]:
    everything = registry.post_transforms
    registry.post_transforms = transforms
    try:
        yield
    finally:
        registry.post_transforms = everything
