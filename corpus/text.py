"""Text basics shared by every layer: normalisation and character bigrams of Chinese text."""
from __future__ import annotations

import re
import unicodedata

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?")
CLAUSE_BREAK = re.compile(r"[，,；;。？?！!\n]")  # where a clause of a finding or a question ends


def clause_start(text: str, at: int) -> int:
    """Where the clause holding position `at` begins."""
    return max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, at)), default=0)


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def bigrams(text: str) -> list[str]:
    """CJK runs as overlapping bigrams (a lone character stays a unigram); ASCII words and numbers whole."""
    out: list[str] = []
    for run in CJK_RUN.findall(normalize(text)):
        if not "\u4e00" <= run[0] <= "\u9fff":
            out.append(run)
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out
