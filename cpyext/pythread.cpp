// Locks and thread identities of Python/thread_pthread.h (3.11), Linux flavour:
// CPython there builds with USE_SEMAPHORES, so a lock is a counting POSIX
// semaphore of initial value 1 and has its semantics exactly: any thread may
// release it, and releasing an unlocked lock is not checked (the count grows).
//
// The layer's link namespace has a libc of its own (host/namespace_libc.cpp
// sends thread creation and keys to the host's libc). A semaphore is plain
// memory and futex system calls, so the namespace's sem_* work as they are;
// pthread_self() reads the thread pointer, which both copies of libc share,
// so identities equal the host's threading.get_ident().
#include <Python.h>
#include <pythread.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <pthread.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gc_bridge/stats.h"
#define FERRY_FAMILY "pythread"

namespace {

// fix_status: sem_* report errors through errno.
int fix_status(int status) { return status == -1 ? errno : status; }

// CHECK_STATUS_PTHREAD: a failure is reported on stderr, as CPython does.
bool report(int status, const char *name) {
    if (status == 0)
        return false;
    std::fprintf(stderr, "%s: %s\n", name, std::strerror(status));
    return true;
}

constexpr int64_t kMax = INT64_MAX, kMin = INT64_MIN;

int64_t add_clamp(int64_t a, int64_t b) {
    if (b > 0 && a > kMax - b)
        return kMax;
    if (b < 0 && a < kMin - b)
        return kMin;
    return a + b;
}

int64_t monotonic_ns() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

} // namespace

PyThread_type_lock PyThread_allocate_lock(void) {
    FERRY_API;
    auto *lock = static_cast<sem_t *>(PyMem_RawMalloc(sizeof(sem_t)));
    if (lock && report(sem_init(lock, 0, 1) == 0 ? 0 : errno, "sem_init")) {
        PyMem_RawFree(lock);
        lock = nullptr;
    }
    return lock;
}

void PyThread_free_lock(PyThread_type_lock lock) {
    FERRY_API;
    auto *sem = static_cast<sem_t *>(lock);
    if (!sem)
        return;
    report(fix_status(sem_destroy(sem)), "sem_destroy");
    PyMem_RawFree(sem);
}

// microseconds < 0: wait for ever; 0: try; > 0: wait at most that long (the
// deadline is on the monotonic clock, the timeout clamped to what 64-bit
// nanoseconds hold). A signal restarts the wait unless intr_flag, which then
// returns PY_LOCK_INTR.
PyLockStatus PyThread_acquire_lock_timed(PyThread_type_lock lock, PY_TIMEOUT_T microseconds,
                                         int intr_flag) {
    FERRY_API;
    auto *sem = static_cast<sem_t *>(lock);
    int64_t timeout;
    if (microseconds >= 0)
        timeout = microseconds > kMax / 1000 ? kMax : microseconds * 1000;
    else
        timeout = -1;
    struct timespec deadline {};
    if (timeout > 0) {
        int64_t d = add_clamp(monotonic_ns(), timeout);
        int64_t sec = d / 1000000000, ns = d % 1000000000;
        if (ns < 0) {
            ns += 1000000000;
            sec -= 1;
        }
        deadline.tv_sec = static_cast<time_t>(sec);
        deadline.tv_nsec = static_cast<long>(ns);
    }
    int status;
    for (;;) {
        if (timeout > 0)
            status = fix_status(sem_clockwait(sem, CLOCK_MONOTONIC, &deadline));
        else if (timeout == 0)
            status = fix_status(sem_trywait(sem));
        else
            status = fix_status(sem_wait(sem));
        // The deadline is absolute: a restarted wait needs no new timeout.
        if (intr_flag || status != EINTR)
            break;
    }
    if (!(intr_flag && status == EINTR)) {
        if (timeout > 0) {
            if (status != ETIMEDOUT)
                report(status, "sem_clockwait");
        } else if (timeout == 0) {
            if (status != EAGAIN)
                report(status, "sem_trywait");
        } else {
            report(status, "sem_wait");
        }
    }
    if (status == 0)
        return PY_LOCK_ACQUIRED;
    if (intr_flag && status == EINTR)
        return PY_LOCK_INTR;
    return PY_LOCK_FAILURE;
}

int PyThread_acquire_lock(PyThread_type_lock lock, int waitflag) {
    FERRY_API;
    return PyThread_acquire_lock_timed(lock, waitflag ? -1 : 0, 0);
}

void PyThread_release_lock(PyThread_type_lock lock) {
    FERRY_API;
    report(fix_status(sem_post(static_cast<sem_t *>(lock))), "sem_post");
}

unsigned long PyThread_get_thread_ident(void) {
    FERRY_API;
    return static_cast<unsigned long>(pthread_self());
}

unsigned long PyThread_get_thread_native_id(void) {
    FERRY_API;
    return static_cast<unsigned long>(syscall(SYS_gettid));
}
