#ifndef DEADLINED_CLINUX_SHIM_H
#define DEADLINED_CLINUX_SHIM_H
/* Linux interfaces Swift's Glibc module does not export: timerfd, for noticing when the
   wall clock is set (TFD_TIMER_CANCEL_ON_SET). */
#include <sys/timerfd.h>
#endif
