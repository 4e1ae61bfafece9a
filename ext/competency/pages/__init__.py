"""What each page shows: the nodes of item pages, overview, variant, family, form and edition pages,
and the directives of hand-written pages."""
