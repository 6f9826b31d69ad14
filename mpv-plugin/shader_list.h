/*
 * The user's glsl-shaders list with ours in it: ours goes first (so that
 * ArtCNN, FSRCNNX, Anime4K... after it see native-size luma), everything
 * else stays, in the user's order. "Ours" is any file in our shader folder.
 */
#ifndef NP_SHADER_LIST_H
#define NP_SHADER_LIST_H

#include <stdbool.h>

bool np_shader_is_ours(const char *path, const char *our_dir);

/* out must hold n + 1 pointers (they point into cur / ours); returns the
 * new count. ours may be NULL: then our entries are only removed. */
int np_shader_list_build(const char *const *cur, int n, const char *our_dir,
                         const char *ours, const char **out);

/* The first of the user's shaders (not ours) that upscales luma by itself
 * (a "doubler": ArtCNN, FSRCNNX, ravu, Anime4K, nnedi3, super-xbr, NVScaler,
 * FSR), judged by its file name; NULL if none. */
const char *np_shader_list_doubler(const char *const *list, int n, const char *our_dir);

/* True if the two lists are equal entry by entry. */
bool np_shader_list_equal(const char *const *a, int na, const char *const *b, int nb);

#endif
