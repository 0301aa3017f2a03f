/* Prints everything the C API gives for one dataset, for the Rust driver to compare with the
 * core's own results: the summary, the whole load report, every measure over the latest
 * collection year (with default options, then with every option changed), the scorecard
 * periods, and the response of csc_compute_json.
 *
 *   test_dump RESPONSE.json sample CHILDREN SEED
 *   test_dump RESPONSE.json load [--cin PATH]... [--ssda903 PATH]...
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* Options changed in the second pass; the driver reads them from the "option" lines. */
static const char *const OPTIONS[][2] = {
    {"working_days", "networkdays"},   {"assessment_clock", "referral"},
    {"assessment_limit_wd", "40"},     {"icpc_limit_wd", "10"},
    {"previous_plans", "history"},     {"unit", "children"},
    {"adoption_thresholds", "a1:400,a2:100"}, {"a3_months", "12"},
};

/* Appends s to buf as a JSON string (paths here hold no control characters). */
static void json_string(char *buf, size_t cap, const char *s) {
    size_t n = strlen(buf);
    if (n + 1 < cap) buf[n++] = '"';
    for (; *s && n + 2 < cap; s++) {
        if (*s == '"' || *s == '\\') buf[n++] = '\\';
        buf[n++] = *s;
    }
    if (n + 1 < cap) buf[n++] = '"';
    buf[n] = '\0';
}

static void json_array(char *buf, size_t cap, const char *key, const char *const *items, size_t n) {
    size_t i;
    strncat(buf, "\"", cap - strlen(buf) - 1);
    strncat(buf, key, cap - strlen(buf) - 1);
    strncat(buf, "\":[", cap - strlen(buf) - 1);
    for (i = 0; i < n; i++) {
        if (i > 0) strncat(buf, ",", cap - strlen(buf) - 1);
        json_string(buf, cap, items[i]);
    }
    strncat(buf, "]", cap - strlen(buf) - 1);
}

static void put_issues(const csc_dataset *ds) {
    size_t i, n = csc_dataset_issue_count(ds);
    for (i = 0; i < n; i++) {
        csc_issue it;
        must(csc_dataset_issue(ds, i, &it), "csc_dataset_issue");
        printf("issue");
        put_text(stdout, it.code);
        put_text(stdout, it.severity);
        put_text(stdout, it.child);
        put_day(stdout, it.record, it.has_record);
        put_text(stdout, it.message);
        put_text(stdout, it.file);
        if (it.has_line) printf("\t%u", (unsigned)it.line); else printf("\t\\N");
        put_text(stdout, it.path);
        put_text(stdout, it.column);
        put_text(stdout, it.value);
        printf("\n");
    }
}

/* Every measure one by one, then all at once with csc_compute_many, which must agree. */
static void put_measures(const csc_dataset *ds, const char *tag, int32_t start, int32_t end,
                         const csc_options *opts) {
    size_t i, n = csc_measure_count();
    char **json = calloc(n, sizeof *json);
    csc_result_list *list = NULL;
    for (i = 0; i < n; i++) {
        csc_result *r = NULL;
        must(csc_compute(ds, csc_measure_id(i), start, end, opts, &r), "csc_compute");
        CHECK(strcmp(csc_result_id(r), csc_measure_id(i)) == 0);
        CHECK(strcmp(csc_result_title(r), csc_measure_title(i)) == 0);
        put_result(stdout, tag, r);
        must(csc_result_to_json(r, &json[i]), "csc_result_to_json");
        csc_result_free(r);
    }
    must(csc_compute_many(ds, NULL, 0, start, end, opts, &list), "csc_compute_many");
    CHECK(csc_result_list_count(list) == n);
    for (i = 0; i < n && i < csc_result_list_count(list); i++) {
        const csc_result *r = NULL;
        char *j = NULL;
        must(csc_result_list_get(list, i, &r), "csc_result_list_get");
        must(csc_result_to_json(r, &j), "csc_result_to_json");
        CHECK(strcmp(j, json[i]) == 0);
        csc_string_free(j);
        csc_string_free(json[i]);
    }
    csc_result_list_free(list);
    free(json);
}

