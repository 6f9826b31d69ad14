/* mpv_node -> JSON and vo-passes summary: see mpv_node_json.h. */
#include "mpv_node_json.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void write_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

void nr_node_write_json(FILE *f, const mpv_node *node)
{
    switch (node->format) {
    case MPV_FORMAT_STRING:
        write_json_string(f, node->u.string);
        break;
    case MPV_FORMAT_FLAG:
        fputs(node->u.flag ? "true" : "false", f);
        break;
    case MPV_FORMAT_INT64:
        fprintf(f, "%lld", (long long)node->u.int64);
        break;
    case MPV_FORMAT_DOUBLE:
        fprintf(f, "%.17g", node->u.double_);
        break;
    case MPV_FORMAT_NODE_ARRAY:
    case MPV_FORMAT_NODE_MAP: {
        bool map = node->format == MPV_FORMAT_NODE_MAP;
        mpv_node_list *list = node->u.list;
        fputc(map ? '{' : '[', f);
        for (int i = 0; list && i < list->num; i++) {
            if (i)
                fputc(',', f);
            if (map) {
                write_json_string(f, list->keys[i]);
                fputc(':', f);
            }
            nr_node_write_json(f, &list->values[i]);
        }
        fputc(map ? '}' : ']', f);
        break;
    }
    default:
        fputs("null", f);
    }
}

static const mpv_node *map_get(const mpv_node *map, const char *key)
{
    if (!map || map->format != MPV_FORMAT_NODE_MAP)
        return NULL;
    for (int i = 0; i < map->u.list->num; i++) {
        if (!strcmp(map->u.list->keys[i], key))
            return &map->u.list->values[i];
    }
    return NULL;
}

static double node_number(const mpv_node *n)
{
    if (!n)
        return 0;
    if (n->format == MPV_FORMAT_INT64)
        return (double)n->u.int64;
    if (n->format == MPV_FORMAT_DOUBLE)
        return n->u.double_;
    return 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the pass's samples in ns (count of samples in *n), 0 if none. */
static double samples_median(const mpv_node *samples, int *n)
{
    *n = 0;
    if (!samples || samples->format != MPV_FORMAT_NODE_ARRAY || samples->u.list->num == 0)
        return 0;
    int count = samples->u.list->num;
    double *v = malloc(sizeof(double) * count);
    if (!v)
        return 0;
    for (int i = 0; i < count; i++)
        v[i] = node_number(&samples->u.list->values[i]);
    qsort(v, count, sizeof(double), compare_doubles);
    double median = count % 2 ? v[count / 2] : 0.5 * (v[count / 2 - 1] + v[count / 2]);
    free(v);
    *n = count;
    return median;
}

int nr_vo_passes_print(FILE *f, const mpv_node *passes)
{
    static const char *const kinds[] = { "fresh", "redraw" };
    int printed = 0;
    for (int k = 0; k < 2; k++) {
        const mpv_node *list = map_get(passes, kinds[k]);
        if (!list || list->format != MPV_FORMAT_NODE_ARRAY)
            continue;
        for (int i = 0; i < list->u.list->num; i++) {
            const mpv_node *pass = &list->u.list->values[i];
            const mpv_node *desc = map_get(pass, "desc");
            int n;
            double median = samples_median(map_get(pass, "samples"), &n);
            double last = node_number(map_get(pass, "last"));
            fprintf(f, "pass\t%s\t%.3f\t%.3f\t%d\t%s\n", kinds[k],
                    (n ? median : last) / 1e6, last / 1e6, n,
                    desc && desc->format == MPV_FORMAT_STRING ? desc->u.string : "?");
            printed++;
        }
    }
    return printed;
}
