/* check.h - a minimal test harness: named cases, counted checks, one summary line. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

/* Cases passed and failed; check_errors counts failed checks within the current run. */
extern int check_passed, check_failed, check_errors;
extern const char *check_case;

/* Each test case is a function; RUN counts it passed if none of its checks failed. */
#define RUN(fn)                                                   \
    do {                                                          \
        int before_ = check_errors;                               \
        check_case = #fn;                                         \
        fn();                                                     \
        if (check_errors == before_) {                            \
            check_passed++;                                       \
            printf("ok   %s\n", #fn);                             \
        } else {                                                  \
            check_failed++;                                       \
            printf("FAIL %s\n", #fn);                             \
        }                                                         \
    } while (0)

/* A failing check prints where and why, and marks the current case failed. */
#define CHECK(cond)                                                               \
    do {                                                                          \
        if (!(cond)) {                                                            \
            check_errors++;                                                       \
            printf("  %s:%d: %s: check failed: %s\n", __FILE__, __LINE__,         \
                   check_case, #cond);                                            \
        }                                                                         \
    } while (0)

#define CHECK_EQ(a, b)                                                            \
    do {                                                                          \
        long long a_ = (long long)(a), b_ = (long long)(b);                       \
        if (a_ != b_) {                                                           \
            check_errors++;                                                       \
            printf("  %s:%d: %s: %s == %lld, want %s == %lld\n", __FILE__,        \
                   __LINE__, check_case, #a, a_, #b, b_);                         \
        }                                                                         \
    } while (0)

void test_split_all(void);
void test_frag_all(void);
void test_route_all(void);
void test_config_all(void);

#endif
