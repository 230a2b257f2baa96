#include "assess/keeping.hpp"

namespace devops_monitor {

Report with_keeping_failure(Report report, const Error& error, const std::string& report_dir) {
  report.issues_found.push_back("Report could not be saved: " + error.message());
  report.recommendations.push_back("Free space or fix permissions in " + report_dir +
                                   " (or choose another --report-dir) so reports are kept");
  // A check that cannot keep its reports is a machine with a problem, whatever it measured.
  report.status = worse(report.status, Status::warning);
  return report;
}

}  // namespace devops_monitor
