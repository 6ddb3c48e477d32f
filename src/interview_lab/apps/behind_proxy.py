"""The hand-written ASGI app of ``apps.bare``, wrapped to insist on HTTPS.

Starlette's ``HTTPSRedirectMiddleware`` answers every request whose scheme is
``http`` with a 307 redirect to the same URL on ``https``. Lesson 17 serves this
app three ways: over TLS directly (scheme https: it answers), over plain HTTP as
a TLS-terminating reverse proxy would reach it (scheme http: it redirects, for
ever), and over plain HTTP with the proxy's ``X-Forwarded-Proto: https`` header,
which uvicorn applies only when the request comes from an address it trusts
(``--forwarded-allow-ips``, 127.0.0.1 by default).
"""

from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware

from interview_lab.apps.bare import asgi_app

app = HTTPSRedirectMiddleware(asgi_app)
