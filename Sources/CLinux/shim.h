#ifndef DEADLINED_CLINUX_SHIM_H
#define DEADLINED_CLINUX_SHIM_H
/* Linux interfaces Swift's Glibc module does not export: timerfd, for noticing when the
   wall clock is set (TFD_TIMER_CANCEL_ON_SET), and the peer credentials of a Unix socket
   (SO_PEERCRED's struct ucred, which glibc declares only under _GNU_SOURCE). */
#include <sys/timerfd.h>
#include <sys/types.h>

/* The layout of struct ucred (socket(7)). */
struct deadlined_peer_credentials {
    pid_t pid;
    uid_t uid;
    gid_t gid;
};
#endif
