/* Runs golden cases through the builder API: reads a script of rows (written by the Rust driver
 * from tests/golden/<measure>.toml and the core's table schema), adds each row with
 * csc_builder_add_row, builds the dataset, computes, and prints the result for the driver to
 * compare with the golden expectations and the core. It knows no table: every row is a table name
 * and (column, value) pairs.
 *
 *   test_golden SCRIPT
 *
 * The script has one tab-separated line per step; a field \N is NULL (a blank value), and tabs,
 * newlines and backslashes in text are escaped as \t, \n, \r and \\:
 *   case NAME | begin_cin YEAR | begin_ssda903 YEAR | option KEY VALUE | population MIDYEAR TOTAL |
 *   row TABLE COLUMN VALUE [COLUMN VALUE]... | compute MEASURE START END  (day numbers)
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define MAX_FIELDS 512

static char *field[MAX_FIELDS];
static int n_field;

/* Undoes the escapes of one field in place; "\N" becomes NULL. */
static char *unescape(char *s) {
    char *r = s, *w = s;
    if (strcmp(s, "\\N") == 0) return NULL;
    while (*r) {
        if (*r == '\\' && r[1] != '\0') {
            r++;
            switch (*r) {
            case 't': *w++ = '\t'; break;
            case 'n': *w++ = '\n'; break;
            case 'r': *w++ = '\r'; break;
            default: *w++ = *r; break;
            }
            r++;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return s;
}

/* Splits line at tabs into field[], keeping empty fields; 0 when there are too many. */
static int split(char *line) {
    char *p = line;
    n_field = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (;;) {
        char *tab = strchr(p, '\t');
        if (n_field == MAX_FIELDS) return 0;
        if (tab != NULL) *tab = '\0';
        field[n_field++] = unescape(p);
        if (tab == NULL) return 1;
        p = tab + 1;
    }
}

static const char *F(int i) { return i < n_field && field[i] != NULL ? field[i] : ""; }
static int32_t D(int i) { return (int32_t)strtol(F(i), NULL, 10); }

static void put_error(const char *name, csc_status s) {
    printf("error");
    put_text(stdout, name);
    put_text(stdout, csc_status_str(s));
    put_text(stdout, csc_last_error_message());
    printf("\n");
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
        line_no++;
        if (!split(line)) {
            fprintf(stderr, "%s:%d: more than %d fields\n", argv[1], line_no, MAX_FIELDS);
            return 2;
        }
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
        } else if (strcmp(kind, "population") == 0) {
            must(csc_options_set_population(opts, D(1), (uint64_t)strtoull(F(2), NULL, 10)),
                 "csc_options_set_population");
        } else if (strcmp(kind, "row") == 0) {
            /* row TABLE, then (column, value) pairs: field[2], field[3], ... */
            size_t n, k;
            const char *columns[MAX_FIELDS / 2];
            const char *values[MAX_FIELDS / 2];
            if (n_field < 2 || (n_field - 2) % 2 != 0) {
                fprintf(stderr, "%s:%d: a row is a table and pairs\n", argv[1], line_no);
                return 2;
            }
            n = (size_t)(n_field - 2) / 2;
            for (k = 0; k < n; k++) {
                columns[k] = field[2 + 2 * k];
                values[k] = field[3 + 2 * k];
            }
            must(csc_builder_add_row(b, F(1), columns, values, n), "csc_builder_add_row");
        } else if (strcmp(kind, "compute") == 0) {
            csc_dataset *ds = NULL;
            csc_result *r = NULL;
            csc_status s = csc_builder_build(b, false, &ds);
            b = NULL; /* consumed, whatever the status */
            if (s != CSC_STATUS_OK) {
                put_error(name, s);
                continue;
            }
            s = csc_compute(ds, F(1), D(2), D(3), opts, &r);
            if (s != CSC_STATUS_OK) {
                put_error(name, s);
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
