/* Fault injection for tests: an LD_PRELOAD library that makes chosen calls of a real process
 * fail, hang or kill the process, so tests can prove what happens at each step of a save, on
 * a full disk, on a stuck mount or when libcurl refuses a transfer.
 *
 * DM_FAULTS holds rules separated by ';', each  FUNCTION[@PATH]:NTH:ACTION
 *   FUNCTION  write fsync link rename open openat statvfs flock fcntl mkdir opendir readdir
 *             unlink curl_multi_add_handle dlopen (PATH: the library's name)
 *   @PATH     only calls whose path (or, for descriptors, the file it is open on) contains
 *             PATH count and fire
 *   NTH       1, 2, ...: only the NTH matching call; '*': every matching call
 *   ACTION    kill        SIGKILL the process instead of making the call
 *             kill-after  make the call, then SIGKILL the process
 *             hang        sleep until killed (at most a minute, then exit 99, so a test
 *                         never leaves a process behind)
 *             errno=NAME  fail with that errno (ENOSPC, EIO, ENOLCK, EACCES, ENOMEM, EINTR...)
 *             fail        curl_multi_add_handle: return CURLM_OUT_OF_MEMORY; dlopen: return
 *                         NULL, as when the library's package is not installed
 * DM_FAULTS_LOG names a file to which every fired rule appends one line, so a test can prove
 * that the fault it meant to inject really happened. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

enum action { ACT_NONE, ACT_KILL, ACT_KILL_AFTER, ACT_HANG, ACT_ERRNO, ACT_FAIL };

struct rule {
  char function[40];
  char path[256];
  long nth; /* 0: every call */
  enum action action;
  int error_number;
  atomic_long seen;
};

#define MAX_RULES 16
static struct rule rules[MAX_RULES];
static int rule_count = -1;

static const struct {
  const char* name;
  int value;
} errno_names[] = {{"ENOSPC", ENOSPC}, {"EIO", EIO},        {"ENOLCK", ENOLCK}, {"EACCES", EACCES},
                   {"EPERM", EPERM},   {"ENOMEM", ENOMEM},  {"EINTR", EINTR},   {"EROFS", EROFS},
                   {"EDQUOT", EDQUOT}, {"ESTALE", ESTALE},  {"ENOENT", ENOENT}, {"EMFILE", EMFILE},
                   {"EBADF", EBADF},   {"ENOTDIR", ENOTDIR}};

/* Parsed once when the library loads, before any thread of the program exists. */
__attribute__((constructor)) static void parse_rules(void) {
  if (rule_count >= 0) return;
  rule_count = 0;
  const char* spec = getenv("DM_FAULTS");
  if (spec == NULL) return;
  char buffer[2048];
  snprintf(buffer, sizeof buffer, "%s", spec);
  char* save = NULL;
  for (char* item = strtok_r(buffer, ";", &save); item != NULL && rule_count < MAX_RULES;
       item = strtok_r(NULL, ";", &save)) {
    struct rule* r = &rules[rule_count];
    memset(r, 0, sizeof *r);
    char* first = strchr(item, ':');
    if (first == NULL) continue;
    *first = '\0';
    char* second = strchr(first + 1, ':');
    if (second == NULL) continue;
    *second = '\0';
    const char* action = second + 1;
    char* at = strchr(item, '@');
    if (at != NULL) {
      *at = '\0';
      snprintf(r->path, sizeof r->path, "%s", at + 1);
    }
    snprintf(r->function, sizeof r->function, "%s", item);
    r->nth = strcmp(first + 1, "*") == 0 ? 0 : atol(first + 1);
    if (strcmp(action, "kill") == 0)
      r->action = ACT_KILL;
    else if (strcmp(action, "kill-after") == 0)
      r->action = ACT_KILL_AFTER;
    else if (strcmp(action, "hang") == 0)
      r->action = ACT_HANG;
    else if (strcmp(action, "fail") == 0)
      r->action = ACT_FAIL;
    else if (strncmp(action, "errno=", 6) == 0) {
      r->action = ACT_ERRNO;
      for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; ++i) {
        if (strcmp(action + 6, errno_names[i].name) == 0) r->error_number = errno_names[i].value;
      }
      if (r->error_number == 0) continue; /* unknown name: ignore the rule */
    } else {
      continue;
    }
    ++rule_count;
  }
}

static void* real_function(const char* name);

static void log_fired(const struct rule* r, long call) {
  const char* log = getenv("DM_FAULTS_LOG");
  if (log == NULL) return;
  int (*real_open)(const char*, int, ...) = real_function("open");
  ssize_t (*real_write)(int, const void*, size_t) = real_function("write");
  int fd = real_open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  char line[400];
  int n = snprintf(line, sizeof line, "%s%s%s #%ld\n", r->function, r->path[0] ? "@" : "", r->path,
                   call);
  if (n > 0) real_write(fd, line, (size_t)n);
  close(fd);
}

