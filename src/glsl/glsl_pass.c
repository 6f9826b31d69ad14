#include "glsl_pass.h"

#include <stdlib.h>

void nr_glsl_pass_write(nr_glsl_buf *b, const nr_glsl_pass *p)
{
    nr_glsl_printf(b, "//!HOOK %s\n", p->hook);
    for (int i = 0; i < NR_GLSL_MAX_BINDS && p->binds[i]; i++)
        nr_glsl_printf(b, "//!BIND %s\n", p->binds[i]);
    if (p->save)
        nr_glsl_printf(b, "//!SAVE %s\n", p->save);
    nr_glsl_printf(b, "//!DESC %s\n", p->desc);
    if (p->width)
        nr_glsl_printf(b, "//!WIDTH %s\n", p->width);
    if (p->height)
        nr_glsl_printf(b, "//!HEIGHT %s\n", p->height);
    if (p->offset)
        nr_glsl_printf(b, "//!OFFSET %s\n", p->offset);
    if (p->components > 0)
        nr_glsl_printf(b, "//!COMPONENTS %d\n", p->components);
    if (p->when)
        nr_glsl_printf(b, "//!WHEN %s\n", p->when);
    if (p->compute_bw > 0 && p->compute_bh > 0) {
        if (p->compute_tw > 0 && p->compute_th > 0)
            nr_glsl_printf(b, "//!COMPUTE %d %d %d %d\n", p->compute_bw, p->compute_bh,
                           p->compute_tw, p->compute_th);
        else
            nr_glsl_printf(b, "//!COMPUTE %d %d\n", p->compute_bw, p->compute_bh);
    }
    nr_glsl_puts(b, "\n");
    nr_glsl_puts(b, p->body);
}

int nr_glsl_pass_write_built(nr_glsl_buf *b, nr_glsl_pass *p, nr_glsl_buf *body)
{
    char *text = nr_glsl_buf_take(body);
    if (!text)
        return -1;
    p->body = text;
    nr_glsl_pass_write(b, p);
    nr_glsl_puts(b, "\n");
    free(text);
    p->body = NULL;
    return 0;
}

void nr_glsl_texture_begin(nr_glsl_buf *b, const nr_glsl_texture *t)
{
    nr_glsl_printf(b, "//!TEXTURE %s\n", t->name);
    if (t->h > 0)
        nr_glsl_printf(b, "//!SIZE %d %d\n", t->w, t->h);
    else
        nr_glsl_printf(b, "//!SIZE %d\n", t->w);
    nr_glsl_printf(b, "//!FORMAT %s\n", t->format);
    nr_glsl_printf(b, "//!FILTER %s\n", t->filter ? t->filter : "NEAREST");
    if (t->border)
        nr_glsl_printf(b, "//!BORDER %s\n", t->border);
}

void nr_glsl_texture_end(nr_glsl_buf *b)
{
    nr_glsl_puts(b, "\n");
}

void nr_glsl_texture_write(nr_glsl_buf *b, const nr_glsl_texture *t,
                           const float *data, size_t n)
{
    nr_glsl_texture_begin(b, t);
    nr_glsl_hex_floats(b, data, n);
    nr_glsl_texture_end(b);
}

/* Hook outputs are 16-bit floats by default and some renderers (lavapipe)
 * truncate on store: a pass rounds its output itself. */
void nr_glsl_write_fp16_function(nr_glsl_buf *b)
{
    nr_glsl_puts(b,
        "// v rounded to the nearest value a 16-bit float stores exactly. Hook outputs\n"
        "// are 16-bit floats by default and some renderers truncate on store; a value\n"
        "// that is already exact is stored as it is.\n"
        "float nr_fp16(float v)\n"
        "{\n"
        "#if (defined(GL_ES) && __VERSION__ >= 300) || __VERSION__ >= 420\n"
        "    return unpackHalf2x16(packHalf2x16(vec2(v, 0.0))).x;\n"
        "#else\n"
        "    // no packHalf2x16: keep 11 significant bits (fp16's), never finer than\n"
        "    // its smallest subnormal; exact in fp16 even if log2 is an ulp off\n"
        "    float e = exp2(max(floor(log2(max(abs(v), 1e-30))) - 10.0, -24.0));\n"
        "    return floor(v / e + 0.5) * e;\n"
        "#endif\n"
        "}\n\n");
}

void nr_glsl_write_compute_pixel_head(nr_glsl_buf *b)
{
    nr_glsl_puts(b,
        "void hook()\n{\n"
        "    ivec2 nr_p = ivec2(gl_GlobalInvocationID.xy), n = imageSize(out_image);\n"
        "    if (nr_p.x >= n.x || nr_p.y >= n.y)\n"
        "        return;\n"
        "    vec2 pos = (vec2(nr_p) + 0.5) / vec2(n);\n");
}
