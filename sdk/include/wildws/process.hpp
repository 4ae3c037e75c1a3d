// wildws SDK - child processes: one way to start, watch and end them.
//
// WHAT SPAWN GUARANTEES (posix_spawn, never fork() in a threaded process):
// - no shell and no PATH search: argv[0] is an absolute path;
// - the child leads a NEW PROCESS GROUP (pgid == pid), so signalGroup()
//   reaches whatever it starts too; with `newSession` or `pty` it leads a
//   new session (sid == pgid == pid);
// - an empty signal mask and default dispositions (the host blocks
//   SIGINT/SIGTERM and ignores SIGPIPE; a child must not inherit that);
// - only fds 0-2 are open in the child (our pipes are O_CLOEXEC and
//   everything from 3 up is closed), so no listening socket, lock or other
//   child's pipe leaks;
// - the cwd is set in the child; the environment is exactly `env`.
//
// OWNERSHIP AND LIFETIME: a ChildProcess owns the child and every fd it hands
// out (stdinFd(), stdoutFd(), stderrFd(), terminalFd(), pidFd()). Never
// close() them yourself: use closeStdin()/closeOutput(). The leader is
// observed with waitid(WNOWAIT), so it stays a zombie - and its pid, which is
// the group id, cannot be handed to an unrelated process - until finish()
// reaps it: signalGroup() before that can never hit a recycled pid. The
// destructor of a child that was neither finished nor released does
// finish() (SIGKILL to the group, wait, reap). The code lives in
// libwildws-sdk.so, which outlives every plugin.
//
// THREADS: not thread-safe. One thread owns a ChildProcess at a time (moving
// it hands it over). To stop it from another thread, wake the owner (an
// eventfd in its poll set) and let the owner call terminate(). pid() may be
// read anywhere.
//
// SIGNALS: nothing here installs a handler or needs SIGCHLD. Writes to
// stdin use send-like semantics: a child that stopped reading gives EPIPE,
// never SIGPIPE, even if the calling thread does not block SIGPIPE.
//
// ERRORS: spawn() throws std::runtime_error with one line that says what and
// why: "cannot start /x/y: No such file or directory",
// "cannot start /bin/sh in /no/dir: No such file or directory",
// "cannot start 'x': the program must be an absolute path".
#pragma once

