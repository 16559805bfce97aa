"""Views for the self-check: one question a page, check your answers, the result.

Answers live only in the signed session cookie (`session["check"]`); nothing a person
answers is written to the database. The one write is an anonymous count, made once per
set of answers when the person confirms them on "Check your answers".
"""

import functools
import logging

from flask import Response, redirect, render_template, request, session, url_for
from sqlalchemy.exc import SQLAlchemyError

from webapp.blueprints.selfcheck import bp, forms, measures
from webapp.clock import uk_today
from webapp.extensions import db
from webapp.formatting import file_size
from webapp.risk import RiskInputError
from webapp.selfcheck import advice
from webapp.selfcheck.answers import (
    OVER_100,
    QUESTIONS,
    YOUNGEST_FOR_ESTIMATE,
    asked_again_because,
    fingerprint,
    is_complete,
    may_ask,
    next_step,
    with_answer,
)
from webapp.selfcheck.counting import record_completed_check
from webapp.selfcheck.result import people_affected, work_out_result
from webapp.selfcheck.summary import answer_rows

log = logging.getLogger(__name__)

ANSWERS = "check"
# The most the GP summary's PDF can weigh, as its link says (about 27KB for the longest
# answers; tests/blueprints/selfcheck/test_summary_pdf.py keeps this true).
SUMMARY_PDF_AT_MOST = 40 * 1024
# The fingerprint of the answers confirmed on "Check your answers", and of those counted.
CONFIRMED = "check_confirmed"
COUNTED = "check_counted"
# What was typed into a height or weight page when the person switched units, converted.
CARRIED = "check_carried"

FORMS = {
    "age": measures.AgeForm,
    "sex": forms.SexForm,
    "height": measures.HeightForm,
    "weight": measures.WeightForm,
    "ethnicity": forms.EthnicityForm,
    "smoking": forms.SmokingForm,
    "alcohol": forms.AlcoholForm,
    "broken_bones": forms.BrokenBonesForm,
    "parent_hip_fracture": forms.ParentHipFractureForm,
    "falls": forms.FallsForm,
    "steroids": forms.SteroidsForm,
    "diabetes": forms.DiabetesForm,
    "conditions": forms.ConditionsForm,
    "medicines": forms.MedicinesForm,
    "other_risk_factors": forms.OtherRiskFactorsForm,
}
IMPERIAL_FORMS = {"height": measures.HeightImperialForm, "weight": measures.WeightImperialForm}


def _answers() -> dict:
    return session.get(ANSWERS) or {}


def _step_url(step: str | None) -> str:
    """Where a person goes next: a question, an age page, or "Check your answers"."""
    return url_for(f"selfcheck.{step}" if step else "selfcheck.check_your_answers")


def _back_url(question: str, answers_so_far: dict) -> str:
    """Back to the question before; once every answer is in, back to "Check your answers"."""
    if is_complete(answers_so_far):
        return url_for("selfcheck.check_your_answers")
    index = QUESTIONS.index(question)
    return url_for(f"selfcheck.{QUESTIONS[index - 1]}") if index else url_for("pages.home")


@bp.route("/")
def start():
    """Begin (or carry on with) a check: the first question still to answer."""
    return redirect(_step_url(next_step(_answers())))


@bp.route("/ended")
def session_ended():
    """Where a page of the check leads once its answers are gone: say so, and why."""
    return render_template("selfcheck/session_ended.html")


@bp.route("/keep-alive", methods=["POST"])
def keep_alive():
    """'Keep my answers' in the timeout warning: restarts the check's 30 minutes now, the
    cookie signed again however recently it was (see the blueprint); with no answers
    left, says so."""
    if not _answers():
        return "", 410
    session.modified = True
    return "", 204


@bp.route("/start-again", methods=["POST"])
def start_again():
    """Forget every answer and begin a new check."""
    for key in (ANSWERS, CONFIRMED, COUNTED, CARRIED):
        session.pop(key, None)
    return redirect(url_for("selfcheck.age"))


