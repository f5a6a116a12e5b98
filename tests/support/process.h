#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
// Process tests make temporary directories and poll: these come with this header.
#include "tests/support/poll.h"
#include "tests/support/temp_dir.h"

// Process plumbing for tests that run real servers (PostgreSQL, Redis) as children.
namespace metrocap::testing {

// A loopback TCP port that was free a moment ago (bound to port 0, then released).
absl::StatusOr<int> FreeLoopbackPort();

// Who a child runs as: the current user, or (when running as root) a system user such as
// "postgres", since initdb and postgres refuse to run as root.
struct RunAs {
  std::string user;  // empty = the current user
};
// The uid/gid a child will run as, for chown-ing its directories. Fills (-1, -1) for the
// current user. NOT_FOUND when the user does not exist.
absl::Status LookUpUser(const RunAs& run_as, uid_t* uid, gid_t* gid);

// Starts `argv` (argv[0] is a path) with stdout and stderr appended to `log_path`. The
// child receives `death_signal` when the thread that started it ends (the test crashed or
// exited), so no server outlives its test: start servers from the main thread or another
// thread that outlives them. Returns the child's pid.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv, const std::string& log_path,
                            const RunAs& run_as, int death_signal);

// Runs `argv` to completion (bounded by `timeout`, then killed); INTERNAL with the log's
// tail when it exits non-zero.
absl::Status RunToCompletion(const std::vector<std::string>& argv, const std::string& log_path,
                             const RunAs& run_as, absl::Duration timeout);

// Waits for `pid` to exit, polling, up to `timeout`. DEADLINE_EXCEEDED if it is still
// running then. Reaps it.
absl::Status WaitForExit(pid_t pid, absl::Duration timeout);
// True while `pid` (a child of ours) has not exited. Reaps it once it has.
bool StillRunning(pid_t pid);

// The last `bytes` of a file, for error messages.
std::string TailOf(const std::string& path, size_t bytes = 2000);

}  // namespace metrocap::testing
