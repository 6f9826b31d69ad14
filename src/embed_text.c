/*
 * nr-embed-text: build-time tool that turns a text file (the upscaler's
 * parameter table in presets/) into a C string, so libnativeres carries
 * the table the generator and the plugin use without reading files. It
 * also writes SYMBOL_name, the file's base name without ".txt", so the
 * library names the table it carries from the one place that picks it.
 *
 *   nr-embed-text SYMBOL IN.txt OUT.c
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: nr-embed-text SYMBOL IN.txt OUT.c\n");
        return 2;
    }
    FILE *in = fopen(argv[2], "rb"), *out = fopen(argv[3], "wb");
    if (!in || !out) {
        fprintf(stderr, "nr-embed-text: cannot open %s\n", !in ? argv[2] : argv[3]);
        return 1;
    }
    fprintf(out, "/* generated from %s by nr-embed-text; do not edit */\n"
                 "const char %s[] =\n\"", argv[2], argv[1]);
    int ch, col = 0;
    while ((ch = fgetc(in)) != EOF) {
        if (ch == '\n') {
            fputs("\\n\"\n\"", out);
            col = 0;
            continue;
        }
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 32 || ch > 126)
            fprintf(out, "\\%03o", ch);
        else
            fputc(ch, out);
        if (++col >= 2000) {    /* keep string pieces short for old compilers */
            fputs("\"\n\"", out);
            col = 0;
        }
    }
    fputs("\";\n", out);
    const char *base = strrchr(argv[2], '/');
    base = base ? base + 1 : argv[2];
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".txt") == 0)
        len -= 4;
    fprintf(out, "const char %s_name[] = \"%.*s\";\n", argv[1], (int)len, base);
    int bad = ferror(in) || fclose(out) != 0;
    fclose(in);
    return bad ? 1 : 0;
}
