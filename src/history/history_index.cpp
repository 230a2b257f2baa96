// The history index: one line of plain fields per report, so a run over thousands of reports
// reads one small file instead of parsing every report (docs/history.md, "Speed"). It only
// ever saves work: an entry is used when its file's size, mtime and ctime still match, and a
// line that does not read back exactly is ignored.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "history/history.hpp"

namespace devops_monitor::history {
namespace {

// Version 2 added each key's credit; an index of version 1 is read again from the reports.
constexpr std::string_view kIndexHeader = "devops-monitor history index 2";
constexpr std::size_t kIndexFixedFields = 15;  // name .. thresholds, disk count
constexpr std::size_t kIndexDiskFields = 4;
constexpr std::size_t kIndexKeyFields = 5;
constexpr std::size_t kIndexMaxItems = 10000;  // disks or keys in one line

void index_put_text(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F || c == '%') {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    } else {
      out += c;
    }
  }
}

template <class T>
void index_put_number(std::string& out, T value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, ec == std::errc() ? end : buffer);
}

int index_hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> index_get_text(std::string_view field) {
  if (field.find('%') == std::string_view::npos) return std::string(field);  // the usual case
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '%') {
      out += field[i];
      continue;
    }
    if (i + 2 >= field.size()) return std::nullopt;
    const int high = index_hex_digit(field[i + 1]);
    const int low = index_hex_digit(field[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

template <class T>
std::optional<T> index_get_number(std::string_view field) {
  T value{};
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size() || field.empty()) return std::nullopt;
  return value;
}

std::optional<double> index_get_percent(std::string_view field) {
  const std::optional<double> value = index_get_number<double>(field);
  if (!value || !std::isfinite(*value)) return std::nullopt;
  return value;
}

std::vector<std::string_view> split_index_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return fields;
}

/// One line back into a name and an entry; nullopt unless every field reads.
std::optional<std::pair<std::string, IndexEntry>> parse_index_line(std::string_view line) {
  const std::vector<std::string_view> f = split_index_fields(line);
  if (f.size() < kIndexFixedFields) return std::nullopt;
  std::optional<std::string> name = index_get_text(f[0]);
  const auto size = index_get_number<std::uint64_t>(f[1]);
  const auto mtime = index_get_number<std::int64_t>(f[2]);
  const auto ctime = index_get_number<std::int64_t>(f[3]);
  const auto time = index_get_number<std::int64_t>(f[4]);
  const auto status = parse_status(f[5]);
  if (!name || !size || !mtime || !ctime || !time || !status) return std::nullopt;
  IndexEntry entry;
  entry.stamp = {*size, *mtime, *ctime};
  Sample& s = entry.sample;
  s.time =
      SystemTime(std::chrono::duration_cast<SystemTime::duration>(std::chrono::nanoseconds(*time)));
  s.status = *status;
  double* numbers[] = {&s.cpu_percent,
                       &s.memory_percent,
                       &s.thresholds.cpu.warning,
                       &s.thresholds.cpu.critical,
                       &s.thresholds.memory.warning,
                       &s.thresholds.memory.critical,
                       &s.thresholds.disk.warning,
                       &s.thresholds.disk.critical};
  for (std::size_t i = 0; i < 8; ++i) {
    const std::optional<double> v = index_get_percent(f[6 + i]);
    if (!v) return std::nullopt;
    *numbers[i] = *v;
  }
  std::size_t at = kIndexFixedFields - 1;
  const auto disks = index_get_number<std::size_t>(f[at++]);
  if (!disks || *disks > kIndexMaxItems || f.size() < at + *disks * kIndexDiskFields + 1) {
    return std::nullopt;
  }
  for (std::size_t d = 0; d < *disks; ++d, at += kIndexDiskFields) {
    std::optional<std::string> path = index_get_text(f[at]);
    const auto percent = index_get_percent(f[at + 1]);
    const auto total = index_get_number<std::uint64_t>(f[at + 2]);
    const auto used = index_get_number<std::uint64_t>(f[at + 3]);
    if (!path || !percent || !total || !used) return std::nullopt;
    s.disks.push_back({std::move(*path), *percent, *total, *used});
  }
  const auto keys = index_get_number<std::size_t>(f[at++]);
  if (!keys || *keys > kIndexMaxItems || f.size() != at + *keys * kIndexKeyFields) {
    return std::nullopt;
  }
  for (std::size_t k = 0; k < *keys; ++k, at += kIndexKeyFields) {
    KeySample key;
    std::optional<std::string> id = index_get_text(f[at]);
    std::optional<std::string> provider = index_get_text(f[at + 1]);
    const std::optional<KeyState> state = parse_key_state(f[at + 2]);
    if (!id || !provider || !state) return std::nullopt;
    if (f[at + 3] != "-") {
      key.latency_ms = index_get_number<std::int64_t>(f[at + 3]);
      if (!key.latency_ms) return std::nullopt;
    }
    if (f[at + 4] != "-") {
      key.credit_remaining = index_get_percent(f[at + 4]);  // any finite number
      if (!key.credit_remaining) return std::nullopt;
    }
    key.id = std::move(*id);
    key.provider = std::move(*provider);
    key.state = *state;
    s.keys.push_back(std::move(key));
  }
  return std::make_pair(std::move(*name), std::move(entry));
}

}  // namespace

