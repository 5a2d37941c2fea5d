"""Full-fidelity export and import: every table as versioned JSON lines, restored with nothing lost.

The file (format version 4; versions 2 and 3 still import) is a header line, one record per line,
tables in dependency order, and a trailer that says where the file ends:
    {"format": "claimtrack-export", "version": 4}
    {"table": "users", "row": {...}}
    ...
    {"trailer": {"counts": {"users": 3, ...}, "audit_hash": "<hash of the last audit event>"}}
Users carry no password hash and API tokens no token hash: after an import each user sets a new
password and makes new tokens. Export streams table by table, so memory stays flat as the desk grows.

Import (`import_file`) reads the file three times and writes only on the third: `checking` checks
every record (types, ranges, lengths, text, keys, order, references, spans, the hash chain, the
trailer) and replays the audit events; `checking.compare_with_history` compares every row with what
the replay gives; only then are the rows inserted.
"""

from claims.export.full.exporting import export_lines, to_json
from claims.export.full.format import FORMAT, TABLES, VERSION, ImportRefused
from claims.export.full.importing import import_file

__all__ = ["FORMAT", "TABLES", "VERSION", "ImportRefused", "export_lines", "import_file", "to_json"]
