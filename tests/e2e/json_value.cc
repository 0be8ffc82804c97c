#include "json_value.h"

#include <cctype>
#include <cstdlib>

namespace sslshim::e2e {

class JsonParser {
 public:
  explicit JsonParser(const std::string& text) : text_(text) {}

  std::optional<JsonValue> ParseDocument(std::string* error) {
    std::optional<JsonValue> value = ParseValue();
    SkipSpace();
    if (value && pos_ != text_.size()) Fail("trailing characters");
    if (!error_.empty()) {
      *error = error_ + " at offset " + std::to_string(pos_);
      return std::nullopt;
    }
    return value;
  }

 private:
  void Fail(const std::string& what) {
    if (error_.empty()) error_ = what;
  }
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) pos_++;
  }
  bool Consume(const std::string& word) {
    if (text_.compare(pos_, word.size(), word) != 0) return false;
    pos_ += word.size();
    return true;
  }

  std::optional<JsonValue> ParseValue() {
    SkipSpace();
    if (pos_ >= text_.size()) {
      Fail("unexpected end");
      return std::nullopt;
    }
    JsonValue v;
    char c = text_[pos_];
    if (c == '{') return ParseObject();
    if (c == '[') return ParseArray();
    if (c == '"') {
      std::optional<std::string> s = ParseString();
      if (!s) return std::nullopt;
      v.kind_ = JsonValue::Kind::kString;
      v.string_ = *s;
      return v;
    }
    if (Consume("true")) {
      v.kind_ = JsonValue::Kind::kBool;
      v.bool_ = true;
      return v;
    }
    if (Consume("false")) {
      v.kind_ = JsonValue::Kind::kBool;
      return v;
    }
    if (Consume("null")) return v;
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      const char* begin = text_.c_str() + pos_;
      char* end = nullptr;
      long long n = std::strtoll(begin, &end, 10);
      if (*end == '.' || *end == 'e' || *end == 'E') {
        Fail("non-integer number");
        return std::nullopt;
      }
      pos_ += static_cast<size_t>(end - begin);
      v.kind_ = JsonValue::Kind::kNumber;
      v.number_ = n;
      return v;
    }
    Fail(std::string("unexpected character '") + c + "'");
    return std::nullopt;
  }

  std::optional<std::string> ParseString() {
    std::string out;
    pos_++;  // opening quote
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      char e = text_[pos_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          if (pos_ + 4 > text_.size()) {
            Fail("short \\u escape");
            return std::nullopt;
          }
          long code = std::strtol(text_.substr(pos_, 4).c_str(), nullptr, 16);
          pos_ += 4;
          out += code < 0x80 ? static_cast<char>(code) : '?';  // we only emit control characters
          break;
        }
        default:
          out += e;  // \" \\ \/
      }
    }
    if (pos_ >= text_.size()) {
      Fail("unterminated string");
      return std::nullopt;
    }
    pos_++;  // closing quote
    return out;
  }

  std::optional<JsonValue> ParseArray() {
    JsonValue v;
    v.kind_ = JsonValue::Kind::kArray;
    pos_++;
    SkipSpace();
    if (Consume("]")) return v;
    for (;;) {
      std::optional<JsonValue> item = ParseValue();
      if (!item) return std::nullopt;
      v.array_.push_back(std::move(*item));
      SkipSpace();
      if (Consume("]")) return v;
      if (!Consume(",")) {
        Fail("expected ',' or ']'");
        return std::nullopt;
      }
    }
  }

  std::optional<JsonValue> ParseObject() {
    JsonValue v;
    v.kind_ = JsonValue::Kind::kObject;
    pos_++;
    SkipSpace();
    if (Consume("}")) return v;
    for (;;) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        Fail("expected a key");
        return std::nullopt;
      }
      std::optional<std::string> key = ParseString();
      if (!key) return std::nullopt;
      SkipSpace();
      if (!Consume(":")) {
        Fail("expected ':'");
        return std::nullopt;
      }
      std::optional<JsonValue> item = ParseValue();
      if (!item) return std::nullopt;
      v.object_[*key] = std::move(*item);
      SkipSpace();
      if (Consume("}")) return v;
      if (!Consume(",")) {
        Fail("expected ',' or '}'");
        return std::nullopt;
      }
    }
  }

  const std::string& text_;
  size_t pos_ = 0;
  std::string error_;
};

std::optional<JsonValue> JsonValue::Parse(const std::string& text, std::string* error) {
  return JsonParser(text).ParseDocument(error);
}

bool JsonValue::Has(const std::string& key) const { return object_.count(key) != 0; }

const JsonValue* JsonValue::Find(const std::string& key, Kind kind, bool* ok) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->second.kind_ != kind) {
    *ok = false;
    return nullptr;
  }
  return &it->second;
}

bool JsonValue::Bool(const std::string& key, bool* ok) const {
  const JsonValue* v = Find(key, Kind::kBool, ok);
  return v != nullptr && v->bool_;
}

int64_t JsonValue::Int(const std::string& key, bool* ok) const {
  const JsonValue* v = Find(key, Kind::kNumber, ok);
  return v != nullptr ? v->number_ : 0;
}

std::string JsonValue::Str(const std::string& key, bool* ok) const {
  const JsonValue* v = Find(key, Kind::kString, ok);
  return v != nullptr ? v->string_ : std::string();
}

std::vector<int64_t> JsonValue::IntArray(const std::string& key, bool* ok) const {
  std::vector<int64_t> out;
  const JsonValue* v = Find(key, Kind::kArray, ok);
  if (v == nullptr) return out;
  for (const JsonValue& item : v->array_) {
    if (item.kind_ != Kind::kNumber) {
      *ok = false;
      return {};
    }
    out.push_back(item.number_);
  }
  return out;
}

}  // namespace sslshim::e2e
