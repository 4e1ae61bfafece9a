"""What changed between two versions of the sources: the diff, git revisions, each item's history."""
