/* csc_builder_add_arrow: an Arrow C stream built by hand (two string columns, one batch, release
 * callbacks that free what they allocated), added to a return, and the dataset it gives; the
 * stream is released whatever happens (NULL builder, no return begun, unknown table, a missing
 * column, a failing stream, an error of the stream's own). Every allocation of the producer here
 * is counted, and the count must be 0 at the end: the library released everything it was given.
 * Self-checking. */
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* Allocations of the producer that are not freed yet. */
static long live = 0;
/* Streams released. */
static int streams_released = 0;

static void *alloc(size_t n) {
    void *p = calloc(1, n == 0 ? 1 : n);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    live++;
    return p;
}

static void release(void *p) {
    if (p != NULL) {
        free(p);
        live--;
    }
}

static int32_t day(int y, unsigned m, unsigned d) {
    int32_t out = 0;
    must(csc_day_from_ymd(y, m, d, &out), "csc_day_from_ymd");
    return out;
}

static int contains(const char *s, const char *part) { return s != NULL && strstr(s, part) != NULL; }

/* ---- schemas ---- */

static void release_schema(struct ArrowSchema *s) {
    int64_t i;
    for (i = 0; i < s->n_children; i++) {
        struct ArrowSchema *c = s->children[i];
        if (c->release != NULL) c->release(c);
        release(c);
    }
    release(s->children);
    s->release = NULL;
}

static void release_leaf_schema(struct ArrowSchema *s) { s->release = NULL; }

/* A struct schema of `n` nullable string columns named `names`. */
static void make_schema(struct ArrowSchema *out, const char *const *names, int64_t n) {
    int64_t i;
    memset(out, 0, sizeof *out);
    out->format = "+s";
    out->name = "";
    out->n_children = n;
    out->children = alloc(sizeof(struct ArrowSchema *) * (size_t)n);
    for (i = 0; i < n; i++) {
        struct ArrowSchema *c = alloc(sizeof *c);
        c->format = "u";
        c->name = names[i];
        c->flags = ARROW_FLAG_NULLABLE;
        c->release = release_leaf_schema;
        out->children[i] = c;
    }
    out->release = release_schema;
}

/* ---- arrays ---- */

static void release_array(struct ArrowArray *a) {
    int64_t i;
    for (i = 0; i < a->n_children; i++) {
        struct ArrowArray *c = a->children[i];
        if (c->release != NULL) c->release(c);
        release(c);
    }
    release(a->children);
    for (i = 0; i < a->n_buffers; i++) release((void *)a->buffers[i]);
    release(a->buffers);
    a->release = NULL;
}

/* A string array of `n` values; a NULL value is a null. */
static struct ArrowArray *string_array(const char *const *values, int64_t n) {
    struct ArrowArray *a = alloc(sizeof *a);
    int32_t *offsets = alloc(sizeof(int32_t) * (size_t)(n + 1));
    uint8_t *validity = alloc((size_t)(n + 7) / 8);
    size_t total = 0;
    char *data;
    int64_t i, nulls = 0;
    for (i = 0; i < n; i++) total += values[i] ? strlen(values[i]) : 0;
    data = alloc(total);
    offsets[0] = 0;
    for (i = 0; i < n; i++) {
        size_t len = values[i] ? strlen(values[i]) : 0;
        if (values[i] != NULL) {
            memcpy(data + offsets[i], values[i], len);
            validity[i / 8] |= (uint8_t)(1u << (i % 8));
        } else {
            nulls++;
        }
        offsets[i + 1] = offsets[i] + (int32_t)len;
    }
    a->length = n;
    a->null_count = nulls;
    a->n_buffers = 3;
    a->buffers = alloc(sizeof(void *) * 3);
    a->buffers[0] = validity;
    a->buffers[1] = offsets;
    a->buffers[2] = data;
    a->release = release_array;
    return a;
}

/* ---- the stream: one batch of two string columns ---- */

struct table {
    const char *names[2];
    const char *const *columns[2];
    int64_t rows;
    int batches_given;
    const char *fail; /* get_next fails with this message */
};

static int get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
    struct table *t = s->private_data;
    make_schema(out, t->names, 2);
    return 0;
}

static int get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
    struct table *t = s->private_data;
    int64_t i;
    if (t->fail != NULL) return 22; /* EINVAL */
    memset(out, 0, sizeof *out);
    if (t->batches_given++ > 0) return 0; /* the end: a released array */
    out->length = t->rows;
    out->n_buffers = 1;
    out->buffers = alloc(sizeof(void *)); /* the struct's validity: none */
    out->n_children = 2;
    out->children = alloc(sizeof(struct ArrowArray *) * 2);
    for (i = 0; i < 2; i++) out->children[i] = string_array(t->columns[i], t->rows);
    out->release = release_array;
    return 0;
}