#include <wildws/export.hpp>

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wildws {

/// How a process ended.
struct ExitStatus {
    int code = -1;    // the exit code (0-255) when it exited; -1 when a signal ended it
    int signal = 0;   // the signal that ended it; 0 when it exited
    bool coreDumped = false;
    /// The shell's convention: the exit code, or 128 + the signal.
    int value() const { return signal != 0 ? 128 + signal : code; }
};

struct SpawnOptions {
    enum class Input { Null, Pipe };
    enum class Output {
        Pipe,         // a pipe the parent reads (stdoutFd()/stderrFd())
        Null,         // /dev/null
        Stdout,       // stderr only: into the same pipe or file as stdout
        AppendToFile, // `outputFile`, created 0600 if missing, appended to
    };

    std::vector<std::string> argv; // argv[0]: the program, an absolute path
    std::vector<std::string> env;  // the COMPLETE environment, "NAME=value" (see childEnvironment())
    std::string cwd;               // empty: the parent's
    Input stdinMode = Input::Null; // Pipe: writeStdin() over time, closeStdin() at the end
    Output stdoutMode = Output::Pipe;
    Output stderrMode = Output::Pipe;
    std::string outputFile;        // for AppendToFile
    bool newSession = false;       // setsid(): no controlling terminal (a daemon)
    /// stdin, stdout and stderr on a new pseudo-terminal that is the child's
    /// controlling terminal (new session). The parent gets the master as
    /// terminalFd(); the three modes above are ignored.
    bool pty = false;
    unsigned short ptyRows = 24, ptyCols = 80;
};

class WILDWS_EXPORT ChildProcess {
public:
    enum class Stream { Stdout, Stderr, Terminal };

    /// Starts the child. Throws std::runtime_error (one line, see above).
    static ChildProcess spawn(const SpawnOptions& options);

    ChildProcess(ChildProcess&&) noexcept;
    ChildProcess& operator=(ChildProcess&&) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();

    /// The leader's pid, which is also the group id.
    pid_t pid() const;

    // --- descriptors: non-blocking, close-on-exec, -1 when not there -------
    int stdinFd() const;    // Input::Pipe, until closeStdin() or EPIPE
    int stdoutFd() const;   // Output::Pipe, until end of output
    int stderrFd() const;
    int terminalFd() const; // the pty master (read and write), until end of output
    /// Readable (POLLIN) once the leader has exited; -1 when the kernel has no
    /// pidfd_open: then poll with a short timeout and call exited().
    int pidFd() const;

    // --- input ---------------------------------------------------------------
    /// Queues `bytes` for the child's stdin (the pipe, or the terminal) and
    /// writes what it takes now; never blocks. False when input is closed
    /// (closeStdin(), or the child stopped reading: EPIPE).
    bool writeStdin(std::string_view bytes);
    /// True while queued bytes wait: poll stdinFd() (or terminalFd()) for
    /// POLLOUT and call flushStdin().
    bool stdinPending() const;
    /// Writes more of the queue; never blocks.
    void flushStdin();
    /// The child sees end of input once the queue is written (at once when
    /// empty). On a terminal only the queue is dropped: the master stays open.
    void closeStdin();

    // --- output --------------------------------------------------------------
    /// One read(): > 0 bytes read; 0 at the end of that output (the fd is
    /// then closed for you; EIO from a pty master counts as the end); -1 when
    /// nothing is there now (EAGAIN, EINTR) or the stream is not open.
    long read(Stream stream, char* buffer, std::size_t size);
    /// Stops reading `stream` (closes our end).
    void closeOutput(Stream stream);

    // --- ending --------------------------------------------------------------
    /// kill(-pgid, sig); a no-op once finished.
    void signalGroup(int sig);
    /// The leader alone (through its pidfd when there is one).
    void signalLeader(int sig);
    /// The polite end: SIGTERM then SIGCONT to the group now (a stopped
    /// process cannot act on SIGTERM), SIGKILL once `grace` has passed - sent
    /// by killDueInMs(), which the owner's loop calls. Idempotent.
    void terminate(std::chrono::milliseconds grace);
    /// Sends the SIGKILL terminate() scheduled once it is due. Returns the ms
    /// until it is due (a poll() timeout), 0 once sent, -1 when none pending.
    int killDueInMs();

    /// The leader's status once it has exited, without reaping it. Never blocks.
    std::optional<ExitStatus> exited();
    /// Waits up to `timeout` for the leader to exit (not reaped).
    std::optional<ExitStatus> waitExited(std::chrono::milliseconds timeout);
    /// Ends the whole group and reaps the leader: SIGKILL to the group, then
    /// waits until the leader has exited AND no other member of the group is
    /// alive (zombies count as gone), then reaps the leader. When this
    /// returns, nothing of the group runs any more (short of a process that
    /// left it with setsid/setpgid, or one the kernel cannot kill within
    /// `memberWait`). Returns the leader's status. Idempotent.
    ExitStatus finish(std::chrono::milliseconds memberWait = std::chrono::seconds(5));
    bool finished() const;

    /// Stops owning the child: it keeps running, is never signalled or
    /// reaped by this object (the caller, still its parent, reaps it), and
    /// our fds are closed. Returns its pid.
    pid_t release();

private:
    struct State;
    explicit ChildProcess(std::unique_ptr<State> state);
    std::unique_ptr<State> s_;
};

/// What runToEnd() saw.
struct RunResult {
    ExitStatus status;
    std::string out, err; // at most `maxOutput` bytes each, as the child wrote them
    bool timedOut = false; // the group was killed at the timeout
};

/// Runs `options` to its end: writes `input` to stdin then closes it,
/// collects stdout and stderr, and finish()es the group once the leader has
/// exited and both pipes are closed - or at `timeout`, killing it. The stdio
/// modes are forced to pipes. Throws like spawn(). Blocks the caller.
WILDWS_EXPORT RunResult runToEnd(SpawnOptions options, std::chrono::milliseconds timeout, std::string_view input = {},
                                 std::size_t maxOutput = 1 << 20);

/// Our own environment minus every name that matches `scrub` (exact names,
/// or prefixes ending in '*'), with `add` applied last (a name in `add` that
/// matches `scrub` is dropped too), in environ's order.
WILDWS_EXPORT std::vector<std::string> childEnvironment(
    const std::vector<std::string>& scrub = {}, const std::vector<std::pair<std::string, std::string>>& add = {});
/// True when `name` matches one of `patterns` (as above).
WILDWS_EXPORT bool nameMatches(const std::string& name, const std::vector<std::string>& patterns);

/// Field 22 of /proc/<pid>/stat (clock ticks since boot): with the pid, it
/// names one process for good. nullopt when the process is gone.
WILDWS_EXPORT std::optional<std::uint64_t> processStartTime(pid_t pid);
/// Field 3 of /proc/<pid>/stat ('R', 'S', 'Z', ...); nullopt when gone.
WILDWS_EXPORT std::optional<char> processState(pid_t pid);

} // namespace wildws
