"""The GraphQL API: a Starlette app serving a Strawberry schema."""
