/* The bounded cursor: reads stay inside, errors stay set, children clip. */
#include <glib.h>

#include "core/cursor.h"

static void test_reads_and_sticky_error(void)
{
    const uint8_t b[] = { 1, 2, 3, 4, 5 };
    cur_t c;
    cur_init(&c, b, sizeof b, sizeof b, 0);
    g_assert_cmpuint(cur_u16(&c), ==, 0x0102);
    g_assert_cmpuint(cur_u16(&c), ==, 0x0304);
    g_assert_cmpuint(cur_u16(&c), ==, 0);          /* one byte left: fails */
    g_assert_cmpint(c.err, ==, CUR_MALFORMED);
    g_assert_cmpuint(c.err_off, ==, 4);
    g_assert_cmpuint(cur_u8(&c), ==, 0);           /* error stays set */
    g_assert_cmpuint(c.err_off, ==, 4);
}

static void test_truncated_vs_malformed(void)
{
    const uint8_t b[] = { 0, 0, 0, 0 };
    cur_t c;
    cur_init(&c, b, sizeof b, 10, 0);            /* 10 declared, 4 captured */
    cur_skip(&c, 6);
    g_assert_cmpint(c.err, ==, CUR_TRUNCATED);
    cur_init(&c, b, sizeof b, 10, 0);
    cur_skip(&c, 11);                             /* past the declared length */
    g_assert_cmpint(c.err, ==, CUR_MALFORMED);
}

static void test_child_clips(void)
{
    const uint8_t b[] = { 0xaa, 0xbb, 0xcc, 0xdd };
    cur_t c, k;
    cur_init(&c, b, sizeof b, sizeof b, 0);
    cur_u8(&c);
    g_assert_false(cur_child(&c, 10, &k));        /* asks for more than there is */
    g_assert_cmpint(k.clip, ==, CUR_MALFORMED);
    g_assert_cmpuint(cur_left(&k), ==, 3);
    g_assert_cmpuint(cur_u8(&k), ==, 0xbb);       /* what is there still reads */
    g_assert_true(cur_ok(&k));
    cur_skip(&k, 5);
    g_assert_cmpint(k.err, ==, CUR_MALFORMED);
    g_assert_true(cur_ok(&c));                    /* the parent stays clean */
    g_assert_cmpuint(cur_left(&c), ==, 0);
}

static void test_child_exact(void)
{
    const uint8_t b[] = { 1, 2, 3, 4 };
    cur_t c, k;
    cur_init(&c, b, sizeof b, sizeof b, 0);
    g_assert_true(cur_child(&c, 2, &k));
    g_assert_cmpuint(cur_u16(&k), ==, 0x0102);
    cur_u8(&k);
    g_assert_false(cur_ok(&k));
    g_assert_cmpuint(cur_u16(&c), ==, 0x0304);     /* the neighbour is untouched */
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cursor/reads_and_sticky_error", test_reads_and_sticky_error);
    g_test_add_func("/cursor/truncated_vs_malformed", test_truncated_vs_malformed);
    g_test_add_func("/cursor/child_clips", test_child_clips);
    g_test_add_func("/cursor/child_exact", test_child_exact);
    return g_test_run();
}
