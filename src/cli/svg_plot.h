/*
 * svg_plot — the getnative-style graph of `nativeres detect --plot`:
 * normalised residual against candidate height, one line per kernel, on a
 * log scale, with the verdict marked. Written by hand as SVG 1.1 (no
 * plotting library), to a temporary name then renamed.
 */
#ifndef NR_CLI_SVG_PLOT_H
#define NR_CLI_SVG_PLOT_H

#include <stddef.h>

#include "nativeres_estimate.h"

/* Plots e->height_curves (and marks e->verdict / e->scale). -1 with a
 * reason if the file cannot be written or there is nothing to plot. */
int nr_svg_plot_write(const char *path, const nr_estimate *e, const char *title,
                      char *err, size_t err_size);

#endif
