/*
 * Display filters: tokens to the program tree, by recursive descent.
 *
 *   expr     := and { ("or" | "||") and }
 *   and      := unary { ("and" | "&&") unary }
 *   unary    := ("not" | "!") unary | "(" expr ")" | relation
 *   relation := FIELD [ cmp value | "in" "{" member { [","] member } "}" ]
 *   member   := value [ ".." value ]
 *
 * "and" binds tighter than "or", "not" tighter than both (Wireshark 4.x).
 * Fields are resolved here (ike.* from the library's table, the rest from
 * the frame-field provider) and each literal is converted to its field's
 * type at once, so that a bad value is reported at its column before any
 * packet is read.  Set members may be separated by commas (Wireshark 4.x)
 * or by white space alone (Wireshark 3.x).
 */
#include <string.h>

#include "filter_int.h"

typedef struct {
    filter *f;
    const token *t;      /* the tokens, T_END last */
    size_t i;
    filter_error *e;
} parser;

static const token *peek(const parser *p) { return &p->t[p->i]; }

static bool unexpected(parser *p)
{
    const token *t = peek(p);
    if (t->kind == T_END)
        filter_fail(p->e, t->col, 1, "unexpected end of filter expression");
    else
        filter_fail(p->e, t->col, t->len, "\"%.*s\" was unexpected in this context",
                    (int)t->len, p->f->expr + t->col);
    return false;
}

static node *new_node(node_kind k)
{
    node *n = g_new0(node, 1);
    n->kind = k;
    n->field = -1;
    return n;
}

void filter_node_free(node *n)
{
    if (!n)
        return;
    filter_node_free(n->a);
    filter_node_free(n->b);
    for (size_t i = 0; i < n->nlits; i++)
        filter_literal_clear(&n->lits[i]);
    g_free(n->lits);
    g_free(n);
}

/* ---------------------------------------------------------------- fields */

static unsigned uint_bits(isakmp_ftype t)
{
    switch (t) {
    case ISAKMP_FT_UINT8: return 8;
    case ISAKMP_FT_UINT16: return 16;
    case ISAKMP_FT_UINT24: return 24;
    case ISAKMP_FT_UINT32: case ISAKMP_FT_FRAMENUM: return 32;
    default: return 64;
    }
}

static fv_type ike_type(isakmp_ftype t)
{
    switch (t) {
    case ISAKMP_FT_UINT8: case ISAKMP_FT_UINT16: case ISAKMP_FT_UINT24:
    case ISAKMP_FT_UINT32: case ISAKMP_FT_UINT64: case ISAKMP_FT_FRAMENUM: return FV_UINT;
    case ISAKMP_FT_BOOLEAN: return FV_BOOL;
    case ISAKMP_FT_BYTES: return FV_BYTES;
    case ISAKMP_FT_STRING: return FV_STRING;
    case ISAKMP_FT_IPV4: return FV_IPV4;
    case ISAKMP_FT_IPV6: return FV_IPV6;
    default: return FV_NONE;
    }
}

/* The ike.* field `name`; tshark's isakmp.X is taken for ike.X. */
static const isakmp_field *ike_field(const char *name)
{
    const isakmp_field *fd = isakmp_field_by_abbrev(name);
    if (!fd && strncmp(name, "isakmp.", 7) == 0) {
        char *alt = g_strconcat("ike.", name + 7, NULL);
        fd = isakmp_field_by_abbrev(alt);
        g_free(alt);
    }
    return fd;
}

static bool proto_field(const char *name, int *kind)
{
    static const struct { const char *name; int kind; } protos[] = {
        { "ike", PROTO_IKE }, { "isakmp", PROTO_IKE }, { "frame", PROTO_FRAME },
        { "ip", PROTO_IP }, { "ipv6", PROTO_IPV6 }, { "udp", PROTO_UDP }, { "tcp", PROTO_TCP },
        { "esp", PROTO_ESP },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(protos); i++)
        if (strcmp(protos[i].name, name) == 0) {
            *kind = protos[i].kind;
            return true;
        }
    return false;
}

/* Resolves a field name into a field_ref: its index in f->fields, or -1. */
static int resolve(filter *f, const char *name)
{
    for (guint i = 0; i < f->fields->len; i++)
        if (strcmp(g_array_index(f->fields, field_ref, i).name, name) == 0)
            return (int)i;
    field_ref r = { .slot = -1 };
    const isakmp_field *fd = ike_field(name);
    fv_type ft;
    unsigned bits = 64;
    int key;
    if (fd && strcmp(fd->abbrev, "ike") != 0) {
        r.src = SRC_IKE;
        r.id = fd->id;
        r.field = fd;
        r.type = ike_type(fd->type);
        r.bits = uint_bits(fd->type);
        if (f->slot_of[fd->id] < 0)
            f->slot_of[fd->id] = (int)f->nslots++;
        r.slot = f->slot_of[fd->id];
    } else if (proto_field(name, &key)) {
        r.src = SRC_PROTO;
        r.id = key;
        r.type = FV_NONE;
    } else if (f->ff->lookup(name, &ft, &bits, &key)) {
        r.src = SRC_FRAME;
        r.id = key;
        r.type = ft;
        r.bits = bits;
    } else {
        return -1;
    }
    /* owned by the filter: interning every name a user (or a fuzzer) types
     * would grow GLib's global table with each filter compiled */
    r.name = g_strdup(name);
    g_array_append_val(f->fields, r);
    return (int)f->fields->len - 1;
}

/* ---------------------------------------------------------------- grammar */

static node *parse_or(parser *p);

static bool is_value(const token *t) { return t->kind == T_WORD || t->kind == T_STRING; }