HistoryIndex parse_history_index(std::string_view text) {
  HistoryIndex index;
  std::size_t start = 0;
  bool first = true;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) break;  // an unfinished last line is not trusted
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (first) {
      if (line != kIndexHeader) return {};
      first = false;
      continue;
    }
    if (auto entry = parse_index_line(line))
      index.insert_or_assign(entry->first, std::move(entry->second));
  }
  return index;
}

std::string format_history_index(const HistoryIndex& index) {
  std::string out(kIndexHeader);
  out += '\n';
  for (const auto& [name, entry] : index) {
    const Sample& s = entry.sample;
    index_put_text(out, name);
    out += '\t';
    index_put_number(out, entry.stamp.size);
    for (const std::int64_t n :
         {entry.stamp.mtime_ns, entry.stamp.ctime_ns,
          static_cast<std::int64_t>(
              std::chrono::duration_cast<std::chrono::nanoseconds>(s.time.time_since_epoch())
                  .count())}) {
      out += '\t';
      index_put_number(out, n);
    }
    out += '\t';
    out += to_string(s.status);
    for (const double v :
         {s.cpu_percent, s.memory_percent, s.thresholds.cpu.warning, s.thresholds.cpu.critical,
          s.thresholds.memory.warning, s.thresholds.memory.critical, s.thresholds.disk.warning,
          s.thresholds.disk.critical}) {
      out += '\t';
      index_put_number(out, v);
    }
    out += '\t';
    index_put_number(out, s.disks.size());
    for (const DiskSample& d : s.disks) {
      out += '\t';
      index_put_text(out, d.path);
      out += '\t';
      index_put_number(out, d.percent);
      out += '\t';
      index_put_number(out, d.total_bytes);
      out += '\t';
      index_put_number(out, d.used_bytes);
    }
    out += '\t';
    index_put_number(out, s.keys.size());
    for (const KeySample& k : s.keys) {
      out += '\t';
      index_put_text(out, k.id);
      out += '\t';
      index_put_text(out, k.provider);
      out += '\t';
      out += to_string(k.state);
      out += '\t';
      if (k.latency_ms) {
        index_put_number(out, *k.latency_ms);
      } else {
        out += '-';
      }
      out += '\t';
      if (k.credit_remaining) {
        index_put_number(out, *k.credit_remaining);
      } else {
        out += '-';
      }
    }
    out += '\n';
  }
  return out;
}

}  // namespace devops_monitor::history
