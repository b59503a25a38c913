"""The web app's CSS (kept as a string so that it ships with the package without package data)."""

CSS = """
.gradio-container { max-width: 1200px !important; width: 100%; margin: 0 auto !important; }
.hz-header { padding: 10px 4px 2px; }
.hz-title { font-size: 1.6rem; font-weight: 700; color: #1e3a8a; letter-spacing: .05em; }
.hz-subtitle { color: #475569; font-size: .92rem; margin-top: 2px; }

.hz-notice { border-radius: 8px; padding: 10px 14px; margin: 6px 0; line-height: 1.6; border: 1px solid; }
.hz-notice strong { margin-right: 4px; }
.hz-info { background: #eff6ff; border-color: #bfdbfe; color: #1e3a8a; }
.hz-warn { background: #fffbeb; border-color: #fcd34d; color: #78350f; }
.hz-error { background: #fef2f2; border-color: #fca5a5; color: #7f1d1d; }
.hz-ok { color: #14532d; }
div.hz-notice.hz-ok { background: #f0fdf4; border-color: #86efac; }

.hz-conclusion { font-size: 1.05rem; font-weight: 600; padding: 10px 14px; background: #f8fafc;
  border-left: 4px solid #1d4ed8; border-radius: 6px; margin: 6px 0 10px; line-height: 1.7; }
.hz-group-title { font-size: 1.05rem; margin: 14px 0 6px; display: flex; align-items: center; gap: 8px; }
.hz-count { font-size: .8rem; font-weight: 400; color: #64748b; }
.hz-card { border: 1px solid #e2e8f0; border-radius: 10px; padding: 12px 14px; margin: 8px 0;
  background: #fff; box-shadow: 0 1px 2px rgba(15,23,42,.05); border-left-width: 5px; }
.hz-card.hz-obligation { border-left-color: #2563eb; }
.hz-card.hz-penalty { border-left-color: #dc2626; }
.hz-card.hz-related { border-left-color: #94a3b8; }
.hz-card header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; }
.hz-role { font-size: .78rem; font-weight: 700; padding: 1px 8px; border-radius: 999px; color: #fff;
  background: #64748b; white-space: nowrap; }
.hz-obligation .hz-role { background: #2563eb; }
.hz-penalty .hz-role { background: #dc2626; }
.hz-cite { font-weight: 700; color: #0f172a; }
.hz-meta { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 6px 0; font-size: .82rem; }
.hz-badge { padding: 1px 8px; border-radius: 4px; background: #e2e8f0; color: #334155; white-space: nowrap; }
.hz-level { background: #e0e7ff; color: #3730a3; }
.hz-status.hz-ok { background: #dcfce7; color: #166534; }
.hz-status.hz-warn { background: #fef3c7; color: #92400e; }
.hz-status.hz-bad { background: #fee2e2; color: #991b1b; }
.hz-date { color: #64748b; }
.hz-item { background: #fff7ed; border-radius: 6px; padding: 6px 10px; margin: 6px 0; font-size: .92rem;
  line-height: 1.6; }
.hz-item-label { font-weight: 700; color: #c2410c; margin-right: 6px; }
.hz-text p { margin: 4px 0; line-height: 1.75; text-indent: 2em; }
.hz-full summary { cursor: pointer; color: #1d4ed8; font-size: .9rem; }
.hz-source { color: #64748b; font-size: .8rem; margin-top: 6px; word-break: break-all; }

.hz-doc h2 { font-size: 1.15rem; margin: 4px 0; }
.hz-doc-info { color: #64748b; font-size: .82rem; word-break: break-all; }
.hz-list-info { color: #475569; font-size: .85rem; margin: 4px 0; }
.hz-list .wrap { display: flex !important; flex-direction: column; gap: 2px !important; max-height: 460px;
  overflow-y: auto; flex-wrap: nowrap !important; }
.hz-list label { width: 100%; justify-content: flex-start; font-size: .9rem; }
.hz-article { border: 1px solid #e2e8f0; border-radius: 10px; padding: 12px 16px; background: #fff; }
.hz-article h3 { margin: 0 0 4px; font-size: 1.1rem; }
.hz-path { color: #475569; font-size: .85rem; }
.hz-links h4 { margin: 12px 0 4px; font-size: .95rem; color: #1e3a8a; }
.hz-links ul { margin: 0; padding-left: 1.2em; }
.hz-links li { margin: 3px 0; line-height: 1.6; }
.hz-muted { color: #64748b; font-size: .85rem; }
.hz-placeholder { color: #64748b; padding: 24px; text-align: center; border: 1px dashed #cbd5e1;
  border-radius: 10px; }

.hz-summary { font-weight: 600; margin: 6px 0; }
.hz-report { list-style: none; padding-left: 0; margin: 4px 0; }
.hz-report li { padding: 3px 0; line-height: 1.6; word-break: break-all; }
.hz-report .hz-fail { color: #b91c1c; }
.hz-report .hz-same { color: #475569; }
.hz-report .hz-warnline { color: #92400e; }
.hz-admin-bar { color: #166534; font-weight: 600; padding: 6px 0; }

/* 现场考试 */
.hz-sheet { padding-bottom: 56px; }
.hz-exam-head { padding: 4px 2px 8px; }
.hz-exam-title { font-size: 1.25rem; font-weight: 700; color: #1e3a8a; }
.hz-exam-who { font-weight: 600; margin: 4px 0; }
.hz-exam-rule { color: #334155; font-size: .92rem; line-height: 1.6; }
.hz-exam-id { color: #64748b; font-size: .82rem; margin-top: 4px; line-height: 1.5; word-break: break-all; }
/* the countdown sits in the fixed bar at the bottom of the screen, right of the save status: \
it never covers a question */
.hz-timer { position: fixed; bottom: 7px; right: 12px; z-index: 1001; background: #1e3a8a; color: #fff;
  border-radius: 999px; padding: 5px 14px; font-weight: 700; font-size: 1.05rem; white-space: nowrap;
  box-shadow: 0 1px 4px rgba(15,23,42,.3); font-variant-numeric: tabular-nums; }
.hz-timer-label { font-weight: 400; font-size: .8rem; margin-right: 6px; opacity: .9; }
.hz-timer.hz-timer-low { background: #b91c1c; }
.hz-qcard { border: 1px solid #e2e8f0; border-left: 4px solid #93c5fd; border-radius: 10px; background: #fff;
  overflow: hidden; }
.hz-q .wrap { display: flex !important; flex-direction: column; flex-wrap: nowrap !important; gap: 6px !important; }
.hz-q .wrap label { width: 100%; justify-content: flex-start; padding: 10px 12px !important; font-size: 1rem;
  line-height: 1.5; white-space: normal; }
.hz-q span[data-testid="block-info"] { font-size: 1.02rem; line-height: 1.7; white-space: normal; font-weight: 600;
  background: none !important; color: #0f172a !important; padding: 0 !important; border: none !important; }
.hz-q .info-text { color: #1d4ed8; font-size: .82rem; margin-bottom: 4px; }
.hz-timer, .hz-timer * { color: #fff !important; }
#exam-timer { min-height: 0 !important; height: 0; padding: 0 !important; margin: 0 !important; overflow: visible; }
#exam-saved .hz-saved { position: fixed; left: 0; right: 0; bottom: 0; z-index: 999; background: #f0fdf4;
  border-top: 1px solid #86efac; color: #14532d; padding: 8px 180px 8px 16px; font-size: .92rem; display: flex;
  align-items: center; gap: 24px; min-height: 46px; box-sizing: border-box; }
#exam-submit { font-size: 1.1rem; }
#exam-saved .hz-saved.hz-saved-error { background: #fef2f2; border-top-color: #fca5a5; color: #7f1d1d; }
/* answers the server has not confirmed (quiz_present.CONNECTION_JS): marked on their cards and in a strip above
the status bar, whose "已保存" line is hidden meanwhile */
.hz-qcard { position: relative; }
.hz-qcard.hz-unsaved { border-left-color: #f59e0b; background: #fffbeb; }
.hz-qcard.hz-refused { border-left-color: #dc2626; background: #fef2f2; }
/* the badge sits on the card's top edge, in the gap above it: it never covers the question */
.hz-qcard.hz-unsaved, .hz-qcard.hz-refused { overflow: visible; }
.hz-qcard.hz-unsaved::after, .hz-qcard.hz-refused::after { position: absolute; top: 0; right: 14px; z-index: 2;
  transform: translateY(-55%); font-size: .75rem; font-weight: 700; padding: 1px 8px; border-radius: 999px;
  pointer-events: none; line-height: 1.5; }
.hz-qcard.hz-unsaved::after { content: "未保存"; background: #f59e0b; color: #fff; }
.hz-qcard.hz-refused::after { content: "未保存（已被拒绝）"; background: #dc2626; color: #fff; }
/* gradio scopes these rules under .gradio-container, where body.* never matches: the unscoped copy needs !important */
body.hz-has-unsaved #exam-saved .hz-saved-what { display: none !important; }
body.hz-has-unsaved #exam-saved .hz-saved { background: #fffbeb !important; border-top-color: #fcd34d !important;
  color: #78350f !important; }
#hz-unsaved { position: fixed; left: 0; right: 0; bottom: 46px; z-index: 1000; background: #f59e0b; color: #fff;
  font-weight: 700; font-size: .9rem; padding: 6px 16px; line-height: 1.5; box-shadow: 0 -1px 4px rgba(0,0,0,.15); }
#hz-unsaved[hidden], #hz-offline[hidden] { display: none; }
/* while the server cannot be reached (gradio's English toast is hidden by the same script) */
#hz-offline { position: fixed; top: 0; left: 0; right: 0; z-index: 2000; background: #b91c1c; color: #fff;
  padding: 10px 16px; font-size: .95rem; font-weight: 600; line-height: 1.6; text-align: center;
  box-shadow: 0 2px 6px rgba(0,0,0,.25); }
.hz-offline-only { display: none; }
body.hz-offline .hz-offline-only { display: inline !important; }
body.hz-offline .hz-timer { background: #64748b !important; }
#hz-conn { display: none; }
.hz-restore { padding: 4px 2px 8px; }
.hz-result { border-radius: 12px; padding: 14px 16px; margin: 6px 0 12px; border: 2px solid; text-align: center; }
.hz-result.hz-pass { background: #f0fdf4; border-color: #22c55e; color: #14532d; }
.hz-result.hz-fail { background: #fef2f2; border-color: #ef4444; color: #7f1d1d; }
.hz-score-num { font-size: 2.6rem; font-weight: 800; font-variant-numeric: tabular-nums; }
.hz-score-of { font-size: 1.1rem; }
.hz-verdict { font-size: 1.4rem; font-weight: 800; letter-spacing: .3em; margin: 2px 0 6px; }
.hz-result-line { font-size: .88rem; line-height: 1.6; color: #334155; }
.hz-ritem { border: 1px solid #e2e8f0; border-left: 5px solid #94a3b8; border-radius: 10px; padding: 10px 14px;
  margin: 8px 0; background: #fff; }
.hz-ritem.hz-right { border-left-color: #22c55e; }
.hz-ritem.hz-wrong { border-left-color: #ef4444; }
.hz-ritem header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.hz-qno { font-weight: 700; color: #0f172a; }
.hz-qtype { font-size: .75rem; padding: 1px 8px; border-radius: 999px; background: #e0e7ff; color: #3730a3;
  margin-right: 6px; white-space: nowrap; }
.hz-mark { margin-left: auto; font-weight: 700; font-size: .9rem; }
.hz-right .hz-mark { color: #15803d; }
.hz-wrong .hz-mark { color: #b91c1c; }
.hz-stem { margin: 6px 0; line-height: 1.7; font-weight: 600; }
.hz-opts { list-style: none; padding: 0; margin: 4px 0; }
.hz-opts li { padding: 3px 8px; border-radius: 6px; line-height: 1.6; }
.hz-opts li.hz-key { background: #dcfce7; font-weight: 600; }
.hz-opts li.hz-chosen:not(.hz-key) { background: #fee2e2; }
.hz-tag { color: #475569; font-size: .8rem; font-weight: 400; }
.hz-answers { margin: 4px 0; font-size: .92rem; }
.hz-expl, .hz-basis { font-size: .9rem; line-height: 1.7; margin: 4px 0; color: #334155; }
.hz-basis { color: #1e3a8a; }
.hz-paper { padding-left: 1.6em; }
.hz-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 12px; }
.hz-chart { margin: 0; border: 1px solid #e2e8f0; border-radius: 10px; background: #fff; padding: 8px; }
.hz-chart img { width: 100%; height: auto; display: block; }
.hz-chart figcaption { text-align: center; color: #475569; font-size: .85rem; margin-top: 4px; }
.hz-paper li { margin: 6px 0; line-height: 1.6; }

/* 确定 / 待核对, links to rows and articles (法规问答, 违法行为库) */
.hz-conf { font-size: .78rem; font-weight: 700; padding: 1px 8px; border-radius: 999px; white-space: nowrap;
  border: 1px solid; }
.hz-conf-firm { background: #15803d; border-color: #15803d; color: #fff; }
.hz-conf-check { background: #fffbeb; border-color: #d97706; color: #92400e; }
.hz-conf-firm::before { content: "✓ "; }
.hz-conf-check::before { content: "? "; }
.hz-go { color: #1d4ed8; text-decoration: none; font-size: .88rem; white-space: nowrap; text-align: left; }
.hz-go:hover { text-decoration: underline; }
.hz-actions { display: flex; flex-wrap: wrap; gap: 6px 16px; margin-top: 6px; }
.hz-actions .hz-go::after, .hz-go-row::after { content: " →"; }
.hz-card.hz-parallel { border-left-color: #7c3aed; background: #faf5ff; }
.hz-parallel .hz-role { background: #7c3aed; }
.hz-parallel-note { color: #5b21b6; font-size: .85rem; margin: 4px 0; }
.hz-clause { background: #f1f5f9; }
.hz-clause .hz-item-label { color: #334155; }
.hz-standard { margin: 6px 0; font-size: .9rem; line-height: 1.8; }
.hz-std-key { display: inline-block; min-width: 4.5em; color: #64748b; font-size: .82rem; margin-right: 6px; }
.hz-fine { font-weight: 700; color: #b91c1c; }
.hz-chip { display: inline-block; padding: 0 8px; margin: 0 4px 2px 0; border-radius: 4px; background: #fee2e2;
  color: #991b1b; font-size: .82rem; line-height: 1.7; }
.hz-linked, .hz-evidence { font-size: .85rem; color: #334155; margin: 4px 0; line-height: 1.6; }
.hz-conclusion-text { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; }
.hz-conclusion-check { border-left-color: #d97706; background: #fffbeb; }
.hz-rowrefs { margin-top: 8px; font-size: .88rem; font-weight: 400; }
.hz-rowrefs ul { list-style: none; margin: 2px 0 0; padding: 0; display: flex; flex-direction: column; gap: 3px; }
.hz-rowrefs li { display: flex; align-items: baseline; gap: 6px; margin: 0; }
.hz-rowrefs .hz-go { white-space: normal; }
.hz-record { list-style: none; margin: 8px 0 0; padding: 0; font-size: .92rem; font-weight: 400; }
.hz-record li { display: flex; align-items: baseline; gap: 6px; margin: 3px 0; }
.hz-record-item { border-top: 2px solid #e2e8f0; margin-top: 16px; padding-top: 4px; }
.hz-rowgroup { border: 1px solid #e2e8f0; border-radius: 12px; padding: 8px 10px; margin: 10px 0; background: #f8fafc; }
.hz-rowgroup-firm { border-color: #86efac; background: #f0fdf4; }
details.hz-rowgroup-check { background: #fff; }
.hz-rowgroup-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 8px; line-height: 1.6; }
details > summary.hz-rowgroup-head { cursor: pointer; list-style: revert; display: list-item; }
details > summary.hz-rowgroup-head > * { margin-right: 6px; }
.hz-row-behaviour { color: #334155; font-size: .9rem; }
.hz-more > summary { cursor: pointer; color: #1d4ed8; font-size: .9rem; margin: 6px 0; }

/* 违法行为库 */
.hz-vlist { display: flex; flex-direction: column; gap: 6px; max-height: 720px; overflow-y: auto; padding: 2px; }
a.hz-vrow { display: block; text-decoration: none; color: inherit; text-align: left; border: 1px solid #e2e8f0;
  border-left: 5px solid #cbd5e1; border-radius: 10px; padding: 8px 12px; background: #fff; }
a.hz-vrow:hover { border-color: #93c5fd; background: #f8fafc; }
a.hz-vrow.hz-vrow-firm { border-left-color: #15803d; }
a.hz-vrow.hz-vrow-check { border-left-color: #d97706; }
a.hz-vrow.hz-selected { background: #eff6ff; border-color: #60a5fa; box-shadow: 0 0 0 2px #bfdbfe; }
.hz-vrow-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px; }
.hz-vrow-head .hz-cite { font-size: .92rem; }
.hz-vrow-behaviour { margin: 3px 0; line-height: 1.6; font-size: .92rem; }
.hz-vrow-meta { color: #64748b; font-size: .8rem; }
.hz-vrow-parallel { color: #5b21b6; font-size: .8rem; margin-top: 2px; }
.hz-vrow-note, .hz-vrow-successor { color: #92400e; font-size: .8rem; margin-top: 2px; }
.hz-vdetail { border: 1px solid #e2e8f0; border-radius: 10px; padding: 12px 16px; background: #fff; }
.hz-vdetail h3 { margin: 0 0 4px; font-size: 1.1rem; line-height: 1.5; }
.hz-vmark { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 4px 0; font-size: .9rem; }
.hz-kind { background: #fee2e2; color: #991b1b; }
.hz-vsec { border-top: 1px solid #f1f5f9; margin-top: 10px; padding-top: 6px; }
.hz-vsec h4 { margin: 4px 0 6px; font-size: .98rem; color: #1e3a8a; display: flex; flex-wrap: wrap; gap: 8px;
  align-items: baseline; }
.hz-vsec h4 .hz-cite { font-size: .9rem; }
.hz-behaviour { margin: 2px 0; line-height: 1.7; font-weight: 600; }
.hz-obls, .hz-vrefs { list-style: none; margin: 0; padding: 0; }
.hz-obl { border-left: 3px solid #2563eb; padding: 4px 0 4px 10px; margin: 8px 0; }
.hz-obl-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px; }
.hz-link { font-size: .75rem; padding: 1px 8px; border-radius: 999px; white-space: nowrap; border: 1px solid; }
.hz-link-explicit { background: #dcfce7; border-color: #86efac; color: #166534; }
.hz-link-reviewed { background: #e0e7ff; border-color: #a5b4fc; color: #3730a3; }
.hz-link-wording { background: #fffbeb; border-color: #fcd34d; color: #92400e; }
.hz-quote { margin: 4px 0; padding: 6px 10px; background: #f8fafc; border-radius: 6px; line-height: 1.7;
  font-size: .92rem; }
.hz-vrefs li { margin: 4px 0; }
.hz-back { display: none; }
#qa-block span[data-testid="block-info"] { margin-right: 40px; }  /* clear of the copy button */

@media (max-width: 640px) {
  #hz-tabs > .tab-wrapper button, #bank-tabs > .tab-wrapper button { padding-left: 8px; padding-right: 8px; }
  #exam-saved .hz-saved { flex-direction: column; align-items: flex-start; gap: 0; font-size: .82rem;
    padding-right: 170px; line-height: 1.4; }
  #hz-unsaved { bottom: 56px; font-size: .82rem; }
  .hz-title { font-size: 1.3rem; }
  .hz-card { padding: 10px; }
  .hz-text p { text-indent: 0; }
  .hz-list .wrap { max-height: 320px; }
  .hz-vlist { max-height: none; overflow-y: visible; }
  .hz-vdetail { padding: 10px; }
  .hz-back { display: inline-block; font-size: .85rem; color: #1d4ed8; text-decoration: none; margin-bottom: 4px; }
  .hz-rowgroup { padding: 6px; }
}
"""
