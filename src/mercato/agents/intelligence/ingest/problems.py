"""The ingest part's problems, each with its stable `code`."""

from __future__ import annotations

from mercato.kernel.errors import Problem


class InvalidSource(Problem):
    status, code, title = 422, "intel_invalid_source", "The source is not valid"


class SourceNameTaken(Problem):
    status, code, title = 409, "intel_source_name_taken", "The store has a source of that name"


class InvalidCorrection(Problem):
    status, code, title = 422, "intel_invalid_correction", "The corrected record is not valid"


class MatchAlreadyDecided(Problem):
    status, code, title = 409, "intel_match_decided", "The match was already decided"
