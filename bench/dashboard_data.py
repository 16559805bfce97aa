"""One Fracture Liaison Service with two years of patients and their texts, made up fast.

For bench/dashboard.py: `ServiceHistory` makes, from a seed, N patients enrolled
over the last two years (most on a weekly alendronic acid or risedronate tablet,
some on monthly ibandronic acid, denosumab, zoledronic acid, a few on
teriparatide or romosozumab, most with calcium and vitamin D alongside), their
statuses, every reminder the planner would have made for them (the weekly
doses, check-ins, clinic bookings, follow-ups, the next two weeks still planned),
the text that carried each one, the patient's replies and the nurse's contacts.
It yields plain rows, table by table, a few hundred patients at a time; the
loader in bench/_bulk_load.py writes them with COPY or executemany.

Behaviour is drawn per patient: most answer nearly every text, some are
patchy, a few hardly ever answer, and one in a hundred has a number that no
longer takes texts. Nothing here is clinical advice: it only has to look like
a busy service to the queries that read it.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from webapp.clock import utc_from_uk
from webapp.patients.nhs_number import check_digit
from webapp.reminders.medicines import MEDICINES
from webapp.reminders.schedule import add_months

HISTORY_DAYS = 730
PLAN_DAYS = 14
BATCH = 500
REPLY_BODY_KEEP = timedelta(days=90)
MAIN_MEDICINES = {  # share of patients on each as their bone treatment
    "alendronic_acid_weekly": 55, "risedronate_weekly": 17, "ibandronic_acid_monthly": 7,
    "denosumab_6_monthly": 11, "zoledronic_acid_yearly": 6, "teriparatide_daily": 2,
    "romosozumab_monthly": 2,
}  # fmt: skip
CALCIUM_SHARE = 0.75
STATUSES = {"active": 82, "paused": 4, "opted_out": 6, "discharged": 8}
# (taken, missed, no response) for patients who answer well, patchily, hardly at all.
ANSWERING = {"well": (0.93, 0.02, 0.05), "patchy": (0.74, 0.08, 0.18),
             "seldom": (0.35, 0.12, 0.53)}  # fmt: skip
ANSWERING_SHARE = {"well": 64, "patchy": 25, "seldom": 10, "unreachable": 1}
TIMES = [time(7, 0), time(7, 30), time(8, 0), time(8, 30), time(9, 0), time(9, 30)]
FIRST_NAMES = ["Margaret", "Patricia", "Susan", "Linda", "Jean", "Barbara", "Christine",
               "Janet", "Eileen", "Brenda", "Doreen", "Joan", "Kathleen", "Sheila", "Maureen",
               "Pauline", "Ann", "Irene", "Valerie", "Sandra", "John", "David", "Peter",
               "Michael", "Brian", "Alan", "Keith", "Derek", "Roy", "Trevor"]  # fmt: skip
LAST_NAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
              "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
              "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Hughes", "Edwards", "Hill",
              "Moore", "Clark", "Harrison", "Scott", "Young"]  # fmt: skip

COLUMNS = {
    "patient": ("id", "fls_service_id", "nhs_number", "first_name", "last_name",
                "date_of_birth", "mobile", "named_nurse_id", "fracture_date", "sms_consent",
                "sms_consent_recorded_by_id", "sms_consent_recorded_at", "reminder_time",
                "discreet", "status", "paused_until", "opted_out_by", "opted_out_at",
                "discharged_at", "discharge_reason", "sms_blocked_code", "sms_blocked_reason",
                "sms_blocked_at", "is_example", "created_at", "updated_at"),
    "regimen": ("id", "patient_id", "medicine", "first_dose_date", "end_date",
                "last_given_date", "daily_texts", "stopped_on", "stop_reason", "switched_to_id",
                "created_at"),
    "sms_message": ("id", "patient_id", "to_number", "body", "segments", "status",
                    "claimed_at", "sent_at", "status_changed_at", "attempts", "next_attempt_at",
                    "provider_sid", "error_code", "error_message"),
    "inbound_message": ("id", "provider_sid", "channel", "patient_id", "from_number", "body",
                        "outcome", "urgent", "late", "ignored_reason", "received_at",
                        "read_at", "answered_message_id", "answer"),
    "reminder": ("id", "patient_id", "regimen_id", "kind", "due_on", "send_at", "status",
                 "status_changed_at", "skip_reason", "sms_message_id", "outcome", "reply_id",
                 "late", "created_at"),
    "contact": ("id", "patient_id", "regimen_id", "kind", "happened_on", "note",
                "recorded_by_id", "recorded_at"),
}  # fmt: skip
PROMPTS = ("dose", "check_in", "clinic_due")


@lru_cache(maxsize=20_000)
def send_time(day: date, wall_clock: time) -> datetime:
    """The UTC moment of a UK wall-clock time (cached: a few thousand distinct ones)."""
    return utc_from_uk(day, wall_clock)


def nhs_numbers() -> Iterator[str]:
    """Valid NHS numbers in the test range (999 000 0000 upwards), in order."""
    for serial in range(1_000_000):
        first_nine = f"999{serial:06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            yield f"{first_nine}{digit}"


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


@dataclass
class Person:
    """What the generator decided about one patient, as their rows are made."""

    id: int
    mobile: str
    enrolled: date
    reminder_time: time
    status: str
    stopped: date | None  # when a pause, opt-out or discharge began
    answering: str
    regimens: list = field(default_factory=list)  # (id, code, first dose, last day, row)
    codes: dict = field(default_factory=dict)  # regimen id -> medicine code


@dataclass
class Text:
    """One text going out: its reminders (kind, regimen id, due date) and its moment."""

    send_at: datetime
    reminders: list


class ServiceHistory:
    """Rows for one service: call `batches()` and write each dict of table -> rows."""

    def __init__(self, service_id: int, nurse_ids: list[int], patients: int, now: datetime,
                 today: date, seed: int = 2026):  # fmt: skip
        self.service_id, self.nurse_ids, self.patients = service_id, nurse_ids, patients
        self.now, self.today = now, today
        self.rng = random.Random(seed)
        self.numbers = nhs_numbers()
        self.next_id = {table: 1 for table in COLUMNS}
        self.rows: dict[str, list[tuple]] = {}

    def batches(self) -> Iterator[dict[str, list[tuple]]]:
        """Every row, BATCH patients at a time; the first patients have two full years."""
        for start in range(1, self.patients + 1, BATCH):
            self.rows = {table: [] for table in COLUMNS}
            for _ in range(start, min(start + BATCH, self.patients + 1)):
                self._patient()
            yield self.rows

    def _id(self, table: str) -> int:
        number = self.next_id[table]
        self.next_id[table] = number + 1
        return number

    def _patient(self) -> None:
        rng, pid = self.rng, self._id("patient")
        days = HISTORY_DAYS - 2 if pid <= 50 else int(HISTORY_DAYS * rng.random() ** 0.75)
        enrolled = self.today - timedelta(days=days)
        status = _pick(rng, STATUSES) if days > 60 and pid > 50 else "active"
        stopped = None
        if status != "active":
            stopped = enrolled + timedelta(days=rng.randint(30, days - 1))
        person = Person(pid, f"+4479{pid:08d}", enrolled, rng.choice(TIMES), status, stopped,
                        "well" if pid <= 50 else _pick(rng, ANSWERING_SHARE))  # fmt: skip
        fracture = enrolled - timedelta(days=rng.randint(10, 70)) if rng.random() > 0.03 else None
        self.rows["patient"].append(self._patient_row(person, fracture))
        self._regimens(person)
        self._texts(person)
        self._contacts(person, fracture)

    def _patient_row(self, person: Person, fracture: date | None) -> tuple:
        rng, enrolled_at = self.rng, send_time(person.enrolled, time(10, 0))
        nurse = rng.choice(self.nurse_ids + [None])
        stopped_at = send_time(person.stopped, time(11, 0)) if person.stopped else None
        status = person.status
        born = self.today - timedelta(days=rng.randint(55 * 365, 95 * 365))
        return (
            person.id, self.service_id, next(self.numbers), rng.choice(FIRST_NAMES),
            rng.choice(LAST_NAMES), born, person.mobile, nurse, fracture, True, nurse,
            enrolled_at, person.reminder_time, rng.random() < 0.05, status,
            self.today + timedelta(days=rng.randint(7, 60)) if status == "paused" else None,
            rng.choice(["sms", "sms", "nurse"]) if status == "opted_out" else None,
            stopped_at if status == "opted_out" else None,
            stopped_at if status == "discharged" else None,
            rng.choice(["Moved to another area", "Care passed to the GP"])
            if status == "discharged" else None,
            None, None, None, False, enrolled_at, stopped_at or enrolled_at,
        )  # fmt: skip

    def _regimens(self, person: Person) -> None:
        rng, code = self.rng, "alendronic_acid_weekly" if person.id <= 50 else None
        code = code or _pick(rng, MAIN_MEDICINES)
        first = person.enrolled + timedelta(days=rng.randint(0, 6))
        tenure = (self.today - first).days
        if code == "alendronic_acid_weekly" and tenure > 150 and rng.random() < 0.06:
            switch_on = first + timedelta(days=rng.randint(60, tenure - 60))
            stopped = self._regimen(person, code, first, stopped=(switch_on, "Indigestion"))
            stopped[9] = self._regimen(person, "risedronate_weekly", switch_on)[0]
        else:
            self._regimen(person, code, first)
        if rng.random() < CALCIUM_SHARE:
            self._regimen(person, "calcium_vitamin_d_daily", first)

    def _regimen(self, person: Person, code: str, first: date, stopped=None) -> list:
        """One regimen's row (a list, changed as its clinic doses are given, and its switch)."""
        entry, rid = MEDICINES[code], self._id("regimen")
        end = None
        if entry.course_months:
            end = add_months(first, entry.course_months)
        elif entry.course_doses:
            end = add_months(first, entry.course_doses * entry.every_months)
        stop_day = stopped and stopped[0] - timedelta(days=1)
        last_day = min(day for day in (stop_day, end, person.stopped,
                                       self.today + timedelta(days=PLAN_DAYS)) if day)  # fmt: skip
        row = [rid, person.id, code, first, end, first if entry.in_clinic else None, False,
               stopped and stopped[0], stopped and stopped[1], None,
               send_time(first, time(10, 0))]  # fmt: skip
        person.regimens.append((rid, code, first, last_day, row))
        person.codes[rid] = code
        self.rows["regimen"].append(row)
        if entry.in_clinic:
            self._contact(person, "dose_given_clinic", first, rid)
        return row

    def _texts(self, person: Person) -> None:
        texts: dict[datetime, Text] = {}
        welcome = send_time(person.enrolled, max(person.reminder_time, time(9, 0)))
        texts[welcome] = Text(welcome, [("welcome", person.regimens[0][0], person.enrolled)])
        for rid, code, first, last_day, _ in person.regimens:
            for kind, due, day, wall_clock in _prompts(MEDICINES[code], first, last_day,
                                                       person.reminder_time):
                moment = send_time(day, wall_clock)
                texts.setdefault(moment, Text(moment, [])).reminders.append((kind, rid, due))
        for moment in sorted(texts):
            self._text(person, texts[moment])
        self.rows["regimen"][-len(person.regimens):] = [
            tuple(regimen[4]) for regimen in person.regimens
        ]

    def _text(self, person: Person, text: Text) -> None:
        if text.send_at > self.now:
            if person.status == "active":
                for kind, rid, due in text.reminders:
                    self._reminder(person, kind, rid, due, text.send_at, "planned", None)
            return
        status = self._delivery(person, text.send_at)
        sms_id = self._sms(person, text, status)
        prompts = [r for r in text.reminders if r[0] in PROMPTS]
        outcome, reply_id, late = self._answer(person, text, sms_id, status, prompts)
        for kind, rid, due in text.reminders:
            answered = kind in PROMPTS
            self._reminder(person, kind, rid, due, text.send_at, status, sms_id,
                           outcome if answered else None, reply_id if answered else None,
                           late and answered)  # fmt: skip
        if prompts and outcome == "taken":
            self._clinic_dose(person, prompts)

    def _delivery(self, person: Person, moment: datetime) -> str:
        if person.answering == "unreachable" and moment > self.now - timedelta(days=35):
            return "undelivered"
        draw = self.rng.random()
        return "delivered" if draw < 0.97 else "undelivered" if draw < 0.985 else "unknown"

    def _sms(self, person: Person, text: Text, status: str) -> int:
        sms_id, moment = self._id("sms_message"), text.send_at
        body = _body(tuple(sorted({person.codes[r[1]] for r in text.reminders})),
                     text.reminders[0][0] == "welcome")  # fmt: skip
        failed = status == "undelivered"
        self.rows["sms_message"].append((
            sms_id, person.id, person.mobile, body, 2 if len(body) > 160 else 1, status, moment,
            moment + timedelta(seconds=2), moment + timedelta(seconds=20), 1, None,
            f"SM{sms_id:032x}", 30003 if failed else None,
            "Unreachable destination handset" if failed else None,
        ))  # fmt: skip
        return sms_id

    def _answer(self, person, text, sms_id, status, prompts) -> tuple[str | None, int | None, bool]:
        """What the patient answered: an outcome, the reply's id, and whether it came late."""
        if not prompts or status == "undelivered" or person.answering == "unreachable":
            return None, None, False
        if text.send_at > self.now - timedelta(days=1):
            return None, None, False  # still open: a day to answer
        taken, missed, _ = ANSWERING[person.answering]
        draw = self.rng.random()
        if draw >= taken + missed:
            return self._unanswered(person, text, prompts)
        outcome = "taken" if draw < taken else "missed"
        received = text.send_at + timedelta(minutes=self.rng.randint(2, 240))
        self._extra_reply(person, text, sms_id)
        return outcome, self._reply(person, outcome, received, sms_id, False), False

    def _unanswered(self, person, text, prompts) -> tuple[str | None, int | None, bool]:
        """No reply: one follow-up the next day; a third answer it late, the rest no response."""
        kind, rid, due = prompts[0]
        follow_days = MEDICINES[person.codes[rid]].follow_up_days or 1
        moment = send_time(due + timedelta(days=follow_days), person.reminder_time)
        if moment > self.now:
            return None, None, False
        sms_id = self._sms(person, Text(moment, prompts), "delivered")
        for _, prompt_rid, prompt_due in prompts:
            self._reminder(person, "follow_up", prompt_rid, prompt_due, moment, "delivered", sms_id)
        if moment < self.now - timedelta(days=1) and self.rng.random() < 0.3:
            received = moment + timedelta(minutes=self.rng.randint(5, 300))
            return "taken", self._reply(person, "taken", received, sms_id, True), True
        return ("no_response" if moment < self.now - timedelta(days=1) else None), None, False

    def _reply(self, person, outcome, received, sms_id, late, body=None, urgent=False,
               read=True) -> int:  # fmt: skip
        reply_id = self._id("inbound_message")
        body = body or ("TAKEN" if outcome == "taken" else "MISSED")
        kept = received > self.now - REPLY_BODY_KEEP
        self.rows["inbound_message"].append((
            reply_id, f"SM{reply_id:031x}r", "twilio", person.id, person.mobile,
            body if kept else None, outcome, urgent, late, None, received,
            received + timedelta(minutes=1) if read else None, sms_id,
            "Thank you, Leeds FLS" if read else None,
        ))  # fmt: skip
        return reply_id

    def _extra_reply(self, person: Person, text: Text, sms_id: int) -> None:
        """Now and then a second text: a question, or (rarely) an urgent side effect."""
        draw = self.rng.random()
        if draw > 0.004:
            return
        urgent = draw < 0.0006
        received = text.send_at + timedelta(hours=5)
        recent = received > self.now - timedelta(days=21)
        self._reply(person, "side_effect" if urgent else "unclear", received, sms_id, False,
                    body="My jaw is very sore" if urgent else "Who is this please?",
                    urgent=urgent, read=not recent)  # fmt: skip

    def _reminder(self, person, kind, rid, due, moment, status, sms_id, outcome=None,
                  reply_id=None, late=False) -> None:  # fmt: skip
        changed = moment + timedelta(seconds=20) if sms_id else moment - timedelta(days=PLAN_DAYS)
        self.rows["reminder"].append((
            self._id("reminder"), person.id, rid, kind, due, moment, status, changed, None,
            sms_id, outcome, reply_id, late, moment - timedelta(days=PLAN_DAYS),
        ))  # fmt: skip

    def _clinic_dose(self, person: Person, prompts: list) -> None:
        """A clinic dose the patient confirmed: the nurse records it as given."""
        for kind, rid, due in prompts:
            if kind == "clinic_due":
                regimen = next(r[4] for r in person.regimens if r[0] == rid)
                regimen[5] = due
                self._contact(person, "dose_given_clinic", due, rid)

    def _contacts(self, person: Person, fracture: date | None) -> None:
        """The 12-week call for most, and a GP's confirmation at a year for some."""
        if fracture is None:
            return
        call = fracture + timedelta(weeks=12, days=self.rng.randint(0, 20))
        if call <= self.today and self.rng.random() < 0.55:
            self._contact(person, "phone_call", call, None)
        year = fracture + timedelta(weeks=52, days=self.rng.randint(0, 30))
        if year <= self.today and self.rng.random() < 0.25:
            self._contact(person, "confirmed_by_gp", year, person.regimens[0][0])

    def _contact(self, person: Person, kind: str, day: date, rid: int | None) -> None:
        nurse = self.rng.choice(self.nurse_ids)
        self.rows["contact"].append((self._id("contact"), person.id, rid, kind, day, None,
                                     nurse, send_time(day, time(14, 0))))  # fmt: skip


