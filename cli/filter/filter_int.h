/* Display filters inside: tokens (lexer.c), the program tree (parser.c,
 * literal.c) and its evaluation (eval.c).  filter.h is the outside. */
#ifndef ISAKMPDUMP_FILTER_INT_H
#define ISAKMPDUMP_FILTER_INT_H

#include <glib.h>

#include "filter.h"

/* ---------------------------------------------------------------- tokens */

typedef enum {
    T_END,
    T_WORD,      /* a field name or an unquoted literal: ike.ispi, 10.0.0.0/8, 1d:7c, 34 */
    T_STRING,    /* "quoted", escapes resolved into text */
    T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_COMMA, T_DOTDOT,
    T_AND, T_OR, T_NOT,
    T_EQ, T_ALL_NE, T_ANY_NE, T_ALL_EQ, T_LT, T_GT, T_LE, T_GE,
    T_CONTAINS, T_MATCHES, T_IN,
    T_LBRACKET, T_RBRACKET,   /* slices: ike.ispi[0:2] */
    T_UNSUPPORTED   /* the rest of Wireshark's syntax, not supported here */
} tok_kind;

typedef struct {
    tok_kind kind;
    size_t col, len;   /* bytes of the expression, from 0 */
    char *text;        /* T_WORD, T_STRING: owned; others NULL */
    size_t text_len;   /* T_STRING may hold NUL bytes */
} token;

/* Splits expr into tokens, the last one T_END; false with *e set. */
bool filter_lex(const char *expr, GArray *toks, filter_error *e);
void filter_tokens_free(GArray *toks);

/* ---------------------------------------------------------------- program */

typedef enum { OP_EQ, OP_ALL_NE, OP_ANY_NE, OP_ALL_EQ, OP_LT, OP_GT, OP_LE, OP_GE,
               OP_CONTAINS, OP_MATCHES } cmp_op;

/* A field the program reads: an ike.* field, a capture field, or a
 * protocol name (presence only). */
typedef enum { SRC_IKE, SRC_FRAME, SRC_PROTO } field_src;

typedef struct {
    field_src src;
    int id;            /* SRC_IKE: isakmp_field.id; SRC_FRAME: the provider's key;
                        * SRC_PROTO: enum proto_kind */
    int slot;          /* SRC_IKE: index into the scratch's per-field lists */
    fv_type type;
    unsigned bits;     /* FV_UINT: the width, for literal range checks */
    const isakmp_field *field;   /* SRC_IKE */
    char *name;        /* as the user wrote it (isakmp.X stays so); owned */
} flt_field;

enum proto_kind { PROTO_IKE, PROTO_FRAME, PROTO_ETH, PROTO_VLAN, PROTO_IP, PROTO_IPV6, PROTO_UDP,
                  PROTO_TCP, PROTO_ESP };

/* A literal once converted to its field's type.  lo..hi: a range
 * (`in {1..5}`), lo == hi for one value.  prefix: CIDR bits of an
 * address.  name: a value name compared at run time (isakmp_item_value_name)
 * when the field's names depend on the message. */
typedef struct {
    fval lo, hi;
    bool range;
    unsigned prefix;
    char *name;
    uint8_t *own;      /* bytes lo.p / hi.p point into */
    GRegex *re;
} literal;

/* What a relation reads besides a plain field (Wireshark 4.x): a slice of
 * a field's bytes, a function of a field, or a second field. */
typedef enum { X_FIELD, X_LEN, X_COUNT, X_UPPER, X_LOWER } operand_kind;
typedef enum { SL_NONE, SL_LEN, SL_END, SL_REST } slice_kind;   /* [i:n], [i-j], [i:] */

typedef struct {
    operand_kind kind;
    int field;          /* index into filter.fields */
    slice_kind slice;   /* of the field's bytes, before the function */
    long start, n;      /* SL_LEN: from start (negative: from the end), n bytes;
                         * SL_END: start to n inclusive; SL_REST: start to the end */
    fv_type type;       /* of the operand's values */
} operand;

/* Quantifiers: `any` / `all` before a relation (Wireshark 4.x). */
typedef enum { Q_NONE, Q_ANY, Q_ALL } quantifier;

typedef enum { N_AND, N_OR, N_NOT, N_EXISTS, N_CMP, N_IN, N_GEN } node_kind;

typedef struct node node;
struct node {
    node_kind kind;
    node *a, *b;           /* N_AND, N_OR: both; N_NOT: a */
    int field;             /* N_EXISTS, N_CMP, N_IN: index into filter.fields */
    cmp_op op;             /* N_CMP, N_GEN */
    literal *lits;         /* N_CMP: one; N_IN: nlits; N_GEN: one, nlits (in), or none */
    size_t nlits;
    quantifier quant;      /* N_CMP, N_GEN */
    /* N_GEN: a relation over operands: lhs alone (presence), lhs op rhs
     * (a second operand) or lhs op / in literals (converted for lref) */
    operand lhs, rhs;
    bool has_op, has_rhs, in;
    flt_field lref;        /* the literals' field: lhs's type (name borrowed) */
};

struct filter {
    char *expr;            /* the text, for error messages */
    node *root;
    GArray *fields;        /* flt_field */
    size_t nslots;         /* ike.* fields read */
    int *slot_of;          /* per isakmp field id: its slot or -1 */
    size_t nfield_ids;
    const filter_frame_fields *ff;
};

/* parser.c: the tree of tokens, fields resolved, literals converted. */
node *filter_parse(filter *f, GArray *toks, filter_error *e);
void filter_node_free(node *n);

/* literal.c: converts the text of a literal for a field; false with *e set
 * (col / len are the token's). */
bool filter_literal(const flt_field *fr, const token *t, cmp_op op, literal *out,
                    filter_error *e);
/* The upper end of a range `lo..hi` into an existing literal. */
bool filter_literal_hi(const flt_field *fr, const token *t, literal *out, filter_error *e);
void filter_literal_clear(literal *l);
/* contains / matches only on strings and bytes: false with *e at the field t. */
bool filter_op_fits(const flt_field *r, const token *t, cmp_op op, filter_error *e);

/* eval.c */
bool filter_eval(const filter *f, filter_scratch *s, const node *n);

/* Formats an error into e. */
void filter_fail(filter_error *e, size_t col, size_t len, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);


#endif
