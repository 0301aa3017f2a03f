/* The C host of the probe suite (bindings/c/tests/probes.rs): reads a JSON request from the file
 * argv[1], hands it to csc_compute_json, and prints the status, its name, the last error message
 * and the response, then "host survived". A request that aborts the library never reaches the
 * last line: the driver sees the signal instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csc_measures.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: probe REQUEST.json\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    size_t cap = 1 << 12, len = 0;
    char *req = malloc(cap);
    size_t n;
    while (req != NULL && (n = fread(req + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(req, cap * 2);
            if (bigger == NULL) {
                free(req);
                req = NULL;
                break;
            }
            req = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (req == NULL) {
        fprintf(stderr, "out of memory reading the request\n");
        return 2;
    }
    req[len] = '\0';

    char *response = NULL;
    csc_status s = csc_compute_json(req, &response);
    printf("status %u %s\n", (unsigned)s, csc_status_str(s));
    printf("message %s\n", csc_last_error_message());
    printf("response %s\n", response != NULL ? response : "(null)");
    csc_string_free(response);
    free(req);
    printf("host survived\n");
    return 0;
}
