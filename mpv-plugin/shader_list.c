/* glsl-shaders list editing that keeps the user's shaders and their order. */
#include <string.h>

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
