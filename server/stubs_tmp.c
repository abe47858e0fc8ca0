#include "server/resp.h"
#include "server/routes.h"
#define S(n) void n(struct req *r) { resp_error(r->c, 501, "not yet"); }
S(hb_get) S(hb_anything) S(hb_headers) S(hb_ip) S(hb_user_agent) S(hb_status) S(hb_redirect) S(hb_relative_redirect) S(hb_absolute_redirect) S(hb_redirect_to) S(hb_cookies) S(hb_cookies_set) S(hb_cookies_delete) S(hb_basic_auth) S(hb_bearer) S(hb_forms_post) S(hb_upload) S(hb_response_headers)
S(hb_delay) S(hb_stream) S(hb_bytes) S(hb_stream_bytes) S(hb_range) S(hb_drip) S(hb_gzip) S(hb_deflate) S(hb_cache) S(hb_etag) S(hb_html) S(hb_json) S(hb_xml) S(hb_uuid) S(hb_base64)
S(fault_close_early) S(fault_wrong_length) S(fault_bad_chunk) S(fault_slow_headers) S(fault_no_response) S(fault_reset) S(fault_http10)
