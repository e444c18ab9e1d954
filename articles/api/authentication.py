"""Token authentication that bounds guessing: failed tokens are counted per client address, and past the rate
(`failed_token` in DEFAULT_THROTTLE_RATES) every token from that address gets 429 with Retry-After."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.throttling import SimpleRateThrottle

from ..clients import client_address


class FailedTokenThrottle(SimpleRateThrottle):
    """The failed token attempts of one address in the rate's window, kept in the default cache."""

    scope = "failed_token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def wait_for(self, request) -> float | None:
        """Seconds until this address may try a token again; None while it may."""
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return self.wait() if len(self.history) >= self.num_requests else None

    def record_failure(self):
        self.throttle_success()


class GuardedTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        throttle = FailedTokenThrottle()
        wait = throttle.wait_for(request)
        if wait is not None:
            # Even a right token waits: answering it would tell a guesser which one is right.
            raise Throttled(wait, detail=f"Too many failed tokens from this address; try again in {wait:.0f} s.")
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle.record_failure()
            raise