static bool cmp_of(tok_kind k, cmp_op *op)
{
    static const struct { tok_kind k; cmp_op op; } map[] = {
        { T_EQ, OP_EQ }, { T_ALL_NE, OP_ALL_NE }, { T_ANY_NE, OP_ANY_NE }, { T_ALL_EQ, OP_ALL_EQ },
        { T_LT, OP_LT }, { T_GT, OP_GT }, { T_LE, OP_LE }, { T_GE, OP_GE },
        { T_CONTAINS, OP_CONTAINS }, { T_MATCHES, OP_MATCHES },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
        if (map[i].k == k) {
            *op = map[i].op;
            return true;
        }
    return false;
}

/* A field without a value (a protocol, a label) can only be tested for presence. */
static bool valued(parser *p, const field_ref *r, const token *ft, const token *opt)
{
    if (r->type != FV_NONE)
        return true;
    filter_fail(p->e, ft->col, ft->len,
                "%s has no value: it can only be tested for presence, not with \"%.*s\"", r->name,
                (int)opt->len, p->f->expr + opt->col);
    return false;
}

/* `in { member ... }` after the field; n gets the literals. */
static bool parse_set(parser *p, const field_ref *r, node *n)
{
    if (peek(p)->kind != T_LBRACE)
        return unexpected(p);
    p->i++;
    GArray *lits = g_array_new(FALSE, TRUE, sizeof(literal));
    bool ok = true;
    while (ok && peek(p)->kind != T_RBRACE) {
        if (lits->len && peek(p)->kind == T_COMMA)
            p->i++;
        if (!is_value(peek(p))) {
            ok = unexpected(p);
            break;
        }
        literal l = { 0 };
        ok = filter_literal(r, peek(p), OP_EQ, &l, p->e);
        p->i++;
        if (ok && peek(p)->kind == T_DOTDOT) {
            p->i++;
            if (!is_value(peek(p)))
                ok = unexpected(p);
            else
                ok = filter_literal_hi(r, peek(p), &l, p->e);
            p->i++;
        }
        g_array_append_val(lits, l);
    }
    if (ok && lits->len == 0) {
        filter_fail(p->e, peek(p)->col, 1, "a set needs at least one member");
        ok = false;
    }
    if (ok)
        p->i++;   /* } */
    n->nlits = lits->len;
    n->lits = (literal *)(void *)g_array_free(lits, FALSE);
    return ok;
}

static node *parse_relation(parser *p)
{
    const token *ft = peek(p);
    if (ft->kind != T_WORD) {
        unexpected(p);
        return NULL;
    }
    int fi = resolve(p->f, ft->text);
    if (fi < 0) {
        filter_fail(p->e, ft->col, ft->len, "\"%s\" is not a valid protocol or protocol field",
                    ft->text);
        return NULL;
    }
    const field_ref *r = &g_array_index(p->f->fields, field_ref, fi);
    p->i++;
    const token *opt = peek(p);
    cmp_op op;
    node *n;
    if (cmp_of(opt->kind, &op)) {
        if (!valued(p, r, ft, opt) || !filter_op_fits(r, ft, op, p->e))
            return NULL;
        p->i++;
        if (!is_value(peek(p))) {
            unexpected(p);
            return NULL;
        }
        n = new_node(N_CMP);
        n->field = fi;
        n->op = op;
        n->lits = g_new0(literal, 1);
        n->nlits = 1;
        bool ok = filter_literal(r, peek(p), op, &n->lits[0], p->e);
        p->i++;
        if (!ok) {
            filter_node_free(n);
            return NULL;
        }
    } else if (opt->kind == T_IN) {
        if (!valued(p, r, ft, opt))
            return NULL;
        p->i++;
        n = new_node(N_IN);
        n->field = fi;
        if (!parse_set(p, r, n)) {
            filter_node_free(n);
            return NULL;
        }
    } else {
        n = new_node(N_EXISTS);
        n->field = fi;
    }
    return n;
}

static node *parse_unary(parser *p)
{
    const token *t = peek(p);
    if (t->kind == T_NOT) {
        p->i++;
        node *a = parse_unary(p);
        if (!a)
            return NULL;
        node *n = new_node(N_NOT);
        n->a = a;
        return n;
    }
    if (t->kind == T_LPAREN) {
        p->i++;
        node *n = parse_or(p);
        if (!n)
            return NULL;
        if (peek(p)->kind != T_RPAREN) {
            if (peek(p)->kind == T_END)
                filter_fail(p->e, t->col, 1, "the parenthesis is not closed");
            else
                unexpected(p);
            filter_node_free(n);
            return NULL;
        }
        p->i++;
        return n;
    }
    return parse_relation(p);
}

static node *parse_binary(parser *p, tok_kind op, node_kind kind, node *(*next)(parser *))
{
    node *a = next(p);
    while (a && peek(p)->kind == op) {
        p->i++;
        node *b = next(p);
        if (!b) {
            filter_node_free(a);
            return NULL;
        }
        node *n = new_node(kind);
        n->a = a;
        n->b = b;
        a = n;
    }
    return a;
}

static node *parse_and(parser *p) { return parse_binary(p, T_AND, N_AND, parse_unary); }
static node *parse_or(parser *p) { return parse_binary(p, T_OR, N_OR, parse_and); }

node *filter_parse(filter *f, GArray *toks, filter_error *e)
{
    parser p = { .f = f, .t = &g_array_index(toks, token, 0), .e = e };
    if (peek(&p)->kind == T_END) {
        filter_fail(e, 0, 1, "the filter is empty");
        return NULL;
    }
    node *n = parse_or(&p);
    if (n && peek(&p)->kind != T_END) {
        unexpected(&p);
        filter_node_free(n);
        return NULL;
    }
    return n;
}
