"""Field problems as the API shows them: a kept record's dropped value, masked for readers.

A problem of a field holding personal data (an email, a phone, a street, a postcode, a date
of birth, a national id) shows a role that may not see PII the value masked as that field
is masked everywhere, and, instead of the message that quotes the value, the problem alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from c360graph.api.masking import (
    ADDRESS,
    BIRTH_DATE,
    EMAIL,
    NATIONAL_ID,
    PHONE,
    View,
    mask_email,
    mask_phone,
    mask_street,
)
from c360graph.graph.runs import issues_of
from c360graph.sources.problems import Issue

# The fields whose raw values are personal data, by the kind of personal data they hold.
# Emails and phones are masked as identifiers are; the others (a date of birth that could not
# be read among them) hidden whole.
_PERSONAL = {
    "email": EMAIL,
    "phone": PHONE,
    "date_of_birth": BIRTH_DATE,
    "address_line1": ADDRESS,
    "address_line2": ADDRESS,
    "postcode": ADDRESS,
    "national_id": NATIONAL_ID,
}


def _masked(kind: str, value: str | None) -> str | None:
    if value is None:
        return None
    if kind == EMAIL:
        return mask_email(value)
    if kind == PHONE:
        return mask_phone(value)
    return mask_street(value)


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


def field_problem(issue: Issue, view: View) -> FieldProblem:
    """The API's view of one issue, masked as the caller's view of its record requires."""
    kind = _PERSONAL.get(issue.field)
    if kind is None or view.shows(kind):
        return FieldProblem(
            field=issue.field, problem=issue.problem, value=issue.value, message=issue.message
        )
    return FieldProblem(
        field=issue.field,
        problem=issue.problem,
        value=_masked(kind, issue.value),
        message=issue.problem,
    )


def record_problems(
    data_issues: Sequence[str], values: Sequence[str] | None, view: View
) -> list[FieldProblem]:
    """A record's field problems from its `data_issues` and `data_issue_values`."""
    fields, messages = [], []
    for entry in data_issues:
        name, _, message = entry.partition(": ")
        fields.append(name)
        messages.append(message)
    issues = issues_of(fields, messages, list(values) if values is not None else None)
    return [field_problem(issue, view) for issue in issues]
