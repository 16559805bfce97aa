"""Every clinical sentence the self-check shows, in one place.

Each constant is traced to its source, by name, in docs/clinical/advice.md (a test checks
that every constant here is listed there). Templates show these texts; they never carry
clinical wording of their own. Change a sentence here and its line in advice.md together.
"""

from typing import NamedTuple


class Link(NamedTuple):
    """A trusted place to read more: the words of the link and its address."""

    text: str
    url: str


ROS_HELPLINE = "0808 800 0035"
ROS_HELPLINE_TEL = "tel:08088000035"

# Question pages: hints.
AGE_HINT = "For example, 67. This check is for people aged 50 and over."
SEX_HINT = "The risk of breaking a bone is worked out with separate equations for women and men."
ETHNICITY_HINT = "The risk equations take your ethnic group into account."
ALCOHOL_HINT = (
    "A single small measure of spirits (25 ml) is 1 unit. A small glass of wine (125 ml) is "
    "about 1.5 units. A pint of lower-strength beer, lager or cider is about 2 units."
)
BROKEN_BONES_HINT = "For example, a break from a fall from standing height or less."
PARENT_HINT = "If you do not know, choose no."
FALLS_HINT = "Answer yes if you have fallen over without meaning to."
STEROIDS_HINT = (
    "The most common steroid tablet is prednisolone; another is dexamethasone. They are also "
    "called corticosteroids. Steroid inhalers, creams and injections do not count. Answer yes "
    "if you have had at least 2 prescriptions for steroid tablets in the last 6 months."
)
OTHER_RISK_FACTORS_HINT = (
    "These are not part of the risk numbers, but they are reasons to ask your GP about your "
    "bone health."
)

# The under-50 and over-100 pages.
UNDER_50_DESIGNED_FOR = "This check is for people aged 50 and over"  # the page's heading
UNDER_50_NICE = (
    "Under 50, NICE does not advise a routine check of the risk of breaking a bone unless you "
    "have a major risk factor:"
)
UNDER_50_MAJOR_RISK_FACTORS = (
    "you take steroid tablets now, or have often taken them recently",
    "you had an early (premature) menopause that has not been treated",
    "you have broken a bone from a fall from standing height or less",
)
UNDER_50_ASK_GP = "If any of these apply to you, ask your GP about your bone health."
UNDER_30_NO_ESTIMATE = (
    "The risk equations only work for people aged 30 to 100, so we cannot estimate your risk."
)
UNDER_50_MAY_CONTINUE = (
    "You can still continue. The risk equations work from age 30, but the advice on the result "
    "page is written for people aged 50 and over."
)
OVER_100_NO_ESTIMATE = (
    "The risk equations only work up to age 100, so we cannot give you a number."
)
OVER_100_HIGH_RISK = (
    "NICE advises that people older than the age limit of the risk tools should be considered "
    "to be at high risk of breaking a bone."
)
OVER_100_ASK_GP = "Ask your GP for a bone health assessment."

# The result: a broken bone after 50 comes first, whatever the numbers say.
BROKEN_BONE_LEAD = (
    "You have broken a bone since you turned 50. A first broken bone after 50 is the moment to "
    "act: once you have broken a bone, you are more likely to break another."
)
BROKEN_BONE_ACTION = (
    "Ask your GP or the hospital fracture clinic about a bone health assessment, and whether "
    "there is a Fracture Liaison Service near you. Do this whatever the numbers below say."
)
FLS_WHAT_IT_IS = (
    "A Fracture Liaison Service is a hospital team that finds people over 50 who have broken a "
    "bone, checks them for osteoporosis and starts treatment. These services cut the risk of "
    "breaking another bone by up to 40%."
)
FLS_NOT_EVERYWHERE = "Only about half of hospital trusts in England have one."
# After a broken bone, the other reasons follow the broken-bone advice under this line.
ALSO_ASK_BECAUSE = (
    "NICE and the National Osteoporosis Guideline Group (NOGG) give these reasons for an "
    "assessment too:"
)

OVER_80_CAUTION = (
    "You are over 80. NICE advises reading a risk estimate like this with caution over the "
    "age of 80: a 10-year risk may underestimate your risk of breaking a bone in the next few "
    "years."
)
# The BMI notes themselves come from webapp.risk.bounded_bmi; this says why a low one matters.
LOW_BMI_IS_A_RISK_FACTOR = "A BMI below 18.5 is itself a reason to ask your GP about your bones."
ALSO_IN_THE_NUMBERS = (
    "Your age, sex, body mass index (BMI), ethnic group, smoking and alcohol are also part of "
    "the risk equations."
)
UNDER_50_RESULT_NOTE = (
    "You are under 50. The advice below is written for people aged 50 and over."
)

