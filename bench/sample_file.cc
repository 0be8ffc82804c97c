#include "sample_file.h"

#include <fstream>
#include <ostream>
#include <sstream>

namespace sslshim_bench {

namespace {

constexpr size_t kFields = 6;

// Tabs and newlines separate fields and records: keep them out of free text.
std::string OneField(std::string text) {
  for (char& c : text) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

std::string Number(double value) {
  std::ostringstream text;
  text.precision(17);
  text << value;
  return text.str();
}

bool ParseNumber(const std::string& text, double* value) {
  std::istringstream in(text);
  return static_cast<bool>(in >> *value);
}

}  // namespace

void WriteSample(std::ostream& out, const Sample& sample) {
  out << OneField(sample.benchmark_name) << '\t' << Number(sample.shim_bytes_per_second) << '\t'
      << Number(sample.baseline_bytes_per_second) << '\t' << Number(sample.ratio) << '\t'
      << OneField(sample.label) << '\t' << OneField(sample.error) << '\n';
}

std::optional<Sample> ParseSampleLine(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  for (std::string field; std::getline(stream, field, '\t');) fields.push_back(field);
  if (!line.empty() && line.back() == '\t') fields.push_back("");  // getline drops a last empty
  if (fields.size() != kFields) return std::nullopt;
  Sample sample;
  sample.benchmark_name = fields[0];
  sample.label = fields[4];
  sample.error = fields[5];
  if (!ParseNumber(fields[1], &sample.shim_bytes_per_second) ||
      !ParseNumber(fields[2], &sample.baseline_bytes_per_second) ||
      !ParseNumber(fields[3], &sample.ratio)) {
    return std::nullopt;
  }
  return sample;
}

std::vector<Sample> ReadSampleFile(const std::string& path) {
  std::vector<Sample> samples;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (std::optional<Sample> sample = ParseSampleLine(line)) samples.push_back(*sample);
  }
  return samples;
}

}  // namespace sslshim_bench
