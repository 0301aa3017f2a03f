/* See common.h. */
#include "common.h"

#include <inttypes.h>
#include <stdlib.h>

int check_failures = 0;

void must(csc_status s, const char *what) {
    if (s != CSC_STATUS_OK) {
        fprintf(stderr, "%s failed: %s (%u): %s\n", what, csc_status_str(s), (unsigned)s,
                csc_last_error_message());
        exit(2);
    }
}

void put_text(FILE *out, const char *s) {
    fputc('\t', out);
    if (s == NULL) {
        fputs("\\N", out);
        return;
    }
    for (; *s; s++) {
        switch (*s) {
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\\': fputs("\\\\", out); break;
        default: fputc(*s, out);
        }
    }
}

void put_day(FILE *out, int32_t day, int has) {
    int32_t y;
    uint32_t m, d;
    if (!has) {
        fputs("\t\\N", out);
        return;
    }
    must(csc_day_to_ymd(day, &y, &m, &d), "csc_day_to_ymd");
    fprintf(out, "\t%04d-%02u-%02u", (int)y, (unsigned)m, (unsigned)d);
}

void put_result(FILE *out, const char *tag, const csc_result *r) {
    int32_t start, end;
    csc_numbers n;
    size_t i;
    char *json = NULL;

    must(csc_result_period(r, &start, &end), "csc_result_period");
    fprintf(out, "result");
    put_text(out, tag);
    put_text(out, csc_result_id(r));
    put_text(out, csc_result_title(r));
    put_text(out, csc_result_unit(r));
    put_text(out, csc_result_polarity(r));
    put_day(out, start, 1);
    put_day(out, end, 1);
    fputc('\n', out);

    must(csc_result_numbers(r, &n), "csc_result_numbers");
    fprintf(out, "numbers");
    if (n.has_numerator) fprintf(out, "\t%" PRIu64, n.numerator); else fputs("\t\\N", out);
    if (n.has_denominator) fprintf(out, "\t%" PRIu64, n.denominator); else fputs("\t\\N", out);
    if (n.has_value) fprintf(out, "\t%.17g", n.value); else fputs("\t\\N", out);
    fputc('\n', out);

    for (i = 0; i < csc_result_excluded_count(r); i++) {
        const char *reason;
        uint64_t count;
        must(csc_result_excluded(r, i, &reason, &count), "csc_result_excluded");
        fprintf(out, "excluded");
        put_text(out, reason);
        fprintf(out, "\t%" PRIu64 "\n", count);
    }
    for (i = 0; i < csc_result_warning_count(r); i++) {
        const char *w;
        must(csc_result_warning(r, i, &w), "csc_result_warning");
        fprintf(out, "warning");
        put_text(out, w);
        fputc('\n', out);
    }
    for (i = 0; i < csc_result_row_count(r); i++) {
        csc_row row;
        must(csc_result_row(r, i, &row), "csc_result_row");
        fprintf(out, "row");
        put_text(out, row.child);
        put_day(out, row.record, row.has_record);
        fprintf(out, "\t%d\t%d", row.in_denominator ? 1 : 0, row.in_numerator ? 1 : 0);
        if (row.has_value) fprintf(out, "\t%" PRId64, row.value); else fputs("\t\\N", out);
        put_text(out, row.reason);
        fputc('\n', out);
    }
    must(csc_result_to_json(r, &json), "csc_result_to_json");
    fprintf(out, "json");
    put_text(out, json);
    fputc('\n', out);
    csc_string_free(json);
    fprintf(out, "end\n");
}
