// `scan --install-hook`: the repository's pre-commit hook, written where git looks for it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devops_monitor/scan.hpp"
#include "scan/git_command.hpp"
#include "scan/git_errors.hpp"
#include "util/file_io.hpp"
#include "util/guard.hpp"

namespace devops_monitor {
namespace {

constexpr std::string_view kHookMarker =
    "# devops-monitor pre-commit hook: written by `devops-monitor scan --install-hook`";
constexpr std::size_t kHooksPathAnswerMax = 64 * 1024;

/// `text` in single quotes for sh: ' becomes '\''.
std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (const char ch : text) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

/// The hook: the binary that installed it, by absolute path (a hook runs with whatever PATH
/// the committing program has, often not the shell's), or devops-monitor from PATH when that
/// binary has been removed.
std::string hook_text(const std::filesystem::path& binary) {
  return "#!/bin/sh\n" + std::string(kHookMarker) +
         ",\n"
         "# which rewrites it and refuses to replace any other hook. It stops a commit whose\n"
         "# staged lines hold a credential (exit status 1); git commit --no-verify skips it.\n"
         "binary=" +
         shell_quoted(binary.string()) +
         "\n"
         "[ -x \"$binary\" ] || binary=devops-monitor\n"
         "exec \"$binary\" scan --staged\n";
}

Result<void> write_hook(const std::filesystem::path& hook, const std::string& text) {
  const std::filesystem::path temporary = hook.string() + ".devops-monitor-new";
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0755);
  if (fd < 0) return Error{"cannot write the hook", errno_text(errno), temporary.string()};
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t got = ::write(fd, text.data() + written, text.size() - written);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      return Error{"cannot write the hook", errno_text(error), temporary.string()};
    }
    written += static_cast<std::size_t>(got);
  }
  // The umask must not leave the hook unexecutable: git would skip it with only a hint.
  if (::fchmod(fd, 0755) != 0 || ::close(fd) != 0 ||
      ::rename(temporary.c_str(), hook.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return Error{"cannot write the hook", errno_text(error), hook.string()};
  }
  return {};
}

Result<HookInstall> install_hook(const std::filesystem::path& directory,
                                 const std::filesystem::path& binary) {
  Result<std::string> hooks_dir =
      scan::git_output(directory, {"rev-parse", "--git-path", "hooks"}, kHooksPathAnswerMax);
  if (!hooks_dir) return scan::git_failure(hooks_dir.error(), "cannot install the hook", directory);
  std::string relative = *hooks_dir;
  while (!relative.empty() && (relative.back() == '\n' || relative.back() == '\r')) {
    relative.pop_back();
  }
  const std::filesystem::path hooks =
      std::filesystem::absolute(directory / relative).lexically_normal();
  std::error_code ec;
  std::filesystem::create_directories(hooks, ec);
  if (ec) return Error{"cannot create the hooks directory", ec.message(), hooks.string()};
  HookInstall install{.hook = hooks / "pre-commit"};
  const std::string text = hook_text(binary);
  struct stat info {};
  if (::lstat(install.hook.c_str(), &info) == 0) {
    Result<RegularFileText> existing = read_regular_file(
        install.hook, "cannot read the existing hook",
        ReadRules{.max_bytes = kMaxConfigFileBytes, .symlinks = Symlinks::refuse, .kind = "hook"});
    if (!existing || existing->text.find(kHookMarker) == std::string::npos) {
      return Error{"a pre-commit hook exists and is not ours",
                   "add `devops-monitor scan --staged` to it instead", install.hook.string()};
    }
    if (existing->text == text && (info.st_mode & 0111) == 0111) {
      install.unchanged = true;
      return install;
    }
  } else if (errno != ENOENT) {
    return Error{"cannot look at the hook", errno_text(errno), install.hook.string()};
  }
  if (Result<void> written = write_hook(install.hook, text); !written) return written.error();
  return install;
}

}  // namespace

Result<HookInstall> install_pre_commit_hook(const std::filesystem::path& directory,
                                            const std::filesystem::path& binary) {
  return guarded<HookInstall>("cannot install the hook",
                              [&]() { return install_hook(directory, binary); });
}

}  // namespace devops_monitor