int main(int argc, char **argv) {
    csc_dataset *ds = NULL;
    csc_options *opts = NULL;
    csc_summary s;
    int32_t year, start, end;
    size_t i;
    char request[8192] = "{";
    char *response = NULL;
    FILE *f;

    if (argc < 3) {
        fprintf(stderr, "usage: test_dump RESPONSE.json sample CHILDREN SEED | load [--cin P]... [--ssda903 P]...\n");
        return 2;
    }
    if (strcmp(argv[2], "sample") == 0 && argc == 5) {
        unsigned long children = strtoul(argv[3], NULL, 10);
        unsigned long long seed = strtoull(argv[4], NULL, 10);
        must(csc_dataset_sample((uint32_t)children, (uint64_t)seed, &ds), "csc_dataset_sample");
        snprintf(request, sizeof request,
                 "{\"sample\": {\"children\": %lu, \"seed\": %llu}, "
                 "\"options\": {\"working_days\": \"networkdays\", \"assessment_limit_wd\": 40}, "
                 "\"records\": true}",
                 children, seed);
    } else if (strcmp(argv[2], "load") == 0) {
        const char **cin = calloc((size_t)argc, sizeof *cin);
        const char **ssda = calloc((size_t)argc, sizeof *ssda);
        size_t n_cin = 0, n_ssda = 0;
        int a;
        for (a = 3; a + 1 < argc; a += 2) {
            if (strcmp(argv[a], "--cin") == 0) cin[n_cin++] = argv[a + 1];
            else if (strcmp(argv[a], "--ssda903") == 0) ssda[n_ssda++] = argv[a + 1];
            else { fprintf(stderr, "unknown argument %s\n", argv[a]); return 2; }
        }
        must(csc_dataset_load(cin, n_cin, ssda, n_ssda, false, &ds), "csc_dataset_load");
        json_array(request, sizeof request, "cin", cin, n_cin);
        strncat(request, ",", sizeof request - strlen(request) - 1);
        json_array(request, sizeof request, "ssda903", ssda, n_ssda);
        strncat(request, ",\"records\":true}", sizeof request - strlen(request) - 1);
        free(cin);
        free(ssda);
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[2]);
        return 2;
    }

    must(csc_dataset_summary(ds, &s), "csc_dataset_summary");
    printf("summary\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\n", s.children, s.cin_episodes,
           s.assessments, s.section47s, s.cp_plans, s.care_episodes, s.periods_of_care,
           s.placements, s.issues);
    CHECK(s.issues == csc_dataset_issue_count(ds));
    put_issues(ds);

    must(csc_dataset_latest_year(ds, &year), "csc_dataset_latest_year");
    must(csc_day_from_ymd(year - 1, 4, 1, &start), "csc_day_from_ymd");
    must(csc_day_from_ymd(year, 3, 31, &end), "csc_day_from_ymd");
    printf("year\t%d\n", (int)year);
    put_measures(ds, "default", start, end, NULL);

    opts = csc_options_new();
    for (i = 0; i < sizeof OPTIONS / sizeof OPTIONS[0]; i++) {
        must(csc_options_set(opts, OPTIONS[i][0], OPTIONS[i][1]), "csc_options_set");
        printf("option\t%s\t%s\n", OPTIONS[i][0], OPTIONS[i][1]);
    }
    put_measures(ds, "options", start, end, opts);
    csc_options_free(opts);

    for (i = 0; i < csc_measure_count(); i++) {
        int32_t ws, we;
        must(csc_scorecard_period(csc_measure_id(i), year, &ws, &we), "csc_scorecard_period");
        printf("window");
        put_text(stdout, csc_measure_id(i));
        put_day(stdout, ws, 1);
        put_day(stdout, we, 1);
        printf("\n");
    }

    printf("request");
    put_text(stdout, request);
    printf("\n");
    must(csc_compute_json(request, &response), "csc_compute_json");
    f = fopen(argv[1], "w");
    if (f == NULL) { perror(argv[1]); return 2; }
    fputs(response, f);
    fclose(f);
    csc_string_free(response);

    csc_dataset_free(ds);
    printf("done\t%d\n", check_failures);
    return check_failures == 0 ? 0 : 1;
}
