/*
 * opt_config.h - curl's config file syntax (-K FILE, .curlrc) turned into
 * argv words for opt_next().
 *
 *   # comment
 *   silent                      a flag, dashes optional
 *   --max-time 5                dashes: whitespace separates the value
 *   user-agent = "x \"y\""      no dashes: '=' or ':' may separate it
 *   url = http://example.org/
 *
 * The option table decides whether a name takes a value (a flag ignores
 * the rest of its line, as curl does).
 */
#ifndef HTTPTOOL_OPT_CONFIG_H
#define HTTPTOOL_OPT_CONFIG_H

#include <stddef.h>

#include "opt.h"

/*
 * Read path ("-" for stdin) into *words: "--name" and value words in
 * order, each malloc'd, the array too (the caller frees all).  Returns the
 * number of words, -ENOENT when the file does not exist (err set), or
 * another negative errno / -EINVAL with a one-line reason in err
 * ("'FILE' line 3: unknown option 'x'").
 */
int opt_config_read(const char *path, const struct opt_spec *specs,
		    char ***words, char *err, size_t errsize);

#endif
