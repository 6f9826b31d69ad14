/* glsl-shaders list editing that keeps the user's shaders and their order. */
#include <string.h>
#include <strings.h>

#include "shader_list.h"

bool np_shader_is_ours(const char *path, const char *our_dir)
{
    size_t n = strlen(our_dir);
    while (n > 1 && our_dir[n - 1] == '/')
        n--;
    return n > 0 && !strncmp(path, our_dir, n) && path[n] == '/' &&
           !strchr(path + n + 1, '/');
}

int np_shader_list_build(const char *const *cur, int n, const char *our_dir,
                         const char *ours, const char **out)
{
    int m = 0;
    if (ours)
        out[m++] = ours;
    for (int i = 0; i < n; i++) {
        if (!np_shader_is_ours(cur[i], our_dir))
            out[m++] = cur[i];
    }
    return m;
}

bool np_shader_list_equal(const char *const *a, int na, const char *const *b, int nb)
{
    if (na != nb)
        return false;
    for (int i = 0; i < na; i++) {
        if (strcmp(a[i], b[i]))
            return false;
    }
    return true;
}

/* Case-insensitive substring. */
static bool has_word(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        if (!strncasecmp(hay, needle, n))
            return true;
    }
    return false;
}

const char *np_shader_list_doubler(const char *const *list, int n, const char *our_dir)
{
    static const char *const names[] = {
        "artcnn", "fsrcnn", "ravu", "anime4k", "nnedi3", "superxbr", "super-xbr",
        "super_xbr", "nvscaler", "fsr.glsl", "fsr_", "fsr-",
    };
    for (int i = 0; i < n; i++) {
        if (!list[i] || np_shader_is_ours(list[i], our_dir))
            continue;
        const char *base = strrchr(list[i], '/');
        base = base ? base + 1 : list[i];
        for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
            if (has_word(base, names[k]))
                return list[i];
        }
    }
    return NULL;
}
