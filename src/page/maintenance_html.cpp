#include "page/maintenance_html.hpp"

#include "page/page_text.hpp"

namespace devops_monitor::page {

std::string maintenance_html(const std::vector<Silence>& silences, SystemTime now) {
  std::string lines;
  for (const Silence& silence : silences) {
    if (!silence_active(silence, now)) continue;
    const std::optional<SystemTime> ends = parse_rfc3339(silence.ends_at);
    std::string covered;
    for (const std::string& match : silence.matches)
      covered += (covered.empty() ? "" : ", ") + match;
    lines += "<li>Maintenance until <time datetime=\"" + format_iso_utc(*ends) + "\">" +
             format_utc(*ends) + "</time>: " + html_escape(covered);
    if (!silence.comment.empty()) lines += " — " + html_escape(silence.comment);
    lines += "</li>";
  }
  if (lines.empty()) return "";
  return R"(<section id="maintenance" aria-labelledby="maintenance-h"><h2 id="maintenance-h">)"
         R"(Maintenance</h2><ul class="maintenance">)" +
         lines + "</ul></section>";
}

}  // namespace devops_monitor::page