static const char *get_last_error(struct ArrowArrayStream *s) {
    struct table *t = s->private_data;
    return t->fail;
}

static void release_stream(struct ArrowArrayStream *s) {
    release(s->private_data);
    s->private_data = NULL;
    s->release = NULL;
    streams_released++;
}

static void make_stream(struct ArrowArrayStream *s, const char *a, const char *b,
                        const char *const *col_a, const char *const *col_b, int64_t rows,
                        const char *fail) {
    struct table *t = alloc(sizeof *t);
    t->names[0] = a;
    t->names[1] = b;
    t->columns[0] = col_a;
    t->columns[1] = col_b;
    t->rows = rows;
    t->fail = fail;
    s->get_schema = get_schema;
    s->get_next = get_next;
    s->get_last_error = get_last_error;
    s->release = release_stream;
    s->private_data = t;
}

static const char *const CHILDREN[4] = {"A1", "A1", NULL, "B2"};
static const char *const DECOMS[4] = {"01/05/2023", "31/02/2024", "2023-06-01", "2023-10-01"};

/* The index of the first issue with `code`, or -1. */
static long find(const csc_dataset *ds, const char *code) {
    size_t i;
    for (i = 0; i < csc_dataset_issue_count(ds); i++) {
        csc_issue it;
        must(csc_dataset_issue(ds, i, &it), "csc_dataset_issue");
        if (strcmp(it.code, code) == 0) return (long)i;
    }
    return -1;
}

static void adds_a_table(void) {
    struct ArrowArrayStream s;
    csc_builder *b = csc_builder_new();
    csc_dataset *ds = NULL;
    csc_summary sum;
    csc_issue it;
    csc_result *r = NULL;
    csc_numbers n;
    long k;
    int before = streams_released;
    const char *cols[2] = {"CHILD", "DECOM"};
    const char *vals[2] = {"C3", "01/12/2023"};

    must(csc_builder_begin_ssda903(b, 2024), "csc_builder_begin_ssda903");
    make_stream(&s, "CHILD", "DECOM", CHILDREN, DECOMS, 4, NULL);
    CHECK_STATUS(csc_builder_add_arrow(b, "Episodes", &s), CSC_STATUS_OK);
    CHECK(s.release == NULL && streams_released == before + 1);
    /* a row by name in the same return, located apart from the stream's */
    CHECK_STATUS(csc_builder_add_row(b, "Episodes", cols, vals, 2), CSC_STATUS_OK);
    CHECK_STATUS(csc_builder_build(b, false, &ds), CSC_STATUS_OK);

    CHECK_STATUS(csc_dataset_summary(ds, &sum), CSC_STATUS_OK);
    CHECK(sum.children == 3 && sum.care_episodes == 3);
    k = find(ds, "unreadable_date");
    CHECK(k >= 0);
    if (k >= 0) {
        must(csc_dataset_issue(ds, (size_t)k, &it), "csc_dataset_issue");
        /* the stream's rows are located at YEAR/TABLE, line = the row's number in the stream */
        CHECK(it.file != NULL && strcmp(it.file, "2024/Episodes") == 0);
        CHECK(it.has_line && it.line == 2);
        CHECK(it.column != NULL && strcmp(it.column, "DECOM") == 0);
        CHECK(it.value != NULL && strcmp(it.value, "31/02/2024") == 0);
        CHECK(it.child != NULL && strcmp(it.child, "A1") == 0);
    }
    k = find(ds, "missing_identifier");
    CHECK(k >= 0);
    if (k >= 0) {
        must(csc_dataset_issue(ds, (size_t)k, &it), "csc_dataset_issue");
        CHECK(it.file != NULL && strcmp(it.file, "2024/Episodes") == 0 && it.line == 3);
    }
    CHECK_STATUS(csc_compute(ds, "cla_at_end", day(2023, 4, 1), day(2024, 3, 31), NULL, &r),
                 CSC_STATUS_OK);
    CHECK_STATUS(csc_result_numbers(r, &n), CSC_STATUS_OK);
    CHECK(n.has_numerator && n.numerator == 3); /* A1, B2 and C3 */
    csc_result_free(r);
    csc_dataset_free(ds);
}

