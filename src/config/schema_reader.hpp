// Walking a TOML document against the schema (schema.hpp). Every problem is one Error whose
// `where` is "file:line:column" of the key or value at fault, because a config mistake found
// at 3 a.m. by a cron job has to be fixable from the one line it prints.
#pragma once

#include <toml++/toml.h>

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/schema.hpp"
#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// One key of a table and its value, as written.
struct TomlMember {
  const toml::key* key = nullptr;
  const toml::node* node = nullptr;
};

/// A table's members in the order they were written. toml++ keeps them sorted by name, but
/// "the first error in the file" and "order of appearance" both mean file order.
std::vector<TomlMember> members_in_file_order(const toml::table& table);

/// The member named `name`, if the table has one.
const TomlMember* find_member(std::span<const TomlMember> members, std::string_view name);

/// "a string", "an integer", ...: a node's type as the end of "must be X, not ...".
std::string_view a_type(const toml::node& node);

bool is_before(const toml::source_region& a, const toml::source_region& b);

class SchemaReader {
 public:
  explicit SchemaReader(std::string filename) : filename_(std::move(filename)) {}

  [[nodiscard]] Error error_at(const toml::source_region& where, std::string detail,
                               std::string what = "invalid config") const;

  /// "`label` must be `shape`, not <the node's type>", at the node.
  [[nodiscard]] Error wrong_type(const toml::node& node, std::string_view label,
                                 std::string_view shape) const;

  /// Reads `table` into `target`, key by key in file order, and returns the members as
  /// written for the rules that weigh several keys. The first problem ends the reading.
  template <class Target>
  Result<std::vector<TomlMember>> read(const toml::table& table, const TablePlace& place,
                                       const KeyTable<Target>& schema, Target& target) const {
    std::vector<TomlMember> members = members_in_file_order(table);
    for (const TomlMember& member : members) {
      const ConfigKey<Target>* key = schema.find(member.key->str());
      if (key == nullptr) return unknown_key(*member.key, place.heading, schema.names());
      const std::string label = place.label_of(key->name);
      if (key->section.read) {
        Result<TablePlace> inner = section_place(*member.node, key->type, label);
        if (!inner) return inner.error();
        Result<void> read = key->section.read(*this, *member.node, *inner, target);
        if (!read) return read.error();
        continue;
      }
      Result<KeyValue> value = decode(*member.node, key->type, label, key->example);
      if (!value) return value.error();
      key->slot.store(target, std::move(*value), Origin{label, member.key->source()});
    }
    return members;
  }

  /// The node's value checked against `type`; `example` is a duration's, for its type error.
  [[nodiscard]] Result<KeyValue> decode(const toml::node& node, const KeyType& type,
                                        const std::string& label, std::string_view example) const;

 private:
  [[nodiscard]] Error unknown_key(const toml::key& key, std::string_view heading,
                                  std::span<const std::string_view> known) const;
  /// Checks that a table key holds a table (an array of them for `tables`) and names it.
  [[nodiscard]] Result<TablePlace> section_place(const toml::node& node, const KeyType& type,
                                                 const std::string& label) const;

  [[nodiscard]] Result<KeyValue> text(const toml::node& node, const KeyType& type,
                                      const std::string& label, bool first) const;
  [[nodiscard]] Result<KeyValue> duration(const toml::node& node, const KeyType& type,
                                          const std::string& label, std::string_view example) const;
  [[nodiscard]] Result<KeyValue> whole(const toml::node& node, const KeyType& type,
                                       const std::string& label) const;
  [[nodiscard]] Result<KeyValue> number(const toml::node& node, const KeyType& type,
                                        const std::string& label) const;
  [[nodiscard]] Result<KeyValue> list(const toml::node& node, const KeyType& type,
                                      const std::string& label) const;
  [[nodiscard]] Result<KeyValue> headers(const toml::node& node, const KeyType& type,
                                         const std::string& label) const;

  std::string filename_;
};

}  // namespace devops_monitor
