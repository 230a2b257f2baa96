// placeholder until test support lands
namespace devops_monitor::testing {}
