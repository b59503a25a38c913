"""The application layer: one data directory opened once (app.workspace.Workspace) and the operations the CLI, the
web app and the evaluation call. It sits above ingest/, retriever/ and quiz/ and below ui/ and eval/."""
