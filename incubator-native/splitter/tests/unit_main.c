/* unit_main.c - runs every unit suite and prints "N passed, N failed" last. */
#include "check.h"

int check_passed, check_failed, check_errors;
const char *check_case = "";

int main(void)
{
    test_split_all();
    test_frag_all();
    test_route_all();
    test_config_all();
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}
