"""Rate limits on searches and downloads, in one place.

`RateLimitMiddleware` sorts each request by the URL it resolved to: a bulk download under /data/, any other CSV or
JSON export and every API call, or a search (a non-empty `q`). Each kind has its own budget per client address and
minute, counted in the default cache (a fixed one-minute window: `cache.add` then `cache.incr`, so it works with the
local-memory cache, Redis or Memcached alike; with the local-memory cache each worker process counts on its own).
Over budget, the client gets a friendly 429 page with `Retry-After`. Letter and organization pages are never
limited: a link someone follows must always open.

Settings: RATE_LIMITS_ENABLED (env RATE_LIMITS, default on), RATE_LIMIT_SEARCHES_PER_MINUTE,
RATE_LIMIT_EXPORTS_PER_MINUTE, RATE_LIMIT_BULK_DOWNLOADS_PER_MINUTE, RATE_LIMIT_EXEMPT_ADDRESSES (default: loopback,
so the leak checker, the load test and a local dev server are never limited), and RATE_LIMIT_CLIENT_ADDRESS_HEADER
(behind a reverse proxy, the request header the proxy sets to the client's address, e.g. "X-Real-IP"; without it the
limit would fall on the proxy's own address).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

WINDOW_SECONDS = 60

# URL names of the downloads; every view of the "api" namespace counts as an export too.
BULK_DOWNLOADS = {"letters:data_file"}
EXPORTS = {
    "letters:list_csv",
    "letters:list_json",
    "letters:detail_csv",
    "letters:detail_json",
    "organizations:list_csv",
    "organizations:list_json",
    "organizations:detail_csv",
    "organizations:detail_json",
}


@dataclass(frozen=True)
class Budget:
    scope: str
    setting: str
    description: str

    @property
    def per_minute(self) -> int:
        return getattr(settings, self.setting)


SEARCH = Budget("search", "RATE_LIMIT_SEARCHES_PER_MINUTE", "searches")
EXPORT = Budget("export", "RATE_LIMIT_EXPORTS_PER_MINUTE", "downloads and API requests")
BULK = Budget("bulk", "RATE_LIMIT_BULK_DOWNLOADS_PER_MINUTE", "bulk data downloads")


def client_address(request) -> str:
    header = getattr(settings, "RATE_LIMIT_CLIENT_ADDRESS_HEADER", "")
    if header:
        forwarded = request.headers.get(header, "")
        # X-Forwarded-For style lists: the proxy appends the address it saw last.
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def budget_for(request) -> Budget | None:
    match = request.resolver_match
    view_name = match.view_name if match else ""
    if view_name in BULK_DOWNLOADS:
        return BULK
    if view_name in EXPORTS or (match is not None and "api" in match.namespaces):
        return EXPORT
    if request.GET.get("q", "").strip():
        return SEARCH
    return None


def over_budget(budget: Budget, address: str, now: float | None = None) -> tuple[bool, int]:
    """Count one request of `address` against `budget`; (over the limit?, seconds until the window ends)."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"ratelimit:{budget.scope}:{address}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    retry_after = WINDOW_SECONDS - int(now % WINDOW_SECONDS)
    return count > budget.per_minute, retry_after


def too_many_requests(request, budget: Budget, retry_after: int):
    context = {"budget": budget, "retry_after": retry_after}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(settings, "RATE_LIMITS_ENABLED", True) or request.method not in ("GET", "HEAD"):
            return None
        budget = budget_for(request)
        if budget is None:
            return None
        address = client_address(request)
        if address in getattr(settings, "RATE_LIMIT_EXEMPT_ADDRESSES", ()):
            return None
        limited, retry_after = over_budget(budget, address)
        if limited:
            return too_many_requests(request, budget, retry_after)
        return None
