/* isakmpdump: decode the IKE messages of pcap / pcapng captures. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "output.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

typedef enum { MODE_SUMMARY, MODE_TREE, MODE_FIELDS } out_mode;

typedef struct {
    out_mode mode;
    GPtrArray *files;
    GPtrArray *fields;
    GPtrArray *keys;
    char sep, occ;
    bool header;
    capture_opts cap;
} options;

typedef struct {
    const options *opt;
    isakmp_ctx *ctx;
    out_fields *fields;
    FILE *out;
} run_state;

static void usage(FILE *out)
{
    fputs("Usage: isakmpdump [options] [-r] FILE...\n"
          "Decode ISAKMP / IKEv1 / IKEv2 messages in pcap or pcapng captures.\n"
          "\n"
          "  -r FILE            read FILE (\"-\" for standard input); files may also be\n"
          "                     given without -r\n"
          "  -V                 print the full decoded tree of each message\n"
          "  -T fields          print the fields named with -e, one line per frame\n"
          "  -e FIELD           a field to print with -T fields (repeatable)\n"
          "  -E header=y|n      print the field names first\n"
          "  -E separator=C     field separator (default tab; /t, /s for tab, space)\n"
          "  -E occurrence=C    separator between occurrences (default ,)\n"
          "  -k FILE            load keys or secrets (repeatable)\n"
          "  -p PORT            also decode UDP PORT as IKE (repeatable)\n"
          "  -G fields          print the field table and exit\n"
          "  -h, --help         this help\n"
          "      --version      print the version\n"
          "\n"
          "Exit status: 0 ok, 1 an input could not be read, 2 bad usage.\n",
          out);
}

static char sep_char(const char *v)
{
    if (strcmp(v, "/t") == 0)
        return '\t';
    if (strcmp(v, "/s") == 0)
        return ' ';
    return v[0];
}

static int parse_E(options *o, const char *arg)
{
    if (strncmp(arg, "header=", 7) == 0)
        o->header = arg[7] == 'y';
    else if (strncmp(arg, "separator=", 10) == 0 && arg[10])
        o->sep = sep_char(arg + 10);
    else if (strncmp(arg, "occurrence=", 11) == 0)
        ; /* tshark's occurrence selection: we print all occurrences */
    else if (strncmp(arg, "aggregator=", 11) == 0 && arg[11])
        o->occ = sep_char(arg + 11);
    else if (strncmp(arg, "quote=", 6) == 0)
        ; /* values are not quoted */
    else
        return -1;
    return 0;
}

static void key_error(void *user, const char *where, const char *reason)
{
    (void)user;
    fprintf(stderr, "isakmpdump: %s: %s\n", where, reason);
}

static void on_frame(void *user, const capture_frame *f)
{
    run_state *rs = user;
    if (f->nmsgs == 0)
        return;
    isakmp_msg *msgs[CAPTURE_MAX_MSGS];
    for (size_t i = 0; i < f->nmsgs; i++)
        msgs[i] = isakmp_decode(rs->ctx, &f->msgs[i]);
    switch (rs->opt->mode) {
    case MODE_SUMMARY: out_summary(rs->out, f, msgs, f->nmsgs); break;
    case MODE_TREE: out_tree(rs->out, f, msgs, f->nmsgs); break;
    case MODE_FIELDS: out_fields_frame(rs->fields, rs->out, f, msgs, f->nmsgs); break;
    }
    for (size_t i = 0; i < f->nmsgs; i++)
        isakmp_msg_free(msgs[i]);
}

static int parse_port(options *o, const char *arg)
{
    char *end;
    long p = strtol(arg, &end, 10);
    if (*end || p <= 0 || p > 65535 || o->cap.nports >= CAPTURE_MAX_PORTS)
        return -1;
    o->cap.ports[o->cap.nports++] = (uint16_t)p;
    return 0;
}

static int parse_args(options *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 1 },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "r:VT:e:E:k:p:G:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': g_ptr_array_add(o->files, optarg); break;
        case 'V': o->mode = MODE_TREE; break;
        case 'T':
            if (strcmp(optarg, "fields") == 0)
                o->mode = MODE_FIELDS;
            else if (strcmp(optarg, "text") == 0)
                o->mode = MODE_SUMMARY;
            else {
                fprintf(stderr, "isakmpdump: unknown output format '%s' (fields, text)\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'e': g_ptr_array_add(o->fields, optarg); break;
        case 'E':
            if (parse_E(o, optarg) < 0) {
                fprintf(stderr, "isakmpdump: bad -E option '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'k': g_ptr_array_add(o->keys, optarg); break;
        case 'p':
            if (parse_port(o, optarg) < 0) {
                fprintf(stderr, "isakmpdump: bad port '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'G':
            if (strcmp(optarg, "fields") != 0) {
                fprintf(stderr, "isakmpdump: unknown report '%s' for -G (fields)\n", optarg);
                return EXIT_USAGE;
            }
            out_field_table(stdout);
            exit(EXIT_OK);
        case 'h': usage(stdout); exit(EXIT_OK);
        case 1: printf("isakmpdump %s\n", ISAKMP_VERSION_STRING); exit(EXIT_OK);
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    for (int i = optind; i < argc; i++)
        g_ptr_array_add(o->files, argv[i]);
    if (o->files->len == 0) {
        fprintf(stderr, "isakmpdump: no input file (see --help)\n");
        return EXIT_USAGE;
    }
    if (o->mode == MODE_FIELDS && o->fields->len == 0) {
        fprintf(stderr, "isakmpdump: -T fields needs at least one -e FIELD\n");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    options o = { .mode = MODE_SUMMARY, .sep = '\t', .occ = ',' };
    o.files = g_ptr_array_new();
    o.fields = g_ptr_array_new();
    o.keys = g_ptr_array_new();
    capture_opts_default(&o.cap);
    int rc = parse_args(&o, argc, argv);
    if (rc != EXIT_OK)
        return rc;
    run_state rs = { .opt = &o, .ctx = isakmp_ctx_new(), .out = stdout };
    char err[512];
    if (o.mode == MODE_FIELDS) {
        rs.fields = out_fields_new((const char *const *)o.fields->pdata, o.fields->len, o.sep,
                                   o.occ, o.header, err, sizeof err);
        if (!rs.fields) {
            fprintf(stderr, "isakmpdump: %s\n", err);
            return EXIT_USAGE;
        }
        out_fields_header(rs.fields, stdout);
    }
    for (guint i = 0; i < o.keys->len; i++)
        if (isakmp_ctx_load_keys(rs.ctx, o.keys->pdata[i], key_error, NULL) < 0)
            rc = EXIT_INPUT;
    for (guint i = 0; i < o.files->len; i++) {
        if (capture_file(o.files->pdata[i], &o.cap, on_frame, &rs, err, sizeof err) < 0) {
            fprintf(stderr, "isakmpdump: %s\n", err);
            rc = EXIT_INPUT;
        }
    }
    out_fields_free(rs.fields);
    isakmp_ctx_free(rs.ctx);
    g_ptr_array_free(o.files, TRUE);
    g_ptr_array_free(o.fields, TRUE);
    g_ptr_array_free(o.keys, TRUE);
    return rc;
}
