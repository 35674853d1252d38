// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <string>

namespace fika::core {

// A listening socket on host:port, without SO_REUSEPORT: a second server on the port is an error.
Result<int> listenOn(const std::string& host, int port);
// The port a socket is bound to; 0 when unknown.
int boundPort(int fd);
// Whether a socket is bound to a loopback address (127.0.0.0/8, ::1), which other machines cannot reach.
bool boundToLoopback(int fd);
// Each connection is a file descriptor: lifts the soft limit (often 1024) towards the hard one.
void allowDescriptors(int connections);

} // namespace fika::core
