/* Spawn with a time limit: see run_process.h. */
#include "run_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

bool nr_run_process(char *const argv[], const char *output_path, double timeout_s,
                    nr_process_result *res)
{
    *res = (nr_process_result){ .exit_code = -1 };
    int fd = open(output_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    fflush(NULL);
    double start = now_seconds();
    pid_t pid = fork();
    if (pid < 0) {
        close(fd);
        return false;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        execvp(argv[0], argv);
        dprintf(fd, "cannot run %s\n", argv[0]);
        _exit(127);
    }
    close(fd);
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0)
            return false;
        if (now_seconds() - start > timeout_s) {
            kill(pid, SIGKILL);   /* our own child, by its id */
            waitpid(pid, &status, 0);
            res->timed_out = true;
            break;
        }
        usleep(10000);
    }
    res->seconds = now_seconds() - start;
    if (!res->timed_out && WIFEXITED(status)) {
        res->exited = true;
        res->exit_code = WEXITSTATUS(status);
    }
    return true;
}
