// Spares every run the start-up work of a TLS library the tool never uses.
//
// Debian's libcurl (the OpenSSL flavour) links librtmp, which links GnuTLS. GnuTLS initialises
// itself in a library constructor while the program loads (random pool, crypto back-ends,
// its system configuration, p11-kit): about 0.8 MB resident in every devops-monitor process,
// though all its HTTPS goes through OpenSSL and its HTTP layer allows no rtmp URL.
// GnuTLS skips that constructor when GNUTLS_NO_IMPLICIT_INIT=1 is in the environment; an
// explicit gnutls_global_init() (what librtmp calls before it uses GnuTLS) works as before.
// The variable must be there before the dynamic loader runs the constructors, so the
// long-running commands (serve, watch) start themselves once more, with the same arguments,
// descriptors and process id: a second load (tens of ms) once, for 0.8 MB for as long as they
// run. One-shot commands do not pay that time.
#pragma once

namespace devops_monitor::cli {

/// Call first in main(). On the first start of a daemon (an argument is "serve" or "watch";
/// a false match only costs the restart) with the variable unset, sets it and a marker and
/// execs the binary /proc/self/exe names with `argv`; if that fails, clears both and
/// returns. On the second start, clears both (children do not inherit them) and returns.
/// When the user set GNUTLS_NO_IMPLICIT_INIT, it is theirs: nothing restarts and nothing is
/// cleared (set it to 1 to profile a daemon under valgrind, which would lose the restarted
/// process without --trace-children=yes).
void restart_without_gnutls_init(char** argv);

}  // namespace devops_monitor::cli
