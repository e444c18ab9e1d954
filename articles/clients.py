"""How a request's client is told apart: one rule for the API's throttles and the admin's login lockout."""

from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind DJANGO_NUM_PROXIES proxies the X-Forwarded-For entry added.

    DRF's rule (REST_FRAMEWORK["NUM_PROXIES"]); django-axes calls this too (AXES_CLIENT_IP_CALLABLE), so that
    a guesser is the same client to both.
    """
    return BaseThrottle().get_ident(request)
