"""The subtypes of the extension's warnings and errors, all of type "competency".

A site silences one with `suppress_warnings = ["competency.<subtype>"]` in its conf.py.
"""

from __future__ import annotations

from enum import StrEnum


class Subtype(StrEnum):
    #: A problem in the sources (a model, an overlay, the library, the rating scale): nothing is built.
    SOURCE = "source"
    #: The {comp:changes} page cannot compare with its revision.
    CHANGES = "changes"
    #: One item shown on two pages.
    DUPLICATE = "duplicate"
    #: A role naming an id several models have.
    AMBIGUOUS_REF = "ambiguous-ref"
    #: A role naming no item.
    UNKNOWN_REF = "unknown-ref"
    #: A stub that is the page of no model.
    STUB = "stub"
    #: The build cannot write its output.
    OUTPUT = "output"
