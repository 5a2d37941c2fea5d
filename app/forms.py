"""WTForms for the claim page. Views hand `form.data` to `claims/` services; rules live there."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from claims.models import Stance
from claims.verdicts import DEFAULT_SCALE


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """CSRF on every form, and surrounding whitespace stripped from every text field."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = [strip, *unbound_field.kwargs.get("filters", [])]
            return unbound_field.bind(form=form, filters=filters, **options)


class VersionedForm(BaseForm):
    """Carries the claim version the user saw, so a stale save is refused instead of overwriting."""

    version = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])


class MoveForm(VersionedForm):
    pass


class EditClaimForm(VersionedForm):
    text = TextAreaField("Claim text", validators=[DataRequired(), Length(max=5_000)])
    claimant = StringField("Claimant", validators=[DataRequired(), Length(max=200)])


class ProposeForm(VersionedForm):
    verdict = SelectField("Verdict", choices=[rating.name for rating in DEFAULT_SCALE])
    rationale = TextAreaField("Rationale", validators=[DataRequired(), Length(max=20_000)])


class SendBackForm(VersionedForm):
    comment = TextAreaField("Why it goes back", validators=[DataRequired(), Length(max=10_000)])


class EvidenceForm(BaseForm):
    url = StringField("URL", validators=[DataRequired(), Length(max=2048)])
    title = StringField("Title", validators=[DataRequired(), Length(max=500)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=200)])
    excerpt = TextAreaField("Quoted excerpt", validators=[Optional(), Length(max=10_000)])
    stance = SelectField("Stance", choices=[stance.value for stance in Stance])
    note = TextAreaField("Note", validators=[Optional(), Length(max=10_000)])


class RetractForm(BaseForm):
    reason = StringField("Reason for retracting", validators=[DataRequired(), Length(max=10_000)])


class CommentForm(BaseForm):
    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=10_000)])
