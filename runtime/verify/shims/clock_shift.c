/* verify's time variation, beside libfaketime.
 *
 * libfaketime moves the clock but, with NO_FAKE_STAT, leaves file times alone:
 * a file written during the build is then years older than "now", and checks
 * like gnulib's "whether the utimes function works" fail. With its stat faking
 * on instead, every file moves, the sources' and the snapshot's too. A real
 * change of the clock moves only what is stamped after it. This shim does
 * that: a time the kernel stamped at or after CLEANROOM_CLOCK_START (real
 * seconds) reads CLEANROOM_CLOCK_SHIFT seconds later, and a time set at or
 * after the shifted start is stored that much earlier, so it reads back as
 * set. Older times pass unchanged both ways. Every stat and utime entry point
 * glibc exports is wrapped, the pre-2.33 __xstat family too; the time64 ones of
 * 32-bit glibc are not, since Debian's i386 programs do not use them.
 *
 * Compiled in the build root by the variation's preamble (cleanroom embeds
 * this file), and by cleanroom's own build with warnings as errors. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <utime.h>

static long long shift = -1, start;

static void init(void) {
  if (shift >= 0) return;
  const char *s = getenv("CLEANROOM_CLOCK_SHIFT"), *t = getenv("CLEANROOM_CLOCK_START");
  start = t ? atoll(t) : 0;
  shift = s && t ? atoll(s) : 0;
}

static void later(struct timespec *ts) {
  if (shift > 0 && ts->tv_sec >= start) ts->tv_sec += shift;
}
#define LATER_STAT(st) do { later(&(st)->st_atim); later(&(st)->st_mtim); later(&(st)->st_ctim); } while (0)

static long long earlier_sec(long long sec) {
  return shift > 0 && sec >= start + shift ? sec - shift : sec;
}

/* glibc's own functions, past libfaketime's wrappers: it would turn a
   utime to "now" into the faked now, stored as such. */
static void *libc_fn(const char *name) {
  static void *libc;
  if (!libc) libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
  void *f = libc ? dlsym(libc, name) : 0;
  return f ? f : dlsym(RTLD_NEXT, name);
}

#define NEXT(name) static __typeof__(name) *next; if (!next) next = (__typeof__(name) *)libc_fn(#name); init()

int stat(const char *p, struct stat *st) { NEXT(stat); int r = next(p, st); if (r == 0) LATER_STAT(st); return r; }
int lstat(const char *p, struct stat *st) { NEXT(lstat); int r = next(p, st); if (r == 0) LATER_STAT(st); return r; }
int fstat(int fd, struct stat *st) { NEXT(fstat); int r = next(fd, st); if (r == 0) LATER_STAT(st); return r; }
int fstatat(int d, const char *p, struct stat *st, int f) { NEXT(fstatat); int r = next(d, p, st, f); if (r == 0) LATER_STAT(st); return r; }
int stat64(const char *p, struct stat64 *st) { NEXT(stat64); int r = next(p, st); if (r == 0) LATER_STAT(st); return r; }
int lstat64(const char *p, struct stat64 *st) { NEXT(lstat64); int r = next(p, st); if (r == 0) LATER_STAT(st); return r; }
int fstat64(int fd, struct stat64 *st) { NEXT(fstat64); int r = next(fd, st); if (r == 0) LATER_STAT(st); return r; }
int fstatat64(int d, const char *p, struct stat64 *st, int f) { NEXT(fstatat64); int r = next(d, p, st, f); if (r == 0) LATER_STAT(st); return r; }

#define XSTAT(name, arg_t, st_t) \
  int name(int v, arg_t a, st_t *st) { \
    static int (*next)(int, arg_t, st_t *); \
    if (!next) next = (int (*)(int, arg_t, st_t *))libc_fn(#name); \
    init(); if (!next) return -1; \
    int r = next(v, a, st); if (r == 0) LATER_STAT(st); return r; }
XSTAT(__xstat, const char *, struct stat)
XSTAT(__lxstat, const char *, struct stat)
XSTAT(__fxstat, int, struct stat)
XSTAT(__xstat64, const char *, struct stat64)
XSTAT(__lxstat64, const char *, struct stat64)
XSTAT(__fxstat64, int, struct stat64)
int __fxstatat(int v, int d, const char *p, struct stat *st, int f) {
  static int (*next)(int, int, const char *, struct stat *, int);
  if (!next) next = (int (*)(int, int, const char *, struct stat *, int))libc_fn("__fxstatat");
  init(); if (!next) return -1;
  int r = next(v, d, p, st, f); if (r == 0) LATER_STAT(st); return r;
}
int __fxstatat64(int v, int d, const char *p, struct stat64 *st, int f) {
  static int (*next)(int, int, const char *, struct stat64 *, int);
  if (!next) next = (int (*)(int, int, const char *, struct stat64 *, int))libc_fn("__fxstatat64");
  init(); if (!next) return -1;
  int r = next(v, d, p, st, f); if (r == 0) LATER_STAT(st); return r;
}

static void later_x(struct statx_timestamp *t) {
  if (shift > 0 && t->tv_sec >= start) t->tv_sec += shift;
}
int statx(int d, const char *p, int f, unsigned m, struct statx *st) {
  NEXT(statx); int r = next(d, p, f, m, st);
  if (r == 0) { later_x(&st->stx_atime); later_x(&st->stx_mtime); later_x(&st->stx_ctime); later_x(&st->stx_btime); }
  return r;
}

static const struct timespec *earlier_ts(const struct timespec *in, struct timespec *out) {
  if (!in) return in;
  for (int i = 0; i < 2; i++) {
    out[i] = in[i];
    if (in[i].tv_nsec != UTIME_NOW && in[i].tv_nsec != UTIME_OMIT) out[i].tv_sec = earlier_sec(in[i].tv_sec);
  }
  return out;
}
static const struct timeval *earlier_tv(const struct timeval *in, struct timeval *out) {
  if (!in) return in;
  for (int i = 0; i < 2; i++) { out[i] = in[i]; out[i].tv_sec = earlier_sec(in[i].tv_sec); }
  return out;
}

int utimensat(int d, const char *p, const struct timespec ts[2], int f) { NEXT(utimensat); struct timespec o[2]; return next(d, p, earlier_ts(ts, o), f); }
int futimens(int fd, const struct timespec ts[2]) { NEXT(futimens); struct timespec o[2]; return next(fd, earlier_ts(ts, o)); }
int utimes(const char *p, const struct timeval tv[2]) { NEXT(utimes); struct timeval o[2]; return next(p, earlier_tv(tv, o)); }
int lutimes(const char *p, const struct timeval tv[2]) { NEXT(lutimes); struct timeval o[2]; return next(p, earlier_tv(tv, o)); }
int futimes(int fd, const struct timeval tv[2]) { NEXT(futimes); struct timeval o[2]; return next(fd, earlier_tv(tv, o)); }
int futimesat(int d, const char *p, const struct timeval tv[2]) { NEXT(futimesat); struct timeval o[2]; return next(d, p, earlier_tv(tv, o)); }
int utime(const char *p, const struct utimbuf *b) {
  NEXT(utime);
  if (!b) return next(p, b);
  struct utimbuf o = { earlier_sec(b->actime), earlier_sec(b->modtime) };
  return next(p, &o);
}
