/*
 * json_tree.h - a JSON body in the protocol tree, as Wireshark's
 * "JavaScript Object Notation" layer (json.* filter fields).
 */
#ifndef HTTPTOOL_JSON_TREE_H
#define HTTPTOOL_JSON_TREE_H

#include <stdbool.h>

#include "lib/buf.h"
#include "ptree.h"

/*
 * Add the layer at depth 0 for body (media type mt), its bytes at base
 * in source src (-1: none).  False, having added the layer's line only,
 * when body is not an object or array of valid JSON, or nests too deep
 * to show (as tshark, which then shows the body's text lines).
 */
bool json_tree(struct ptree *t, struct span mt, struct span body, int src,
	       size_t base);

#endif
