"""The violation catalog (违法行为库): one row per penalty 项, built from the corpus as data."""
from .discretion import (
    DiscretionError,
    DiscretionReport,
    Tier,
    discretion_files,
    import_discretion,
    remove_discretion,
    tiers_for,
)
from .model import (
    KIND_CRIMINAL,
    KIND_OFFICIALS,
    KIND_OTHER,
    KIND_PENALTY,
    KIND_REFERRAL,
    KINDS,
    LINK_EXPLICIT,
    LINK_NAMES,
    LINK_REVIEWED,
    LINK_SELF,
    LINK_WORDING,
    PERSON_SUBJECTS,
    SUBJECT_ORDER,
    ObligationLink,
    Sanctions,
    ViolationRow,
)
from .parse import rows_of_document
from .store import ViolationStore, build_rows, builder_id

__all__ = [
    "KIND_CRIMINAL", "KIND_OFFICIALS", "KIND_OTHER", "KIND_PENALTY", "KIND_REFERRAL", "KINDS", "LINK_EXPLICIT",
    "LINK_NAMES", "LINK_REVIEWED", "LINK_SELF", "LINK_WORDING", "PERSON_SUBJECTS", "SUBJECT_ORDER", "ObligationLink",
    "Sanctions", "ViolationRow",
    "ViolationStore", "build_rows", "builder_id", "rows_of_document", "DiscretionError", "DiscretionReport", "Tier",
    "discretion_files", "import_discretion", "remove_discretion", "tiers_for",
]
