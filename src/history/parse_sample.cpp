// A report file -> a Sample, straight from the JSON text. nlohmann's SAX interface picks the
// dozen fields the history needs and skips the rest, without building a document or a Report:
// the history reads thousands of files per run (docs/history.md, "Speed"). The field rules
// are report_json.cpp's: old reports have no state, id, disks or thresholds.
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "history/history.hpp"
#include "util/guard.hpp"

namespace devops_monitor::history {
namespace {

using SampleJson = nlohmann::json;

/// Where the parser is: the containers the history reads, and Other for everything else.
enum class SaxFrame {
  root,
  keys,  // api_keys: the array
  key,   // one of its objects
  system,
  thresholds,
  cpu_thresholds,
  memory_thresholds,
  disk_thresholds,
  disks,  // system_health.disks: the array
  disk,
  other,
};

/// One key as read, before the old format's gaps are filled.
struct RawSampleKey {
  KeySample sample;
  std::string state;
  bool present = false;
  std::optional<bool> valid;
};

struct RawSampleDisk {
  DiskSample sample;
  bool failed = false;  // "error" is a string: the disk was not measured
};

/// What one report says, as read.
struct RawSampleReport {
  std::string timestamp;
  std::optional<std::string> status;
  std::optional<std::string> system_status;
  double cpu = 0, memory = 0, disk_percent = 0;
  bool has_keys = false, has_system = false;
  std::vector<RawSampleKey> keys;
  std::vector<RawSampleDisk> disks;
  bool has_disks = false;
  ThresholdSet thresholds;
};

class SampleSax {
 public:
  explicit SampleSax(RawSampleReport& out) : out_(out) {}

  bool null() {
    note_scalar();
    // A null field is an absent one (a repeated field's last value counts).
    if (top() == SaxFrame::key) {
      RawSampleKey& k = current_key();
      if (key_ == "key_present") k.present = false;
      if (key_ == "key_valid") k.valid.reset();
      if (key_ == "state") k.state.clear();
      if (key_ == "provider") k.sample.provider.clear();
      if (key_ == "id") k.sample.id.clear();
      if (key_ == "latency_ms") k.sample.latency_ms.reset();
      if (key_ == "credit_remaining") k.sample.credit_remaining.reset();
    }
    return true;
  }
  bool boolean(bool value) {
    note_scalar();
    if (top() == SaxFrame::key) {
      if (key_ == "key_present") current_key().present = value;
      if (key_ == "key_valid") current_key().valid = value;
    }
    return true;
  }
  bool number_integer(std::int64_t value) { return number(static_cast<double>(value), value); }
  bool number_unsigned(std::uint64_t value) {
    const bool fits = value <= static_cast<std::uint64_t>(INT64_MAX);
    return number(
        static_cast<double>(value),
        fits ? std::optional<std::int64_t>(static_cast<std::int64_t>(value)) : std::nullopt, value);
  }
  bool number_float(double value, const std::string& /*text*/) {
    std::optional<std::int64_t> whole;
    // A whole number written as a float (1000.0) still counts; anything else is not one.
    if (std::isfinite(value) && value >= -9.2e18 && value <= 9.2e18 && value == std::trunc(value)) {
      whole = static_cast<std::int64_t>(value);
    }
    return number(value, whole);
  }
  bool string(std::string& value) {
    note_scalar();
    switch (top()) {
      case SaxFrame::root:
        if (key_ == "timestamp") out_.timestamp = std::move(value);
        if (key_ == "status") out_.status = std::move(value);
        break;
      case SaxFrame::system:
        if (key_ == "status") out_.system_status = std::move(value);
        break;
      case SaxFrame::key:
        if (key_ == "provider") current_key().sample.provider = std::move(value);
        if (key_ == "id") current_key().sample.id = std::move(value);
        if (key_ == "state") current_key().state = std::move(value);
        break;
      case SaxFrame::disk:
        if (key_ == "path") out_.disks.back().sample.path = std::move(value);
        if (key_ == "error") out_.disks.back().failed = true;
        break;
      default:
        break;
    }
    return true;
  }
  bool binary(SampleJson::binary_t& /*value*/) { return true; }

  bool start_object(std::size_t /*size*/) {
    SaxFrame next = SaxFrame::other;
    if (frames_.empty()) {
      next = SaxFrame::root;
    } else {
      switch (top()) {
        case SaxFrame::root:
          if (key_ == "system_health") next = SaxFrame::system, out_.has_system = true;
          break;
        case SaxFrame::keys:
          next = SaxFrame::key;
          out_.keys.emplace_back();
          break;
        case SaxFrame::system:
          if (key_ == "thresholds") next = SaxFrame::thresholds;
          break;
        case SaxFrame::thresholds:
          if (key_ == "cpu") next = SaxFrame::cpu_thresholds;
          if (key_ == "memory") next = SaxFrame::memory_thresholds;
          if (key_ == "disk") next = SaxFrame::disk_thresholds;
          break;
        case SaxFrame::disks:
          next = SaxFrame::disk;
          out_.disks.emplace_back();
          break;
        default:
          break;
      }
    }
    frames_.push_back(next);
    key_.clear();
    return true;
  }
  bool start_array(std::size_t /*size*/) {
    SaxFrame next = SaxFrame::other;
    if (frames_.empty()) {
      root_is_object_ = false;
    } else if (top() == SaxFrame::root && key_ == "api_keys") {
      next = SaxFrame::keys;
      out_.has_keys = true;
      out_.keys.clear();  // a repeated field: the last one counts, as in a parsed document
    } else if (top() == SaxFrame::system && key_ == "disks") {
      next = SaxFrame::disks;
      out_.has_disks = true;
      out_.disks.clear();
    }
    frames_.push_back(next);
    key_.clear();
    return true;
  }
  bool key(std::string& name) {
    key_ = std::move(name);
    return true;
  }
  bool end_object() { return end(); }
  bool end_array() { return end(); }
  bool parse_error(std::size_t position, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*error*/) {
    error_position_ = position;
    return false;
  }

