"""WTForms for the claim page. Views hand `form.data` to `claims/` services; rules live there."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Field,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from claims.export.claimreview import known
from claims.models import Claim, Role, SourceType, Stance
from claims.services.articles import UNNAMED_PUBLICATION
from claims.validation import whole_number
from claims.verdicts import DEFAULT_SCALE


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """CSRF on every form, and surrounding whitespace stripped from every text field."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = [strip, *unbound_field.kwargs.get("filters", [])]
            return unbound_field.bind(form=form, filters=filters, **options)

        def render_field(self, field: Any, render_kw: dict[str, Any]) -> Any:
            # No `maxlength`: a browser cuts a longer paste to it without a word, and the text would be
            # saved short. Too long a text reaches the server, which refuses it by name and keeps it.
            return super().render_field(field, {"maxlength": False, **render_kw})


class BulkTriageForm(BaseForm):
    """Several claims marked check-worthy or not at once; each ticked box is `claim id:version seen`."""

    claims = SelectMultipleField(validate_choice=False)
    mark = SelectField(choices=[SelectChoice("checkworthy"), SelectChoice("not_checkworthy")])
    back = HiddenField()

    def versions(self) -> dict[int, int]:
        """The ticked claims and the version each showed; a tampered value is a ValidationFailed."""
        versions = {}
        for value in self.claims.data or []:
            claim_id, _, version = value.partition(":")
            versions[whole_number("claims", claim_id)] = whole_number("claims", version)
        return versions


class VersionedForm(BaseForm):
    """Carries the claim version the user saw, so a stale save is refused instead of overwriting."""

    version = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])

    def rebase_on(self, claim: Claim) -> None:
        """After a conflict: the user's input stays, and saving again applies it to the current version."""
        set_value(self.version, claim.version)


def set_value(field: Field, value: Any) -> None:
    # raw_data is what a field renders after a submission; data is what the view reads.
    field.data = value
    field.raw_data = [str(value)]


class MoveForm(VersionedForm):
    pass


class MergingForm(VersionedForm):
    """A form over fields of the claim, each with the value the user started from (a hidden
    `original_…`): after a conflict its input is merged with the current claim, so saving again cannot
    revert a field someone else changed meanwhile. Subclasses name their fields in EDITABLE and say how
    the claim shows in each (`shown`)."""

    EDITABLE: tuple[str, ...] = ()
    CHANGED_BY_BOTH = "Someone else changed this too (see above); saving keeps what you typed here."

    @classmethod
    def for_claim(cls, claim: Claim) -> Any:
        values = {name: cls.shown(claim, name) for name in cls.EDITABLE}
        originals = {f"original_{name}": value for name, value in values.items()}
        return cls(data={"version": claim.version, **values, **originals})

    @staticmethod
    def shown(claim: Claim, name: str) -> str:
        raise NotImplementedError

    def changed_fields(self) -> dict[str, str]:
        """The fields the user changed; all of them when the page did not say where the user started."""
        return {
            name: self[name].data or ""
            for name in self.EDITABLE
            if self[f"original_{name}"].data is None or self[name].data != self[f"original_{name}"].data
        }

    def rebase_on(self, claim: Claim) -> None:
        """A three-way merge of the user's input with the current claim: a field the user left alone
        now shows its current value; a field both changed keeps the user's value and says so."""
        super().rebase_on(claim)
        changed = self.changed_fields()
        for name in self.EDITABLE:
            field, original, current = self[name], self[f"original_{name}"], self.shown(claim, name)
            if name not in changed:
                set_value(field, current)
            elif current not in (original.data, field.data):
                field.errors = [*field.errors, self.CHANGED_BY_BOTH]
            set_value(original, current)


class EditClaimForm(MergingForm):
    """The wording and the claimant; a save applies only what the user changed."""

    EDITABLE = ("text", "claimant")

    text = TextAreaField("Claim as reviewed", validators=[DataRequired(), Length(max=5_000)])
    # Left empty when nobody is named: the import's stand-in for an unknown publisher is never offered.
    claimant = StringField(
        "Claimant", validators=[Optional(), Length(max=200)], render_kw={"placeholder": "unknown claimant"}
    )
    original_text = HiddenField()
    original_claimant = HiddenField()

    @staticmethod
    def shown(claim: Claim, name: str) -> str:
        """A field's value as the form shows it: an unknown claimant is an empty field."""
        value: str = getattr(claim, name)
        return (known(value) or "") if name == "claimant" else value

    def changed_values(self) -> dict[str, str]:
        """The fields the user changed. A claimant emptied by the user is the unknown claimant, stored as
        the import stores it."""
        changed = self.changed_fields()
        if "claimant" in changed and not changed["claimant"].strip():
            changed["claimant"] = UNNAMED_PUBLICATION
        return changed


