"""The post-transforms a page without a document needs: those that can find something in it.

Sphinx runs every registered post-transform on every page; each walks the whole page looking for
its nodes (references to resolve, `only` nodes, images, code, sphinx-design's components, ...).
An item page holds few kinds of nodes, and two dozen walks of it were an eighth of a large build.
One walk finds the kinds of nodes a page holds; a post-transform known to act on nodes of certain
kinds only is left out when the page has none of them. Any other post-transform always runs.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.c import AliasNode as CAliasNode
from sphinx.domains.cpp import AliasNode as CppAliasNode

# Internal: Sphinx's transformer, which apply_post_transforms uses (below).
# Public API: BuildEnvironment.apply_post_transforms runs every post-transform, with no way to choose.
from sphinx.transforms import SphinxTransformer

#: Post-transform (module.class) -> the kinds of node it looks for: it finds them with `findall` and
#: changes nothing else (each read in the version pinned in pyproject.toml). A page holding no node
#: of those kinds (or of their subclasses) is left as it is by it.
ACTS_ONLY_ON: dict[str, tuple[type[nodes.Node], ...]] = {
    "competency.sphinx_ext.domain.GeneratedLinks": (addnodes.pending_xref,),
    "sphinx.transforms.post_transforms.ReferencesResolver": (addnodes.pending_xref,),
    "myst_parser.sphinx_ext.myst_refs.MystReferenceResolver": (addnodes.pending_xref,),
    # The stashes set what the grafts read; a graft with no stash returns at once.
    "sphinx_design.badges_buttons.BadgeRefTooltipStash": (addnodes.pending_xref,),
    "sphinx_design.badges_buttons.ButtonRefContentStash": (addnodes.pending_xref,),
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
}


def transforms_for(registered: list[type[Any]], document: nodes.document) -> list[type[Any]]:
    """Of the registered post-transforms, those that may change `document`."""
    held = {type(node) for node in document.findall()}

    def may_apply(transform: type[Any]) -> bool:
        kinds = ACTS_ONLY_ON.get(f"{transform.__module__}.{transform.__qualname__}")
        return kinds is None or any(issubclass(kind, kinds) for kind in held)

    return [transform for transform in registered if may_apply(transform)]


def apply_post_transforms(env: Any, document: nodes.document, docname: str) -> None:
    """As `BuildEnvironment.apply_post_transforms`, with the post-transforms that may change the page."""
    # Internal: the environment's registry and current document, as apply_post_transforms uses them.
    # Public API: none (see above).
    backup = env.current_document
    current = env.current_document = deepcopy(backup)
    current.docname = docname
    try:
        transformer = SphinxTransformer(document)
        transformer.set_environment(env)
        transformer.add_transforms(transforms_for(env._registry.get_post_transforms(), document))
        transformer.apply_transforms()
    finally:
        env.current_document = backup
    env.events.emit("doctree-resolved", document, docname)
