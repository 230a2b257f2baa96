// [[webhooks]]: where the changes of a check are posted. Like test_endpoint deciding where a
// key goes, these decide where reports go, so they are read only from the config file, which
// load_settings reads only when it is trusted (read_trusted_file); no flag sets them.
#include <fmt/format.h>

#include <vector>

#include "config/schema_reader.hpp"
#include "config/sections.hpp"

namespace devops_monitor {

Result<void> read_webhooks(const SchemaReader& reader, const toml::node& node,
                           const TablePlace& place, Settings& settings) {
  const toml::array& list = *node.as_array();
  std::vector<WebhookSettings> hooks;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const toml::node& item = *list.get(i);
    const TablePlace hook_place{fmt::format("{}[{}]", place.label, i), place.heading};
    const toml::table* table = item.as_table();
    if (table == nullptr) {
      return reader.wrong_type(item, hook_place.label, "a table with url and format");
    }
    WebhookSettings hook;
    Result<std::vector<TomlMember>> written = reader.read(*table, hook_place, webhook_keys(), hook);
    if (!written) return written.error();
    if (find_member(*written, "url") == nullptr) {
      return reader.error_at(table->source(), hook_place.label + " needs url, where to post");
    }
    hooks.push_back(std::move(hook));
  }
  settings.webhooks = std::move(hooks);
  return {};
}

}  // namespace devops_monitor
