#include "http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include "coz/error.h"
#include "coz/version.h"

namespace coz::hub {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

struct Transfer {
  const HttpRequest* req = nullptr;
  const RunControl* ctl = nullptr;
  HttpResponse resp;
  bool body_to_sink = false;
  bool sink_refused = false;
  int64_t body_bytes = 0;
  int64_t content_length = -1;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {  // a new answer (after 1xx): forget the headers so far
    t->resp.headers.clear();
    const size_t sp = line.find(' ');
    t->resp.status = sp == std::string::npos ? 0 : std::atol(line.c_str() + sp + 1);
    return size * n;
  }
  if ((line == "\r\n" || line == "\n") && t->resp.status >= 200 && t->req->on_status) {  // end of the headers
    t->req->on_status(t->resp.status);
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon != std::string::npos) t->resp.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  if (t->body_bytes == 0) {  // first piece: decide where the body goes
    t->body_to_sink = t->resp.status >= 200 && t->resp.status < 300 && t->req->sink;
    auto it = t->resp.headers.find("content-length");
    if (it != t->resp.headers.end()) t->content_length = std::atoll(it->second.c_str());
  }
  t->body_bytes += static_cast<int64_t>(len);
  if (t->body_to_sink) {
    if (!t->req->sink(data, len)) {
      t->sink_refused = true;
      return 0;
    }
    if (t->req->on_bytes) t->req->on_bytes(t->body_bytes, t->content_length);
  } else if (t->resp.body.size() < 65536) {
    t->resp.body.append(data, std::min(len, 65536 - t->resp.body.size()));
  }
  return len;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->ctl->cancelled() ? 1 : 0;
}

std::string host_of(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  char* host = nullptr;
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK ||
      curl_url_get(u.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK)
    return "";
  std::string h = lower(host);
  curl_free(host);
  return h;
}

HttpResponse perform_once(const HttpRequest& req, const std::string& url, bool send_auth, const RunControl& ctl) {
  global_init();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw TransferError("cannot start a transfer (libcurl) for " + url);
  Transfer t;
  t.req = &req;
  t.ctl = &ctl;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  if (req.method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(req.connect_timeout_s));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(req.stall_timeout_s));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  const std::string agent = std::string("coz/") + version();
  curl_easy_setopt(c, CURLOPT_USERAGENT, agent.c_str());
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept-Encoding: identity");  // sizes and hashes are of the raw bytes
  const std::string auth = "Authorization: Bearer " + req.bearer;
  if (send_auth && !req.bearer.empty()) headers = curl_slist_append(headers, auth.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hold(headers, curl_slist_free_all);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  std::string range;
  if (req.range_from > 0) {
    range = std::to_string(req.range_from) + "-";
    curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  t.resp.url = url;
  if (rc == CURLE_ABORTED_BY_CALLBACK) throw Cancelled();
  if (rc == CURLE_WRITE_ERROR && t.sink_refused) throw Error("could not store the download of " + url);
  if (rc != CURLE_OK) {
    // A body cut short (CURLE_PARTIAL_FILE, CURLE_RECV_ERROR) keeps what arrived: the caller resumes.
    throw TransferError(url + ": " + curl_easy_strerror(rc));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  t.resp.status = status;
  return t.resp;
}

}  // namespace

HttpResponse http_request(const HttpRequest& req, const RunControl& ctl) {
  std::string url = req.url;
  const std::string first_host = host_of(url);
  for (int hop = 0; hop < 10; ++hop) {
    ctl.check_cancel();
    const bool same_host = host_of(url) == first_host;
    HttpResponse r = perform_once(req, url, same_host, ctl);
    const bool redirect = r.status == 301 || r.status == 302 || r.status == 303 || r.status == 307 || r.status == 308;
    auto loc = r.headers.find("location");
    if (!redirect || loc == r.headers.end() || req.follow == HttpRequest::Follow::None) return r;
    const std::string& ref = loc->second;
    const bool relative = ref.rfind("http://", 0) != 0 && ref.rfind("https://", 0) != 0 && ref.rfind("//", 0) != 0;
    if (req.follow == HttpRequest::Follow::RelativeOnly && !relative) return r;
    url = url_resolve(url, ref);
  }
  throw TransferError(req.url + ": more than 10 redirects");
}

std::string url_origin(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const size_t end = url.find('/', scheme + 3);
  return url.substr(0, end);
}

std::string url_resolve(const std::string& base, const std::string& ref) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  char* out = nullptr;
  if (curl_url_set(u.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK ||
      curl_url_set(u.get(), CURLUPART_URL, ref.c_str(), 0) != CURLUE_OK ||
      curl_url_get(u.get(), CURLUPART_URL, &out, 0) != CURLUE_OK)
    throw TransferError(base + ": the server redirected to an unusable address '" + ref + "'");
  std::string s = out;
  curl_free(out);
  return s;
}

std::string url_escape_path(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace coz::hub
