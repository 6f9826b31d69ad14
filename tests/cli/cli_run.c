/* cli_run: fork/exec of the CLI with its stderr captured, and small file
 * helpers for the tests. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "read_text.h"

#include "cli_run.h"

int cli_run(char *const argv[], cli_result *res)
{
    memset(res, 0, sizeof(*res));
    res->exit_code = -1;
    int pipefd[2];
    if (pipe(pipefd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, STDOUT_FILENO);
        dup2(pipefd[1], STDERR_FILENO);
        close(pipefd[0]);
        close(pipefd[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pipefd[1]);
    for (;;) {
        char buf[1024];
        ssize_t n = read(pipefd[0], buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        size_t room = sizeof(res->err) - 1 - res->err_len;
        size_t take = (size_t)n < room ? (size_t)n : room;
        memcpy(res->err + res->err_len, buf, take);
        res->err_len += take;
    }
    res->err[res->err_len] = '\0';
    close(pipefd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(status))
        res->exit_code = WEXITSTATUS(status);
    return 0;
}

const char *cli_tmpdir_create(void)
{
    static char path[512];
    const char *base = getenv("TMPDIR");
    snprintf(path, sizeof(path), "%s/nativeres-cli-XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(path);
}

void cli_tmpdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[1024];
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            cli_tmpdir_remove(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

int cli_dir_count(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

bool cli_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

bool cli_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok;
}

unsigned char *cli_read_file(const char *path, size_t *size)
{
    return (unsigned char *)nr_read_file(path, size);
}
