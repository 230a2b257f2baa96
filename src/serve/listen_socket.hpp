// serve's listening socket, opened here rather than by libmicrohttpd so that a failure says
// why (errno) and where; libmicrohttpd takes it over (MHD_OPTION_LISTEN_SOCKET).
#pragma once

#include <string>

#include "devops_monitor/error.hpp"
#include "serve/http_server.hpp"

namespace devops_monitor::serve {

/// "127.0.0.1:9877", "[::1]:9877", ":9877".
std::string shown_listen_address(const ListenAddress& address);

/// A socket bound to `address` and listening: the first address of the host that binds, as
/// getaddrinfo orders them; without a host, every address (IPv6's wildcard, which takes IPv4
/// too, else IPv4's on a machine without IPv6). Errors name the address.
Result<int> open_listen_socket(const ListenAddress& address);

/// The port a socket is bound to (the kernel's choice for port 0); 0 when it cannot tell.
int bound_port(int fd);

}  // namespace devops_monitor::serve
