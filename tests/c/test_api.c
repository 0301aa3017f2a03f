/* The API's conventions and its misuse: every documented status for NULLs, bad UTF-8, unknown
 * ids and options, bad dates and periods, indices out of range, a builder in the wrong state,
 * unknown tables and columns, malformed JSON requests; out-parameters untouched on failure;
 * _free(NULL); the last error; the builder (typed structs and rows by name) and the load report
 * on small cases whose answers are known; the population input; the catalogue. It prints a
 * "period_error" and a "catalog" line for the driver to check. */
#include <stdlib.h>
#include <string.h>

#include "common.h"

static int contains(const char *s, const char *part) { return s != NULL && strstr(s, part) != NULL; }

static int32_t day(int y, unsigned m, unsigned d) {
    int32_t out = 0;
    must(csc_day_from_ymd(y, m, d, &out), "csc_day_from_ymd");
    return out;
}

static void versions_and_names(void) {
    char v[64];
    snprintf(v, sizeof v, "%d.%d.%d", CSC_MEASURES_VERSION_MAJOR, CSC_MEASURES_VERSION_MINOR,
             CSC_MEASURES_VERSION_PATCH);
    CHECK(strcmp(v, CSC_MEASURES_VERSION) == 0);
    CHECK(strcmp(csc_version(), CSC_MEASURES_VERSION) == 0);

    CHECK(strcmp(csc_status_str(CSC_STATUS_OK), "ok") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_NULL_ARGUMENT), "null_argument") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_INVALID_UTF8), "invalid_utf8") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_INVALID_ARGUMENT), "invalid_argument") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_PANIC), "panic") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_INVALID_DATE), "invalid_date") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_INVALID_PERIOD), "invalid_period") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_CALENDAR_RANGE), "calendar_range") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_INVALID_INPUT), "invalid_input") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_DATA_QUALITY), "data_quality") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_UNKNOWN_MEASURE), "unknown_measure") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_INVALID_OPTION), "invalid_option") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_IO), "io") == 0);
    CHECK(strcmp(csc_status_str(CSC_STATUS_INVALID_REQUEST), "invalid_request") == 0);
    CHECK(CSC_STATUS_INVALID_DATE == 100 && CSC_STATUS_IO == 107 && CSC_STATUS_PANIC == 4);
    CHECK(CSC_STATUS_INVALID_REQUEST == 108);
    CHECK(strcmp(csc_status_str(99), "unknown") == 0);
    CHECK(strcmp(csc_status_str(100000), "unknown") == 0);
}

static void days(void) {
    int32_t d = 12345, y = 0;
    uint32_t m = 0, dd = 0;
    CHECK_STATUS(csc_day_from_ymd(1970, 1, 1, &d), CSC_STATUS_OK);
    CHECK(d == 0);
    CHECK(strcmp(csc_last_error_message(), "") == 0);
    CHECK_STATUS(csc_day_from_ymd(2024, 2, 29, &d), CSC_STATUS_OK);
    CHECK(d == 19782);
    CHECK_STATUS(csc_day_from_ymd(1969, 12, 31, &d), CSC_STATUS_OK);
    CHECK(d == -1);
    d = 777;
    CHECK_STATUS(csc_day_from_ymd(2023, 2, 29, &d), CSC_STATUS_INVALID_DATE);
    CHECK(d == 777); /* untouched on failure */
    CHECK(contains(csc_last_error_message(), "2023-02-29"));
    CHECK_STATUS(csc_day_from_ymd(10000, 1, 1, &d), CSC_STATUS_INVALID_DATE);
    CHECK_STATUS(csc_day_from_ymd(2024, 13, 1, &d), CSC_STATUS_INVALID_DATE);
    CHECK_STATUS(csc_day_from_ymd(2024, 1, 1, NULL), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "out"));

    CHECK_STATUS(csc_day_to_ymd(19782, &y, &m, &dd), CSC_STATUS_OK);
    CHECK(y == 2024 && m == 2 && dd == 29);
    CHECK_STATUS(csc_day_to_ymd(-719162, &y, &m, &dd), CSC_STATUS_OK);
    CHECK(y == 1 && m == 1 && dd == 1);
    y = 5;
    CHECK_STATUS(csc_day_to_ymd(INT32_MAX, &y, &m, &dd), CSC_STATUS_INVALID_DATE);
    CHECK(y == 5);
    CHECK_STATUS(csc_day_to_ymd(-719163, &y, &m, &dd), CSC_STATUS_INVALID_DATE);
    CHECK_STATUS(csc_day_to_ymd(0, NULL, &m, &dd), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_day_to_ymd(0, &y, NULL, &dd), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_day_to_ymd(0, &y, &m, NULL), CSC_STATUS_NULL_ARGUMENT);
}

