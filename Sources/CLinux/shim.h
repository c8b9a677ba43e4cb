#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
/// Linux system calls that Glibc's Swift module does not export.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#include <sys/statvfs.h>
#include <sys/resource.h>
#include <netinet/tcp.h>
#include <errno.h>

/// errno is a macro over a thread-local; read and set it through functions.
static inline int clinux_errno(void) { return errno; }
static inline void clinux_set_errno(int value) { errno = value; }
#endif
