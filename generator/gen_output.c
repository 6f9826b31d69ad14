#include "gen_output.h"

#include "gen_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "dir/.name.XXXXXX" for "dir/name", "./.name.XXXXXX" for "name". */
static char *temp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t n = dir_len + strlen(base) + 16;
    char *t = malloc(n);
    if (!t)
        return NULL;
    snprintf(t, n, "%.*s.%s.XXXXXX", (int)dir_len, path, base);
    return t;
}

static int write_all(int fd, const char *text, size_t len)
{
    while (len) {
        ssize_t n = write(fd, text, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        text += n;
        len -= (size_t)n;
    }
    return 0;
}

int gen_fileset_stage(gen_fileset *fs, const char *path, const char *text, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!*base) {
        gen_error("cannot write '%s': not a file name", path);
        return -1;
    }
    if (fs->count == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 16;
        gen_staged *items = realloc(fs->items, cap * sizeof(*items));
        if (!items) {
            gen_error("out of memory");
            return -1;
        }
        fs->items = items;
        fs->cap = cap;
    }
    char *tmp = temp_template(path);
    char *final = strdup(path);
    if (!tmp || !final) {
        free(tmp);
        free(final);
        gen_error("out of memory");
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        gen_error("cannot write '%s': %s", path, strerror(errno));
        free(tmp);
        free(final);
        return -1;
    }
    /* mkstemp creates 0600; give the file the usual permissions */
    mode_t mask = umask(0);
    umask(mask);
    int failed = fchmod(fd, 0666 & ~mask) < 0 || write_all(fd, text, len) < 0;
    int saved = errno;
    if (close(fd) < 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        unlink(tmp);
        gen_error("cannot write '%s': %s", path, strerror(saved));
        free(tmp);
        free(final);
        return -1;
    }
    fs->items[fs->count++] = (gen_staged){ .path = final, .tmp = tmp };
    return 0;
}

static void fileset_free(gen_fileset *fs)
{
    for (size_t i = 0; i < fs->count; i++) {
        free(fs->items[i].path);
        free(fs->items[i].tmp);
    }
    free(fs->items);
    *fs = (gen_fileset){0};
}

void gen_fileset_abort(gen_fileset *fs)
{
    for (size_t i = 0; i < fs->count; i++)
        unlink(fs->items[i].tmp);
    fileset_free(fs);
}

int gen_fileset_commit(gen_fileset *fs)
{
    /* Catch what would make a rename fail before renaming anything, so
     * the set really lands all at once. */
    for (size_t i = 0; i < fs->count; i++) {
        struct stat st;
        if (stat(fs->items[i].path, &st) == 0 && S_ISDIR(st.st_mode)) {
            gen_error("cannot write '%s': it is a directory", fs->items[i].path);
            gen_fileset_abort(fs);
            return -1;
        }
    }
    for (size_t i = 0; i < fs->count; i++) {
        if (rename(fs->items[i].tmp, fs->items[i].path) < 0) {
            gen_error("cannot write '%s': %s", fs->items[i].path, strerror(errno));
            for (size_t j = i; j < fs->count; j++)
                unlink(fs->items[j].tmp);
            fileset_free(fs);
            return -1;
        }
    }
    fileset_free(fs);
    return 0;
}

int gen_write_file(const char *path, const char *text, size_t len)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            gen_error("cannot write to stdout: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    gen_fileset fs = {0};
    if (gen_fileset_stage(&fs, path, text, len) < 0) {
        gen_fileset_abort(&fs);
        return -1;
    }
    return gen_fileset_commit(&fs);
}

const char *gen_output_name(const char *output)
{
    if (!strcmp(output, "-"))
        return NULL;
    const char *base = strrchr(output, '/');
    return base ? base + 1 : output;
}

int gen_write_shader(const char *output, char *text, const char *err)
{
    if (!text)
        return gen_error("%s", err);
    int rc = gen_write_file(output, text, strlen(text)) < 0 ? GEN_EXIT_USAGE : 0;
    free(text);
    return rc;
}
