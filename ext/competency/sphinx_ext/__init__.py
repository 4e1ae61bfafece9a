"""The Sphinx extension: settings, the `comp` domain, the page stubs, the reader, page digests, nodes
and the state of a build."""
