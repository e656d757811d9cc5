#ifndef DEADLINED_CSYSTEMD_SHIM_H
#define DEADLINED_CSYSTEMD_SHIM_H
/* The parts of libsystemd that deadlined uses: the notify protocol, socket
   activation and the native journal protocol. */
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>
#endif
