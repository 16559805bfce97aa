"""A person's answers in words, for "Check your answers" and the printable GP summary."""

from dataclasses import dataclass

from webapp.selfcheck import answers as questions


@dataclass(frozen=True)
class AnswerRow:
    """One answered question: which it was, what it asked in short, and the answer in words."""

    question: str
    label: str
    value: str | tuple[str, ...]


def _label_of(choices, value: str) -> str:
    return next((choice.label for choice in choices if choice.value == value), value)


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _age(answer: dict) -> str:
    years = f"{answer['years']}"
    if answer["from_date_of_birth"]:
        return f"{years} (worked out from your date of birth)"
    return years


def _height(answer: dict) -> str:
    if "feet" in answer:
        inches = _number(answer["inches"])
        return f"{answer['feet']} feet {inches} inches ({_number(answer['cm'])} cm)"
    return f"{_number(answer['cm'])} cm"


def _weight(answer: dict) -> str:
    if "stones" in answer:
        pounds = _number(answer["pounds"])
        return f"{answer['stones']} stone {pounds} pounds ({_number(answer['kg'])} kg)"
    return f"{_number(answer['kg'])} kg"


def _checklist(question: str, answer: list, sex: str) -> tuple[str, ...]:
    offered = questions.choices_for_sex(questions.CHOICES_FOR[question], sex)
    chosen = tuple(_label_of(offered, value) for value in answer if value != "none")
    return chosen or ("None of these",)


def _broken_bones_label(answers: dict) -> str:
    if questions.is_50_or_over(answers):
        return "Broken a wrist, spine, hip or shoulder bone since turning 50"
    return "Ever broken a wrist, spine, hip or shoulder bone"


def answer_rows(answers: dict) -> list[AnswerRow]:
    """Every answered question, in the order asked, with its answer in words."""
    sex = answers.get("sex")
    words = {
        "age": ("Age", _age),
        "sex": ("Sex", lambda a: "Female" if a == "female" else "Male"),
        "height": ("Height", _height),
        "weight": ("Weight", _weight),
        "ethnicity": ("Ethnic group", lambda a: _label_of(questions.ETHNICITY_CHOICES, a)),
        "smoking": ("Smoking", lambda a: _label_of(questions.SMOKING_CHOICES, a)),
        "alcohol": ("Alcohol", lambda a: _label_of(questions.ALCOHOL_CHOICES, a)),
        "broken_bones": (_broken_bones_label(answers), str.capitalize),
        "parent_hip_fracture": ("A parent broke a hip or had osteoporosis", str.capitalize),
        "falls": ("Falls", str.capitalize),
        "steroids": ("Steroid tablets", str.capitalize),
        "diabetes": ("Diabetes", lambda a: _label_of(questions.DIABETES_CHOICES, a)),
        "conditions": ("Conditions", lambda a: _checklist("conditions", a, sex)),
        "medicines": (
            "Medicines and where you live" if sex == "male" else "Medicines",
            lambda a: _checklist("medicines", a, sex),
        ),
        "other_risk_factors": (
            "Other risk factors",
            lambda a: _checklist("other_risk_factors", a, sex),
        ),
    }
    return [
        AnswerRow(question, label, describe(answers[question]))
        for question, (label, describe) in words.items()
        if question in answers
    ]
