/* Many threads compute from one frozen dataset at once and must get what one thread gets:
 * every measure's JSON, its drill-down rows, the load report (whose strings are made on first
 * use, here by all threads at once), and each thread's own last error.
 *
 *   test_threads CHILDREN SEED THREADS ROUNDS
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define MAX_THREADS 16

static const csc_dataset *ds;
static const csc_options *opts;
static const csc_result *shared; /* one result read by every thread */
static char **baseline;          /* JSON of every measure, computed by the main thread */
static size_t n_measures;
static int32_t start, end;
static int rounds;

struct job {
    int id;
    int failures;
    unsigned long report_chars; /* length of every message of the load report */
    unsigned long row_chars;    /* length of every child id of the shared result */
};

static void *run(void *arg) {
    struct job *job = arg;
    int round;
    size_t i;
    char bad[64];
    for (round = 0; round < rounds; round++) {
        /* The load report, read first so that threads race to make its strings. */
        job->report_chars = 0;
        for (i = 0; i < csc_dataset_issue_count(ds); i++) {
            csc_issue it;
            if (csc_dataset_issue(ds, i, &it) != CSC_STATUS_OK || it.code == NULL) job->failures++;
            else job->report_chars += (unsigned long)strlen(it.message);
        }
        job->row_chars = 0;
        for (i = 0; i < csc_result_row_count(shared); i++) {
            csc_row row;
            if (csc_result_row(shared, i, &row) != CSC_STATUS_OK) job->failures++;
            else job->row_chars += (unsigned long)strlen(row.child);
        }
        for (i = 0; i < n_measures; i++) {
            csc_result *r = NULL;
            char *json = NULL;
            if (csc_compute(ds, csc_measure_id(i), start, end, opts, &r) != CSC_STATUS_OK ||
                csc_result_to_json(r, &json) != CSC_STATUS_OK) {
                job->failures++;
            } else if (strcmp(json, baseline[i]) != 0) {
                fprintf(stderr, "thread %d: %s differs\n", job->id, csc_measure_id(i));
                job->failures++;
            }
            csc_string_free(json);
            csc_result_free(r);
        }
        /* The last error is the thread's own. */
        snprintf(bad, sizeof bad, "no_such_measure_%d", job->id);
        if (csc_compute(ds, bad, start, end, opts, NULL) != CSC_STATUS_NULL_ARGUMENT) job->failures++;
        {
            csc_result *r = NULL;
            if (csc_compute(ds, bad, start, end, opts, &r) != CSC_STATUS_UNKNOWN_MEASURE || r != NULL ||
                strstr(csc_last_error_message(), bad) == NULL) {
                fprintf(stderr, "thread %d: last error %s\n", job->id, csc_last_error_message());
                job->failures++;
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    csc_dataset *owned = NULL;
    csc_options *o;
    csc_result *r = NULL;
    pthread_t threads[MAX_THREADS];
    struct job jobs[MAX_THREADS];
    int n_threads, t;
    size_t i;

    if (argc != 5) {
        fprintf(stderr, "usage: test_threads CHILDREN SEED THREADS ROUNDS\n");
        return 2;
    }
    must(csc_dataset_sample((uint32_t)strtoul(argv[1], NULL, 10),
                            (uint64_t)strtoull(argv[2], NULL, 10), &owned),
         "csc_dataset_sample");
    ds = owned;
    n_threads = atoi(argv[3]);
    rounds = atoi(argv[4]);
    if (n_threads < 1 || n_threads > MAX_THREADS) return 2;
    must(csc_day_from_ymd(2023, 4, 1, &start), "csc_day_from_ymd");
    must(csc_day_from_ymd(2024, 3, 31, &end), "csc_day_from_ymd");
    o = csc_options_new();
    must(csc_options_set(o, "working_days", "networkdays"), "csc_options_set");
    opts = o;

    n_measures = csc_measure_count();
    baseline = calloc(n_measures, sizeof *baseline);
    for (i = 0; i < n_measures; i++) {
        csc_result *b = NULL;
        must(csc_compute(ds, csc_measure_id(i), start, end, opts, &b), "csc_compute");
        must(csc_result_to_json(b, &baseline[i]), "csc_result_to_json");
        csc_result_free(b);
    }
    must(csc_compute(ds, "assessments_45wd", start, end, opts, &r), "csc_compute");
    shared = r;

    for (t = 0; t < n_threads; t++) {
        jobs[t].id = t;
        jobs[t].failures = 0;
        jobs[t].report_chars = 0;
        jobs[t].row_chars = 0;
        CHECK(pthread_create(&threads[t], NULL, run, &jobs[t]) == 0);
    }
    for (t = 0; t < n_threads; t++) CHECK(pthread_join(threads[t], NULL) == 0);
    for (t = 0; t < n_threads; t++) {
        CHECK(jobs[t].failures == 0);
        CHECK(jobs[t].report_chars == jobs[0].report_chars);
        CHECK(jobs[t].row_chars == jobs[0].row_chars);
    }
    CHECK(csc_dataset_issue_count(ds) == 0 || jobs[0].report_chars > 0);
    CHECK(csc_result_row_count(shared) > 0 && jobs[0].row_chars > 0);
    /* The main thread's last error is untouched by the others' failures. */
    CHECK(strcmp(csc_last_error_message(), "") == 0);

    for (i = 0; i < n_measures; i++) csc_string_free(baseline[i]);
    free(baseline);
    csc_result_free(r);
    csc_options_free(o);
    csc_dataset_free(owned);
    printf("threads\t%d\trounds\t%d\tmeasures\t%zu\tfailures\t%d\n", n_threads, rounds, n_measures,
           check_failures);
    return check_failures == 0 ? 0 : 1;
}
