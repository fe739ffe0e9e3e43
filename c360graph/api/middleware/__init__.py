"""HTTP concerns around the GraphQL view, as Starlette middleware (app.py mounts them):
`body_limit`, `api_keys` (authentication), `timeout`, and `request_metrics` around the app.
`error_body` shapes their refusals like GraphQL errors."""