def _ask(question: str, form_class=None, carried=None, **page):
    """Show a question, or take its answer and move on to whatever is still unanswered."""
    answers_so_far = _answers()
    if not answers_so_far and question != "age":
        return redirect(url_for("selfcheck.session_ended"))
    if not may_ask(answers_so_far, question):
        return redirect(_step_url(next_step(answers_so_far)))
    form_class = form_class or FORMS[question]
    formdata = request.form if request.method == "POST" else None
    form = form_class.build(answers_so_far, formdata, today=uk_today(), carried=carried)
    if formdata is not None and form.validate():
        session[ANSWERS] = with_answer(answers_so_far, question, form.answer())
        return redirect(_step_url(next_step(session[ANSWERS])))
    page.setdefault("back_url", _back_url(question, answers_so_far))
    why_asked_again, _ = asked_again_because(answers_so_far, question)
    return render_template("selfcheck/question.html", form=form, why_asked_again=why_asked_again,
                           **page)  # fmt: skip


def _units(question: str) -> str:
    """Metric or imperial: as asked for, else as the person answered this question last
    time, else as they answered the other measure (feet and inches lead to stones)."""
    asked = request.args.get("units")
    if asked in ("metric", "imperial"):
        return asked
    answers_so_far = _answers()
    other = "weight" if question == "height" else "height"
    earlier = answers_so_far.get(question) or answers_so_far.get(other) or {}
    return "imperial" if "feet" in earlier or "stones" in earlier else "metric"


def _measure(question: str):
    """Height or weight, in the units asked for, with a button to switch units that
    carries what was typed across, converted."""
    units = _units(question)
    form_class = IMPERIAL_FORMS[question] if units == "imperial" else FORMS[question]
    switch_to = request.form.get("switch_units") if request.method == "POST" else None
    if switch_to == form_class.switch_units:
        typed = form_class.build(_answers(), request.form, today=uk_today())
        session[CARRIED] = {"question": question, "units": switch_to,
                            "values": typed.in_other_units()}  # fmt: skip
        return redirect(url_for(f"selfcheck.{question}", units=switch_to))
    carried = session.pop(CARRIED, None) if request.method == "GET" else None
    if not carried or (carried["question"], carried["units"]) != (question, units):
        carried = None
    switch = {"units": form_class.switch_units, "text": form_class.switch_text}
    return _ask(question, form_class, carried=carried and carried["values"], switch=switch)


def _question_view(question: str):
    if question in IMPERIAL_FORMS:
        def view():
            return _measure(question)
    elif question == "age":
        def view():
            alternative = {
                "href": url_for("selfcheck.date_of_birth"),
                "text": "I'd rather give my date of birth",
            }
            return _ask("age", alternative=alternative)
    else:
        def view():
            return _ask(question)
    view.__doc__ = f"The {question.replace('_', ' ')} question."
    return view


for _question in QUESTIONS:
    bp.add_url_rule(
        f"/{_question.replace('_', '-')}",
        endpoint=_question,
        view_func=_question_view(_question),
        methods=["GET", "POST"],
    )


@bp.route("/date-of-birth", methods=["GET", "POST"])
def date_of_birth():
    """The age question, answered with a date of birth (the date itself is never kept)."""
    return _ask("age", measures.DateOfBirthForm, back_url=url_for("selfcheck.age"))


@bp.route("/under-50", methods=["GET", "POST"])
def under_50():
    """For people under 50: what NICE advises, and (from 30) the choice to carry on."""
    answers_so_far = _answers()
    age = answers_so_far.get("age")
    if age is None or age["years"] >= 50:
        return redirect(_step_url(next_step(answers_so_far)))
    may_continue = age["years"] >= YOUNGEST_FOR_ESTIMATE
    form = forms.ConfirmForm()
    if may_continue and form.validate_on_submit():
        session[ANSWERS] = {**answers_so_far, "continue_under_50": True}
        return redirect(_step_url(next_step(session[ANSWERS])))
    return render_template(
        "selfcheck/under_50.html",
        form=form,
        may_continue=may_continue,
        advice=advice,
        age=age["years"],
    )


@bp.route("/over-100")
def over_100():
    """For people over 100: the equations stop there; NICE says consider them at high risk."""
    answers_so_far = _answers()
    if next_step(answers_so_far) != OVER_100:
        return redirect(_step_url(next_step(answers_so_far)))
    return render_template(
        "selfcheck/over_100.html", advice=advice, age=answers_so_far["age"]["years"]
    )


@bp.route("/check-your-answers", methods=["GET", "POST"])
def check_your_answers():
    """Every answer with a Change link; confirming counts the check once and shows the result."""
    answers_so_far = _answers()
    if not answers_so_far:
        return redirect(url_for("selfcheck.session_ended"))
    if not is_complete(answers_so_far):
        return redirect(_step_url(next_step(answers_so_far)))
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        _count_once(answers_so_far)
        session[CONFIRMED] = fingerprint(answers_so_far)
        return redirect(url_for("selfcheck.result"))
    return render_template(
        "selfcheck/check_your_answers.html", form=form, rows=answer_rows(answers_so_far)
    )


