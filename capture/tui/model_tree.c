/*
 * model_tree.c - the detail tree and the text views of the TUI model.
 *
 * The tree is a copy of the selected frame's protocol tree (ptree.h):
 * one node per node, with its depth, data source and byte range; the
 * text is the tree's -V text (what `sniff -V` prints).  Top-level layers
 * start closed except HTTP and what follows it (forms, bodies), which
 * start open with all their children.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/ptree.h"
#include "model.h"

void
tui_tree_free(struct tui_tree *t)
{
	free(t->v);
	buf_free(&t->text);
	buf_free(&t->bytes);
	memset(t, 0, sizeof(*t));
}

static struct tui_node *
tree_push(struct tui_tree *t)
{
	if (t->n == t->cap) {
		size_t n = t->cap ? t->cap * 2 : 128;
		struct tui_node *v = realloc(t->v, n * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = n;
	}
	return &t->v[t->n++];
}

int
tui_tree_load(struct tui_tree *t, const struct ptree *pt)
{
	bool open_top = false;
	size_t i, at = 0;
	unsigned k;

	t->n = 0;
	t->sel = t->top = 0;
	buf_reset(&t->text);
	buf_reset(&t->bytes);
	ptree_print(pt, &t->text);
	if (buf_append(&t->text, "\n", 1) < 0)
		return -1;
	for (i = 0; i < pt->n; i++) {
		const struct ptree_node *pn = &pt->v[i];
		struct tui_node *nd;

		if (pn->hidden)
			continue;	/* a field only, as ptree_print */
		if (!(nd = tree_push(t)))
			return -1;
		/* the label as ptree_print placed it: after the indent */
		at += 4u * pn->depth;
		nd->depth = pn->depth;
		nd->off = (uint32_t)at;
		nd->len = pn->label_len;
		at += pn->label_len + 1;
		nd->kids = false;
		nd->src = pn->src;
		nd->ref = pn->type == PT_FRAME && pn->ival > 0 &&
			  pn->ival <= UINT32_MAX ? (uint32_t)pn->ival : 0;
		nd->hl_off = pn->has_bytes ? (int32_t)pn->off : -1;
		nd->hl_len = pn->has_bytes ? (int32_t)pn->len : -1;
		if (pn->depth == 0)
			open_top = open_top || pn->field == FF_HTTP;
		nd->open = open_top;
		if (t->n > 1 && nd->depth > t->v[t->n - 2].depth)
			t->v[t->n - 2].kids = true;
	}
	t->nsrc = 0;
	for (k = 0; k < pt->nsrc && k < TUI_SOURCES; k++) {
		size_t n;
		const uint8_t *p = ptree_bytes(pt, k, &n);

		memcpy(t->src[k].name, pt->src[k].name, sizeof(t->src[k].name));
		t->src[k].off = (uint32_t)t->bytes.len;
		t->src[k].len = (uint32_t)n;
		if (n && buf_append(&t->bytes, p, n) < 0)
			return -1;
		t->nsrc++;
	}
	return 0;
}

unsigned
tui_tree_source(const struct tui_tree *t)
{
	long sel = tui_tree_selected(t);

	return sel >= 0 && t->v[sel].hl_off >= 0 && t->v[sel].src < t->nsrc ?
	       t->v[sel].src : 0;
}

const uint8_t *
tui_tree_bytes(const struct tui_tree *t, unsigned s, size_t *len)
{
	*len = s < t->nsrc ? t->src[s].len : 0;
	return *len ? (const uint8_t *)t->bytes.data + t->src[s].off : NULL;
}

/* Indices of the visible nodes (parents open), up to max; the count. */
size_t
tui_tree_visible(const struct tui_tree *t, size_t *idx, size_t max)
{
	size_t i, n = 0;
	int hide_below = -1;	/* depth under a closed node */

	for (i = 0; i < t->n; i++) {
		const struct tui_node *nd = &t->v[i];

		if (hide_below >= 0 && nd->depth > hide_below)
			continue;
		hide_below = -1;
		if (idx && n < max)
			idx[n] = i;
		n++;
		if (nd->kids && !nd->open)
			hide_below = nd->depth;
	}
	return n;
}

/* Visible position k -> node index (or -1). */
static long
tree_node_at(const struct tui_tree *t, size_t k)
{
	size_t i, n = 0;
	int hide_below = -1;

	for (i = 0; i < t->n; i++) {
		const struct tui_node *nd = &t->v[i];

		if (hide_below >= 0 && nd->depth > hide_below)
			continue;
		hide_below = -1;
		if (n++ == k)
			return (long)i;
		if (nd->kids && !nd->open)
			hide_below = nd->depth;
	}
	return -1;
}

