/* A FUSE file system that never answers statfs: what a stuck NFS or FUSE mount looks like to
 * a program that asks how full it is. Everything else answers, so the mount itself works.
 *   stuck_fs MOUNTPOINT   (runs in the foreground until killed; killing it ends the mount's
 *                          requests with ENOTCONN) */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fuse.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int stuck_getattr(const char* path, struct stat* st, struct fuse_file_info* info) {
  (void)info;
  if (strcmp(path, "/") != 0) return -ENOENT;
  memset(st, 0, sizeof *st);
  st->st_mode = S_IFDIR | 0755;
  st->st_nlink = 2;
  return 0;
}

static int stuck_statfs(const char* path, struct statvfs* out) {
  (void)path;
  (void)out;
  for (;;) pause(); /* the server that went away */
  return 0;
}

static const struct fuse_operations operations = {
    .getattr = stuck_getattr,
    .statfs = stuck_statfs,
};

int main(int argc, char* argv[]) {
  if (argc != 2) return 2;
  char* args[] = {argv[0], "-f", argv[1], NULL};
  return fuse_main(3, args, &operations, NULL);
}
