//! `--listen HOST:PORT`: an IP address (`127.0.0.1:8080`, `[::1]:8080`) or a host name
//! resolved by the system (`localhost:8080`).
//!
//! A name can resolve to several addresses (`localhost` to 127.0.0.1 and ::1): the server
//! listens on one, IPv4 first, in the resolver's order otherwise. So `localhost:8080` listens
//! on 127.0.0.1:8080, which every client reaches (a client that tries ::1 first falls back to
//! 127.0.0.1). The address chosen is the one printed on the "listening on" line.

use std::net::{SocketAddr, ToSocketAddrs};

/// The address to listen on for `text`.
pub fn choose(text: &str) -> Result<SocketAddr, String> {
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Ok(address);
    }
    let Some((host, port)) = text.rsplit_once(':') else {
        return Err(format!(
            "--listen {text:?} has no port: give HOST:PORT, such as 127.0.0.1:8080 or \
             localhost:8080"
        ));
    };
    if host.is_empty() || port.parse::<u16>().is_err() {
        return Err(format!(
            "--listen {text:?} is not HOST:PORT (such as 127.0.0.1:8080 or localhost:8080; an \
             IPv6 address goes in brackets: [::1]:8080)"
        ));
    }
    let mut addresses: Vec<SocketAddr> = text
        .to_socket_addrs()
        .map_err(|error| format!("--listen {text:?}: cannot resolve {host:?}: {error}"))?
        .collect();
    // IPv4 first; otherwise the resolver's order (the sort is stable).
    addresses.sort_by_key(SocketAddr::is_ipv6);
    addresses
        .first()
        .copied()
        .ok_or_else(|| format!("--listen {text:?}: {host:?} resolves to no address"))
}

#[cfg(test)]
mod tests {
    use super::choose;

    #[test]
    fn addresses_are_taken_as_they_are() {
        assert_eq!(
            choose("127.0.0.1:8080").unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
        assert_eq!(choose("[::1]:0").unwrap(), "[::1]:0".parse().unwrap());
        assert_eq!(choose("0.0.0.0:80").unwrap(), "0.0.0.0:80".parse().unwrap());
    }

    #[test]
    fn localhost_is_resolved_ipv4_first() {
        let address = choose("localhost:8080").unwrap();
        assert_eq!(address.port(), 8080);
        assert!(address.ip().is_loopback(), "{address}");
        assert!(address.is_ipv4(), "{address}");
    }

    #[test]
    fn what_is_not_host_and_port_says_so() {
        assert!(choose("localhost").unwrap_err().contains("has no port"));
        assert!(choose("localhost:http").unwrap_err().contains("HOST:PORT"));
        assert!(choose(":8080").unwrap_err().contains("HOST:PORT"));
        assert!(choose("localhost:65536").unwrap_err().contains("HOST:PORT"));
        let unknown = choose("no-such-host.invalid:8080").unwrap_err();
        assert!(unknown.contains("cannot resolve"), "{unknown}");
    }
}