static int path_matches(const struct rule* r, const char* path) {
  if (r->path[0] == '\0') return 1;
  return path != NULL && strstr(path, r->path) != NULL;
}

static const char* fd_path(int fd, char* buffer, size_t size) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, buffer, size - 1);
  if (n < 0) return NULL;
  buffer[n] = '\0';
  return buffer;
}

/* The rule that fires for this call, or NULL. Counts the call for every matching rule. */
static const struct rule* fires(const char* function, const char* path) {
  const struct rule* hit = NULL;
  for (int i = 0; i < rule_count; ++i) {
    struct rule* r = &rules[i];
    if (strcmp(r->function, function) != 0 || !path_matches(r, path)) continue;
    long call = atomic_fetch_add(&r->seen, 1) + 1;
    if (hit == NULL && (r->nth == 0 || r->nth == call)) {
      log_fired(r, call);
      hit = r;
    }
  }
  return hit;
}

/* Applies the actions that happen instead of the call. Returns 1 when the call must fail
 * with errno set. */
static int before_call(const struct rule* r) {
  if (r == NULL) return 0;
  switch (r->action) {
    case ACT_KILL:
      kill(getpid(), SIGKILL);
      for (;;) pause();
    case ACT_HANG:
      sleep(60);
      _exit(99);
    case ACT_ERRNO:
      errno = r->error_number;
      return 1;
    default:
      return 0;
  }
}

static void after_call(const struct rule* r) {
  if (r != NULL && r->action == ACT_KILL_AFTER) {
    kill(getpid(), SIGKILL);
    for (;;) pause();
  }
}

/* The real functions, looked up once when the library loads: dlsym later could take the
 * loader's lock in a forked child of a threaded process and never get it. */
static const char* const real_names[] = {"write",
                                         "fsync",
                                         "link",
                                         "rename",
                                         "unlink",
                                         "mkdir",
                                         "open",
                                         "openat",
                                         "statvfs",
                                         "statvfs64",
                                         "flock",
                                         "fcntl64",
                                         "fcntl",
                                         "opendir",
                                         "readdir",
                                         "readdir64",
                                         "curl_multi_add_handle",
                                         "dlopen"};
#define REAL_COUNT (sizeof real_names / sizeof real_names[0])
static void* real_functions[REAL_COUNT];

__attribute__((constructor)) static void find_real_functions(void) {
  for (size_t i = 0; i < REAL_COUNT; ++i) real_functions[i] = dlsym(RTLD_NEXT, real_names[i]);
}

static void* real_function(const char* name) {
  for (size_t i = 0; i < REAL_COUNT; ++i) {
    if (strcmp(real_names[i], name) != 0) continue;
    void* real = __atomic_load_n(&real_functions[i], __ATOMIC_ACQUIRE);
    if (real == NULL) {
      /* libcurl is opened when the program first needs it, after this library's constructor
         ran: look its functions up then. */
      real = dlsym(RTLD_NEXT, name);
      __atomic_store_n(&real_functions[i], real, __ATOMIC_RELEASE);
    }
    return real;
  }
  return NULL;
}

#define REAL(name) ((__typeof__(&name))real_function(#name))

ssize_t write(int fd, const void* data, size_t size) {
  char buffer[512];
  const struct rule* r =
      fires("write", rule_count == 0 ? NULL : fd_path(fd, buffer, sizeof buffer));
  if (before_call(r)) return -1;
  ssize_t result = REAL(write)(fd, data, size);
  after_call(r);
  return result;
}

int fsync(int fd) {
  char buffer[512];
  const struct rule* r =
      fires("fsync", rule_count == 0 ? NULL : fd_path(fd, buffer, sizeof buffer));
  if (before_call(r)) return -1;
  int result = REAL(fsync)(fd);
  after_call(r);
  return result;
}

int link(const char* from, const char* to) {
  const struct rule* r = fires("link", to);
  if (before_call(r)) return -1;
  int result = REAL(link)(from, to);
  after_call(r);
  return result;
}

int rename(const char* from, const char* to) {
  const struct rule* r = fires("rename", to);
  if (before_call(r)) return -1;
  int result = REAL(rename)(from, to);
  after_call(r);
  return result;
}

int unlink(const char* path) {
  const struct rule* r = fires("unlink", path);
  if (before_call(r)) return -1;
  int result = REAL(unlink)(path);
  after_call(r);
  return result;
}

