/* A kernel as a GLSL function: see kernel_eval.h. */
#include "kernel_eval.h"

#include <math.h>

/* c0 + c1 u + c2 u^2 + c3 u^3 through the kernel at four points of
 * [piece, piece + 1): the 4x4 Vandermonde system by elimination */
static void fit_piece(const nr_kernel *k, int piece, double c[4])
{
    double a[4][5];
    for (int i = 0; i < 4; i++) {
        double u = 0.125 + 0.25 * i;
        for (int d = 0; d < 4; d++)
            a[i][d] = pow(u, d);
        a[i][4] = nr_kernel_eval(k, piece + u);
    }
    for (int col = 0; col < 4; col++) {
        int best = col;
        for (int r = col + 1; r < 4; r++)
            if (fabs(a[r][col]) > fabs(a[best][col]))
                best = r;
        for (int d = 0; d < 5; d++) {
            double t = a[col][d];
            a[col][d] = a[best][d];
            a[best][d] = t;
        }
        for (int r = 0; r < 4; r++) {
            if (r == col)
                continue;
            double f = a[r][col] / a[col][col];
            for (int d = col; d < 5; d++)
                a[r][d] -= f * a[col][d];
        }
    }
    for (int d = 0; d < 4; d++) {
        c[d] = a[d][4] / a[d][d];
        if (fabs(c[d]) < 1e-12)
            c[d] = 0;
    }
}

void nr_glsl_write_lanczos_tail(nr_glsl_buf *b, int taps)
{
    nr_glsl_printf(b,
        "    if (d < 1e-6)\n"
        "        return 1.0;\n"
        "    if (d >= %d.0)\n"
        "        return 0.0;\n"
        "    float a = 3.14159265358979 * d;\n"
        "    return sin(a) * sin(a / %d.0) / (a * a / %d.0);\n"
        "}\n\n", taps, taps, taps);
}

int nr_glsl_write_kernel_eval(nr_glsl_buf *b, const char *name, const nr_kernel *k)
{
    int radius = (int)ceil(nr_kernel_radius(k));
    if (k->type == NR_KERNEL_POINT || radius < 1 || radius > 4 || !(k->blur > 0))
        return -1;
    nr_glsl_printf(b, "float %s(float d)\n{\n    d /= float(%.17g);\n", name, k->blur);
    if (k->type == NR_KERNEL_LANCZOS) {
        nr_glsl_write_lanczos_tail(b, k->taps);
        return 0;
    }
    nr_glsl_printf(b, "    if (d >= %d.0)\n        return 0.0;\n"
                   "    float p = floor(d), u = d - p;\n    vec4 c = ", radius);
    for (int piece = 0; piece < radius; piece++) {
        double c[4];
        fit_piece(k, piece, c);
        if (piece < radius - 1)
            nr_glsl_printf(b, "p < %d.5 ? ", piece);
        nr_glsl_printf(b, "vec4(%.9g, %.9g, %.9g, %.9g)%s", c[0], c[1], c[2], c[3],
                       piece < radius - 1 ? "\n        : " : ";\n");
    }
    nr_glsl_puts(b, "    return c.x + u * (c.y + u * (c.z + u * c.w));\n}\n\n");
    return 0;
}

void nr_glsl_write_chain_resample_weight(nr_glsl_buf *b)
{
    static const nr_kernel spline36 = {.type = NR_KERNEL_SPLINE36, .blur = 1};
    nr_glsl_write_kernel_eval(b, "nr_spline36", &spline36);
    nr_glsl_puts(b,
        "float nr_chain_w(float d, float widen)\n{\n"
        "    d = abs(d);\n"
        "    if (widen <= 1.0)\n"
        "        return nr_spline36(d);\n"
        "    d /= widen;   // Catmull-Rom, widened: shrinking\n"
        "    return d < 1.0 ? (1.5 * d - 2.5) * d * d + 1.0\n"
        "         : d < 2.0 ? ((-0.5 * d + 2.5) * d - 4.0) * d + 2.0 : 0.0;\n"
        "}\n\n");
}

void nr_glsl_write_chain_resample_sum(nr_glsl_buf *b, const char *tex, const char *reader,
                                      int rx, int ry)
{
    nr_glsl_printf(b,
        "    vec2 b0 = floor(c - 0.5) - vec2(%d.0, %d.0);\n"
        "    int ix = int(b0.x), iy = int(b0.y);\n", rx - 1, ry - 1);
    for (int t = 0; t < 2 * rx; t++)
        nr_glsl_printf(b, "    float wx%d = nr_chain_w(b0.x + %d.5 - c.x, widen.x);\n", t, t);
    for (int t = 0; t < 2 * ry; t++)
        nr_glsl_printf(b, "    float wy%d = nr_chain_w(b0.y + %d.5 - c.y, widen.y);\n", t, t);
    nr_glsl_puts(b, "    float sx = wx0");
    for (int t = 1; t < 2 * rx; t++)
        nr_glsl_printf(b, " + wx%d", t);
    nr_glsl_puts(b, ", sy = wy0");
    for (int t = 1; t < 2 * ry; t++)
        nr_glsl_printf(b, " + wy%d", t);
    /* A gather brings 2 x 2 texels: a quarter of the fetches. Its corner
     * (ix + 2bx + 1, iy + 2by + 1) gives w = (i0, j0), z = (i1, j0),
     * x = (i0, j1), y = (i1, j1); the sampler clamps at the edges as the
     * reader does. */
    nr_glsl_printf(b, ";\n    float sum = 0.0;\n#ifdef %s_gather\n    vec4 g;\n", tex);
    for (int by = 0; by < ry; by++)
        for (int bx = 0; bx < rx; bx++)
            nr_glsl_printf(b,
                "    g = %s_gather(vec2(float(ix + %d), float(iy + %d)) * %s_pt, 0);\n"
                "    sum += wy%d * (wx%d * g.w + wx%d * g.z) + wy%d * (wx%d * g.x + wx%d * g.y);\n",
                tex, 2 * bx + 1, 2 * by + 1, tex, 2 * by, 2 * bx, 2 * bx + 1, 2 * by + 1,
                2 * bx, 2 * bx + 1);
    nr_glsl_puts(b, "#else\n");
    for (int ty = 0; ty < 2 * ry; ty++) {
        nr_glsl_printf(b, "    sum += wy%d * (", ty);
        for (int tx = 0; tx < 2 * rx; tx++)
            nr_glsl_printf(b, "%swx%d * %s(ix + %d, iy + %d)", tx ? " + " : "", tx, reader, tx, ty);
        nr_glsl_puts(b, ");\n");
    }
    nr_glsl_puts(b, "#endif\n");
}