long
tui_tree_selected(const struct tui_tree *t)
{
	return tree_node_at(t, t->sel);
}

void
tui_tree_move(struct tui_tree *t, long delta, int rows)
{
	size_t n = tui_tree_visible(t, NULL, 0);
	long s = (long)t->sel + delta;

	if (!n)
		return;
	if (s < 0)
		s = 0;
	if ((size_t)s >= n)
		s = (long)n - 1;
	t->sel = (size_t)s;
	if (rows < 1)
		rows = 1;
	if (t->sel < t->top)
		t->top = t->sel;
	else if (t->sel >= t->top + (size_t)rows)
		t->top = t->sel - (size_t)rows + 1;
}

void
tui_tree_toggle(struct tui_tree *t)
{
	long i = tui_tree_selected(t);

	if (i >= 0 && t->v[i].kids)
		t->v[i].open = !t->v[i].open;
}

void
tui_tree_subtree(struct tui_tree *t)
{
	long i = tui_tree_selected(t);
	size_t k;

	if (i < 0)
		return;
	t->v[i].open = true;
	for (k = (size_t)i + 1; k < t->n && t->v[k].depth > t->v[i].depth; k++)
		t->v[k].open = true;
}

void
tui_tree_left(struct tui_tree *t, int rows)
{
	long i = tui_tree_selected(t), k;
	size_t vis;

	if (i < 0)
		return;
	if (t->v[i].kids && t->v[i].open) {
		t->v[i].open = false;
		return;
	}
	/* a leaf or a closed node: to its parent, as Wireshark does */
	for (k = i - 1; k >= 0 && t->v[k].depth >= t->v[i].depth; k--)
		;
	if (k < 0)
		return;
	for (vis = 0; vis < t->n && tree_node_at(t, vis) != k; vis++)
		;
	tui_tree_move(t, (long)vis - (long)t->sel, rows);
}

void
tui_tree_right(struct tui_tree *t, int rows)
{
	long i = tui_tree_selected(t);

	if (i < 0 || !t->v[i].kids)
		return;
	if (!t->v[i].open)
		t->v[i].open = true;
	else
		tui_tree_move(t, 1, rows);	/* open: to its first child */
}

void
tui_tree_set_all(struct tui_tree *t, bool open)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		t->v[i].open = open;
	t->sel = t->top = 0;
}

void
tui_text_free(struct tui_text *tv)
{
	buf_free(&tv->text);
	free(tv->off);
	free(tv->len);
	free(tv->kind);
	memset(tv, 0, sizeof(*tv));
}

void
tui_text_reset(struct tui_text *tv, const char *title)
{
	buf_reset(&tv->text);
	tv->n = tv->top = 0;
	snprintf(tv->title, sizeof(tv->title), "%s", title ? title : "");
}

static int
text_grow(struct tui_text *tv)
{
	size_t n = tv->cap ? tv->cap * 2 : 256;
	uint32_t *o = realloc(tv->off, n * sizeof(*o));
	uint32_t *l;
	uint8_t *k;

	if (!o)
		return -1;
	tv->off = o;
	if (!(l = realloc(tv->len, n * sizeof(*l))))
		return -1;
	tv->len = l;
	if (!(k = realloc(tv->kind, n)))
		return -1;
	tv->kind = k;
	tv->cap = n;
	return 0;
}

/* Add s as one or more lines (split at '\n'), all of one kind. */
int
tui_text_add(struct tui_text *tv, int kind, const char *s, size_t n)
{
	size_t i = 0;

	do {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n;

		if (tv->n == tv->cap && text_grow(tv) < 0)
			return -1;
		tv->off[tv->n] = (uint32_t)tv->text.len;
		tv->len[tv->n] = (uint32_t)(end - i);
		tv->kind[tv->n] = (uint8_t)kind;
		tv->n++;
		if (buf_append(&tv->text, s + i, end - i) < 0)
			return -1;
		i = end + 1;
	} while (i < n);
	return 0;
}

void
tui_text_scroll(struct tui_text *tv, long delta, int rows)
{
	long top = (long)tv->top + delta;
	long max = (long)tv->n - (rows > 0 ? rows : 1);

	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	tv->top = (size_t)top;
}