  [[nodiscard]] bool root_is_object() const { return root_is_object_ && !scalar_root_; }
  [[nodiscard]] std::size_t error_position() const { return error_position_; }

 private:
  SaxFrame top() const { return frames_.empty() ? SaxFrame::other : frames_.back(); }
  RawSampleKey& current_key() { return out_.keys.back(); }

  void note_scalar() {
    if (frames_.empty()) scalar_root_ = true;
  }

  bool end() {
    if (!frames_.empty()) frames_.pop_back();
    key_.clear();
    return true;
  }

  bool number(double value, std::optional<std::int64_t> whole,
              std::optional<std::uint64_t> unsigned_value = std::nullopt) {
    note_scalar();
    auto percent = [&](double& field) {
      if (std::isfinite(value)) field = value;
    };
    switch (top()) {
      case SaxFrame::system:
        if (key_ == "cpu_percent") percent(out_.cpu);
        if (key_ == "memory_percent") percent(out_.memory);
        if (key_ == "disk_percent") percent(out_.disk_percent);
        break;
      case SaxFrame::cpu_thresholds:
        threshold(out_.thresholds.cpu, value);
        break;
      case SaxFrame::memory_thresholds:
        threshold(out_.thresholds.memory, value);
        break;
      case SaxFrame::disk_thresholds:
        threshold(out_.thresholds.disk, value);
        break;
      case SaxFrame::key:
        if (key_ == "latency_ms" && whole) current_key().sample.latency_ms = *whole;
        if (key_ == "credit_remaining" && std::isfinite(value)) {
          current_key().sample.credit_remaining = value;
        }
        break;
      case SaxFrame::disk: {
        DiskSample& disk = out_.disks.back().sample;
        if (key_ == "percent") percent(disk.percent);
        std::optional<std::uint64_t> bytes = unsigned_value;
        if (!bytes && whole && *whole >= 0) bytes = static_cast<std::uint64_t>(*whole);
        if (key_ == "total_bytes" && bytes) disk.total_bytes = *bytes;
        if (key_ == "used_bytes" && bytes) disk.used_bytes = *bytes;
        break;
      }
      default:
        break;
    }
    return true;
  }

  void threshold(Thresholds& t, double value) {
    if (!std::isfinite(value)) return;
    if (key_ == "warning") t.warning = value;
    if (key_ == "critical") t.critical = value;
  }

  RawSampleReport& out_;
  std::vector<SaxFrame> frames_;
  std::string key_;
  bool root_is_object_ = true;
  bool scalar_root_ = false;
  std::size_t error_position_ = 0;
};

KeyState sampled_key_state(const RawSampleKey& key) {
  if (const std::optional<KeyState> state = parse_key_state(key.state)) return *state;
  // Reports of the old tool have no state: derive it from its two booleans.
  if (!key.present) return KeyState::missing;
  if (!key.valid) return KeyState::unknown;
  return *key.valid ? KeyState::valid : KeyState::invalid;
}

Status sampled_status(const std::optional<std::string>& text, Status fallback) {
  if (!text) return fallback;
  return parse_status(*text).value_or(Status::unknown);
}

Sample sample_from_raw(RawSampleReport& raw, SystemTime name_time) {
  Sample sample;
  sample.time = parse_rfc3339(raw.timestamp).value_or(name_time);
  // Reports of the old tool carry no overall status: system health is the best we have.
  sample.status = sampled_status(raw.status, sampled_status(raw.system_status, Status::unknown));
  sample.cpu_percent = raw.cpu;
  sample.memory_percent = raw.memory;
  sample.thresholds = raw.thresholds;
  for (RawSampleDisk& disk : raw.disks) {
    // A disk that did not answer has no figure; 0% would be a lie in the min and the trend.
    if (disk.failed || disk.sample.path.empty()) continue;
    sample.disks.push_back(std::move(disk.sample));
  }
  if (!raw.has_disks) sample.disks.push_back({"/", raw.disk_percent, 0, 0});
  for (RawSampleKey& key : raw.keys) {
    key.sample.state = sampled_key_state(key);
    if (key.sample.id.empty()) key.sample.id = provider_id_for_name(key.sample.provider);
    sample.keys.push_back(std::move(key.sample));
  }
  return sample;
}

}  // namespace

Result<Sample> parse_sample(std::string_view json_text, const std::string& source,
                            SystemTime name_time) {
  try {
    RawSampleReport raw;
    SampleSax sax(raw);
    const bool parsed = SampleJson::sax_parse(json_text.begin(), json_text.end(), &sax,
                                              SampleJson::input_format_t::json,
                                              /*strict=*/true, /*ignore_comments=*/false);
    if (!parsed) {
      const bool at_end = sax.error_position() >= json_text.size();
      return Error{"not a report", at_end ? "truncated JSON" : "not valid JSON", source};
    }
    if (!sax.root_is_object()) return Error{"not a report", "not a JSON object", source};
    if (!raw.has_keys && !raw.has_system) {
      return Error{"not a report", "no api_keys or system_health", source};
    }
    return sample_from_raw(raw, name_time);
  } catch (...) {
    Error error = unexpected_failure("cannot read report");
    error.where = source;
    return error;
  }
}

}  // namespace devops_monitor::history