static void releases_whatever_happens(void) {
    struct ArrowArrayStream s;
    csc_builder *b = csc_builder_new();
    int before = streams_released;
    const char *const other[4] = {"x", "y", "z", "w"};

    /* a NULL builder, a NULL table */
    make_stream(&s, "CHILD", "DECOM", CHILDREN, DECOMS, 4, NULL);
    CHECK_STATUS(csc_builder_add_arrow(NULL, "Episodes", &s), CSC_STATUS_NULL_ARGUMENT);
    CHECK(s.release == NULL && streams_released == before + 1);
    make_stream(&s, "CHILD", "DECOM", CHILDREN, DECOMS, 4, NULL);
    CHECK_STATUS(csc_builder_add_arrow(b, NULL, &s), CSC_STATUS_NULL_ARGUMENT);
    CHECK(s.release == NULL && streams_released == before + 2);
    CHECK_STATUS(csc_builder_add_arrow(b, "Episodes", NULL), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "stream"));
    /* no return begun */
    make_stream(&s, "CHILD", "DECOM", CHILDREN, DECOMS, 4, NULL);
    CHECK_STATUS(csc_builder_add_arrow(b, "Episodes", &s), CSC_STATUS_INVALID_ARGUMENT);
    CHECK(s.release == NULL && streams_released == before + 3);
    must(csc_builder_begin_ssda903(b, 2024), "csc_builder_begin_ssda903");
    /* a released stream */
    CHECK_STATUS(csc_builder_add_arrow(b, "Episodes", &s), CSC_STATUS_INVALID_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "released"));
    /* an unknown table, and a table of the other return */
    make_stream(&s, "CHILD", "DECOM", CHILDREN, DECOMS, 4, NULL);
    CHECK_STATUS(csc_builder_add_arrow(b, "Episodez", &s), CSC_STATUS_INVALID_INPUT);
    CHECK(contains(csc_last_error_message(), "Episodez"));
    CHECK(s.release == NULL && streams_released == before + 4);
    make_stream(&s, "CHILD", "DECOM", CHILDREN, DECOMS, 4, NULL);
    CHECK_STATUS(csc_builder_add_arrow(b, "CINdetails", &s), CSC_STATUS_INVALID_INPUT);
    CHECK(s.release == NULL && streams_released == before + 5);
    /* a required column missing */
    make_stream(&s, "CHILD", "PLACE", CHILDREN, other, 4, NULL);
    CHECK_STATUS(csc_builder_add_arrow(b, "Episodes", &s), CSC_STATUS_INVALID_INPUT);
    CHECK(contains(csc_last_error_message(), "DECOM"));
    CHECK(s.release == NULL && streams_released == before + 6);
    /* a stream that fails, with its own message */
    make_stream(&s, "CHILD", "DECOM", CHILDREN, DECOMS, 4, "disk on fire");
    CHECK_STATUS(csc_builder_add_arrow(b, "Episodes", &s), CSC_STATUS_INVALID_INPUT);
    CHECK(contains(csc_last_error_message(), "disk on fire"));
    CHECK(s.release == NULL && streams_released == before + 7);
    /* nothing was added by the failed calls */
    {
        csc_dataset *ds = NULL;
        csc_summary sum;
        CHECK_STATUS(csc_builder_build(b, false, &ds), CSC_STATUS_OK);
        CHECK_STATUS(csc_dataset_summary(ds, &sum), CSC_STATUS_OK);
        CHECK(sum.care_episodes == 0 && sum.issues == 0);
        csc_dataset_free(ds);
    }
}

/* Strict mode stops at the first row the rules skip, whichever way it came. */
static void strict_stops(void) {
    struct ArrowArrayStream s;
    csc_builder *b = csc_builder_new();
    csc_dataset *ds = NULL;
    must(csc_builder_begin_ssda903(b, 2024), "csc_builder_begin_ssda903");
    make_stream(&s, "CHILD", "DECOM", CHILDREN, DECOMS, 4, NULL);
    CHECK_STATUS(csc_builder_add_arrow(b, "Episodes", &s), CSC_STATUS_OK);
    CHECK_STATUS(csc_builder_build(b, true, &ds), CSC_STATUS_DATA_QUALITY);
    CHECK(ds == NULL);
    CHECK(contains(csc_last_error_message(), "2024/Episodes:2"));
    CHECK(contains(csc_last_error_message(), "unreadable_date"));
}

int main(void) {
    adds_a_table();
    releases_whatever_happens();
    strict_stops();
    CHECK(live == 0); /* every schema, array and stream the library was given was released */
    printf("arrow\tfailures\t%d\tlive\t%ld\n", check_failures, live);
    return check_failures == 0 ? 0 : 1;
}