static void catalogue(void) {
    size_t i, j, n = csc_measure_count();
    int32_t s = 1, e = 2;
    CHECK(n >= 28); /* 19 of spec 4 and 5, 9 of 4.1; csc_measure_id(n) is NULL, below */
    for (i = 0; i < n; i++) {
        CHECK(csc_measure_id(i) != NULL && csc_measure_title(i) != NULL);
        for (j = 0; j < i; j++) CHECK(strcmp(csc_measure_id(i), csc_measure_id(j)) != 0);
    }
    CHECK(strcmp(csc_measure_id(0), "referrals") == 0);
    CHECK(csc_measure_id(n) == NULL && csc_measure_title(n) == NULL);
    CHECK(csc_measure_id((size_t)-1) == NULL);
    /* the same pointer every time: static strings */
    CHECK(csc_measure_id(3) == csc_measure_id(3));

    CHECK_STATUS(csc_scorecard_period("adoption_a1", 2024, &s, &e), CSC_STATUS_OK);
    CHECK(s == day(2021, 4, 1) && e == day(2024, 3, 31));
    CHECK_STATUS(csc_scorecard_period("referrals", 2024, &s, &e), CSC_STATUS_OK);
    CHECK(s == day(2023, 4, 1) && e == day(2024, 3, 31));
    s = 1;
    CHECK_STATUS(csc_scorecard_period("referral", 2024, &s, &e), CSC_STATUS_UNKNOWN_MEASURE);
    CHECK(s == 1);
    CHECK_STATUS(csc_scorecard_period(NULL, 2024, &s, &e), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_scorecard_period("referrals", 2024, NULL, &e), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_scorecard_period("referrals", 100000, &s, &e), CSC_STATUS_INVALID_PERIOD);
}

static void frees_of_null(void) {
    csc_dataset_free(NULL);
    csc_result_free(NULL);
    csc_result_list_free(NULL);
    csc_options_free(NULL);
    csc_builder_free(NULL);
    csc_string_free(NULL);
}

static void options(void) {
    csc_options *o = csc_options_new();
    CHECK(o != NULL);
    CHECK_STATUS(csc_options_set(o, "working_days", "networkdays"), CSC_STATUS_OK);
    CHECK_STATUS(csc_options_set(o, "assessment_limit_wd", "40"), CSC_STATUS_OK);
    CHECK_STATUS(csc_options_set(o, "assessment_limit", "40"), CSC_STATUS_INVALID_OPTION);
    CHECK(contains(csc_last_error_message(), "assessment_limit"));
    CHECK(contains(csc_last_error_message(), "working_days")); /* the core lists the options */
    CHECK_STATUS(csc_options_set(o, "assessment_limit_wd", "forty"), CSC_STATUS_INVALID_OPTION);
    CHECK(contains(csc_last_error_message(), "forty"));
    CHECK_STATUS(csc_options_set(o, "unit", "kittens"), CSC_STATUS_INVALID_OPTION);
    CHECK_STATUS(csc_options_set(NULL, "unit", "plans"), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_options_set(o, NULL, "plans"), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "key"));
    CHECK_STATUS(csc_options_set(o, "unit", NULL), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_options_set(o, "unit", "pl\xff" "ans"), CSC_STATUS_INVALID_UTF8);
    CHECK(contains(csc_last_error_message(), "value"));
    CHECK_STATUS(csc_options_set(o, "unit", "children"), CSC_STATUS_OK);
    CHECK(strcmp(csc_last_error_message(), "") == 0);
    csc_options_free(o);
}

/* The README's record: an open episode followed by a move, built from C. */
static void builder_repairs_and_report(void) {
    csc_builder *b = csc_builder_new();
    csc_dataset *ds = NULL;
    csc_care_episode e;
    csc_summary s;
    csc_issue it;
    csc_result *r = NULL;
    csc_numbers n;
    int32_t start = day(2023, 4, 1), end = day(2024, 3, 31);

    CHECK_STATUS(csc_builder_begin_ssda903(b, 2024), CSC_STATUS_OK);
    memset(&e, 0, sizeof e);
    e.child = "0042";
    e.decom = day(2023, 5, 1);
    e.rne = "S";
    e.ls = "C2";
    e.place = "U1";
    CHECK_STATUS(csc_builder_add_care_episode(b, &e), CSC_STATUS_OK);
    e.decom = day(2023, 9, 1);
    e.rne = "P";
    e.place = "U4";
    CHECK_STATUS(csc_builder_add_care_episode(b, &e), CSC_STATUS_OK);
    CHECK_STATUS(csc_builder_build(b, false, &ds), CSC_STATUS_OK);

    CHECK_STATUS(csc_dataset_summary(ds, &s), CSC_STATUS_OK);
    CHECK(s.children == 1 && s.care_episodes == 2 && s.placements == 2 && s.periods_of_care == 1);
    CHECK(s.issues == csc_dataset_issue_count(ds) && s.issues >= 1);
    CHECK_STATUS(csc_dataset_issue(ds, 0, &it), CSC_STATUS_OK);
    CHECK(strcmp(it.code, "open_episode_closed") == 0);
    CHECK(strcmp(it.severity, "repair") == 0);
    CHECK(it.child != NULL && strcmp(it.child, "0042") == 0); /* leading zeros kept */
    CHECK(it.has_record && it.record == day(2023, 5, 1));
    CHECK(it.message != NULL && it.message[0] != '\0');
    /* rows added in code are located at builder/<TABLE>, line = the row's number in that table */
    CHECK(it.file != NULL && strcmp(it.file, "builder/Episodes") == 0);
    CHECK(it.has_line && it.line == 1 && it.column == NULL && it.value == NULL);
    /* the same strings on a second call: they belong to the dataset */
    {
        csc_issue again;
        CHECK_STATUS(csc_dataset_issue(ds, 0, &again), CSC_STATUS_OK);
        CHECK(again.message == it.message && again.code == it.code);
    }
    it.code = "sentinel";
    CHECK_STATUS(csc_dataset_issue(ds, s.issues, &it), CSC_STATUS_INVALID_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "out of range"));
    CHECK(strcmp(it.code, "sentinel") == 0);
    CHECK_STATUS(csc_dataset_issue(ds, 0, NULL), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_dataset_issue(NULL, 0, &it), CSC_STATUS_NULL_ARGUMENT);
    CHECK(csc_dataset_issue_count(NULL) == 0);
    CHECK_STATUS(csc_dataset_summary(NULL, &s), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_dataset_summary(ds, NULL), CSC_STATUS_NULL_ARGUMENT);
    {
        int32_t y = 0;
        CHECK_STATUS(csc_dataset_latest_year(ds, &y), CSC_STATUS_OK);
        CHECK(y == 2024);
    }

    CHECK_STATUS(csc_compute(ds, "cla_at_end", start, end, NULL, &r), CSC_STATUS_OK);
    CHECK_STATUS(csc_result_numbers(r, &n), CSC_STATUS_OK);
    CHECK(n.has_numerator && n.numerator == 1 && !n.has_denominator && n.has_value && n.value == 1.0);
    CHECK(strcmp(csc_result_value_kind(r), "count") == 0);
    CHECK(strcmp(csc_result_unit(r), "children") == 0);
    CHECK(strcmp(csc_result_polarity(r), "neither") == 0);
    CHECK(csc_result_row_count(r) == 1);
    {
        csc_row row;
        const char *w = "sentinel";
        const char *reason = "sentinel";
        uint64_t count = 9;
        CHECK_STATUS(csc_result_row(r, 0, &row), CSC_STATUS_OK);
        CHECK(strcmp(row.child, "0042") == 0 && row.in_numerator && row.reason == NULL);
        CHECK_STATUS(csc_result_row(r, 1, &row), CSC_STATUS_INVALID_ARGUMENT);
        CHECK_STATUS(csc_result_row(r, 0, NULL), CSC_STATUS_NULL_ARGUMENT);
        CHECK_STATUS(csc_result_warning(r, csc_result_warning_count(r), &w), CSC_STATUS_INVALID_ARGUMENT);
        CHECK(strcmp(w, "sentinel") == 0);
        CHECK_STATUS(csc_result_excluded(r, 0, &reason, &count), CSC_STATUS_INVALID_ARGUMENT);
        CHECK(count == 9 && strcmp(reason, "sentinel") == 0);
        CHECK_STATUS(csc_result_excluded(r, 0, NULL, &count), CSC_STATUS_NULL_ARGUMENT);
    }
    csc_result_free(r);
    csc_dataset_free(ds);
}

