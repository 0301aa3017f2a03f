/* Runs golden cases through the builder API: reads a script of records (written by the Rust
 * driver from tests/golden/<measure>.toml), adds each record with csc_builder_add_*, builds the
 * dataset, computes, and prints the result for the driver to compare with the golden
 * expectations.
 *
 *   test_golden SCRIPT
 *
 * The script has one tab-separated line per step; an empty field is a blank (a NULL string, or a
 * date, flag or count without its has_ flag); dates are day numbers; lists are comma-separated:
 *   case NAME | begin_cin YEAR | begin_ssda903 YEAR | option KEY VALUE |
 *   cin_child ... | cin_episode ... | assessment ... | section47 ... | cp_plan ... |
 *   header ... | care_episode ... | ad1 ... | placed_adoption ... | compute MEASURE START END
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define MAX_FIELDS 32
#define MAX_LIST 64

static char *field[MAX_FIELDS];
static int n_field;

/* Splits line at tabs into field[], keeping empty fields. */
static void split(char *line) {
    char *p = line;
    n_field = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (;;) {
        char *tab = strchr(p, '\t');
        if (n_field < MAX_FIELDS) field[n_field++] = p;
        if (tab == NULL) break;
        *tab = '\0';
        p = tab + 1;
    }
}

static const char *F(int i) { return i < n_field ? field[i] : ""; }
/* A string field: NULL when empty. */
static const char *S(int i) { return F(i)[0] ? F(i) : NULL; }
static int has(int i) { return F(i)[0] != '\0'; }
static int32_t D(int i) { return (int32_t)strtol(F(i), NULL, 10); }
static bool B(int i) { return strcmp(F(i), "1") == 0; }

