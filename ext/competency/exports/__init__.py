"""The exports (JSON, CSV, CASE 1.1, a family's files) and writing them into the built site."""
