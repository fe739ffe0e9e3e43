"""Limits on one request: depth, aliases, tokens (Strawberry's extensions) and cost (ours).

Cost estimates the items a query may return: each field costs 1, and everything under a
connection is multiplied by its page size (`first`, or the default page size).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)

from c360graph.api.caches import ByDocument, DocumentValidationCache
from c360graph.config import ApiSettings

# Strawberry's limiters raise plain errors; these message parts give them their codes.
LIMIT_CODES = {
    "exceeds maximum operation depth": "QUERY_TOO_DEEP",
    # graphql-core's own rule for introspection, which Strawberry's depth limit skips.
    "Maximum introspection depth exceeded": "QUERY_TOO_DEEP",
    "aliases found. Allowed": "TOO_MANY_ALIASES",
    "Document contains more than": "TOO_MANY_TOKENS",
}


def limit_code(message: str) -> str | None:
    """The code of a limit error, by its message; None for other errors."""
    for part, code in LIMIT_CODES.items():
        if part in message:
            return code
    return None


def query_cost(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    default_page: int,
    seen: frozenset[str] = frozenset(),
) -> int:
    """Estimated items a selection may return (connections multiply by their page size)."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            below = query_cost(selection.selection_set, fragments, variables, default_page, seen)
            total += 1 + below * _page(selection, variables, default_page)
        elif isinstance(selection, InlineFragmentNode):
            total += query_cost(selection.selection_set, fragments, variables, default_page, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                inner = seen | {selection.name.value}
                total += query_cost(
                    fragment.selection_set, fragments, variables, default_page, inner
                )
    return total


def _page(field: FieldNode, variables: Mapping[str, Any], default_page: int) -> int:
    selections = field.selection_set.selections if field.selection_set else ()
    is_connection = any(isinstance(s, FieldNode) and s.name.value == "edges" for s in selections)
    if not is_connection:
        return 1
    for argument in field.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return max(int(value.value), 1)
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return max(int(given), 1) if isinstance(given, int) else default_page
    return default_page


def operation_cost(
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
    default_page: int,
) -> int:
    """Estimated items the named (else the first) operation of a document may return."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    for d in document.definitions:
        if isinstance(d, OperationDefinitionNode) and (
            operation_name is None or (d.name and d.name.value == operation_name)
        ):
            return query_cost(d.selection_set, fragments, variables, default_page)
    return 0


class QueryCost(SchemaExtension):
    """Refuses an operation whose estimated cost exceeds the limit, before it runs."""

    def __init__(self, max_cost: int, default_page: int, costs: ByDocument[int]) -> None:
        self.max_cost = max_cost
        self.default_page = default_page
        self.costs = costs

    def on_execute(self) -> Iterator[None]:
        """Estimate the cost of the operation about to run; refuse it when too high."""
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None:
            variables = ctx.variables or {}
            # The cost reads only integer variables (page sizes): they complete the key.
            sizes = tuple(sorted((k, v) for k, v in variables.items() if isinstance(v, int)))
            cost = self.costs.get(
                document,
                (ctx.operation_name, sizes),
                lambda: operation_cost(document, ctx.operation_name, variables, self.default_page),
            )
            if cost > self.max_cost:
                message = (
                    f"query cost {cost:,} exceeds the limit of {self.max_cost:,}; ask for "
                    "smaller pages (`first`) or fewer nested lists"
                )
                error = GraphQLError(message, extensions={"code": "QUERY_TOO_COSTLY"})
                ctx.result = ExecutionResult(data=None, errors=[error])
        yield


def limit_extensions(api: ApiSettings) -> list[Callable[[], SchemaExtension]]:
    """Factories of the extensions enforcing the limits, with parse and validation caches.

    The depth and alias rules are built once: the validation cache is keyed by the rule
    classes, and Strawberry's limiters make new ones each time they are constructed. Each
    call makes its own caches, so two schemas never share a verdict.
    """
    rules = [
        *QueryDepthLimiter(max_depth=api.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=api.max_aliases).validation_rules,
    ]
    return [
        partial(MaxTokensLimiter, max_token_count=api.max_tokens),
        partial(ParserCache, maxsize=512),
        partial(AddValidationRules, rules),
        partial(DocumentValidationCache, ByDocument[list[GraphQLError]](512)),
        partial(
            QueryCost, max_cost=api.max_cost, default_page=api.page_size, costs=ByDocument(4096)
        ),
    ]
