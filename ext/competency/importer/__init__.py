"""Importing the published plain-text shape of a model, and joining it to a family."""
