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
    const char *at = p->f->expr + t->col;
    if (t->kind == T_END)
        filter_fail(p->e, t->col, 1, "unexpected end of filter expression");
    else if (t->len == 1 && strchr("+-*/%&", *at))   /* Wireshark 4.0's arithmetic */
        filter_fail(p->e, t->col, 1, "arithmetic and bitwise operators (\"%c\") are not "
                    "supported", *at);
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
        { "eth", PROTO_ETH }, { "vlan", PROTO_VLAN }, { "ip", PROTO_IP }, { "ipv6", PROTO_IPV6 }, { "udp", PROTO_UDP }, { "tcp", PROTO_TCP },
        { "esp", PROTO_ESP },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(protos); i++)
        if (strcmp(protos[i].name, name) == 0) {
            *kind = protos[i].kind;
            return true;
        }
    return false;
}

/* Resolves a field name into a flt_field: its index in f->fields, or -1. */
static int resolve(filter *f, const char *name)
{
    for (guint i = 0; i < f->fields->len; i++)
        if (strcmp(g_array_index(f->fields, flt_field, i).name, name) == 0)
            return (int)i;
    flt_field r = { .slot = -1 };
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
static bool valued(parser *p, const flt_field *r, const token *ft, const token *opt)
{
    if (r->type != FV_NONE)
        return true;
    filter_fail(p->e, ft->col, ft->len,
                "%s has no value: it can only be tested for presence, not with \"%.*s\"", r->name,
                (int)opt->len, p->f->expr + opt->col);
    return false;
}

/* `in { member ... }` after the field; n gets the literals. */
static bool parse_set(parser *p, const flt_field *r, node *n)
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

/* ---------------------------------------------------------------- operands */

static const flt_field *field_at(const parser *p, int i)
{
    return &g_array_index(p->f->fields, flt_field, i);
}

static bool bytes_like(fv_type t)
{
    return t == FV_BYTES || t == FV_STRING || t == FV_ETHER || t == FV_IPV4 || t == FV_IPV6;
}

/* A field name at the current token into o->field; false with the error set. */
static bool operand_field(parser *p, operand *o)
{
    const token *ft = peek(p);
    if (ft->kind != T_WORD)
        return unexpected(p);
    int fi = resolve(p->f, ft->text);
    if (fi < 0) {
        filter_fail(p->e, ft->col, ft->len, "\"%s\" is not a valid protocol or protocol field",
                    ft->text);
        return false;
    }
    o->field = fi;
    o->type = field_at(p, fi)->type;
    p->i++;
    return true;
}

/* A number of a slice at *s (a sign allowed); false when there is none. */
static bool slice_number(const char **s, long *v)
{
    char *end;
    if (!g_ascii_isdigit(**s) && !(**s == '-' && g_ascii_isdigit((*s)[1])))
        return false;
    *v = (long)g_ascii_strtoll(*s, &end, 10);
    *s = end;
    return *v > -100000 && *v < 100000;
}

/* The text of [i:n], [i-j], [i], [i:], [:n]. */
static bool slice_spec(const char *s, operand *o)
{
    o->start = 0;
    if (*s != ':' && !slice_number(&s, &o->start))
        return false;
    if (!*s) {
        o->slice = SL_LEN;
        o->n = 1;
        return true;
    }
    char c = *s++;
    if (c == ':' && !*s) {
        o->slice = SL_REST;
        return true;
    }
    if ((c != ':' && c != '-') || !slice_number(&s, &o->n) || *s || (c == ':' && o->n < 0))
        return false;
    o->slice = c == ':' ? SL_LEN : SL_END;
    return true;
}

/* "[" range "]" after a field of bytes. */
static bool parse_slice(parser *p, operand *o, const token *ft)
{
    const flt_field *r = field_at(p, o->field);
    if (!bytes_like(r->type)) {
        filter_fail(p->e, ft->col, ft->len, "\"%s\" is %s and cannot be sliced into a sequence "
                    "of bytes", r->name, r->type == FV_NONE ? "a protocol" : "not a byte sequence");
        return false;
    }
    p->i++;   /* [ */
    const token *t = peek(p);
    if (t->kind != T_WORD || !slice_spec(t->text, o)) {
        if (t->kind == T_WORD)
            filter_fail(p->e, t->col, t->len, "\"%s\" is not a valid range", t->text);
        else
            unexpected(p);
        return false;
    }
    p->i++;
    if (peek(p)->kind != T_RBRACKET) {
        if (peek(p)->kind == T_COMMA)
            filter_fail(p->e, peek(p)->col, 1, "only one range per slice is supported");
        else
            unexpected(p);
        return false;
    }
    p->i++;
    o->type = FV_BYTES;
    return true;
}

/* A field, optionally sliced. */
static bool parse_field_operand(parser *p, operand *o)
{
    const token *ft = peek(p);
    if (!operand_field(p, o))
        return false;
    return peek(p)->kind != T_LBRACKET || parse_slice(p, o, ft);
}

/* name "(" field ")": len, count, upper, lower (Wireshark 4.x). */
static bool parse_function(parser *p, operand *o)
{
    static const struct { const char *name; operand_kind kind; } funcs[] = {
        { "len", X_LEN }, { "count", X_COUNT }, { "upper", X_UPPER }, { "lower", X_LOWER },
    };
    const token *nt = peek(p);
    size_t k = 0;
    while (k < G_N_ELEMENTS(funcs) && strcmp(funcs[k].name, nt->text) != 0)
        k++;
    if (k == G_N_ELEMENTS(funcs)) {
        filter_fail(p->e, nt->col, nt->len, "the function '%s' does not exist (len, count, "
                    "upper, lower are)", nt->text);
        return false;
    }
    p->i += 2;   /* name ( */
    const token *at = peek(p);
    if (!parse_field_operand(p, o))
        return false;
    const flt_field *r = field_at(p, o->field);
    o->kind = funcs[k].kind;
    size_t arglen = peek(p)->col - at->col;
    if (r->src == SRC_PROTO && o->kind != X_COUNT) {
        filter_fail(p->e, at->col, arglen, "%s is a protocol: only count() takes it", r->name);
        return false;
    }
    if (o->kind == X_COUNT && o->slice != SL_NONE) {
        filter_fail(p->e, at->col, arglen, "count() takes a field, not a slice");
        return false;
    }
    if (o->kind == X_LEN && !bytes_like(o->type)) {   /* (4.0 gave integers' widths, 4.4 refuses) */
        filter_fail(p->e, at->col, arglen, "%s does not support the len() function", r->name);
        return false;
    }
    if ((o->kind == X_UPPER || o->kind == X_LOWER) && o->type != FV_STRING) {
        filter_fail(p->e, at->col, arglen, "only character strings can be used as the parameter "
                    "for %s()", nt->text);
        return false;
    }
    o->type = o->kind == X_LEN || o->kind == X_COUNT ? FV_UINT : o->type;
    if (peek(p)->kind != T_RPAREN) {
        if (peek(p)->kind == T_COMMA)
            filter_fail(p->e, peek(p)->col, 1, "%s() takes one argument", nt->text);
        else
            unexpected(p);
        return false;
    }
    p->i++;
    return true;
}

/* True when the current token starts an operand other than a literal: a
 * function call, a known field (sliced or not).  A word that names no
 * field is a literal (IKE_AUTH, 1d:7c). */
static bool operand_ahead(parser *p)
{
    const token *t = peek(p);
    if (t->kind != T_WORD)
        return false;
    if (p->t[p->i + 1].kind == T_LPAREN || p->t[p->i + 1].kind == T_LBRACKET)
        return true;
    int kind;
    return !proto_field(t->text, &kind) && (ike_field(t->text) ||
                                            p->f->ff->lookup(t->text, &(fv_type){ 0 },
                                                             &(unsigned){ 0 }, &kind));
}

static bool parse_operand(parser *p, operand *o)
{
    memset(o, 0, sizeof *o);
    if (peek(p)->kind == T_WORD && p->t[p->i + 1].kind == T_LPAREN)
        return parse_function(p, o);
    return parse_field_operand(p, o);
}

/* Types two operands can be compared in: the same, or byte sequences. */
static bool compatible(fv_type a, fv_type b)
{
    return a == b || (bytes_like(a) && bytes_like(b) && (a == FV_BYTES || b == FV_BYTES));
}

/* After `lhs op`: a second operand, or a literal converted for the lhs. */
static bool parse_rhs(parser *p, node *n, const token *lt)
{
    const token *t = peek(p);
    if (operand_ahead(p)) {
        if (n->op == OP_MATCHES) {
            filter_fail(p->e, t->col, t->len, "matches needs a string, not a field");
            return false;
        }
        if (!parse_operand(p, &n->rhs))
            return false;
        if (!compatible(n->lhs.type, n->rhs.type)) {
            filter_fail(p->e, t->col, t->len, "%s and %s are not of compatible types",
                        field_at(p, n->lhs.field)->name, field_at(p, n->rhs.field)->name);
            return false;
        }
        n->has_rhs = true;
        return true;
    }
    if (!is_value(t))
        return unexpected(p);
    n->lits = g_new0(literal, 1);
    n->nlits = 1;
    bool ok = filter_literal(&n->lref, t, n->op, &n->lits[0], p->e);
    p->i++;
    return ok;
}

/* The literals' field of a general relation: the lhs field, with the
 * operand's type; value names only on the plain field. */
static void literal_field(parser *p, node *n)
{
    n->lref = *field_at(p, n->lhs.field);
    if (n->lhs.kind != X_FIELD || n->lhs.slice != SL_NONE) {
        n->lref.type = n->lhs.type;
        n->lref.field = NULL;
        n->lref.src = SRC_FRAME;   /* no names compared at run time */
        n->lref.bits = n->lhs.type == FV_UINT ? 32 : 64;
    }
}

static node *parse_general(parser *p, quantifier q)
{
    node *n = new_node(N_GEN);
    n->quant = q;
    const token *lt = peek(p);
    if (!parse_operand(p, &n->lhs))
        goto fail;
    literal_field(p, n);
    const token *opt = peek(p);
    if (cmp_of(opt->kind, &n->op)) {
        n->has_op = true;
        if (!valued(p, &n->lref, lt, opt) || !filter_op_fits(&n->lref, lt, n->op, p->e))
            goto fail;
        p->i++;
        if (!parse_rhs(p, n, lt))
            goto fail;
    } else if (opt->kind == T_IN) {
        n->in = true;
        if (!valued(p, &n->lref, lt, opt))
            goto fail;
        p->i++;
        if (!parse_set(p, &n->lref, n))
            goto fail;
    } else if (q != Q_NONE) {
        filter_fail(p->e, opt->col, opt->len ? opt->len : 1, "\"%s\" needs a comparison after it",
                    q == Q_ANY ? "any" : "all");
        goto fail;
    }
    return n;
fail:
    filter_node_free(n);
    return NULL;
}

static node *parse_relation(parser *p)
{
    quantifier q = Q_NONE;
    const token *t = peek(p);
    if (t->kind == T_WORD && (strcmp(t->text, "any") == 0 || strcmp(t->text, "all") == 0) &&
        p->t[p->i + 1].kind == T_WORD) {
        q = t->text[1] == 'n' ? Q_ANY : Q_ALL;
        p->i++;
    }
    /* a plain field against literals: the fast path; the rest: N_GEN */
    size_t at = p->i;
    const token *ft = peek(p);
    bool plain = ft->kind == T_WORD && p->t[at + 1].kind != T_LPAREN &&
                 p->t[at + 1].kind != T_LBRACKET;
    if (plain && cmp_of(p->t[at + 1].kind, &(cmp_op){ 0 })) {
        p->i += 2;
        plain = !operand_ahead(p);
        p->i = at;
    }
    if (!plain)
        return parse_general(p, q);
    int fi = resolve(p->f, ft->text);
    if (fi < 0) {
        filter_fail(p->e, ft->col, ft->len, "\"%s\" is not a valid protocol or protocol field",
                    ft->text);
        return NULL;
    }
    const flt_field *r = &g_array_index(p->f->fields, flt_field, fi);
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
        if (q != Q_NONE) {
            filter_fail(p->e, opt->col, opt->len, "\"%s\" needs a comparison after it",
                        q == Q_ANY ? "any" : "all");
            return NULL;
        }
        n = new_node(N_EXISTS);
        n->field = fi;
    }
    n->quant = q;
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
