"""The audit history replayed: every audited row rebuilt from the events alone, and compared.

The history is authoritative (DESIGN.md, "Storage"): replaying it must give every current row.
Entry points:
- `Replay` (state.py): folds events, in `seq` order, into the rows they describe.
- `verify_database(session)` (compare.py): the hash chain, then the replay compared with every table;
  `claimtrack audit verify` reports its first difference.
- `RowComparer` (compare.py): the same comparison for rows read from elsewhere (an export file).
"""

from claims.replay.compare import Difference, RowComparer, StateResult, verify_database
from claims.replay.state import HISTORY_COLUMNS, Replay, ReplayError

__all__ = [
    "HISTORY_COLUMNS",
    "Difference",
    "Replay",
    "ReplayError",
    "RowComparer",
    "StateResult",
    "verify_database",
]
