"""Reading the sources: YAML with positions, schemas, the model records, overlays and variants, the
family, scales and editions records, the parse cache. Nothing here imports Sphinx or docutils
(tests/test_architecture.py)."""
