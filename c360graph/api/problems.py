"""Field problems as the API shows them: a kept record's dropped value, masked for readers.

A problem of a field holding personal data (an email, a phone, a street, a postcode, a date
of birth, a national id) shows a role that may not see PII the value masked as that field
is masked everywhere, and, instead of the message that quotes the value, the problem alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from c360graph.api.masking import Masker
from c360graph.graph.runs import issues_of
from c360graph.sources.problems import Issue

# The fields whose raw values are personal data.
_PERSONAL = frozenset(
    {"email", "phone", "date_of_birth", "address_line1", "address_line2", "postcode", "national_id"}
)


def _masked(masker: Masker, field: str, value: str | None) -> str | None:
    """The value as the caller may see it: emails, phones and national ids masked as those
    identifiers are; a date of birth that could not be read, and street parts, hidden whole."""
    if field in ("email", "phone", "national_id"):
        return masker.identifier(field, value)
    if field == "date_of_birth":
        shown = masker.birth_date(value)
        return shown if shown == value else "***"
    return masker.street(value)


@strawberry.type(
    description="A field problem of a kept record: the value was dropped, the rest of the row "
    "landed (an unparseable phone, an amount the locale does not write so)."
)
class FieldProblem:
    field: str = strawberry.field(description="The canonical field (phone, amount, ...).")
    problem: str = strawberry.field(
        description="What was wrong, without the value, so equal problems read alike "
        "(`contains letters`)."
    )
    value: str | None = strawberry.field(
        description="The raw value dropped (masked for the reader role when it is personal "
        "data); null when there was none."
    )
    message: str = strawberry.field(
        description="What is wrong and what to do, as kept in the record's data issues (for "
        "the reader role, the problem alone when the value is personal data)."
    )


def field_problem(issue: Issue, masker: Masker) -> FieldProblem:
    """The API's view of one issue, masked as the caller's role requires."""
    value, message = issue.value, issue.message
    if issue.field in _PERSONAL:
        # The message quotes the value, so it goes with it: a record written before the
        # values were kept asks the masker with its message.
        asked = issue.value or issue.message
        seen = _masked(masker, issue.field, asked)
        if seen != asked:
            value, message = seen if issue.value else None, issue.problem
    return FieldProblem(field=issue.field, problem=issue.problem, value=value, message=message)


def record_problems(
    data_issues: Sequence[str], values: Sequence[str] | None, masker: Masker
) -> list[FieldProblem]:
    """A record's field problems from its `data_issues` and `data_issue_values`."""
    fields, messages = [], []
    for entry in data_issues:
        name, _, message = entry.partition(": ")
        fields.append(name)
        messages.append(message)
    issues = issues_of(fields, messages, list(values) if values is not None else None)
    return [field_problem(issue, masker) for issue in issues]
