/* Rendering through vo_gpu / gpu-next with failure checks: see render_job.h. */
#include "render_job.h"

#include "read_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool nr_renderer_parse(const char *name, nr_renderer *r)
{
    if (!strcmp(name, "vo_gpu"))
        *r = NR_RENDERER_VO_GPU;
    else if (!strcmp(name, "gpu-next"))
        *r = NR_RENDERER_GPU_NEXT;
    else
        return false;
    return true;
}

const char *nr_renderer_name(nr_renderer r)
{
    return r == NR_RENDERER_VO_GPU ? "vo_gpu" : "gpu-next";
}

/* What mpv (vo_gpu) and libplacebo (gpu-next) log when a user shader is
 * dropped or broken; neither fails the process for it. */
static const char *const problem_patterns[] = {
    "compile log (status=0)",        /* vo_gpu: GLSL error, garbage frame */
    "link log (status=0)",
    "Unrecognized command",          /* unknown //! header: whole file dropped */
    "size mismatch",                 /* //!TEXTURE data vs //!SIZE/FORMAT */
    "Failed parsing",                /* libplacebo: file dropped */
    "glslang failed",                /* libplacebo: GLSL error */
    "VK_ERROR",
    "Cannot open file",
    "shader compilation failed",
    "user shader problem",           /* nr-mpv-host's own verdict */
    NULL,
};

bool nr_log_find_shader_problem(const char *path, char *problem, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof(line), f)) {
        for (int i = 0; problem_patterns[i] && !found; i++) {
            if (strstr(line, problem_patterns[i])) {
                line[strcspn(line, "\n")] = '\0';
                snprintf(problem, size, "%s", line);
                found = true;
            }
        }
    }
    fclose(f);
    return found;
}

/* Counts the shader's //!DESC lines that appear in `text` after `lead`
 * (vo-passes: "user shader: DESC (", libplacebo: "Registering hook pass: DESC"). */
static void check_descs(const char *shader, const char *text, const char *lead,
                        nr_render_result *res)
{
    char *src = nr_read_text(shader);
    if (!src)
        return;
    for (char *line = strtok(src, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "//!DESC", 7))
            continue;
        char *desc = line + 7;
        desc += strspn(desc, " \t");
        desc[strcspn(desc, "\r")] = '\0';
        char needle[1024];
        snprintf(needle, sizeof(needle), "%s%s", lead, desc);
        res->descs_total++;
        if (text && strstr(text, needle))
            res->descs_seen++;
        else if (!res->missing_desc[0])
            snprintf(res->missing_desc, sizeof(res->missing_desc), "%s", desc);
    }
    free(src);
}

static bool read_raw_grayf32(const char *path, int w, int h, nr_image *img)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool ok = nr_image_alloc(img, w, h, 1);
    size_t n = (size_t)w * h;
    ok = ok && fread(img->data, sizeof(float), n, f) == n && fgetc(f) == EOF;
    fclose(f);
    if (!ok)
        nr_image_free(img);
    return ok;
}

/* planar gbrpf32le -> interleaved RGB */
static bool read_raw_gbrpf32(const char *path, int w, int h, nr_image *img)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = (size_t)w * h;
    float *planes = malloc(sizeof(float) * n * 3);
    bool ok = planes && fread(planes, sizeof(float), n * 3, f) == n * 3 && fgetc(f) == EOF &&
              nr_image_alloc(img, w, h, 3);
    fclose(f);
    if (ok) {
        static const int plane_of[3] = { 2, 0, 1 };   /* R is plane 2, G 0, B 1 */
        for (size_t i = 0; i < n; i++)
            for (int c = 0; c < 3; c++)
                img->data[i * 3 + c] = planes[plane_of[c] * n + i];
    }
    free(planes);
    return ok;
}

