"""An httpx transport for the open web: public addresses only, and a deadline on every byte.

``collect`` fetches URLs that feeds, pages and their redirects name, so a
hostile or mistaken source could point it at the machine itself
(``127.0.0.1``), a home router (``192.168.1.1``) or a cloud metadata
service (``169.254.169.254``). :class:`GuardedTransport` decides at the
moment of connecting, after DNS resolution: a host name is resolved once,
every address it resolves to is checked, and the connection goes to a
checked address (so a name that resolves to a public address for the check
and to ``127.0.0.1`` for the connection cannot slip through). Refused:
loopback, private (RFC 1918, RFC 4193), link-local, shared (RFC 6598),
multicast, reserved and unspecified addresses — everything Python's
:mod:`ipaddress` does not call global — unless :class:`AddressPolicy`
allows all of them or the given networks. IPv4-mapped IPv6 addresses are
judged as the IPv4 address they carry.

The same transport bounds the time of a request: :func:`deadline` sets, for
the calling thread, a time by which every connect, read and write must be
done, so a server that trickles one byte at a time is cut at the deadline
rather than after its last byte.

Built on httpcore's public network-backend interface (``NetworkBackend``,
``NetworkStream``) and httpx's ``BaseTransport``; no private attribute of
either is used. Proxies are not used (their address could not be checked).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from typing import Iterable, Iterator

import httpcore
import httpx

from dyadwatch.errors import FetchError

_local = threading.local()


class AddressRefused(FetchError):
    """A host resolves to an address the policy refuses (loopback, private ...)."""


@contextlib.contextmanager
def deadline(at: float | None) -> Iterator[None]:
    """Within the block, this thread's requests must end by ``at`` (``time.monotonic``)."""
    before = getattr(_local, "deadline", None)
    _local.deadline = at
    try:
        yield
    finally:
        _local.deadline = before


def _timeout(timeout: float | None, exc: type[Exception]) -> float | None:
    """The socket time-out for one operation: the request's own, shortened to the deadline."""
    at = getattr(_local, "deadline", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise exc("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


def address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What makes ``ip`` non-public (``"loopback"``, ``"private"``, ``"link-local"`` ...), None if public.

    >>> address_kind(ipaddress.ip_address("127.0.0.1")), address_kind(ipaddress.ip_address("8.8.8.8"))
    ('loopback', None)
    >>> address_kind(ipaddress.ip_address("::ffff:169.254.169.254"))
    'link-local'
    """
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, flag in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                       ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                       ("private", ip.is_private), ("reserved", ip.is_reserved)):
        if flag:
            return kind
    if not ip.is_global:
        return "not globally routable"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses a request may connect to.

    ``allow_private`` allows every address; ``allow_networks`` allows these
    networks (CIDR strings such as ``"127.0.0.1/32"``) besides public ones.
    """

    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()

    def networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(n, strict=False) for n in self.allow_networks]

    def refusal(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
                nets: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> str | None:
        """Why ``ip`` is refused, None when it may be used."""
        if self.allow_private:
            return None
        kind = address_kind(ip)
        if kind is None or any(ip.version == n.version and ip in n for n in nets):
            return None
        return kind


class _Stream(httpcore.NetworkStream):
    """A connected stream whose reads and writes end by the thread's deadline."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname,
                                             _timeout(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """Resolve, check every address, connect to a checked one (httpcore's sync backend does the I/O)."""

    def __init__(self, policy: AddressPolicy):
        self.policy = policy
        self.nets = policy.networks()
        self.inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> httpcore.NetworkStream:
        timeout = _timeout(timeout, httpcore.ConnectTimeout)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, ValueError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host!r} ({exc})") from None
        addresses = []
        for *_, sockaddr in infos:
            ip = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
            why = self.policy.refusal(ip, self.nets)
            if why is not None:  # one refused address refuses the name: it may be the one used next time
                raise AddressRefused(f"{host} resolves to {ip}, a {why} address; refused",
                                     hint="collect fetches public addresses only; --allow-private allows "
                                          "loopback, private and link-local ones")
            if str(ip) not in addresses:
                addresses.append(str(ip))
        last: Exception | None = None
        for ip in addresses:
            try:
                stream = self.inner.connect_tcp(ip, port, timeout=timeout, local_address=local_address,
                                                socket_options=socket_options)
                return _Stream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"{host!r} resolves to no address")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover - never asked
        raise httpcore.ConnectError("unix sockets are not used for the web")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


#: httpcore exceptions -> the httpx exceptions callers catch (most specific first)
_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout), (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout), (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException), (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError), (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError), (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError), (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _mapped() -> Iterator[None]:
    try:
        yield
    except httpcore.UnsupportedProtocol as exc:
        raise httpx.UnsupportedProtocol(str(exc)) from exc
    except tuple(a for a, _ in _EXCEPTIONS) as exc:
        to = next(b for a, b in _EXCEPTIONS if isinstance(exc, a))
        raise to(str(exc)) from exc


class _Body(httpx.SyncByteStream):
    def __init__(self, inner):
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        with _mapped():
            yield from self._inner

    def close(self) -> None:
        with _mapped():
            if hasattr(self._inner, "close"):
                self._inner.close()


class GuardedTransport(httpx.BaseTransport):
    """httpx transport: HTTP/1.1 over httpcore's pool with the address policy and deadlines above."""

    def __init__(self, policy: AddressPolicy, *, max_connections: int = 20):
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(),
                                             max_connections=max_connections, max_keepalive_connections=10,
                                             keepalive_expiry=5.0, network_backend=_Backend(policy))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        req = httpcore.Request(method=request.method,
                               url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                                                port=request.url.port, target=request.url.raw_path),
                               headers=request.headers.raw, content=request.stream, extensions=request.extensions)
        with _mapped():
            resp = self._pool.handle_request(req)
        return httpx.Response(status_code=resp.status, headers=resp.headers, stream=_Body(resp.stream),
                              extensions=resp.extensions)

    def close(self) -> None:
        self._pool.close()
