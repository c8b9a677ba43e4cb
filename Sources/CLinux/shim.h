#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
/// Linux system calls that Glibc's Swift module does not export.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#include <sys/statvfs.h>
#include <sys/resource.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <errno.h>

/// errno is a macro over a thread-local; read and set it through functions.
static inline int clinux_errno(void) { return errno; }
static inline void clinux_set_errno(int value) { errno = value; }

/// accept4(2) with SOCK_CLOEXEC; glibc declares accept4 only under _GNU_SOURCE.
static inline int clinux_accept(int fd, struct sockaddr *address, socklen_t *length) {
    extern int accept4(int, struct sockaddr *, socklen_t *, int);
    return accept4(fd, address, length, SOCK_CLOEXEC);
}
#endif
