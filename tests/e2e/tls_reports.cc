#include "tls_reports.h"

#include "testsupport/json.h"

namespace sslshim::e2e {
namespace {

std::optional<testsupport::Json> LastLine(const std::string& text, std::string* error) {
  size_t end = text.find_last_not_of("\r\n \t");
  if (end == std::string::npos) {
    *error = "no output";
    return std::nullopt;
  }
  size_t begin = text.rfind('\n', end);
  begin = begin == std::string::npos ? 0 : begin + 1;
  std::optional<testsupport::Json> v =
      testsupport::Json::Parse(text.substr(begin, end + 1 - begin), error);
  if (v && v->type() != testsupport::Json::Type::kObject) {
    *error = "the last line is not a JSON object";
    return std::nullopt;
  }
  return v;
}

}  // namespace

std::optional<AppReport> ParseAppReport(const std::string& stdout_text, std::string* error) {
  std::optional<testsupport::Json> v = LastLine(stdout_text, error);
  if (!v) return std::nullopt;
  bool ok = true;
  AppReport r;
  r.ok = v->BoolField("ok", &ok);
  r.error = v->StringField("error", &ok);
  r.version = v->StringField("version", &ok);
  r.cipher = v->StringField("cipher", &ok);
  r.bytes_requested = v->IntField("bytes_requested", &ok);
  r.bytes_written = v->IntField("bytes_written", &ok);
  r.sha256 = v->StringField("sha256", &ok);
  r.peer_sha256 = v->StringField("peer_sha256", &ok);
  r.digest_match = v->BoolField("digest_match", &ok);
  r.verify_result = v->IntField("verify_result", &ok);
  r.peer_close_notify = v->BoolField("peer_close_notify", &ok);
  r.ssl_write_calls = v->IntField("ssl_write_calls", &ok);
  r.want_write_count = v->IntField("want_write_count", &ok);
  r.want_read_count = v->IntField("want_read_count", &ok);
  r.ssl_write_lib = v->StringField("ssl_write_lib", &ok);
  r.ssl_ctx_new_lib = v->StringField("ssl_ctx_new_lib", &ok);
  r.loaded_ssl_objects = v->StringField("loaded_ssl_objects", &ok);
  if (!ok) {
    *error = "tls_app's report lacks a field or has one of the wrong type";
    return std::nullopt;
  }
  return r;
}

std::optional<PeerReport> ParsePeerReport(const std::string& stdout_text, std::string* error) {
  std::optional<testsupport::Json> v = LastLine(stdout_text, error);
  if (!v) return std::nullopt;
  bool ok = true;
  PeerReport r;
  r.ok = v->BoolField("ok", &ok);
  r.error = v->StringField("error", &ok);
  r.version = v->StringField("version", &ok);
  r.cipher = v->StringField("cipher", &ok);
  r.bytes = v->IntField("bytes", &ok);
  r.sha256 = v->StringField("sha256", &ok);
  r.got_close_notify = v->BoolField("got_close_notify", &ok);
  r.client_hello_groups = v->IntArrayField("client_hello_groups", &ok);
  r.client_hello_ciphers = v->IntArrayField("client_hello_ciphers", &ok);
  r.server_hello_extensions = v->IntArrayField("server_hello_extensions", &ok);
  r.tickets_before_data = v->IntField("tickets_before_data", &ok);
  r.ticket_records_before_data = v->IntField("ticket_records_before_data", &ok);
  if (!ok) {
    *error = "tls_peer's report lacks a field or has one of the wrong type";
    return std::nullopt;
  }
  return r;
}

}  // namespace sslshim::e2e