static void builder_misuse(void) {
    csc_builder *b = csc_builder_new();
    csc_dataset *ds = NULL, *sentinel = (csc_dataset *)&b;
    csc_cin_episode ep;
    csc_assessment a;
    csc_cp_plan p;
    csc_care_episode ce;
    const char *factors[2] = {"1A", NULL};

    memset(&ep, 0, sizeof ep);
    ep.child = "A";
    ep.referral_date = day(2023, 6, 1);
    /* no return begun */
    CHECK_STATUS(csc_builder_add_cin_episode(b, &ep), CSC_STATUS_INVALID_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "csc_builder_begin_cin"));
    CHECK_STATUS(csc_builder_add_cin_episode(NULL, &ep), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_builder_add_cin_episode(b, NULL), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "record"));
    CHECK_STATUS(csc_builder_begin_cin(NULL, 2024), CSC_STATUS_NULL_ARGUMENT);
    /* a CIN record in an SSDA903 return, and the other way round */
    CHECK_STATUS(csc_builder_begin_ssda903(b, 2024), CSC_STATUS_OK);
    CHECK_STATUS(csc_builder_add_cin_episode(b, &ep), CSC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(csc_builder_begin_cin(b, 2024), CSC_STATUS_OK);
    memset(&ce, 0, sizeof ce);
    ce.child = "A";
    ce.decom = day(2023, 6, 1);
    CHECK_STATUS(csc_builder_add_care_episode(b, &ce), CSC_STATUS_INVALID_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "csc_builder_begin_ssda903"));
    /* fields: a date out of range names its field; bad UTF-8; an array NULL with a length */
    ep.referral_date = INT32_MIN;
    CHECK_STATUS(csc_builder_add_cin_episode(b, &ep), CSC_STATUS_INVALID_DATE);
    CHECK(contains(csc_last_error_message(), "csc_cin_episode.referral_date"));
    ep.referral_date = day(2023, 6, 1);
    ep.closure_date = INT32_MAX; /* ignored: has_closure_date is false */
    ep.child = "\xc3\x28";
    CHECK_STATUS(csc_builder_add_cin_episode(b, &ep), CSC_STATUS_INVALID_UTF8);
    CHECK(contains(csc_last_error_message(), "csc_cin_episode.child"));
    ep.child = "A";
    CHECK_STATUS(csc_builder_add_cin_episode(b, &ep), CSC_STATUS_OK);
    memset(&a, 0, sizeof a);
    a.child = "A";
    a.episode_referral_date = ep.referral_date;
    a.start_date = day(2023, 6, 2);
    a.has_start_date = true;
    a.n_factors = 2;
    CHECK_STATUS(csc_builder_add_assessment(b, &a), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "factors"));
    a.factors = factors;
    CHECK_STATUS(csc_builder_add_assessment(b, &a), CSC_STATUS_NULL_ARGUMENT); /* factors[1] */
    CHECK(contains(csc_last_error_message(), "factors[1]"));
    a.n_factors = 1;
    CHECK_STATUS(csc_builder_add_assessment(b, &a), CSC_STATUS_OK);
    a.n_factors = 0;
    a.factors = NULL; /* NULL with 0 is an empty list */
    a.start_date = day(2023, 6, 9);
    CHECK_STATUS(csc_builder_add_assessment(b, &a), CSC_STATUS_OK);
    memset(&p, 0, sizeof p);
    p.child = "A";
    p.episode_referral_date = ep.referral_date;
    p.n_review_dates = 1;
    CHECK_STATUS(csc_builder_add_cp_plan(b, &p), CSC_STATUS_NULL_ARGUMENT);
    /* a row without a child: skipped and reported when lenient, an error when strict */
    memset(&ep, 0, sizeof ep);
    ep.referral_date = day(2023, 7, 1);
    CHECK_STATUS(csc_builder_add_cin_episode(b, &ep), CSC_STATUS_OK);

    /* build with a NULL out: an error, and the builder is consumed all the same */
    CHECK_STATUS(csc_builder_build(b, false, NULL), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_builder_build(NULL, false, &ds), CSC_STATUS_NULL_ARGUMENT);

    b = csc_builder_new();
    CHECK_STATUS(csc_builder_begin_cin(b, 2024), CSC_STATUS_OK);
    CHECK_STATUS(csc_builder_add_cin_episode(b, &ep), CSC_STATUS_OK);
    ds = sentinel;
    CHECK_STATUS(csc_builder_build(b, true, &ds), CSC_STATUS_DATA_QUALITY);
    CHECK(ds == sentinel);
    CHECK(contains(csc_last_error_message(), "missing_identifier"));

    b = csc_builder_new();
    CHECK_STATUS(csc_builder_begin_cin(b, 2024), CSC_STATUS_OK);
    CHECK_STATUS(csc_builder_add_cin_episode(b, &ep), CSC_STATUS_OK);
    CHECK_STATUS(csc_builder_build(b, false, &ds), CSC_STATUS_OK);
    {
        csc_issue it;
        CHECK(csc_dataset_issue_count(ds) == 1);
        CHECK_STATUS(csc_dataset_issue(ds, 0, &it), CSC_STATUS_OK);
        CHECK(strcmp(it.code, "missing_identifier") == 0 && strcmp(it.severity, "skipped") == 0);
        CHECK(it.child == NULL);
        /* read by the row rules, as a file's row: located, the column named */
        CHECK(it.file != NULL && strcmp(it.file, "builder/CINdetails") == 0);
        CHECK(it.has_line && it.line == 1);
        CHECK(it.column != NULL && strcmp(it.column, "LAchildID") == 0);
    }
    csc_dataset_free(ds);

    /* an empty builder builds an empty dataset with no collection year */
    b = csc_builder_new();
    CHECK_STATUS(csc_builder_build(b, false, &ds), CSC_STATUS_OK);
    {
        int32_t y = 7;
        CHECK_STATUS(csc_dataset_latest_year(ds, &y), CSC_STATUS_INVALID_PERIOD);
        CHECK(y == 7);
    }
    csc_dataset_free(ds);
    /* freed without building */
    b = csc_builder_new();
    CHECK_STATUS(csc_builder_begin_cin(b, 0), CSC_STATUS_OK);
    csc_builder_free(b);
}

