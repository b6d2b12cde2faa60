/*
 * Display filters: the expression cut into tokens, each with its column
 * (wireshark-filter(4), "FILTER SYNTAX").  Words are field names and
 * unquoted literals alike (ike.ispi, 10.0.0.0/8, 1d:7c:87, 0x22,
 * IKE_SA_INIT); the parser tells them apart by where they stand.  English
 * operator names (and, eq, contains, ...) are words turned into operators
 * here, in lower or upper case as Wireshark takes them.
 */
#include <stdarg.h>
#include <string.h>

#include "filter_int.h"

void filter_fail(filter_error *e, size_t col, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->col = col;
    e->len = len ? len : 1;
}

/* The characters of a word: Wireshark's unquoted literals and field names. */
static bool word_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':' || c == '/' ||
           c == '+';
}

static const struct {
    const char *word;
    tok_kind kind;
} keywords[] = {
    { "and", T_AND }, { "or", T_OR }, { "not", T_NOT },
    { "eq", T_EQ }, { "any_eq", T_EQ }, { "ne", T_ALL_NE }, { "all_ne", T_ALL_NE },
    { "any_ne", T_ANY_NE }, { "all_eq", T_ALL_EQ },
    { "lt", T_LT }, { "gt", T_GT }, { "le", T_LE }, { "ge", T_GE },
    { "contains", T_CONTAINS }, { "matches", T_MATCHES }, { "in", T_IN },
};

static tok_kind keyword(const char *w, size_t n)
{
    for (size_t i = 0; i < G_N_ELEMENTS(keywords); i++) {
        const char *k = keywords[i].word;
        if (strlen(k) != n)
            continue;
        if (strncmp(w, k, n) == 0)
            return keywords[i].kind;
        char up[16];
        for (size_t j = 0; j <= n; j++)
            up[j] = g_ascii_toupper(k[j]);
        if (strncmp(w, up, n) == 0)
            return keywords[i].kind;
    }
    return T_WORD;
}

/* Symbols, longest first. */
static const struct {
    const char *sym;
    tok_kind kind;
} symbols[] = {
    { "===", T_ALL_EQ }, { "!==", T_ANY_NE },
    { "==", T_EQ }, { "!=", T_ALL_NE }, { "~=", T_ANY_NE }, { "<=", T_LE }, { ">=", T_GE },
    { "&&", T_AND }, { "||", T_OR }, { "..", T_DOTDOT },
    { "<", T_LT }, { ">", T_GT }, { "!", T_NOT }, { "~", T_MATCHES },
    { "(", T_LPAREN }, { ")", T_RPAREN }, { "{", T_LBRACE }, { "}", T_RBRACE }, { ",", T_COMMA },
    { "[", T_LBRACKET }, { "]", T_RBRACKET },
};

/* One escape after a backslash at s[*i]; false when it is not one. */
static bool escape(const char *s, size_t *i, GString *out)
{
    char c = s[*i];
    static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";
    const char *k = c ? strchr(from, c) : NULL;
    if (k) {
        g_string_append_c(out, to[k - from]);
        (*i)++;
        return true;
    }
    if (c == 'x' && g_ascii_isxdigit(s[*i + 1])) {
        unsigned v = 0, n = 0;
        for ((*i)++; n < 2 && g_ascii_isxdigit(s[*i]); n++, (*i)++)
            v = v * 16 + (unsigned)g_ascii_xdigit_value(s[*i]);
        g_string_append_c(out, (char)v);
        return true;
    }
    if (c >= '0' && c <= '7') {
        unsigned v = 0, n = 0;
        for (; n < 3 && s[*i] >= '0' && s[*i] <= '7'; n++, (*i)++)
            v = v * 8 + (unsigned)(s[*i] - '0');
        if (v > 0xff)
            return false;
        g_string_append_c(out, (char)v);
        return true;
    }
    return false;
}

/* A quoted string from s[start] (the quote); the token or false. */
static bool string_token(const char *s, size_t start, token *t, filter_error *e)
{
    GString *text = g_string_new(NULL);
    size_t i = start + 1;
    while (s[i] && s[i] != '"') {
        if (s[i] != '\\') {
            g_string_append_c(text, s[i++]);
            continue;
        }
        size_t at = i++;
        if (!escape(s, &i, text)) {
            filter_fail(e, at, 2, "invalid escape sequence in a string");
            g_string_free(text, TRUE);
            return false;
        }
    }
    if (!s[i]) {
        filter_fail(e, start, i - start, "the string has no closing quote");
        g_string_free(text, TRUE);
        return false;
    }
    t->kind = T_STRING;
    t->col = start;
    t->len = i + 1 - start;
    t->text_len = text->len;
    t->text = g_string_free(text, FALSE);
    return true;
}

/* A word from s[start]: it ends before ".." (a range's dots) */
static size_t word_end(const char *s, size_t i)
{
    while (word_char(s[i]) && !(s[i] == '.' && s[i + 1] == '.'))
        i++;
    return i;
}

bool filter_lex(const char *s, GArray *toks, filter_error *e)
{
    size_t i = 0;
    for (;;) {
        while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
            i++;
        token t = { .col = i };
        if (!s[i]) {
            t.kind = T_END;
            g_array_append_val(toks, t);
            return true;
        }
        if (s[i] == '"') {
            if (!string_token(s, i, &t, e))
                return false;
            i += t.len;
            g_array_append_val(toks, t);
            continue;
        }
        bool sym = false;
        for (size_t k = 0; k < G_N_ELEMENTS(symbols) && !sym; k++) {
            size_t n = strlen(symbols[k].sym);
            if (strncmp(s + i, symbols[k].sym, n) == 0) {
                t.kind = symbols[k].kind;
                t.len = n;
                sym = true;
            }
        }
        if (!sym && word_char(s[i])) {
            size_t end = word_end(s, i);
            t.len = end - i;
            t.kind = keyword(s + i, t.len);
            if (t.kind == T_WORD) {
                t.text = g_strndup(s + i, t.len);
                t.text_len = t.len;
            }
        } else if (!sym) {
            t.kind = T_UNSUPPORTED;   /* one character, however many bytes */
            t.len = 1;
            while (((guchar)s[i + t.len] & 0xc0) == 0x80)
                t.len++;
        }
        i += t.len;
        g_array_append_val(toks, t);
    }
}

void filter_tokens_free(GArray *toks)
{
    for (guint i = 0; i < toks->len; i++)
        g_free(g_array_index(toks, token, i).text);
    g_array_free(toks, TRUE);
}
