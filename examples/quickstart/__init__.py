"""The quickstart: one HTTP handler (``handler.py``) and its per-cloud entry points.

``aws.py`` (Lambda), ``main.py`` (Google Cloud functions-framework) and
``function_app.py`` (Azure Functions, Python v2 model) are shims of a few lines;
see README.md for deploying each.
"""
