// HTTP(S) through libcurl, with the redirect rules a model download needs: redirects are followed
// by us (not by curl) so that the bearer token is dropped the moment the host changes, and so a
// HEAD can stop at the first answer (the Hub's metadata lives on the 302, not on the CDN's 200).
// Proxies come from the usual variables (https_proxy, http_proxy, no_proxy), read by libcurl.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "coz/control.h"

namespace coz::hub {

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names, of the last answer
  std::string body;                            // error answers only (first 64 kB)
  std::string url;                             // the URL that gave the last answer
};

struct HttpRequest {
  enum class Follow { All, RelativeOnly, None };
  std::string method = "GET";  // GET or HEAD
  std::string url;
  std::string bearer;          // sent as Authorization: Bearer ... to the first host only
  int64_t range_from = -1;     // >= 0: Range: bytes=<from>-
  Follow follow = Follow::All;
  // GET bodies of 2xx answers go here, in pieces; return false to stop (an error).
  std::function<bool(const char*, size_t)> sink;
  // Called with the status of each answer once its headers are in, before any body byte (so a sink
  // knows whether a ranged request was honoured: 206, or the whole file again: 200); may be empty.
  std::function<void(long)> on_status;
  // Called as bytes arrive (bytes of this body so far, its Content-Length or -1); may be empty.
  std::function<void(int64_t, int64_t)> on_bytes;
  int connect_timeout_s = 30;
  int stall_timeout_s = 60;
};

// Performs the request. Returns the last answer (any status). Throws Cancelled when ctl's flag is
// set, and TransferError (below) when the connection fails or drops: the message names the URL.
HttpResponse http_request(const HttpRequest& req, const RunControl& ctl);

// A failed transfer (no answer, or the body stopped halfway): worth a retry.
struct TransferError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "https://host:port" of a URL ("" if it has none).
std::string url_origin(const std::string& url);
// `ref` resolved against `base` (absolute or relative Location headers).
std::string url_resolve(const std::string& base, const std::string& ref);
// Percent-encodes everything but unreserved characters and '/' (path segments keep their slashes).
std::string url_escape_path(const std::string& s);

}  // namespace coz::hub
