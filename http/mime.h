/*
 * mime.h - media types by file name extension.
 */
#ifndef HTTPTOOL_MIME_H
#define HTTPTOOL_MIME_H

/* "text/html; charset=utf-8" for "a.html" (case-insensitive extension);
 * "application/octet-stream" when unknown.  Static storage. */
const char *http_mime_type(const char *path);

#endif
