// A minimal JSON reader for the one-line reports of tls_app and tls_peer: objects, arrays,
// strings (with the escapes those programs emit), integers, booleans and null. Not a general
// parser: enough to read our own output and to say clearly where it is malformed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sslshim::e2e {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  // Parses text (one JSON value, surrounding whitespace allowed). On failure returns nullopt and
  // puts a message with the offset into *error.
  static std::optional<JsonValue> Parse(const std::string& text, std::string* error);

  Kind kind() const { return kind_; }
  bool Has(const std::string& key) const;

  // Typed access; a missing key or another kind is a test failure reported by the caller through
  // the `ok` flag (set to false), so one bad field does not abort the whole comparison.
  bool Bool(const std::string& key, bool* ok) const;
  int64_t Int(const std::string& key, bool* ok) const;
  std::string Str(const std::string& key, bool* ok) const;
  std::vector<int64_t> IntArray(const std::string& key, bool* ok) const;

 private:
  friend class JsonParser;
  const JsonValue* Find(const std::string& key, Kind kind, bool* ok) const;

  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  int64_t number_ = 0;
  std::string string_;
  std::vector<JsonValue> array_;
  std::map<std::string, JsonValue> object_;
};

}  // namespace sslshim::e2e
