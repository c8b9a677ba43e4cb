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

/// Data room: write-behind and preallocation for the file backend. Glibc's Swift module hides
/// these GNU calls, so they go through syscall(2) with the kernel's own flag values.
#include <sys/syscall.h>
#include <unistd.h>

/// sync_file_range(fd, offset, count, SYNC_FILE_RANGE_WRITE): start writeback of a range
/// without waiting, so a final fsync has less left to do.
static inline int clinux_start_writeback(int fd, long long offset, long long count) {
    return (int)syscall(SYS_sync_file_range, fd, offset, count, 2 /* SYNC_FILE_RANGE_WRITE */);
}

/// fallocate(fd, 0, offset, count): reserve blocks now, so a full disk fails before any write.
static inline int clinux_fallocate(int fd, long long offset, long long count) {
    return (int)syscall(SYS_fallocate, fd, 0, offset, count);
}

/// accept4(2) with SOCK_CLOEXEC; glibc declares accept4 only under _GNU_SOURCE.
static inline int clinux_accept(int fd, struct sockaddr *address, socklen_t *length) {
    extern int accept4(int, struct sockaddr *, socklen_t *, int);
    return accept4(fd, address, length, SOCK_CLOEXEC);
}

/// splice(2) between a socket and a pipe, without copying through user space; glibc declares
/// it only under _GNU_SOURCE. Flags: SPLICE_F_MOVE (1) | SPLICE_F_MORE (4).
static inline long clinux_splice(int from, int to, unsigned long count) {
    return syscall(SYS_splice, from, (void *)0, to, (void *)0, count, 1 | 4);
}

/// pipe2(fds, O_CLOEXEC), its capacity raised to `size` when the system allows (F_SETPIPE_SZ);
/// returns the capacity, or -1 when no pipe could be made.
static inline long clinux_pipe(int fds[2], int size) {
    if (syscall(SYS_pipe2, fds, 02000000 /* O_CLOEXEC */) != 0) return -1;
    long capacity = syscall(SYS_fcntl, fds[1], 1031 /* F_SETPIPE_SZ */, size);
    if (capacity < 0) capacity = syscall(SYS_fcntl, fds[1], 1032 /* F_GETPIPE_SZ */);
    if (capacity <= 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    return capacity;
}
#endif
