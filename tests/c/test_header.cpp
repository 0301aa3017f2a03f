// The header compiles as C++ (g++ -std=c++11 -Wall -Wextra -Werror -pedantic) and links: a
// record built in C++ gives the answer it gives in C. Arrow's own abi.h comes first, as in a host
// that uses Arrow: the header skips its declarations of the Arrow C interface.
#include <cstdio>
#include <cstring>

#include "arrow_c_abi.h"
#include "csc_measures.h"

int main() {
    int32_t start = 0, end = 0;
    if (csc_day_from_ymd(2023, 4, 1, &start) != CSC_STATUS_OK) return 1;
    if (csc_day_from_ymd(2024, 3, 31, &end) != CSC_STATUS_OK) return 1;
    if (std::strcmp(csc_version(), CSC_MEASURES_VERSION) != 0) return 1;

    csc_builder *b = csc_builder_new();
    if (csc_builder_begin_cin(b, 2024) != CSC_STATUS_OK) return 1;
    csc_cin_episode e = csc_cin_episode();  // value-initialised: every field blank
    e.child = "A";
    for (int month = 5; month <= 11; month += 6) {
        if (csc_day_from_ymd(2023, static_cast<uint32_t>(month), 1, &e.referral_date) != CSC_STATUS_OK) return 1;
        if (csc_builder_add_cin_episode(b, &e) != CSC_STATUS_OK) return 1;
    }
    // A released stream (its release callback NULL) is refused, and adds nothing.
    ArrowArrayStream released = ArrowArrayStream();
    if (csc_builder_add_arrow(b, "CINdetails", &released) != CSC_STATUS_INVALID_ARGUMENT) return 1;
    csc_dataset *ds = nullptr;
    csc_status s = csc_builder_build(b, false, &ds);
    if (s != CSC_STATUS_OK) return 1;
    csc_result *r = nullptr;
    if (csc_compute(ds, "re_referrals_12m", start, end, nullptr, &r) != CSC_STATUS_OK) return 1;
    csc_numbers n;
    if (csc_result_numbers(r, &n) != CSC_STATUS_OK) return 1;
    bool ok = n.has_numerator && n.numerator == 1 && n.has_denominator && n.denominator == 2 &&
              n.has_value && n.value == 50.0;
    csc_result_free(r);
    csc_dataset_free(ds);
    std::printf("cpp\t%s\n", ok ? "ok" : "wrong");
    return ok ? 0 : 1;
}
