"""Published figures the case-finding report shows or uses, each with its source.

Every figure here was read in its source (or in an abstract of it) before use; where and
how sure we are is in docs/clinical/impact.md. A figure we could not confirm is not here
and the page says what is missing instead. Change one only with its source and the doc.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: a short citation and a link a reader can follow."""

    citation: str
    url: str
    confidence: str  # High: read in the primary source; Medium: read in an abstract or summary


NORTHERN_BONE_HEALTH = Source(
    "Northern Bone Health Project evaluation (University of Sunderland; NHSA, Amgen and the "
    "four Northern AHSNs, 2020-2021): 153,206 of 551,550 records (27.8%) identified for "
    "targeted risk assessment under NICE CG146",
    "https://bonehealth.thenhsa.co.uk/evaluation/",
    "High",
)
CG146 = Source(
    "NICE CG146, Osteoporosis: assessing the risk of fragility fracture (2012, updated 2017), "
    "recommendations 1.1.1 to 1.1.3",
    "https://www.nice.org.uk/guidance/cg146",
    "High",
)
NOGG = Source(
    "NOGG 2022 (updated 2024), Clinical guideline for the prevention and treatment of "
    "osteoporosis: intervention thresholds are set on FRAX probabilities",
    "https://www.nogg.org.uk/",
    "High",
)
WELLS_2008 = Source(
    "Wells GA et al. Alendronate for the primary and secondary prevention of osteoporotic "
    "fractures in postmenopausal women. Cochrane Database Syst Rev 2008;(1):CD001155 "
    "(abstract): 10 mg a day, all trials",
    "https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD001155.pub2/abstract",
    "High",
)
MORLEY_2020 = Source(
    "Morley J et al. Persistence and compliance with osteoporosis therapies among "
    "postmenopausal women in the UK Clinical Practice Research Datalink. Osteoporos Int "
    "2020;31:533-545 (72,256 women)",
    "https://pubmed.ncbi.nlm.nih.gov/31758206/",
    "High",
)
LEAL_2016 = Source(
    "Leal J et al. Impact of hip fracture on hospital care costs: a population-based study. "
    "Osteoporos Int 2016;27:549-558 (2012/13 prices)",
    "https://doi.org/10.1007/s00198-015-3277-9",
    "High",
)
NON_HIP_COST = Source(
    "Economic and clinical burden of non-vertebral non-hip, vertebral and multiple fractures "
    "in postmenopausal women in the UK (RTI Health Solutions; THIN cohort 2001-2005; abstract; "
    "price year not stated in the abstract)",
    "https://www.rtihs.org/publications/economic-and-clinical-burden-non-vertebral-non-hip-nvnh-vertebral-and-multiple",
    "Medium",
)
NHS_DISCLOSURE = Source(
    "NHS Digital, disclosure control method for Hospital Episode Statistics (2018): "
    "sub-national counts from 1 to 7 are not shown and the rest are rounded to the nearest 5",
    "https://digital.nhs.uk/data-and-information/data-tools-and-services/data-services/"
    "hospital-episode-statistics/change-to-disclosure-control-methodology-for-hes-and-ecds-"
    "from-september-2018",
    "Medium",
)

# The Northern Bone Health Project's share identified for assessment under CG146.
NORTHERN_BONE_HEALTH_CG146_PERCENT = 27.8

# Alendronate 10 mg, all trials pooled (primary and secondary prevention), Wells 2008:
# hip RR 0.60 (40% reduction); non-vertebral RR 0.84 (16%). We apply the pooled figures
# because a practice list mixes both groups; secondary prevention alone gave more (hip 53%,
# non-vertebral 23%) and primary prevention alone showed no significant hip or
# non-vertebral effect. The non-vertebral figure stands for every major fracture other
# than the hip, including the spine, where the review found more (45%): so it understates.
HIP_RELATIVE_RISK_REDUCTION = 0.40
OTHER_MAJOR_RELATIVE_RISK_REDUCTION = 0.16

# Adherence: the share of people still on any osteoporosis treatment at 12 months in UK
# primary care (Morley 2020). Assumed to be the share who get the trials' benefit.
ADHERENCE = 0.436

# Costs per fracture avoided: hospital costs in the year after a hip fracture above the
# year before it (Leal 2016: £10,964; the whole first year was £14,163); healthcare cost
# in the year after a non-vertebral non-hip fracture above matched women without one
# (£690, the lower of it and the vertebral £1,152, so that it understates).
HIP_FRACTURE_COST = 10_964
OTHER_MAJOR_FRACTURE_COST = 690
HIP_FRACTURE_FIRST_YEAR_COST = 14_163
VERTEBRAL_FRACTURE_COST = 1_152

# What the estimate leaves out because we could not confirm a figure for it.
NOT_INCLUDED = (
    "Social and residential care costs after a fracture: no per-fracture figure was "
    "confirmed in its source, so they are left out and the saving understates.",
    "The cost of the treatment itself (medicines, reviews, scans): not confirmed, so not "
    "subtracted; the saving shown is the fracture costs avoided, not a net saving.",
    "A fracture avoided after the first one in the same person: QFracture gives the risk of "
    "at least one fracture, so later fractures are not counted.",
)
