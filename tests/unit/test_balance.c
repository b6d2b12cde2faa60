/* The split of SAs between decoding threads (cli/balance.c): an SA keeps
 * its partition whatever the share does later; new SAs go where the work
 * is least for the share; the share follows who waited. */
#include <glib.h>
#include <string.h>

#include "balance.h"
#include "testutil.h"

static void spi_of(uint32_t i, uint8_t spi[8])
{
    uint64_t v = (uint64_t)i * 0x2545f4914f6cdd1dull + 0x1234;
    memcpy(spi, &v, 8);
}

/* An SA seen again goes where it went first, after the share moved both
 * ways and many other SAs came. */
static void test_sticky(void)
{
    balance b;
    balance_init(&b, 3);
    uint8_t first[8], spi[8];
    spi_of(7, first);
    unsigned p = balance_part(&b, first, 100);
    for (uint32_t i = 0; i < 20000; i++) {
        spi_of(1000 + i, spi);
        balance_part(&b, spi, 50 + i % 500);
        if (i % 100 == 0)
            balance_adjust(&b, i % 200 ? 1000000 : 0, i % 200 ? 0 : 1000000);
        g_assert_cmpuint(balance_part(&b, first, 100), ==, p);
    }
    balance_free(&b);
}

/* Equal shares: new SAs' work spreads evenly; frames without an SA too. */
static void test_even(void)
{
    balance b;
    balance_init(&b, 2);
    uint64_t got[2] = { 0, 0 };
    uint8_t spi[8];
    for (uint32_t i = 0; i < 10000; i++) {
        spi_of(i, spi);
        got[balance_part(&b, spi, 200)]++;
        got[balance_part(&b, NULL, 200)]++;
    }
    g_assert_cmpuint(got[0], >, 9900);
    g_assert_cmpuint(got[1], >, 9900);
    balance_free(&b);
}

/* The main thread waits: its share grows, to at most all but the others'
 * least; the others wait: it shrinks, to its least; both quiet: it stays. */
static void test_adjust(void)
{
    balance b;
    balance_init(&b, 2);
    g_assert_cmpuint(b.share0, ==, BALANCE_ONE / 2);
    balance_adjust(&b, 10, 20);   /* under 0.1 ms both: no move */
    g_assert_cmpuint(b.share0, ==, BALANCE_ONE / 2);
    balance_adjust(&b, 5000000, 0);
    g_assert_cmpuint(b.share0, >, BALANCE_ONE / 2);
    for (int i = 0; i < 1000; i++)
        balance_adjust(&b, 5000000, 0);
    g_assert_cmpuint(b.share0, <, BALANCE_ONE);
    g_assert_cmpuint(b.share0, >=, BALANCE_ONE - BALANCE_ONE / 16);
    for (int i = 0; i < 1000; i++)
        balance_adjust(&b, 0, 5000000);
    g_assert_cmpuint(b.share0, >, 0);
    g_assert_cmpuint(b.share0, <=, BALANCE_ONE / 16);
    balance_free(&b);
    /* many threads: the main one exactly an even part, whoever waits */
    balance_init(&b, 64);
    for (int i = 0; i < 100; i++)
        balance_adjust(&b, 5000000, 0);
    g_assert_cmpuint(b.share0, ==, BALANCE_ONE / 64);
    for (int i = 0; i < 100; i++)
        balance_adjust(&b, 0, 5000000);
    g_assert_cmpuint(b.share0, ==, BALANCE_ONE / 64);
    balance_free(&b);
}

/* A small share: new SAs go mostly to the others, in proportion. */
static void test_follows_share(void)
{
    balance b;
    balance_init(&b, 2);
    for (int i = 0; i < 16; i++)   /* 1/2 - 16/64: a quarter */
        balance_adjust(&b, 0, 5000000);
    g_assert_cmpuint(b.share0, ==, BALANCE_ONE / 4);
    uint64_t work[2] = { 0, 0 };
    uint8_t spi[8];
    for (uint32_t i = 0; i < 40000; i++) {
        spi_of(i, spi);   /* each SA once: every one a new choice */
        work[balance_part(&b, spi, 300)] += 300;
        if (i % 4096 == 4095)
            balance_adjust(&b, 0, 0);   /* a batch: the loads halve, the share stays */
    }
    double main_part = (double)work[0] / (double)(work[0] + work[1]);
    g_assert_cmpfloat(main_part, >, 0.22);
    g_assert_cmpfloat(main_part, <, 0.28);
    balance_free(&b);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/balance/sticky", test_sticky);
    g_test_add_func("/balance/even", test_even);
    g_test_add_func("/balance/adjust", test_adjust);
    g_test_add_func("/balance/follows_share", test_follows_share);
    return g_test_run();
}
