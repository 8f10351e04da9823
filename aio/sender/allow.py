"""Which hosts HTTP push may reach: the RESONATE_HTTP_PUSH_ALLOW list.

Receivers are written by clients, so without a list the server would POST wherever a
client points it, including into its own network. Entries are `*` (anywhere), host
names with `*` wildcards (`*.example.com`), IP addresses and CIDR networks
(`10.0.0.0/8`). An IP literal in a URL matches only addresses and networks; a host
name matches only names.
"""

from __future__ import annotations

import fnmatch
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class AllowList:
    anywhere: bool
    names: tuple[str, ...]
    networks: tuple[IpNetwork, ...]

    @classmethod
    def parse(cls, text: str) -> AllowList:
        """From the setting's text; raises ValueError naming a bad entry."""
        entries = [entry.strip() for entry in text.split(",") if entry.strip()]
        names: list[str] = []
        networks: list[IpNetwork] = []
        for entry in entries:
            if entry == "*":
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            if not all(
                part and (part == "*" or part.replace("-", "").replace("*", "").isalnum()) for part in entry.split(".")
            ):
                raise ValueError(f"not a host name, address or network: {entry!r}")
            names.append(entry.lower())
        return cls("*" in entries, tuple(names), tuple(networks))

    def allows(self, url: str) -> bool:
        if self.anywhere:
            return True
        host = (urlsplit(url).hostname or "").lower()
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return any(fnmatch.fnmatchcase(host, pattern) for pattern in self.names)
        return any(address in network for network in self.networks)
