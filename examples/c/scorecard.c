/* The scorecard of every measure, from returns on the command line or the built-in sample.
 *
 *   scorecard [--cin FILE]... [--ssda903 DIR]... [--year YYYY]
 *
 * Each return may be given as YEAR=PATH. With no returns, the built-in synthetic sample (2,000
 * children, collection years 2019-2024) is used; the year defaults to the latest collection year
 * loaded. Adoption measures (A1, A10, A2, A3) cover the three years to 31 March, the rest the
 * financial year, as `csc-measures report` does.
 *
 * Build (from the repository root):
 *   cargo build --release -p csc-measures-c
 *   cc -std=c99 -I include examples/c/scorecard.c -L target/release -lcscmeasures -lpthread -ldl -lm \
 *      -o scorecard
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csc_measures.h"

static int fail(const char *what, csc_status s) {
    fprintf(stderr, "scorecard: %s: %s (%s)\n", what, csc_last_error_message(), csc_status_str(s));
    return 1;
}

/* Does the result carry the warning `w` (no_data: the loaded returns do not cover the period)? */
static int has_warning(const csc_result *r, const char *w) {
    size_t i, n = csc_result_warning_count(r);
    for (i = 0; i < n; i++) {
        const char *got = NULL;
        if (csc_result_warning(r, i, &got) == CSC_STATUS_OK && got != NULL && strcmp(got, w) == 0) return 1;
    }
    return 0;
}

/* The value as a person reads it: 22.9%, 1234, 412 days, 13.5, "no data loaded for this period" when
 * the returns do not cover the period, or - when there is none. */
static void format_value(char *buf, size_t cap, const csc_result *r, const csc_numbers *n) {
    const char *kind = csc_result_value_kind(r);
    if (!n->has_value) snprintf(buf, cap, "%s", has_warning(r, "no_data") ? "no data loaded for this period" : "-");
    else if (strcmp(kind, "percentage") == 0) snprintf(buf, cap, "%.1f%%", n->value);
    else if (strcmp(kind, "mean_days") == 0) snprintf(buf, cap, "%.0f days", n->value);
    else if (strcmp(kind, "mean") == 0) snprintf(buf, cap, "%.1f", n->value);
    else snprintf(buf, cap, "%.0f", n->value);
}

int main(int argc, char **argv) {
    const char **cin = calloc((size_t)argc + 1, sizeof *cin);
    const char **ssda903 = calloc((size_t)argc + 1, sizeof *ssda903);
    size_t n_cin = 0, n_ssda903 = 0, i;
    int32_t year = 0;
    int a, status = 0;
    csc_dataset *ds = NULL;
    csc_status s;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--cin") == 0 && a + 1 < argc) cin[n_cin++] = argv[++a];
        else if (strcmp(argv[a], "--ssda903") == 0 && a + 1 < argc) ssda903[n_ssda903++] = argv[++a];
        else if (strcmp(argv[a], "--year") == 0 && a + 1 < argc) year = (int32_t)atoi(argv[++a]);
        else {
            fprintf(stderr, "usage: scorecard [--cin FILE]... [--ssda903 DIR]... [--year YYYY]\n");
            return 2;
        }
    }
    if (n_cin + n_ssda903 == 0) s = csc_dataset_sample(2000, 42, &ds);
    else s = csc_dataset_load(cin, n_cin, ssda903, n_ssda903, false, &ds);
    free(cin);
    free(ssda903);
    if (s != CSC_STATUS_OK) return fail("loading the returns", s);
    if (year == 0 && (s = csc_dataset_latest_year(ds, &year)) != CSC_STATUS_OK) {
        csc_dataset_free(ds);
        return fail("choosing the year", s);
    }

    printf("Scorecard for %d-%02d (adoption measures over the three years to 31 March %d)\n\n",
           (int)year - 1, (int)(year % 100), (int)year);
    printf("%-28s %10s %15s  %s\n", "measure", "value", "num/den", "unit");
    for (i = 0; i < csc_measure_count(); i++) {
        const char *id = csc_measure_id(i);
        int32_t start, end;
        csc_result *r = NULL;
        csc_numbers n;
        char value[48], numbers[48], num[24], den[24];

        if ((s = csc_scorecard_period(id, year, &start, &end)) != CSC_STATUS_OK ||
            (s = csc_compute(ds, id, start, end, NULL, &r)) != CSC_STATUS_OK ||
            (s = csc_result_numbers(r, &n)) != CSC_STATUS_OK) {
            status = fail(id, s);
            csc_result_free(r);
            break;
        }
        format_value(value, sizeof value, r, &n);
        if (n.has_numerator) snprintf(num, sizeof num, "%llu", (unsigned long long)n.numerator);
        else snprintf(num, sizeof num, "-");
        if (n.has_denominator) snprintf(den, sizeof den, "%llu", (unsigned long long)n.denominator);
        else snprintf(den, sizeof den, "-");
        snprintf(numbers, sizeof numbers, "%s/%s", num, den);
        printf("%-28s %10s %15s  %s\n", id, value, numbers, csc_result_unit(r));
        csc_result_free(r);
    }
    printf("\n%zu data-quality entries in the load report.\n", csc_dataset_issue_count(ds));
    csc_dataset_free(ds);
    return status;
}
