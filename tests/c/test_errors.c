/* The error paths of the C API, for the leak checker (bindings/c/tests/c_programs.rs runs this
 * program under valgrind and asserts "possibly lost: 0"): every kind of failure sets the calling
 * thread's last error message, which lives in a buffer that thread owns, is reused by the next
 * failure, cleared by the next success and freed when the thread ends. Without arguments none of
 * these calls starts the thread pool of a computation, so what valgrind sees is the library's
 * own; with "load" a failed load from files runs too. Self-checking: exits non-zero when a check
 * fails; prints one line per path. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static int contains(const char *s, const char *part) { return s != NULL && strstr(s, part) != NULL; }

static void *failing_thread(void *arg) {
    int *ok = arg;
    int32_t day = 0;
    /* A new thread starts with no message, fails on its own, and sees only its own message. */
    *ok = strcmp(csc_last_error_message(), "") == 0 &&
          csc_day_from_ymd(2021, 13, 1, &day) == CSC_STATUS_INVALID_DATE &&
          contains(csc_last_error_message(), "13");
    return NULL;
}

int main(int argc, char **argv) {
    int32_t day = 0;

    /* An impossible date: the message names it; reading it twice gives the same buffer. */
    CHECK_STATUS(csc_day_from_ymd(2023, 2, 29, &day), CSC_STATUS_INVALID_DATE);
    const char *first = csc_last_error_message();
    CHECK(contains(first, "2023-02-29"));
    CHECK(csc_last_error_message() == first);
    printf("invalid date: %s\n", first);

    /* A NULL out-parameter. */
    CHECK_STATUS(csc_day_from_ymd(2023, 2, 28, NULL), CSC_STATUS_NULL_ARGUMENT);
    CHECK(contains(csc_last_error_message(), "out"));
    printf("null argument: %s\n", csc_last_error_message());

    /* A malformed JSON request: the status, the message, and the error object to free. */
    char *response = NULL;
    CHECK_STATUS(csc_compute_json("{\"measures\": [", &response), CSC_STATUS_INVALID_REQUEST);
    CHECK(strlen(csc_last_error_message()) > 0);
    CHECK(contains(response, "invalid_request"));
    printf("invalid request: %s\n", csc_last_error_message());
    csc_string_free(response);

    /* An unknown option, then a value far longer than any message kept: it is reported and the
     * long buffer is given back after the next success. */
    struct csc_options *opts = csc_options_new();
    CHECK(opts != NULL);
    CHECK_STATUS(csc_options_set(opts, "no_such_option", "1"), CSC_STATUS_INVALID_OPTION);
    CHECK(contains(csc_last_error_message(), "no_such_option"));
    printf("invalid option: %.60s...\n", csc_last_error_message());
    size_t n = 200000;
    char *big = malloc(n + 1);
    CHECK(big != NULL);
    if (big != NULL) {
        memset(big, '7', n);
        big[n] = '\0';
        CHECK_STATUS(csc_options_set(opts, "assessment_limit_wd", big), CSC_STATUS_INVALID_OPTION);
        CHECK(contains(csc_last_error_message(), "assessment_limit_wd"));
        printf("long value: %zu bytes of message\n", strlen(csc_last_error_message()));
        free(big);
    }
    CHECK_STATUS(csc_options_set(opts, "assessment_limit_wd", "40"), CSC_STATUS_OK);
    CHECK(strcmp(csc_last_error_message(), "") == 0);
    csc_options_free(opts);

    /* Another thread fails on its own; its buffer is freed when it ends; ours is untouched. */
    CHECK_STATUS(csc_day_from_ymd(2023, 2, 30, &day), CSC_STATUS_INVALID_DATE);
    const char *mine = csc_last_error_message();
    int thread_ok = 0;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, failing_thread, &thread_ok) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(thread_ok);
    CHECK(csc_last_error_message() == mine);
    CHECK(contains(csc_last_error_message(), "2023-02-30"));
    printf("threads: %s\n", thread_ok ? "each its own" : "MIXED");

    /* Static names (interned once for the life of the program) are still reachable at exit,
     * never possibly lost, and reading them leaves the last error alone. */
    CHECK(csc_measure_count() > 0);
    CHECK(csc_measure_id(0) != NULL && strlen(csc_measure_id(0)) > 0);
    CHECK(csc_measure_title(csc_measure_count() - 1) != NULL);
    CHECK(strcmp(csc_status_str(CSC_STATUS_IO), "io") == 0);
    CHECK(csc_last_error_message() == mine);
    printf("names: %s\n", csc_measure_id(0));

    /* With "load": a missing file too. Loading starts the global pool of worker threads, which
     * live until the process exits (valgrind counts their thread stacks as possibly lost), so
     * the driver runs this path apart and asserts no definite or indirect loss for it. */
    if (argc > 1 && strcmp(argv[1], "load") == 0) {
        const char *paths[] = {"/nonexistent/csc-measures/cin.xml"};
        struct csc_dataset *ds = NULL;
        CHECK_STATUS(csc_dataset_load(paths, 1, NULL, 0, false, &ds), CSC_STATUS_IO);
        CHECK(ds == NULL);
        CHECK(contains(csc_last_error_message(), "/nonexistent/csc-measures/cin.xml"));
        printf("io: %s\n", csc_last_error_message());
    }

    /* A success clears it. */
    CHECK_STATUS(csc_day_from_ymd(2024, 2, 29, &day), CSC_STATUS_OK);
    CHECK(strcmp(csc_last_error_message(), "") == 0);
    printf("cleared: \"%s\"\n", csc_last_error_message());
    return check_failures == 0 ? 0 : 1;
}
