"""The browser chat, its embeddable view and widget, and the `/ask` API (Gradio).

Only `rag-history serve` imports this package, so the other commands never load Gradio.
"""
