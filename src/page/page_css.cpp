#include "page/page_css.hpp"

namespace devops_monitor::page {

// Contrast (text on background), light: #1f2328 on #ffffff 15.8:1, muted #57606a 6.2:1,
// pills #116329 on #dafbe1 6.9:1, #7d4e00 on #fff8c5 6.4:1, #a40e26 on #ffebe9 6.6:1.
// Dark: #e6edf3 on #0d1117 16:1, muted #9198a1 6.2:1, pills 7:1 or more.
const std::string_view kPageCss = R"css(
:root{color-scheme:light dark;--bg:#ffffff;--panel:#f6f8fa;--text:#1f2328;--muted:#57606a;
--line:#d0d7de;--link:#0550ae;--up:#1a7f37;--degraded:#bf8700;--down:#cf222e;--unknown:#6e7781;
--none:#d0d7de;--ink:#1f2328;--series:#0969da;--warn:#9a6700;--crit:#cf222e;
--ok-bg:#dafbe1;--ok-fg:#116329;--warn-bg:#fff8c5;--warn-fg:#7d4e00;--crit-bg:#ffebe9;
--crit-fg:#a40e26;--unk-bg:#eaeef2;--unk-fg:#424a53}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--panel:#161b22;--text:#e6edf3;
--muted:#9198a1;--line:#30363d;--link:#58a6ff;--up:#3fb950;--degraded:#d29922;--down:#f85149;
--unknown:#8b949e;--none:#30363d;--ink:#0d1117;--series:#58a6ff;--warn:#d29922;--crit:#f85149;
--ok-bg:#033a16;--ok-fg:#7ee787;--warn-bg:#3b2300;--warn-fg:#e3b341;--crit-bg:#490202;
--crit-fg:#ffa198;--unk-bg:#21262d;--unk-fg:#c9d1d9}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
.wrap{max-width:960px;margin:0 auto;padding:16px}
a{color:var(--link)}
h1{font-size:1.5rem;margin:0 0 8px}h2{font-size:1.2rem;margin:24px 0 8px;
border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:1rem;margin:16px 0 4px}
.muted,.stats{color:var(--muted)}.stats{margin:2px 0 6px;font-size:.9rem}
.overall{display:flex;flex-wrap:wrap;align-items:center;gap:12px}
.pill{display:inline-block;padding:2px 10px;border-radius:999px;font-weight:600}
.st-healthy{background:var(--ok-bg);color:var(--ok-fg)}
.st-warning{background:var(--warn-bg);color:var(--warn-fg)}
.st-critical{background:var(--crit-bg);color:var(--crit-fg)}
.st-unknown{background:var(--unk-bg);color:var(--unk-fg)}
nav ul{list-style:none;padding:0;margin:12px 0;display:flex;gap:8px}
nav a{display:inline-block;padding:2px 10px;border:1px solid var(--line);border-radius:6px;
text-decoration:none}nav a[aria-current]{font-weight:700;border-color:var(--link)}
.provider{background:var(--panel);border:1px solid var(--line);border-radius:8px;
padding:8px 12px;margin:8px 0}
.provider h3{margin:0;display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.state{font-size:.85rem;font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:12px;font-size:.85rem;color:var(--muted);
padding:0;list-style:none}
.legend svg{width:12px;height:12px;vertical-align:middle;margin-right:4px}
svg.uptime{width:100%;height:auto;display:block;margin-top:6px}
svg.chart{width:100%;height:auto;display:block;background:var(--panel);border-radius:6px}
.slot{fill:none;stroke:var(--none);stroke-width:1}
.s-up{fill:var(--up)}.s-degraded{fill:url(#pat-degraded)}.s-down{fill:url(#pat-down)}
.s-unknown{fill:url(#pat-unknown)}.s-none{fill:var(--none)}
.pat-degraded-bg{fill:var(--degraded)}.pat-down-bg{fill:var(--down)}
.pat-unknown-bg{fill:var(--unknown)}.pat-ink{fill:var(--ink)}
.pat-line{stroke:var(--ink);stroke-width:1}
.bar:focus{outline:none;stroke:var(--text);stroke-width:2}
.grid line{stroke:var(--line);stroke-width:1}
.tick{fill:var(--muted);font-size:12px}
.series{fill:none;stroke:var(--series);stroke-width:1.5;stroke-linejoin:round}
.dots circle{fill:var(--series)}
.threshold line{stroke-width:1.5}.threshold text{font-size:12px;font-weight:600;
paint-order:stroke;stroke:var(--panel);stroke-width:3px;stroke-linejoin:round}
.threshold.warning line{stroke:var(--warn);stroke-dasharray:6 4}
.threshold.warning text{fill:var(--warn)}
.threshold.critical line{stroke:var(--crit);stroke-width:2}
.threshold.critical text{fill:var(--crit)}
.empty{fill:var(--muted);font-size:13px}
.defs{position:absolute;width:0;height:0;overflow:hidden}
.range{display:none}.range.default,.range:target{display:block}
main:has(.range:target) .range.default:not(:target){display:none}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(400px,100%),1fr));
gap:4px 16px}
.charts h4{margin:12px 0 0;font-size:.95rem}
footer{margin-top:32px;font-size:.85rem;color:var(--muted)}
)css";

}  // namespace devops_monitor::page
