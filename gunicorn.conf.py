"""gunicorn, the archive's production server: `gunicorn archive.wsgi` reads this file from the project directory.

Every value can be changed from the environment without editing this file:
- GUNICORN_BIND (127.0.0.1:8000): put a reverse proxy (TLS, compression) in front; it must send X-Forwarded-Proto.
- WEB_CONCURRENCY (2 x cores + 1, at most 8): worker processes. Each has its own locmem page cache; use
  CACHE_URL=redis://... to share one cache (and one archive version) between all workers and machines.
- GUNICORN_THREADS (4): threads per worker. gthread workers, so a long CSV download (/data/signatures.csv streams
  millions of rows) holds one thread, not a whole worker, and is not killed by the worker timeout.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A worker silent this long is restarted; streamed downloads keep a gthread worker's heartbeat going.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound; jitter keeps them from restarting together.
# Rarely: each restart loads Django again (about a second of CPU, taken from the other worker's core) and drops the
# worker's keep-alive connections, which its clients then open again on the other worker, leaving one worker with
# all of them. At 5,000 requests the static file's median under load went from 1.2 ms to 2.0-3.3 ms; at 100,000
# each worker still restarted 2-3 times in bench/pages.py's cached run (270,000 requests each), and 16 of the 63
# rounds of three such runs had a restart or one worker doing all the work. 1,000,000 is 7 minutes of cached pages at
# full speed, hours of real traffic.
max_requests = 1_000_000
max_requests_jitter = 100_000
# Only the local proxy may say the request came over HTTPS (SECURE_PROXY_SSL_HEADER in settings).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
