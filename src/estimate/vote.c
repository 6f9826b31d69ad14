/*
 * Voting across frames: a scene (or a file) is upscaled when most frames
 * that gave an answer say so AND they agree on the height; the kernel is
 * the most voted one at that height. Unsure frames do not vote; a scene of
 * only unsure frames stays unsure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nativeres_estimate.h"

typedef struct vote_entry {
    nr_estimate est;       /* the first estimate of this (height, width, kernel) */
    char kernel[32];
    double weight;
    int count;
} vote_entry;

struct nr_vote {
    vote_entry *entries;
    int num, cap;
    double native_weight, unsure_weight;
    int native_count, upscaled_count, unsure_count;
};

nr_vote *nr_vote_new(void)
{
    return calloc(1, sizeof(nr_vote));
}

void nr_vote_reset(nr_vote *v)
{
    if (!v)
        return;
    free(v->entries);
    memset(v, 0, sizeof(*v));
}

void nr_vote_free(nr_vote *v)
{
    nr_vote_reset(v);
    free(v);
}

/* a frame's vote weight: confident frames count more, none counts zero */
static double weight_of(const nr_estimate *e)
{
    return 0.25 + 0.75 * (e->confidence < 0 ? 0 : e->confidence > 1 ? 1 : e->confidence);
}

void nr_vote_add(nr_vote *v, const nr_estimate *e)
{
    if (!v || !e)
        return;
    if (e->verdict == NR_VERDICT_UNSURE) {
        v->unsure_count++;
        v->unsure_weight += 1;
        return;
    }
    if (e->verdict == NR_VERDICT_NATIVE) {
        v->native_count++;
        v->native_weight += weight_of(e);
        return;
    }
    v->upscaled_count++;
    char name[32];
    nr_kernel_name(&e->scale.kernel, name, sizeof(name));
    double hh = e->scale.win_height > 0 ? e->scale.win_height : e->scale.native_h;
    double ww = e->scale.win_width > 0 ? e->scale.win_width : e->scale.native_w;
    for (int i = 0; i < v->num; i++) {
        vote_entry *en = &v->entries[i];
        double eh = en->est.scale.win_height > 0 ? en->est.scale.win_height : en->est.scale.native_h;
        double ew = en->est.scale.win_width > 0 ? en->est.scale.win_width : en->est.scale.native_w;
        if (fabs(eh - hh) < 0.01 && fabs(ew - ww) < 0.01 && !strcmp(name, en->kernel) &&
            en->est.scale.full_h == e->scale.full_h && en->est.scale.full_w == e->scale.full_w) {
            en->weight += weight_of(e);
            en->count++;
            return;
        }
    }
    if (v->num == v->cap) {
        int cap = v->cap ? 2 * v->cap : 8;
        vote_entry *n = realloc(v->entries, sizeof(vote_entry) * (size_t)cap);
        if (!n)
            return;
        v->entries = n;
        v->cap = cap;
    }
    vote_entry *en = &v->entries[v->num++];
    en->est = *e;
    en->est.height_curves = en->est.width_curves = NULL;
    en->est.num_height_curves = en->est.num_width_curves = 0;
    snprintf(en->kernel, sizeof(en->kernel), "%s", name);
    en->weight = weight_of(e);
    en->count = 1;
}

static double entry_height(const vote_entry *en)
{
    return en->est.scale.win_height > 0 ? en->est.scale.win_height : en->est.scale.native_h;
}

void nr_vote_result(const nr_vote *v, nr_estimate *out)
{
    memset(out, 0, sizeof(*out));
    out->verdict = NR_VERDICT_UNSURE;
    if (!v) {
        snprintf(out->reason, sizeof(out->reason), "no votes");
        return;
    }
    double up_weight = 0;
    for (int i = 0; i < v->num; i++)
        up_weight += v->entries[i].weight;
    /* the height with the most weight (all kernels and widths together) */
    int best = -1;
    double best_h_weight = 0;
    for (int i = 0; i < v->num; i++) {
        double hw = 0;
        for (int j = 0; j < v->num; j++)
            if (fabs(entry_height(&v->entries[j]) - entry_height(&v->entries[i])) < 0.01)
                hw += v->entries[j].weight;
        if (hw > best_h_weight) {
            best_h_weight = hw;
            best = i;
        }
    }
    /* within that height, the (width, kernel) with the most weight */
    if (best >= 0) {
        double h0 = entry_height(&v->entries[best]);
        for (int i = 0; i < v->num; i++)
            if (fabs(entry_height(&v->entries[i]) - h0) < 0.01 &&
                v->entries[i].weight > v->entries[best].weight)
                best = i;
    }
    int answered = v->native_count + v->upscaled_count;
    if (answered == 0) {
        snprintf(out->reason, sizeof(out->reason), "all %d frames unsure", v->unsure_count);
        return;
    }
    if (best >= 0 && up_weight > v->native_weight && best_h_weight >= 0.6 * up_weight) {
        *out = v->entries[best].est;
        out->verdict = NR_VERDICT_UPSCALED;
        double agree = best_h_weight / (up_weight + v->native_weight);
        out->confidence = agree;
        snprintf(out->reason, sizeof(out->reason),
                 "%d of %d frames upscaled, %d native, %d unsure",
                 v->upscaled_count, v->upscaled_count + v->native_count + v->unsure_count,
                 v->native_count, v->unsure_count);
        return;
    }
    if (v->native_weight >= up_weight) {
        out->verdict = NR_VERDICT_NATIVE;
        out->confidence = v->native_weight / (up_weight + v->native_weight);
        snprintf(out->reason, sizeof(out->reason), "%d of %d frames native",
                 v->native_count, answered + v->unsure_count);
        return;
    }
    snprintf(out->reason, sizeof(out->reason),
             "frames disagree (%d upscaled at several sizes, %d native)",
             v->upscaled_count, v->native_count);
}
