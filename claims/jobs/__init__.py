"""Jobs: long work run off the request, recorded in the database (table `jobs`).

Entry points:
- `records.submit(session, kind, params, user)` — record a queued job (commit, then `runner.enqueue(id)`);
  `records.retry`, `records.visible_jobs`, `records.visible_job` for the /jobs page and the API.
- `registry.register("kind", label=…, action=…)` — declare a kind: function(session, job, params,
  report_progress) -> result JSON. Built in: `bulk_import`, `rescore_claims`, `matching_index`,
  `match_claims`.
- `runners.make_runner(settings, sessions)` — RQ on Redis when CLAIMTRACK_REDIS_URL is set (run by
  `claimtrack worker`), otherwise a thread of the app; both call `running.run_job`.
- `running.recover_stale` — a job whose worker died is queued again once, then failed.
"""

from claims.jobs import bulk_import, matching_index, rescoring, snapshots  # noqa: F401 - they register their kinds
