// The one JSON value of the project's test programs: the compatibility suite reads its SUT's and
// peer's observation lines and writes its report with it, and the e2e, reliability and
// fail-closed tests read the one-line reports of their probes. Objects keep insertion order, so
// a report is byte-for-byte stable. Not a general parser: strings carry the escapes our programs
// emit (\uXXXX below 0x80; above, '?'), numbers are doubles (exact for the integers reports hold).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sslshim::testsupport {

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Json() = default;
  static Json Bool(bool v);
  static Json Number(double v);
  static Json String(std::string v);
  static Json Array();
  static Json Object();

  // One JSON value, surrounding whitespace allowed. On failure: nullopt, and (when `error` is
  // given) what was wrong and at which offset.
  static std::optional<Json> Parse(const std::string& text, std::string* error = nullptr);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool AsBool(bool fallback = false) const;
  long long AsInt(long long fallback = 0) const;
  const std::string& AsString() const;
  const std::vector<Json>& items() const { return items_; }
  const std::vector<std::pair<std::string, Json>>& members() const { return members_; }

  // Object access: a missing key gives a null value.
  const Json& operator[](const std::string& key) const;
  bool Has(const std::string& key) const;
  Json& Set(const std::string& key, Json value);
  Json& Push(Json value);

  // Typed fields of an object, for reading a report whole: a missing field, or one of another
  // type, sets *ok to false (and answers false, 0, "" or {}), so one bad field does not stop the
  // reading of the others.
  bool BoolField(const std::string& key, bool* ok) const;
  int64_t IntField(const std::string& key, bool* ok) const;
  std::string StringField(const std::string& key, bool* ok) const;
  std::vector<int64_t> IntArrayField(const std::string& key, bool* ok) const;

  std::string Dump() const;  // compact, one line

 private:
  const Json* Field(const std::string& key, Type type, bool* ok) const;

  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
  friend class JsonParser;
};

// A JSON string literal for `s`: quotes, backslashes and newlines escaped, other bytes below 0x20
// or from 0x7f up as \u00XX.
std::string JsonQuote(const std::string& s);

}  // namespace sslshim::testsupport
