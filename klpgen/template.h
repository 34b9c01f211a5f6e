/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text templates of templates/: @KEY@ placeholders replaced by values.
 * Looked up with klpgen_datafile() (build.h), like every data file.
 */
#ifndef KLPGEN_TEMPLATE_H
#define KLPGEN_TEMPLATE_H

/*
 * @text with every @KEY@ of @vars ("KEY", "value", ..., NULL) replaced,
 * malloc'd.  An @KEY@ that @vars does not name is left as it is.
 */
char *template_fill(const char *text, const char *const *vars);

/*
 * templates/@rel filled with @vars; NULL after a message naming the file
 * when it cannot be found or read.
 */
char *template_load(const char *rel, const char *const *vars);

#endif
