/* Helpers for the CLI tests: run the `nativeres` executable and inspect
 * what it left behind. */
#ifndef NR_TEST_CLI_RUN_H
#define NR_TEST_CLI_RUN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cli_result {
    int exit_code;      /* -1 if it did not exit normally (crash, signal) */
    char err[4096];     /* its stderr (truncated) */
    size_t err_len;
} cli_result;

/* Runs argv[0] with argv (NULL-terminated); stdout is discarded. */
int cli_run(char *const argv[], cli_result *res);

/* Creates a fresh temporary directory (mkdtemp) and returns its path
 * (static storage); removes it and its files with cli_tmpdir_remove. */
const char *cli_tmpdir_create(void);
void cli_tmpdir_remove(const char *dir);

/* Number of entries (other than . and ..) in a directory, or -1. */
int cli_dir_count(const char *dir);

bool cli_file_exists(const char *path);

/* Writes bytes to a file; false on failure. */
bool cli_write_file(const char *path, const void *data, size_t size);

/* Reads a whole file (malloc'ed); NULL on failure. */
unsigned char *cli_read_file(const char *path, size_t *size);

#endif
