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

@media (max-width: 640px) {
  .hz-title { font-size: 1.3rem; }
  .hz-card { padding: 10px; }
  .hz-text p { text-indent: 0; }
  .hz-list .wrap { max-height: 320px; }
}
"""
