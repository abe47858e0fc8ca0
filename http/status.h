/*
 * status.h - HTTP status codes and their reason phrases (RFC 9110 §15).
 */
#ifndef HTTPTOOL_STATUS_H
#define HTTPTOOL_STATUS_H

/* "Not Found" for 404; "" for a code with no registered phrase. */
const char *http_status_phrase(int code);

#endif