@lru_cache(maxsize=256)
def _body(codes: tuple[str, ...], welcome: bool) -> str:
    """A text's words, much as the service writes them (the wording is not what is timed)."""
    if welcome:
        return ("Leeds FLS: welcome. We will text you when your medicine is due. "
                "Reply STOP to stop these texts")  # fmt: skip
    names = " and ".join(MEDICINES[code].name for code in codes)
    return f"Leeds FLS: it is time for your {names} today. Reply TAKEN or MISSED. " \
        "Reply STOP to stop these texts"


def _prompts(entry, first: date, last_day: date, wall_clock: time):
    """(kind, due date, day sent, time sent) of every prompt from the first dose to the last day.

    Clinic medicines: the first dose is given at enrolment; each later one has a
    booking text `book_ahead_days` ahead and a text on the day it is due."""
    if entry.in_clinic:
        for index in range(1, 40):
            due = add_months(first, index * entry.every_months)
            book_day = due - timedelta(days=entry.book_ahead_days or 14)
            if book_day > last_day:
                return
            yield "book", due, book_day, time(10, 0)
            if due <= last_day:
                yield "clinic_due", due, due, time(10, 0)
        return
    if entry.every_months:
        index = 0
        while (due := add_months(first, index * entry.every_months)) <= last_day:
            yield "dose", due, due, wall_clock
            index += 1
        return
    kind = "dose" if entry.is_weekly else "check_in"
    for offset in range(0, (last_day - first).days + 1, 7):
        day = first + timedelta(days=offset)
        yield kind, day, day, wall_clock
