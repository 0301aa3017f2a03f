/* Helpers shared by the C test programs: checks, and the line format the Rust driver
 * (bindings/c/tests/c_programs.rs) reads back. Each record is one line of tab-separated fields;
 * a field that is absent is written "\N"; tabs, newlines and backslashes in text are escaped as
 * \t, \n, \r and \\. */
#ifndef CSC_TEST_COMMON_H
#define CSC_TEST_COMMON_H

#include <stdio.h>

#include "csc_measures.h"

/* Failed checks so far; a program exits non-zero when this is not 0. */
extern int check_failures;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            check_failures++;                                                           \
            fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, __LINE__, \
                    #cond, csc_last_error_message());                                   \
        }                                                                               \
    } while (0)

/* CHECK that a call returned `want`, printing both statuses' names when it did not. */
#define CHECK_STATUS(call, want)                                                        \
    do {                                                                                \
        csc_status got_ = (call);                                                       \
        if (got_ != (want)) {                                                           \
            check_failures++;                                                           \
            fprintf(stderr, "%s:%d: %s returned %u (%s), want %u (%s); last error: %s\n", \
                    __FILE__, __LINE__, #call, (unsigned)got_, csc_status_str(got_),     \
                    (unsigned)(want), csc_status_str(want), csc_last_error_message());   \
        }                                                                               \
    } while (0)

/* Stops the program when a call that must succeed fails. */
void must(csc_status s, const char *what);

/* A tab, then the text escaped (or \N for NULL). */
void put_text(FILE *out, const char *s);
/* A tab, then the day as YYYY-MM-DD (converted with csc_day_to_ymd), or \N when !has. */
void put_day(FILE *out, int32_t day, int has);
/* The result's block: result, numbers, excluded, warning, row and json lines, then "end". */
void put_result(FILE *out, const char *tag, const csc_result *r);

#endif
