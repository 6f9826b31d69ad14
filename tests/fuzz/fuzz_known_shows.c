/*
 * Fuzz target: one known-shows entry ("pattern:height:kernel" or
 * "pattern:native", np_known_parse) and matching it against a file path
 * (np_known_match: fnmatch, case-insensitive, on the base name and the
 * full path). Input: the entry, then a NUL byte, then the path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t entry_len = strlen(text);
    const char *path = entry_len < size ? text + entry_len + 1 : "/videos/Show - 01.mkv";

    static np_options o;   /* large: keep it off the stack */
    np_options_default(&o);
    np_known_show k;
    if (np_known_parse(text, &k)) {
        if (!memchr(k.pattern, '\0', sizeof(k.pattern)) || !k.pattern[0])
            abort();
        if (!k.native && (k.height < 8 || k.height > 1e5 ||
                          !memchr(k.kernel_name, '\0', sizeof(k.kernel_name))))
            abort();
        o.known[0] = k;
        o.num_known = 1;
        const np_known_show *m = np_known_match(&o, path);
        if (m && m != &o.known[0])
            abort();
    }
    free(text);
    return 0;
}
