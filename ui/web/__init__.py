"""The web app (gradio). Importing this package does not import gradio; ui.web.app does."""