static bool run_vo_gpu(const nr_render_job *job, nr_render_result *res, char *err,
                       size_t err_size)
{
    char size[32], out[4096], log[4096], passes[4096], stdout_path[4096], timeout[32];
    snprintf(size, sizeof(size), "%dx%d", job->w, job->h);
    snprintf(out, sizeof(out), "%s.pfm", job->prefix);
    snprintf(log, sizeof(log), "%s.log", job->prefix);
    snprintf(passes, sizeof(passes), "%s.passes.json", job->prefix);
    snprintf(stdout_path, sizeof(stdout_path), "%s.out", job->prefix);
    snprintf(timeout, sizeof(timeout), "%g", job->timeout);
    remove(out);
    remove(passes);
    char *argv[48];
    int n = 0;
    argv[n++] = (char *)job->host;
    argv[n++] = "--file"; argv[n++] = (char *)job->input;
    argv[n++] = "--size"; argv[n++] = size;
    argv[n++] = job->rgb ? "--out-rgb" : "--out-gray"; argv[n++] = out;
    argv[n++] = "--log"; argv[n++] = log;
    argv[n++] = "--passes"; argv[n++] = passes;
    argv[n++] = "--timeout"; argv[n++] = timeout;
    if (job->shader) {
        argv[n++] = "--shaders"; argv[n++] = (char *)job->shader;
    }
    for (int i = 0; i < job->num_mpv_opts && n + 3 < 48; i++) {
        argv[n++] = "--opt"; argv[n++] = (char *)job->mpv_opts[i];
    }
    argv[n] = NULL;
    if (!nr_run_process(argv, stdout_path, job->timeout + 10, &res->proc)) {
        snprintf(err, err_size, "cannot run %s", job->host);
        return false;
    }
    if (!nr_log_find_shader_problem(log, res->problem, sizeof(res->problem)))
        nr_log_find_shader_problem(stdout_path, res->problem, sizeof(res->problem));
    if (job->shader) {
        char *text = nr_read_text(passes);
        check_descs(job->shader, text, "user shader: ", res);
        free(text);
    }
    char ignored[256];
    if (res->proc.exited && res->proc.exit_code == 0)
        nr_pfm_read(out, &res->image, ignored, sizeof(ignored));
    return true;
}

/* ffmpeg's filtergraph parser treats these specially inside option values. */
static bool filtergraph_safe(const char *path)
{
    return !strpbrk(path, ":,;'\\[]= ");
}

static bool run_gpu_next(const nr_render_job *job, nr_render_result *res, char *err,
                         size_t err_size)
{
    char out[4096], log[4096], filter[8192];
    snprintf(out, sizeof(out), "%s.raw", job->prefix);
    snprintf(log, sizeof(log), "%s.log", job->prefix);
    if (job->shader && !filtergraph_safe(job->shader)) {
        snprintf(err, err_size, "shader path '%s' has characters ffmpeg's filter syntax "
                 "would interpret", job->shader);
        return false;
    }
    /* w:h = the hook's output size: MAIN arrives at the output size, so
     * nothing scales after the shader; grayf32le reads back unquantised. */
    const char *fmt = job->rgb ? "gbrpf32le" : "grayf32le";
    int len = snprintf(filter, sizeof(filter),
                       "hwupload,libplacebo=w=%d:h=%d:format=%s:dithering=none",
                       job->w, job->h, fmt);
    if (job->shader)
        len += snprintf(filter + len, sizeof(filter) - len, ":custom_shader_path=%s", job->shader);
    if (job->placebo_opts)
        len += snprintf(filter + len, sizeof(filter) - len, ":%s", job->placebo_opts);
    snprintf(filter + len, sizeof(filter) - len, ",hwdownload,format=%s", fmt);
    remove(out);
    char *argv[] = {
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "verbose", "-y",
        "-init_hw_device", "vulkan=vk:0", "-filter_hw_device", "vk",
        "-i", (char *)job->input, "-vf", filter, "-frames:v", "1",
        "-f", "rawvideo", out, NULL,
    };
    if (!nr_run_process(argv, log, job->timeout, &res->proc)) {
        snprintf(err, err_size, "cannot run ffmpeg");
        return false;
    }
    nr_log_find_shader_problem(log, res->problem, sizeof(res->problem));
    if (job->shader) {
        char *text = nr_read_text(log);
        check_descs(job->shader, text, "Registering hook pass: ", res);
        free(text);
    }
    if (res->proc.exited && res->proc.exit_code == 0)
        (job->rgb ? read_raw_gbrpf32 : read_raw_grayf32)(out, job->w, job->h, &res->image);
    return true;
}

bool nr_render_run(const nr_render_job *job, nr_render_result *res, char *err, size_t err_size)
{
    memset(res, 0, sizeof(*res));
    if (job->renderer == NR_RENDERER_VO_GPU)
        return run_vo_gpu(job, res, err, err_size);
    return run_gpu_next(job, res, err, err_size);
}

void nr_render_result_free(nr_render_result *res)
{
    nr_image_free(&res->image);
}
