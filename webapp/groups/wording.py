"""What the finder's pages say about getting support. Sources: docs/clinical/support-groups.md."""

ROS_HELPLINE = "0808 800 0035"
ROS_HELPLINE_TEL = "tel:08088000035"
# Royal Osteoporosis Society: a free helpline staffed by specialist nurses (guidance.md).
HELPLINE = (
    "The Royal Osteoporosis Society has a free helpline with specialist nurses. "
    "They can also tell you about support groups near you."
)
# ROS; DHSC, Hansard HL4522 (2025), via guidance.md.
FLS_WHAT_IT_DOES = (
    "A Fracture Liaison Service is a hospital team that finds people over 50 who have broken a "
    "bone, checks them for osteoporosis and starts treatment, to lower the chance of breaking "
    "another bone."
)
# guidance.md: anyone who has broken a bone after 50 from a fall from standing height or less.
FLS_WHO_FOR = (
    "It is for people aged 50 or over who have broken a bone after a fall from standing height "
    "or less. Ask your GP or the hospital fracture clinic about being seen by it."
)
# A service sees people from the districts it covers (its listing says which).
NO_FLS_COVERS = (
    "None of the Fracture Liaison Services we know of covers {district}. These are the nearest "
    "we know of, with the postcode districts each one covers. Your GP can tell you which "
    "service covers where you live."
)
# support-groups.md: ROS volunteer-led groups; distances are from district centres.
GROUPS_WHAT_THEY_ARE = (
    "Local support groups are run by volunteers, often with the Royal Osteoporosis Society or "
    "hospital staff. Many meet for a talk and questions; some meet online."
)
DISTANCE_NOTE = (
    "Distances are measured from the middle of your postcode district, so they are approximate."
)
STALE_CAUTION = (
    "These details have not been checked for over a year. Contact the group before you go."
)
EXAMPLE_NOTE = (
    "Example listing: this group is made up to show how the finder works. It does not exist."
)
