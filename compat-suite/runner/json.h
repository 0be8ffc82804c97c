// A small JSON value: enough to read the SUT's and peer's observation lines and to write the
// report. Objects keep insertion order so the report is byte-for-byte stable.
#ifndef COMPAT_SUITE_RUNNER_JSON_H_
#define COMPAT_SUITE_RUNNER_JSON_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace compat {

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Json() = default;
  static Json Bool(bool v);
  static Json Number(double v);
  static Json String(std::string v);
  static Json Array();
  static Json Object();

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool AsBool(bool fallback = false) const;
  long long AsInt(long long fallback = 0) const;
  const std::string &AsString() const;
  const std::vector<Json> &items() const { return items_; }
  const std::vector<std::pair<std::string, Json>> &members() const { return members_; }

  // Object access: missing keys give a null value.
  const Json &operator[](const std::string &key) const;
  Json &Set(const std::string &key, Json value);
  Json &Push(Json value);

  std::string Dump() const;  // compact, one line

  static std::optional<Json> Parse(const std::string &text);

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
  friend class JsonParser;
};

std::string JsonQuote(const std::string &s);

}  // namespace compat

#endif  // COMPAT_SUITE_RUNNER_JSON_H_