int mkdir(const char* path, mode_t mode) {
  const struct rule* r = fires("mkdir", path);
  if (before_call(r)) return -1;
  int result = REAL(mkdir)(path, mode);
  after_call(r);
  return result;
}

static int open_common(const char* function, int dirfd, const char* path, int flags, mode_t mode) {
  const struct rule* r = fires(function, path);
  if (before_call(r)) return -1;
  int result = dirfd == AT_FDCWD && strcmp(function, "open") == 0
                   ? REAL(open)(path, flags, mode)
                   : REAL(openat)(dirfd, path, flags, mode);
  after_call(r);
  return result;
}

int open(const char* path, int flags, ...) {
  mode_t mode = 0;
  if (flags & (O_CREAT | O_TMPFILE)) {
    va_list args;
    va_start(args, flags);
    mode = va_arg(args, mode_t);
    va_end(args);
  }
  return open_common("open", AT_FDCWD, path, flags, mode);
}
int open64(const char* path, int flags, ...) __attribute__((alias("open")));

int openat(int dirfd, const char* path, int flags, ...) {
  mode_t mode = 0;
  if (flags & (O_CREAT | O_TMPFILE)) {
    va_list args;
    va_start(args, flags);
    mode = va_arg(args, mode_t);
    va_end(args);
  }
  return open_common("openat", dirfd, path, flags, mode);
}
int openat64(int dirfd, const char* path, int flags, ...) __attribute__((alias("openat")));

int statvfs(const char* path, struct statvfs* out) {
  const struct rule* r = fires("statvfs", path);
  if (before_call(r)) return -1;
  int result = REAL(statvfs)(path, out);
  after_call(r);
  return result;
}
int statvfs64(const char* path, struct statvfs64* out) {
  const struct rule* r = fires("statvfs", path);
  if (before_call(r)) return -1;
  int result = REAL(statvfs64)(path, out);
  after_call(r);
  return result;
}

int flock(int fd, int operation) {
  char buffer[512];
  const struct rule* r =
      fires("flock", rule_count == 0 ? NULL : fd_path(fd, buffer, sizeof buffer));
  if (before_call(r)) return -1;
  int result = REAL(flock)(fd, operation);
  after_call(r);
  return result;
}

static int is_lock_command(int cmd) {
  return cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

/* Only locking commands count as "fcntl" calls: the others are plumbing. */
int fcntl(int fd, int cmd, ...) {
  va_list args;
  va_start(args, cmd);
  void* argument = va_arg(args, void*);
  va_end(args);
  const struct rule* r = NULL;
  if (is_lock_command(cmd)) {
    char buffer[512];
    r = fires("fcntl", rule_count == 0 ? NULL : fd_path(fd, buffer, sizeof buffer));
  }
  if (before_call(r)) return -1;
  int (*real)(int, int, ...) = real_function("fcntl64");
  if (real == NULL) real = real_function("fcntl");
  int result = real(fd, cmd, argument);
  after_call(r);
  return result;
}
int fcntl64(int fd, int cmd, ...) __attribute__((alias("fcntl")));

DIR* opendir(const char* path) {
  const struct rule* r = fires("opendir", path);
  if (before_call(r)) return NULL;
  DIR* result = REAL(opendir)(path);
  after_call(r);
  return result;
}

struct dirent* readdir(DIR* dir) {
  const struct rule* r = fires("readdir", NULL);
  if (before_call(r)) return NULL;
  struct dirent* result = REAL(readdir)(dir);
  after_call(r);
  return result;
}
struct dirent64* readdir64(DIR* dir) {
  const struct rule* r = fires("readdir", NULL);
  if (before_call(r)) return NULL;
  struct dirent64* result = REAL(readdir64)(dir);
  after_call(r);
  return result;
}

/* libcurl's CURLMcode is an int-sized enum; CURLM_OUT_OF_MEMORY is 3. */
typedef int curl_multi_code;
curl_multi_code curl_multi_add_handle(void* multi, void* easy) {
  const struct rule* r = fires("curl_multi_add_handle", NULL);
  if (r != NULL && r->action == ACT_FAIL) return 3;
  before_call(r);
  curl_multi_code (*real)(void*, void*) = real_function("curl_multi_add_handle");
  curl_multi_code result = real(multi, easy);
  after_call(r);
  return result;
}

void* dlopen(const char* file, int mode) {
  const struct rule* r = fires("dlopen", file);
  if (r != NULL && r->action == ACT_FAIL) return NULL;
  before_call(r);
  void* (*real)(const char*, int) = real_function("dlopen");
  void* result = real(file, mode);
  after_call(r);
  return result;
}