/* The issue of the load report with `code` at `file`:`line`, or -1. */
static long find_issue(const csc_dataset *ds, const char *code, const char *file, unsigned line) {
    size_t i;
    for (i = 0; i < csc_dataset_issue_count(ds); i++) {
        csc_issue it;
        must(csc_dataset_issue(ds, i, &it), "csc_dataset_issue");
        if (strcmp(it.code, code) == 0 && it.file != NULL && strcmp(it.file, file) == 0 &&
            it.has_line && it.line == line)
            return (long)i;
    }
    return -1;
}

/* csc_builder_add_row: any table by name, columns by their official names, values as text. */
static void rows_by_name(void) {
    csc_builder *b = csc_builder_new();
    csc_dataset *ds = NULL;
    csc_summary s;
    csc_issue it;
    csc_care_episode ce;
    long k;
    const char *cols[4] = {"CHILD", "DECOM", "RNE", "PLACE"};
    const char *vals[4] = {"C1", "01/05/2023", "S", "U1"};
    const char *bad_cols[2] = {"CHILD", "DECOMM"};
    const char *null_col[2] = {"CHILD", NULL};
    const char *bad_utf8[2] = {"C1", "\xff"};

    /* no return begun */
    CHECK_STATUS(csc_builder_add_row(b, "Episodes", cols, vals, 4), CSC_STATUS_INVALID_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "csc_builder_begin_ssda903"));
    CHECK_STATUS(csc_builder_begin_ssda903(b, 2024), CSC_STATUS_OK);
    CHECK_STATUS(csc_builder_add_row(NULL, "Episodes", cols, vals, 4), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_builder_add_row(b, NULL, cols, vals, 4), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "table"));
    /* a table that is not the return's names the tables it could be */
    CHECK_STATUS(csc_builder_add_row(b, "Episode", cols, vals, 4), CSC_STATUS_INVALID_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "\"Episode\""));
    CHECK(contains(csc_last_error_message(), "SWEpisodes"));
    CHECK_STATUS(csc_builder_add_row(b, "CINdetails", cols, vals, 4), CSC_STATUS_INVALID_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "CIN census"));
    /* an unknown column names itself and the table's columns */
    CHECK_STATUS(csc_builder_add_row(b, "Episodes", bad_cols, vals, 2), CSC_STATUS_INVALID_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "DECOMM"));
    CHECK(contains(csc_last_error_message(), "PLACE_PROVIDER"));
    CHECK_STATUS(csc_builder_add_row(b, "Episodes", null_col, vals, 2), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "columns[1]"));
    CHECK_STATUS(csc_builder_add_row(b, "Episodes", NULL, vals, 4), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_builder_add_row(b, "Episodes", cols, NULL, 4), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "values"));
    CHECK_STATUS(csc_builder_add_row(b, "Episodes", cols, bad_utf8, 2), CSC_STATUS_INVALID_UTF8);
    CHECK(contains(csc_last_error_message(), "values[1]"));

    /* row 1: DD/MM/YYYY; row 2: ISO, an alias in another case, columns in another case */
    CHECK_STATUS(csc_builder_add_row(b, "Episodes", cols, vals, 4), CSC_STATUS_OK);
    {
        const char *c2[4] = {"child", "decom", "rne", "place"};
        const char *v2[4] = {"C1", "2023-09-01", "P", "U4"};
        CHECK_STATUS(csc_builder_add_row(b, "episodes", c2, v2, 4), CSC_STATUS_OK);
    }
    /* row 3: an unreadable date of the row: skipped and reported, not an error */
    {
        const char *v3[2] = {"C2", "31/02/2024"};
        CHECK_STATUS(csc_builder_add_row(b, "Episodes", cols, v3, 2), CSC_STATUS_OK);
    }
    /* row 4: a NULL child is blank: skipped */
    {
        const char *v4[2] = {NULL, "01/06/2023"};
        CHECK_STATUS(csc_builder_add_row(b, "Episodes", cols, v4, 2), CSC_STATUS_OK);
    }
    /* row 5: a typed struct counts among the table's rows */
    memset(&ce, 0, sizeof ce);
    ce.child = "C3";
    ce.decom = day(2023, 7, 1);
    ce.rne = "S";
    ce.place = "U1";
    CHECK_STATUS(csc_builder_add_care_episode(b, &ce), CSC_STATUS_OK);
    /* tables without a typed struct: Header, Reviews, OC2 (all blank: no row) */
    {
        const char *hc[3] = {"CHILD", "SEX", "DOB"};
        const char *hv[3] = {"C1", "1", "2010-01-01"};
        const char *rc[3] = {"CHILD", "REVIEW", "REVIEW_CODE"};
        const char *rv[3] = {"C1", "01/06/2023", "PN1"};
        const char *oc[2] = {"CHILD", "DOB"};
        const char *ov[2] = {"C1", "01/01/2010"};
        CHECK_STATUS(csc_builder_add_row(b, "Header", hc, hv, 3), CSC_STATUS_OK);
        CHECK_STATUS(csc_builder_add_row(b, "Reviews", rc, rv, 3), CSC_STATUS_OK);
        CHECK_STATUS(csc_builder_add_row(b, "OC2", oc, ov, 2), CSC_STATUS_OK);
    }
    CHECK_STATUS(csc_builder_build(b, false, &ds), CSC_STATUS_OK);
    CHECK_STATUS(csc_dataset_summary(ds, &s), CSC_STATUS_OK);
    CHECK(s.care_episodes == 3);
    k = find_issue(ds, "unreadable_date", "builder/Episodes", 3);
    CHECK(k >= 0);
    if (k >= 0) {
        must(csc_dataset_issue(ds, (size_t)k, &it), "csc_dataset_issue");
        CHECK(it.column != NULL && strcmp(it.column, "DECOM") == 0);
        CHECK(it.value != NULL && strcmp(it.value, "31/02/2024") == 0);
        CHECK(it.child != NULL && strcmp(it.child, "C2") == 0);
    }
    CHECK(find_issue(ds, "missing_identifier", "builder/Episodes", 4) >= 0);
    CHECK(find_issue(ds, "blank_row", "builder/OC2", 1) >= 0);
    {
        int32_t start = day(2023, 4, 1), end = day(2024, 3, 31);
        csc_result *r = NULL;
        csc_numbers n;
        CHECK_STATUS(csc_compute(ds, "cla_at_end", start, end, NULL, &r), CSC_STATUS_OK);
        CHECK_STATUS(csc_result_numbers(r, &n), CSC_STATUS_OK);
        CHECK(n.has_numerator && n.numerator == 2); /* C1 and C3 */
        csc_result_free(r);
    }
    csc_dataset_free(ds);

    /* strict: the first row the rules skip stops the build, located */
    b = csc_builder_new();
    CHECK_STATUS(csc_builder_begin_ssda903(b, 2024), CSC_STATUS_OK);
    {
        const char *v[2] = {"C2", "2024-02-30"};
        CHECK_STATUS(csc_builder_add_row(b, "Episodes", cols, v, 2), CSC_STATUS_OK);
    }
    ds = (csc_dataset *)&b;
    CHECK_STATUS(csc_builder_build(b, true, &ds), CSC_STATUS_DATA_QUALITY);
    CHECK(ds == (csc_dataset *)&b);
    CHECK(contains(csc_last_error_message(), "unreadable_date"));
    CHECK(contains(csc_last_error_message(), "builder/Episodes:1"));

    /* a CIN census return: nested tables name their episode by CINreferralDate; a set of codes
       is its column repeated */
    b = csc_builder_new();
    CHECK_STATUS(csc_builder_begin_cin(b, 2024), CSC_STATUS_OK);
    {
        const char *ec[2] = {"LAchildID", "CINreferralDate"};
        const char *ev[2] = {"A", "2023-06-01"};
        const char *ac[6] = {"LAchildID", "CINreferralDate", "AssessmentActualStartDate",
                             "AssessmentAuthorisationDate", "AssessmentFactors", "AssessmentFactors"};
        const char *av[6] = {"A", "2023-06-01", "2023-06-02", "2023-06-20", "1a", "2B"};
        int32_t start = day(2023, 4, 1), end = day(2024, 3, 31);
        csc_result *r = NULL;
        csc_numbers n;
        CHECK_STATUS(csc_builder_add_row(b, "CINdetails", ec, ev, 2), CSC_STATUS_OK);
        CHECK_STATUS(csc_builder_add_row(b, "Assessments", ac, av, 6), CSC_STATUS_OK);
        CHECK_STATUS(csc_builder_add_row(b, "Episodes", ec, ev, 2), CSC_STATUS_INVALID_ARGUMENT);
        CHECK(contains(csc_last_error_message(), "SSDA903"));
        CHECK_STATUS(csc_builder_build(b, false, &ds), CSC_STATUS_OK);
        CHECK(csc_dataset_issue_count(ds) == 0);
        CHECK_STATUS(csc_compute(ds, "assessments_45wd", start, end, NULL, &r), CSC_STATUS_OK);
        CHECK_STATUS(csc_result_numbers(r, &n), CSC_STATUS_OK);
        CHECK(n.has_numerator && n.numerator == 1 && n.has_denominator && n.denominator == 1);
        csc_result_free(r);
        csc_dataset_free(ds);
    }
}