class ProposeForm(MergingForm):
    """The proposal: the wording it is about, the verdict and the rationale. All three are sent, so after
    a conflict the fields the user left alone take the claim's current values (a stale page re-posted
    would otherwise put back the wording someone changed meanwhile)."""

    EDITABLE = ("claim_as_reviewed", "verdict", "rationale")
    DEFAULT_VERDICT = "True"

    claim_as_reviewed = TextAreaField("Claim as reviewed", validators=[DataRequired(), Length(max=5_000)])
    verdict = SelectField("Verdict", choices=[rating.name for rating in DEFAULT_SCALE])
    rationale = TextAreaField("Rationale", validators=[DataRequired(), Length(max=20_000)])
    original_claim_as_reviewed = HiddenField()
    original_verdict = HiddenField()
    original_rationale = HiddenField()

    @staticmethod
    def shown(claim: Claim, name: str) -> str:
        if name == "claim_as_reviewed":
            return claim.text
        if name == "verdict":
            return claim.verdict or ProposeForm.DEFAULT_VERDICT
        return claim.rationale or ""


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


class ImportForm(BaseForm):
    text = TextAreaField("Article text", validators=[Optional()])
    upload = FileField("…or a .txt or .html file")
    title = StringField("Title", validators=[Optional(), Length(max=500)])
    url = StringField("URL", validators=[Optional(), Length(max=2048)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=200)])
    published = DateField("Published", validators=[Optional()])
    author = StringField("Author", validators=[Optional(), Length(max=200)])
    language = StringField(
        "Language code (en, es, ja…; detected if empty)", validators=[Optional(), Length(max=8)]
    )


class BulkImportForm(BaseForm):
    uploads = MultipleFileField("Files (.txt, .html, or .jsonl with one article a line)")
    urls = TextAreaField("…or web pages to fetch: one URL a line")
    publisher = StringField("Publisher of them all (optional)", validators=[Optional(), Length(max=200)])
    language = StringField(
        "Language code of them all (detected if empty)", validators=[Optional(), Length(max=8)]
    )


class JobForm(BaseForm):
    """A button that starts or retries a job: the kind comes from the button, the rest from the URL."""

    kind = HiddenField()


class SelectionForm(BaseForm):
    """Where the passage the reviewer selected lies in the article: filled in by the page's script from
    the selection, never typed (a reviewer selects text, not character counts)."""

    start = IntegerField(validators=[InputRequired(), NumberRange(min=0)], widget=HiddenInput())
    end = IntegerField(validators=[InputRequired(), NumberRange(min=1)], widget=HiddenInput())


class MergeForm(BaseForm):
    """The claim ids come as repeated `claim_ids` checkboxes, read by the view."""


class SplitForm(VersionedForm):
    parts = TextAreaField("One part per line", validators=[DataRequired(), Length(max=10_000)])


class AssignForm(VersionedForm):
    assignee = SelectField("Assignee", coerce=str)


class MatchForm(BaseForm):
    """A reviewer's decision on one suggested match; the buttons carry the match as hidden fields."""

    kind = HiddenField(validators=[AnyOf(["factcheck", "claim"])])
    target_id = IntegerField(
        widget=HiddenField.widget, validators=[DataRequired(), NumberRange(1, 2**31 - 1)]
    )
    decision = HiddenField(validators=[AnyOf(["same", "dismissed"])])
    score = FloatField(widget=HiddenField.widget, validators=[Optional(), NumberRange(-1, 1)])


class FactCheckImportForm(BaseForm):
    upload = FileField("ClaimReview file (.json or .jsonl)")
    skip_bad = BooleanField("Skip bad records (import the rest and list them)")


class NewUserForm(BaseForm):
    email = StringField("Email", validators=[DataRequired(), Length(max=254)])
    display_name = StringField("Name", validators=[Optional(), Length(max=120)])
    role = SelectField("Role", choices=[role.value for role in Role])
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=10, max=1024)])


class RoleForm(BaseForm):
    role = SelectField("Role", choices=[role.value for role in Role])


class ActiveForm(BaseForm):
    """Activate or deactivate: the target state comes from the button pressed (`is_active`)."""


class SourceForm(BaseForm):
    name = StringField("Source name", validators=[DataRequired(), Length(max=200)])
    url = StringField("Source URL", validators=[Optional(), Length(max=2048)])
    source_type = SelectField(
        "Type", choices=[SelectChoice(kind.value, kind.value.replace("_", " ")) for kind in SourceType]
    )


class TokenForm(BaseForm):
    name = StringField("What the token is for", validators=[DataRequired(), Length(max=100)])


class DeskSettingsForm(BaseForm):
    organisation_name = StringField(
        "Organisation (ClaimReview author)", validators=[DataRequired(), Length(max=200)]
    )
    organisation_url = StringField("Organisation URL", validators=[DataRequired(), Length(max=2048)])
    public_url = StringField(
        "Public address of fact-check pages", validators=[DataRequired(), Length(max=2048)]
    )
    checkworthy_threshold = DecimalField(
        "Check-worthiness threshold (empty: the model's)",
        places=3,
        validators=[Optional(), NumberRange(0, 1)],
    )
    require_second_reviewer = BooleanField("Verdicts need a second person to approve them")
