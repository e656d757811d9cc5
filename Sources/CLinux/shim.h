#ifndef DEADLINED_CLINUX_SHIM_H
#define DEADLINED_CLINUX_SHIM_H
/* Linux interfaces Swift's Glibc module does not export: timerfd, for noticing when the
   wall clock is set (TFD_TIMER_CANCEL_ON_SET), and the peer credentials of a Unix socket
   (SO_PEERCRED's struct ucred, which glibc declares only under _GNU_SOURCE), and memfd_create
   (also _GNU_SOURCE only), for a child's stdin held in memory; and prctl, to name a thread
   (pthread_setname_np is _GNU_SOURCE only too). */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <unistd.h>

/* memfd_create(2) with MFD_CLOEXEC (1), by its system call: the libc wrapper is hidden. */
static inline int deadlined_memfd_create(const char *name) {
    return (int)syscall(SYS_memfd_create, name, 1U);
}

/* Names the calling thread as ps and top show it (at most 15 bytes are kept). */
static inline int deadlined_name_this_thread(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}

/* The layout of struct ucred (socket(7)). */
struct deadlined_peer_credentials {
    pid_t pid;
    uid_t uid;
    gid_t gid;
};
#endif
