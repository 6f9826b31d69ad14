/*
 * mpv_node helpers for the host: JSON output of any node (vo-passes is a
 * nested map of arrays) and a per-pass summary of vo-passes timings.
 */
#ifndef NR_MPV_NODE_JSON_H
#define NR_MPV_NODE_JSON_H

#include <mpv/client.h>
#include <stdio.h>

void nr_node_write_json(FILE *f, const mpv_node *node);

/* One line per pass of vo-passes ({fresh: [...], redraw: [...]}, each pass
 * {desc, last, avg, peak, count, samples}):
 *   pass<TAB>fresh|redraw<TAB>median_ms<TAB>last_ms<TAB>samples<TAB>desc
 * median_ms is the median of `samples` (the robust figure on llvmpipe),
 * or `last` when there are no samples. Returns the number of passes. */
int nr_vo_passes_print(FILE *f, const mpv_node *passes);

#endif
