#include "testsupport/json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sslshim::testsupport {

Json Json::Bool(bool v) {
  Json j;
  j.type_ = Type::kBool;
  j.bool_ = v;
  return j;
}
Json Json::Number(double v) {
  Json j;
  j.type_ = Type::kNumber;
  j.number_ = v;
  return j;
}
Json Json::String(std::string v) {
  Json j;
  j.type_ = Type::kString;
  j.string_ = std::move(v);
  return j;
}
Json Json::Array() {
  Json j;
  j.type_ = Type::kArray;
  return j;
}
Json Json::Object() {
  Json j;
  j.type_ = Type::kObject;
  return j;
}

bool Json::AsBool(bool fallback) const { return type_ == Type::kBool ? bool_ : fallback; }
long long Json::AsInt(long long fallback) const {
  return type_ == Type::kNumber ? static_cast<long long>(number_) : fallback;
}
const std::string& Json::AsString() const {
  static const std::string kEmpty;
  return type_ == Type::kString ? string_ : kEmpty;
}

const Json& Json::operator[](const std::string& key) const {
  static const Json kNull;
  for (const auto& m : members_) {
    if (m.first == key) return m.second;
  }
  return kNull;
}

Json& Json::Set(const std::string& key, Json value) {
  type_ = Type::kObject;
  for (auto& m : members_) {
    if (m.first == key) {
      m.second = std::move(value);
      return m.second;
    }
  }
  members_.emplace_back(key, std::move(value));
  return members_.back().second;
}

Json& Json::Push(Json value) {
  type_ = Type::kArray;
  items_.push_back(std::move(value));
  return items_.back();
}

std::string JsonQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string Json::Dump() const {
  switch (type_) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return bool_ ? "true" : "false";
    case Type::kNumber: {
      char buf[32];
      if (std::floor(number_) == number_ && std::fabs(number_) < 1e15) {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(number_));
      } else {
        std::snprintf(buf, sizeof buf, "%.17g", number_);
      }
      return buf;
    }
    case Type::kString:
      return JsonQuote(string_);
    case Type::kArray: {
      std::string out = "[";
      for (size_t i = 0; i < items_.size(); i++) out += (i ? "," : "") + items_[i].Dump();
      return out + "]";
    }
    case Type::kObject: {
      std::string out = "{";
      for (size_t i = 0; i < members_.size(); i++) {
        out += (i ? "," : "") + JsonQuote(members_[i].first) + ":" + members_[i].second.Dump();
      }
      return out + "}";
    }
  }
  return "null";
}

bool Json::Has(const std::string& key) const {
  for (const auto& m : members_) {
    if (m.first == key) return true;
  }
  return false;
}

const Json* Json::Field(const std::string& key, Type type, bool* ok) const {
  for (const auto& m : members_) {
    if (m.first == key && m.second.type_ == type) return &m.second;
  }
  *ok = false;
  return nullptr;
}

bool Json::BoolField(const std::string& key, bool* ok) const {
  const Json* v = Field(key, Type::kBool, ok);
  return v != nullptr && v->bool_;
}

int64_t Json::IntField(const std::string& key, bool* ok) const {
  const Json* v = Field(key, Type::kNumber, ok);
  return v != nullptr ? static_cast<int64_t>(v->number_) : 0;
}

std::string Json::StringField(const std::string& key, bool* ok) const {
  const Json* v = Field(key, Type::kString, ok);
  return v != nullptr ? v->string_ : std::string();
}

std::vector<int64_t> Json::IntArrayField(const std::string& key, bool* ok) const {
  std::vector<int64_t> out;
  const Json* v = Field(key, Type::kArray, ok);
  if (v == nullptr) return out;
  for (const Json& item : v->items_) {
    if (item.type_ != Type::kNumber) {
      *ok = false;
      return {};
    }
    out.push_back(static_cast<int64_t>(item.number_));
  }
  return out;
}

class JsonParser {
 public:
  explicit JsonParser(const std::string& text) : s_(text) {}

  std::optional<Json> ParseDocument(std::string* error) {
    std::optional<Json> v = Value();
    Skip();
    if (v && pos_ != s_.size()) Fail("trailing characters");
    if (!error_.empty()) {
      if (error != nullptr) *error = error_ + " at offset " + std::to_string(pos_);
      return std::nullopt;
    }
    return v;
  }

 private:
  // The first failure is the one reported.
  void Fail(const char* what) {
    if (error_.empty()) error_ = what;
  }
  void Skip() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      pos_++;
    }
  }
  bool Eat(char c) {
    Skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      pos_++;
      return true;
    }
    return false;
  }
  bool Expect(char c, const char* what) {
    if (Eat(c)) return true;
    Fail(what);
    return false;
  }
  bool Literal(const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (s_.compare(pos_, n, word) != 0) return false;
    pos_ += n;
    return true;
  }

  std::optional<std::string> Str() {
    if (!Expect('"', "expected a string")) return std::nullopt;
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          if (pos_ + 4 > s_.size()) {
            Fail("short \\u escape");
            return std::nullopt;
          }
          long code = std::strtol(s_.substr(pos_, 4).c_str(), nullptr, 16);
          pos_ += 4;
          out += code < 0x80 ? static_cast<char>(code) : '?';  // our programs escape only these
          break;
        }
        default:
          out += e;
      }
    }
    if (pos_ >= s_.size()) {
      Fail("unterminated string");
      return std::nullopt;
    }
    pos_++;
    return out;
  }

  std::optional<Json> Value() {
    Skip();
    if (pos_ >= s_.size()) {
      Fail("unexpected end");
      return std::nullopt;
    }
    char c = s_[pos_];
    if (c == '{') {
      pos_++;
      Json obj = Json::Object();
      if (Eat('}')) return obj;
      do {
        std::optional<std::string> key = Str();
        if (!key || !Expect(':', "expected ':'")) return std::nullopt;
        std::optional<Json> v = Value();
        if (!v) return std::nullopt;
        obj.members_.emplace_back(*key, std::move(*v));
      } while (Eat(','));
      if (!Expect('}', "expected ',' or '}'")) return std::nullopt;
      return obj;
    }
    if (c == '[') {
      pos_++;
      Json arr = Json::Array();
      if (Eat(']')) return arr;
      do {
        std::optional<Json> v = Value();
        if (!v) return std::nullopt;
        arr.items_.push_back(std::move(*v));
      } while (Eat(','));
      if (!Expect(']', "expected ',' or ']'")) return std::nullopt;
      return arr;
    }
    if (c == '"') {
      std::optional<std::string> str = Str();
      if (!str) return std::nullopt;
      return Json::String(*str);
    }
    if (Literal("true")) return Json::Bool(true);
    if (Literal("false")) return Json::Bool(false);
    if (Literal("null")) return Json();
    const char* start = s_.c_str() + pos_;
    char* end = nullptr;
    double d = std::strtod(start, &end);
    if (end == start) {
      Fail("unexpected character");
      return std::nullopt;
    }
    pos_ += static_cast<size_t>(end - start);
    return Json::Number(d);
  }

  const std::string& s_;
  size_t pos_ = 0;
  std::string error_;
};

std::optional<Json> Json::Parse(const std::string& text, std::string* error) {
  return JsonParser(text).ParseDocument(error);
}

}  // namespace sslshim::testsupport
