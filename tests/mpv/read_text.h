/* A whole file as a NUL-terminated string, for the test tools that scan
 * logs, shaders and tables. */
#ifndef NR_READ_TEXT_H
#define NR_READ_TEXT_H

/* malloc'd; NULL if the file cannot be read. */
char *nr_read_text(const char *path);

#endif
