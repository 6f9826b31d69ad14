/* svg_plot: see svg_plot.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svg_plot.h"

enum { PLOT_W = 960, PLOT_H = 480, LEFT = 70, RIGHT = 230, TOP = 40, BOTTOM = 50 };

static const char *const colours[] = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
};

/* text content escaped for XML */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20)
                fputc(*s, f);
        }
    }
}

int nr_svg_plot_write(const char *path, const nr_estimate *e, const char *title,
                      char *err, size_t err_size)
{
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (int k = 0; k < e->num_height_curves; k++) {
        const nr_curve *c = &e->height_curves[k];
        for (int i = 0; i < c->count; i++) {
            if (!(c->errors[i] > 0) || !isfinite(c->errors[i]))
                continue;
            xmin = fmin(xmin, c->sizes[i]);
            xmax = fmax(xmax, c->sizes[i]);
            ymin = fmin(ymin, c->errors[i]);
            ymax = fmax(ymax, c->errors[i]);
        }
    }
    if (!(xmax > xmin) || !(ymax > 0)) {
        snprintf(err, err_size, "%s: nothing to plot (no error curve was measured)", path);
        return -1;
    }
    double ly0 = floor(log10(ymin) * 2) / 2, ly1 = ceil(log10(ymax) * 2) / 2;
    if (ly1 - ly0 < 0.5)
        ly1 = ly0 + 0.5;
    const double pw = PLOT_W - LEFT - RIGHT, ph = PLOT_H - TOP - BOTTOM;
#define X(v) (LEFT + ((v) - xmin) / (xmax - xmin) * pw)
#define Y(v) (TOP + (ly1 - log10(v)) / (ly1 - ly0) * ph)

    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, err_size, "%s: cannot write the plot", path);
        free(tmp);
        return -1;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
               "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            PLOT_W, PLOT_H, PLOT_W, PLOT_H);
    fprintf(f, "<text x=\"%d\" y=\"22\" font-size=\"15\">", LEFT);
    put_escaped(f, title ? title : "nativeres detect");
    fputs("</text>\n", f);
    /* axes, grid and ticks */
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#333\"/>\n",
            LEFT, TOP, pw, ph);
    double span = xmax - xmin;
    double tick = span > 400 ? 100 : span > 150 ? 50 : span > 60 ? 20 : span > 20 ? 5 : 1;
    for (double t = ceil(xmin / tick) * tick; t <= xmax + 1e-9; t += tick)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>"
                   "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%g</text>\n",
                X(t), TOP, X(t), TOP + ph, X(t), TOP + ph + 16, t);
    for (double ly = ly0; ly <= ly1 + 1e-9; ly += 0.5) {
        double yv = pow(10, ly);
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                   "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3g</text>\n",
                LEFT, Y(yv), LEFT + pw, Y(yv), LEFT - 6, Y(yv) + 4, yv);
    }
    fprintf(f, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">candidate native height</text>\n",
            LEFT + pw / 2, PLOT_H - 12);
    fprintf(f, "<text x=\"16\" y=\"%.0f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.0f)\">"
               "relative residual (log)</text>\n", TOP + ph / 2, TOP + ph / 2);
    /* curves */
    for (int k = 0; k < e->num_height_curves; k++) {
        const nr_curve *c = &e->height_curves[k];
        const char *col = colours[k % (int)(sizeof(colours) / sizeof(*colours))];
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.2\" points=\"", col);
        for (int i = 0; i < c->count; i++)
            if (c->errors[i] > 0 && isfinite(c->errors[i]))
                fprintf(f, "%.1f,%.1f ", X(c->sizes[i]), Y(c->errors[i]));
        fputs("\"/>\n", f);
        char name[32];
        nr_kernel_name(&c->kernel, name, sizeof(name));
        double ly = TOP + 14 + 18 * k;
        fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"/>"
                   "<text x=\"%.0f\" y=\"%.0f\">%s</text>\n",
                LEFT + pw + 12, ly - 4, LEFT + pw + 34, ly - 4, col, LEFT + pw + 40, ly, name);
    }
    /* verdict */
    char label[160], kname[32];
    double mark = e->scale.win_height > 0 ? e->scale.win_height : e->scale.native_h;
    if (e->verdict == NR_VERDICT_UPSCALED) {
        nr_kernel_name(&e->scale.kernel, kname, sizeof(kname));
        snprintf(label, sizeof(label), "upscaled from %g (%s)", mark, kname);
        if (mark >= xmin && mark <= xmax)
            fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"black\" "
                       "stroke-dasharray=\"5,4\"/>\n", X(mark), TOP, X(mark), TOP + ph);
    } else {
        snprintf(label, sizeof(label), "verdict: %s", nr_verdict_name(e->verdict));
    }
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" font-weight=\"bold\">", LEFT + pw + 12,
            TOP + 30 + 18.0 * e->num_height_curves);
    put_escaped(f, label);
    fprintf(f, "</text>\n<text x=\"%.0f\" y=\"%.0f\">confidence %.2f</text>\n</svg>\n",
            LEFT + pw + 12, TOP + 48 + 18.0 * e->num_height_curves, e->confidence);
#undef X
#undef Y
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        snprintf(err, err_size, "%s: cannot write the plot", path);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}
