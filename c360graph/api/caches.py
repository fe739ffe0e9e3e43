"""Work done once per query document, not once per request.

Strawberry's ParserCache hands every request with the same query text the same parsed
document. Its ValidationCache then looks that document up by hashing it, and graphql-core's
frozen AST nodes hash their whole tree, field by field, on every request (py-spy: 2-3% of
the API's CPU on the full-neighbourhood query). These caches key by the document object
itself and keep it alive, so an id can never be reused while its entry lives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

from graphql import DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

V = TypeVar("V")


class ByDocument(Generic[V]):
    """A bounded LRU of values per parsed document (by identity) and a hashable detail."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[tuple[int, Hashable], tuple[DocumentNode, V]] = OrderedDict()

    def get(self, document: DocumentNode, detail: Hashable, compute: Callable[[], V]) -> V:
        """The value for this document and detail, computed on the first ask."""
        key = (id(document), detail)
        hit = self._items.get(key)
        if hit is not None and hit[0] is document:
            self._items.move_to_end(key)
            return hit[1]
        value = compute()
        self._items[key] = (document, value)
        if len(self._items) > self.maxsize:
            self._items.popitem(last=False)
        return value


class DocumentValidationCache(SchemaExtension):
    """Validation errors (usually none) remembered per parsed document and rules.

    Give each schema its own cache: the schema is not part of the key.
    """

    def __init__(self, cache: ByDocument[list[GraphQLError]]) -> None:
        self.cache = cache

    def on_validate(self) -> Iterator[None]:
        """Validate a document the first time it is seen; reuse the verdict after."""
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None:
            schema, rules = ctx.schema._schema, ctx.validation_rules
            ctx.pre_execution_errors = self.cache.get(
                document, rules, lambda: validate_document(schema, document, rules)
            )
        yield
