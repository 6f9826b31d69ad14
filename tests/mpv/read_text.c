#include "read_text.h"

#include <stdio.h>
#include <stdlib.h>

char *nr_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) {
        s[n] = '\0';
        if (size)
            *size = (size_t)n;
    }
    fclose(f);
    return s;
}

char *nr_read_text(const char *path)
{
    return nr_read_file(path, NULL);
}