/* The population input: rates per 10,000 children in the extras. */
static void population(const csc_dataset *ds) {
    csc_options *o = csc_options_new();
    csc_result *r = NULL;
    char *json = NULL;
    CHECK_STATUS(csc_options_set_population(NULL, 2023, 1), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_options_set_population(o, 1800, 1), CSC_STATUS_INVALID_INPUT);
    CHECK(contains(csc_last_error_message(), "population_invalid"));
    CHECK_STATUS(csc_options_set_population(o, 2023, 63051), CSC_STATUS_OK);
    CHECK_STATUS(csc_options_set_population(o, 2023, 63051), CSC_STATUS_OK); /* the same again */
    CHECK_STATUS(csc_options_set_population(o, 2023, 64000), CSC_STATUS_INVALID_INPUT);
    CHECK(contains(csc_last_error_message(), "population_conflict"));
    CHECK_STATUS(csc_compute(ds, "referrals", day(2023, 4, 1), day(2024, 3, 31), o, &r), CSC_STATUS_OK);
    CHECK_STATUS(csc_result_to_json(r, &json), CSC_STATUS_OK);
    CHECK(contains(json, "\"population\":63051") && contains(json, "\"population_year\":2023"));
    CHECK(contains(json, "\"rate_per_10000\":"));
    csc_string_free(json);
    csc_result_free(r);
    csc_options_free(o);
}

