/* A whole file as a NUL-terminated string, for the test tools that scan
 * logs, shaders and tables. */
#ifndef NR_READ_TEXT_H
#define NR_READ_TEXT_H

#include <stddef.h>

/* malloc'd; NULL if the file cannot be read. */
char *nr_read_text(const char *path);

/* The same for any bytes: *size gets the length (a NUL follows the data,
 * not counted). */
char *nr_read_file(const char *path, size_t *size);

#endif