# Why to ask for an assessment: the opening, and each reason in plain words.
ASK_GP_BECAUSE = (
    "Ask your GP for a fracture risk assessment. NICE and the National Osteoporosis Guideline "
    "Group (NOGG) say people should be considered for one because:"
)
NO_REASON_FOUND = (
    "Your answers do not include any of the reasons NICE and the National Osteoporosis "
    "Guideline Group (NOGG) give for a fracture risk assessment. If anything changes, for "
    "example you break a bone or have a fall, talk to your GP."
)
REASON_WOMAN_65_OR_OVER = "you are a woman aged 65 or over (NICE)"
REASON_MAN_75_OR_OVER = "you are a man aged 75 or over (NICE)"
REASON_PREVIOUS_FRACTURE = "you have broken a bone since you turned 50 (NICE, NOGG)"
REASON_PREVIOUS_FRACTURE_UNDER_50 = "you have broken a bone (NICE)"
REASON_STEROID_TABLETS = "you take steroid tablets (NICE, NOGG)"
REASON_FALLS = "you have had a fall (NICE, NOGG)"
REASON_PARENT = "your mother or father had a hip fracture or osteoporosis (NICE, NOGG)"
REASON_SECONDARY_OSTEOPOROSIS = "you have a condition that can cause osteoporosis (NICE, NOGG)"
REASON_LOW_BMI = "your body mass index (BMI) is below 18.5 (NICE)"
REASON_SMOKING = "you smoke (NICE, NOGG)"
REASON_ALCOHOL = "you drink more than 14 units of alcohol a week (NICE, NOGG)"
REASON_CANCER = "you have had cancer (NOGG)"
REASON_LUNG = "you have a long-term lung condition (NOGG)"
REASON_NEUROLOGICAL = "you have a long-term condition of the brain or nerves (NOGG)"
REASON_HEIGHT_LOSS = "you have lost more than 4 cm in height (NOGG)"
REASON_PREMATURE_MENOPAUSE = "you had an early (premature) menopause (NOGG)"
REASON_PREMATURE_MENOPAUSE_UNDER_50 = (
    "you had an early (premature) menopause: under 50, NICE advises an assessment if it has "
    "not been treated (NICE)"
)
REASON_AROMATASE_INHIBITORS = "you take an aromatase inhibitor (NOGG)"
REASON_ANDROGEN_DEPRIVATION = "you are having androgen-deprivation therapy (NOGG)"
NOT_IN_THE_NUMBERS = (
    "Some of these reasons are not part of the risk numbers above, but they still matter."
)

# What anyone can do now, and what applies only to some (a fall, smoking, drinking).
DO_EXERCISE = (
    "Keep active. The Royal Osteoporosis Society's Strong, Steady and Straight advice is to do "
    "exercises that strengthen your muscles and, if you can, impact exercise."
)
DO_FALLS = (
    "You have had a fall: tell your GP. Most areas have an NHS falls prevention service. "
    "Strong, Steady and Straight adds balance training for people who have had a fall."
)
DO_CALCIUM = (
    "Adults need 700 mg of calcium a day. For people at risk of breaking a bone, NOGG advises "
    "700 to 1,200 mg a day, preferably from food and drink."
)
DO_VITAMIN_D = (
    "The NHS advises everyone to consider taking 10 micrograms of vitamin D a day in autumn "
    "and winter, and all year round if you are rarely outdoors, live in a care home, or usually "
    "cover your skin when you are outside."
)
DO_SMOKING = (
    "Stopping smoking lowers your risk of breaking a bone. The NHS offers free support to stop."
)
DO_ALCOHOL = "Drink no more than 14 units of alcohol a week."
HELPLINE = (
    "The Royal Osteoporosis Society has a free helpline with specialist nurses who can answer "
    "your questions about bone health."
)
# The helpline's opening hours were not found in a source we could confirm, so the page
# sends people to the charity's own website for them rather than stating any.
HELPLINE_HOURS = "Check the Royal Osteoporosis Society website for the helpline's opening hours."

# Trusted places to read more, each shown beside the advice it belongs to.
READ_NHS_OSTEOPOROSIS = Link(
    "Read about osteoporosis on the NHS website", "https://www.nhs.uk/conditions/osteoporosis/"
)
READ_ROS_EXERCISE = Link(
    "Exercise for bones, from the Royal Osteoporosis Society",
    "https://theros.org.uk/information-and-support/bone-health/exercise-for-bones/",
)
READ_NHS_FALLS = Link("Read about falls on the NHS website", "https://www.nhs.uk/conditions/falls/")
READ_NHS_QUIT_SMOKING = Link(
    "Free NHS support to quit smoking", "https://www.nhs.uk/better-health/quit-smoking/"
)
READ_ROS_WEBSITE = Link("Royal Osteoporosis Society website", "https://theros.org.uk")

# The GP summary: which equations, and why a GP's own system may give other figures.
MODEL_FOR_CLINICIAN = (
    "QFracture-2012 (Hippisley-Cox J, Coupland C. BMJ 2012;344:e3427), from the answers "
    "below. A GP's clinical system may run a later version of QFracture, so its figures can "
    "differ."
)

# "About these numbers" on the result: plain words first, then the credit and disclaimer.
ABOUT_THE_NUMBERS = (
    "Your numbers are an estimate, worked out from your answers with the published "
    "QFracture-2012 equations. NICE recommends this kind of tool for estimating the risk of "
    "breaking a bone. The numbers tell you how many out of 100 people like you are likely to "
    "break a bone in the next 10 years, not whether you will."
)

# What the check is not.
NOT_A_DIAGNOSIS = (
    "This is not a diagnosis. It cannot tell you whether you have osteoporosis, and it does not "
    "replace an assessment by a doctor or nurse, or a bone density scan."
)