/* The catalogue as JSON; the driver checks that it lists every measure, option and table. */
static void catalog(void) {
    char *json = NULL;
    CHECK_STATUS(csc_catalog_json(NULL), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_catalog_json(&json), CSC_STATUS_OK);
    CHECK(contains(json, "\"measures\":[") && contains(json, "\"options\":[") &&
          contains(json, "\"tables\":["));
    printf("catalog");
    put_text(stdout, json);
    printf("\n");
    csc_string_free(json);
}

static void computing(const csc_dataset *ds) {
    int32_t start = day(2023, 4, 1), end = day(2024, 3, 31);
    csc_result *r = NULL, *sentinel = (csc_result *)&start;
    csc_result_list *list = NULL;
    const char *ids[3] = {"cla_at_end", "referrals", "referrals"};
    const char *bad_ids[2] = {"referrals", NULL};

    r = sentinel;
    CHECK_STATUS(csc_compute(NULL, "referrals", start, end, NULL, &r), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "ds"));
    CHECK_STATUS(csc_compute(ds, NULL, start, end, NULL, &r), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_compute(ds, "referrals", start, end, NULL, NULL), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_compute(ds, "re\xff", start, end, NULL, &r), CSC_STATUS_INVALID_UTF8);
    CHECK(contains(csc_last_error_message(), "measure_id"));
    CHECK_STATUS(csc_compute(ds, "referral", start, end, NULL, &r), CSC_STATUS_UNKNOWN_MEASURE);
    CHECK(contains(csc_last_error_message(), "unknown measure"));
    CHECK(contains(csc_last_error_message(), "assessments_45wd")); /* the core lists the ids */
    CHECK_STATUS(csc_compute(ds, "referrals", end, start, NULL, &r), CSC_STATUS_INVALID_PERIOD);
    CHECK_STATUS(csc_compute(ds, "referrals", INT32_MIN, end, NULL, &r), CSC_STATUS_INVALID_DATE);
    CHECK(contains(csc_last_error_message(), "start_day"));
    CHECK_STATUS(csc_compute(ds, "referrals", start, 2932897, NULL, &r), CSC_STATUS_INVALID_DATE);
    CHECK(r == sentinel); /* never written on failure */

    CHECK_STATUS(csc_compute(ds, "referrals", start, start, NULL, &r), CSC_STATUS_OK);
    CHECK(r != sentinel && r != NULL);
    CHECK(strcmp(csc_last_error_message(), "") == 0);
    {
        int32_t s = 0, e = 0;
        CHECK_STATUS(csc_result_period(r, &s, &e), CSC_STATUS_OK);
        CHECK(s == start && e == start);
    }
    csc_result_free(r);

    CHECK_STATUS(csc_compute_many(ds, NULL, 3, start, end, NULL, &list), CSC_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(csc_compute_many(ds, bad_ids, 2, start, end, NULL, &list), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "measure_ids[1]"));
    bad_ids[1] = "nope";
    CHECK_STATUS(csc_compute_many(ds, bad_ids, 2, start, end, NULL, &list), CSC_STATUS_UNKNOWN_MEASURE);
    CHECK(list == NULL);
    CHECK_STATUS(csc_compute_many(ds, ids, 3, start, end, NULL, &list), CSC_STATUS_OK);
    CHECK(csc_result_list_count(list) == 2); /* registry order, without repeats */
    {
        const csc_result *a = NULL, *c = NULL, *none = (const csc_result *)&start;
        CHECK_STATUS(csc_result_list_get(list, 0, &a), CSC_STATUS_OK);
        CHECK_STATUS(csc_result_list_get(list, 1, &c), CSC_STATUS_OK);
        CHECK(strcmp(csc_result_id(a), "referrals") == 0);
        CHECK(strcmp(csc_result_id(c), "cla_at_end") == 0);
        CHECK_STATUS(csc_result_list_get(list, 2, &none), CSC_STATUS_INVALID_ARGUMENT);
        CHECK(none == (const csc_result *)&start);
        CHECK_STATUS(csc_result_list_get(NULL, 0, &none), CSC_STATUS_NULL_ARGUMENT);
    }
    csc_result_list_free(list);
    list = NULL;
    CHECK_STATUS(csc_compute_many(ds, NULL, 0, start, end, NULL, &list), CSC_STATUS_OK);
    CHECK(csc_result_list_count(list) == csc_measure_count());
    csc_result_list_free(list);
    CHECK(csc_result_list_count(NULL) == 0);

    /* accessors on NULL */
    {
        csc_numbers n;
        char *json = NULL;
        int32_t s;
        CHECK(csc_result_id(NULL) == NULL && csc_result_title(NULL) == NULL);
        CHECK(csc_result_unit(NULL) == NULL && csc_result_polarity(NULL) == NULL);
        CHECK(csc_result_value_kind(NULL) == NULL);
        CHECK(csc_result_row_count(NULL) == 0 && csc_result_warning_count(NULL) == 0);
        CHECK(csc_result_excluded_count(NULL) == 0);
        CHECK_STATUS(csc_result_numbers(NULL, &n), CSC_STATUS_NULL_ARGUMENT);
        CHECK_STATUS(csc_result_to_json(NULL, &json), CSC_STATUS_NULL_ARGUMENT);
        CHECK(json == NULL);
        CHECK_STATUS(csc_result_period(NULL, &s, &s), CSC_STATUS_NULL_ARGUMENT);
    }

    /* a result with exclusions, warnings and a JSON object */
    {
        csc_options *o = csc_options_new();
        char *json = NULL;
        size_t i;
        int found_assessment = 0;
        CHECK_STATUS(csc_options_set(o, "assessment_limit_wd", "20"), CSC_STATUS_OK);
        CHECK_STATUS(csc_compute(ds, "assessments_45wd", start, end, o, &r), CSC_STATUS_OK);
        CHECK(strcmp(csc_result_value_kind(r), "percentage") == 0);
        CHECK(strcmp(csc_result_polarity(r), "higher") == 0);
        CHECK_STATUS(csc_result_to_json(r, &json), CSC_STATUS_OK);
        CHECK(contains(json, "\"id\":\"assessments_45wd\""));
        CHECK(contains(json, "\"assessment_limit_wd\":20"));
        csc_string_free(json);
        for (i = 0; i < csc_result_row_count(r); i++) {
            csc_row row;
            CHECK_STATUS(csc_result_row(r, i, &row), CSC_STATUS_OK);
            if (row.in_denominator) found_assessment = 1;
            CHECK(!(row.in_numerator && !row.in_denominator));
        }
        CHECK(found_assessment);
        csc_result_free(r);
        csc_options_free(o);
    }
}