/* A comma-separated list of strings, in place. */
static size_t list(int i, const char **out) {
    size_t n = 0;
    char *p = field[i < n_field ? i : 0];
    if (i >= n_field || !*p) return 0;
    for (;;) {
        char *comma = strchr(p, ',');
        if (n < MAX_LIST) out[n++] = p;
        if (comma == NULL) break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

int main(int argc, char **argv) {
    static char line[1 << 16];
    FILE *in;
    csc_builder *b = NULL;
    csc_options *opts = NULL;
    char name[1024] = "";
    int line_no = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: test_golden SCRIPT\n");
        return 2;
    }
    in = fopen(argv[1], "r");
    if (in == NULL) {
        perror(argv[1]);
        return 2;
    }
    while (fgets(line, sizeof line, in) != NULL) {
        const char *kind;
        const char *items[MAX_LIST];
        int32_t days[MAX_LIST];
        line_no++;
        split(line);
        kind = F(0);
        if (strcmp(kind, "case") == 0) {
            csc_builder_free(b);
            csc_options_free(opts);
            b = csc_builder_new();
            opts = csc_options_new();
            CHECK(b != NULL && opts != NULL);
            strncpy(name, F(1), sizeof name - 1);
        } else if (strcmp(kind, "begin_cin") == 0) {
            must(csc_builder_begin_cin(b, D(1)), "csc_builder_begin_cin");
        } else if (strcmp(kind, "begin_ssda903") == 0) {
            must(csc_builder_begin_ssda903(b, D(1)), "csc_builder_begin_ssda903");
        } else if (strcmp(kind, "option") == 0) {
            must(csc_options_set(opts, F(1), F(2)), "csc_options_set");
        } else if (strcmp(kind, "cin_child") == 0) {
            csc_cin_child r;
            memset(&r, 0, sizeof r);
            r.child = S(1);
            r.upn = S(2);
            r.birth_date = D(3); r.has_birth_date = has(3);
            r.expected_birth_date = D(4); r.has_expected_birth_date = has(4);
            r.death_date = D(5); r.has_death_date = has(5);
            r.sex = S(6);
            r.ethnicity = S(7);
            r.n_disabilities = list(8, items);
            r.disabilities = r.n_disabilities ? items : NULL;
            must(csc_builder_add_cin_child(b, &r), "csc_builder_add_cin_child");
        } else if (strcmp(kind, "cin_episode") == 0) {
            csc_cin_episode r;
            memset(&r, 0, sizeof r);
            r.child = S(1);
            r.referral_date = D(2);
            r.referral_source = S(3);
            r.primary_need = S(4);
            r.closure_date = D(5); r.has_closure_date = has(5);
            r.reason_for_closure = S(6);
            r.referral_nfa = B(7); r.has_referral_nfa = has(7);
            r.initial_cpc_date = D(8); r.has_initial_cpc_date = has(8);
            must(csc_builder_add_cin_episode(b, &r), "csc_builder_add_cin_episode");
        } else if (strcmp(kind, "assessment") == 0) {
            csc_assessment r;
            memset(&r, 0, sizeof r);
            r.child = S(1);
            r.episode_referral_date = D(2);
            r.start_date = D(3); r.has_start_date = has(3);
            r.internal_review_date = D(4); r.has_internal_review_date = has(4);
            r.authorisation_date = D(5); r.has_authorisation_date = has(5);
            r.n_factors = list(6, items);
            r.factors = r.n_factors ? items : NULL;
            must(csc_builder_add_assessment(b, &r), "csc_builder_add_assessment");
        } else if (strcmp(kind, "section47") == 0) {
            csc_section47 r;
            memset(&r, 0, sizeof r);
            r.child = S(1);
            r.episode_referral_date = D(2);
            r.start_date = D(3); r.has_start_date = has(3);
            r.icpc_target_date = D(4); r.has_icpc_target_date = has(4);
            r.icpc_date = D(5); r.has_icpc_date = has(5);
            r.icpc_not_required = B(6); r.has_icpc_not_required = has(6);
            must(csc_builder_add_section47(b, &r), "csc_builder_add_section47");
        } else if (strcmp(kind, "cp_plan") == 0) {
            csc_cp_plan r;
            size_t k, n;
            memset(&r, 0, sizeof r);
            r.child = S(1);
            r.episode_referral_date = D(2);
            r.start_date = D(3); r.has_start_date = has(3);
            r.end_date = D(4); r.has_end_date = has(4);
            r.initial_category = S(5);
            r.latest_category = S(6);
            r.previous_plans = (uint32_t)D(7); r.has_previous_plans = has(7);
            n = list(8, items);
            for (k = 0; k < n; k++) days[k] = (int32_t)strtol(items[k], NULL, 10);
            r.review_dates = n ? days : NULL;
            r.n_review_dates = n;
            must(csc_builder_add_cp_plan(b, &r), "csc_builder_add_cp_plan");
        } else if (strcmp(kind, "header") == 0) {
            csc_header r;
            memset(&r, 0, sizeof r);
            r.child = S(1);
            r.sex = S(2);
            r.dob = D(3); r.has_dob = has(3);
            r.ethnic = S(4);
            r.upn = S(5);
            r.mother = S(6);
            r.mc_dob = D(7); r.has_mc_dob = has(7);
            must(csc_builder_add_header(b, &r), "csc_builder_add_header");
        } else if (strcmp(kind, "care_episode") == 0) {
            csc_care_episode r;
            memset(&r, 0, sizeof r);
            r.child = S(1);
            r.decom = D(2);
            r.rne = S(3);
            r.ls = S(4);
            r.cin = S(5);
            r.place = S(6);
            r.place_provider = S(7);
            r.dec = D(8); r.has_dec = has(8);
            r.rec = S(9);
            r.reason_place_change = S(10);
            r.home_post = S(11);
            r.pl_post = S(12);
            r.urn = S(13);
            must(csc_builder_add_care_episode(b, &r), "csc_builder_add_care_episode");
        } else if (strcmp(kind, "ad1") == 0) {
            csc_ad1 r;
            memset(&r, 0, sizeof r);
            r.child = S(1);
            r.dob = D(2); r.has_dob = has(2);
            r.date_int = D(3); r.has_date_int = has(3);
            r.date_match = D(4); r.has_date_match = has(4);
            r.foster_care = S(5);
            r.nb_adoptr = S(6);
            r.sex_adoptr = S(7);
            r.ls_adoptr = S(8);
            must(csc_builder_add_ad1(b, &r), "csc_builder_add_ad1");
        } else if (strcmp(kind, "placed_adoption") == 0) {
            csc_placed_adoption r;
            memset(&r, 0, sizeof r);
            r.child = S(1);
            r.dob = D(2); r.has_dob = has(2);
            r.date_placed = D(3); r.has_date_placed = has(3);
            r.date_placed_ceased = D(4); r.has_date_placed_ceased = has(4);
            r.reason_placed_ceased = S(5);
            must(csc_builder_add_placed_adoption(b, &r), "csc_builder_add_placed_adoption");
        } else if (strcmp(kind, "compute") == 0) {
            csc_dataset *ds = NULL;
            csc_result *r = NULL;
            csc_status s = csc_builder_build(b, false, &ds);
            b = NULL; /* consumed, whatever the status */
            if (s != CSC_STATUS_OK) {
                printf("error");
                put_text(stdout, name);
                put_text(stdout, csc_status_str(s));
                put_text(stdout, csc_last_error_message());
                printf("\n");
                continue;
            }
            s = csc_compute(ds, F(1), D(2), D(3), opts, &r);
            if (s != CSC_STATUS_OK) {
                printf("error");
                put_text(stdout, name);
                put_text(stdout, csc_status_str(s));
                put_text(stdout, csc_last_error_message());
                printf("\n");
            } else {
                put_result(stdout, name, r);
                csc_result_free(r);
            }
            csc_dataset_free(ds);
        } else if (kind[0] != '\0') {
            fprintf(stderr, "%s:%d: unknown step %s\n", argv[1], line_no, kind);
            return 2;
        }
    }
    fclose(in);
    csc_builder_free(b);
    csc_options_free(opts);
    printf("done\t%d\n", check_failures);
    return check_failures == 0 ? 0 : 1;
}
