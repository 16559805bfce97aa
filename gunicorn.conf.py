"""Gunicorn settings for BoneCheck: `gunicorn -c gunicorn.conf.py wsgi:app`.

Threaded workers (gthread), so a client that sends a request slowly, or half a
request and then nothing, holds one thread rather than a whole worker: with
gunicorn's default sync workers two such clients stalled `-w 2` for 30 seconds
and got both workers killed. Each worker has more threads than twice the number
of workers, so even if every slow client of `tests/test_gunicorn.py` (twice as
many as workers) lands on the same worker, it still has a thread free.

A reverse proxy that buffers whole requests (nginx, see docs/deployment.md) should
stand in front in production: it is what protects against many slow clients;
these settings keep a few from stalling the service if one gets through.
Every value can be overridden from the environment, as shown.
"""

import multiprocessing
import os


def _number(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("BIND", "127.0.0.1:8000")
worker_class = "gthread"
# Gunicorn's rule of thumb: two workers a core, plus one.
workers = _number("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _number("GUNICORN_THREADS", 2 * workers + 4)
# A request that takes longer than this is stuck: its worker is restarted.
timeout = 30
graceful_timeout = 20
# Short keep-alive: an idle browser connection does not hold a thread's socket for long.
keepalive = 5
# Requests no browser sends: refused before the app sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Load the app once in the master and compile its templates there (`when_ready`), so
# every worker starts ready rather than making its first visitors wait a second or
# more. create_app connects to nothing, so no connection is shared across the fork.
preload_app = True
# No control socket (a shared path in the home directory): signals are enough.
control_socket_disable = True
# The app logs to stdout itself; gunicorn's own log and the access log go there too.
accesslog = "-"
errorlog = "-"
# Trust X-Forwarded-* from no one here: the app's ProxyFix trusts TRUSTED_PROXIES hops.
forwarded_allow_ips = ""


def when_ready(server):
    """Compile every template in the master, before the workers are forked.

    The NHS.UK macros take a second or more to compile on first use; compiled
    here once, every worker starts with them, and no visitor waits.
    """
    app = server.app.wsgi()
    environment = getattr(app, "jinja_env", None)
    names = environment.list_templates() if environment is not None else []
    for name in names:
        if name.endswith((".html", ".jinja")):
            environment.get_template(name)
    server.log.info("Compiled %d templates; starting workers", len(names))