static void loading(void) {
    csc_dataset *ds = NULL, *sentinel = (csc_dataset *)&ds;
    const char *missing[1] = {"/no/such/dir/cin.xml"};
    const char *bad_year[1] = {"202=cin.xml"};
    const char *null_path[1] = {NULL};
    const char *bad_utf8[1] = {"\xff.xml"};

    ds = sentinel;
    CHECK_STATUS(csc_dataset_load(missing, 1, NULL, 0, false, &ds), CSC_STATUS_IO);
    CHECK(contains(csc_last_error_message(), "/no/such/dir/cin.xml"));
    CHECK_STATUS(csc_dataset_load(NULL, 0, missing, 1, false, &ds), CSC_STATUS_IO);
    CHECK_STATUS(csc_dataset_load(bad_year, 1, NULL, 0, false, &ds), CSC_STATUS_INVALID_INPUT);
    CHECK_STATUS(csc_dataset_load(NULL, 1, NULL, 0, false, &ds), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "cin_paths"));
    CHECK_STATUS(csc_dataset_load(null_path, 1, NULL, 0, false, &ds), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "cin_paths[0]"));
    CHECK_STATUS(csc_dataset_load(NULL, 0, bad_utf8, 1, false, &ds), CSC_STATUS_INVALID_UTF8);
    CHECK(contains(csc_last_error_message(), "ssda903_paths[0]"));
    CHECK_STATUS(csc_dataset_load(NULL, 0, NULL, 0, false, NULL), CSC_STATUS_NULL_ARGUMENT);
    CHECK(ds == sentinel);
    /* no inputs at all: an empty dataset */
    CHECK_STATUS(csc_dataset_load(NULL, 0, NULL, 0, true, &ds), CSC_STATUS_OK);
    CHECK(ds != sentinel && csc_dataset_issue_count(ds) == 0);
    csc_dataset_free(ds);

    CHECK_STATUS(csc_dataset_sample(50, 1, NULL), CSC_STATUS_NULL_ARGUMENT);
    /* the sample is made in memory: at most 5,000,000 children, as on every surface */
    ds = sentinel;
    CHECK_STATUS(csc_dataset_sample(5000001, 1, &ds), CSC_STATUS_INVALID_REQUEST);
    CHECK(ds == sentinel && contains(csc_last_error_message(), "5000000"));
}

