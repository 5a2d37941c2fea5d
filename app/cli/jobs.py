"""`claimtrack worker`: runs jobs from the Redis queue (claims.jobs), as many processes and machines
as the desk wants, all against the same Redis and database."""

from __future__ import annotations

import importlib
import os
import threading
from datetime import timedelta

import click

from app.cli.root import Context, fail, main, pass_context
from claims.jobs.runners import RedisRunner
from claims.jobs.running import recover_stale
from claims.jobs.snapshots import queue_recheck_if_due, recheck_interval

# Extra modules that register job kinds (comma-separated), imported before working: plugins, tests.
JOB_MODULES_ENV = "CLAIMTRACK_JOB_MODULES"


def _watch(ctx: Context, runner: RedisRunner, recheck_every: timedelta | None, stop: threading.Event) -> None:
    """Every quarter of the stale time: requeue the jobs of workers that died (on any machine), and
    queue the periodic recheck when it is due (once for all the workers: the check is in the database)."""
    stale_seconds = ctx.settings.job_stale_seconds
    while not stop.wait(stale_seconds / 4):
        try:
            for job_id in recover_stale(ctx.sessions(), stale_seconds):
                runner.enqueue(job_id)
            if recheck_every is not None and (job_id := queue_recheck_if_due(ctx.sessions(), recheck_every)):
                runner.enqueue(job_id)
        except Exception as error:  # the database or Redis away for a moment: look again next time
            click.echo(
                f"warning: could not look for jobs of dead workers or a due recheck: {error}", err=True
            )


@main.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (scripts, tests).")
@click.option("--name", help="Worker name shown by `rq info` (default: host and process id).")
@click.option(
    "--recheck-every",
    "recheck_hours",
    type=click.FloatRange(min=0, max=24 * 365),
    help="Hours between rechecks of every cited page (default CLAIMTRACK_RECHECK_HOURS, 24; 0: never).",
)
@pass_context
def worker(ctx: Context, burst: bool, name: str | None, recheck_hours: float | None) -> None:
    """Run jobs from the queue named by CLAIMTRACK_JOB_QUEUE on CLAIMTRACK_REDIS_URL until stopped."""
    from rq import SimpleWorker

    settings = ctx.settings
    if not settings.redis_url:
        fail("CLAIMTRACK_REDIS_URL is not set: without Redis, jobs run inside the app (`claimtrack run`)")
    for module in filter(None, os.environ.get(JOB_MODULES_ENV, "").split(",")):
        importlib.import_module(module.strip())
    runner = RedisRunner(settings.redis_url, settings.job_queue)
    stop = threading.Event()
    hours = settings.recheck_hours if recheck_hours is None else recheck_hours
    watcher = threading.Thread(target=_watch, args=(ctx, runner, recheck_interval(hours), stop), daemon=True)
    watcher.start()
    # SimpleWorker runs a job in this process (no fork per job): a killed worker takes its job with it,
    # which the heartbeat then reports, and the engine and loaded models are kept between jobs.
    try:
        SimpleWorker([runner.queue], connection=runner.connection, name=name).work(burst=burst)
    finally:
        stop.set()