def _count_once(answers_so_far: dict) -> None:
    """Add this check to the anonymous count, unless these same answers were counted already.

    The count is secondary: if the database fails, the person still gets their result.
    """
    digest = fingerprint(answers_so_far)
    if session.get(COUNTED) == digest:
        return
    try:
        result = work_out_result(answers_so_far)
        record_completed_check(
            db.session,
            today=uk_today(),
            sex=result.sex,
            age=result.age,
            major_osteoporotic_percent=result.risk.major_osteoporotic_percent,
        )
        db.session.commit()
    except (SQLAlchemyError, RiskInputError):
        db.session.rollback()
        log.warning("A completed check could not be counted", exc_info=True)
        return
    session[COUNTED] = digest


def _confirmed_result_or_redirect(template: str, with_answers: bool = False, **page):
    """The page drawn from the confirmed answers' result (and, `with_answers`, each
    answer in words), or where to go without them: the "answers deleted" page once the
    session has ended, else the next unanswered question or "Check your answers"."""
    answers_so_far = _answers()
    if not answers_so_far:
        return redirect(url_for("selfcheck.session_ended"))
    if not is_complete(answers_so_far):
        return redirect(_step_url(next_step(answers_so_far)))
    if session.get(CONFIRMED) != fingerprint(answers_so_far):
        return redirect(url_for("selfcheck.check_your_answers"))
    try:
        result = work_out_result(answers_so_far)
    except RiskInputError:
        # Height and weight are checked together on their pages, so this should not happen.
        return redirect(url_for("selfcheck.weight"))
    return render_template(
        template,
        result=result,
        rows=answer_rows(answers_so_far) if with_answers else None,
        advice=advice,
        people_affected=people_affected,
        today=uk_today(),
        **page,
    )


@bp.route("/result")
def result():
    """Both 10-year risks in words and pictures, what changed them, and what to do next."""
    return _confirmed_result_or_redirect("selfcheck/result.html")


@bp.route("/summary")
def summary():
    """A printable summary to take to a GP, with a link to download it as a PDF.

    The link gives the file's size (NHS.UK content guide, links to PDFs) as the most it
    can be, SUMMARY_PDF_AT_MOST (a test keeps that true for the longest answers), rather
    than drawing the PDF on every view only to measure it: drawing costs a third of a
    second of the server's time, and most people never download it.
    """
    return _confirmed_result_or_redirect(
        "selfcheck/summary.html",
        with_answers=True,
        pdf_size=file_size(SUMMARY_PDF_AT_MOST) if pdf_can_be_drawn() else None,
    )


@bp.route("/summary.pdf")
def summary_pdf():
    """The GP summary as a PDF file, drawn from the same page and print stylesheet."""
    page = _confirmed_result_or_redirect("selfcheck/summary.html", with_answers=True)
    if not isinstance(page, str):
        return page
    pdf = _summary_as_pdf(page)
    if pdf is None:
        return redirect(url_for("selfcheck.summary"))
    filename = f"bone-health-check-summary-{uk_today().isoformat()}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })  # fmt: skip


@functools.cache
def pdf_can_be_drawn() -> bool:
    """Whether this server can draw PDFs: WeasyPrint needs Pango, a system library.

    Found out once a process. Without it the summary still prints; only the download
    link is left out.
    """
    try:
        import webapp.pdf  # noqa: F401  (WeasyPrint loads slowly: only once it is needed)
    except (ImportError, OSError):
        log.exception("PDFs cannot be drawn here: the GP summary is offered without one")
        return False
    return True


def _summary_as_pdf(page: str) -> bytes | None:
    """The summary page as a PDF, or None (logged) if it could not be drawn.

    The PDF is an extra: whatever goes wrong in drawing it (a system library missing,
    a fault in WeasyPrint) must not cost the person the summary they can print.
    """
    try:
        from webapp.pdf import page_as_pdf  # WeasyPrint loads slowly: only once it is used

        return page_as_pdf(page, url_for("selfcheck.summary", _external=True))
    except Exception:
        log.exception("The GP summary could not be drawn as a PDF")
        return None