static void json_entry_point(void) {
    char *resp = NULL;
    char *sentinel = (char *)&resp;

    CHECK_STATUS(csc_compute_json(NULL, &resp), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(resp, "\"error\"") && contains(resp, "\"code\":1"));
    CHECK(contains(resp, "\"kind\":\"null_argument\""));
    csc_string_free(resp);
    CHECK_STATUS(csc_compute_json("{}", NULL), CSC_STATUS_NULL_ARGUMENT);

    /* a malformed request: not JSON, not of the request's shape, or parts that exclude each other */
    resp = NULL;
    CHECK_STATUS(csc_compute_json("{\"year\": 2024,", &resp), CSC_STATUS_INVALID_REQUEST);
    CHECK(contains(resp, "\"code\":108") && contains(resp, "\"kind\":\"invalid_request\""));
    CHECK(contains(csc_last_error_message(), "not a valid request"));
    csc_string_free(resp);

    resp = NULL;
    CHECK_STATUS(csc_compute_json("{\"yeer\": 2024}", &resp), CSC_STATUS_INVALID_REQUEST);
    CHECK(contains(resp, "yeer"));
    csc_string_free(resp);

    resp = NULL;
    CHECK_STATUS(csc_compute_json("[2024]", &resp), CSC_STATUS_INVALID_REQUEST);
    csc_string_free(resp);

    /* the driver compares this message with the request layer's (the same on every surface) */
    resp = NULL;
    CHECK_STATUS(csc_compute_json("{\"year\": 2024, \"start\": \"2023-04-01\", \"end\": \"2024-03-31\"}",
                                  &resp),
                 CSC_STATUS_INVALID_REQUEST);
    printf("period_error");
    put_text(stdout, csc_last_error_message());
    put_text(stdout, resp);
    printf("\n");
    csc_string_free(resp);

    resp = NULL;
    CHECK_STATUS(csc_compute_json("{\"sample\": {\"children\": 20}, \"measures\": [\"nope\"]}", &resp),
                 CSC_STATUS_UNKNOWN_MEASURE);
    CHECK(contains(resp, "\"code\":105") && contains(resp, "\"kind\":\"unknown_measure\""));
    CHECK(contains(csc_last_error_message(), "nope"));
    csc_string_free(resp);

    resp = NULL;
    CHECK_STATUS(csc_compute_json("{\"sample\": {\"children\": 20}, \"options\": {\"unit\": \"x\"}}", &resp),
                 CSC_STATUS_INVALID_OPTION);
    csc_string_free(resp);

    resp = NULL;
    CHECK_STATUS(csc_compute_json("{\"sample\": {\"children\": 20}, \"start\": \"2024-04-01\", \"end\": \"2024-03-31\"}",
                                  &resp),
                 CSC_STATUS_INVALID_PERIOD);
    csc_string_free(resp);

    resp = NULL;
    CHECK_STATUS(csc_compute_json("{\"cin\": [\"/no/such/cin.xml\"]}", &resp), CSC_STATUS_IO);
    CHECK(contains(resp, "\"code\":107"));
    csc_string_free(resp);

    resp = sentinel;
    CHECK_STATUS(csc_compute_json("{\"year\": \xff}", &resp), CSC_STATUS_INVALID_UTF8);
    CHECK(resp != sentinel && contains(resp, "invalid_utf8"));
    csc_string_free(resp);

    resp = NULL;
    CHECK_STATUS(csc_compute_json("{\"sample\": {\"children\": 30, \"seed\": 3}, \"year\": 2024, "
                                  "\"measures\": [\"referrals\"], \"records\": true}",
                                  &resp),
                 CSC_STATUS_OK);
    {
        const char *head = "{\"period\":{\"start\":\"2023-04-01\",\"end\":\"2024-03-31\"}";
        CHECK(strncmp(resp, head, strlen(head)) == 0);
    }
    CHECK(contains(resp, "\"measures\":[{\"id\":\"referrals\""));
    CHECK(contains(resp, "\"data_quality\":["));
    CHECK(contains(resp, "\"records\":["));
    CHECK(strcmp(csc_last_error_message(), "") == 0);
    csc_string_free(resp);
}

/* A series request: its response carries the long table ("rows"); the driver checks it against
 * the request layer's. */
static const char SERIES_REQUEST[] =
    "{\"sample\": {\"children\": 300}, \"series\": \"quarters\", \"start\": \"2023-04\", "
    "\"end\": \"2024-03\", \"measures\": [\"referrals\", \"assessments_45wd\"]}";

static void series_request(void) {
    char *resp = NULL;
    CHECK_STATUS(csc_compute_json(SERIES_REQUEST, &resp), CSC_STATUS_OK);
    CHECK(contains(resp, "\"rows\":[") && contains(resp, "\"bands.same_day\":"));
    printf("series");
    put_text(stdout, SERIES_REQUEST);
    put_text(stdout, resp);
    printf("\n");
    csc_string_free(resp);
}

int main(void) {
    csc_dataset *ds = NULL;
    versions_and_names();
    days();
    catalogue();
    frees_of_null();
    options();
    builder_repairs_and_report();
    builder_misuse();
    rows_by_name();
    catalog();
    loading();
    json_entry_point();
    series_request();
    must(csc_dataset_sample(300, 42, &ds), "csc_dataset_sample");
    computing(ds);
    population(ds);
    csc_dataset_free(ds);
    printf("api\tfailures\t%d\n", check_failures);
    return check_failures == 0 ? 0 : 1;
}
