/*
 * nativeres-gen: all-or-nothing output. Files are written to hidden temp
 * files beside their targets and renamed over them only once every file of
 * the set has been written, so a failure never leaves a partial file.
 */
#ifndef GEN_OUTPUT_H
#define GEN_OUTPUT_H

#include <stddef.h>

typedef struct gen_staged {
    char *path;   /* final name */
    char *tmp;    /* written, not yet renamed */
} gen_staged;

typedef struct gen_fileset {
    gen_staged *items;
    size_t count, cap;
} gen_fileset;

/* Writes text to a temp file beside path. On failure prints one error line
 * and returns -1 (already staged files stay staged: abort the set). */
int gen_fileset_stage(gen_fileset *fs, const char *path, const char *text, size_t len);

/* Renames every staged file onto its target; on failure removes the temp
 * files not yet renamed, prints an error and returns -1. Frees the set. */
int gen_fileset_commit(gen_fileset *fs);

/* Removes every staged temp file and frees the set. */
void gen_fileset_abort(gen_fileset *fs);

/* One file, atomically; path "-" writes to stdout. 0 or -1 (error printed). */
int gen_write_file(const char *path, const char *text, size_t len);

/* The name a shader's header gives for output: its last path component,
 * NULL for "-" (stdout). */
const char *gen_output_name(const char *output);

/* A command's end: writes the shader text to output and frees it; a NULL
 * text is the writer's failure, described by err. Returns the exit status. */
int gen_write_shader(const char *output, char *text, const char *err);

#endif
